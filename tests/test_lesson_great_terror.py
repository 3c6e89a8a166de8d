"""Tests for lesson 03 (the Great Terror): quiz, charts, explorers and notebook."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest
from conftest import figure_text

from stalin_course import charts, data, lessons, widgets

LESSON = lessons.by_slug("great_terror")
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / f"{LESSON.notebook}.ipynb"
TERROR = "Great Terror, 1937–1938"


@pytest.fixture(scope="module")
def repression():
    return data.load("repression_by_year")


def _line(ax, gid: str):
    (line,) = [line for line in ax.get_lines() if line.get_gid() == gid]
    return line


# --- quiz ---------------------------------------------------------------------


def test_share_peak_question_agrees_with_the_data(repression) -> None:
    full = repression[repression["half_year"].isna()]
    share = full["executed"] / full["convicted"]
    peak = int(full.loc[share.astype(float).idxmax(), "year"])
    (question,) = [q for q in widgets.load_quiz(LESSON.slug) if q.id == "share-peak"]
    assert question.answer == str(peak)


# --- repression chart ---------------------------------------------------------


def test_repression_chart_labels_and_source() -> None:
    chart = charts.repression_chart()
    (ax,) = chart.figure.axes
    assert "convicted" in ax.get_title(loc="left").lower()
    assert ax.get_xlabel() == "Year" and ax.get_ylabel()
    assert "MVD" in chart.source and "Kurashvili" in chart.source
    assert "Source:" in figure_text(chart) and "Kurashvili" in figure_text(chart)


def test_repression_series_equal_the_csv_and_half_year_is_separate(repression) -> None:
    chart = charts.repression_chart()
    (ax,) = chart.figure.axes
    full = repression[repression["half_year"].isna()]
    half = repression[repression["half_year"].notna()]
    assert list(half["year"]) == [1953]
    for column in ("convicted", "executed"):
        line = _line(ax, column)
        assert list(line.get_xdata()) == list(full["year"])
        assert list(line.get_ydata()) == [float(v) for v in full[column]]
        hollow = _line(ax, f"{column}-half")
        assert list(hollow.get_ydata()) == [float(half[column].iloc[0])]
        assert hollow.get_markerfacecolor() == "white" and hollow.get_linestyle() == "None"
    assert any("Jan-Jun only" in text.get_text() for text in ax.texts)
    share = _line(ax, "share")
    expected = [100 * e / c for e, c in zip(full["executed"], full["convicted"], strict=True)]
    assert list(share.get_ydata()) == pytest.approx(expected)


def test_repression_colours_are_okabe_ito_with_markers() -> None:
    palette = {colour.lower() for colour in charts.OKABE_ITO.values()}
    (ax,) = charts.repression_chart().figure.axes
    markers = set()
    for gid in ("convicted", "executed", "share"):
        line = _line(ax, gid)
        assert matplotlib.colors.to_hex(line.get_color()) in palette
        markers.add(line.get_marker())
    assert len(markers) == 3


def test_repression_views_switch_measure_scale_and_period() -> None:
    view = charts.RepressionView()
    chart = view.chart("share", "log", TERROR)
    assert view.ax.get_yscale() == "log"
    assert _line(view.ax, "share").get_visible() and not _line(view.ax, "convicted").get_visible()
    assert view.span.get_visible() and view.span.get_x() == pytest.approx(1936.5)
    assert "ten times" in chart.summary and "1938 (59.3%)" in chart.summary
    chart = view.chart("counts", "linear", charts.REPRESSION_PERIODS and "Whole period, 1921–1953")
    assert view.ax.get_yscale() == "linear" and not view.span.get_visible()
    assert chart.png()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValueError):
        view.chart("deaths", "linear")


def test_period_summaries_are_computed_from_the_data(repression) -> None:
    assert charts.period_summary(TERROR) == (
        "Great Terror, 1937–1938: 1,344,923 people convicted and 681,692 sentenced to death "
        "(50.7% of those convicted); executions peaked in 1937 at 353,074."
    )
    whole = charts.period_summary("Whole period, 1921–1953")
    assert f"{int(repression['convicted'].sum()):,} people convicted" in whole
    assert "1953 counts Jan-Jun only" in whole
    for period, (first, last) in charts.REPRESSION_PERIODS.items():
        rows = repression[repression["year"].between(first, last)]
        assert f"{int(rows['executed'].sum()):,} sentenced" in charts.period_summary(period)


# --- trials and Order 00447 ---------------------------------------------------


def test_trials_chart_equals_the_csv() -> None:
    trials = data.load("show_trials").sort_values("start_date").reset_index(drop=True)
    chart = charts.show_trials_chart()
    (ax,) = chart.figure.axes
    assert "trials" in ax.get_title(loc="left").lower()
    assert ax.get_xlabel() and "Source:" in figure_text(chart)
    bars = {p.get_gid(): p.get_width() for p in ax.patches if p.get_gid()}
    for number, row in trials.iterrows():
        assert bars[f"defendants-{number}"] == row["defendants"]
        assert bars[f"death-{number}"] == row["death_sentences"]
    assert chart.summary == (
        f"In the 4 trials, {int(trials['death_sentences'].sum())} of "
        f"{int(trials['defendants'].sum())} defendants were sentenced to death."
    )


def test_trial_summary_and_details() -> None:
    label = "Mar 1938: Trial of the Twenty-One"
    summary = charts.trial_summary(label)
    assert summary.startswith("Trial of the Twenty-One, 2–13 March 1938 (public show trial)")
    assert "18 of 21" in summary and "Bukharin" in summary
    details = widgets.trial_details(label)
    assert "Vyshinsky" in details and "Ulrikh" in details and "15 March 1938" in details
    assert "closed military court" in widgets.trial_details("Jun 1937: Case of the military")


def test_order_00447_chart_equals_the_csv() -> None:
    frame = data.load("order_00447")
    chart = charts.order_00447_chart()
    (ax,) = chart.figure.axes
    assert ax.get_title(loc="left") and ax.get_xlabel() and ax.get_ylabel() == "People"
    heights = sorted(p.get_height() for p in ax.patches)
    counted = frame[~frame["measure"].str.startswith(("second", "higher"))]
    assert heights == sorted(float(v) for v in counted["value"])
    assert "Werth" in chart.source and "5.1 times" in chart.summary


def test_order_00447_chart_shows_the_higher_estimate_as_a_range() -> None:
    frame = data.load("order_00447").set_index("measure")
    high = frame[frame.index.str.startswith("higher estimate of people shot")].iloc[0]
    (ax,) = charts.order_00447_chart().figure.axes
    marks = [c for c in ax.collections if c.get_gid() == "higher-estimate"]
    heights = {float(seg[0, 1]) for c in marks for seg in c.get_segments()}
    assert {float(high["value"]), float(high["value_high"])} <= heights
    assert len(marks) == 2  # one above each of the NKVD's counts
    summary = charts.order_00447_chart().summary
    assert "437,000–445,000" in summary and "Roginski" in summary


# --- widgets ------------------------------------------------------------------


def test_repression_explorer_updates_image_and_summary() -> None:
    explorer = widgets.explore_repression()
    explorer.preparing.join()
    assert explorer.measure.description == "Show" and explorer.scale.description == "Scale"
    assert explorer.period.description == "Highlight a period"
    first = explorer.image.value
    explorer.period.value = TERROR
    assert explorer.summary_text == charts.period_summary(TERROR)
    assert explorer.image.value != first
    explorer.measure.value = "share"
    assert "the share was highest in 1938" in explorer.summary.value
    explorer.scale.value = "log"
    assert "ten times" in explorer.summary_text


def test_trials_explorer_updates() -> None:
    explorer = widgets.explore_trials()
    assert explorer.control.description == "Trial"
    first = explorer.image.value
    for label in list(explorer.control.options)[1:]:
        explorer.control.value = label
        assert explorer.summary_text == charts.trial_summary(label)
        assert "Best-known accused" in explorer.extra.value
    assert explorer.image.value != first


# --- notebook -----------------------------------------------------------------
