"""Article extraction: (html, url) -> Article, with the author bio apart and no comments anywhere.

PURE: no network, no scrapy, no sqlalchemy; the same input always gives the same Article.
The order of the steps is the point:

1. read the metadata from the intact page (head, JSON-LD, bylines);
2. decide whether the page is an article at all (listings, home, about pages -> None);
3. drop what no reader sees (scripts, styles, icons), cut comment threads, comment forms and
   page furniture out of the tree (crawler.extract.boilerplate), then the author box
   (crawler.extract.bio), keeping its text as the bio: nothing cut can reach the body;
4. let trafilatura find the body in what is left, asking for second opinions only when it
   finds little, and falling back to the page's main container rather than to nothing;
5. drop any paragraph that is still UI text in one of the sources' languages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from html import unescape
from typing import Any
from urllib.parse import urljoin, urlsplit

import trafilatura
from htmldate import find_date
from lxml import etree

# Not in trafilatura's __all__, but the byline search extract_metadata() runs, minus its
# date search (htmldate), which would cost more than the rest of our metadata.
from trafilatura.metadata import extract_author
from trafilatura.settings import Extractor
from trafilatura.xml import xmltotxt

from crawler import __version__
from crawler.dates import as_utc, parse_date
from crawler.discover.canonical import canonicalize_url
from crawler.extract.bio import (
    AuthorBox,
    author_names,
    candidate_names,
    jsonld_bio,
    jsonld_people,
    take_author_box,
)
from crawler.extract.boilerplate import (
    ARTICLE_TYPES,
    drop_unread,
    fold,
    is_notice,
    keep_pull_quotes,
    main_container_lines,
    strip_structural,
)
from crawler.extract.classify import PageClass, classify_tree
from crawler.extract.continuation import continuation_paragraphs
from crawler.extract.local_dates import visible_date
from crawler.extract.parse import parse_html, thin_link_farms
from crawler.extract.sanitize import sanitize_article
from crawler.items import Article, LanguageHints

EXTRACTOR = f"sankofa-{__version__}+trafilatura-{trafilatura.__version__}"
# Built once and shared: an Extractor is plain configuration, never mutated by trafilatura.
_FAST = Extractor(output_format="python", precision=True, comments=False, fast=True)
_BALANCED = Extractor(output_format="python", comments=False)
_SECOND_OPINION = Extractor(output_format="python", precision=True, comments=False)
_RECALL = Extractor(output_format="python", recall=True, comments=False)
# The slow pass (readability and justext as second opinions) takes half as long again as the
# fast one, and only pays off when the fast pass found next to nothing (a paragraph or two).
_SECOND_OPINION_BELOW_CHARS = 500
_RECALL_BELOW_CHARS = 200
# The precise pass sometimes settles on a small wrong container (a teaser, a caption, one
# list): when it keeps less than _ASK_BALANCED_SHARE of the page's visible text, the
# balanced pass (trafilatura's default, with its second opinions) is asked, and wins when the
# precise one kept less than _RESCUE_SHARE of what the balanced one found.
_ASK_BALANCED_SHARE = 0.2
_RESCUE_SHARE = 0.2
_EARLIEST_YEAR = 1990
_TODAY = timedelta(days=2)  # dates this recent may be a header's "today", not a byline's
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " » ", " · ", " : ")
_PUBLISHED_META = (
    "article:published_time", "og:published_time", "datepublished", "date", "pubdate",
    "publishdate", "publish-date", "dc.date.issued", "dc.date", "dcterms.created",
    "sailthru.date", "parsely-pub-date", "article.published",
)  # fmt: skip
_MODIFIED_META = (
    "article:modified_time", "og:updated_time", "datemodified", "dcterms.modified",
    "last-modified", "article.updated",
)  # fmt: skip
_TIME_XPATH = (
    "//time[contains(@class, 'publish') or contains(@class, 'entry-date')"
    " or @itemprop='datePublished' or @pubdate]/@datetime | //article//time/@datetime"
)


@dataclass(frozen=True, slots=True)
class Rules:
    """The cleaning rules extraction applies, each of which can be turned off to measure it
    (``python -m benchmarks.extraction --ablation``). Everything on is what a crawl runs."""

    strip_furniture: bool = True  # comment threads, forms, share/related/newsletter boxes
    cut_author_box: bool = True  # the bio box out of the body (and into author_bio)
    keep_pull_quotes: bool = True  # pull quotes kept as body text
    drop_notices: bool = True  # comment-form, cookie, share, related-post lines (phrases)
    drop_repeats: bool = True  # the headline and the bio repeated inside the body
    balanced_rescue: bool = True  # balanced pass when the precise one picked a tiny container
    short_fallbacks: bool = True  # second opinions and the main container for short bodies
    join_continuations: bool = True  # the body's sibling containers (split bodies) appended


RULES = Rules()


@dataclass(slots=True)
class _Page:
    """What the intact page declares about itself, read once."""

    url: str
    meta: dict[str, list[str]] = field(default_factory=dict)
    links: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    nodes: list[dict[str, Any]] = field(default_factory=list)
    article: dict[str, Any] = field(default_factory=dict)  # the JSON-LD Article node

    def first(self, *keys: str) -> str | None:
        """The first non-empty <meta> content among ``keys``."""
        values = (_text(v) for key in keys for v in self.meta.get(key, ()))
        return next((v for v in values if v), None)

    def types(self) -> set[str]:
        return {kind for node in self.nodes for kind in _types(node)}

    def declares_article(self) -> bool:
        kind = (self.first("og:type") or "").lower()
        return bool(self.article) or kind == "article" or "article:published_time" in self.meta


def extract(html: str, url: str, rules: Rules = RULES) -> Article | None:
    """Return the article on ``html`` (fetched from ``url``), or None when it is no article.

    "No article" is the page classifier's call, made so that no article is lost: a doubtful
    page is returned with its ``page_kind`` and ``article_score``.
    """
    return extract_tree(parse_html(html), url, rules)


def extract_tree(tree: Any, url: str, rules: Rules = RULES) -> Article | None:
    """``extract`` of a page already parsed with ``parse_html`` (None: no page). Extraction
    cuts the tree up: read anything else from it first."""
    found = _read(tree, url, rules)
    if found is None or not found[1].kept:
        return None
    return found[0]


def read_page(html: str, url: str, rules: Rules = RULES) -> Article | None:
    """Everything extraction finds on the page, whatever kind of page it is, with the page
    kind and article score; None when there is no page or no text to speak of."""
    found = _read(parse_html(html), url, rules)
    return found[0] if found else None


def _read(tree: Any, url: str, rules: Rules) -> tuple[Article, PageClass] | None:
    if tree is None or _key(url, "") is None:
        return None  # no page, or an address no spider could have fetched
    # The classifier reads the intact page: extraction cuts the tree up below.
    verdict = classify_tree(tree, url)
    thin_link_farms(tree)  # after classifying: the number of links is one of its signals
    page = _read_page(tree, url)
    article = _metadata(tree, page, _canonical(page))
    _split_body_and_bio(tree, page, article, rules)
    if not article.text:
        return None
    article.page_kind, article.article_score = verdict.kind, verdict.article_score
    sanitize_article(article)
    return article, verdict


def _split_body_and_bio(tree: Any, page: _Page, article: Article, rules: Rules) -> None:
    """Fill the bio, then the body, from ``tree``; both passes cut what they take from it."""
    drop_unread(tree)
    # Before the author box: comment threads are full of "comment-author" boxes.
    marked = strip_structural(tree) if rules.strip_furniture else None
    box = AuthorBox()
    if rules.cut_author_box:
        box = take_author_box(tree, candidate_names(tree, article.authors), marked)
    if rules.keep_pull_quotes:
        keep_pull_quotes(tree)
    article.author_bio = box.bio or jsonld_bio(jsonld_people(page.article, page.nodes))
    article.authors = article.authors or ([box.name] if box.name else [])
    article.author_url = article.author_url or _absolute(page.url, box.url)
    article.text = _body(
        tree, _Cleaner.for_article(article.title, article.author_bio, rules), rules
    )


# --- reading the page --------------------------------------------------------------------


def _read_page(tree: Any, url: str) -> _Page:
    page = _Page(url=url)
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key and meta.get("content") is not None:
            page.meta.setdefault(key, []).append(meta.get("content"))
    for link in tree.iter("link"):
        for rel in (link.get("rel") or "").lower().split():
            target = (link.get("href") or "", link.get("hreflang") or "")
            page.links.setdefault(rel, []).append(target)
    page.nodes = _jsonld_nodes(tree)
    page.article = next((n for n in page.nodes if _types(n) & ARTICLE_TYPES), {})
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


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type")
    return {str(k) for k in kind} if isinstance(kind, list) else {str(kind)}


def _text(value: Any) -> str:
    # CMSs often escape twice: "&amp;#8217;" in the source is "&#8217;" once parsed.
    return " ".join(unescape(value).split()) if isinstance(value, str) else ""


def _absolute(base: str, href: str | None) -> str | None:
    if not href or not href.strip():
        return None
    try:
        return urljoin(base, href.strip())
    except ValueError:
        return None


def _dedupe(values: Any) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        text = " ".join(str(value).split())
        if text and fold(text) not in seen:
            seen[fold(text)] = text
    return list(seen.values())


# --- metadata ----------------------------------------------------------------------------


def _metadata(tree: Any, page: _Page, canonical: str) -> Article:
    tag_links, category_links = _rel_links(tree)
    return Article(
        url=page.url,
        canonical_url=canonical,
        title=_title(tree, page),
        text="",
        authors=_authors(tree, page),
        author_url=_author_url(tree, page),
        published=_published(tree, page),
        modified=_first_date([page.article.get("dateModified"), *map(page.first, _MODIFIED_META)]),
        site_name=page.first("og:site_name", "application-name") or _publisher(page),
        tags=_dedupe(page.meta.get("article:tag", []) + _keywords(page) + tag_links),
        categories=_dedupe(_sections(page) + category_links),
        description=page.first("og:description", "description", "twitter:description"),
        image_url=_absolute(page.url, page.first("og:image", "twitter:image") or _image(page)),
        hints=_hints(tree, page, canonical),
        extractor=EXTRACTOR,
    )


def _canonical(page: _Page) -> str:
    """rel=canonical (AMP copies point to the article), else og:url, else the URL itself."""
    for href, _ in page.links.get("canonical", []):
        key = _key(page.url, href)
        # A canonical pointing at the home page is a theme bug, not a statement about the article.
        if key and urlsplit(key).path.strip("/"):
            return key
    return _key(page.url, page.first("og:url") or "") or canonicalize_url(page.url)


def _key(base: str, href: str) -> str | None:
    """The canonical form of ``href`` read against ``base``; None for what is no URL."""
    try:
        return canonicalize_url(urljoin(base, href.strip()))
    except ValueError:  # "http://[::1", "http://host:port/": pages carry such links
        return None


def _title(tree: Any, page: _Page) -> str:
    site = page.first("og:site_name") or _publisher(page) or _host_label(page.url)
    title = _text(page.article.get("headline")) or page.first("og:title", "twitter:title") or ""
    title = _strip_site(title or _text(tree.findtext(".//title")), site)
    heading = _h1(tree)
    # The page's one headline is the cleanest title when the declared one merely wraps it.
    if heading and (not title or (heading in title and fold(heading) != fold(site))):
        return heading
    return title


def _h1(tree: Any) -> str:
    headings = [" ".join(h.text_content().split()) for h in tree.iter("h1")]
    headings = [h for h in headings if len(h) > 8]
    return headings[0] if len(headings) == 1 else ""


def _host_label(url: str) -> str:
    """www.entermedia.co.kr -> "entermedia": what a title suffix says when no site name does."""
    labels = (urlsplit(url).hostname or "").removeprefix("www.").split(".")
    return labels[0] if labels else ""


def _strip_site(title: str, site: str) -> str:
    """ "Title | Site", "Site: Title" -> "Title"."""
    folded_site = _squashed(site)
    for separator in _TITLE_SEPARATORS if folded_site else ():
        head, _, tail = title.rpartition(separator)
        if head and _squashed(tail) == folded_site:
            return head.strip()
        first, _, rest = title.partition(separator)
        if rest and _squashed(first) == folded_site:
            return rest.strip()
    return title


def _squashed(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isalnum())


def _authors(tree: Any, page: _Page) -> list[str]:
    declared = (
        _jsonld_people(page),
        page.meta.get("author", []) + page.meta.get("article:author", []),
        page.meta.get("parsely-author", []) + page.meta.get("sailthru.author", []),
        page.meta.get("dc.creator", []),
    )
    site = page.first("og:site_name") or _publisher(page) or ""
    return author_names(tree, declared, site) or _trafilatura_authors(tree, site)


def _trafilatura_authors(tree: Any, site: str) -> list[str]:
    """trafilatura's own byline search, when ours found nobody (it works on a copy)."""
    found = extract_author(tree) or ""
    return author_names(tree, [found.split(";")], site) if found else []


