"""The search language, parsed into a small tree. PURE: no SQL here.

    fintech kenya          both words (AND is implied between terms)
    fintech OR banking     either word
    fintech NOT crypto     (or `fintech -crypto`) the first without the second
    "mobile money"         a phrase: the words next to each other, in this order
    pay*                   a prefix: pay, payment, payments...
    (a OR b) c             parentheses group

Operators are upper case, so the words "and", "or" and "not" can still be searched. A term in
Chinese, Japanese, Thai, Lao, Khmer or Myanmar script (written without spaces) matches as a
substring, so `支付` finds 移动支付. Mistakes raise SearchSyntaxError, whose text is one line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

MAX_TERMS: Final = 64
OPERATORS: Final = ("AND", "OR", "NOT")
# Scripts written without spaces between words: Thai, Lao, Myanmar, Khmer, kana, Han.
# The same class as migration 0004's trigger (kana to CJK ideographs is one span there).
UNSPACED_RE: Final = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
)
# Arabic harakat, superscript alef and tatweel: not indexed, so not searched either.
ARABIC_MARKS_RE: Final = re.compile("[\u064b-\u065f\u0670\u0640]")
# Control characters, line separators and lone surrogates (what argv makes of bytes that are
# no UTF-8) are no text to search for; found by fuzzing: a NUL ended FTS5's strings, a
# surrogate could not be sent to the database, a line break split the error in two lines.
_CONTROLS: Final = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_TOKEN_RE: Final = re.compile(r'\s+|[()]|"[^"]*"\*?|"|[^\s()"]+')


class SearchSyntaxError(ValueError):
    """A query that cannot be parsed; str() is one line saying what and where."""


@dataclass(frozen=True)
class Term:
    """A word (or a phrase when `phrase`); `prefix` adds a trailing wildcard."""

    text: str
    prefix: bool = False
    phrase: bool = False

    @property
    def unspaced(self) -> bool:
        """True for Chinese, Japanese, Thai...: matched as a substring, not as words."""
        return UNSPACED_RE.search(self.text) is not None


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


Node = Term | And | Or | Not


def parse_query(query: str) -> Node:
    """The tree of `query`; raises SearchSyntaxError on any mistake."""
    query = _CONTROLS.sub(" ", query)  # they separate words, as spaces do
    tokens = _tokens(query)
    if not tokens:
        raise SearchSyntaxError("empty search query; give at least one word")
    parser = _Parser(tokens, query)
    tree = parser.parse()
    _check(tree, inside_and=False)
    if len(positive_terms(tree)) + _count_negated(tree) > MAX_TERMS:
        raise SearchSyntaxError(f"too many terms in the query (at most {MAX_TERMS})")
    return tree


def positive_terms(node: Node) -> list[Term]:
    """The terms a match contains (those not under NOT), for highlighting."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return []
    return [term for item in node.items for term in positive_terms(item)]


def normalize_term(text: str) -> str:
    """NFC, Arabic marks removed, runs of spaces made one: as the index sees the text."""
    text = ARABIC_MARKS_RE.sub("", unicodedata.normalize("NFC", text))
    return " ".join(text.split())


def _tokens(query: str) -> list[str]:
    tokens = [t for t in _TOKEN_RE.findall(query) if not t.isspace()]
    if '"' in tokens:
        column = _unbalanced_quote_column(query)
        raise SearchSyntaxError(
            f'unbalanced quote at character {column} of the query; close the phrase with "'
        )
    return tokens


def _unbalanced_quote_column(query: str) -> int:
    return query.rfind('"') + 1 if query.count('"') % 2 else query.find('"') + 1


class _Parser:
    """Recursive descent: or := and (OR and)*; and := unary (AND? unary)*; unary := NOT unary."""

    def __init__(self, tokens: list[str], query: str) -> None:
        self.tokens = tokens
        self.query = query
        self.position = 0

    def parse(self) -> Node:
        tree = self._or()
        if self._peek() is not None:
            raise SearchSyntaxError(f"unexpected '{self._peek()}' in the query; check parentheses")
        return tree

    def _peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _next(self) -> str:
        token = self._peek()
        if token is None:
            raise SearchSyntaxError(
                f"the query '{self.query}' ends too early; an operator or '(' needs a term after it"
            )
        self.position += 1
        return token

    def _or(self) -> Node:
        items = [self._and()]
        while self._peek() == "OR":
            self._next()
            items.append(self._and())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def _and(self) -> Node:
        items = [self._unary()]
        while self._peek() not in (None, "OR", ")"):
            if self._peek() == "AND":
                self._next()
            items.append(self._unary())
        return items[0] if len(items) == 1 else And(tuple(items))

    def _unary(self) -> Node:
        token = self._peek()
        if token == "NOT":
            self._next()
            return Not(self._unary())
        if token == "-":  # -"a phrase" or -(a group)
            self._next()
            return Not(self._unary())
        if token is not None and token.startswith("-") and len(token) > 1:
            self.tokens[self.position] = token[1:]
            return Not(self._unary())
        return self._primary()

    def _primary(self) -> Node:
        token = self._next()
        if token == "(":
            if self._peek() == ")":
                raise SearchSyntaxError("empty parentheses '()' in the query")
            inner = self._or()
            if self._peek() != ")":
                raise SearchSyntaxError("missing ')' in the query: close each '(' you open")
            self._next()
            return inner
        if token == ")" or token in OPERATORS:
            raise SearchSyntaxError(f"'{token}' where a search term was expected")
        return _term(token)


def _term(token: str) -> Term:
    phrase = token.startswith('"')
    prefix = token.endswith("*")
    text = normalize_term(token.rstrip("*").strip('"') if phrase else token.rstrip("*"))
    if not any(char.isalnum() for char in text):
        shown = token if token.strip('"*') else token + " (nothing to search for)"
        raise SearchSyntaxError(f"'{shown}' has no letters or digits to search for")
    return Term(text, prefix=prefix and not UNSPACED_RE.search(text), phrase=phrase)


def _check(node: Node, *, inside_and: bool) -> None:
    """NOT subtracts from the other terms of an AND, so it needs one that is not negated."""
    if isinstance(node, Not):
        if not inside_and or isinstance(node.item, Not):
            raise SearchSyntaxError(
                "NOT needs a term to subtract from, e.g. 'fintech NOT crypto' or 'fintech -crypto'"
            )
        _check(node.item, inside_and=False)
    elif isinstance(node, And):
        if all(isinstance(item, Not) for item in node.items):
            raise SearchSyntaxError("a query needs at least one term that is not negated by NOT")
        for item in node.items:
            _check(item, inside_and=True)
    elif isinstance(node, Or):
        for item in node.items:
            _check(item, inside_and=False)


def _count_negated(node: Node) -> int:
    if isinstance(node, Term):
        return 0
    if isinstance(node, Not):
        return len(positive_terms(node.item)) + _count_negated(node.item)
    return sum(_count_negated(item) for item in node.items)
