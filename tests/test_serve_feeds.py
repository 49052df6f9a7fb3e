"""The feeds of `sankofa serve` (/feed.atom, /feed.rss, /feed.json) through Starlette's test
client: what every entry carries, the search parameters, hostile text, characters XML cannot
carry, and validity against each format's specification.

The validators run offline, from files in tests/fixtures/feeds/:
- Atom: RFC 4287's own RELAX NG grammar (Appendix B) with its Schematron rules, in compact
  syntax, converted by rnc2rng and checked with lxml.etree.RelaxNG and lxml.isoschematron;
- RSS 2.0: a RELAX NG grammar with Schematron rules written from the RSS 2.0 specification
  (RSS has no normative schema), checked the same way;
- JSON Feed 1.1: a JSON Schema written from the specification, checked with jsonschema.
What the grammars leave loose (RFC 3339 dates, IRIs, unique ids) is checked here.
feedparser reads the Atom and RSS feeds as a reader would (no feedparser release reads JSON
Feed yet).
"""

from __future__ import annotations

import calendar
import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Final
from urllib.parse import parse_qs, urlsplit

import feedparser
import jsonschema  # type: ignore[import-untyped]
import pytest
import rnc2rng  # type: ignore[import-untyped]
from lxml import etree, isoschematron
from lxml import html as lxml_html
from starlette.testclient import TestClient

from crawler.dedupe.signature import signature
from storage.db import open_database, session_factory
from storage.records import ArticleRecord
from storage.repository import store_article
from tests.web_fixtures import (
    ARABIC_TITLE,
    BASE_DAY,
    HOSTILE_SOURCE,
    JAVASCRIPT_URL,
    SOURCES,
    XSS_IMG,
    XSS_SCRIPT,
    build_corpus,
    corpus_records,
    serve_corpus,
)

FIXTURES: Final = Path(__file__).parent / "fixtures" / "feeds"
KINDS: Final = ("atom", "rss", "json")
MEDIA_TYPES: Final = {
    "atom": "application/atom+xml",
    "rss": "application/rss+xml",
    "json": "application/feed+json",
}
NS: Final = {"atom": "http://www.w3.org/2005/Atom", "dc": "http://purl.org/dc/elements/1.1/"}
XML_LANG: Final = "{http://www.w3.org/XML/1998/namespace}lang"
RECORDS: Final = corpus_records()
BY_TITLE: Final = {record.title: record for record in RECORDS}
COUNTRY: Final = {source.name: source.country for source in SOURCES}
# RFC 3339 section 5.6 (Atom section 3.3: an uppercase T and Z, a time zone required).
RFC3339: Final = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
# Characters an IRI cannot hold (RFC 3987): white space and controls, and <>"{}|\^`.
NOT_IRI: Final = re.compile(r"[\x00-\x20\x7f<>\"{}|\\^`]")
# What XML 1.0 forbids, and the extra article stored with it (a separate corpus).
NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CONTROL_TITLE: Final = "Control\x0bchars\x1fin\x0c a\ufffe title"
CONTROL_TEXT: Final = "Habari\x0b za\x1f leo. Kampuni changa\x0c za Mombasa zimepata mtaji mpya."
CONTROL_AUTHOR: Final = "Zawadi\x0b Mwangi\x1f"


def _newest(keep: Callable[[ArticleRecord], bool] = lambda record: True) -> list[str]:
    """The titles of the corpus articles `keep` selects, newest first."""
    chosen = [record for record in RECORDS if keep(record)]
    return [r.title for r in sorted(chosen, key=lambda r: r.published or BASE_DAY, reverse=True)]


NEWEST_FIRST: Final = _newest()
FLUTTERWAVE: Final = _newest(lambda r: "Flutterwave" in r.text)


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path_factory.mktemp('feeds') / 'corpus.db'}"
    build_corpus(url)
    with serve_corpus(url) as test_client:
        yield test_client


def _control_record() -> ArticleRecord:
    """The newest article, its title, body, summary and author full of XML-forbidden text."""
    base = next(record for record in RECORDS if record.title.startswith("Nairobi"))
    url = "https://techcabal.example/control"
    return replace(
        base,
        url=url,
        canonical_url=url,
        title=CONTROL_TITLE,
        text=CONTROL_TEXT,
        description="A summary\x1fwith\x0bcontrols",
        authors=[CONTROL_AUTHOR],
        content_hash=hashlib.sha256(CONTROL_TEXT.encode()).hexdigest(),
        minhash=signature(CONTROL_TEXT),
        published=BASE_DAY + timedelta(days=90),
        fetched_at=BASE_DAY + timedelta(days=90, hours=1),
    )


