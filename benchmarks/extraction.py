"""Score Sankofa's extraction against plain trafilatura, and on Sankofa's own fixture corpus.

    python -m benchmarks.extraction [--bench-dir DIR] [--limit N] [--check]

Part 1 runs ``crawler.extract.article.extract`` and plain ``trafilatura.extract`` (default
settings, favor_precision, favor_recall) on the Zyte article-extraction benchmark
(``../shared/benchmarks/article-extraction``: 181 news pages, UTF-8), scores each with the
shared scorer (``score_extraction.py`` beside the data) and prints precision, recall, F1,
accuracy and pages per second side by side. Every extractor sees the pages in the same
process, already decoded, in the same order. Speeds are relative to plain trafilatura,
which finds the body alone; "trafilatura + metadata" also finds the title, author and date,
as Sankofa does (and as the WCXB-dev table's trafilatura does).

Part 2 runs ``extract`` on ``tests/fixtures/pages`` (multilingual, many CMS themes) and
prints what the benchmark cannot measure: author bios found, comment and comment-form text
leaking into the body or the bio, and title/author/date accuracy.

``--check`` exits non-zero when Sankofa's F1 is below ``benchmarks/extraction_floor.json``.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import logging
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import trafilatura

from benchmarks import ablation, wcxb
from crawler.extract.article import EXTRACTOR, extract
from crawler.extract.discard import trafilatura_as_shipped
from crawler.items import Article

PROJECT = Path(__file__).resolve().parents[1]
DEFAULT_BENCH_DIR = PROJECT.parent / "shared" / "benchmarks" / "article-extraction"
FIXTURES = PROJECT / "tests" / "fixtures" / "pages"
FLOOR_FILE = Path(__file__).with_name("extraction_floor.json")
SANKOFA = "sankofa"
LIKE_FOR_LIKE = "trafilatura + metadata"

Extractor = Callable[[str, str], str]


def _shipped(run: Extractor) -> Extractor:
    """``run`` with trafilatura as released: Sankofa's faster prune (crawler.extract.discard)
    is installed process-wide, and trafilatura's speed must be its own."""

    def as_shipped(html: str, url: str) -> str:
        with trafilatura_as_shipped():
            return run(html, url)

    return as_shipped


EXTRACTORS: dict[str, Extractor] = {
    SANKOFA: lambda html, url: article.text if (article := extract(html, url)) else "",
    "trafilatura": _shipped(
        lambda html, url: trafilatura.extract(html, url=url, include_comments=False) or ""
    ),
    # Like for like: the body and the title, author and date, as Sankofa gives them; the
    # WCXB table's trafilatura is this one.
    LIKE_FOR_LIKE: lambda html, url: wcxb.plain_trafilatura(html, url).text,
    "trafilatura precision": _shipped(
        lambda html, url: trafilatura.extract(html, url=url, favor_precision=True) or ""
    ),
    "trafilatura recall": _shipped(
        lambda html, url: trafilatura.extract(html, url=url, favor_recall=True) or ""
    ),
}


# --- part 1: the external benchmark --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BenchPage:
    page_id: str
    url: str
    html: str


@dataclass(frozen=True, slots=True)
class BenchRow:
    name: str
    metrics: dict[str, float]
    pages_per_second: float


def load_scorer(bench_dir: Path) -> ModuleType:
    """The shared scorer, imported from the folder above the benchmark data."""
    path = bench_dir.parent / "score_extraction.py"
    spec = importlib.util.spec_from_file_location("score_extraction", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"{path}: scorer not found")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def load_bench(bench_dir: Path, limit: int | None = None) -> tuple[dict[str, Any], list[BenchPage]]:
    truth: dict[str, Any] = json.loads((bench_dir / "ground-truth.json").read_text("utf-8"))
    ids = sorted(truth)[:limit] if limit else sorted(truth)
    pages = [BenchPage(i, truth[i].get("url", ""), _read_page(bench_dir, i)) for i in ids]
    return {i: truth[i] for i in ids}, pages


