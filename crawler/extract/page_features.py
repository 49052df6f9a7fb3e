"""Page features for the page classifier: what any site's page says about its own kind.

Every feature is generic, none keys on one site: the schema.org types and Open Graph kind
the page declares, the shape of its markup (paragraphs of real sentences, <article>, <time>
and byline counts, forms, prices), its text and link density, and the shape of its address.
Counts are given as log1p(count), so that a linear model sees them on a sane scale (trees
do not care). Counts of blocks repeated under one class, as in card grids and forum threads,
were dropped: in grouped cross-validation over four splits they cost 0.05-0.12 of the
non-articles rejected at the same article recall.

Speed: a page is walked a handful of times, each walk in C (compiled XPath or a filtered
``iter``); Python only touches the few elements that matter (paragraphs, metadata, JSON-LD,
elements with microdata) and the distinct class tokens, whose meaning is cached. The tree is
only read, never changed. PURE: standard library and lxml only.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from crawler import url_words
from crawler.extract.continuation import FULL_STOPS

# --- what schema.org / Open Graph types mean ------------------------------------------------

_ARTICLE_TYPES = frozenset(
    {
        "article", "newsarticle", "blogposting", "report", "scholarlyarticle",
        "opinionnewsarticle", "analysisnewsarticle", "reportagenewsarticle",
        "backgroundnewsarticle", "reviewnewsarticle", "askpublicnewsarticle",
        "liveblogposting", "satiricalarticle", "medicalscholarlyarticle", "posting",
    }
)  # fmt: skip
_TECH_TYPES = frozenset({"techarticle", "howto", "apireference", "softwaresourcecode"})
_PRODUCT_TYPES = frozenset(
    {"product", "productgroup", "productmodel", "individualproduct", "offer", "aggregateoffer",
     "vehicle", "car", "softwareapplication", "mobileapplication", "webapplication"}
)  # fmt: skip
_SERVICE_TYPES = frozenset(
    {"service", "course", "courseinstance", "educationaloccupationalprogram", "event",
     "localbusiness", "professionalservice", "financialservice", "medicalbusiness",
     "legalservice", "homeandconstructionbusiness", "store", "restaurant", "hotel",
     "collegeoruniversity", "educationalorganization", "medicalclinic", "physician",
     "offercatalog", "contactpage", "aboutpage"}
)  # fmt: skip
_FORUM_TYPES = frozenset(
    {"discussionforumposting", "qapage", "question", "answer", "socialmediaposting", "comment"}
)
_COLLECTION_TYPES = frozenset({"collectionpage", "itemlist", "searchresultspage", "blog"})
# A page that declares only these says nothing about its kind (a CMS's default graph).
_PLAIN_TYPES = frozenset(
    {"webpage", "website", "organization", "person", "breadcrumblist", "imageobject",
     "searchaction", "listitem", "entrypoint", "readaction", "corporation"}
)  # fmt: skip
_PUBLISHED_META = (
    "article:published_time", "og:published_time", "date", "pubdate", "publishdate",
    "dc.date", "dc.date.issued", "sailthru.date", "parsely-pub-date", "datepublished",
)  # fmt: skip
_AUTHOR_META = (
    "author", "article:author", "parsely-author", "sailthru.author", "dc.creator",
    "twitter:creator",
)  # fmt: skip
_ITEMPROPS: dict[str, frozenset[str]] = {
    "article": frozenset({"articlebody", "headline", "datepublished", "author", "publisher"}),
    "price": frozenset({"price", "pricecurrency", "offers", "lowprice", "highprice",
                        "availability"}),
    "forum": frozenset({"upvotecount", "answercount", "suggestedanswer", "acceptedanswer",
                        "comment", "text", "commentcount"}),
    "review": frozenset({"ratingvalue", "reviewcount", "aggregaterating", "review"}),
}  # fmt: skip

# --- markup -----------------------------------------------------------------------------------

# The elements one C-speed walk hands to Python (everything else is only counted by XPath).
_SCANNED = (
    "p", "li", "article", "time", "h1", "h2", "h3", "h4", "img", "table", "pre", "code", "nav",
    "aside", "blockquote", "figure", "iframe", "video", "form", "input", "button", "select",
    "option", "textarea", "script", "style", "noscript", "template", "meta",
)  # fmt: skip
_NOT_TEXT = frozenset({"script", "style", "noscript", "template"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4"})
_TEXT = etree.XPath("//body//text()", smart_strings=False)
_CLASSES = etree.XPath("//@class", smart_strings=False)
_HREFS = etree.XPath("//body//a/@href", smart_strings=False)
_ATTRIBUTES = {
    name: etree.XPath(f"//@{name}", smart_strings=False) for name in ("itemtype", "itemprop", "rel")
}

# A sentence ends in any of the scripts crawled: a full stop, closing quotes, a space.
_SENTENCE_END = re.compile(f"[{re.escape(FULL_STOPS)}]" + r"[\"'”’»)]*(?:\s|$)")
_PRICE = re.compile(
    r"(?:[$€£¥₹₦₩₽₺₱₫₵]|US\$|R\$|KSh|Rs\.?|USD|EUR|GBP)\s?\d"
    r"|\d(?:[\d.,]*\d)?\s?(?:[€₫₺]|zł|USD|EUR|GBP|FCFA|CFA|KES|NGN|ZAR|INR)\b"
)

# Generic class vocabulary: a class token (split at "-", "_", digits...) belongs to a family
# when it contains one of these, so "woocommerce-price-amount" and "productCard" both count.
_CLASS_FAMILIES: dict[str, str] = {
    "price": r"price|amount|currency",
    "cart": r"cart|basket|checkout|wishlist|quantity|qty|buy",
    "product": r"product|sku|variant|swatch|shop",
    "forum": r"forum|thread|topic|repl(?:y|ies)|postbit|message|username|userinfo|vote|answer",
    "avatar": r"avatar|gravatar|profilepic",
    "comment": r"comment",
    "article": r"article|entry|story|hentry|single|blogpost",
    "author": r"author|byline|writer|contributor",
    "date": r"date|time|publish|posted",
    "card": r"card|tile|teaser|grid|result",
    "pagination": r"paginat|pager|numbers|loadmore",
    "breadcrumb": r"breadcrumb",
    "share": r"share|social|twitter|facebook|whatsapp|linkedin",
    "related": r"related|recommend|readnext|more",
    "docs": r"^toc$|docs|documentation|api|sidebar",
    "service": r"pricing|plan|cta|hero|testimonial|feature|faq|contact|booking|quote",
    "button": r"btn|button",
    "tag": r"^tags?$|categor|taxonomy",
}
_FAMILY_RX = {name: re.compile(rx) for name, rx in _CLASS_FAMILIES.items()}
# Bytes, because bytes.translate is a C table lookup (str.translate is a dict lookup per char).
_CLASS_SPLIT = bytes(c if chr(c).isalpha() else 32 for c in range(256))

# --- the address, and the addresses the page links to ---------------------------------------

_DATE_PATH = re.compile(
    r"/(?:19|20)\d{2}/(?:0?[1-9]|1[0-2])(?:/|$)|/(?:19|20)\d{6}/|\d{4}-\d\d-\d\d"
)
_NUMERIC_ID = re.compile(r"(?:^|[/_.-])\d{5,}(?:$|[/_.-])|[?&]\w*id=\d")
_FILE_EXT = re.compile(r"\.(?:s?html?|php|aspx?|jsp|cfm)$")
# What the links of a page point to (one href a line): listings and collections link to many
# articles or products, forum threads to their members' profiles, articles to their comments.
_LINKS_TO: dict[str, re.Pattern[str]] = {
    "dated": re.compile(r"/(?:19|20)\d\d/[01]?\d/"),
    "product": url_words.PRODUCT_PATH,
    "profile": url_words.PROFILE_PATH,
    "comment": re.compile(r"#(?:comments?|respond|reply)|replytocom|#comment-"),
}
# A small generic list of path words, the same for all sites, in the languages Sankofa
# crawls (crawler.url_words; its weight is ablated).
_URL_TOKENS: dict[str, frozenset[str]] = url_words.FAMILIES

FEATURE_GROUPS: dict[str, tuple[str, ...]] = {
    "schema": (
        "schema article type", "schema article nodes (log)", "schema tech/howto type",
        "schema product/offer type", "schema service/business type", "schema forum/Q&A type",
        "schema collection/list type", "schema FAQ page", "schema WebPage only",
        "schema breadcrumb", "og:type article", "og:type product", "og:type website",
        "meta published time", "meta author", "meta price", "itemprops article (log)",
        "itemprops price (log)", "itemprops forum (log)", "itemprops review (log)",
    ),
    "structure": (
        "<article> count (log)", "<time> count (log)", "rel=author (log)", "rel=tag (log)",
        "rel=bookmark (log)", "rel=next/prev", "<h1> count (log)", "<h2> count (log)",
        "<h3-h4> count (log)", "<li> count (log)", "<img> count (log)", "<table> count (log)",
        "<pre>/<code> count (log)", "<nav> count (log)", "<aside> count (log)",
        "<blockquote>/<figure> (log)", "<iframe>/<video> (log)", "<form> count (log)",
        "<input> visible (log)", "<button> count (log)", "<select>/<option> (log)",
        "<textarea> count (log)",
    ),
    "text": (
        "visible text chars (log)", "link density", "chars per text node (log)",
        "text nodes (log)", "long text nodes >=150 (log)", "share of text in long nodes",
        "<p> count (log)", "sentence <p> count (log)", "sentence <p> chars share",
        "mean sentence <p> chars (log)", "longest <p> chars (log)", "headings per sentence <p>",
        "prices in short text (log)", "words in longest 5 <p> (log)",
    ),
    "classes": tuple(f"class '{name}' tokens (log)" for name in _CLASS_FAMILIES),
    "url": (
        "url path depth", "url date in path", "url numeric id", "url slug words (log)",
        "url last segment chars (log)", "url trailing slash", "url is site root",
        "url file extension", "url query", "url page number",
    ),
    "url tokens": tuple(f"url token {name}" for name in _URL_TOKENS),
    "links": (
        "links (log)", "links to slug pages (log)", "links to dated pages (log)",
        "links to product pages (log)", "links to profiles (log)", "links to comments (log)",
        "links below this page (log)", "linked headings (log)", "share of headings linked",
    ),
}  # fmt: skip
FEATURE_NAMES: tuple[str, ...] = tuple(n for names in FEATURE_GROUPS.values() for n in names)

BODY_FEATURE_NAMES: tuple[str, ...] = (
    "body chars (log)", "body paragraphs (log)", "body mean paragraph chars (log)",
    "body share of sentence paragraphs", "body share of short lines", "body prices (log)",
    "body share of visible text",
)  # fmt: skip


@dataclass(slots=True)
class _Scan:
    """What the one walk over the scanned elements found."""

    tags: Counter[str] = field(default_factory=Counter)
    paragraphs: list[str] = field(default_factory=list)
    json_ld: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    not_text: set[str] = field(default_factory=set)  # script/style contents, not page text
    plain_inputs: int = 0  # hidden and submit inputs: no field a visitor fills
    linked_headings: int = 0  # teaser titles: a heading that is a link


def page_features(tree: Any, url: str) -> list[float]:
    """The features of ``tree`` (an lxml.html document or element) fetched from ``url``, in
    the order of FEATURE_NAMES. Reads the tree only."""
    root = tree.getroottree().getroot() if hasattr(tree, "getroottree") else tree
    scan = _scan(root)
    texts = [t for t in _TEXT(root) if not t.isspace() and t not in scan.not_text]
    classes: list[str] = _CLASSES(root)
    return [
        *_schema_features(root, scan),
        *_structure_features(scan),
        *_text_features(root, scan, texts),
        *_class_features(classes),
        *_url_features(url),
        *_link_features(_HREFS(root), url, scan),
    ]


def body_features(body_text: str | None, tree: Any) -> list[float]:
    """Features of the extracted body text, in the order of BODY_FEATURE_NAMES."""
    body = body_text or ""
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    n = len(lines) or 1
    visible = sum(len(t) for t in _TEXT(tree) if not t.isspace()) or 1
    return [
        _log(len(body)),
        _log(len(lines)),
        _log(len(body) / n),
        sum(1 for line in lines if _SENTENCE_END.search(line)) / n,
        sum(1 for line in lines if len(line) < 40) / n,
        _log(len(_PRICE.findall(body))),
        min(len(body) / visible, 1.0),
    ]


def _scan(root: Any) -> _Scan:
    scan = _Scan()
    tags = scan.tags
    for element in root.iter(*_SCANNED):
        tag = element.tag
        tags[tag] += 1
        if tag == "p":
            scan.paragraphs.append(" ".join(element.text_content().split()))
        elif tag in _NOT_TEXT:
            if element.text:
                scan.not_text.add(element.text)
                if tag == "script" and "ld+json" in (element.get("type") or "").lower():
                    scan.json_ld.append(element.text)
        elif tag == "meta":
            key = element.get("property") or element.get("name") or element.get("itemprop")
            if key:
                scan.meta.setdefault(key.strip().lower(), element.get("content") or "")
        elif tag == "input" and (element.get("type") or "").lower() in {"hidden", "submit"}:
            scan.plain_inputs += 1
        elif tag in _HEADINGS and (
            element.find(".//a") is not None or element.getparent().tag == "a"
        ):
            scan.linked_headings += 1
    return scan


# --- declared types and metadata --------------------------------------------------------------


def _schema_features(root: Any, scan: _Scan) -> list[float]:
    primary, nested = _json_ld_types(scan.json_ld)
    itemtypes = [
        t.rstrip("/").rsplit("/", 1)[-1].lower()
        for value in _ATTRIBUTES["itemtype"](root)
        for t in value.split()
    ]
    props = Counter(" ".join(_ATTRIBUTES["itemprop"](root)).lower().split())
    rels = Counter(" ".join(_ATTRIBUTES["rel"](root)).lower().split())
    scan.tags.update({f"rel={rel}": n for rel, n in rels.items()})  # read by the structure
    declared = primary | set(itemtypes)
    everywhere = declared | nested
    og_type = scan.meta.get("og:type", "").lower()
    article_nodes = sum(t in _ARTICLE_TYPES for t in itemtypes) + len(primary & _ARTICLE_TYPES)
    return [
        _any(declared, _ARTICLE_TYPES),
        _log(article_nodes),
        _any(everywhere, _TECH_TYPES),
        _any(everywhere, _PRODUCT_TYPES),
        _any(declared, _SERVICE_TYPES),
        _any(everywhere, _FORUM_TYPES),
        _any(declared, _COLLECTION_TYPES),
        float("faqpage" in everywhere),
        float(bool(declared) and declared <= _PLAIN_TYPES),
        float("breadcrumblist" in everywhere),
        float(og_type.startswith("article") or og_type in {"blog", "news"}),
        float("product" in og_type),
        float(og_type == "website"),
        float(any(key in scan.meta for key in _PUBLISHED_META)),
        float(any(key in scan.meta for key in _AUTHOR_META)),
        float(any(key.startswith(("product:price", "og:price")) for key in scan.meta)),
        *(_log(sum(props[p] for p in group)) for group in _ITEMPROPS.values()),
    ]


def _json_ld_types(blobs: Sequence[str]) -> tuple[set[str], set[str]]:
    """The @types of the page's JSON-LD: of its top nodes (incl. @graph and mainEntity), and
    of every node nested deeper (an Article's publisher, a Product's offers)."""
    primary: set[str] = set()
    nested: set[str] = set()
    for raw in blobs:
        try:
            data = json.loads(raw)
        except ValueError:
            # Broken JSON still names its types; they count as nested, not as declared.
            nested.update(t.lower() for t in re.findall(r'"@type"\s*:\s*"([^"]+)"', raw))
            continue
        for node in _top_nodes(data):
            primary.update(_types(node))
            nested.update(kind for child in _walk(node, 0) for kind in _types(child))
    return primary, nested


def _top_nodes(data: Any) -> Iterator[dict[str, Any]]:
    for node in data if isinstance(data, list) else [data]:
        if not isinstance(node, dict):
            continue
        yield node
        graph = node.get("@graph")
        if isinstance(graph, list):
            yield from (n for n in graph if isinstance(n, dict))
        main = node.get("mainEntity")
        if isinstance(main, dict):
            yield main


def _walk(node: Any, depth: int) -> Iterator[dict[str, Any]]:
    """Nodes nested under ``node`` (not ``node`` itself), a few levels deep."""
    if depth > 4:
        return
    for child in node.values() if isinstance(node, dict) else node:
        if isinstance(child, dict):
            yield child
            yield from _walk(child, depth + 1)
        elif isinstance(child, list):
            yield from _walk(child, depth + 1)


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.rsplit("/", 1)[-1].lower() for k in kinds if isinstance(k, str)}


# --- markup and text --------------------------------------------------------------------------


def _structure_features(scan: _Scan) -> list[float]:
    tags = scan.tags
    return [
        _log(tags["article"]),
        _log(tags["time"]),
        _log(tags["rel=author"]),
        _log(tags["rel=tag"]),
        _log(tags["rel=bookmark"]),
        float(tags["rel=next"] + tags["rel=prev"] > 0),
        _log(tags["h1"]),
        _log(tags["h2"]),
        _log(tags["h3"] + tags["h4"]),
        _log(tags["li"]),
        _log(tags["img"]),
        _log(tags["table"]),
        _log(tags["pre"] + tags["code"]),
        _log(tags["nav"]),
        _log(tags["aside"]),
        _log(tags["blockquote"] + tags["figure"]),
        _log(tags["iframe"] + tags["video"]),
        _log(tags["form"]),
        _log(tags["input"] - scan.plain_inputs),
        _log(tags["button"]),
        _log(tags["select"] + tags["option"]),
        _log(tags["textarea"]),
    ]


def _text_features(root: Any, scan: _Scan, texts: list[str]) -> list[float]:
    visible = sum(map(len, texts))
    links = sum(len(t) for t in _link_texts(root) if not t.isspace())
    long_nodes = [len(t) for t in texts if len(t) >= 150]
    paragraphs = scan.paragraphs
    sentences = [len(p) for p in paragraphs if _is_sentence(p)]
    top = sorted(paragraphs, key=len, reverse=True)[:5]
    # Prices stand alone in short nodes ("$29.99", "1 200 FCFA"); prose rarely quotes many.
    short = " ".join(t for t in texts if len(t) < 40)
    headings = scan.tags["h2"] + scan.tags["h3"] + scan.tags["h4"]
    return [
        _log(visible),
        min(links / visible, 1.0) if visible else 1.0,
        _log(visible / max(len(texts), 1)),
        _log(len(texts)),
        _log(len(long_nodes)),
        sum(long_nodes) / visible if visible else 0.0,
        _log(len(paragraphs)),
        _log(len(sentences)),
        min(sum(sentences) / visible, 1.0) if visible else 0.0,
        _log(sum(sentences) / len(sentences)) if sentences else 0.0,
        _log(max(map(len, paragraphs), default=0)),
        headings / (len(sentences) + 1),
        _log(len(_PRICE.findall(short))),
        _log(sum(len(p.split()) for p in top)),
    ]


def _link_texts(root: Any) -> Iterator[str]:
    """The text inside the body's links. Walked in Python: libxml2's XPath for
    `//body//a//text()` merges node sets in quadratic time (40 s on 200,000 links). The
    HTML parser closes a link before opening another, so no text is counted twice."""
    body = root.find("body")
    for link in () if body is None else body.iter("a"):
        yield from link.itertext()


def _is_sentence(paragraph: str) -> bool:
    """A paragraph of prose: long enough, and it ends (or breaks) sentences."""
    return len(paragraph) >= 80 and _SENTENCE_END.search(paragraph) is not None


def _class_features(classes: list[str]) -> list[float]:
    joined = " ".join(classes).lower().encode("ascii", "ignore")
    tokens = Counter(joined.translate(_CLASS_SPLIT).split())
    found: Counter[str] = Counter()
    for token, n in tokens.items():
        for family in _families(token):
            found[family] += n
    return [_log(found[name]) for name in _CLASS_FAMILIES]


@functools.lru_cache(maxsize=65536)
def _families(token: bytes) -> tuple[str, ...]:
    """The class families ``token`` belongs to (cached: sites reuse a small vocabulary)."""
    word = token.decode("ascii")
    return tuple(name for name, rx in _FAMILY_RX.items() if rx.search(word))


def _url_features(url: str) -> list[float]:
    parts = urlsplit(url)
    path = parts.path or "/"
    segments = [s for s in path.lower().split("/") if s]
    last = segments[-1] if segments else ""
    stem = _FILE_EXT.sub("", last)
    slug_words = [w for w in re.split(r"[-_+.]+", stem) if w and not w.isdigit()]
    words_in_path = url_words.path_segments(path)
    return [
        float(len(segments)),
        float(_DATE_PATH.search(path) is not None),
        float(_NUMERIC_ID.search(url) is not None),
        _log(len(slug_words)),
        _log(len(stem)),
        float(path.endswith("/") and bool(segments)),
        float(not segments),
        float(_FILE_EXT.search(last) is not None),
        float(bool(parts.query)),
        float(url_words.PAGE_NUMBER.search(url) is not None),
        *(float(not words.isdisjoint(words_in_path)) for words in _URL_TOKENS.values()),
    ]


def _link_features(hrefs: list[str], url: str, scan: _Scan) -> list[float]:
    joined = "\n".join(hrefs)
    # An article's address is a slug of words: "/lagos-fintech-raises-new-fund/".
    slugs = sum(1 for h in hrefs if h.rstrip("/").rpartition("/")[2].count("-") >= 3)
    below = urlsplit(url).path.rstrip("/") + "/"
    children = sum(1 for h in hrefs if _points_below(h, below))
    headings = scan.tags["h1"] + scan.tags["h2"] + scan.tags["h3"] + scan.tags["h4"]
    return [
        _log(len(hrefs)),
        _log(slugs),
        *(_log(len(rx.findall(joined))) for rx in _LINKS_TO.values()),
        _log(children),
        _log(scan.linked_headings),
        scan.linked_headings / headings if headings else 0.0,
    ]


def _points_below(href: str, prefix: str) -> bool:
    """Whether ``href`` points under ``prefix``, the linking page's own path plus "/"."""
    at = href.find(prefix)
    return at >= 0 and len(href) > at + len(prefix)


def _log(value: float) -> float:
    return math.log1p(max(value, 0.0))


def _any(found: Iterable[str], wanted: frozenset[str]) -> float:
    return float(any(kind in wanted for kind in found))
