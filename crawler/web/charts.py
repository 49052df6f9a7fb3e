"""Volume charts as server-rendered SVG: months across, stacked bars per language or source.

Only geometry is computed here; templates/chart.svg.html draws it (escaped like any text).
No JavaScript and no charting library: the chart is in the page as it arrives.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Final

WIDTH: Final = 720
HEIGHT: Final = 240
MARGIN_LEFT: Final = 48
MARGIN_BOTTOM: Final = 24
MAX_MONTHS: Final = 36  # the latest three years
MAX_SERIES: Final = 8  # the biggest series; the rest are summed as "other"
OTHER: Final = "other"
# Okabe-Ito, distinguishable with the common colour-vision deficiencies; grey for "other".
PALETTE: Final = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                  "#F0E442", "#000000")  # fmt: skip
OTHER_COLOUR: Final = "#999999"


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str  # the tooltip: "2024-03 · sw: 12"


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (series, colour)
    months: list[str] = field(default_factory=list)
    peak: int = 0
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = MARGIN_LEFT
    plot_bottom: int = HEIGHT - MARGIN_BOTTOM

    @property
    def empty(self) -> bool:
        return not self.bars


def stacked_bars(title: str, rows: list[tuple[str, str, int]]) -> Chart:
    """A chart of (month, series, count) rows: the last MAX_MONTHS months that have any."""
    months = sorted({month for month, _, _ in rows})[-MAX_MONTHS:]
    if not months:
        return Chart(title)
    counts = _grouped(rows, set(months))
    colours = _colours(counts)
    totals = {month: sum(counts[month].values()) for month in months}
    peak = max(totals.values())
    step = (WIDTH - MARGIN_LEFT) / len(months)
    scale = (HEIGHT - MARGIN_BOTTOM - 8) / peak
    bars = []
    for index, month in enumerate(months):
        bottom = float(HEIGHT - MARGIN_BOTTOM)
        for series, colour in colours:
            count = counts[month].get(series, 0)
            if count:
                height = count * scale
                bottom -= height
                bars.append(Bar(MARGIN_LEFT + index * step + 1, bottom, max(step - 2, 1),
                                height, colour, f"{month} · {series}: {count}"))  # fmt: skip
    return Chart(title, bars, colours, months, peak)


def _grouped(rows: list[tuple[str, str, int]], months: set[str]) -> dict[str, dict[str, int]]:
    overall: dict[str, int] = defaultdict(int)
    for month, series, count in rows:
        if month in months:
            overall[series] += count
    biggest = {s for s, _ in sorted(overall.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_SERIES]}
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for month, series, count in rows:
        if month in months:
            counts[month][series if series in biggest else OTHER] += count
    return counts


def _colours(counts: dict[str, dict[str, int]]) -> list[tuple[str, str]]:
    overall: dict[str, int] = defaultdict(int)
    for per_series in counts.values():
        for series, count in per_series.items():
            overall[series] += count
    ranked = [s for s, _ in sorted(overall.items(), key=lambda kv: (-kv[1], kv[0])) if s != OTHER]
    legend = [(series, PALETTE[i % len(PALETTE)]) for i, series in enumerate(ranked)]
    return legend + ([(OTHER, OTHER_COLOUR)] if OTHER in overall else [])


def month_bounds(month: str) -> tuple[str, str]:
    """("YYYY-MM-01", the first day of the next month) for a "YYYY-MM" month."""
    year, number = int(month[:4]), int(month[5:7])
    following = (year + 1, 1) if number == 12 else (year, number + 1)
    return f"{month}-01", f"{following[0]:04d}-{following[1]:02d}-01"
