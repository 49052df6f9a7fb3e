"""What a page declares about itself, read from the intact tree: title, authors, author
page, dates, site, tags and categories, description, image, canonical URL and the language
hints (<html lang>, og:locale, hreflang). PURE.

The page's declarations are read once (``crawler.extract.declarations``); who wrote it is
``crawler.extract.authors``'s to say. Declared values come first (JSON-LD, <meta>, <time>,
rel links); what the page only prints (a byline, a date after the headline) is read when
nothing is declared.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, Final
from urllib.parse import urljoin, urlsplit

from htmldate import find_date
from lxml import etree

from crawler.dates import aware, parse_moment
from crawler.discover.canonical import canonicalize_url
from crawler.extract.authors import page_authors
from crawler.extract.bio import jsonld_people
from crawler.extract.boilerplate import block_lines, fold, squashed
from crawler.extract.declarations import (
    Page,
    declared_languages,
    declared_text,
    publisher_name,
)
from crawler.extract.local_dates import visible_date
from crawler.items import Article, LanguageHints

_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " » ", " · ", " • ", " : ")
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
# Microdata on an element other than <meta> or <time>, and hAtom's <abbr title="ISO date">
# (Blogger's themes print the time of day and keep the date in the title).
_ITEM_DATES = etree.XPath(
    "//*[@itemprop='datePublished']/@content"
    " | //abbr[@itemprop='datePublished' or contains(concat(' ', @class, ' '), ' published ')]"
    "/@title",
    smart_strings=False,
)
_EARLIEST_YEAR = 1990
_TODAY = timedelta(days=2)  # dates this recent may be a header's "today", not a byline's
# A day in the address's path: "/2025/05/07/", "/2025-05-07/" (the permalink's own date).
_ADDRESS_DAY: Final = re.compile(r"/((?:19|20)\d\d)[/-]([01]\d)[/-]([0-3]\d)(?=[/_-]|$)")
# How far a <time> may be from the address's day: the two may be written in different zones.
_ADDRESS_SLACK = timedelta(days=2)


def absolute_url(base: str, href: str | None) -> str | None:
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


def read_metadata(tree: Any, page: Page, canonical: str) -> Article:
    """An Article holding what the page declares; its text, bio and extractor are the
    caller's to fill."""
    tag_links, category_links = _rel_links(tree)
    return Article(
        url=page.url,
        canonical_url=canonical,
        title=_title(tree, page),
        text="",
        authors=page_authors(tree, page),
        author_url=_author_url(tree, page),
        published=_published(tree, page),
        modified=_first_date([page.article.get("dateModified"), *map(page.first, _MODIFIED_META)]),
        site_name=page.first("og:site_name", "application-name") or publisher_name(page),
        tags=_dedupe(page.meta.get("article:tag", []) + _keywords(page) + tag_links),
        categories=_dedupe(_sections(page) + category_links),
        description=page.first("og:description", "description", "twitter:description"),
        image_url=absolute_url(page.url, page.first("og:image", "twitter:image") or _image(page)),
        hints=_hints(tree, page, canonical),
    )


def canonical_url(page: Page) -> str:
    """rel=canonical (AMP copies point to the article), else og:url, else the URL itself."""
    for href, _ in page.links.get("canonical", []):
        key = url_key(page.url, href)
        # A canonical pointing at the home page is a theme bug, not a statement about the article.
        if key and urlsplit(key).path.strip("/"):
            return key
    return url_key(page.url, page.first("og:url") or "") or canonicalize_url(page.url)


@functools.lru_cache(maxsize=1024)  # a page's own address is asked for three times
def url_key(base: str, href: str) -> str | None:
    """The canonical form of ``href`` read against ``base``; None for what is no URL."""
    try:
        return canonicalize_url(urljoin(base, href.strip()))
    except ValueError:  # "http://[::1", "http://host:port/": pages carry such links
        return None


_SITE_NAME_WORDS = 3  # "Rust Blog", "Shopify App Store"; a longer part is a subtitle


