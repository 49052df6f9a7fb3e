"""The pieces that make hostile input harmless, one by one (the whole crawl: test_hostile)."""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from scrapy.exceptions import IgnoreRequest
from trafilatura.utils import repair_faulty_html
from twisted.python.failure import Failure

from crawler import process
from crawler.cli import main as cli
from crawler.cli.common import iso_date, terminal_safe
from crawler.crawl.counters import failure_reason
from crawler.crawl.reextract import _processed, reextract_page
from crawler.dates import parse_date
from crawler.discover.links import article_links, feed_links, page_links
from crawler.discover.listings import (
    MAX_SITEMAP_BYTES,
    SitemapTooLarge,
    parse_feed,
    parse_sitemap,
    sitemaps_in_robots,
)
from crawler.extract.article import extract
from crawler.extract.decoding import decode_html
from crawler.extract.parse import (
    MAX_DEPTH,
    flatten_deep_nesting,
    flatten_markup,
    parse_html,
    repaired_html,
    thin_link_farms,
)
from crawler.extract.sanitize import clean_body, clean_metadata
from crawler.items import Article, FetchedPage, LanguageHints, Processed
from storage.rawpages import StoredPage
from tests.crawling import FAST_LOCAL, sankofa, write_sources
from tests.hostile_site import (
    CASES,
    CP1252_BODY,
    CP1252_TITLE,
    UTF16_TITLE,
    article_html,
    serve_hostile,
    sources_entry,
)

# --- encodings -------------------------------------------------------------------------------


def test_a_page_declaring_utf8_but_sent_as_windows_1252_is_decoded_by_its_bytes() -> None:
    body = article_html(CP1252_TITLE, body=CP1252_BODY).encode("cp1252")
    text = decode_html(body, "text/html; charset=utf-8")
    assert CP1252_TITLE in text and "\ufffd" not in text


def test_utf16_without_a_byte_order_mark_is_recognised() -> None:
    page = article_html(UTF16_TITLE).replace('<meta charset="utf-8">', "")
    for codec in ("utf-16-le", "utf-16-be"):
        assert UTF16_TITLE in decode_html(page.encode(codec), "text/html")


def test_a_cyrillic_code_page_is_not_taken_for_a_latin_one() -> None:
    russian = "Новости о стартапах в Москве и о финтехе в регионах России. " * 6
    body = f'<html><head><meta charset="utf-8"></head><body><p>{russian}</p></body></html>'
    assert russian in decode_html(body.encode("cp1251"), "text/html")


def test_honest_pages_decode_as_before() -> None:
    page = article_html("Café, naïve, €").encode("utf-8")
    assert "Café, naïve, €" in decode_html(page, "text/html; charset=utf-8")
    latin1 = "<html><body><p>Société générale</p></body></html>".encode("latin-1")
    assert "Société générale" in decode_html(latin1, "text/html; charset=iso-8859-1")


# --- characters ------------------------------------------------------------------------------


def test_metadata_loses_controls_and_bidi_overrides_but_keeps_its_words() -> None:
    assert clean_metadata("Start\u202eups\u202c \x00in\tAmman\x1b[31m") == "Startups in Amman[31m"
    assert clean_metadata("ليلى حداد") == "ليلى حداد"


def test_the_body_keeps_right_to_left_text_and_line_breaks() -> None:
    body = "أعلنت شركة\u200f ناشئة\n\nParagraph\x00 two\u202b mixed\u202c"
    assert clean_body(body) == "أعلنت شركة\u200f ناشئة\n\nParagraph two\u202b mixed\u202c"
    assert clean_body("lone \ud800 surrogate") == "lone \ufffd surrogate"


def test_extract_flags_text_that_stays_damaged() -> None:
    clean = extract(article_html("A clean title for a clean story"), "https://a.example/x/")
    damaged = article_html("Damaged", body="<p>" + "Mobile money \ufffd grows. " * 20 + "</p>")
    flagged = extract(damaged, "https://a.example/y/")
    assert isinstance(clean, Article) and clean.text_quality == "ok"
    assert isinstance(flagged, Article) and flagged.text_quality == "replacement_chars"