def _jsonld_people(page: _Page) -> list[str]:
    publisher = _publisher(page)
    people = jsonld_people(page.article, page.nodes)
    names = [(_text(p.get("name")), "Organization" in _types(p)) for p in people]
    return [name for name, org in names if name and not (org and name == publisher)]


def _author_url(tree: Any, page: _Page) -> str | None:
    urls = [_text(person.get("url")) for person in jsonld_people(page.article, page.nodes)]
    urls += tree.xpath("//a[@rel='author']/@href") + [h for h, _ in page.links.get("author", [])]
    return next((_absolute(page.url, u) for u in urls if u and u.strip()), None)


def _publisher(page: _Page) -> str | None:
    publisher = page.article.get("publisher")
    if isinstance(publisher, dict) and _text(publisher.get("name")):
        return _text(publisher.get("name"))
    site = next((n for n in page.nodes if "WebSite" in _types(n)), {})
    return _text(site.get("name")) or None


def _keywords(page: _Page) -> list[str]:
    raw = page.article.get("keywords") or []
    return _strings(raw.split(",") if isinstance(raw, str) else raw)


def _sections(page: _Page) -> list[str]:
    raw = page.article.get("articleSection") or []
    return page.meta.get("article:section", []) + _strings([raw] if isinstance(raw, str) else raw)