@pytest.fixture(scope="module")
def control_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path_factory.mktemp('feeds-control') / 'corpus.db'}"
    build_corpus(url)
    writer = open_database(url)
    with session_factory(writer)() as session:
        store_article(session, _control_record())
        session.commit()
    writer.dispose()
    with serve_corpus(url) as test_client:
        yield test_client


# --- reading the feeds -------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One entry as its format spells it, read straight from the document."""

    id: str
    title: str
    link: str
    source: str
    authors: list[str]
    language: str
    published: datetime
    summary: str  # plain text (RSS: the text of the description's HTML)


def _fetch(client: TestClient, kind: str, query: str = "") -> bytes:
    response = client.get(f"/feed.{kind}" + (f"?{query}" if query else ""))
    assert response.status_code == 200, response.text[:300]
    media_type, _, charset = response.headers["content-type"].partition(";")
    assert media_type == MEDIA_TYPES[kind]
    assert charset.strip().lower() == "charset=utf-8"
    return response.content


def _html_text(markup: str) -> str:
    """The text of an HTML fragment (an RSS description), asserting it holds no element."""
    if not markup:
        return ""
    fragment = lxml_html.fragment_fromstring(markup, create_parent="div")
    assert len(fragment) == 0, f"markup in a description: {markup!r}"
    return str(fragment.text_content())


def _atom_entries(body: bytes) -> list[Entry]:
    root = etree.fromstring(body)
    return [
        Entry(
            id=entry.findtext("atom:id", namespaces=NS),
            title=entry.findtext("atom:title", namespaces=NS),
            link=entry.find("atom:link[@rel='alternate']", NS).get("href"),
            source=entry.findtext("atom:source/atom:title", namespaces=NS),
            authors=[name.text or "" for name in entry.findall("atom:author/atom:name", NS)],
            language=entry.get(XML_LANG, ""),
            published=datetime.fromisoformat(entry.findtext("atom:published", namespaces=NS)),
            summary=entry.findtext("atom:summary", namespaces=NS),
        )
        for entry in root.findall("atom:entry", NS)
    ]


def _rss_entries(body: bytes) -> list[Entry]:
    root = etree.fromstring(body)
    return [
        Entry(
            id=item.findtext("guid"),
            title=item.findtext("title"),
            link=item.findtext("link"),
            source=item.findtext("source"),
            authors=[creator.text or "" for creator in item.findall("dc:creator", NS)],
            language=item.findtext("dc:language", default="", namespaces=NS),
            published=parsedate_to_datetime(item.findtext("pubDate")),
            summary=_html_text(item.findtext("description")),
        )
        for item in root.findall("channel/item")
    ]


def _json_entries(body: bytes) -> list[Entry]:
    return [
        Entry(
            id=item["id"],
            title=item["title"],
            link=item["url"],
            source=item["_sankofa"]["source"],
            authors=[author["name"] for author in item.get("authors", [])],
            language=item.get("language", ""),
            published=datetime.fromisoformat(item["date_published"]),
            summary=item["summary"],
        )
        for item in json.loads(body)["items"]
    ]


READERS: Final[dict[str, Callable[[bytes], list[Entry]]]] = {
    "atom": _atom_entries,
    "rss": _rss_entries,
    "json": _json_entries,
}


def _entries(client: TestClient, kind: str, query: str = "") -> list[Entry]:
    return READERS[kind](_fetch(client, kind, query))


def _flat(text: str) -> str:
    return " ".join(text.split())


# --- validators --------------------------------------------------------------------------------


@functools.cache
def _xml_validators(name: str) -> tuple[etree.RelaxNG, isoschematron.Schematron]:
    """The RELAX NG grammar and the Schematron rules of the compact schema `name`."""
    grammar = rnc2rng.dumps(rnc2rng.loads((FIXTURES / name).read_text(encoding="utf-8")))
    # rnc2rng declares the empty namespace as xmlns:local="", which XML Namespaces forbid;
    # the grammar names that namespace with ns="" and never through the prefix.
    grammar = re.sub(r'\s+xmlns:local=""', "", grammar)
    document = etree.fromstring(grammar.encode())
    return etree.RelaxNG(document), isoschematron.Schematron(document)


