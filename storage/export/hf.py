"""A Hugging Face style dataset folder: Parquet shards plus a README.md data card.

    FOLDER/README.md                          YAML header (configs, languages) + data card
    FOLDER/data/train-00000-of-00002.parquet  shards of about HF_SHARD_ROWS articles

The card is written last, from counts taken while the shards streamed out, so it describes
exactly the rows written: sources (with country and terms-of-use note), languages, date
range, the codebook, and provenance (software versions, export time, filters, query).
`datasets.load_dataset("parquet", data_dir=FOLDER)` or `load_dataset(FOLDER)` reads it.
"""

from __future__ import annotations

import platform
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.duplicates import duplicate_threshold
from storage.export.codebook import CODEBOOK
from storage.export.parquet import ExportSummary, write_parquet_files
from storage.export.rows import Where
from storage.models import Source
from storage.queries import ALL_ARTICLES, ArticleFilter

HF_SHARD_ROWS: Final = 100_000
# Distributions whose versions the card records: Sankofa, its extractor, its detectors...
PROVENANCE_PACKAGES: Final = (
    "sankofa",
    "trafilatura",
    "langdetect",
    "py3langid",
    "scrapy",
    "sqlalchemy",
    "pyarrow",
    "datasketch",
)


def export_hf(
    session: Session,
    folder: Path,
    flt: ArticleFilter = ALL_ARTICLES,
    where: Where = (),
    *,
    query: str | None = None,
    codec: str = "zstd",
    rows_per_shard: int = HF_SHARD_ROWS,
) -> ExportSummary:
    """Write the dataset folder (which must exist and be empty); returns what it holds."""
    data = folder / "data"
    data.mkdir()
    summary = write_parquet_files(
        session,
        lambda index: data / f"train-{index:05d}.parquet",
        flt,
        where,
        codec=codec,
        rows_per_file=rows_per_shard,
    )
    summary.files = _number_shards(data, summary.files)
    provenance = {**_provenance(flt, query), "duplicate_threshold": duplicate_threshold(session)}
    card = data_card(summary, _sources(session, summary), provenance)
    (folder / "README.md").write_text(card, encoding="utf-8")
    return summary


def data_card(
    summary: ExportSummary, sources: list[dict[str, Any]], provenance: dict[str, Any]
) -> str:
    """The README.md: a YAML header for the Hub, then the card in Markdown."""
    return "\n".join(
        [
            *_yaml_header(summary),
            "# Sankofa corpus export",
            "",
            *_summary_lines(summary),
            *_source_lines(sources),
            *_language_lines(summary),
            *_duplicate_lines(summary, provenance),
            *_codebook_lines(),
            *_provenance_lines(provenance, summary),
            *_loading_lines(),
        ]
    )


def _number_shards(data: Path, names: list[str]) -> list[str]:
    """train-00000.parquet -> train-00000-of-00003.parquet, the Hub's naming."""
    numbered = []
    for index, name in enumerate(names):
        new_name = f"train-{index:05d}-of-{len(names):05d}.parquet"
        (data / name).rename(data / new_name)
        numbered.append(new_name)
    return numbered


def _sources(session: Session, summary: ExportSummary) -> list[dict[str, Any]]:
    stmt = select(Source.name, Source.country, Source.url, Source.terms).where(
        Source.name.in_(list(summary.by_source))
    )
    rows = {row.name: row for row in session.execute(stmt)}
    return [
        {
            "name": name,
            "articles": count,
            "country": rows[name].country if name in rows else None,
            "url": rows[name].url if name in rows else None,
            "terms": rows[name].terms if name in rows else None,
        }
        for name, count in summary.by_source.most_common()
    ]


def _provenance(flt: ArticleFilter, query: str | None) -> dict[str, Any]:
    versions = {}
    for package in PROVENANCE_PACKAGES:
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = "not installed"
    versions["python"] = platform.python_version()
    return {
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "filters": flt.describe(),
        "query": query,
        "versions": versions,
    }