def _strings(items: Any) -> list[str]:
    return [_text(item) for item in items if _text(item)] if isinstance(items, list) else []


def _rel_links(tree: Any) -> tuple[list[str], list[str]]:
    """The texts of the links marked rel="tag", and of those marked rel="category"."""
    tags: list[str] = []
    categories: list[str] = []
    for link in _REL_LINKS(tree):
        rel = f" {link.get('rel')} "
        # WordPress marks categories rel="category tag" and tags rel="tag".
        if " category " in rel:
            categories.append(" ".join(link.text_content().split()))
        elif " tag " in rel and "category" not in rel:
            tags.append(" ".join(link.text_content().split()))
    return tags, categories


_REL_LINKS = etree.XPath("//a[@rel]")


def _image(page: _Page) -> str | None:
    image = page.article.get("image")
    image = image[0] if isinstance(image, list) and image else image
    return _text(image.get("url")) if isinstance(image, dict) else _text(image) or None


def _hints(tree: Any, page: _Page, canonical: str) -> LanguageHints:
    root = tree.getroottree().getroot()
    lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    own = {canonical, _key(page.url, "")}
    hreflang = next(
        (code for href, code in page.links.get("alternate", [])
         if code and code != "x-default" and _key(page.url, href) in own),
        None,
    )  # fmt: skip
    html_lang = lang.strip() if lang else None
    return LanguageHints(html_lang=html_lang, og_locale=page.first("og:locale"), hreflang=hreflang)


