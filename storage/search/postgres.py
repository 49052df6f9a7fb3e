"""PostgreSQL full-text search: the weighted 'simple' tsvector of migration 0013, and ILIKE.

The tsvector expression must stay the one the GIN index was built on (migration 0013), or
PostgreSQL silently stops using the index. Ranking reads the same vector from the column
`articles.search_vector` (migration 0014) rather than computing it again for every match.
Queries are rendered to tsquery syntax and handed to to_tsquery as a bound parameter. Terms
in scripts written without spaces (Chinese, Thai...) match as substrings with ILIKE, which
no index serves: fine for a slice, slow on a huge corpus.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Final

from sqlalchemy import (
    ColumnElement,
    Text,
    cast,
    func,
    literal_column,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB

from storage.models import Article
from storage.search.api import PG_COLUMN
from storage.search.plan import RankedSelect, SearchBackend, term_by_term
from storage.search.syntax import And, Node, Not, Term

WORDS = "words"
SUBSTRINGS = "substrings"


# Combining diacritical marks; Arabic harakat U+064B..U+065F, superscript alef, tatweel.
MARKS: Final = "[\u0300-\u036f\u064b-\u065f\u0670\u0640]"
_MARK: Final = re.compile(MARKS)


def pg_vector(table: str = "") -> str:
    """The weighted 'simple' tsvector, each column folded: migration 0013's exact expression."""
    parts = []
    for column, weight in (("title", "A"), ("authors", "B"), ("text", "C"), ("author_bio", "D")):
        value = f"{table}{column}"
        if column == "authors":  # via JSONB so that the names come out unescaped
            value = f"CAST(CAST({value} AS JSONB) AS TEXT)"
        folded = f"regexp_replace(normalize({value}, NFD), '{MARKS}', '', 'g')"
        parts.append(f"setweight(to_tsvector('simple'::regconfig, {folded}), '{weight}')")
    return " || ".join(parts)


SEARCH_VECTOR_SQL: Final = pg_vector("articles.")


def fold_term(text: str) -> str:
    """A query term folded as the index folds the articles (pg_vector): decomposed, marks out."""
    return _MARK.sub("", unicodedata.normalize("NFD", text))


def search_vector() -> ColumnElement[Any]:
    """The tsvector the GIN index ix_articles_search_vector holds (same expression exactly)."""
    return literal_column(f"({SEARCH_VECTOR_SQL})")


def stored_vector() -> ColumnElement[Any]:
    """The same tsvector, as a trigger stored it (migration 0014): what ranking reads. Matching
    goes through the index on the expression, which the planner prices right: the column's
    vectors are TOASTed, and a scan reading them is far dearer than it estimates."""
    return literal_column(f"articles.{PG_COLUMN}")


def render_tsquery(node: Node) -> str:
    """tsquery syntax for `node` (words only): quoted lexemes, & | ! and :* for prefixes."""
    if isinstance(node, Term):
        folded = fold_term(node.text)
        quoted = folded.replace("\\", "\\\\").replace("'", "''")
        return f"'{quoted}'" + (":*" if node.prefix else "")
    if isinstance(node, Not):
        return f"!({render_tsquery(node.item)})"
    operator = " & " if isinstance(node, And) else " | "
    return "(" + operator.join(render_tsquery(item) for item in node.items) + ")"


class PostgresSearch(SearchBackend):
    def route(self, term: Term) -> str:
        return SUBSTRINGS if term.unspaced else WORDS

    def group(self, key: str, node: Node) -> ColumnElement[bool]:
        if key == WORDS:
            return search_vector().op("@@", is_comparison=True)(_tsquery(node))
        return term_by_term(node, _substring)

    def rankable(self, key: str) -> bool:
        return key == WORDS  # ILIKE has no rank: such queries are sorted by date

    def ranked_group(self, key: str, node: Node, *, joined: bool) -> RankedSelect:
        score = func.ts_rank(stored_vector(), _tsquery(node))
        stmt = select(Article.id, score.label("score")).where(self.group(key, node))
        # Last, not first as PostgreSQL puts NULLs in a descending order: an article whose
        # vector is missing (`sankofa db check` says so) still matches through the index.
        return stmt, [score.desc().nulls_last(), Article.id.asc()]


def _weighted(value: ColumnElement[Any] | Any, weight: str) -> ColumnElement[Any]:
    vector = func.to_tsvector(literal_column("'simple'::regconfig"), value)
    return func.setweight(vector, literal_column(f"'{weight}'"))


def _tsquery(node: Node) -> ColumnElement[Any]:
    return func.to_tsquery(literal_column("'simple'::regconfig"), render_tsquery(node))


def _substring(term: Term) -> ColumnElement[bool]:
    escaped = term.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    names = cast(cast(Article.authors, JSONB), Text)  # JSONB: names unescaped
    haystack = func.concat_ws(" ", Article.title, Article.text, names,
                              Article.author_bio)  # fmt: skip
    return haystack.ilike(f"%{escaped}%", escape="\\")
