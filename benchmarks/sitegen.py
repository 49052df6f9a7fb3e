"""Generate a static multilingual blog of N articles for crawl tests and benchmarks.

The site has what a real WordPress blog has: robots.txt with a Sitemap line, a sitemap
index, an RSS feed of the newest posts, a paginated home page (10 posts a page), and
articles with an author box and a comment form. Serve it with crawler.devsite.server.serve.
"""

from __future__ import annotations

import argparse
import random
from datetime import UTC, datetime, timedelta
from functools import cache
from html import escape
from pathlib import Path

from benchmarks.corpus_text import Vocabulary, vocabulary

PER_PAGE = 10
PER_SITEMAP = 200
_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
START = datetime(2024, 1, 1, 8, 0, tzinfo=UTC)

_LANGUAGES = {
    "en": ("A startup in {city} raised new funding to expand its mobile payment service.",
           "Investors say the market for digital wallets keeps growing across the region.",
           "The company plans to hire engineers and open a second office next year.",
           "Leave a Reply", "About the author"),
    "fr": ("Une start-up de {city} a levé des fonds pour étendre son service de paiement mobile.",
           "Les investisseurs estiment que le marché des portefeuilles numériques croît.",
           "L'entreprise prévoit de recruter des ingénieurs et d'ouvrir un bureau l'an prochain.",
           "Laisser un commentaire", "À propos de l'auteur"),
    "pt": ("Uma startup de {city} captou novos recursos para expandir seu serviço de pagamentos.",
           "Os investidores dizem que o mercado de carteiras digitais cresce na região.",
           "A empresa planeja contratar engenheiros e abrir um escritório em outra cidade.",
           "Deixe um comentário", "Sobre o autor"),
    "sw": ("Kampuni changa ya {city} imepata ufadhili mpya ili kupanua huduma yake ya malipo.",
           "Wawekezaji wanasema soko la pochi za kidijitali linaendelea kukua katika kanda hii.",
           "Kampuni inapanga kuajiri wahandisi na kufungua ofisi katika mji mwingine mwaka ujao.",
           "Acha jibu", "Kuhusu mwandishi"),
}  # fmt: skip
_CITIES = ("Lagos", "Nairobi", "Dakar", "Recife", "Maputo", "Kigali", "Accra", "Abidjan")


def article_path(index: int) -> str:
    published = published_at(index)
    return f"/{published:%Y/%m}/story-{index:05d}-mobile-payments/"


def published_at(index: int) -> datetime:
    return START + timedelta(hours=6 * index)


def _article_html(index: int, varied: bool = False) -> str:
    language = list(_LANGUAGES)[index % len(_LANGUAGES)]
    first, second, third, reply, about = _LANGUAGES[language]
    city = _CITIES[index % len(_CITIES)]
    title = f"{city} story {index}: {first.format(city=city)[:60]}"
    paragraphs = "".join(
        f"<p>{escape(sentence.format(city=city))} ({index}-{n})</p>"
        for n, sentence in enumerate((first, second, third) * 3)
    )
    if varied:
        paragraphs += _own_paragraphs(language, index)
    return (
        f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">'
        f"<title>{escape(title)} | Generated Tech</title>"
        f'<meta property="og:type" content="article">'
        f'<meta property="article:published_time" content="{published_at(index).isoformat()}">'
        f'<link rel="canonical" href="{{{{BASE}}}}{article_path(index)}"></head><body>'
        f'<article><h1 class="entry-title">{escape(title)}</h1>'
        f'<span class="author vcard"><a rel="author" href="/author/writer/">Writer {index % 7}</a>'
        f'</span><div class="entry-content">{paragraphs}</div>'
        f'<div class="author-box"><h4>{about}</h4><p>Writer {index % 7} reports on fintech '
        f"from {city}.</p></div></article>"
        f'<div id="respond" class="comment-respond"><h3 id="reply-title">{reply}</h3>'
        f'<form action="/wp-comments-post.php" method="post"><textarea></textarea></form></div>'
        f"{_CHROME if varied else ''}</body></html>"
    )