def _read_page(bench_dir: Path, page_id: str) -> str:
    return gzip.decompress((bench_dir / "html" / f"{page_id}.html.gz").read_bytes()).decode()


def run_extractors(
    names: Sequence[str], pages: Sequence[BenchPage]
) -> dict[str, tuple[dict[str, str], float]]:
    """Per extractor: predictions keyed by page id, and pages per second.

    The extractors take turns page by page, so that a busy machine slows them all alike.
    """
    predictions: dict[str, dict[str, str]] = {name: {} for name in names}
    seconds = dict.fromkeys(names, 0.0)
    for page in pages:
        for name in names:
            started = time.perf_counter()
            predictions[name][page.page_id] = EXTRACTORS[name](page.html, page.url)
            seconds[name] += time.perf_counter() - started
    return {name: (predictions[name], len(pages) / seconds[name]) for name in names}


def run_bench(bench_dir: Path, names: Sequence[str], limit: int | None = None) -> list[BenchRow]:
    """Score each named extractor on the benchmark (the first ``limit`` pages by id)."""
    scorer = load_scorer(bench_dir)
    truth, pages = load_bench(bench_dir, limit)
    wcxb.warm_up()
    for name in names:  # warm-up: imports, caches, lazily built stop-word lists
        EXTRACTORS[name](pages[0].html, pages[0].url)
    rows = []
    for name, (predictions, speed) in run_extractors(names, pages).items():
        metrics, _ = scorer.score(truth, predictions)
        rows.append(BenchRow(name, metrics, speed))
    return rows


def bench_table(rows: Sequence[BenchRow], pages: int) -> str:
    reference = next((r.pages_per_second for r in rows if r.name == "trafilatura"), 0.0)
    lines = [
        f"# {pages} pages; bag-of-tokens scores (shared scorer); x speed: pages/s relative"
        " to plain trafilatura",
        f"{'extractor':<24}{'precision':>10}{'recall':>10}{'F1':>8}{'accuracy':>10}"
        f"{'pages/s':>9}{'x speed':>9}",
    ]
    for row in rows:
        m = row.metrics
        ratio = row.pages_per_second / reference if reference else 0.0
        lines.append(
            f"{row.name:<24}{m['precision']:>10.4f}{m['recall']:>10.4f}{m['f1']:>8.4f}"
            f"{m['accuracy']:>10.4f}{row.pages_per_second:>9.1f}{ratio:>9.2f}"
        )
    speeds = {row.name: row.pages_per_second for row in rows}
    if speeds.get(SANKOFA) and speeds.get(LIKE_FOR_LIKE):
        lines.append(
            f"# like for like (body, title, author and date): sankofa "
            f"{speeds[SANKOFA] / speeds[LIKE_FOR_LIKE]:.2f}x {LIKE_FOR_LIKE}"
        )
    return "\n".join(lines)


# --- part 2: the fixture corpus ---------------------------------------------------------------


# The corpus's pages by who wrote them: by hand beside the extractor, or blind to it (a helper
# that saw neither the code nor the corpus; their misses are listed in tests/test_extraction).
CORPUS_SETS: dict[str, tuple[str, ...]] = {
    "hand-made corpus": ("expectations.json", "expectations-dates-bios.json"),
    "corpus written blind": ("expectations-heldout*.json",),
}


def load_expectations(
    fixtures: Path = FIXTURES, patterns: Sequence[str] = ("expectations*.json",)
) -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = {}
    for pattern in patterns:
        for path in sorted(fixtures.glob(pattern)):
            data |= json.loads(path.read_text("utf-8"))
    return data


def extract_fixture(name: str, fixtures: Path = FIXTURES) -> Article | None:
    expected = load_expectations(fixtures)[name]
    html = (fixtures / expected["file"]).read_text(encoding="utf-8")
    return extract(html, expected["url"])


def squash(text: str) -> str:
    """Whitespace-insensitive form for snippet checks."""
    return " ".join(text.split())


def contains(haystack: str, needle: str) -> bool:
    return squash(needle).casefold() in squash(haystack).casefold()


