"""Near-duplicates end to end: two sites crawled over HTTP, then `sankofa duplicates`,
`export --dedupe`, `search --collapse` and the Hugging Face card."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crawler.cli import main
from crawler.devsite.server import serve
from tests.crawling import FAST_LOCAL, export, sankofa
from tests.hostile_site import article_html

STORIES = {
    "pay": [
        "Paystack rolled out instant settlements for merchants in Ghana on Monday, a service "
        "that lets small shops receive card and mobile money payments within minutes instead "
        "of waiting until the next business day.",
        "The company said more than forty thousand merchants had asked for faster payouts "
        "during the pilot, most of them food vendors, pharmacies and transport operators in "
        "Accra and Kumasi who buy stock every morning.",
        "Analysts expect competitors such as Flutterwave and Hubtel to answer with their own "
        "offers, since settlement speed has become the main reason traders switch providers.",
    ],
    "solar": [
        "A Nairobi startup selling pay-as-you-go solar kits closed a twelve million dollar "
        "debt round to finance another two hundred thousand household systems across rural "
        "Kenya and Uganda.",
        "Customers pay a small deposit and then daily instalments through M-Pesa; the lamp, "
        "radio and phone charger unlock while payments continue and lock again when they stop.",
        "Its founders say repayment rates stayed above ninety percent through the drought, "
        "which persuaded development lenders to extend the facility.",
    ],
    "code": [
        "Lagos coding schools report record enrolment as remote hiring by European firms "
        "pushes salaries for junior developers up by a third within two years.",
        "Bootcamps now run evening cohorts for bank staff and teachers, and several have "
        "started income share agreements funded by local venture investors.",
        "Critics warn that graduates still struggle to find first jobs without portfolio "
        "projects, and call for apprenticeships with established engineering teams.",
    ],
}
DRONES = (
    "Kigali hosts a drone delivery summit this week with regulators from eleven countries "
    "comparing rules for medical deliveries beyond the line of sight of pilots, insurance "
    "requirements and the airspace corridors hospitals can use."
)
INTRO = "This story first appeared on our partner site and is republished with permission."


def _page(title: str, paragraphs: list[str], published: str) -> str:
    html = article_html(title, body="".join(f"<p>{p}</p>" for p in paragraphs))
    return html.replace("2024-05-02T09:00:00+00:00", published).replace(
        '<time datetime="2024-05-02">', f'<time datetime="{published[:10]}">'
    )


def _write_site(root: Path, pages: dict[str, str]) -> None:
    items = "".join(f"<item><link>{{{{BASE}}}}{path}</link></item>" for path in pages)
    for path, html in pages.items():
        target = root / path.strip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'
    (root / "feed.xml").write_text(feed, encoding="utf-8")
    (root / "index.html").write_text("<html><body>Home</body></html>", encoding="utf-8")


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Site A publishes three stories; site B the next days republishes one with a new
    intro and an edited sentence, and one word for word, and has a story of its own."""
    root = tmp_path_factory.mktemp("dupes")
    edited = [INTRO, *STORIES["pay"]]
    edited[2] = edited[2].replace("more than forty thousand", "over 40,000")
    _write_site(root / "a", {
        "/paystack-instant-settlements/": _page("Paystack settles in minutes", STORIES["pay"],
                                                "2024-05-02T09:00:00+00:00"),
        "/solar-debt-round/": _page("Solar kits raise debt", STORIES["solar"],
                                    "2024-05-02T10:00:00+00:00"),
        "/lagos-coding-schools/": _page("Coding schools boom", STORIES["code"],
                                        "2024-05-02T11:00:00+00:00"),
    })  # fmt: skip
    _write_site(root / "b", {
        "/ghana-merchants-paid-faster/": _page("Ghana merchants paid faster", edited,
                                               "2024-05-03T08:00:00+00:00"),
        "/solar-startup-funding/": _page("Solar startup funded", STORIES["solar"],
                                         "2024-05-04T08:00:00+00:00"),
        "/own-story/": _page("Our own reporting", [STORIES["code"][-1], DRONES],
                             "2024-05-05T08:00:00+00:00"),
    })  # fmt: skip
    db = f"sqlite:///{root / 'corpus.db'}"
    with serve(root / "a") as site_a, serve(root / "b") as site_b:
        sources = root / "sources.toml"
        sources.write_text(
            "".join(
                f'[[sources]]\nname = "{name}"\nurl = "{site.base_url}/"\ncountry = "GH"\n'
                f'feeds = ["{site.base_url}/feed.xml"]\n\n'
                for name, site in (("site-a", site_a), ("site-b", site_b))
            ),
            encoding="utf-8",
        )
        result = sankofa("crawl", "--sources", sources, "--db", db, *FAST_LOCAL)
        assert result.returncode == 0, result.stderr[-2000:]
    yield db


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def by_path(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["url"].split("/", 3)[3].strip("/"): row for row in rows}


