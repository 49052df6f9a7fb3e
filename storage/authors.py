"""Authors as entities: one row per (source, name), with their latest bio and article count."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Article, Author, Source


@dataclass(frozen=True)
class AuthorSummary:
    source: str
    name: str
    articles: int
    bio: str
    profile_url: str | None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def list_authors(
    session: Session, sources: tuple[str, ...] = (), limit: int | None = None
) -> list[AuthorSummary]:
    """Authors with their article counts, most prolific first (then by source and name)."""
    articles = func.count(Article.id).label("articles")
    query = (
        select(Source.name, Author.name, articles, Author.bio, Author.profile_url)
        .join(Source, Author.source_id == Source.id)
        .outerjoin(Article, Article.author_id == Author.id)
        .group_by(Author.id, Source.name)
        .order_by(articles.desc(), Source.name, Author.name)
        .limit(limit)
    )
    if sources:
        query = query.where(Source.name.in_(sources))
    return [AuthorSummary(*row) for row in session.execute(query)]
