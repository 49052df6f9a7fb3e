"""Content-management-system APIs that list every post a site has. PURE.

WordPress's REST API below; Blogger's paged post feeds and Ghost's RSS pages at the end.

Most of the blogs Sankofa follows run WordPress, whose REST API (on by default since 4.7)
lists every post with its permalink and dates, 100 at a time: far cheaper than walking
listing pages, and complete where a sitemap is missing. The API says what exists; each
article page is still fetched and extracted as any other.

* Found from the home page's ``<link rel="https://api.w.org/" href="…/wp-json/">`` (what
  WordPress itself prints), or from a ``generator`` meta tag naming WordPress.
* Paged with ``/wp/v2/posts?per_page=100&page=N&orderby=date&order=desc``: newest first,
  so a crawl ``--since`` a date stops at the first page older than that date.
* Answers documented in the REST API handbook: a JSON list of posts, the page count in the
  ``X-WP-TotalPages`` header, and ``400 rest_post_invalid_page_number`` past the last page.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Final
from urllib.parse import urlencode, urljoin, urlsplit

import lxml.html

from crawler.dates import parse_date
from crawler.discover.links import Listed, join_url

WORDPRESS_API_REL: Final = "https://api.w.org/"
POSTS_PER_PAGE: Final = 100  # the API's own maximum
# Only what discovery needs: smaller answers, and no post content to parse.
_FIELDS: Final = "link,date_gmt,modified_gmt,author"


def wordpress_api_root(html: bytes | str, base_url: str) -> str | None:
    """The REST API root a WordPress page announces, else None."""
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return None
    for link in tree.iter("link"):
        rels = (link.get("rel") or "").split()
        href = str(link.get("href") or "").strip()
        if WORDPRESS_API_REL in rels and href and (root := join_url(base_url, href)):
            return root
    for meta in tree.iter("meta"):
        if (meta.get("name") or "").lower() == "generator" and "wordpress" in (
            meta.get("content") or ""
        ).lower():
            parts = urlsplit(base_url)
            return f"{parts.scheme}://{parts.netloc}/wp-json/"
    return None


def wordpress_posts_url(api_root: str, page: int, since: datetime | None = None) -> str:
    """Page `page` (from 1) of the posts, newest first, published after `since` if given."""
    query = {"per_page": POSTS_PER_PAGE, "page": page, "orderby": "date", "order": "desc",
             "_fields": _FIELDS}  # fmt: skip
    if since is not None:
        query["after"] = since.strftime("%Y-%m-%dT%H:%M:%S")
    if "rest_route=" in api_root:  # sites without pretty permalinks: /?rest_route=/
        return f"{api_root.rstrip('/')}/wp/v2/posts&{urlencode(query)}"
    return urljoin(api_root if api_root.endswith("/") else api_root + "/", "wp/v2/posts") + (
        "?" + urlencode(query)
    )


def wordpress_users_url(api_root: str) -> str:
    """The site's authors with their biographies (`description`), 100 of them."""
    query = urlencode({"per_page": POSTS_PER_PAGE, "_fields": "id,description"})
    if "rest_route=" in api_root:
        return f"{api_root.rstrip('/')}/wp/v2/users&{query}"
    base = api_root if api_root.endswith("/") else api_root + "/"
    return urljoin(base, "wp/v2/users") + "?" + query


def parse_wordpress_users(body: bytes) -> dict[int, str]:
    """{author id: biography as plain text} for the authors who wrote one."""
    users = _json_list(body) or []
    bios = {}
    for user in users:
        if isinstance(user, dict) and isinstance(user.get("id"), int):
            bio = _plain_text(user.get("description"))
            if bio:
                bios[user["id"]] = bio
    return bios


def parse_wordpress_posts(body: bytes, bios: dict[int, str] | None = None) -> list[Listed] | None:
    """The posts of one API page, with their publication dates and, from `bios`, their
    authors' biographies; None when the answer is not a list of posts (an error object, HTML
    from a security plugin, broken JSON)."""
    posts = _json_list(body)
    if posts is None:
        return None
    listed = []
    for post in posts:
        if isinstance(post, dict) and isinstance(post.get("link"), str):
            date = post.get("date_gmt")
            published = parse_date(date + "Z") if isinstance(date, str) else None
            bio = (bios or {}).get(post["author"]) if isinstance(post.get("author"), int) else None
            listed.append(Listed(post["link"], published, bio))
    return listed


def _json_list(body: bytes) -> list[object] | None:
    try:
        parsed = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    return parsed if isinstance(parsed, list) else None


def _plain_text(description: object) -> str:
    """A user's `description` may hold HTML: its text, whitespace folded."""
    if not isinstance(description, str) or not description.strip():
        return ""
    try:
        text = lxml.html.fromstring(f"<div>{description}</div>").text_content()
    except (ValueError, lxml.etree.ParserError):
        text = description
    return " ".join(text.split())


# Blogger's post feed (documented in its Data API): 25 entries by default, up to 150 a page,
# paged with rel="next" links; `max-results` asks for full pages.
_BLOGGER_FEED = re.compile(r"/feeds/posts/(default|summary)/?$")
BLOGGER_PAGE_SIZE: Final = 150


def full_feed_pages(url: str) -> str:
    """`url`, asking for Blogger's largest feed pages when it is a Blogger post feed."""
    parts = urlsplit(url)
    if not _BLOGGER_FEED.search(parts.path) or "max-results=" in parts.query:
        return url
    query = f"{parts.query}&" if parts.query else ""
    return parts._replace(query=f"{query}max-results={BLOGGER_PAGE_SIZE}").geturl()


# Ghost's RSS feed (`/rss/`) holds 15 posts and pages older ones as `/rss/2/`, `/rss/3/`...
# without saying so in the feed: its <generator> says Ghost, the path gives the page.
_GHOST_RSS = re.compile(r"^(?P<root>.*/rss/)(?:(?P<page>\d+)/)?$")


def next_ghost_rss_page(url: str, generator: str) -> str | None:
    """The next (older) page of a Ghost RSS feed at `url`, else None."""
    if not generator.lower().startswith("ghost"):
        return None
    parts = urlsplit(url)
    match = _GHOST_RSS.match(parts.path)
    if match is None:
        return None
    page = int(match.group("page") or 1) + 1
    return parts._replace(path=f"{match.group('root')}{page}/", query="").geturl()
