"""The digest's three charts as PNG images, drawn with Matplotlib's object-oriented API.

No `pyplot` and no global state: each call builds its own `Figure` on its own Agg canvas, and
every setting is passed to the artists themselves (rcParams are read, never written), so the
charts can be drawn from several threads at once. The same digest gives the same bytes.
"""

from __future__ import annotations

import io
import re
import textwrap
from dataclasses import dataclass
from typing import Literal

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, StrMethodFormatter

from digests.model import Count, Digest
from digests.periods import Period, month_of, shift

DPI = 100
WIDTH = 8.0  # inches
HEIGHT = 4.5  # inches: 800 x 450 pixels at DPI
ROW = 0.3125  # inches per bar of the acts chart (exact in binary: the same size everywhere)
LABEL_WIDTH = 26  # characters per line of an act's label, two lines at most
ACTS_LEFT = 2.0  # inches left of the acts chart's bars, for their labels
NO_CASES = "No cases in this period"
NO_ACTS = "No acts recorded in this period"
NO_TREND = "No cases in the last twelve months"

# Okabe & Ito's palette, distinguishable with the common colour-vision deficiencies.
BLUE = "#0072B2"
ORANGE = "#E69F00"
SKY = "#56B4E9"
INK = "#222222"
GRID = "#DDDDDD"

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_KEY = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart ready to attach: a file-name stem, a title, a text alternative and the PNG."""

    name: str
    title: str
    alt: str
    png: bytes


def render_charts(digest: Digest) -> list[Chart]:
    """The digest's charts: cases per committee, acts by type, the twelve-month trend."""
    return [
        Chart(
            "cases-per-committee",
            committee_title(digest),
            committee_alt(digest),
            to_png(committee_figure(digest)),
        ),
        Chart("acts-by-type", acts_title(digest), acts_alt(digest), to_png(acts_figure(digest))),
        Chart(
            "twelve-month-trend",
            trend_title(digest),
            trend_alt(digest),
            to_png(trend_figure(digest)),
        ),
    ]


def to_png(figure: Figure) -> bytes:
    """The figure as PNG bytes, without the Software tag so that the bytes stay the same."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
    return buffer.getvalue()


# Cases per committee


def committee_title(digest: Digest) -> str:
    """`Cases per committee, October 2026`."""
    return f"Cases per committee, {digest.period.title}"


def committee_figure(digest: Digest) -> Figure:
    """Grouped bars per committee: this period's cases against the previous period's."""
    figure, ax = _figure(committee_title(digest))
    counts = digest.by_committee
    if not any(c.count or c.previous for c in counts):
        return _empty(figure, ax, NO_CASES)
    now, before = _period_names(digest.period)
    places = range(len(counts))
    for offset, values, colour, name in (
        (-0.2, [c.previous for c in counts], ORANGE, before),
        (0.2, [c.count for c in counts], BLUE, now),
    ):
        bars = ax.bar([p + offset for p in places], values, 0.4, color=colour, label=name)
        ax.bar_label(bars, labels=[str(v) for v in values], padding=2, fontsize=8, color=INK)
    ax.set_xticks(list(places), [c.key for c in counts], fontsize=9, parse_math=False)
    _count_axis(ax, "y", max(max(c.count, c.previous) for c in counts))
    ax.legend(fontsize=9, frameon=False, loc="lower right", bbox_to_anchor=(1, 1), ncols=2)
    return figure


def committee_alt(digest: Digest) -> str:
    """Every committee with this period's count and, in brackets, the previous one's."""
    now, before = _period_names(digest.period)
    head = f"Cases per committee, {now} against {before}"
    body = ", ".join(f"{c.key} {c.count} ({c.previous})" for c in digest.by_committee)
    if not any(c.count or c.previous for c in digest.by_committee):
        return f"{head}: no cases in either. {body}." if body else f"{head}: no cases in either."
    return f"{head}: {body}."


# Acts by type


def acts_title(digest: Digest) -> str:
    """`Acts by type, October 2026`."""
    return f"Acts by type, {digest.period.title}"


def acts_figure(digest: Digest) -> Figure:
    """Horizontal bars of the acts alleged in the period's cases, largest at the top."""
    acts = _acts(digest)
    height = max(HEIGHT, 1.5 + ROW * len(acts))
    figure, ax = _figure(acts_title(digest), height, left=ACTS_LEFT)
    if not acts:
        return _empty(figure, ax, _no_acts(digest))
    rows = range(len(acts))
    values = [c.count for c in acts]
    bars = ax.barh(list(rows), values, 0.7, color=BLUE)
    ax.bar_label(bars, labels=[str(v) for v in values], padding=3, fontsize=8, color=INK)
    ax.set_yticks(
        list(rows), [wrap_label(c.label or c.key) for c in acts], fontsize=8, parse_math=False
    )
    ax.set_ylim(len(acts) - 0.5, -0.5)  # the first (largest) at the top
    _count_axis(ax, "x", max(values))
    return figure


