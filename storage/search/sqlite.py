"""SQLite full-text search on the FTS5 tables of migration 0004.

Three routes for a term: words of spaced scripts go to `articles_fts` (unicode61); terms of
unspaced scripts (Chinese, Japanese, Thai...) of three characters or more go to
`articles_fts_cjk` (trigram: a substring match); shorter ones, which no trigram query can
express, are looked up in that index's instance vocabulary, `articles_fts_cjk_vocab`: the
articles holding a trigram that starts with the term (each value is indexed with two
trailing spaces, so even the last character of a text starts a trigram). That route has no
relevance score; queries made only of such terms are sorted by date.
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Text,
    column,
    false,
    func,
    literal_column,
    select,
    table,
)

from storage.models import Article
from storage.search.plan import Conditions, RankedSelect, SearchBackend, keys_of, term_by_term
from storage.search.syntax import Node, Not, Or, Term

WORD_INDEX: Final = "articles_fts"
CJK_INDEX: Final = "articles_fts_cjk"
CJK_VOCABULARY: Final = "articles_fts_cjk_vocab"
# bm25 weights of title, text, authors, author_bio (the FTS5 column order).
BM25_WEIGHTS: Final = (4.0, 1.0, 2.0, 1.0)


class SqliteSearch(SearchBackend):
    score_sign = -1.0  # bm25 is smaller for better matches

    def route(self, term: Term) -> str:
        if not term.unspaced:
            return WORD_INDEX
        return CJK_INDEX if len(term.text) >= 3 else CJK_VOCABULARY

    def rankable(self, key: str) -> bool:
        return key != CJK_VOCABULARY

    def group(self, key: str, node: Node) -> ColumnElement[bool]:
        if key == CJK_VOCABULARY:
            return term_by_term(node, _starts_a_trigram)
        index = table(key, column("rowid", Integer))
        # "id + 0" is not the rowid to SQLite's planner: a filter, never the loop's driver.
        subject = Article.id if self.driving else Article.id + 0
        return subject.in_(select(index.c.rowid).where(_match(key, render_fts5(node))))

    def ranked_group(self, key: str, node: Node, *, joined: bool) -> RankedSelect:
        # Without conditions on Article the index alone answers (every row is an article):
        # looking up thousands of matching rows in `articles` would cost more than the ranking.
        index = table(key, column("rowid", Integer))
        score = func.bm25(literal_column(key), *BM25_WEIGHTS)
        identity = Article.id if joined else index.c.rowid
        stmt = select(identity.label("id"), score.label("score")).select_from(index)
        if joined:
            stmt = stmt.join(Article, Article.id == index.c.rowid)
        return stmt.where(_match(key, render_fts5(node))), [score.asc(), identity.asc()]

    def count(self, tree: Node, filters: Conditions) -> Select[Any]:
        key = next(iter(keys_of(tree, self.route)))
        if filters or len(keys_of(tree, self.route)) != 1 or key == CJK_VOCABULARY:
            return super().count(tree, filters)
        index = table(key, column("rowid", Integer))
        return select(func.count()).select_from(index).where(_match(key, render_fts5(tree)))


def render_fts5(node: Node) -> str:
    """FTS5 query syntax for `node`: every term a quoted string, so user text is never syntax."""
    if isinstance(node, Term):
        return _quoted(node.text) + ("*" if node.prefix else "")
    if isinstance(node, Not):
        raise ValueError("NOT is rendered by the AND it belongs to")
    if isinstance(node, Or):
        return "(" + " OR ".join(render_fts5(item) for item in node.items) + ")"
    positive = [render_fts5(item) for item in node.items if not isinstance(item, Not)]
    negated = [render_fts5(item.item) for item in node.items if isinstance(item, Not)]
    expression = "(" + " AND ".join(positive) + ")"
    return f"({expression} NOT ({' OR '.join(negated)}))" if negated else expression


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _match(index: str, expression: str) -> ColumnElement[bool]:
    return literal_column(index).op("MATCH", is_comparison=True)(expression)


def _starts_a_trigram(term: Term) -> ColumnElement[bool]:
    """Articles with a trigram starting with `term` (one or two characters), i.e. containing it."""
    vocabulary = table(CJK_VOCABULARY, column("term", Text), column("doc", Integer))
    text = term.text.lower()  # the trigram index folds case
    holders = select(vocabulary.c.doc).where(
        vocabulary.c.term >= text, vocabulary.c.term < text + "\U0010ffff"
    )
    return Article.id.in_(holders) if text else false()
