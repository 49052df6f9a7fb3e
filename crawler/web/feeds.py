"""Aggregated news feeds for any query: Atom (RFC 4287), RSS 2.0 and JSON Feed 1.1.

The parameters are the search's; entries are the newest matches first. Each entry carries
the title, source, author, language, publication date, a summary and the original link.
"""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from crawler.web.pages import request_query
from crawler.web.reads import results
from crawler.web.textsafety import language_tag, safe_url
from storage.browse import EntryDetails, entry_details
from storage.search.api import SearchHit

if TYPE_CHECKING:
    from crawler.web.app import Site

FEED_LIMIT: Final = 50
ATOM: Final = "http://www.w3.org/2005/Atom"
DC: Final = "http://purl.org/dc/elements/1.1/"
XML_LANG: Final = "{http://www.w3.org/XML/1998/namespace}lang"
# Characters XML 1.0 cannot carry at all (escaping does not help): each becomes a space in
# feed text, so that the words they separated stay apart.
_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def routes(site: Site) -> list[Route]:
    def feed(kind: str) -> Any:
        def handler(request: Request) -> Response:
            query = request_query(request, default_limit=FEED_LIMIT)
            with site.sessions() as session:
                found = results(session, query, newest_first=True)
                details = entry_details(session, [hit.id for hit in found.hits])
            entries = [(hit, details[hit.id]) for hit in found.hits if hit.id in details]
            title = f"Sankofa: {query.text}" if query.text else "Sankofa: newest articles"
            body, media_type = _WRITERS[kind](request, title, entries)
            return Response(body, media_type=media_type)

        return handler

    return [Route(f"/feed.{kind}", feed(kind), name=f"feed_{kind}") for kind in _WRITERS]


def _xml(text: str | None) -> str:
    return _NOT_XML.sub(" ", text or "")


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _entry_link(request: Request, hit: SearchHit) -> str:
    """The original article, or our page of it when the stored URL is not http(s)."""
    return safe_url(hit.url) or str(request.url_for("article", article_id=str(hit.id)))


def _updated(hit: SearchHit, details: EntryDetails) -> datetime:
    return details.modified or hit.published or details.fetched_at


def _atom(
    request: Request, title: str, entries: list[tuple[SearchHit, EntryDetails]]
) -> tuple[bytes, str]:
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})  # Atom as the default
    _sub(feed, "title", title)
    _sub(feed, "id", str(request.url))
    etree.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=str(request.url))
    etree.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html",
                  href=str(request.url.replace(path="/")))  # fmt: skip
    newest = max((_updated(h, d) for h, d in entries), default=datetime.now(UTC))
    _sub(feed, "updated", _iso(newest))
    _sub(feed, "generator", "Sankofa")
    for hit, details in entries:
        entry = etree.SubElement(feed, f"{{{ATOM}}}entry")
        if tag := language_tag(hit.language):
            entry.set(XML_LANG, tag)
        _sub(entry, "title", hit.title or "(untitled)")
        etree.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=_entry_link(request, hit))
        _sub(entry, "id", safe_url(details.canonical_url) or f"urn:sankofa:article:{hit.id}")
        _sub(entry, "updated", _iso(_updated(hit, details)))
        if hit.published is not None:
            _sub(entry, "published", _iso(hit.published))
        for name in details.authors or [hit.source]:
            _sub(etree.SubElement(entry, f"{{{ATOM}}}author"), "name", name)
        _sub(entry, "summary", _summary(hit, details))
        source = etree.SubElement(entry, f"{{{ATOM}}}source")
        _sub(source, "id", safe_url(details.source_url) or _source_urn(hit.source))
        _sub(source, "title", hit.source)
        _sub(source, "updated", _iso(_updated(hit, details)))
    return _serialise(feed), "application/atom+xml; charset=utf-8"