@dataclass(slots=True)
class FixtureCheck:
    """How one fixture page came out, field by field."""

    name: str
    is_article: bool
    kind_ok: bool
    title_ok: bool = True
    authors_ok: bool = True
    published_ok: bool = True
    has_bio: bool = False
    bio_ok: bool = True
    missing: list[str] = field(default_factory=list)
    unwanted: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)


def check_fixture(name: str, expected: dict[str, Any], article: Article | None) -> FixtureCheck:
    if not expected["is_article"]:
        doubted = article is None or article.page_kind != "article"
        return FixtureCheck(name, is_article=False, kind_ok=doubted)
    if article is None:
        return _lost(name, expected)
    published = expected["published"]
    check = FixtureCheck(
        name,
        is_article=True,
        kind_ok=True,
        title_ok=article.title == expected["title"],
        authors_ok=article.authors == expected["authors"],
        published_ok=published is None or article.published == datetime.fromisoformat(published),
        has_bio=expected["bio"] is not None,
        bio_ok=_bio_ok(expected["bio"], article.author_bio),
    )
    check.missing = [s for s in expected["must_contain"] if not contains(article.text, s)]
    check.unwanted = [s for s in expected["must_not_contain"] if contains(article.text, s)]
    fields = (article.text, article.author_bio)
    check.leaks = [s for s in expected["comments"] if any(contains(f, s) for f in fields)]
    return check


def _lost(name: str, expected: dict[str, Any]) -> FixtureCheck:
    """An article page taken for a non-article: every field is wrong."""
    has_bio = expected["bio"] is not None
    return FixtureCheck(
        name, True, False, False, False, False, has_bio, not has_bio, list(expected["must_contain"])
    )


def _bio_ok(expected: str | None, bio: str) -> bool:
    return not bio if expected is None else contains(bio, expected)


@dataclass(frozen=True, slots=True)
class CorpusReport:
    pages: int
    kind_ok: float
    bio_found: float
    leaks: int
    title_ok: float
    authors_ok: float
    published_ok: float
    snippets_ok: float

    def lines(self, label: str = "fixture corpus") -> list[str]:
        return [
            f"# {label}: {self.pages} pages (tests/fixtures/pages)",
            f"article / non-article decided right  {self.kind_ok:7.1%}",
            f"author bio found (pages with one)    {self.bio_found:7.1%}",
            f"comment / comment-form leaks         {self.leaks:7d}",
            f"title exact                          {self.title_ok:7.1%}",
            f"authors exact                        {self.authors_ok:7.1%}",
            f"published date exact                 {self.published_ok:7.1%}",
            f"body snippets right (must/must-not)  {self.snippets_ok:7.1%}",
        ]


def check_corpus(
    fixtures: Path = FIXTURES, patterns: Sequence[str] = ("expectations*.json",)
) -> list[FixtureCheck]:
    expectations = load_expectations(fixtures, patterns)
    return [check_fixture(n, e, extract_fixture(n, fixtures)) for n, e in expectations.items()]


def corpus_report(checks: Sequence[FixtureCheck]) -> CorpusReport:
    articles = [c for c in checks if c.is_article]
    with_bio = [c for c in articles if c.has_bio]
    return CorpusReport(
        pages=len(checks),
        kind_ok=_share(c.kind_ok for c in checks),
        bio_found=_share(c.bio_ok for c in with_bio),
        leaks=sum(len(c.leaks) for c in checks),
        title_ok=_share(c.title_ok for c in articles),
        authors_ok=_share(c.authors_ok for c in articles),
        published_ok=_share(c.published_ok for c in articles),
        snippets_ok=_share(not (c.missing or c.unwanted) for c in articles),
    )


def _share(flags: Any) -> float:
    values = list(flags)
    return sum(values) / len(values) if values else 1.0


# --- command line -----------------------------------------------------------------------------


def read_floors() -> dict[str, float]:
    floors: dict[str, float] = json.loads(FLOOR_FILE.read_text("utf-8"))
    return floors


