"""The article body: trafilatura's passes over the tree the bio and furniture passes have
cut, then the lines that are still not article text dropped. PURE.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import trafilatura
from trafilatura.settings import MANUALLY_CLEANED, Extractor
from trafilatura.xml import xmltotxt

from crawler.extract.boilerplate import fold, is_notice, main_container_lines
from crawler.extract.continuation import (
    ALL_TEXT,
    continuation_paragraphs,
    lead_paragraphs,
    squeeze,
)
from crawler.extract.discard import use_fast_discard
from crawler.extract.fast_pass import fast_precise_body, handles
from crawler.extract.joiners import keep_joiners
from crawler.extract.missed_prose import prose_missing, with_missed_prose
from crawler.extract.rules import Rules
from crawler.extract.section_headings import with_section_headings

keep_joiners()  # before any pass: Persian and Bengali spell words with zero-width joiners
use_fast_discard()  # before any pass: the discard prune without a Python call per element

# Built once and shared: an Extractor is plain configuration, never mutated by trafilatura.
_FAST = Extractor(output_format="python", precision=True, comments=False, fast=True)
_BALANCED = Extractor(output_format="python", comments=False)
_SECOND_OPINION = Extractor(output_format="python", precision=True, comments=False)
_RECALL = Extractor(output_format="python", recall=True, comments=False)
_FAST_RECALL = Extractor(output_format="python", recall=True, comments=False, fast=True)
# The slow pass (readability and justext as second opinions) takes half as long again as the
# fast one, and only pays off when the fast pass found next to nothing (a paragraph or two).
_SECOND_OPINION_BELOW_CHARS = 500
_RECALL_BELOW_CHARS = 200
# The precise pass sometimes settles on a small wrong container (a teaser, a caption, one
# list). The balanced pass (trafilatura's default, with its second opinions) wins when the
# precise one kept less than _RESCUE_SHARE of what the balanced one found; it is asked only
# where it could: when the precise pass kept less than _RESCUE_SHARE of the page's text.
_RESCUE_SHARE = 0.2


def body_text(tree: Any, cleaner: Cleaner, rules: Rules) -> str:
    """The body found in ``tree``, paragraphs separated by blank lines."""
    paragraphs = _paragraphs(tree, _FAST, cleaner)
    if rules.short_fallbacks:
        paragraphs = _short_body_fallbacks(tree, paragraphs, cleaner)
    if rules.balanced_rescue and _little_of_the_page(paragraphs, tree):
        balanced = _paragraphs(tree, _BALANCED, cleaner)
        if _balanced_wins(paragraphs, balanced):
            paragraphs = balanced
    if rules.missed_prose and prose_missing(tree, paragraphs):
        paragraphs = with_missed_prose(paragraphs, lambda: _paragraphs(tree, _FAST_RECALL, cleaner))
    if rules.join_continuations:
        paragraphs += cleaner.clean(continuation_paragraphs(tree, paragraphs))
    if rules.join_leads:
        paragraphs = cleaner.clean(lead_paragraphs(tree, paragraphs)) + paragraphs
    if rules.section_headings:
        paragraphs = with_section_headings(tree, paragraphs, cleaner.clean)
    return "\n\n".join(paragraphs)


def _balanced_wins(precise: list[str], balanced: list[str]) -> bool:
    """The precise pass picked a wrong container: it kept a small part of what there is."""
    return _chars(precise) < _RESCUE_SHARE * _chars(balanced)


def _short_body_fallbacks(tree: Any, paragraphs: list[str], cleaner: Cleaner) -> list[str]:
    if _chars(paragraphs) < _SECOND_OPINION_BELOW_CHARS:
        paragraphs = _paragraphs(tree, _SECOND_OPINION, cleaner) or paragraphs
    if _chars(paragraphs) < _RECALL_BELOW_CHARS:
        paragraphs = max(paragraphs, _paragraphs(tree, _RECALL, cleaner), key=_chars)
    return paragraphs or cleaner.clean(main_container_lines(tree))


def _little_of_the_page(paragraphs: list[str], tree: Any) -> bool:
    """Whether ``paragraphs`` hold less than _RESCUE_SHARE of the page's text, not counting
    what trafilatura's cleaning deletes before any pass reads the page (navigation, asides,
    footers, scripts...): the balanced pass cannot find text there, so it could not win."""
    body = tree.find("body")
    if body is None:
        return False
    chars, text = _chars(paragraphs), ALL_TEXT(body)
    if chars >= _RESCUE_SHARE * len(text):
        return False  # squeezing the text can only shorten it: no need to
    return chars < _RESCUE_SHARE * (len(squeeze(text)) - _cleaned_chars(body))


def _cleaned_chars(body: Any) -> int:
    """The characters in the elements trafilatura's cleaning deletes on every page."""
    chars, outermost = 0, None
    for element in body.iter(*_ALWAYS_CLEANED):
        if outermost is not None and any(a is outermost for a in element.iterancestors()):
            continue  # already counted with the element around it
        outermost = element
        chars += len(squeeze(ALL_TEXT(element)))
    return chars


# trafilatura's list, less forms and figures: it keeps those when they hold the content or a
# table.
_ALWAYS_CLEANED = tuple(tag for tag in MANUALLY_CLEANED if tag not in ("form", "figure"))


def _chars(paragraphs: list[str]) -> int:
    return sum(map(len, paragraphs))


def _paragraphs(tree: Any, options: Extractor, cleaner: Cleaner) -> list[str]:
    """trafilatura's body (it works on a copy of ``tree``), one string per block."""
    body = _trafilatura_body(tree, options)
    if body is None:
        return []
    return cleaner.clean([_block_text(block) for block in body])


def _trafilatura_body(tree: Any, options: Extractor) -> Any | None:
    if handles(options):  # the pass every page takes: without copies it would not read
        return fast_precise_body(tree, options)
    return getattr(trafilatura.bare_extraction(tree, options=options), "body", None)


def _block_text(element: Any) -> str:
    lines = (line.strip() for line in xmltotxt(element, False).split("\n"))
    # Markdown table rules ("|---|---|") carry no text.
    return "\n".join(line for line in lines if line and line.strip("|-: "))


@dataclass(frozen=True, slots=True)
class Cleaner:
    """Drops the repeated headline, UI notices, and bio text that escaped the box rules."""

    folded_title: str
    folded_bio: str
    rules: Rules

    @classmethod
    def for_article(cls, title: str, bio: str, rules: Rules) -> Cleaner:
        return cls(fold(title), fold(bio), rules)

    def clean(self, paragraphs: list[str]) -> list[str]:
        return [p for p in paragraphs if not self._unwanted(p, fold(p))]

    def _unwanted(self, paragraph: str, folded: str) -> bool:
        if not folded:
            return True  # punctuation, bullets, nothing to read
        if self.rules.drop_notices and is_notice(paragraph, folded):
            return True
        if not self.rules.drop_repeats:
            return False
        if folded == self.folded_title:
            return True
        return bool(self.folded_bio) and len(folded) > 30 and folded in self.folded_bio
