"""A local site that attacks its crawler: bombs, floods, tar pits, loops, lies and damage.

Served on 127.0.0.1 from a thread (``serve_hostile()``), for the hostile-site tests and for
``python -m benchmarks.hostile``. Its home page links normal articles in between the hostile
cases, so a test can check that the crawl stores the normal ones and names every hostile one.
Each case is a `Case`: its path, what it does, and the reason the crawl summary must give.
"""

from __future__ import annotations

import os
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import quote, unquote

from tests.local_server import serve_handler

MB = 1024 * 1024
BOMB_EXPANDED = 1024 * MB  # what a gzip bomb expands to; its download is about 1 MB
DEEP_NESTING = 50_000
LINK_FLOOD = 200_000
SITEMAP_CHAIN = 1_000
LONG_QUERY = 3_000  # characters: past Scrapy's URLLENGTH_LIMIT of 2,083


@dataclass(frozen=True)
class Case:
    """One hostile page: where it is, what it does, and the reason a crawl must report."""

    path: str
    what: str
    reason: str  # "stored" when the crawl must keep the article despite the damage
    kind: str = "failures"  # where the reason is counted: failures, skipped, or stored
    stored_at: str = ""  # where a stored case ends up, when not at `path` (redirects)


CASES = (
    Case("/2024/05/gzip-bomb-article-page/", "gzip bomb page (1 MB -> 1 GB)", "too_large"),
    Case("/2024/05/sixty-megabyte-article-page/", "60 MB page, no Content-Length", "too_large"),
    Case("/2024/05/never-finishing-article-page/", "page that never finishes sending", "timeout"),
    Case("/2024/05/random-bytes-article-page/", "random bytes as text/html", "not_article",
         "skipped"),
    Case("/2024/05/two-hundred-thousand-links/", "page with 200,000 links", "stored", "stored"),
    Case("/feed.xml", "billion-laughs feed", "malformed_feed"),
    Case("/2024/05/nul-bytes-and-surrogates/", "NUL bytes and lone surrogates", "stored",
         "stored"),
    Case("/sitemap-huge.xml", "100 MB sitemap", "too_large"),
    Case("/sitemap-bomb.xml.gz", "gzip-bomb sitemap (1 MB -> 1 GB)", "too_large"),
    Case("/sitemap-self.xml", "self-referencing sitemap index", "sitemap_loop", "skipped"),
    Case("/sitemap-chain-0.xml", f"chain of {SITEMAP_CHAIN} sitemap indexes", "sitemap_depth",
         "skipped"),
    Case("/2024/05/flaky-until-third-try/", "500, 500, then 200", "stored", "stored"),
    Case("/2024/05/redirect-chain-start/", "301 -> 302 -> 200", "stored", "stored",
         "/2024/05/redirect-chain-end/"),
    Case("/2024/05/redirect-loop-article/", "redirect loop", "redirect_loop"),
    Case("/2024/05/truncated-body-article/", "Content-Length longer than the body",
         "truncated_body"),
    Case("/2024/05/long-query-article-link/?q=", f"link of {LONG_QUERY} characters",
         "url_too_long", "skipped"),
    Case("/2024/05/declared-utf8-sent-cp1252/", "says UTF-8, is windows-1252", "stored",
         "stored"),
    Case("/2024/05/utf16-without-a-bom/", "UTF-16 without a BOM", "stored", "stored"),
    Case("/2024/05/fifty-thousand-nested-divs/", f"{DEEP_NESTING} nested <div>", "stored",
         "stored"),
    Case("/2024/05/bidi-override-in-title/", "right-to-left override in title and author",
         "stored", "stored"),
)  # fmt: skip
NORMAL_PATHS = tuple(f"/2024/05/ordinary-article-number-{n}/" for n in range(1, 7))
# An Arabic slug, linked with upper-case escapes or (after `lower_escapes`) lower-case ones:
# one article either way.
ESCAPED_PATH = "/2024/05/" + quote("مقال-عن-التقنية-المالية") + "/"

_PARAGRAPHS = (
    "Mobile money has changed how small traders in Dakar and Abidjan keep their accounts, and "
    "the fintech startups that serve them are now raising larger rounds than ever before.",
    "Founders told us that regulators have become more open to sandbox programmes, although "
    "licensing still takes many months and the rules differ from one country to the next.",
    "Investors point to the growth of instant payment rails as the main reason for the surge, "
    "while engineers worry about fraud, outages and the cost of reaching rural customers.",
    "Les entrepreneurs du secteur estiment que la prochaine étape sera l'interopérabilité "
    "entre les opérateurs, un chantier technique autant que politique pour toute la région.",
)


