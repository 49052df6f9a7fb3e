"""Sankofa beside trafilatura on WCXB-dev: pages labelled with their type (articles and the
product, service, listing, collection, forum and documentation pages a crawler must turn
away), with the full main text and the title, author and date of each article.

Both extractors see the same decoded pages in the same process, page by page in turns (so
that a busy machine slows both alike). Bodies are scored with the shared scorer
(``score_pagetypes.py``'s rules: an empty prediction is a rejection, a rejected article
scores F1 0); metadata is scored here, field by field, over every article page.
"""

from __future__ import annotations

import gzip
import json
import re
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import trafilatura
from trafilatura import external as trafilatura_external

from crawler.extract.article import extract
from crawler.extract.classify import MODEL_FILE
from crawler.extract.discard import trafilatura_as_shipped

PROJECT = Path(__file__).resolve().parents[1]
WCXB_DIR = PROJECT.parent / "shared" / "benchmarks" / "wcxb-dev"
# What the crawl must turn away; documentation is reported but not counted (a tutorial on a
# tech blog is an article).
COUNTED_NON_ARTICLES = ("product", "service", "listing", "collection", "forum")


@dataclass(frozen=True, slots=True)
class LabelledPage:
    page_id: str
    url: str
    html: str
    page_type: str
    body: str  # the true main text ("" for bot walls and empty shells)
    title: str | None
    author: str | None
    published: str | None  # YYYY-MM-DD

    @property
    def scored_article(self) -> bool:
        return self.page_type == "article" and bool(self.body.strip())


@dataclass(frozen=True, slots=True)
class Output:
    """What one extractor made of one page: the body ("" = rejected) and the metadata."""

    text: str
    title: str | None = None
    author: str | None = None
    published: str | None = None


Runner = Callable[[str, str], Output]


def sankofa(html: str, url: str) -> Output:
    article = extract(html, url)
    if article is None:
        return Output("")
    published = article.published.date().isoformat() if article.published else None
    author = article.authors[0] if article.authors else None
    return Output(article.text, article.title, author, published)


def plain_trafilatura(html: str, url: str) -> Output:
    with trafilatura_as_shipped():  # its own speed, not with Sankofa's prune installed
        document = trafilatura.bare_extraction(
            html, url=url, include_comments=False, with_metadata=True
        )
    if document is None:
        return Output("")
    author = (document.author or "").split(";")[0].strip() or None
    return Output(document.text or "", document.title, author, document.date)


RUNNERS: dict[str, Runner] = {"sankofa": sankofa, "trafilatura": plain_trafilatura}


def load_pages(root: Path = WCXB_DIR, limit: int | None = None) -> list[LabelledPage]:
    truth: dict[str, dict[str, Any]] = json.loads((root / "ground-truth.json").read_text("utf-8"))
    ids = sorted(truth)[:limit] if limit else sorted(truth)
    return [_page(root, page_id, truth[page_id]) for page_id in ids]


def _page(root: Path, page_id: str, item: dict[str, Any]) -> LabelledPage:
    raw = gzip.decompress((root / "html" / f"{page_id}.html.gz").read_bytes())
    return LabelledPage(
        page_id, item.get("url") or "", raw.decode("utf-8", errors="replace"),
        item.get("page_type") or "article", item.get("articleBody") or "",
        item.get("title"), item.get("author"), item.get("published"),
    )  # fmt: skip


def warm_up() -> None:
    """Build what trafilatura builds lazily on the first page that needs it, before any timing.

    Its justext fallback unions every language's stop words on first use (0.1-0.2 s, once per
    process): left to the timed loop, that cost lands on whichever extractor first reaches
    the fallback, and is charged to it as if it were per page.
    """
    if trafilatura_external.JT_STOPLIST is None:
        trafilatura_external.jt_stoplist_init()


def run(
    names: Sequence[str], pages: Sequence[LabelledPage]
) -> dict[str, tuple[list[Output], float]]:
    """Per extractor: its output for each page, and pages per second."""
    warm_up()
    outputs: dict[str, list[Output]] = {name: [] for name in names}
    seconds = dict.fromkeys(names, 0.0)
    for page in pages:
        for name in names:
            started = time.perf_counter()
            outputs[name].append(RUNNERS[name](page.html, page.url))
            seconds[name] += time.perf_counter() - started
    return {name: (outputs[name], len(pages) / seconds[name]) for name in names}


# --- scores -----------------------------------------------------------------------------------


@dataclass(slots=True)
class PageTypeScore:
    name: str
    pages_per_second: float
    article_f1: float = 0.0  # rejected article = 0
    accepted: float = 0.0
    accepted_f1: float = 0.0
    rejected: dict[str, float] = field(default_factory=dict)  # page type -> share rejected
    counted_rejected: float = 0.0  # over COUNTED_NON_ARTICLES together
    f1_by_page: dict[str, float] = field(default_factory=dict)  # scored articles
    accepted_ids: set[str] = field(default_factory=set)  # scored articles not rejected
    metadata: dict[str, float] = field(default_factory=dict)  # title/author/published accuracy


