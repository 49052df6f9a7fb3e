"""MinHash signatures of article bodies (exact copies are found by storage's body hash).

The body is normalised (Unicode NFKC, case-folded, punctuation and symbols dropped, spaces
collapsed), cut into shingles, and summarised by a MinHash signature (datasketch) whose
share of equal values estimates the Jaccard similarity of two bodies' shingle sets.

Shingles are single words (SHINGLE_WORDS = 1): measured on the planted corpus of
``benchmarks.duplicates``, longer word n-grams lose the copies whose words an editor changed
(one changed word breaks n shingles) without making unrelated articles any less alike at the
thresholds that matter. Scripts written without spaces between words (Han, kana, Thai, Lao,
Khmer, Myanmar) have no words to split on: their runs are cut into character bigrams, the
usual stand-in for words in those scripts.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import re
import sys
import threading
import unicodedata
from typing import Any, Final

import numpy as np

from crawler.unspaced import UNSPACED_LETTER

NUM_PERM: Final = 128  # signature length; the index bands it (storage.duplicates)
SEED: Final = 1  # fixed: signatures computed by different processes must be comparable
# datasketch 2's unbiased scheme; its values are 32-bit, stored as 4 bytes each.
SCHEME: Final = "affine32"
SHINGLE_WORDS: Final = 1
# Bodies with fewer distinct shingles get no signature: a short teaser or caption says too
# little to call two pages copies. Exact copies are still found by their body hash.
MIN_SHINGLES: Final = 30

_SPACES = re.compile(r"\s+")


def signature(text: str, size: int = SHINGLE_WORDS) -> bytes | None:
    """The MinHash signature of ``text`` as NUM_PERM little-endian uint32 values, or None
    when the body has fewer than MIN_SHINGLES distinct shingles."""
    found = shingles(text, size)
    if len(found) < MIN_SHINGLES:
        return None
    minhash = _minhash_class()(
        num_perm=NUM_PERM, seed=SEED, permutations=_permutations(), scheme=SCHEME
    )
    minhash.update_batch([shingle.encode("utf-8") for shingle in found])
    return np.asarray(minhash.hashvalues, dtype="<u4").tobytes()


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """The distinct shingles of ``text``: runs of ``size`` consecutive units (words, or
    character bigrams in unspaced scripts) of its normalised form."""
    units = _units(normalise(text))
    if len(units) <= size:
        return {" ".join(units)} if units else set()
    return {" ".join(units[i : i + size]) for i in range(len(units) - size + 1)}


def normalise(text: str) -> str:
    """NFKC, case-folded, every punctuation mark and symbol turned into a space."""
    return _punctuation().sub(" ", unicodedata.normalize("NFKC", text).casefold())


def _units(normalised: str) -> list[str]:
    words = normalised.split()
    if UNSPACED_LETTER.search(normalised) is None:  # the common case: one test for the whole body
        return words
    units: list[str] = []
    for word in words:
        if len(word) == 1 or UNSPACED_LETTER.search(word) is None:
            units.append(word)
        else:
            units.extend(word[i : i + 2] for i in range(len(word) - 1))
    return units


@functools.cache
def _punctuation() -> re.Pattern[str]:
    # Built once per process: a class of every code point whose category is punctuation (P*)
    # or a symbol (S*), as ranges. Marks (M*) stay: they are part of Devanagari, Arabic...
    # words. Made from unicodedata, so it follows the Unicode version of the running Python.
    # Only the Basic Multilingual Plane is listed code by code (re then tests a character in
    # one step; with astral ranges it would walk the list), plus the emoji and pictograph
    # planes as one range.
    ranges: list[tuple[int, int]] = []
    for code in range(0x10000):
        if unicodedata.category(chr(code))[0] in "PS":
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    members = "".join(
        re.escape(chr(low)) if low == high else f"{re.escape(chr(low))}-{re.escape(chr(high))}"
        for low, high in ranges
    )
    return re.compile(f"[{members}_\U0001f000-\U0001faff]+")


@functools.cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    # datasketch draws the permutations from SEED; drawing them once saves that per body.
    template = _minhash_class()(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    return template.permutations  # type: ignore[no-any-return]


@functools.cache
def _minhash_class() -> Any:
    """datasketch's MinHash, without the rest of datasketch.

    The package's ``__init__`` imports every sketch it has (LSH forests, HNSW, Bloom and
    Redis-backed indexes) and scipy with them: 80 MB and 0.6 s of CPU in each extraction
    worker, which needs MinHash alone. Its module is loaded under a bare package object;
    then the bare package and what was loaded under it leave ``sys.modules``, so that a later
    ``import datasketch`` loads the package in full, as if this had not happened."""
    with _IMPORTING:
        if "datasketch" in sys.modules:  # already imported in full: nothing left to save
            return sys.modules["datasketch"].MinHash
        spec = importlib.util.find_spec("datasketch")
        if spec is None:
            raise ImportError("datasketch is not installed: pip install datasketch")
        bare = importlib.util.module_from_spec(spec)
        sys.modules["datasketch"] = bare
        try:
            return importlib.import_module("datasketch.minhash").MinHash
        finally:
            for name in [name for name in sys.modules if name.startswith("datasketch.")]:
                del sys.modules[name]
            if sys.modules.get("datasketch") is bare:
                del sys.modules["datasketch"]


# Another thread importing datasketch in that window would get the bare package: signing
# runs in the extraction workers' one thread, or on the reactor's when extraction is inline.
_IMPORTING = threading.Lock()