def article_html(title: str, author: str = "Awa Ndiaye", body: str = "", head: str = "") -> str:
    """A plain WordPress-like article page: headline, byline, date and four paragraphs."""
    paragraphs = body or "".join(f"<p>{text}</p>" for text in _PARAGRAPHS)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{head}'
        f'<title>{title}</title><meta property="og:type" content="article">'
        f'<meta name="author" content="{author}">'
        '<meta property="article:published_time" content="2024-05-02T09:00:00+00:00">'
        f'</head><body><header><nav><a href="/">Home</a></nav></header><main><article>'
        f'<h1 class="entry-title">{title}</h1><p class="byline">By <a rel="author" '
        f'href="/author/awa/">{author}</a> · <time datetime="2024-05-02">2 May 2024</time></p>'
        f'<div class="entry-content">{paragraphs}</div></article></main>'
        "<footer><p>© Hostile Tech</p></footer></body></html>"
    )


@dataclass
class HostileSite:
    """A running hostile site: its base URL and how often each path was asked for."""

    base_url: str = ""
    lower_escapes: bool = False  # link ESCAPED_PATH as /%d9%85.../ instead of /%D9%85.../
    only: Case | None = None  # serve this case alone (with one normal article), for timing
    hits: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def hit(self, path: str) -> int:
        with self.lock:
            self.hits[path] = self.hits.get(path, 0) + 1
            return self.hits[path]


@cache
def _gzip_of_zeros(prefix: bytes, size: int) -> bytes:
    """`prefix` then `size` spaces, gzip-compressed (about 1 MB per GB)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = b" " * (16 * MB)
    parts = [packer.compress(prefix)]
    parts.extend(packer.compress(chunk) for _ in range(size // len(chunk)))
    parts.append(packer.flush())
    return b"".join(parts)


def _home(site: HostileSite) -> str:
    escaped = ESCAPED_PATH.lower() if site.lower_escapes else ESCAPED_PATH
    links = [*NORMAL_PATHS[:3], *(case.path for case in CASES), *NORMAL_PATHS[3:], escaped]
    if site.only is not None:
        links = [NORMAL_PATHS[0], site.only.path]
    links = [p + "x" * LONG_QUERY if p.endswith("?q=") else p for p in links]
    items = "".join(f'<li><a href="{site.base_url}{path}">{path}</a></li>' for path in links)
    return f"<!DOCTYPE html><html><head><title>Hostile Tech</title></head><body><ul>{items}</ul>"


class _Handler(BaseHTTPRequestHandler):
    site: HostileSite
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        path = self.path
        count = self.site.hit(path)
        handler = _ROUTES.get(path.split("?", 1)[0])
        if handler is None and path in NORMAL_PATHS:
            title = f"Ordinary article number {path.rstrip('/')[-1]} about payments in Dakar"
            self.send(200, article_html(title).encode())
        elif handler is None and unquote(path) == unquote(ESCAPED_PATH):
            self.send(200, article_html("Fintech in Amman", body=ARABIC_BODY * 2).encode())
        elif handler is None and path.startswith("/sitemap-chain-"):
            self._sitemap_chain(int(path.removeprefix("/sitemap-chain-").removesuffix(".xml")))
        elif handler is None:
            self.send(404, b"not found", "text/plain")
        else:
            handler(self, count)

    def send(
        self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8", **headers: str
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, status: int, location: str) -> None:
        self.send(status, b"", "text/plain", Location=self.site.base_url + location)

    def stream(self, ctype: str, head: bytes, filler: bytes, total: int) -> None:
        """Send `head` then `filler` up to `total` bytes, with no Content-Length."""
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        try:
            self.wfile.write(head)
            for _ in range(total // len(filler)):
                self.wfile.write(filler)
        except OSError:
            return  # the crawler hung up, as it should

    def _sitemap_chain(self, number: int) -> None:
        following = f"{self.site.base_url}/sitemap-chain-{number + 1}.xml"
        entries = f"<sitemap><loc>{following}</loc></sitemap>" if number < SITEMAP_CHAIN else ""
        body = f'<?xml version="1.0"?><sitemapindex>{entries}</sitemapindex>'
        self.send(200, body.encode(), "application/xml")

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test reads the crawl's summary, not the server's log."""


def _home_page(handler: _Handler, _count: int) -> None:
    handler.send(200, _home(handler.site).encode())


def _robots(handler: _Handler, _count: int) -> None:
    handler.send(200, b"User-agent: *\nAllow: /\n", "text/plain")


def _gzip_bomb_page(handler: _Handler, _count: int) -> None:
    bomb = _gzip_of_zeros(b"<!DOCTYPE html><html><body><p>", BOMB_EXPANDED)
    handler.send(200, bomb, Content_Encoding="gzip")