def _zyte_pages(bench_dir: Path) -> list[ablation.Page]:
    truth, pages = load_bench(bench_dir)
    return [("zyte", p.page_id, p.url, p.html, truth[p.page_id]["articleBody"]) for p in pages]


def _wcxb_article_pages(pages: Sequence[wcxb.LabelledPage]) -> list[ablation.Page]:
    return [("wcxb", p.page_id, p.url, p.html, p.body) for p in pages if p.scored_article]


def wcxb_section(args: argparse.Namespace, scorer: ModuleType) -> list[wcxb.PageTypeScore]:
    pages = wcxb.load_pages(args.wcxb_dir, args.limit)
    names = ["sankofa"] if args.sankofa_only else list(wcxb.RUNNERS)
    results = wcxb.run(names, pages)
    scores = [wcxb.score(scorer, n, pages, *results[n]) for n in names]
    print("\n".join(wcxb.table(scores, pages)))
    if len(scores) == 2:
        common = scores[0].accepted_ids & scores[1].accepted_ids
        ours, theirs = wcxb.f1_on_common_pages(scores[0], scores[1], common)
        print(f"# F1 on the {len(common)} articles both accepted: sankofa {ours:.4f}, "
              f"trafilatura {theirs:.4f} ({ours - theirs:+.4f})")  # fmt: skip
    if args.ablation:
        zyte = _zyte_pages(args.bench_dir)
        found = ablation.effects(scorer, _wcxb_article_pages(pages) + zyte)
        print("\n".join(ablation.table(found)))
    return scores


def check_floors(zyte: BenchRow, wcxb_score: wcxb.PageTypeScore | None) -> list[str]:
    """The floors CI enforces that these figures break, as lines to print."""
    floors = read_floors()
    figures = {"zyte_f1": zyte.metrics["f1"]}
    if wcxb_score is not None:
        figures |= {
            "wcxb_article_f1": wcxb_score.article_f1,
            "wcxb_accepted": wcxb_score.accepted,
            "wcxb_nonarticle_rejected": wcxb_score.counted_rejected,
        }
    return [f"{k} {v:.4f} < floor {floors[k]:.4f}" for k, v in figures.items() if v < floors[k]]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR, help="Zyte data")
    parser.add_argument("--wcxb-dir", type=Path, default=wcxb.WCXB_DIR, help="WCXB-dev data")
    parser.add_argument("--limit", type=int, help="score only the first N pages (by id)")
    parser.add_argument(
        "--check", action="store_true", help="fail when a figure is below its floor"
    )
    parser.add_argument("--sankofa-only", action="store_true", help="skip plain trafilatura")
    parser.add_argument("--ablation", action="store_true", help="also turn each rule off alone")
    parser.add_argument("--no-wcxb", action="store_true", help="Zyte and the fixtures only")
    args = parser.parse_args(argv)
    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # "discarding data" per page
    logging.getLogger("htmldate").setLevel(logging.ERROR)
    names = [SANKOFA] if args.sankofa_only else list(EXTRACTORS)
    rows = run_bench(args.bench_dir, names, args.limit)
    print(f"# {EXTRACTOR}")
    print(bench_table(rows, args.limit or len(load_bench(args.bench_dir)[0])))
    print()
    scores = [] if args.no_wcxb else wcxb_section(args, load_scorer(args.bench_dir))
    print()
    for label, patterns in CORPUS_SETS.items():
        print("\n".join(corpus_report(check_corpus(patterns=patterns)).lines(label)))
    failures = check_floors(rows[0], scores[0] if scores else None)
    wcxb_figures = {
        "article_f1": scores[0].article_f1,
        "accepted": scores[0].accepted,
        "nonarticle_rejected": scores[0].counted_rejected,
    } if scores else {}  # fmt: skip
    print(f"\nRESULT sankofa zyte_f1={rows[0].metrics['f1']:.4f}" + "".join(
        f" wcxb_{k}={v:.4f}" for k, v in wcxb_figures.items()
    ))  # fmt: skip
    if args.check and failures:
        print("FAIL: " + "; ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
