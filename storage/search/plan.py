"""How a query tree becomes SQL, whatever the database: split by index, then combined.

Each term is routed to an index (a "key"). A part of the tree whose terms all use one index
becomes one condition on that index (one FTS5 MATCH, one tsquery); parts that mix indexes
are combined with SQL AND / OR / NOT. One positive, single-index part of a top-level AND
"drives" the query: its index ranks the matches, the other parts only filter them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    UnaryExpression,
    and_,
    cast,
    func,
    not_,
    null,
    or_,
    select,
)
from sqlalchemy.orm import Session

from storage.models import Article
from storage.search.syntax import And, Node, Not, Or, Term

SortOrder = Literal["relevance", "date"]
Route = Callable[[Term], str]
# SELECT (id, score) of one index's matches, and its ORDER BY terms, best first.
RankedSelect = tuple[Select[Any], list[UnaryExpression[Any]]]
Conditions = list[ColumnElement[bool]]


class SearchBackend:
    """What differs between databases: routing, one index's condition, its ranking."""

    score_sign = 1.0  # multiplies the database's score so that higher is better

    def __init__(self, session: Session, *, driving: bool = True) -> None:
        self.session = session
        # False: the conditions only filter rows another index found (see match_condition).
        self.driving = driving

    def route(self, term: Term) -> str:
        raise NotImplementedError

    def group(self, key: str, node: Node) -> ColumnElement[bool]:
        """The condition for a part of the tree whose terms all use index `key`."""
        raise NotImplementedError

    def rankable(self, key: str) -> bool:
        return True

    def ranked_group(self, key: str, node: Node, *, joined: bool) -> RankedSelect:
        """The ranked matches of one index; `joined`: with Article in FROM, for conditions."""
        raise NotImplementedError

    def count(self, tree: Node, filters: Conditions) -> Select[Any]:
        """SELECT the number of matches."""
        return select(func.count(Article.id)).where(self.condition(tree), *filters)

    def condition(self, node: Node) -> ColumnElement[bool]:
        """A WHERE condition on Article selecting the matches of `node`."""
        if isinstance(node, Not):
            return not_(self.condition(node.item))
        keys = keys_of(node, self.route)
        if len(keys) == 1:
            return self.group(keys.pop(), node)
        assert isinstance(node, And | Or)
        parts = [self.condition(part) for part in parts_by_key(node, self.route)]
        return and_(*parts) if isinstance(node, And) else or_(*parts)

    def ranked(self, tree: Node, sort: SortOrder, filters: Conditions) -> Select[Any]:
        """SELECT article id and score of the matches among `filters`, in the order asked."""
        driver, rest = self._split_driver(tree)
        if driver is None or sort == "date":
            stmt = select(Article.id, cast(null(), Float).label("score"))
            stmt = stmt.where(self.condition(tree), *filters)
            return stmt.order_by(Article.published.desc().nulls_last(), Article.id.desc())
        conditions = [self.condition(part) for part in rest] + filters
        stmt, best_first = self.ranked_group(self._key(driver), driver, joined=bool(conditions))
        return stmt.where(*conditions).order_by(*best_first)

    def _key(self, node: Node) -> str:
        return next(iter(keys_of(node, self.route)))

    def _split_driver(self, tree: Node) -> tuple[Node | None, list[Node]]:
        """The part of the query that ranks (one rankable index, not negated) and the rest."""
        parts: list[Node] = parts_by_key(tree, self.route) if isinstance(tree, And) else [tree]
        for index, part in enumerate(parts):
            keys = keys_of(part, self.route)
            if not isinstance(part, Not) and len(keys) == 1 and self.rankable(keys.pop()):
                return part, parts[:index] + parts[index + 1 :]
        return None, [tree]


def keys_of(node: Node, route: Route) -> set[str]:
    if isinstance(node, Term):
        return {route(node)}
    if isinstance(node, Not):
        return keys_of(node.item, route)
    return {key for item in node.items for key in keys_of(item, route)}


def parts_by_key(node: And | Or, route: Route) -> list[Node]:
    """The items of `node`, those that use one same index merged into one node."""
    by_key: dict[str, list[Node]] = {}
    mixed: list[Node] = []
    for item in node.items:
        keys = keys_of(item, route)
        if len(keys) == 1:
            by_key.setdefault(keys.pop(), []).append(item)
        else:
            mixed.append(item)
    parts: list[Node] = []
    for items in by_key.values():
        if len(items) == 1 or (isinstance(node, And) and all(isinstance(i, Not) for i in items)):
            parts.extend(items)  # a lone NOT cannot be a MATCH of its own: it stays a SQL NOT
        else:
            parts.append(type(node)(tuple(items)))
    return parts + mixed


def term_by_term(node: Node, leaf: Callable[[Term], ColumnElement[bool]]) -> ColumnElement[bool]:
    """`node` as SQL AND / OR / NOT of one condition per term (for indexes without syntax)."""
    if isinstance(node, Term):
        return leaf(node)
    if isinstance(node, Not):
        return not_(term_by_term(node.item, leaf))
    parts = [term_by_term(item, leaf) for item in node.items]
    return and_(*parts) if isinstance(node, And) else or_(*parts)
