"""Zero-width joiners survive trafilatura. PURE.

trafilatura drops every character that ``str.isprintable()`` rejects from the text it
extracts (``trafilatura.utils.return_printables_and_spaces``, which keeps characters lxml
would refuse out of its trees). That includes U+200C ZERO WIDTH NON-JOINER and U+200D ZERO
WIDTH JOINER, which are spelling, not control, and valid in XML: Persian writes "می‌شود"
with a non-joiner (without it the letters join into another word's shape), Bengali writes
"র‍্যাব" with a joiner, and Hindi, Malayalam, Sinhala and Kurdish use both. Removing them
changed every such word of a page's body.

``keep_joiners()`` gives trafilatura a filter that keeps the two joiners and drops what
its own drops. It is installed when this package's body module is imported, before any
extraction. tests/test_joiners.py checks a Persian and a Bengali page end to end, so a
trafilatura release that renames the filter fails there rather than losing them unnoticed.
"""

from __future__ import annotations

import functools
from typing import Final

import trafilatura.utils

JOINERS: Final = frozenset("\u200c\u200d")


@functools.lru_cache(maxsize=2**14)  # as trafilatura's own: one entry per distinct character
def _printable_space_or_joiner(char: str) -> str:
    return char if char.isprintable() or char.isspace() or char in JOINERS else ""


def keep_joiners() -> None:
    """Make trafilatura keep ZWNJ and ZWJ in the text it extracts."""
    if not hasattr(trafilatura.utils, "return_printables_and_spaces"):
        raise RuntimeError("trafilatura.utils has no character filter to replace: see joiners.py")
    trafilatura.utils.return_printables_and_spaces = _printable_space_or_joiner
    trafilatura.utils.line_processing.cache_clear()  # lines it cleaned before