def _sixty_megabytes(handler: _Handler, _count: int) -> None:
    head = article_html("A page that goes on and on").encode()
    handler.stream("text/html; charset=utf-8", head, b"<p>filler</p>" * 4096, 60 * MB)


def _never_finishes(handler: _Handler, _count: int) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(10 * MB))
    handler.end_headers()
    try:
        for _ in range(600):  # a byte a second: ten minutes, far past any download timeout
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(1)
    except OSError:
        return


def _random_bytes(handler: _Handler, _count: int) -> None:
    handler.send(200, os.urandom(64 * 1024))


def _link_flood(handler: _Handler, _count: int) -> None:
    links = "".join(f'<a href="/tag/topic-{n}/">topic {n}</a> ' for n in range(LINK_FLOOD))
    body = "".join(f"<p>{text}</p>" for text in _PARAGRAPHS) + f"<div class='tags'>{links}</div>"
    handler.send(200, article_html("A page with two hundred thousand links", body=body).encode())


def _billion_laughs_feed(handler: _Handler, _count: int) -> None:
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">' for n in range(1, 10)
    )
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]><rss version="2.0"><channel>'
        "<title>&lol9;</title><item><title>laughs</title>"
        f"<link>{handler.site.base_url}{NORMAL_PATHS[0]}</link></item></channel></rss>"
    )
    handler.send(200, body.encode(), "application/rss+xml")


def _nul_and_surrogates(handler: _Handler, _count: int) -> None:
    damaged = (
        "<p>Null bytes\x00 inside a sentence about fintech regulation in Senegal and Mali.</p>"
        "<p>A lone surrogate &#xD800; written as an entity, and another one &#xDFFF; too.</p>"
    )
    page = article_html("Null bytes and lone surrogates in a payments story")
    page = page.replace('<div class="entry-content">', f'<div class="entry-content">{damaged}')
    body = page.encode().replace(b"fintech regulation", b"fintech \xed\xa0\x80 regulation")
    handler.send(200, body)


def _huge_sitemap(handler: _Handler, _count: int) -> None:
    entry = f"<url><loc>{handler.site.base_url}/2024/05/sitemap-flood-entry/</loc></url>".encode()
    handler.stream("application/xml", b'<?xml version="1.0"?><urlset>', entry * 100, 100 * MB)


def _sitemap_bomb(handler: _Handler, _count: int) -> None:
    bomb = _gzip_of_zeros(b'<?xml version="1.0"?><urlset>', BOMB_EXPANDED)
    handler.send(200, bomb, "application/x-gzip")


def _self_sitemap(handler: _Handler, _count: int) -> None:
    loc = f"{handler.site.base_url}/sitemap-self.xml"
    body = f'<?xml version="1.0"?><sitemapindex><sitemap><loc>{loc}</loc></sitemap></sitemapindex>'
    handler.send(200, body.encode(), "application/xml")


def _flaky(handler: _Handler, count: int) -> None:
    if count <= 2:
        handler.send(500, b"try again", "text/plain")
    else:
        handler.send(200, article_html("A flaky page that works on the third try").encode())


def _redirect_start(handler: _Handler, _count: int) -> None:
    handler.redirect(301, "/hop/two/")


def _redirect_hop(handler: _Handler, _count: int) -> None:
    handler.redirect(302, "/2024/05/redirect-chain-end/")


def _redirect_end(handler: _Handler, _count: int) -> None:
    handler.send(200, article_html("The end of a chain of redirects").encode())


def _loop_a(handler: _Handler, _count: int) -> None:
    handler.redirect(301, "/loop/b/")


def _loop_b(handler: _Handler, _count: int) -> None:
    handler.redirect(302, "/2024/05/redirect-loop-article/")


def _truncated(handler: _Handler, _count: int) -> None:
    body = article_html("A body cut short by the server").encode()
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(len(body) * 3))
    handler.send_header("Connection", "close")
    handler.end_headers()
    handler.close_connection = True
    handler.wfile.write(body)


def _long_query(handler: _Handler, _count: int) -> None:
    handler.send(200, article_html("Reached by a very long link").encode())


CP1252_TITLE = "Levée de fonds : 5 M€ pour une « fintech » sénégalaise"
CP1252_BODY = (
    "<p>La société a levé 5 M€ auprès d’investisseurs français et ivoiriens, un record pour "
    "une jeune pousse de Dakar spécialisée dans le paiement mobile et l’épargne.</p>"
    "<p>« Nous allons recruter à Abidjan et à Cotonou », précise sa fondatrice, qui "
    "prévoit d’ouvrir trois bureaux d’ici à la fin de l’année prochaine.</p>"
)


def _declared_utf8_sent_cp1252(handler: _Handler, _count: int) -> None:
    page = article_html(CP1252_TITLE, author="Aïssatou Diallo", body=CP1252_BODY * 2)
    handler.send(200, page.encode("cp1252"))