# --- dates -------------------------------------------------------------------------------


def _parse_date(value: Any) -> datetime | None:
    """ISO 8601 or RFC 2822, as UTC; a date without a zone is taken as UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    moment = parse_date(value) or _rfc2822(value)
    # Years like 0001 are CMS defaults ("0001-01-01T00:00:00"), not publication dates.
    return moment if moment and moment.year >= _EARLIEST_YEAR else None


def _rfc2822(value: str) -> datetime | None:
    try:
        return as_utc(parsedate_to_datetime(value.strip()))
    except (TypeError, ValueError, IndexError):
        return None


def _first_date(candidates: list[Any]) -> datetime | None:
    return next((moment for c in candidates if (moment := _parse_date(c))), None)


def _published(tree: Any, page: _Page) -> datetime | None:
    declared = [page.article.get("datePublished"), *map(page.first, _PUBLISHED_META)]
    found = _first_date(declared + tree.xpath(_TIME_XPATH))
    if found:
        return found
    # htmldate reads the visible page (bylines, URL, abbr, text patterns): date precision only.
    languages = _declared_languages(tree, page)
    # htmldate reads English dates best and takes what a header or footer prints as readily
    # as a byline: on pages in other languages, and when it answers with today's date (as
    # likely the header's clock), the date printed after the headline, read in the page's
    # own language, comes first.
    local = bool(languages) and not languages[0].lower().startswith("en")
    printed = visible_date(tree, languages) if local else None
    if printed:
        return printed
    found = _parse_date(find_date(tree, extensive_search=False, original_date=True, url=page.url))
    if found and (local or found < datetime.now(UTC) - _TODAY):
        return found
    return visible_date(tree, languages) or found


def _declared_languages(tree: Any, page: _Page) -> list[str]:
    """The languages the page says it is in: <html lang>, then og:locale."""
    root = tree.getroottree().getroot()
    declared = [root.get("lang") or "", page.first("og:locale") or ""]
    return [code for code in declared if code.strip()]


# --- body --------------------------------------------------------------------------------


def _body(tree: Any, cleaner: _Cleaner, rules: Rules) -> str:
    paragraphs = _paragraphs(tree, _FAST, cleaner)
    if rules.short_fallbacks:
        paragraphs = _short_body_fallbacks(tree, paragraphs, cleaner)
    if rules.balanced_rescue and _little_of_the_page(paragraphs, tree):
        balanced = _paragraphs(tree, _BALANCED, cleaner)
        if _balanced_wins(paragraphs, balanced):
            paragraphs = balanced
    if rules.join_continuations:
        paragraphs += cleaner.clean(continuation_paragraphs(tree, paragraphs))
    return "\n\n".join(paragraphs)


def _balanced_wins(precise: list[str], balanced: list[str]) -> bool:
    """The precise pass picked a wrong container: it kept a small part of what there is."""
    return _chars(precise) < _RESCUE_SHARE * _chars(balanced)


def _short_body_fallbacks(tree: Any, paragraphs: list[str], cleaner: _Cleaner) -> list[str]:
    if _chars(paragraphs) < _SECOND_OPINION_BELOW_CHARS:
        paragraphs = _paragraphs(tree, _SECOND_OPINION, cleaner) or paragraphs
    if _chars(paragraphs) < _RECALL_BELOW_CHARS:
        paragraphs = max(paragraphs, _paragraphs(tree, _RECALL, cleaner), key=_chars)
    return paragraphs or cleaner.clean(main_container_lines(tree))


def _little_of_the_page(paragraphs: list[str], tree: Any) -> bool:
    """Whether ``paragraphs`` hold less than _ASK_BALANCED_SHARE of the page's visible text."""
    body = tree.find("body")
    if body is None:
        return False
    chars, text = _chars(paragraphs), _ALL_TEXT(body)
    if chars >= _ASK_BALANCED_SHARE * len(text):
        return False  # squeezing the text can only shorten it: no need to
    hidden = sum(len(_squeeze(_ALL_TEXT(e))) for e in body.iter("script", "style", "noscript"))
    return chars < _ASK_BALANCED_SHARE * (len(_squeeze(text)) - hidden)