SCHEMAS: Final = {"atom": "atom-rfc4287.rnc", "rss": "rss-2.0.rnc"}


def _xml_errors(kind: str, document: etree._Element) -> list[str]:
    relaxng, schematron = _xml_validators(SCHEMAS[kind])
    errors = [] if relaxng.validate(document) else [str(e) for e in relaxng.error_log]
    if not schematron.validate(document):
        errors += [str(e) for e in schematron.error_log]
    return errors


@functools.cache
def _json_feed_validator() -> jsonschema.protocols.Validator:
    schema = json.loads((FIXTURES / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _json_errors(document: Any) -> list[str]:
    errors = _json_feed_validator().iter_errors(document)
    return [f"{list(error.absolute_path)}: {error.message}" for error in errors]


def _atom_rfc_errors(root: etree._Element) -> list[str]:
    """What RFC 4287 says in prose and its grammar does not check."""
    errors = []
    for date in root.xpath("//atom:updated | //atom:published", namespaces=NS):
        if not RFC3339.fullmatch(date.text or ""):  # section 3.3
            errors.append(f"not an RFC 3339 date: {date.text!r}")
    for iri in root.xpath("//atom:id/text() | //atom:link/@href", namespaces=NS):
        if NOT_IRI.search(iri) or not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri):
            errors.append(f"not an absolute IRI: {iri!r}")  # sections 4.2.6, 4.2.7.1
    ids = root.xpath("atom:entry/atom:id/text()", namespaces=NS)
    if len(ids) != len(set(ids)):
        errors.append(f"entries share an atom:id: {ids}")
    for parent in [root, *root.findall("atom:entry", NS)]:  # sections 4.1.1 and 4.1.2
        alternates = [(link.get("type"), link.get("hreflang"))
                      for link in parent.findall("atom:link", NS)
                      if link.get("rel", "alternate") == "alternate"]  # fmt: skip
        if len(alternates) != len(set(alternates)):
            errors.append(f"two alternate links of one type and language in {parent.tag}")
    return errors


def _rss_extra_errors(root: etree._Element) -> list[str]:
    guids = root.xpath("channel/item/guid/text()")
    return [f"items share a guid: {guids}"] if len(guids) != len(set(guids)) else []


def _assert_valid(kind: str, body: bytes) -> None:
    if kind == "json":
        assert _json_errors(json.loads(body)) == []
        return
    root = etree.fromstring(body)
    assert _xml_errors(kind, root) == []
    extra = _atom_rfc_errors(root) if kind == "atom" else _rss_extra_errors(root)
    assert extra == []
    parsed = feedparser.parse(body, response_headers={"content-type": MEDIA_TYPES[kind]})
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == {"atom": "atom10", "rss": "rss20"}[kind]


# --- what every entry carries -----------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_each_feed_lists_every_article_newest_first_with_its_media_type(
    client: TestClient, kind: str
) -> None:
    entries = _entries(client, kind)
    assert [entry.title for entry in entries] == NEWEST_FIRST
    published = [entry.published for entry in entries]
    assert published == sorted(published, reverse=True)


@pytest.mark.parametrize("kind", KINDS)
def test_every_entry_carries_title_source_author_language_date_summary_and_original_link(
    client: TestClient, kind: str
) -> None:
    for entry in _entries(client, kind):
        record = BY_TITLE[entry.title]
        assert entry.source == record.source
        assert entry.language == record.language
        assert entry.published == record.published
        assert entry.published.utcoffset() == timedelta(0)
        expected_summary = _flat(record.description or record.text)
        assert _flat(entry.summary)[:40] == expected_summary[:40]
        if record.authors:
            assert entry.authors == record.authors
        elif kind == "atom":  # RFC 4287 requires an author: the publication stands in
            assert entry.authors == [record.source]
        else:
            assert entry.authors == []
        if record.url == JAVASCRIPT_URL:  # never linked: our page of the article instead
            match = re.fullmatch(r"http://testserver(/articles/\d+)", entry.link)
            assert match, entry.link
            page = client.get(match[1])
            assert page.status_code == 200
            assert record.title in lxml_html.fromstring(page.text).text_content()
        else:
            assert entry.link == record.url
        assert entry.id == record.canonical_url


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_feedparser_reads_each_entry_as_a_reader_would(client: TestClient, kind: str) -> None:
    body = _fetch(client, kind)
    parsed = feedparser.parse(body, response_headers={"content-type": MEDIA_TYPES[kind]})
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert [entry.title for entry in parsed.entries] == NEWEST_FIRST
    ours = {entry.title: entry for entry in READERS[kind](body)}
    for entry in parsed.entries:
        record = BY_TITLE[entry.title]
        assert entry.link == ours[entry.title].link
        published = calendar.timegm(entry.published_parsed)  # a UTC struct_time
        assert datetime.fromtimestamp(published, UTC) == record.published
        assert entry.summary
        assert [author["name"] for author in entry.get("authors", [])] == (
            ours[entry.title].authors
        )
        if kind == "atom":
            assert entry.title_detail.language == record.language
            assert entry.source.title == record.source
        else:
            assert entry.source.title == record.source
            assert entry.source.href.startswith(("http://", "https://"))