def test_tables_show_control_characters_as_escapes() -> None:
    assert terminal_safe("a\u202eb\x1b[1mc\x00") == "a\\u202eb\\u001b[1mc\\u0000"
    assert terminal_safe("مرحبا\n") == "مرحبا\n"


# --- markup ----------------------------------------------------------------------------------


def test_fifty_thousand_unclosed_divs_keep_their_article() -> None:
    page = article_html("Deep").replace("<main>", "<main>" + "<div>" * 50_000)
    tree = parse_html(page)
    assert "Mobile money has changed" in tree.text_content()
    article = extract(page, "https://a.example/2024/05/deep-page-here/")
    assert article is not None and article.text.startswith("Mobile money has changed")


def test_flattening_drops_only_layout_tags_past_the_depth() -> None:
    html = "<div>" * 5 + '<p>kept <b>bold</b> <a href="/x">link</a></p>' + "</div>" * 5
    flat = flatten_markup(html, max_depth=2)
    assert flat == '<div><div><p>kept bold <a href="/x">link</a></p></div></div>'


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><p>plain</p></body></html>",
        "<p>bell\x07 and form feed\x0c and \ufffe gone</p>",
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "x/y.dtd">\n<html><p>a</p></html>',
        "<!doctype html/>\n<html><p>\x00nul</p>",
        '<?xml version="1.0"?>\n<html lang="fr" />\n<body><p>self-closed</p></body>',
        "\n\n\n\n<html />\n<p>too far down to be repaired</p>",
        "<p>tab\tline\nreturn\r kept</p>",
    ],
)
def test_the_faster_repair_gives_trafilaturas_text(html: str) -> None:
    assert repaired_html(html) == repair_faulty_html(html, html[:50].lower())


def test_link_runs_are_thinned_only_on_link_flooded_pages() -> None:
    few = parse_html(article_html("x", body="<p>text</p>" + '<a href="/t/">t</a>' * 100))
    assert thin_link_farms(few) == 0
    many = parse_html(article_html("x", body="<p>text</p>" + '<a href="/t/">t</a>' * 6000))
    assert thin_link_farms(many) == 6000 and "text" in many.text_content()
    items = "<ul>" + '<li><a href="/t/">t</a></li>' * 6000 + "</ul>"
    listed = parse_html(article_html("x", body="<p>text</p>" + items))
    assert thin_link_farms(listed) == 6000


# --- sitemaps and feeds ----------------------------------------------------------------------


def _gzip(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def test_a_gzip_bomb_sitemap_stops_at_the_protocol_limit() -> None:
    bomb = _gzip(b'<?xml version="1.0"?><urlset>' + b" " * (MAX_SITEMAP_BYTES + 1024))
    assert len(bomb) < 200_000
    with pytest.raises(SitemapTooLarge):
        parse_sitemap(bomb)
    small = _gzip(b"<urlset><url><loc>https://a.example/2024/05/a-b-c/</loc></url></urlset>")
    assert parse_sitemap(small) == ("urlset", [parse_sitemap(small)[1][0]])


def test_a_plain_sitemap_over_the_limit_is_refused() -> None:
    with pytest.raises(SitemapTooLarge):
        parse_sitemap(b"<urlset>" + b" " * (MAX_SITEMAP_BYTES + 1))


def test_a_billion_laughs_feed_is_read_safely_and_called_malformed() -> None:
    lol = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{n} "{("&l" + str(n - 1) + ";") * 10}">' for n in range(1, 10)
    )
    feed = (
        f'<?xml version="1.0"?><!DOCTYPE rss [{lol}]><rss version="2.0"><channel>'
        "<title>&l9;</title><item><link>https://a.example/2024/05/a-b-c/</link></item>"
        "</channel></rss>"
    )
    parsed = parse_feed(feed.encode())
    assert parsed.malformed
    assert [entry.url for entry in parsed.entries] == ["https://a.example/2024/05/a-b-c/"]
    empty = parse_feed(b'<rss version="2.0"><channel></channel></rss>')
    assert (empty.entries, empty.malformed, empty.next_page) == ([], False, None)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("max redirections reached", ("failures", "redirect_loop")),
        ("redirect loop", ("failures", "redirect_loop")),
        ("Ignored response <200 x> because its body (1 B compressed, 2 B decompressed so far) "
         "exceeded DOWNLOAD_MAXSIZE (1 B) during decompression.", ("failures", "too_large")),
        ("Forbidden by robots.txt", ("skipped", "robots_disallowed")),
        ("something else", ("skipped", "ignored")),
    ],
)  # fmt: skip
def test_ignored_requests_are_named(message: str, expected: tuple[str, str]) -> None:
    assert failure_reason(Failure(IgnoreRequest(message))) == expected


