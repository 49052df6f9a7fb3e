"""Untrusted text through `sankofa serve`: XSS payloads planted in titles, bodies, bios,
author names, tags, source names and URLs (tests/web_fixtures.py) never come out as markup,
`javascript:` URLs never become links, and hostile query strings stay data (bound parameters).

Checked on the parsed pages, structurally: whatever the escaping, no element, attribute or
link may exist that we did not write.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from lxml import html as lxml_html
from starlette.testclient import TestClient

from tests.web_fixtures import HOSTILE_SOURCE, XSS_IMG, XSS_SCRIPT, build_corpus, serve_corpus

OUR_SCRIPT = "/static/enhance.js"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path_factory.mktemp('safety') / 'corpus.db'}"
    build_corpus(url)
    with serve_corpus(url) as test_client:
        yield test_client


def _hostile_id(client: TestClient) -> int:
    hits = client.get("/api/search", params={"source": HOSTILE_SOURCE}).json()["results"]
    assert len(hits) == 1
    return int(hits[0]["id"])


def _pages(client: TestClient) -> list[str]:
    hostile = _hostile_id(client)
    return ["/", "/?q=pwned", "/?q=body", f"/?source={HOSTILE_SOURCE}", "/?lang=sw",
            f"/articles/{hostile}", "/sources", "/runs", "/charts",
            f"/charts?source={HOSTILE_SOURCE}", f"/?q={XSS_SCRIPT}"]  # fmt: skip


def _assert_nothing_we_did_not_write(markup: str, path: str) -> None:
    assert XSS_SCRIPT not in markup and "<img src=x" not in markup, path
    tree = lxml_html.fromstring(markup)
    scripts = [s.get("src") for s in tree.iter("script")]
    assert scripts == [OUR_SCRIPT], path
    assert not list(tree.iter("img", "iframe", "object", "embed")), path
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        handlers = [name for name in element.attrib if name.lower().startswith("on")]
        assert not handlers, f"{path}: <{element.tag} {handlers}>"
        for name in ("href", "src", "action", "formaction"):
            value = (element.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), path


def test_no_page_carries_markup_or_links_from_the_corpus(client: TestClient) -> None:
    for path in _pages(client):
        response = client.get(path)
        assert response.status_code in (200, 400), path
        _assert_nothing_we_did_not_write(response.text, path)


def test_the_hostile_article_shows_its_text_as_text(client: TestClient) -> None:
    page = lxml_html.fromstring(client.get(f"/articles/{_hostile_id(client)}").text)
    assert XSS_SCRIPT in page.cssselect("h1")[0].text_content()
    assert XSS_IMG in page.get_element_by_id("body").text_content()
    assert XSS_IMG in page.cssselect("blockquote.bio")[0].text_content()
    assert not page.cssselect("a.original")  # its javascript: URL is shown, not linked
    assert page.cssselect("span.unsafe-url")[0].text.startswith("javascript:")


def test_every_response_forbids_inline_script_and_sniffing(client: TestClient) -> None:
    for path in ("/", "/api/stats", "/feed.atom", "/export.csv", "/nowhere"):
        headers = client.get(path).headers
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, path
        assert headers["x-content-type-options"] == "nosniff", path


@pytest.mark.parametrize(
    "value",
    [
        "' OR 1=1 --",
        "'; DROP TABLE articles; --",
        '") UNION SELECT * FROM sources --',
        "%' OR '%'='",
        "1; DELETE FROM articles",
    ],
)
def test_hostile_query_strings_stay_data(client: TestClient, value: str) -> None:
    for params in ({"q": value}, {"source": value}, {"author": value}):
        response = client.get("/api/search", params=params)
        assert response.status_code in (200, 400)
        if response.status_code == 200 and "q" not in params:
            assert response.json()["total"] == 0
    assert client.get("/api/stats").json()["total"] == 8  # nothing was dropped or deleted