def _size_category(count: int) -> str:
    for bound, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
                         (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M")):  # fmt: skip
        if count < bound:
            return label
    return "10M<n<100M"


def _yaml_header(summary: ExportSummary) -> list[str]:
    languages = sorted(code for code in summary.by_language if code != "und")
    return [
        "---",
        "pretty_name: Sankofa corpus export",
        "language:",
        *(f"- {code}" for code in languages),
        "multilinguality: multilingual" if len(languages) > 1 else "multilinguality: monolingual",
        "license: other",
        "license_details: Each source's own terms apply; see 'Sources and terms of use'.",
        "size_categories:",
        f"- {_size_category(summary.articles)}",
        "task_categories:",
        "- text-classification",
        "- text-generation",
        "tags:",
        "- news",
        "- web-crawl",
        "configs:",
        "- config_name: default",
        "  data_files:",
        "  - split: train",
        "    path: data/train-*.parquet",
        "---",
        "",
    ]


def _summary_lines(summary: ExportSummary) -> list[str]:
    first = summary.first_published.date().isoformat() if summary.first_published else "n/a"
    last = summary.last_published.date().isoformat() if summary.last_published else "n/a"
    return [
        f"{summary.articles:,} news and blog articles from {len(summary.by_source)} sources "
        f"in {len(summary.by_language)} languages, published from {first} to {last} "
        f"(articles without a known date: see `published`), in {len(summary.files)} "
        "Parquet shard(s) under `data/`. Crawled and extracted by Sankofa.",
        "",
    ]


def _source_lines(sources: list[dict[str, Any]]) -> list[str]:
    lines = ["## Sources and terms of use", ""]
    lines += ["| source | country | articles | site | terms of use |", "|---|---|---:|---|---|"]
    for source in sources:
        terms = _cell(source["terms"] or "not recorded: check the site before reuse")
        lines.append(f"| {_cell(source['name'])} | {source['country'] or ''} | "
                     f"{source['articles']:,} | {source['url'] or ''} | {terms} |")  # fmt: skip
    return [*lines, ""]


def _language_lines(summary: ExportSummary) -> list[str]:
    lines = ["## Languages", "", "| language | articles |", "|---|---:|"]
    lines += [f"| {code} | {count:,} |" for code, count in summary.by_language.most_common()]
    return [*lines, ""]


def _duplicate_lines(summary: ExportSummary, provenance: dict[str, Any]) -> list[str]:
    share = summary.near_duplicates / summary.articles if summary.articles else 0.0
    dedupe = provenance["filters"].get("dedupe")
    applied = (
        f"This export kept one article per {'story cluster' if dedupe == 'near' else 'body'} "
        f"(`--dedupe {dedupe} --keep {provenance['filters'].get('keep')}`)."
        if dedupe
        else "This export was not deduplicated (`sankofa export --dedupe near` keeps one "
        "article per cluster)."
    )
    return [
        "## Near-duplicates",
        "",
        f"{summary.near_duplicates:,} of the {summary.articles:,} articles ({share:.1%}) are "
        "near-duplicates of an earlier article in the corpus (`near_duplicate_of` is set), "
        f"{summary.exact_duplicates:,} of them exact copies (`exact_duplicate_of`). {applied}",
        "",
        "How they were found: each body is normalised (Unicode NFKC, case-folded, punctuation "
        "and symbols dropped; Chinese, Japanese, Thai, Lao, Khmer and Myanmar text cut into "
        "character bigrams) and its set of words summarised by a 128-value MinHash signature "
        "(datasketch). Signatures are banded for LSH (21 bands of 6 values); two articles "
        "sharing a band are linked when their signatures agree on at least the threshold of "
        f"{provenance['duplicate_threshold']} (the estimated Jaccard similarity of their word "
        "sets), and any two articles with the same body (after unifying Unicode form and "
        "spacing) are linked. A cluster is a connected group of linked articles; "
        "`cluster_id` and `near_duplicate_of` name its earliest published article. Bodies of "
        "fewer than 30 distinct words are compared only for exact copies.",
        "",
    ]


def _codebook_lines() -> list[str]:
    lines = ["## Fields (codebook)", "", "| field | type | meaning |", "|---|---|---|"]
    lines += [f"| `{name}` | {kind} | {_cell(text)} |" for name, (kind, text) in CODEBOOK.items()]
    return [*lines, ""]


def _provenance_lines(provenance: dict[str, Any], summary: ExportSummary) -> list[str]:
    versions = ", ".join(f"{name} {number}" for name, number in provenance["versions"].items())
    extractors = ", ".join(f"{name} ({count:,})" for name, count in summary.by_extractor.items())
    filters = provenance["filters"] or "none (the whole corpus)"
    return [
        "## Provenance",
        "",
        f"- Exported at: {provenance['exported_at']}",
        f"- Filters: `{filters}`",
        f"- Search query: `{provenance['query']}`"
        if provenance["query"]
        else "- Search query: none",
        f"- Software: {versions}",
        f"- Extractors recorded on the articles: {extractors or 'n/a'}",
        "- Article ids are stable: the same article keeps its id in every export and re-crawl.",
        "",
    ]


def _loading_lines() -> list[str]:
    return [
        "## Loading",
        "",
        "```python",
        "from datasets import load_dataset",
        'corpus = load_dataset("parquet", data_dir="data", split="train")',
        "import pandas as pd",
        'frame = pd.read_parquet("data")',
        "```",
        "",
    ]


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")