@pytest.mark.parametrize("kind", KINDS)
def test_the_feed_names_the_query_and_points_at_itself(client: TestClient, kind: str) -> None:
    query = "q=flutterwave&lang=en"
    body = _fetch(client, kind, query)
    feed_url, search_url = f"http://testserver/feed.{kind}?{query}", f"http://testserver/?{query}"
    if kind == "json":
        document = json.loads(body)
        assert document["title"] == "Sankofa: flutterwave"
        assert (document["feed_url"], document["home_page_url"]) == (feed_url, search_url)
    elif kind == "atom":
        root = etree.fromstring(body)
        assert root.findtext("atom:title", namespaces=NS) == "Sankofa: flutterwave"
        assert root.findtext("atom:id", namespaces=NS) == feed_url
        assert root.find("atom:link[@rel='self']", NS).get("href") == feed_url
        assert root.find("atom:link[@rel='alternate']", NS).get("href") == search_url
    else:
        root = etree.fromstring(body)
        assert root.findtext("channel/title") == "Sankofa: flutterwave"
        assert root.findtext("channel/link") == search_url


# --- the search parameters ---------------------------------------------------------------------


APRIL_10: Final = datetime(2024, 4, 10, tzinfo=UTC)
SELECTIONS: Final = {
    "lang=ar": [ARABIC_TITLE],
    "lang=sw&lang=zh": _newest(lambda r: r.language in ("sw", "zh")),
    "q=flutterwave": FLUTTERWAVE,
    "q=flutterwave&sort=relevance": FLUTTERWAVE,  # a feed is newest first whatever the sort
    "q=flutterwave&source=wamda": ["Flutterwave telecom partnership"],
    "source=wamda": _newest(lambda r: r.source == "wamda"),
    "country=MA": _newest(lambda r: COUNTRY[r.source] == "MA"),
    "country=ke": _newest(lambda r: COUNTRY[r.source] == "KE"),
    "since=2024-04-10": _newest(lambda r: (r.published or BASE_DAY) >= APRIL_10),
    "since=2024-04-10&lang=sw": _newest(
        lambda r: (r.published or BASE_DAY) >= APRIL_10 and r.language == "sw"
    ),
    "limit=2": NEWEST_FIRST[:2],
    "limit=2&page=2": NEWEST_FIRST[2:4],
    "q=zzzznomatch": [],
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("query", list(SELECTIONS))
def test_the_search_parameters_select_and_limit_the_entries(
    client: TestClient, kind: str, query: str
) -> None:
    assert SELECTIONS[query] or query.startswith("q=zzz")  # each case selects something
    assert [entry.title for entry in _entries(client, kind, query)] == SELECTIONS[query]


BAD_PARAMETERS: Final = {
    "limit=0": "limit",
    "limit=abc": "limit",
    "limit=201": "limit",
    "lang=english!": "lang",
    "country=Kenya": "country",
    "since=notadate": "since",
    "since=2024-05-01&until=2024-04-01": "since",
    "sort=bogus": "sort",
    "q=%22unclosed": "q",
    "page=0": "page",
    "cursor=!!": "cursor",
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("query", list(BAD_PARAMETERS))
def test_a_bad_parameter_is_a_400_naming_it(client: TestClient, kind: str, query: str) -> None:
    response = client.get(f"/feed.{kind}?{query}")
    assert response.status_code == 400
    if kind == "json":
        assert response.headers["content-type"] == "application/json"
        error = response.json()["error"]
        assert error["status"] == 400
        assert error["message"].startswith(BAD_PARAMETERS[query])
    else:
        assert response.headers["content-type"].startswith("text/html")
        assert BAD_PARAMETERS[query] in response.text


# --- hostile text ------------------------------------------------------------------------------


HOSTILE: Final = next(record for record in RECORDS if record.url == JAVASCRIPT_URL)


def _element_names(root: etree._Element) -> set[str]:
    return {etree.QName(element).localname for element in root.iter(etree.Element)}


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_hostile_text_is_escaped_text_in_the_xml_feeds(client: TestClient, kind: str) -> None:
    body = _fetch(client, kind)
    for raw in (b"<script", b"<img", b"javascript:"):  # quotes in text are only text
        assert raw not in body.lower()
    root = etree.fromstring(body)
    assert not _element_names(root) & {"script", "img"}
    hostile = next(entry for entry in READERS[kind](body) if entry.source == HOSTILE_SOURCE)
    assert hostile.title == HOSTILE.title  # escaped once, read back exactly
    assert hostile.authors == HOSTILE.authors
    assert XSS_SCRIPT in hostile.summary and XSS_IMG in hostile.summary
    links = root.xpath("//atom:link/@href", namespaces=NS) + root.xpath("//link/text()")
    links += root.xpath("//source/@url") + root.xpath("//guid[@isPermaLink='true']/text()")
    assert links
    assert all(link.startswith(("http://", "https://")) for link in links), links


def test_atom_text_is_declared_plain_text(client: TestClient) -> None:
    root = etree.fromstring(_fetch(client, "atom"))
    # No type="html" or "xhtml": a reader must show the text, not render it (RFC 4287 3.1.1).
    assert root.xpath("//atom:*[@type='html' or @type='xhtml']", namespaces=NS) == []
    assert "script" not in _element_names(root.find("atom:entry/atom:summary", NS))


def test_rss_descriptions_are_html_that_shows_the_text_and_runs_nothing(
    client: TestClient,
) -> None:
    body = _fetch(client, "rss")
    root = etree.fromstring(body)
    for description in root.xpath("channel/item/description/text()"):
        _html_text(description)  # text only: no element once read as HTML
    parsed = feedparser.parse(body, response_headers={"content-type": MEDIA_TYPES["rss"]})
    hostile = next(entry for entry in parsed.entries if entry.title == HOSTILE.title)
    assert hostile.summary_detail.type == "text/html"
    assert "<script" not in hostile.summary and "<img" not in hostile.summary
    assert "&lt;script&gt;" in hostile.summary and "&lt;img src=x" in hostile.summary


def test_the_rss_source_of_an_unlinkable_site_is_our_feed_of_it(client: TestClient) -> None:
    root = etree.fromstring(_fetch(client, "rss"))
    source = next(s for s in root.iter("source") if s.text == HOSTILE_SOURCE)
    url = urlsplit(source.get("url"))
    assert (url.scheme, url.netloc, url.path) == ("http", "testserver", "/feed.rss")
    assert parse_qs(url.query) == {"source": [HOSTILE_SOURCE]}
    assert [e.title for e in _entries(client, "rss", url.query)] == [HOSTILE.title]


def test_hostile_text_in_the_json_feed_is_plain_text(client: TestClient) -> None:
    body = _fetch(client, "json")
    assert b"javascript:" not in body
    items = json.loads(body)["items"]
    assert all("content_html" not in item for item in items)  # plain text only
    hostile = next(item for item in items if item["_sankofa"]["source"] == HOSTILE_SOURCE)
    assert hostile["title"] == HOSTILE.title
    assert hostile["authors"] == [{"name": name} for name in HOSTILE.authors]
    assert XSS_SCRIPT in hostile["content_text"]
    urls = [item["url"] for item in items] + [json.loads(body)["home_page_url"]]
    assert all(url.startswith(("http://", "https://")) for url in urls)


# --- characters XML cannot carry ---------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_characters_xml_forbids_do_not_break_the_feeds(
    control_client: TestClient, kind: str
) -> None:
    body = _fetch(control_client, kind, "limit=3")
    _assert_valid(kind, body)
    # XML cannot carry them at all; JSON must escape the controls (RFC 8259 section 7).
    if kind == "json":
        assert not re.search(b"[\x00-\x1f]", body)
    else:
        assert not NOT_XML.search(body.decode())
    newest = READERS[kind](body)[0]
    if kind == "json":  # JSON carries every character: read back exactly
        assert (newest.title, newest.authors) == (CONTROL_TITLE, [CONTROL_AUTHOR])
    else:  # each forbidden character became a space: the words stay apart
        assert newest.title.split() == ["Control", "chars", "in", "a", "title"]
        assert [name.split() for name in newest.authors] == [["Zawadi", "Mwangi"]]
        assert newest.summary.split() == ["A", "summary", "with", "controls"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_forbidden_character_in_the_query_does_not_break_the_feed(
    client: TestClient, kind: str
) -> None:
    body = _fetch(client, kind, "q=flutterwave%0b")
    _assert_valid(kind, body)
    assert [entry.title for entry in READERS[kind](body)] == FLUTTERWAVE


# --- validity ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "query", ["", "lang=ar", "q=flutterwave", "country=KE", "q=zzzznomatch", "limit=1"]
)
def test_each_feed_is_valid_per_its_specification(
    client: TestClient, kind: str, query: str
) -> None:
    _assert_valid(kind, _fetch(client, kind, query))


def _without(root: etree._Element, xpath: str) -> etree._Element:
    for node in root.xpath(xpath, namespaces=NS):
        node.getparent().remove(node)
    return root


def test_the_atom_validators_catch_what_rfc_4287_forbids(client: TestClient) -> None:
    body = _fetch(client, "atom")
    assert _xml_errors("atom", etree.fromstring(body)) == []
    no_authors = _without(etree.fromstring(body), "//atom:author")
    assert any("must have an atom:author" in e for e in _xml_errors("atom", no_authors))
    no_links = _without(etree.fromstring(body), "atom:entry/atom:link")
    assert any("atom:link" in e for e in _xml_errors("atom", no_links))
    no_id = _without(etree.fromstring(body), "atom:entry[1]/atom:id")
    assert _xml_errors("atom", no_id)
    bad_date = etree.fromstring(body)
    bad_date.find("atom:entry/atom:updated", NS).text = "2024-05-20T09:00:00"  # no zone
    assert _xml_errors("atom", bad_date) == []  # xsd:dateTime lets it through...
    assert _atom_rfc_errors(bad_date)  # ...RFC 3339 does not
    bad_id = etree.fromstring(body)
    bad_id.find("atom:entry/atom:id", NS).text = "urn:x:evil<img src=x>"
    assert _atom_rfc_errors(bad_id)


def test_the_rss_validators_catch_what_the_rss_2_specification_forbids(
    client: TestClient,
) -> None:
    body = _fetch(client, "rss")
    assert _xml_errors("rss", etree.fromstring(body)) == []
    bare = _without(etree.fromstring(body), "channel/item[1]/title | channel/item[1]/description")
    assert any("title or description" in e for e in _xml_errors("rss", bare))
    assert _xml_errors("rss", _without(etree.fromstring(body), "channel/description"))
    no_source_url = etree.fromstring(body)
    del no_source_url.find("channel/item/source").attrib["url"]
    assert _xml_errors("rss", no_source_url)
    bad_date = etree.fromstring(body)
    bad_date.find("channel/item/pubDate").text = "2024-05-20T09:00:00Z"
    assert _xml_errors("rss", bad_date)
    no_namespace = etree.fromstring(body)
    etree.SubElement(no_namespace.find("channel/item"), "creator").text = "x"
    assert _xml_errors("rss", no_namespace)


def test_the_json_feed_schema_catches_what_json_feed_1_1_forbids(client: TestClient) -> None:
    document = json.loads(_fetch(client, "json"))
    assert _json_errors(document) == []
    broken: list[Callable[[dict[str, Any]], object]] = [
        lambda d: d.pop("version"),
        lambda d: d.update(version="https://jsonfeed.org/version/1"),
        lambda d: d.pop("items"),
        lambda d: d["items"][0].pop("id"),
        lambda d: d["items"][0].pop("content_text"),
        lambda d: d["items"][0].update(date_published="2024-05-20 09:00"),
        lambda d: d["items"][0].update(authors=[{}]),
        lambda d: d["items"][0].update(url="/articles/1"),
        lambda d: d["items"][0].update(source="techcabal"),  # not a member: not _prefixed
    ]
    for breaks in broken:
        changed = json.loads(json.dumps(document))
        breaks(changed)
        assert _json_errors(changed), breaks
