"""py3langid's scores for all the paragraphs of an article at once, the same to the last bit.

py3langid finds a text's byte n-grams by walking its tokenizer (a DFA built from the
n-grams, Aho-Corasick style) one byte at a time in Python: 0.45 us a byte, most of the
cost of identifying a paragraph. Here the walk is done for every byte of every paragraph
together, in numpy. The state the DFA is in after a byte stands for the longest suffix of
the text read so far that leads to a state, and no state lies deeper than the model's
longest n-gram (DEPTH bytes): so the state after byte ``i`` is the one reached by
walking from the start state over bytes ``i - DEPTH + 1 .. i`` alone (those of the same
paragraph). DEPTH steps over all bytes at once give every state.

The features each paragraph visits are then counted, listed in the order py3langid's
``Counter`` lists them (first visit first), and scored with the same float32 product and
normalisation as its ``LanguageIdentifier._decide``, so that each row equals what
``_decide`` gives for that paragraph alone. ``tests/test_language.py`` holds the two equal:
they read py3langid's private attributes, which an upgrade may change.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

# The deepest state of py3langid 0.4's tokenizer (breadth-first from the start state); the
# test of this module fails on a model with a deeper one.
DEPTH = 6
BATCH_BYTES = 64 * 1024  # walked together: ~5 MB of work arrays, already as fast as larger


def scores(identifier: Any, texts: Sequence[str]) -> np.ndarray:
    """``identifier._decide(text)`` for each of ``texts``, one row each. The identifier
    normalises its scores to probabilities, as crawler.lang.model_store builds it."""
    if not identifier._norm_probs:
        raise ValueError("batched scores follow py3langid's normalised (norm_probs) scoring")
    encoded = [identifier._encode(text) for text in texts]
    rows = np.empty((len(encoded), len(identifier.nb_classes)), dtype=np.float32)
    for first, batch in _batches(encoded):
        paragraph, feature, count = _visits(identifier, batch)
        bounds = np.searchsorted(paragraph, np.arange(len(batch) + 1))
        for row, (start, end) in enumerate(itertools.pairwise(bounds), start=first):
            rows[row] = _row(identifier, feature[start:end], count[start:end], len(encoded[row]))
    return rows


def _batches(encoded: list[bytes]) -> Iterator[tuple[int, list[bytes]]]:
    """Runs of texts of about BATCH_BYTES together, each with its first text's index: the
    walk holds a few 8-byte integers per byte, and a long article must not hold them all."""
    first, size = 0, 0
    for index, text in enumerate(encoded):
        if size and size + len(text) > BATCH_BYTES:
            yield first, encoded[first:index]
            first, size = index, 0
        size += len(text)
    if first < len(encoded):
        yield first, encoded[first:]


def _visits(identifier: Any, encoded: list[bytes]) -> tuple[Any, Any, Any]:
    """Per paragraph (in order), the features its walk visits, first visit first, and how
    often: three aligned arrays (paragraph, feature, count)."""
    nextmove, rowbase, output = _tables(identifier)
    lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    data = np.frombuffer(b"".join(encoded), dtype=np.uint8).astype(np.int64)
    paragraph = np.repeat(np.arange(len(encoded)), lengths)
    offset = np.arange(len(data)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    state = np.zeros(len(data), dtype=np.int64)
    for back in range(DEPTH - 1, -1, -1):  # byte i - back, then i - back + 1, ... then i
        moved = nextmove[rowbase[state] + data[np.maximum(np.arange(len(data)) - back, 0)]]
        state = np.where(offset >= back, moved, state)
    feature = output[state]
    visited = feature >= 0
    width = len(output)  # above any feature's number
    keys = paragraph[visited] * width + feature[visited]
    unique, first, count = np.unique(keys, return_index=True, return_counts=True)
    order = np.argsort(first, kind="stable")
    unique, count = unique[order], count[order]
    return unique // width, unique % width, count


def _row(identifier: Any, feature: Any, count: Any, length: int) -> Any:
    """py3langid's ``_decide`` once the visits are counted."""
    if len(feature):
        row = np.log1p(count.astype(np.float32)) @ identifier.nb_ptc[feature] + identifier.nb_pc
    else:  # no feature: py3langid's fill for an empty walk
        row = np.full(len(identifier.nb_classes), 0.0, dtype=np.float32)
    row *= 1.0 / math.sqrt(length or 1)
    np.exp(row - row.max(), out=row)
    row /= row.sum()
    for kept, folded in identifier._alias_pairs:
        row[kept] += row[folded]
        row[folded] = 0.0
    return row


@functools.cache
def _tables(identifier: Any) -> tuple[Any, Any, Any]:
    """The tokenizer's arrays as numpy arrays (views of the memory-mapped model where they
    are arrays already)."""
    return (
        np.asarray(identifier.tk_nextmove),
        np.asarray(identifier._rowbase, dtype=np.int64),
        np.asarray(identifier.tk_output),
    )
