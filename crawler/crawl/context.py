"""What one crawl needs to know, built once per crawler from its settings.

Spider, pipelines and extensions all receive the crawler in ``from_crawler``; they share
this context through it rather than through module globals (docs/architecture.md, convention 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from crawler.dates import parse_date
from crawler.sources.registry import Source, load_sources, select_sources
from storage.db import default_url, open_database, session_factory

_ATTRIBUTE = "_sankofa_context"


@dataclass
class CrawlContext:
    sources: list[Source]
    since: datetime | None
    db_url: str
    sessions: sessionmaker[Session]

    def too_old(self, published: datetime | None) -> bool:
        """Published before --since (an undated article is never too old)."""
        return self.since is not None and published is not None and published < self.since

    def source(self, name: str) -> Source:
        return next(source for source in self.sources if source.name == name)


def crawl_context(crawler: Any) -> CrawlContext:
    """The crawl's context, created on first use from ``crawler.settings``."""
    context = getattr(crawler, _ATTRIBUTE, None)
    if context is None:
        context = _build(crawler.settings)
        setattr(crawler, _ATTRIBUTE, context)
    return context


def _build(settings: Any) -> CrawlContext:
    sources_file = settings.get("SANKOFA_SOURCES_FILE") or None
    sources = load_sources(Path(sources_file) if sources_file else None)
    selected = select_sources(sources, settings.getlist("SANKOFA_SOURCE_NAMES"))
    db_url = settings.get("SANKOFA_DB_URL") or default_url()
    engine = open_database(db_url)
    return CrawlContext(
        sources=selected,
        since=parse_date(settings.get("SANKOFA_SINCE") or None),
        db_url=db_url,
        sessions=session_factory(engine),
    )