# --- command line ----------------------------------------------------------------------------


def test_since_means_utc_on_the_command_line_as_in_settings() -> None:
    assert iso_date("2024-03-01T10:00") == datetime(2024, 3, 1, 10, tzinfo=UTC)
    assert iso_date("2024-03-01T10:00") == parse_date("2024-03-01T10:00")
    assert iso_date("2024-03-01") == datetime(2024, 3, 1, tzinfo=UTC)
    assert iso_date("2024-03-01T10:00+03:00") == datetime(2024, 3, 1, 7, tzinfo=UTC)


def test_a_crawl_that_fetches_nothing_exits_3_and_a_partial_one_0(tmp_path: Path) -> None:
    dead = "http://127.0.0.1:9"  # discard port: connection refused
    sources = write_sources(tmp_path, dead, name="dead")
    db = f"sqlite:///{tmp_path / 'c.db'}"
    nothing = sankofa("crawl", "--sources", sources, "--db", db, *FAST_LOCAL)
    assert nothing.returncode == 3, nothing.stderr[-2000:]
    assert "no page could be fetched from any source" in nothing.stderr
    with serve_hostile() as site:
        sources.write_text(
            sources.read_text(encoding="utf-8")
            + f'\n[[sources]]\nname = "alive"\nurl = "{site.base_url}/2024/05/'
            'ordinary-article-number-1/"\ncountry = "SN"\n',
            encoding="utf-8",
        )
        partial = sankofa("crawl", "--sources", sources, "--db", db, *FAST_LOCAL)
    assert partial.returncode == 0, partial.stderr[-2000:]
    assert "nothing fetched from 1 of 2 sources: dead" in partial.stderr


