"""Which of trafilatura's XPath expressions a shortcut was written for. PURE.

Some of trafilatura's expressions test EXSLT regular expressions on every element, a Python
call each. Where a page has no attribute value that could satisfy them, Sankofa skips them
(``fast_pass``, ``metadata``): what they would select is nothing. The patterns that say so
are read from the expressions' text, so each shortcut is pinned to that text's digest and
stands down when a trafilatura release changes it (the tests then fail, so that the patterns
are read again).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any


def digest(xpaths: Sequence[Any]) -> str:
    """A short digest of the expressions' text."""
    return hashlib.sha256("\n".join(x.path for x in xpaths).encode()).hexdigest()[:16]


def pinned(xpaths: Sequence[Any], written_for: str) -> bool:
    """Whether ``xpaths`` are the expressions a shortcut was read from."""
    return digest(xpaths) == written_for