def _squeeze(text: str) -> str:
    return " ".join(text.split())


_ALL_TEXT = etree.XPath("string()")


def _chars(paragraphs: list[str]) -> int:
    return sum(map(len, paragraphs))


def _paragraphs(tree: Any, options: Extractor, cleaner: _Cleaner) -> list[str]:
    """trafilatura's body (it works on a copy of ``tree``), one string per block."""
    document = trafilatura.bare_extraction(tree, options=options)
    body = getattr(document, "body", None)
    if body is None:
        return []
    return cleaner.clean([_block_text(block) for block in body])


def _block_text(element: Any) -> str:
    lines = (line.strip() for line in xmltotxt(element, False).split("\n"))
    # Markdown table rules ("|---|---|") carry no text.
    return "\n".join(line for line in lines if line and line.strip("|-: "))


@dataclass(frozen=True, slots=True)
class _Cleaner:
    """Drops the repeated headline, UI notices, and bio text that escaped the box rules."""

    folded_title: str
    folded_bio: str
    rules: Rules

    @classmethod
    def for_article(cls, title: str, bio: str, rules: Rules) -> _Cleaner:
        return cls(fold(title), fold(bio), rules)

    def clean(self, paragraphs: list[str]) -> list[str]:
        return [p for p in paragraphs if not self._unwanted(p, fold(p))]

    def _unwanted(self, paragraph: str, folded: str) -> bool:
        if not folded:
            return True  # punctuation, bullets, nothing to read
        if self.rules.drop_notices and is_notice(paragraph, folded):
            return True
        if not self.rules.drop_repeats:
            return False
        if folded == self.folded_title:
            return True
        return bool(self.folded_bio) and len(folded) > 30 and folded in self.folded_bio