def _rss(
    request: Request, title: str, entries: list[tuple[SearchHit, EntryDetails]]
) -> tuple[bytes, str]:
    rss = etree.Element("rss", version="2.0", nsmap={"dc": DC, "atom": ATOM})
    channel = etree.SubElement(rss, "channel")
    self_link = {"rel": "self", "type": "application/rss+xml", "href": str(request.url)}
    etree.SubElement(channel, f"{{{ATOM}}}link", self_link)  # RSS Best Practices: self link
    _plain(channel, "title", title)
    _plain(channel, "link", str(request.url.replace(path="/")))
    _plain(channel, "description", "Articles collected by Sankofa, newest first")
    _plain(channel, "generator", "Sankofa")
    for hit, details in entries:
        item = etree.SubElement(channel, "item")
        _plain(item, "title", hit.title or "(untitled)")
        _plain(item, "link", _entry_link(request, hit))
        guid = safe_url(details.canonical_url)
        _plain(item, "guid", guid or f"urn:sankofa:article:{hit.id}").set(
            "isPermaLink", "true" if guid else "false"
        )
        if hit.published is not None:
            _plain(item, "pubDate", format_datetime(hit.published.astimezone(UTC), usegmt=True))
        # Readers take an RSS description as HTML: the plain-text summary is escaped for
        # HTML first, so that markup in an article's text is shown, never run.
        _plain(item, "description", html.escape(_summary(hit, details), quote=False))
        for name in details.authors:
            _plain(item, f"{{{DC}}}creator", name)
        if tag := language_tag(hit.language):
            _plain(item, f"{{{DC}}}language", tag)
        # <source> requires a url: the source's site, or (when that is not an http(s)
        # address) our own feed of the source's articles.
        source_feed = request.url_for("feed_rss").include_query_params(source=hit.source)
        source_url = safe_url(details.source_url) or str(source_feed)
        _plain(item, "source", hit.source).set("url", source_url)
    return _serialise(rss), "application/rss+xml; charset=utf-8"


def _json_feed(
    request: Request, title: str, entries: list[tuple[SearchHit, EntryDetails]]
) -> tuple[bytes, str]:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": str(request.url.replace(path="/")),
        "feed_url": str(request.url),
        "items": [_json_item(request, hit, details) for hit, details in entries],
    }
    return json.dumps(document, ensure_ascii=False).encode(), "application/feed+json; charset=utf-8"


def _json_item(request: Request, hit: SearchHit, details: EntryDetails) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": safe_url(details.canonical_url) or f"urn:sankofa:article:{hit.id}",
        "url": _entry_link(request, hit),
        "title": hit.title,
        "summary": _summary(hit, details),
        "content_text": _summary(hit, details),
        "date_modified": _iso(_updated(hit, details)),
        "authors": [{"name": name} for name in details.authors],
        "_sankofa": {"source": hit.source, "article_id": hit.id, "cluster_size": hit.cluster_size},
    }
    if hit.published is not None:
        item["date_published"] = _iso(hit.published)
    if tag := language_tag(hit.language):
        item["language"] = tag
    if not item["authors"]:
        del item["authors"]
    return item


def _source_urn(name: str) -> str:
    """An IRI for a source without an http(s) address: its name percent-encoded."""
    return f"urn:sankofa:source:{quote(name, safe='')}"


def _summary(hit: SearchHit, details: EntryDetails) -> str:
    return _xml((details.description or "").strip() or hit.snippet.text)


def _sub(parent: Any, name: str, text: str) -> Any:
    return _plain(parent, f"{{{ATOM}}}{name}", text)


def _plain(parent: Any, name: str, text: str) -> Any:
    element = etree.SubElement(parent, name)
    element.text = _xml(text)
    return element


def _serialise(root: Any) -> bytes:
    return bytes(etree.tostring(root, encoding="utf-8", xml_declaration=True))


_WRITERS: Final = {"atom": _atom, "rss": _rss, "json": _json_feed}