def _title(tree: Any, page: Page) -> str:
    site = page.first("og:site_name") or publisher_name(page) or _host_label(page.url)
    hosts = _host_names(page.url)
    title = (
        declared_text(page.article.get("headline")) or page.first("og:title", "twitter:title") or ""
    )
    window_title = declared_text(tree.findtext(".//title"))
    declared = title
    title = _strip_site(title or window_title, site, hosts)
    heading = _strip_site(_h1(tree, title), site, hosts)
    # The page's headline is the title its readers see. The declared titles (headline,
    # og:title, <title>) are often rewritten for search engines and social cards, so they
    # serve when the page has no headline (see _h1), or its headline is a label: the site's
    # name, or a word or two once that name is cut ("Opinion | Techpoint Africa").
    if len(heading) < _HEADLINE_MIN_CHARS or _names_site(heading, site, hosts):
        return title
    if _beside_declared(heading, declared, window_title):
        return title
    return heading


def _beside_declared(heading: str, declared: str, window_title: str) -> bool:
    """Whether the window title is the declared title with the heading beside it ("Blog
    name: Post title" where og:title is "Post title"): the heading is then the site's name,
    which a theme may print as the page's only <h1> (Blogger's), whether or not the page
    names its site anywhere else."""
    heading, declared, window = squashed(heading), squashed(declared), squashed(window_title)
    # The shorter part is the site's: "Post title | Site" with og:title "Site" is a headline.
    shorter = 0 < len(heading) < len(declared)
    return shorter and window in (
        heading + declared,
        declared + heading,
    )


_HEADLINE_MIN_CHARS = 9  # shorter: a section's name ("Opinion", "Blog"), not a headline


def _h1(tree: Any, declared: str) -> str:
    """The page's headline: its one <h1>; of several, the one the declared title names.

    Themes print the site's name, a modal's or a related-posts box's label in an <h1> of
    their own, or the headline twice (mobile and desktop); the declared title, rewritten for
    search engines as it may be, still shares its words with the headline it rewrites."""
    # One line, as it reads on screen: a <br> parts words ("WEEKEND<br>CODING").
    # Unescaped too: a theme that escapes twice prints "SQL &#x26; AI" in the headline.
    shown = list(tree.iter("h1"))
    home = [h for h in shown if _links_home(h)]  # the site's name, not a headline
    headings = [declared_text(" ".join(block_lines(h))) for h in shown if h not in home]
    headings = list(dict.fromkeys(h for h in headings if len(h) >= _HEADLINE_MIN_CHARS))
    if len(headings) <= 1 and not home:
        return headings[0] if headings else ""
    if not headings:
        return ""
    named = _words(declared)
    shares = [_share_named(_words(heading), named) for heading in headings]
    best = max(range(len(headings)), key=shares.__getitem__)  # the first of equals
    return headings[best] if shares[best] >= _NAMED_SHARE else ""


def _links_home(heading: Any) -> bool:
    """Whether the <h1> is a link to the site's home page: the site's name in its header
    (Blogger's Contempo, many blog themes), not the page's headline."""
    links = heading.findall(".//a[@href]")
    if len(links) != 1:
        return False
    target = urlsplit(links[0].get("href").strip())
    root = target.path == "/" or (target.netloc != "" and target.path == "")
    return root and not target.query and not target.fragment


def _share_named(words: set[str], named: set[str]) -> float:
    """The share of ``words`` that ``named`` holds (0 for no words)."""
    return len(words & named) / len(words) if words else 0.0


_NAMED_SHARE = 0.6  # of the headline's words the declared title holds


def _words(text: str) -> set[str]:
    return set(_WORD.findall(fold(text)))


_WORD = re.compile(r"\w+")


def _host_label(url: str) -> str:
    """www.entermedia.co.kr -> "entermedia": what a title suffix says when no site name does."""
    return _host_labels(url)[0]


def _host_names(url: str) -> tuple[str, ...]:
    """ "tires.bridgestone.com" -> ("tires", "bridgestone"): the names a host gives its site."""
    labels = _host_labels(url)[:-1]
    return tuple(label for label in map(squashed, labels) if len(label) >= 4)


def _host_labels(url: str) -> list[str]:
    return (urlsplit(url).hostname or "").removeprefix("www.").split(".")


def _strip_site(title: str, site: str, hosts: tuple[str, ...] = ()) -> str:
    """ "Title | Site", "Site: Title" -> "Title". A short last part that names the host is
    the site's name too, however the page spells it: "| DianaHR" on getdianahr.com,
    "– mattressnap.com", "| Bridgestone Tires" on tires.bridgestone.com."""
    folded_site = squashed(site)
    for separator in _TITLE_SEPARATORS if folded_site or hosts else ():
        head, _, tail = title.rpartition(separator)
        if head and (squashed(tail) == folded_site or _names_host(tail, hosts)):
            return head.strip()
        first, _, rest = title.partition(separator)
        if rest and squashed(first) == folded_site:
            return rest.strip()
    return title


