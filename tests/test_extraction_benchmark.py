"""Extraction on real pages stays above the floors in benchmarks/extraction_floor.json.

Zyte: 181 news and blog article pages (body F1). WCXB-dev: 1,497 pages of 2025 labelled by
page type (article F1 with rejected articles at 0, articles accepted, non-articles rejected).
Only Sankofa runs here (about two minutes in all); the side-by-side comparison with plain
trafilatura, with speeds, metadata and the ablation table, is ``python -m benchmarks.extraction``.
The data is the shared benchmark folder beside the repository; without it the tests skip.
"""

from __future__ import annotations

import pytest

from benchmarks import wcxb
from benchmarks.extraction import (
    DEFAULT_BENCH_DIR,
    LIKE_FOR_LIKE,
    SANKOFA,
    BenchRow,
    bench_table,
    load_scorer,
    main,
    read_floors,
    run_bench,
)

FLOORS = read_floors()


@pytest.mark.skipif(
    not (DEFAULT_BENCH_DIR / "ground-truth.json").is_file(),
    reason=f"benchmark data not found at {DEFAULT_BENCH_DIR} (shared/benchmarks not checked out)",
)
def test_zyte_body_f1_is_not_below_the_floor() -> None:
    (row,) = run_bench(DEFAULT_BENCH_DIR, [SANKOFA])
    assert row.metrics["empty"] == 0, "an article page came back without a body"
    assert row.metrics["f1"] >= FLOORS["zyte_f1"]


@pytest.mark.skipif(
    not (wcxb.WCXB_DIR / "ground-truth.json").is_file(),
    reason=f"benchmark data not found at {wcxb.WCXB_DIR} (shared/benchmarks not checked out)",
)
def test_wcxb_articles_kept_and_other_pages_turned_away() -> None:
    pages = wcxb.load_pages()
    outputs, speed = wcxb.run(["sankofa"], pages)["sankofa"]
    score = wcxb.score(load_scorer(DEFAULT_BENCH_DIR), "sankofa", pages, outputs, speed)
    assert score.accepted >= FLOORS["wcxb_accepted"]
    assert score.article_f1 >= FLOORS["wcxb_article_f1"]
    assert score.counted_rejected >= FLOORS["wcxb_nonarticle_rejected"]


def test_speeds_are_given_against_plain_trafilatura_and_like_for_like() -> None:
    scores = {"precision": 1.0, "recall": 1.0, "f1": 1.0, "accuracy": 1.0}
    rows = [
        BenchRow(SANKOFA, scores, 60.0),
        BenchRow("trafilatura", scores, 80.0),
        BenchRow(LIKE_FOR_LIKE, scores, 50.0),
    ]
    lines = bench_table(rows, 3).splitlines()
    assert lines[2].split()[-1] == "0.75"  # sankofa's row, against the body-only reference
    assert lines[-1] == (
        "# like for like (body, title, author and date): sankofa 1.20x trafilatura + metadata"
    )


@pytest.mark.skipif(
    not (DEFAULT_BENCH_DIR / "ground-truth.json").is_file(),
    reason=f"benchmark data not found at {DEFAULT_BENCH_DIR} (shared/benchmarks not checked out)",
)
def test_the_benchmark_runs_without_the_wcxb_set(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-wcxb", "--sankofa-only", "--limit", "2"]) == 0
    result = capsys.readouterr().out.splitlines()[-1]
    assert result.startswith("RESULT sankofa zyte_f1=") and "wcxb" not in result