UTF16_TITLE = "Startups in Nairobi raise record funding for climate technology"


def _utf16_without_bom(handler: _Handler, _count: int) -> None:
    page = article_html(UTF16_TITLE).replace('<meta charset="utf-8">', "")
    handler.send(200, page.encode("utf-16-le"), "text/html")


def _deep_nesting(handler: _Handler, _count: int) -> None:
    title = "An article buried under fifty thousand unclosed divs"
    page = article_html(title)
    page = page.replace("<main>", "<main>" + "<div>" * DEEP_NESTING)
    handler.send(200, page.encode())


BIDI_TITLE = "Startups \u202egnirps ni\u202c raise funds in Amman"
BIDI_AUTHOR = "Layla \u202eHaddad\u202c"
ARABIC_BODY = (
    "<p>أعلنت شركة ناشئة أردنية في مجال التقنية المالية عن جولة تمويل جديدة بقيمة خمسة ملايين "
    "دولار، في خطوة تعكس اهتمام المستثمرين المتزايد بالسوق الأردنية والمنطقة العربية.</p>"
    "<p>وقال مؤسس الشركة إن التمويل سيستخدم لتوسيع فريق الهندسة وإطلاق خدمات الدفع الفوري "
    "في ثلاث دول عربية خلال العام المقبل، مع التركيز على الشركات الصغيرة.</p>"
)


def _bidi_override(handler: _Handler, _count: int) -> None:
    page = article_html(BIDI_TITLE, author=BIDI_AUTHOR, body=ARABIC_BODY * 2)
    handler.send(200, page.replace('lang="en"', 'lang="ar" dir="rtl"').encode())


_ROUTES: dict[str, Callable[[_Handler, int], None]] = {
    "/": _home_page,
    "/robots.txt": _robots,
    "/2024/05/gzip-bomb-article-page/": _gzip_bomb_page,
    "/2024/05/sixty-megabyte-article-page/": _sixty_megabytes,
    "/2024/05/never-finishing-article-page/": _never_finishes,
    "/2024/05/random-bytes-article-page/": _random_bytes,
    "/2024/05/two-hundred-thousand-links/": _link_flood,
    "/feed.xml": _billion_laughs_feed,
    "/2024/05/nul-bytes-and-surrogates/": _nul_and_surrogates,
    "/sitemap-huge.xml": _huge_sitemap,
    "/sitemap-bomb.xml.gz": _sitemap_bomb,
    "/sitemap-self.xml": _self_sitemap,
    "/2024/05/flaky-until-third-try/": _flaky,
    "/2024/05/redirect-chain-start/": _redirect_start,
    "/hop/two/": _redirect_hop,
    "/2024/05/redirect-chain-end/": _redirect_end,
    "/2024/05/redirect-loop-article/": _loop_a,
    "/loop/b/": _loop_b,
    "/2024/05/truncated-body-article/": _truncated,
    "/2024/05/long-query-article-link/": _long_query,
    "/2024/05/declared-utf8-sent-cp1252/": _declared_utf8_sent_cp1252,
    "/2024/05/utf16-without-a-bom/": _utf16_without_bom,
    "/2024/05/fifty-thousand-nested-divs/": _deep_nesting,
    "/2024/05/bidi-override-in-title/": _bidi_override,
}

SITEMAPS = ("/sitemap-huge.xml", "/sitemap-bomb.xml.gz", "/sitemap-self.xml",
            "/sitemap-chain-0.xml")  # fmt: skip


def sources_entry(site: HostileSite, name: str = "hostile") -> str:
    """The sources.toml entry that points a crawl at every door of the hostile site."""
    wanted = {site.only.path} if site.only else {*SITEMAPS, "/feed.xml"}
    sitemaps = ", ".join(f'"{site.base_url}{path}"' for path in SITEMAPS if path in wanted)
    feeds = f'"{site.base_url}/feed.xml"' if "/feed.xml" in wanted else ""
    return (
        f'[[sources]]\nname = "{name}"\nurl = "{site.base_url}/"\ncountry = "SN"\n'
        f"feeds = [{feeds}]\nsitemaps = [{sitemaps}]\n"
    )


@contextmanager
def serve_hostile() -> Iterator[HostileSite]:
    """Serve the hostile site on a free port of 127.0.0.1 for the duration of the block."""
    _gzip_of_zeros(b"<!DOCTYPE html><html><body><p>", BOMB_EXPANDED)  # built before the clock
    _gzip_of_zeros(b'<?xml version="1.0"?><urlset>', BOMB_EXPANDED)
    site = HostileSite()
    with serve_handler(type("Handler", (_Handler,), {"site": site})) as site.base_url:
        yield site