def test_a_crawl_clusters_copies_across_sources(crawled: str) -> None:
    rows = by_path(export(crawled))
    assert len(rows) == 6
    pay, copy = rows["paystack-instant-settlements"], rows["ghana-merchants-paid-faster"]
    assert copy["cluster_id"] == pay["id"] == pay["cluster_id"]
    assert (copy["near_duplicate_of"], copy["exact_duplicate_of"]) == (pay["id"], None)
    solar, reposted = rows["solar-debt-round"], rows["solar-startup-funding"]
    assert reposted["exact_duplicate_of"] == reposted["near_duplicate_of"] == solar["id"]
    assert solar["near_duplicate_of"] is None and solar["cluster_size"] == 2
    for alone in ("lagos-coding-schools", "own-story"):
        assert rows[alone]["cluster_size"] == 1 and rows[alone]["cluster_id"] == rows[alone]["id"]


def test_duplicates_lists_clusters(crawled: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "duplicates", "--db", crawled, "--format", "json")
    assert status == 0
    document = json.loads(out)
    assert (document["threshold"], document["total"]) == (0.8, 2)
    titles = {c["title"]: c for c in document["clusters"]}
    assert titles["Paystack settles in minutes"]["sources"] == ["site-a", "site-b"]
    assert titles["Solar kits raise debt"]["exact_copies"] == 1
    assert "2 of 2 clusters" in err
    status, out, _ = run(capsys, "duplicates", "--db", crawled, "--source", "site-b")
    assert status == 0 and "Paystack settles in minutes" in out
    status, out, _ = run(capsys, "duplicates", "--db", crawled, "--since", "2024-05-05")
    assert status == 0 and "Paystack" not in out  # no member published since then


def test_one_articles_cluster(crawled: str, capsys: pytest.CaptureFixture[str]) -> None:
    copy = by_path(export(crawled))["ghana-merchants-paid-faster"]
    status, out, _ = run(capsys, "duplicates", "--db", crawled, "--article", str(copy["id"]),
                         "--format", "json")  # fmt: skip
    members = json.loads(out)
    assert status == 0 and [m["title"] for m in members] == [
        "Paystack settles in minutes", "Ghana merchants paid faster"]  # fmt: skip
    status, _, err = run(capsys, "duplicates", "--db", crawled, "--article", "https://x.example/")
    assert status == 2 and "no stored article" in err


def test_export_dedupe_keeps_one_per_cluster(crawled: str) -> None:
    near = by_path(export(crawled, "--dedupe", "near"))
    assert set(near) == {"paystack-instant-settlements", "solar-debt-round",
                         "lagos-coding-schools", "own-story"}  # fmt: skip
    longest = by_path(export(crawled, "--dedupe", "near", "--keep", "longest"))
    assert "ghana-merchants-paid-faster" in longest  # the copy added an intro
    exact = by_path(export(crawled, "--dedupe", "exact"))
    assert len(exact) == 5 and "solar-startup-funding" not in exact
    # Deduplicated among the selection: site B alone keeps its copies.
    only_b = by_path(export(crawled, "--dedupe", "near", "--source", "site-b"))
    assert set(only_b) == {"ghana-merchants-paid-faster", "solar-startup-funding", "own-story"}


def test_search_collapse_shows_one_hit_per_cluster(
    crawled: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "search", "merchants", "--db", crawled, "--format", "json")
    assert status == 0 and json.loads(out)["total"] == 2
    status, out, err = run(capsys, "search", "merchants", "--db", crawled, "--format", "json",
                           "--collapse")  # fmt: skip
    document = json.loads(out)
    assert document["total"] == 1 and document["results"][0]["cluster_size"] == 2
    assert document["results"][0]["title"] == "Paystack settles in minutes"
    assert "1 of 1 story clusters" in err
    status, out, _ = run(capsys, "search", "merchants", "--db", crawled, "--collapse")
    assert "[+1 in cluster]" in out


def test_hf_card_reports_the_share_of_near_duplicates(crawled: str, tmp_path: Path) -> None:
    result = sankofa("export", "--db", crawled, "--format", "hf", "-o", tmp_path / "hf")
    assert result.returncode == 0, result.stderr
    card = (tmp_path / "hf" / "README.md").read_text(encoding="utf-8")
    assert "2 of the 6 articles (33.3%) are near-duplicates" in card
    assert "1 of them exact copies" in card and "MinHash" in card


def test_recluster_and_bad_options(crawled: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "duplicates", "--db", crawled, "--recluster")
    assert status == 0 and "2 clusters hold 4 articles; 0 articles changed cluster" in err
    status, _, err = run(capsys, "duplicates", "--db", crawled, "--threshold", "0.5")
    assert status == 2 and "give it with --recluster" in err
    with pytest.raises(SystemExit) as exited:
        main(["duplicates", "--db", crawled, "--recluster", "--threshold", "1.5"])
    assert exited.value.code == 2
    assert "'1.5' is not a number above 0 and at most 1" in capsys.readouterr().err
    status, _, err = run(capsys, "export", "--db", crawled, "--keep", "longest")
    assert status == 2 and "--keep chooses among copies" in err
