"""`sankofa serve` through Starlette's test client: pages, the JSON API, downloads, the
read-only engine, the access token, the command line, and a crawl writing beside it."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from lxml import html as lxml_html
from sqlalchemy import text
from starlette.testclient import TestClient

from crawler.web.app import create_app
from crawler.web.reads import Results
from storage.db import StorageError, open_read_only
from tests.local_server import free_port
from tests.web_fixtures import ARABIC_TITLE, build_corpus, corpus_records, serve_corpus

ARTICLES = len(corpus_records())


@pytest.fixture(scope="module")
def corpus_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('serve') / 'corpus.db'}"
    build_corpus(url)
    return url


@pytest.fixture(scope="module")
def client(corpus_url: str) -> Iterator[TestClient]:
    with serve_corpus(corpus_url) as test_client:
        yield test_client


def _page(client: TestClient, path: str) -> lxml_html.HtmlElement:
    response = client.get(path)
    assert response.status_code == 200, response.text[:300]
    return lxml_html.fromstring(response.text)


def _titles(page: lxml_html.HtmlElement) -> list[str]:
    return [a.text_content() for a in page.cssselect("li.hit h3 a")]


# --- pages ------------------------------------------------------------------------------------


def test_the_search_page_without_a_query_lists_the_newest_articles_with_facets(
    client: TestClient,
) -> None:
    page = _page(client, "/")
    assert page.get_element_by_id("total").text == str(ARTICLES)
    titles = _titles(page)
    assert titles[0] == "深圳支付公司进入非洲市场"  # the newest first
    facets = {s.get("data-facet"): s for s in page.cssselect("section.facet")}
    assert set(facets) == {"language", "source", "country", "month", "author"}
    languages = {a.text_content(): a.getnext().text for a in facets["language"].cssselect("a")}
    assert languages["en"] == "3" and languages["ar"] == "1"


def test_a_facet_link_narrows_the_search_and_a_second_click_clears_it(client: TestClient) -> None:
    page = _page(client, "/?q=flutterwave")
    assert page.get_element_by_id("total").text == "3"
    link = next(a for a in page.cssselect("section[data-facet=source] a") if a.text == "wamda")
    narrowed = _page(client, "/" + link.get("href"))
    assert narrowed.get_element_by_id("total").text == "1"
    active = narrowed.cssselect("section[data-facet=source] li.active a")[0]
    assert active.text == "wamda"
    assert _page(client, "/" + active.get("href")).get_element_by_id("total").text == "3"


def test_snippets_mark_the_matches_and_pages_follow_each_other(client: TestClient) -> None:
    page = _page(client, "/?q=flutterwave&limit=2")
    marks = page.cssselect("p.snippet mark")
    assert marks and all(m.text.lower() == "flutterwave" for m in marks)
    following = page.cssselect("a[rel=next]")[0].get("href")
    second = _page(client, "/" + following)
    assert len(_titles(second)) == 1 and second.cssselect("a[rel=prev]")
    assert set(_titles(page)).isdisjoint(_titles(second))


def test_one_per_story_collapses_the_cluster(client: TestClient) -> None:
    page = _page(client, "/?q=flutterwave&collapse=1")
    assert page.get_element_by_id("total").text == "1"
    assert "3 in story" in page.cssselect("li.hit .cluster")[0].text


def test_the_article_page_shows_body_author_language_cluster_revision_and_raw_page(
    client: TestClient,
) -> None:
    page = _page(client, "/articles/1")
    body = page.get_element_by_id("body").text_content()
    assert "Flutterwave announced" in body and "Updated." in body
    assert "Amina covers fintech" in page.cssselect("blockquote.bio")[0].text
    others = page.cssselect("section.author ul a")
    assert others and all(a.get("href").startswith("/articles/") for a in others)
    assert len(page.cssselect("section.cluster li")) == 3
    assert len(page.cssselect("section.revisions tbody tr")) == 1
    assert page.cssselect("a.original")[0].get("href") == "https://techcabal.example/story"
    assert page.cssselect("ul.shares meter")
    raw = client.get(page.cssselect("a.raw")[0].get("href"))
    assert raw.headers["content-type"] == "application/octet-stream"
    assert raw.headers["content-disposition"].startswith("attachment;")
    assert raw.headers["content-security-policy"] == "sandbox"
    assert raw.content.startswith(b"<html><body><h1>Story</h1>")


def test_right_to_left_text_is_marked_for_the_browser(client: TestClient) -> None:
    arabic = next(r for r in corpus_records() if r.title == ARABIC_TITLE)
    found = client.get("/api/search", params={"lang": "ar"}).json()["results"][0]
    page = _page(client, f"/articles/{found['id']}")
    article = page.cssselect("article")[0]
    assert article.get("lang") == "ar"
    assert page.cssselect("h1")[0].get("dir") == "auto"
    paragraphs = page.get_element_by_id("body").cssselect("p")
    assert [p.get("dir") for p in paragraphs] == ["auto"] * len(paragraphs)
    assert paragraphs[0].text == arabic.text.split("\n")[0]


def test_sources_runs_and_charts_pages(client: TestClient) -> None:
    sources = _page(client, "/sources")
    assert {a.text for a in sources.cssselect("table.sources td:first-child > a:first-child")} >= {
        "techcabal", "wamda", "startupbrics"}  # fmt: skip
    assert _page(client, "/runs").cssselect("table.runs")
    charts = _page(client, "/charts")
    assert len(charts.cssselect("figure.chart > svg")) == 2
    bars = charts.cssselect("figure.chart > svg rect")
    assert bars and all(float(b.get("height")) > 0 for b in bars)
    assert "ar" in [s.text for s in charts.cssselect("ul.legend span")]


def test_missing_articles_and_bad_parameters_are_pages_not_tracebacks(client: TestClient) -> None:
    cases = (("/articles/999999", 404), ("/articles/abc", 404), ("/?q=%22open", 400),
             ("/?since=yesterday", 400), ("/?lang=english", 400), ("/?page=0", 400),
             ("/nowhere", 404))  # fmt: skip
    for path, status in cases:
        response = client.get(path)
        assert response.status_code == status, path
        assert "Traceback" not in response.text
        assert response.headers["content-type"].startswith("text/html")


# --- API --------------------------------------------------------------------------------------


def test_api_search_pages_with_a_cursor_through_every_match(client: TestClient) -> None:
    seen: list[int] = []
    cursor = None
    while True:
        params = {"limit": "3", **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/search", params=params).json()
        seen += [hit["id"] for hit in page["results"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert page["total"] == ARTICLES
    assert sorted(seen) == sorted(set(seen)) and len(seen) == ARTICLES


def test_api_search_takes_the_cli_filters_and_gives_facets(client: TestClient) -> None:
    got = client.get("/api/search", params={"q": "flutterwave", "country": "EG", "facets": "1"})
    document = got.json()
    assert [hit["source"] for hit in document["results"]] == ["wamda"]
    assert document["facets"]["by_country"] == {"EG": 1}
    by_author = client.get("/api/search", params={"author": "samir abdelkrim"}).json()
    assert [hit["language"] for hit in by_author["results"]] == ["fr"]
    dated = client.get("/api/search", params={"since": "2024-05-01", "until": "2024-05-15"}).json()
    assert {hit["published"][:10] for hit in dated["results"]} == {"2024-05-10"}


def test_api_article_authors_sources_runs_stats_and_openapi(client: TestClient) -> None:
    article = client.get("/api/articles/1").json()
    assert article["id"] == 1 and article["cluster_size"] == 3
    assert [m["id"] for m in article["cluster"]] == [1, 2, 3]
    assert article["author_record"]["bio"].startswith("Amina")
    assert len(article["revisions"]) == 1 and article["raw_page"] == "/articles/1/raw"
    authors = client.get("/api/authors", params={"limit": "2"}).json()
    assert len(authors["results"]) == 2 and authors["next_cursor"]
    assert {s["name"] for s in client.get("/api/sources").json()["results"]} >= {"techcabal"}
    assert "results" in client.get("/api/runs").json()
    assert client.get("/api/stats", params={"lang": "sw"}).json()["total"] == 2
    spec = client.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert set(spec["paths"]) >= {"/api/search", "/api/articles/{article_id}", "/api/stats"}


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/search?limit=0", 400),
        ("/api/search?cursor=bogus", 400),
        ("/api/search?country=Kenya", 400),
        ("/api/articles/0", 404),
        ("/api/articles/x", 404),
        ("/api/nothing", 404),
        ("/api/search?since=2024-02-01&until=2024-01-01", 400),
    ],
)
def test_api_errors_are_json_with_their_status(client: TestClient, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.json()["error"]["status"] == status
    assert response.json()["error"]["message"]


def test_a_failure_inside_is_a_500_without_a_traceback(
    corpus_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import crawler.web.api as api

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(api, "list_authors", broken)
    with TestClient(create_app(open_read_only(corpus_url)), raise_server_exceptions=False) as c:
        response = c.get("/api/authors")
    assert response.status_code == 500
    assert response.json()["error"]["status"] == 500
    assert "secret" not in response.text and "Traceback" not in response.text


# --- downloads --------------------------------------------------------------------------------


def test_downloads_stream_the_current_query_in_three_formats(client: TestClient) -> None:
    jsonl = client.get("/export.jsonl", params={"lang": "sw"})
    assert jsonl.headers["content-disposition"].startswith("attachment;")
    rows = [json.loads(line) for line in jsonl.text.splitlines()]
    assert sorted(r["language"] for r in rows) == ["sw", "sw"]
    assert {"cluster_id", "near_duplicate_of", "cluster_size"} <= set(rows[0])
    table = list(csv.DictReader(io.StringIO(client.get("/export.csv?q=flutterwave").text)))
    assert len(table) == 3
    parquet = pq.read_table(io.BytesIO(client.get("/export.parquet").content))
    assert parquet.num_rows == ARTICLES
    collapsed = client.get("/export.jsonl", params={"q": "flutterwave", "collapse": "1"})
    assert len(collapsed.text.splitlines()) == 1


def test_a_bad_download_parameter_is_a_400_before_anything_streams(client: TestClient) -> None:
    response = client.get("/export.csv", params={"since": "soon"})
    assert response.status_code == 400 and "since" in response.text


# --- read-only, token, command line -----------------------------------------------------------


def test_the_server_engine_cannot_write(corpus_url: str) -> None:
    engine = open_read_only(corpus_url)
    with engine.connect() as connection, pytest.raises(Exception, match="readonly"):
        connection.execute(text("DELETE FROM articles"))
    engine.dispose()
    check = open_read_only(corpus_url)
    with check.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM articles")).scalar() == ARTICLES
    check.dispose()


def test_a_missing_sqlite_file_is_an_error_not_a_new_corpus(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="no database at"):
        open_read_only(f"sqlite:///{tmp_path / 'none.db'}")
    assert not (tmp_path / "none.db").exists()


def test_with_a_token_requests_without_it_are_refused(corpus_url: str) -> None:
    token = "s3cret-token-123"
    with TestClient(create_app(open_read_only(corpus_url), token=token)) as c:
        assert c.get("/api/stats").status_code == 401
        assert c.get("/api/stats").json()["error"]["status"] == 401
        assert c.get("/", headers={"Authorization": "Bearer wrong-token-00"}).status_code == 401
        headers = {"Authorization": f"Bearer {token}"}
        assert c.get("/api/stats", headers=headers).status_code == 200
        first = c.get(f"/?token={token}")
        assert first.status_code == 200 and "httponly" in first.headers["set-cookie"].lower()
        assert c.get("/sources").status_code == 200  # the cookie carries it on


def _serve(*args: str, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "crawler.cli", "serve", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)


def test_serving_beyond_this_machine_needs_a_token_or_public(corpus_url: str) -> None:
    refused = _serve("--db", corpus_url, "--host", "0.0.0.0")
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and "--token" in refused.stderr
    short = _serve("--db", corpus_url, "--host", "0.0.0.0", "--token", "abc")
    assert short.returncode == 2 and "12 characters" in short.stderr
    missing = _serve("--db", "sqlite:////nonexistent/dir/x.db")
    assert missing.returncode == 2 and "no database at" in missing.stderr
    assert "Traceback" not in refused.stderr + short.stderr + missing.stderr


# --- beside a crawl ---------------------------------------------------------------------------


def _keep_storing(url: str, count: int, errors: multiprocessing.Queue[str]) -> None:
    from dataclasses import replace

    from storage.db import open_database, session_factory
    from storage.repository import store_article

    sessions = session_factory(open_database(url))
    base = corpus_records()[4]
    try:
        for i in range(count):
            with sessions() as session:
                url_i = f"https://startupbrics.example/new-{i}"
                record = replace(base, url=url_i, canonical_url=url_i, content_hash=f"n{i}",
                                 published=base.published + timedelta(minutes=i))  # fmt: skip
                store_article(session, record)
                session.commit()
    except Exception as exc:  # reported to the test, which fails on it
        errors.put(f"{type(exc).__name__}: {exc}")


def test_serving_beside_a_crawl_writing_the_same_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    build_corpus(url)
    context = multiprocessing.get_context("spawn")
    errors: multiprocessing.Queue[str] = context.Queue()
    writer = context.Process(target=_keep_storing, args=(url, 150, errors))
    statuses: list[int] = []
    with TestClient(create_app(open_read_only(url))) as c:
        writer.start()
        while writer.is_alive() or len(statuses) < 20:
            for path in ("/", "/?q=maroc", "/api/search?sort=date", "/feed.atom?lang=fr"):
                statuses.append(c.get(path).status_code)
        writer.join(timeout=60)
        final = c.get("/api/stats", params={"lang": "fr"}).json()["total"]
    assert writer.exitcode == 0 and errors.empty(), errors.get() if not errors.empty() else ""
    assert set(statuses) == {200}
    assert final == 1 + 150


# --- the real server, and PostgreSQL ------------------------------------------------------------


def test_sankofa_serve_answers_over_http_and_stops_on_sigterm(corpus_url: str) -> None:
    import time
    import urllib.request

    port = free_port()
    command = [
        sys.executable,
        "-m",
        "crawler.cli",
        "serve",
        "--db",
        corpus_url,
        "--port",
        str(port),
    ]
    server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stats", timeout=5) as r:
                    assert json.load(r)["total"] == ARTICLES
                    break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "server did not start"
                time.sleep(0.2)
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=20)
    # uvicorn shuts down gracefully, then re-raises the signal so the exit status says so.
    assert server.returncode in (0, -signal.SIGTERM), stderr
    assert "read-only on http://127.0.0.1:" in stderr and "Traceback" not in stderr


def test_serving_a_postgresql_corpus(tmp_path: Path) -> None:
    import os

    from tests.storage_fixtures import PG_SKIP_REASON, PG_URL_ENV, wipe

    url = os.environ.get(PG_URL_ENV)
    if not url:
        pytest.skip(PG_SKIP_REASON)
    wipe(url)
    build_corpus(url)
    engine = open_read_only(url)
    try:
        with TestClient(create_app(engine)) as c:
            assert c.get("/api/stats").json()["total"] == ARTICLES
            hits = c.get("/api/search", params={"q": "flutterwave", "collapse": "1"}).json()
            assert hits["total"] == 1 and hits["results"][0]["cluster_size"] == 3
            page = lxml_html.fromstring(c.get("/?lang=ar").text)
            assert page.get_element_by_id("total").text == "1"
            assert len(c.get("/export.jsonl").text.splitlines()) == ARTICLES
            assert "<entry" in c.get("/feed.atom?lang=fr").text
        with engine.connect() as connection, pytest.raises(Exception, match="read-only"):
            connection.execute(text("DELETE FROM articles"))
    finally:
        engine.dispose()
        wipe(url)


def test_the_search_form_carries_every_filter(client: TestClient) -> None:
    page = _page(client, "/?q=flutterwave&author=Omar+Hassan&include_doubtful=1&lang=en")
    assert page.get_element_by_id("total").text == "1"
    form = page.cssselect("form.search")[0]
    fields = dict(form.form_values())
    assert fields["author"] == "Omar Hassan" and fields["include_doubtful"] == "1"
    assert fields["lang"] == "en" and fields["q"] == "flutterwave"


def test_a_full_page_always_has_a_next_one() -> None:
    """The hits and their total are read on two connections: with a crawl writing
    meanwhile, the total can lag behind the hits, and paging must not stop short."""
    hit = SimpleNamespace()  # only counted
    full = Results(hits=[hit] * 20, total=30, offset=20, limit=20)  # type: ignore[list-item]
    assert full.next_offset == 40
    partial = Results(hits=[hit] * 7, total=27, offset=20, limit=20)  # type: ignore[list-item]
    assert partial.next_offset is None
    assert Results(hits=[], total=0, offset=0, limit=20).next_offset is None