def _own_paragraphs(language: str, index: int) -> str:
    """Four paragraphs (200-450 words) of the language's Zipf-distributed words, drawn per
    article: text of its own, as real posts have, so no two articles are near-duplicates."""
    rng = random.Random(index)
    stream = _vocabulary(language)
    parts = (" ".join(stream.words(rng, rng.randint(50, 110))) for _ in range(4))
    return "".join(f"<p>{escape(part)}.</p>" for part in parts)


@cache
def _vocabulary(language: str) -> Vocabulary:
    return vocabulary(language)


# What a theme puts around every post: a menu, a sidebar of recent posts and a footer.
_CHROME = (
    '<nav class="menu">' + "".join(f'<a href="/category/c{i}/">Category {i}</a>' for i in range(24))
    + '</nav><aside class="sidebar"><h3>Recent posts</h3><ul>'
    + "".join(f'<li><a href="/recent/{i}/">Recent story {i}</a></li>' for i in range(10))
    + '</ul></aside><footer><p>© Generated Tech. All rights reserved.</p>'
    + "".join(f'<a href="/page-{i}/">Page {i}</a>' for i in range(8)) + "</footer>"
)  # fmt: skip


def _listing_html(page: int, count: int) -> str:
    first = count - 1 - (page - 1) * PER_PAGE
    indexes = range(first, max(first - PER_PAGE, -1), -1)
    links = "".join(f'<h2><a href="{article_path(i)}">Story {i}</a></h2>' for i in indexes)
    older = f'<a class="next" href="/page/{page + 1}/">Older posts</a>' if first >= PER_PAGE else ""
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Generated Tech</title>'
        '<meta property="og:type" content="website">'
        '<link rel="alternate" type="application/rss+xml" href="{{BASE}}/feed.xml"></head>'
        f"<body>{links}{older}</body></html>"
    )


def _write(root: Path, path: str, text: str) -> None:
    target = root / path.lstrip("/")
    if path.endswith("/"):
        target = target / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def _sitemaps(root: Path, count: int) -> None:
    children = []
    for start in range(0, count, PER_SITEMAP):
        name = f"/post-sitemap{start // PER_SITEMAP + 1}.xml"
        urls = "".join(
            f"<url><loc>{{{{BASE}}}}{article_path(i)}</loc>"
            f"<lastmod>{published_at(i).isoformat()}</lastmod></url>"
            for i in range(start, min(start + PER_SITEMAP, count))
        )
        _write(
            root,
            name,
            f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>',
        )
        children.append(f"<sitemap><loc>{{{{BASE}}}}{name}</loc></sitemap>")
    index = "".join(children)
    _write(
        root,
        "/sitemap.xml",
        f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{index}</sitemapindex>',
    )


def _feed(root: Path, count: int) -> None:
    items = "".join(
        f"<item><title>Story {i}</title><link>{{{{BASE}}}}{article_path(i)}</link>"
        f"<pubDate>{published_at(i):%a, %d %b %Y %H:%M:%S +0000}</pubDate></item>"
        for i in range(count - 1, max(count - 21, -1), -1)
    )
    channel = f"<channel><title>Generated Tech</title>{items}</channel>"
    _write(root, "/feed.xml", f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>')


def generate_site(root: Path, count: int, *, varied: bool = False) -> list[str]:
    """Write a site of ``count`` articles under ``root``; return the article paths.
    `varied`: each article also has text of its own and the page a theme's menu, sidebar
    and footer (what a throughput benchmark needs); else every article is the same nine
    short sentences of its language, which crawl tests find easier to check."""
    _write(
        root, "/robots.txt", "User-agent: *\nDisallow: /wp-admin/\nSitemap: {{BASE}}/sitemap.xml\n"
    )
    for index in range(count):
        _write(root, article_path(index), _article_html(index, varied))
    pages = max(1, -(-count // PER_PAGE))
    _write(root, "/", _listing_html(1, count))
    for page in range(2, pages + 1):
        _write(root, f"/page/{page}/", _listing_html(page, count))
    _sitemaps(root, count)
    _feed(root, count)
    return [article_path(index) for index in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--articles", type=int, default=500)
    args = parser.parse_args()
    generate_site(args.folder, args.articles)


if __name__ == "__main__":
    main()
