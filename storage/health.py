"""Source health: is each source still yielding articles, and are they still good?

Computed from the per-source counts every run records (`crawl_runs.source_stats`) and from
the articles themselves. Two flags catch the failures that otherwise go unnoticed for weeks:
`no_yield` (a source that used to yield articles yields none over its recent runs) and
`extraction_degraded` (most recent pages come out empty, very short or as non-articles,
which is what a layout change looks like).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from storage.models import Article, CrawlRun, Source, utcnow

SHORT_BODY_CHARS = 300  # a body shorter than this is "very short" (empty counts too)
RECENT_RUNS = 5  # runs of a source that count as recent
BAD_SHARE = 0.5  # recent share of bad pages that flags a layout change
UNREACHABLE_RUNS = 2  # the newest runs that all failed to fetch a page: unreachable


@dataclass
class SourceHealth:
    source: str
    last_success: str | None
    recent_runs: int
    pages: int
    articles_new: int
    articles_per_day: float
    error_rate: float
    errors: dict[str, int] = field(default_factory=dict)
    short_body_share: float = 0.0
    flags: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def source_health(session: Session, recent: int = RECENT_RUNS) -> list[SourceHealth]:
    """Health of every source, ordered by name."""
    runs = session.execute(
        select(CrawlRun.started_at, CrawlRun.source_stats).order_by(CrawlRun.id.desc()).limit(500)
    ).all()
    short = _short_body_shares(session)
    sources = session.execute(select(Source.name, Source.last_success_at).order_by(Source.name))
    return [
        _health(
            name,
            last,
            [(at, stats[name]) for at, stats in runs if name in stats],
            recent,
            short.get(name, 0.0),
        )
        for name, last in sources
    ]


def _health(
    name: str,
    last_success: datetime | None,
    history: list[tuple[datetime, object]],
    recent: int,
    short_share: float,
) -> SourceHealth:
    latest = [stats for _, stats in history[:recent] if isinstance(stats, dict)]
    earlier = [stats for _, stats in history[recent:] if isinstance(stats, dict)]
    pages = sum(int(s.get("pages", 0)) for s in latest)
    errors: Counter[str] = Counter()
    for stats in latest:
        errors.update(stats.get("failures", {}))
    new = sum(int(s.get("new", 0)) for s in latest)
    health = SourceHealth(
        source=name,
        last_success=last_success.isoformat() if last_success else None,
        recent_runs=len(latest),
        pages=pages,
        articles_new=new,
        articles_per_day=round(new / _days_spanned(history[:recent]), 2),
        error_rate=round(sum(errors.values()) / max(pages + sum(errors.values()), 1), 3),
        errors=dict(errors),
        short_body_share=round(short_share, 3),
    )
    health.flags = _flags(latest, earlier)
    return health


def _days_spanned(history: list[tuple[datetime, object]]) -> float:
    if not history:
        return 1.0
    oldest = min(at for at, _ in history)
    return max((utcnow() - oldest).total_seconds() / 86400, 1.0)


def _flags(latest: list[dict[str, object]], earlier: list[dict[str, object]]) -> list[str]:
    flags: list[str] = []
    new_recently = sum(_int(s, "new") + _int(s, "updated") for s in latest)
    new_before = sum(_int(s, "new") for s in earlier)
    if len(latest) >= 2 and new_recently == 0 and new_before > 0:
        flags.append("no_yield")
    newest = latest[:UNREACHABLE_RUNS]
    if newest and sum(_int(s, "pages") for s in newest) == 0 and _any_failure(newest):
        flags.append("unreachable")
    if _bad_share(latest) >= BAD_SHARE and _bad_share(earlier) < BAD_SHARE / 2:
        flags.append("extraction_degraded")
    return flags


def _any_failure(runs: list[dict[str, object]]) -> bool:
    return any(isinstance(s.get("failures"), dict) and s.get("failures") for s in runs)


def _int(stats: dict[str, object], key: str) -> int:
    value = stats.get(key, 0)
    return value if isinstance(value, int) else 0


def _bad_share(runs: list[dict[str, object]]) -> float:
    """Share of article pages that came out as non-articles (a layout change's symptom)."""
    bad = good = 0
    for stats in runs:
        skipped = stats.get("skipped", {})
        bad += int(skipped.get("not_article", 0)) if isinstance(skipped, dict) else 0
        good += _int(stats, "new") + _int(stats, "updated") + _int(stats, "unchanged")
    return bad / (bad + good) if bad + good else 0.0


def _short_body_shares(session: Session) -> dict[str, float]:
    """Per source: share of stored articles whose body is empty or very short."""
    is_short = case((func.length(Article.text) < SHORT_BODY_CHARS, 1), else_=0)
    rows = session.execute(
        select(Source.name, func.avg(is_short))
        .join(Source, Article.source_id == Source.id)
        .group_by(Source.name)
    )
    return {name: float(share or 0.0) for name, share in rows}