def test_search_table_escapes_what_an_old_database_holds(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from storage.db import open_database, session_factory
    from storage.repository import start_run, store_article, sync_sources
    from tests.storage_fixtures import SOURCES, make_record

    url = f"sqlite:///{tmp_path / 's.db'}"
    engine = open_database(url)
    with session_factory(engine)() as session:
        sync_sources(session, SOURCES)
        run_id = start_run(session, ["alpha"], {})
        record = make_record(title="Fintech \u202eevil\u202c in Lagos", crawl_run_id=run_id)
        store_article(session, record)
    engine.dispose()
    assert cli(["search", "--db", url, "Lagos"]) == 0
    out = capsys.readouterr().out
    assert "\u202e" not in out and "Fintech \\u202eevil\\u202c in Lagos" in out


# --- reextract -------------------------------------------------------------------------------


def _stored_page(number: int) -> StoredPage:
    html = article_html(f"Stored article number {number} about payments")
    return StoredPage(
        f"https://a.example/{number}/", "alpha", ("en",), "SN",
        f"https://a.example/{number}/", 200,
        (("Content-Type", "text/html; charset=utf-8"),), html.encode(),
        datetime(2024, 5, 1, tzinfo=UTC),
    )  # fmt: skip


def test_reextract_reads_stored_pages_a_window_at_a_time() -> None:
    pulled = 0

    def pages() -> Iterator[StoredPage]:
        nonlocal pulled
        for number in range(200):
            pulled += 1
            yield _stored_page(number)

    results = _processed(pages(), workers=2)
    url, first = next(results)
    assert url == "https://a.example/0/" and first.article is not None
    assert pulled <= 2 * 8 + 1
    assert sum(1 for _ in results) == 199


def _dies_on_page_three(stored: StoredPage) -> Processed:
    if stored.url.endswith("/3/"):
        os._exit(1)  # what a crash in C, or the out-of-memory killer, does to a worker
    return reextract_page(stored)


def test_a_page_that_kills_its_worker_fails_alone_in_a_reextraction() -> None:
    pages = (_stored_page(number) for number in range(8))
    results = dict(_processed(pages, workers=2, process=_dies_on_page_three))
    assert (results.pop("https://a.example/3/").error or "").startswith("WorkerCrashed")
    assert len(results) == 7 and all(done.article is not None for done in results.values())


def test_a_page_whose_extraction_fails_keeps_its_links(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(tree: Any, url: str) -> Any:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(process, "extract_tree", fail)
    link = "<a href='/2024/05/next-story/'>next</a></body>"
    html = article_html("Payments story").replace("</body>", link)
    when = datetime(2024, 5, 1, tzinfo=UTC)
    url = "https://a.example/2024/05/story/"
    page = FetchedPage(url, "alpha", 200, html.encode(), "text/html", when, link_hops=0)
    done = process.process_page(page, LanguageHints())
    assert done.article is None
    assert done.error is not None
    assert done.error.startswith("RecursionError: maximum recursion depth exceeded (")
    assert done.links is not None and "https://a.example/2024/05/next-story/" in done.links.links


def test_the_sitemap_budget_of_a_source_is_counted_when_spent(tmp_path: Path) -> None:
    with serve_hostile() as site:
        site.only = next(case for case in CASES if case.reason == "sitemap_depth")
        sources = tmp_path / "sources.toml"
        sources.write_text(sources_entry(site), encoding="utf-8")
        result = sankofa(
            "crawl", "--sources", sources, "--db", f"sqlite:///{tmp_path / 'c.db'}",
            *FAST_LOCAL, "-s", "SANKOFA_MAX_SITEMAPS=3",
        )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    skipped = next(line for line in result.stderr.splitlines() if "skipped:" in line)
    assert "sitemap_limit 1" in skipped and "sitemap_depth" not in skipped
    assert site.hits.get("/sitemap-chain-3.xml") is None


BROKEN_HREF_PAGE = (
    b'<html><body><a href="/2024/05/first-story/">one</a><a href="//[">broken</a>'
    b'<a href="https://other.example/x/">two</a><a href="../up/">three</a></body></html>'
)


def test_an_href_no_parser_accepts_costs_only_itself() -> None:
    """`//[` makes urljoin raise: the page's other links must still be found."""
    base = "https://site.example/2024/05/this-story/"
    expected = ["https://site.example/2024/05/first-story/", "https://other.example/x/",
                "https://site.example/2024/05/up/"]  # fmt: skip
    tree = parse_html(BROKEN_HREF_PAGE.decode())
    assert article_links(tree, base, len(BROKEN_HREF_PAGE)).links == expected
    assert [link.url for link in page_links(BROKEN_HREF_PAGE, base)] == expected
    rss = b'<link rel="alternate" type="application/rss+xml" '
    head = (b'<html><head><link rel="alternate" hreflang="fr" href="//[">'
            b'<link rel="alternate" hreflang="sw" href="/sw/story/">'
            + rss + b'href="http://[::1">' + rss + b'href="/feed/"></head></html>')  # fmt: skip
    alternates = article_links(parse_html(head.decode()), base, len(head)).alternates
    assert alternates == ["https://site.example/sw/story/"]
    assert feed_links(head, base) == ["https://site.example/feed/"]
    robots = b"Sitemap: http://[::1\nSitemap: /sitemap.xml\n"
    assert sitemaps_in_robots(robots, base) == ["https://site.example/sitemap.xml"]


def test_only_elements_past_the_depth_limit_are_unwrapped() -> None:
    def page(divs: int) -> Any:  # <html> and <body> are levels 1 and 2
        return lxml.html.fromstring(f"<html><body>{'<div>' * divs}x{'</div>' * divs}</body></html>")

    assert flatten_deep_nesting(page(MAX_DEPTH - 2)) == 0
    assert flatten_deep_nesting(page(MAX_DEPTH - 1)) == 1
    assert flatten_deep_nesting(page(MAX_DEPTH + 8)) == 10
