"""What a page declares about itself, read once from the intact tree: its <meta> contents,
its <link> relations, its JSON-LD nodes and the Article node among them. PURE.

``crawler.extract.metadata`` and ``crawler.extract.authors`` read their fields from it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import unescape
from typing import Any, Final

from crawler.extract.boilerplate import ARTICLE_TYPES

# A page with no Article node may declare its text as an episode: a podcast's page with its
# transcript names the host as author and the air date as datePublished there.
_EPISODE_TYPES: Final = frozenset({"PodcastEpisode", "RadioEpisode", "Episode"})


@dataclass(slots=True)
class Page:
    """What the intact page declares about itself, read once."""

    url: str
    meta: dict[str, list[str]] = field(default_factory=dict)
    links: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    nodes: list[dict[str, Any]] = field(default_factory=list)
    article: dict[str, Any] = field(default_factory=dict)  # the JSON-LD Article node

    def first(self, *keys: str) -> str | None:
        """The first non-empty <meta> content among ``keys``."""
        values = (declared_text(v) for key in keys for v in self.meta.get(key, ()))
        return next((v for v in values if v), None)


def read_declarations(tree: Any, url: str) -> Page:
    """What the page at ``url`` declares: read once, before extraction cuts the tree up."""
    page = Page(url=url)
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key and meta.get("content") is not None:
            page.meta.setdefault(key, []).append(meta.get("content"))
    for link in tree.iter("link"):
        for rel in (link.get("rel") or "").lower().split():
            target = (link.get("href") or "", link.get("hreflang") or "")
            page.links.setdefault(rel, []).append(target)
    page.nodes = _jsonld_nodes(tree)
    page.article = next((n for n in page.nodes if node_types(n) & ARTICLE_TYPES), {}) or next(
        (n for n in page.nodes if node_types(n) & _EPISODE_TYPES), {}
    )
    return page


def _jsonld_nodes(tree: Any) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "", strict=False)
        except ValueError:
            continue  # broken JSON-LD is common; the rest of the page still speaks
        _flatten(data, nodes)
    return nodes


def _flatten(data: Any, nodes: list[dict[str, Any]]) -> None:
    if isinstance(data, list):
        for item in data:
            _flatten(item, nodes)
    elif isinstance(data, dict):
        nodes.append(data)
        _flatten(data.get("@graph"), nodes)


def node_types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type")
    return {str(k) for k in kind} if isinstance(kind, list) else {str(kind)}


def declared_text(value: Any) -> str:
    """A declared value as plain text. CMSs escape twice and more: "&amp;#8217;" in the
    source is "&#8217;" once parsed, and a JSON-LD headline escaped by two plugins in turn
    still holds "&amp;#8230;" once read."""
    if not isinstance(value, str):
        return ""
    for _ in range(_ESCAPES):
        if "&" not in value or (plain := unescape(value)) == value:
            break
        value = plain
    return " ".join(value.split())


_ESCAPES = 3  # unescaping stops once the text no longer changes, or after this many rounds


def publisher_name(page: Page) -> str | None:
    """The publisher the Article node names, or the WebSite node's name."""
    publisher = page.article.get("publisher")
    if isinstance(publisher, dict) and declared_text(publisher.get("name")):
        return declared_text(publisher.get("name"))
    site = next((n for n in page.nodes if "WebSite" in node_types(n)), {})
    return declared_text(site.get("name")) or None


def declared_languages(tree: Any, page: Page) -> list[str]:
    """The languages the page says it is in: <html lang>, then og:locale."""
    root = tree.getroottree().getroot()
    declared = [root.get("lang") or "", page.first("og:locale") or ""]
    return [code for code in declared if code.strip()]