def _names_site(text: str, site: str, hosts: tuple[str, ...]) -> bool:
    return squashed(text) == squashed(site) or _names_host(text, hosts)


def _names_host(tail: str, hosts: tuple[str, ...]) -> bool:
    name = squashed(tail)
    if len(name) < 3 or len(tail.split()) > _SITE_NAME_WORDS:
        return False
    return any(name in host or host in name for host in hosts)


def _author_url(tree: Any, page: Page) -> str | None:
    urls = [declared_text(person.get("url")) for person in jsonld_people(page.article, page.nodes)]
    urls += tree.xpath("//a[@rel='author']/@href") + [h for h, _ in page.links.get("author", [])]
    return next((absolute_url(page.url, u) for u in urls if u and u.strip()), None)


def _keywords(page: Page) -> list[str]:
    raw = page.article.get("keywords") or []
    return _strings(raw.split(",") if isinstance(raw, str) else raw)


def _sections(page: Page) -> list[str]:
    raw = page.article.get("articleSection") or []
    return page.meta.get("article:section", []) + _strings([raw] if isinstance(raw, str) else raw)


def _strings(items: Any) -> list[str]:
    return (
        [declared_text(item) for item in items if declared_text(item)]
        if isinstance(items, list)
        else []
    )


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


def _image(page: Page) -> str | None:
    image = page.article.get("image")
    image = image[0] if isinstance(image, list) and image else image
    return (
        declared_text(image.get("url")) if isinstance(image, dict) else declared_text(image) or None
    )


def _hints(tree: Any, page: Page, canonical: str) -> LanguageHints:
    root = tree.getroottree().getroot()
    lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    own = {canonical, url_key(page.url, "")}
    hreflang = next(
        (code for href, code in page.links.get("alternate", [])
         if code and code != "x-default" and url_key(page.url, href) in own),
        None,
    )  # fmt: skip
    html_lang = lang.strip() if lang else None
    return LanguageHints(html_lang=html_lang, og_locale=page.first("og:locale"), hreflang=hreflang)


def _parse_date(value: Any) -> datetime | None:
    """ISO 8601 or RFC 2822, in the zone the page declares, so that the day is the one the
    publisher dated the page (storage keeps the instant, in UTC); no zone is taken as UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    moment = parse_moment(value) or _rfc2822(value)
    # Years like 0001 are CMS defaults ("0001-01-01T00:00:00"), not publication dates.
    return moment if moment and moment.year >= _EARLIEST_YEAR else None


def _rfc2822(value: str) -> datetime | None:
    try:
        moment = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return aware(moment)


def _first_date(candidates: list[Any]) -> datetime | None:
    return next((moment for c in candidates if (moment := _parse_date(c))), None)


def _published(tree: Any, page: Page) -> datetime | None:
    declared = [page.article.get("datePublished"), *map(page.first, _PUBLISHED_META)]
    found = _first_date(declared) or _own_time(tree, page.url) or _first_date(_sole_item_date(tree))
    if found:
        return found
    # htmldate reads the visible page (bylines, URL, abbr, text patterns): date precision only.
    languages = declared_languages(tree, page)
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


def _own_time(tree: Any, url: str) -> datetime | None:
    """The first date of the page's <time> elements that could be its own: when its address
    carries a day ("/2025/05/07/slug/", WordPress's dated permalinks), a <time> more than
    _ADDRESS_SLACK from it dates another item (a related post, a sidebar's latest news),
    whatever the class it shares with the page's own."""
    day = _address_day(url)
    for value in tree.xpath(_TIME_XPATH):
        moment = _parse_date(value)
        if moment is not None and (day is None or abs(moment - day) <= _ADDRESS_SLACK):
            return moment
    return None


def _address_day(url: str) -> datetime | None:
    dated = _ADDRESS_DAY.search(urlsplit(url).path)
    if dated is None:
        return None
    year, month, day = map(int, dated.groups())
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:  # not a calendar day after all
        return None


def _sole_item_date(tree: Any) -> list[str]:
    """The date an item's markup gives the page, when it gives one: a page whose markup
    dates several items (related posts, a sidebar's latest news) does not say which is its
    own."""
    dates = set(_ITEM_DATES(tree))
    return list(dates) if len(dates) == 1 else []
