"""What every exported field means: the codebook of JSONL, CSV, Parquet and HF exports.

One table, read by the Parquet schema (field metadata), the Hugging Face data card and
docs/datasets.md, so the three never disagree. Keys follow storage.export.rows.EXPORT_FIELDS.
"""

from __future__ import annotations

from typing import Final

# Exported fields that are not `articles` columns: they come from the source, the authors or
# (cluster_size) a count of the article's cluster.
DERIVED_FIELDS: Final = frozenset({"source", "country", "author", "cluster_size"})
# `articles` columns kept for Sankofa's own bookkeeping, deliberately not exported.
INTERNAL_COLUMNS: Final = frozenset(
    {"source_id", "author_id", "content_hash", "checked_at", "crawl_run_id", "body_hash", "minhash",
     "in_story"}  # in_story: cluster_size > 1, which is exported
)  # fmt: skip

# field -> (Parquet type, meaning)
CODEBOOK: Final[dict[str, tuple[str, str]]] = {
    "id": (
        "int64",
        "Sankofa's article id: stable across exports and re-crawls (an update keeps it).",
    ),
    "url": ("string", "The URL the article was fetched from."),
    "canonical_url": (
        "string",
        "The canonical URL (tracking parameters, AMP and share variants removed); unique.",
    ),
    "source": ("string", "The source's name in Sankofa's sources registry (sources.toml)."),
    "country": ("string", "ISO 3166-1 alpha-2 country of the source; null if not declared."),
    "title": ("string", "The headline."),
    "text": (
        "string",
        "The article body as plain text, paragraphs separated by a blank line; boilerplate, "
        "comments and the author box removed.",
    ),
    "author": ("string", "The first byline name; null when the page names no author."),
    "authors": ("list<string>", "Every byline name, in page order; empty when none."),
    "author_bio": ("string", "The author's bio as shown on the page; empty string when none."),
    "language": (
        "string",
        "ISO 639-1 code of the main language of title and body, or 'und' when undetermined.",
    ),
    "language_confidence": ("float64", "Confidence of `language`, 0 to 1."),
    "language_shares": (
        "list<struct<language: string, share: float64>>",
        "Share of the text's letters per language (per-paragraph detection); largest first "
        "in Parquet, a JSON object language → share in JSONL and CSV.",
    ),
    "code_switched": (
        "bool",
        "True when a second language holds a substantial share (15% or more) of the text, "
        "e.g. an English article quoting French paragraphs; `language` stays the main one.",
    ),
    "published": (
        "timestamp[us, UTC]",
        "Publication time as the page states it, in UTC; null when unknown.",
    ),
    "published_utc_offset": (
        "int64",
        "The UTC offset the page gave `published` in, in minutes east of UTC (-420 for "
        "-07:00): `published` plus this many minutes is the publisher's own time, and its "
        "date the day the publisher dated the article. 0 when the page gave no zone; null "
        "when there is no `published` or the article was stored before Sankofa kept it.",
    ),
    "modified": ("timestamp[us, UTC]", "Last modification time the page states, UTC; or null."),
    "site_name": ("string", "The site's own name (og:site_name or similar); or null."),
    "tags": ("list<string>", "Tags the page declares."),
    "categories": ("list<string>", "Categories or sections the page declares."),
    "description": ("string", "The page's meta description; or null."),
    "image_url": ("string", "The page's lead image (og:image); or null."),
    "extractor": ("string", "The extraction software and version that produced the text."),
    "fetched_at": ("timestamp[us, UTC]", "When the stored version of the page was fetched (UTC)."),
    "first_seen_at": ("timestamp[us, UTC]", "When Sankofa first stored this article (UTC)."),
    "page_kind": (
        "string",
        "What the page classifier took the page for: 'article', or, for a page kept because "
        "an article might be lost otherwise, 'listing', 'product', 'service', 'forum', "
        "'collection', 'documentation' or 'other'. Exports hold only 'article' unless asked.",
    ),
    "article_score": (
        "float64",
        "The classifier's article score, 0 to 1 (null for pages stored before scoring).",
    ),
    "text_quality": (
        "string",
        "'ok', or 'replacement_chars' when the title, body or bio holds U+FFFD: the page had "
        "bytes that no encoding explains, even after re-detecting its real encoding.",
    ),
    "cluster_id": (
        "int64",
        "The story cluster: the id of the cluster's earliest published article. Articles whose "
        "bodies are near-duplicates (estimated Jaccard similarity of their word sets at or above "
        "the threshold, 0.8 by default) or exact copies share it; an article with no copy is "
        "its own cluster (cluster_id = id).",
    ),
    "cluster_size": ("int64", "How many stored articles the cluster holds (1: no copy known)."),
    "near_duplicate_of": (
        "int64",
        "The id of the earliest published article of the cluster; null for that article itself "
        "and for articles with no near-duplicate.",
    ),
    "exact_duplicate_of": (
        "int64",
        "The id of the earliest published article with exactly the same body (same text after "
        "unifying Unicode form and spacing); null when the body is not a copy.",
    ),
}