def score(
    scorer: ModuleType, name: str, pages: Sequence[LabelledPage], outputs: Sequence[Output],
    speed: float,
) -> PageTypeScore:  # fmt: skip
    result = PageTypeScore(name, speed)
    rejected: dict[str, list[bool]] = defaultdict(list)
    for page, output in zip(pages, outputs, strict=True):
        if page.scored_article:
            f1 = scorer.score_page(page.page_id, page.body, output.text, 1, False).f1
            result.f1_by_page[page.page_id] = f1 if output.text.strip() else 0.0
            if output.text.strip():
                result.accepted_ids.add(page.page_id)
        elif page.page_type != "article":
            rejected[page.page_type].append(not output.text.strip())
    result.article_f1 = _mean(result.f1_by_page.values())
    result.accepted = len(result.accepted_ids) / max(1, len(result.f1_by_page))
    result.accepted_f1 = _mean(result.f1_by_page[i] for i in result.accepted_ids)
    result.rejected = {kind: _mean(map(float, flags)) for kind, flags in sorted(rejected.items())}
    counted = [flag for kind in COUNTED_NON_ARTICLES for flag in rejected.get(kind, [])]
    result.counted_rejected = _mean(map(float, counted))
    result.metadata = metadata_accuracy(pages, outputs)
    return result


def _mean(values: Iterable[float]) -> float:
    items = list(values)
    return sum(items) / len(items) if items else 0.0


def f1_on_common_pages(first: PageTypeScore, second: PageTypeScore, accepted: set[str]) -> tuple[
    float, float
]:  # fmt: skip
    """Both extractors' mean body F1 over the same pages (those both accepted)."""
    return (
        _mean(first.f1_by_page[i] for i in accepted),
        _mean(second.f1_by_page[i] for i in accepted),
    )


# --- metadata ---------------------------------------------------------------------------------

_PUNCTUATION = re.compile(r"[\W_]+", re.UNICODE)


def normalised(text: str | None) -> str:
    """Case, accents, punctuation and spacing ignored."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_PUNCTUATION.sub(" ", bare).split())


def title_right(truth: str | None, found: str | None) -> bool:
    return normalised(truth) == normalised(found)


def author_right(truth: str | None, found: str | None) -> bool:
    """Right when both say nobody, or the first name found is one of the true byline's."""
    if not truth or not found:
        return not truth and not found
    name = normalised(found)
    return bool(name) and f" {name} " in f" {normalised(truth)} "


def date_right(truth: str | None, found: str | None) -> bool:
    return (truth or "")[:10] == (found or "")[:10]


def metadata_accuracy(pages: Sequence[LabelledPage], outputs: Sequence[Output]) -> dict[str, float]:
    """Share of article pages whose title, author and publication date come out right
    (a page without a true author or date is right when none is given)."""
    pairs = [(p, o) for p, o in zip(pages, outputs, strict=True) if p.page_type == "article"]
    return {
        "title": _mean(float(title_right(p.title, o.title)) for p, o in pairs),
        "author": _mean(float(author_right(p.author, o.author)) for p, o in pairs),
        "published": _mean(float(date_right(p.published, o.published)) for p, o in pairs),
    }


# --- report -----------------------------------------------------------------------------------


def table(scores: Sequence[PageTypeScore], pages: Sequence[LabelledPage]) -> list[str]:
    reference = next((s.pages_per_second for s in scores if s.name == "trafilatura"), 0.0)
    kinds = sorted({p.page_type for p in pages} - {"article"})
    lines = [
        f"# WCXB-dev: {len(pages)} pages, {sum(p.scored_article for p in pages)} scored articles;"
        " rejected = empty output",
        f"{'extractor':<14}{'art F1':>8}{'accepted':>9}{'acc F1':>8}{'non-art':>8}"
        + "".join(f"{k[:7]:>8}" for k in kinds)
        + f"{'title':>7}{'author':>7}{'date':>7}{'pages/s':>8}{'x':>6}",
    ]
    for s in scores:
        ratio = s.pages_per_second / reference if reference else 0.0
        lines.append(
            f"{s.name:<14}{s.article_f1:>8.4f}{s.accepted:>9.4f}{s.accepted_f1:>8.4f}"
            f"{s.counted_rejected:>8.3f}"
            + "".join(f"{s.rejected.get(k, 0):>8.3f}" for k in kinds)
            + f"{s.metadata['title']:>7.3f}{s.metadata['author']:>7.3f}"
            f"{s.metadata['published']:>7.3f}{s.pages_per_second:>8.1f}{ratio:>6.2f}"
        )
    lines.append(
        "# non-art: rejected share over "
        + ", ".join(COUNTED_NON_ARTICLES)
        + " together (documentation not counted); title/author/date: share right over articles"
    )
    lines.append(_classifier_caveat())
    return lines


def _classifier_caveat() -> str:
    """The page classifier was trained on these very pages: its accepted and rejected shares
    above are in-sample. The figures that predict unseen sites are its grouped CV ones."""
    model = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    cv = model.get("provenance", {}).get("cv_nested_threshold", {})
    if not cv:
        return "# accepted / non-art: in-sample (the page classifier was trained on WCXB-dev)"
    return (
        "# accepted / non-art: in-sample (the page classifier was trained on WCXB-dev); on sites"
        f" it has not seen (grouped 5-fold CV): articles accepted {cv['articles_accepted']:.4f},"
        f" non-articles rejected {cv['nonarticles_rejected']:.3f}"
    )
