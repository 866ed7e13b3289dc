"""The digest's charts: PNG bytes of the right size, bars that are the counts, labels, the
empty case, the same bytes for the same digest, and text alternatives that carry the data."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from concurrent.futures import ThreadPoolExecutor

import matplotlib
import pytest
from matplotlib.figure import Figure
from matplotlib.image import imread
from matplotlib.patches import Rectangle

from bot.rendering.charts import (
    DPI,
    NO_CASES,
    Chart,
    acts_figure,
    committee_figure,
    month_label,
    render_charts,
    trend_figure,
    wrap_label,
)
from digests.model import Audience, Count, Digest, Figures, Trend
from digests.periods import Period, month, trailing_months, year_to_date

PERIOD = month(2026, 10)
CODES = ("CAT", "CCPR", "CESCR", "CERD", "CEDAW", "CRC", "CMW", "CRPD", "CED", "SPT")
ACTS = (
    ("threats", "Threats", 5),
    ("surveillance", "Monitoring and surveillance", 2),
    ("extremist_material", 'Report designated as "extremist material"', 7),
    ("travel_ban", "Travel ban", 0),
    ("identity_disclosure", "Disclosure of a detainee's identity", 1),
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def trend(counts: list[int]) -> Trend:
    months = tuple(
        Count(m.label, m.title, n) for m, n in zip(trailing_months(PERIOD), counts, strict=True)
    )
    ytd = year_to_date(PERIOD)
    return Trend(counts[-1], counts[-2], ytd, sum(counts[-10:]), ytd, sum(counts[-10:]), months)


def digest(
    by_committee: tuple[Count, ...],
    by_act: tuple[Count, ...],
    months: list[int],
    period: Period = PERIOD,
) -> Digest:
    new = sum(c.count for c in by_committee)
    return Digest(
        period=period,
        audience=Audience.CHAIRS_CHANNEL,
        committee=None,
        figures=Figures(new_cases=new),
        previous_figures=Figures(new_cases=sum(c.previous for c in by_committee)),
        by_committee=by_committee,
        by_state=(),
        by_act=by_act,
        trend=trend(months),
    )


def committees(now: list[int], before: list[int]) -> tuple[Count, ...]:
    return tuple(
        Count(code, f"Committee {code}", n, p)
        for code, n, p in zip(CODES, now, before, strict=True)
    )


@pytest.fixture(scope="module")
def full() -> Digest:
    return digest(
        committees([4, 2, 0, 1, 3, 0, 0, 5, 1, 2], [3, 5, 0, 0, 2, 1, 0, 4, 0, 2]),
        tuple(Count(key, label, n) for key, label, n in ACTS),
        [0, 1, 3, 2, 0, 4, 5, 1, 2, 3, 3, 4],
    )


@pytest.fixture(scope="module")
def empty() -> Digest:
    return digest(committees([0] * 10, [0] * 10), (), [0] * 12)


@pytest.fixture(scope="module")
def charts(full: Digest) -> list[Chart]:
    """Drawn once for the module: a full digest's charts."""
    return render_charts(full)


def bars(figure: Figure) -> list[Rectangle]:
    return [p for p in figure.axes[0].patches if isinstance(p, Rectangle)]


def texts(figure: Figure) -> list[str]:
    ax = figure.axes[0]
    return [figure.get_suptitle(), *(t.get_text() for t in (*figure.texts, *ax.texts))]


def tick_labels(figure: Figure, axis: str) -> list[str]:
    ax = figure.axes[0]
    ticks = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
    return [t.get_text() for t in ticks]


def pixels(png: bytes) -> tuple[int, int]:
    image = imread(io.BytesIO(png))
    return image.shape[0], image.shape[1]


def test_three_charts_in_order_with_titles_naming_the_period(charts: list[Chart]) -> None:
    assert [c.name for c in charts] == ["cases-per-committee", "acts-by-type", "twelve-month-trend"]
    assert all(isinstance(c, Chart) for c in charts)
    assert [c.title for c in charts] == [
        "Cases per committee, October 2026",
        "Acts by type, October 2026",
        "Twelve-month trend to October 2026",
    ]


def test_charts_are_pngs_of_the_expected_size(full: Digest, charts: list[Chart]) -> None:
    for chart in charts:
        assert chart.png.startswith(PNG_SIGNATURE)
    assert pixels(charts[0].png) == (450, 800)
    assert pixels(charts[2].png) == (450, 800)
    height, width = acts_figure(full).get_size_inches()[::-1]
    assert pixels(charts[1].png) == (int(height * DPI), int(width * DPI))


def test_the_acts_chart_grows_with_its_rows_but_stays_as_wide() -> None:
    many = tuple(Count(f"a{i}", f"Act number {i}", i + 1) for i in range(26))
    chart = render_charts(digest(committees([1] * 10, [0] * 10), many, [1] * 12))[1]

    height, width = pixels(chart.png)
    assert width == 800 and height > 800


def test_committee_bars_are_this_period_and_the_previous_one(full: Digest) -> None:
    figure = committee_figure(full)
    previous, now = figure.axes[0].containers

    assert [b.get_height() for b in now] == [c.count for c in full.by_committee]
    assert [b.get_height() for b in previous] == [c.previous for c in full.by_committee]
    assert len(bars(figure)) == 20
    assert tick_labels(figure, "x") == list(CODES)
    legend = figure.axes[0].get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == ["September 2026", "October 2026"]
    # this period's bar sits to the right of the previous one, for each committee
    assert all(p.get_x() < n.get_x() for p, n in zip(previous, now, strict=True))


