"""Tests for lesson 08: propaganda, culture and the cult of Stalin."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import nbformat
import pytest
from conftest import figure_text

from stalin_course import charts, data, lessons, widgets

LESSON = lessons.by_slug("propaganda_and_cult")
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / f"{LESSON.notebook}.ipynb"


@pytest.fixture(scope="module")
def notebook() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


# The quiz ---------------------------------------------------------------------------------


# The chart ----------------------------------------------------------------------------------


def test_komsomol_chart_title_axes_source() -> None:
    chart = charts.komsomol_chart()
    (ax,) = chart.figure.axes
    assert "Komsomol" in ax.get_title(loc="left")
    assert ax.get_xlabel().startswith("Year")
    assert "millions" in ax.get_ylabel()
    frame = data.load("komsomol_membership")
    assert chart.source == charts.sources_of(frame)
    assert "Source:" in figure_text(chart)
    assert "Achtung Feindpropaganda" in figure_text(chart)


def test_komsomol_chart_plots_only_the_csv_values() -> None:
    frame = data.load("komsomol_membership")
    chart = charts.komsomol_chart()
    (ax,) = chart.figure.axes
    (line,) = [line for line in ax.get_lines() if line.get_gid() == "members"]
    assert list(line.get_xdata()) == list(frame["year"])
    assert list(line.get_ydata()) == pytest.approx(list(frame["members"] / 1_000_000))
    assert line.get_marker() == "o" and line.get_linestyle() == "-"
    assert [int(t) for t in ax.get_xticks()] == list(frame["year"])
    palette = {c.lower() for c in charts.OKABE_ITO.values()}
    assert matplotlib.colors.to_hex(line.get_color()) in palette


def test_komsomol_summaries_are_computed() -> None:
    frame = data.load("komsomol_membership")
    first, last = frame.iloc[0], frame.iloc[-1]
    summary = charts.komsomol_chart().summary
    assert f"in {first['year']}" in summary and f"in {last['year']}" in summary
    assert f"{last['members'] / first['members']:.1f} times" in summary
    assert charts.komsomol_chart(1933).summary == charts.komsomol_year_summary(1933)
    assert "4.5 million" in charts.komsomol_year_summary(1933)
    assert "no count for 1930" in charts.komsomol_year_summary(1930)


# The widgets --------------------------------------------------------------------------------


def test_technique_spotter_feedback() -> None:
    spotter = widgets.spot_the_technique()
    assert spotter.example.description == "Example"
    assert spotter.choice.description == "Technique"
    assert spotter.check_button.description == "Check"
    assert "Choose one of the answers first" in spotter.check()
    for example in widgets.TECHNIQUE_EXAMPLES:
        wrong = next(t for t in widgets.TECHNIQUES if t != example.answer)
        feedback = spotter.answer(example.id, wrong)
        assert feedback.startswith("Not quite") and example.answer not in feedback
        assert feedback == widgets.technique_feedback(example.id, wrong)
        assert spotter.answer(example.id, example.answer).startswith("Correct!")
        assert example.question in spotter.text.value.replace("&#x27;", "'")
    total = len(widgets.TECHNIQUE_EXAMPLES)
    assert f"spotted {total} of {total}" in spotter.score.value


def test_every_technique_is_used_and_titles_do_not_give_answers_away() -> None:
    used = {example.answer for example in widgets.TECHNIQUE_EXAMPLES}
    assert used == set(widgets.TECHNIQUES)
    for example in widgets.TECHNIQUE_EXAMPLES:
        assert example.answer.lower() not in widgets.EXAMPLE_TITLES[example.id].lower()


def test_komsomol_explorer_updates_image_and_summary() -> None:
    explorer = widgets.explore_komsomol()
    assert explorer.control.description == "Year of the count"
    first_image = explorer.image.value
    explorer.control.value = "1940"
    assert explorer.summary_text == charts.komsomol_year_summary(1940)
    assert "1940" in explorer.summary.value and "10.2 million" in explorer.summary.value
    assert explorer.image.value != first_image


# The notebook -------------------------------------------------------------------------------