def acts_alt(digest: Digest) -> str:
    """Every act alleged with its count, largest first."""
    acts = _acts(digest)
    head = f"Acts alleged in cases received in {digest.period.title}"
    if not acts:
        return f"{head}: {_no_acts(digest).lower()}."
    body = "; ".join(f"{c.label or c.key} {c.count}" for c in acts)
    return f"{head}, largest first: {body}."


def wrap_label(label: str, width: int = LABEL_WIDTH) -> str:
    """A long label on two lines at most, the rest shortened with an ellipsis."""
    return "\n".join(textwrap.wrap(label, width, max_lines=2, placeholder=" …")) or label


def _acts(digest: Digest) -> list[Count]:
    """The acts alleged at least once, largest first, then by label."""
    return sorted((c for c in digest.by_act if c.count > 0), key=lambda c: (-c.count, c.label))


def _no_acts(digest: Digest) -> str:
    """Why the acts chart is empty: no case at all, or cases without an act recorded."""
    return NO_ACTS if any(c.count for c in digest.by_committee) else NO_CASES


# The twelve-month trend


def trend_title(digest: Digest) -> str:
    """`Twelve-month trend to October 2026`."""
    return f"Twelve-month trend to {digest.period.title}"


def trend_figure(digest: Digest) -> Figure:
    """Bars of the cases received in each of the twelve months, the last one darker."""
    figure, ax = _figure(trend_title(digest))
    months = digest.trend.twelve_months
    if not any(m.count for m in months):
        return _empty(figure, ax, NO_TREND)
    places = list(range(len(months)))
    values = [m.count for m in months]
    colours = [SKY] * (len(months) - 1) + [BLUE]
    bars = ax.bar(places, values, 0.7, color=colours)
    ax.bar_label(bars, labels=[str(v) for v in values], padding=2, fontsize=8, color=INK)
    ax.set_xticks(places, [month_label(m.key) for m in months], fontsize=9, parse_math=False)
    _count_axis(ax, "y", max(values))
    return figure


def trend_alt(digest: Digest) -> str:
    """Every month of the trend with its count, oldest first, and the total."""
    months = digest.trend.twelve_months
    head = f"Cases received per month, to {digest.period.title}"
    if not any(m.count for m in months):
        return f"{head}: {NO_TREND.lower()}."
    body = ", ".join(f"{m.label or month_label(m.key)} {m.count}" for m in months)
    return f"{head}: {body}; {sum(m.count for m in months)} in all."


def month_label(key: str) -> str:
    """`2025-11` -> `Nov 25`, in English whatever the locale; other keys as they are."""
    found = _KEY.match(key)
    if not found or not 1 <= int(found[2]) <= 12:
        return key
    return f"{_MONTHS[int(found[2]) - 1]} {found[1][2:]}"


# Shared


def _figure(title: str, height: float = HEIGHT, left: float = 0.6) -> tuple[Figure, Axes]:
    """A figure on its own Agg canvas, with fixed margins (inches): one draw, no layout engine."""
    figure = Figure(figsize=(WIDTH, height), dpi=DPI, facecolor="white")
    FigureCanvasAgg(figure)
    figure.subplots_adjust(
        left=left / WIDTH, right=1 - 0.3 / WIDTH, bottom=0.55 / height, top=1 - 0.7 / height
    )
    figure.suptitle(
        title,
        x=0.15 / WIDTH,
        y=1 - 0.15 / height,
        ha="left",
        va="top",
        fontsize=12,
        color=INK,
        parse_math=False,
    )
    ax = figure.add_subplot()
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=9, colors=INK)
    return figure, ax


def _empty(figure: Figure, ax: Axes, message: str) -> Figure:
    """No axes, and the message in the middle of the figure."""
    ax.set_axis_off()
    figure.text(
        0.5,
        0.5,
        message,
        ha="center",
        va="center",
        fontsize=14,
        color=INK,
        parse_math=False,
    )
    return figure


def _count_axis(ax: Axes, which: Literal["x", "y"], top: int) -> None:
    """Whole numbers only, from 0, with room above the largest bar for its label."""
    axis = ax.yaxis if which == "y" else ax.xaxis
    axis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    axis.set_major_formatter(StrMethodFormatter("{x:.0f}"))
    limit = max(top, 1) * 1.12
    if which == "y":
        ax.set_ylim(0, limit)
    else:
        ax.set_xlim(0, limit)
    ax.grid(axis=which, color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)


def _period_names(period: Period) -> tuple[str, str]:
    """`October 2026`, `September 2026` for a month; the period and `the previous period`."""
    if period == month_of(period.start):
        return period.title, shift(period, -1).title
    return period.title, "the previous period"