def test_acts_bars_are_sorted_largest_first_without_the_zeros(full: Digest) -> None:
    figure = acts_figure(full)
    ax = figure.axes[0]
    by_row = sorted(bars(figure), key=lambda b: b.get_y())
    labels = dict(zip(ax.get_yticks(), tick_labels(figure, "y"), strict=True))

    assert [b.get_width() for b in by_row] == [7, 5, 2, 1]
    top = min(ax.get_ylim())  # the y axis is inverted: the first row is drawn at the top
    assert top < by_row[0].get_y()
    assert labels[0] == 'Report designated as\n"extremist material"'
    assert labels[1] == "Threats"
    assert "Travel ban" not in labels.values()


def test_trend_bars_are_the_twelve_months_with_short_labels(full: Digest) -> None:
    figure = trend_figure(full)

    assert [b.get_height() for b in bars(figure)] == [m.count for m in full.trend.twelve_months]
    labels = tick_labels(figure, "x")
    assert labels[0] == "Nov 25" and labels[-1] == "Oct 26" and len(labels) == 12


def test_count_axes_have_whole_number_ticks(full: Digest) -> None:
    for figure, axis in (
        (committee_figure(full), "y"),
        (acts_figure(full), "x"),
        (trend_figure(full), "y"),
    ):
        ax = figure.axes[0]
        ticks = ax.get_yticks() if axis == "y" else ax.get_xticks()
        assert all(float(t).is_integer() for t in ticks)
        figure.canvas.draw()
        labels = tick_labels(figure, axis)
        assert labels and all(label.isdigit() for label in labels)


def test_an_empty_digest_gives_three_charts_that_say_so(empty: Digest) -> None:
    charts = render_charts(empty)

    assert len(charts) == 3
    for chart in charts:
        assert chart.png.startswith(PNG_SIGNATURE)
        assert pixels(chart.png) == (450, 800)
    for build in (committee_figure, acts_figure, trend_figure):
        figure = build(empty)
        assert not bars(figure)
        assert any(t.startswith("No cases") for t in texts(figure)), build.__name__
    assert NO_CASES in texts(committee_figure(empty))
    assert NO_CASES in texts(acts_figure(empty))
    assert "no cases" in charts[0].alt and "no cases" in charts[1].alt


def test_a_digest_without_any_committee_at_all_still_draws(empty: Digest) -> None:
    bare = dataclasses.replace(empty, by_committee=())

    charts = render_charts(bare)

    assert len(charts) == 3 and charts[0].alt.endswith("no cases in either.")


def test_cases_without_recorded_acts_are_not_called_no_cases(full: Digest) -> None:
    figure = acts_figure(dataclasses.replace(full, by_act=()))

    assert "No acts recorded in this period" in texts(figure)


def test_only_last_months_cases_still_draw_the_comparison() -> None:
    quiet = digest(committees([0] * 10, [2] + [0] * 9), (), [0] * 12)

    figure = committee_figure(quiet)

    previous, now = figure.axes[0].containers
    assert [b.get_height() for b in previous] == [2] + [0] * 9
    assert [b.get_height() for b in now] == [0] * 10


def test_the_same_digest_gives_the_same_bytes(full: Digest, charts: list[Chart]) -> None:
    again = render_charts(full)

    assert [c.png for c in again] == [c.png for c in charts]
    assert all(b"Software" not in c.png for c in charts)


def test_charts_drawn_in_several_threads_are_the_same_bytes(
    full: Digest, charts: list[Chart]
) -> None:
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(render_charts, [full] * 3))

    assert all([c.png for c in drawn] == [c.png for c in charts] for drawn in results)


def test_rendering_leaves_the_global_settings_alone(full: Digest) -> None:
    before = dict(matplotlib.rcParams)

    render_charts(full)

    assert dict(matplotlib.rcParams) == before


def test_committee_alt_mentions_every_committee_with_its_numbers(
    full: Digest, charts: list[Chart]
) -> None:
    alt = charts[0].alt

    assert alt.startswith("Cases per committee, October 2026 against September 2026: CAT 4 (3)")
    for count in full.by_committee:
        assert f"{count.key} {count.count} ({count.previous})" in alt


def test_acts_and_trend_alts_carry_their_data(charts: list[Chart]) -> None:
    _, acts, months = charts

    assert 'Report designated as "extremist material" 7; Threats 5' in acts.alt
    assert "Travel ban" not in acts.alt
    assert "November 2025 0, December 2025 1" in months.alt
    assert months.alt.endswith("October 2026 4; 28 in all.")


def test_a_period_other_than_a_month_is_compared_with_the_previous_period(full: Digest) -> None:
    quarter = Period(dt.date(2026, 7, 1), dt.date(2026, 10, 1))

    alt = render_charts(dataclasses.replace(full, period=quarter))[0].alt

    assert alt.startswith("Cases per committee, 2026-07-01..2026-09-30 against the previous period")


def test_labels_with_dollar_signs_are_text_not_mathematics(full: Digest) -> None:
    odd = dataclasses.replace(full, by_act=(Count("x", "Fines of $5 and $6", 3),))

    figure = acts_figure(odd)
    figure.canvas.draw()

    assert tick_labels(figure, "y") == ["Fines of $5 and $6"]


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Threats", "Threats"),
        ("Online threats and smear campaigns", "Online threats and smear\ncampaigns"),
        (
            "A very long description of an act that will not fit on two lines at all",
            "A very long description of\nan act that will not fit …",
        ),
    ],
)
def test_long_labels_wrap_on_two_lines_then_end_with_an_ellipsis(label: str, expected: str) -> None:
    assert wrap_label(label) == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [("2025-11", "Nov 25"), ("2026-01", "Jan 26"), ("2026-13", "2026-13"), ("later", "later")],
)
def test_month_labels_are_short_and_in_english(key: str, expected: str) -> None:
    assert month_label(key) == expected
