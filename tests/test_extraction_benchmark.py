"""Sankofa's body extraction on the shared article-extraction benchmark stays above its floor.

Runs only Sankofa (about 10 s for the 181 pages); the side-by-side comparison with plain
trafilatura, with speeds, is ``python -m benchmarks.extraction``.
"""

from __future__ import annotations

import pytest

from benchmarks.extraction import DEFAULT_BENCH_DIR, SANKOFA, read_floor, run_bench


@pytest.mark.skipif(
    not (DEFAULT_BENCH_DIR / "ground-truth.json").is_file(),
    reason=f"benchmark data not found at {DEFAULT_BENCH_DIR} (shared/benchmarks not checked out)",
)
def test_f1_is_not_below_the_floor() -> None:
    (row,) = run_bench(DEFAULT_BENCH_DIR, [SANKOFA])
    assert row.metrics["empty"] == 0, "an article page came back without a body"
    assert row.metrics["f1"] >= read_floor()
