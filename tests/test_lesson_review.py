"""Tests for lesson 09, the review: timeline explorer, factor weighing, mixed quiz."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import nbformat
import pytest
from conftest import figure_text

from stalin_course import charts, data, lessons, widgets

LESSON = lessons.by_slug("review")
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / f"{LESSON.notebook}.ipynb"


@pytest.fixture(scope="module")
def questions() -> list[widgets.QuizQuestion]:
    return widgets.load_quiz(LESSON.slug)


@pytest.fixture(scope="module")
def notebook() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


@pytest.fixture(scope="module")
def timeline() -> object:
    return data.load("timeline")


# The quiz ---------------------------------------------------------------------------------


def test_quiz_loads_and_covers_every_section(questions: list[widgets.QuizQuestion]) -> None:
    assert 6 <= len(questions) <= 8
    for question in questions:
        assert question.answer in question.options
        assert question.answer not in question.hint
    covered = {
        "power-struggle": "power_struggle",
        "party-control": "party_control",
        "kirov": "great_terror",
        "military": "military_purge",
        "nkvd": "nkvd",
        "gulag": "gulag",
        "censorship": "censorship",
        "propaganda": "propaganda_and_cult",
    }
    assert [q.id for q in questions] == list(covered)
    assert set(covered.values()) == set(charts.SECTIONS)


# The timeline chart -------------------------------------------------------------------------


def test_timeline_chart_title_axes_source(timeline) -> None:
    chart = charts.review_timeline()
    (ax,) = chart.figure.axes
    assert "consolidation of power" in ax.get_title(loc="left")
    assert ax.get_xlabel().startswith("Year")
    assert ax.get_ylabel()
    assert chart.view.sources == charts.sources_of(timeline)  # every work, kept for the README
    assert chart.source.startswith("the course's timeline, data/timeline.csv")
    assert "listed in data/README.md" in chart.source and chart.source in figure_text(chart)
    assert len(chart._repr_html_().split("Source:")[1]) < 400  # no wall of citations
    assert [t.get_text() for t in ax.get_yticklabels()] == [v[0] for v in charts.SECTIONS.values()]


def test_timeline_plots_every_event_at_its_date(timeline) -> None:
    chart = charts.review_timeline()
    (ax,) = chart.figure.axes
    palette = {c.lower() for c in charts.OKABE_ITO.values()}
    shapes = set()
    plotted = 0
    for key in charts.SECTIONS:
        (line,) = [line for line in ax.get_lines() if line.get_gid() == key]
        expected = sorted(charts.decimal_year(d) for d in timeline[timeline.section == key].date)
        assert sorted(line.get_xdata()) == pytest.approx(expected)
        assert matplotlib.colors.to_hex(line.get_color()) in palette
        shapes.add(line.get_marker())
        plotted += len(line.get_xdata())
    assert plotted == len(timeline) == 57
    assert len(shapes) == len(charts.SECTIONS)  # a second cue besides colour


def test_timeline_filter_and_summary(timeline) -> None:
    chart = charts.TimelineView().chart("great_terror", 1934, 1938)
    (ax,) = chart.figure.axes
    (line,) = [line for line in ax.get_lines() if line.get_gid() == "great_terror"]
    years = timeline.date.str[:4].astype(int)
    expected = timeline[(timeline.section == "great_terror") & years.between(1934, 1938)]
    assert len(line.get_xdata()) == len(expected) == 8
    (faded,) = [line for line in ax.get_lines() if line.get_gid() == "faded"]
    assert len(faded.get_xdata()) == 57 - 8
    counts = years[expected.index].value_counts()
    busiest = counts.idxmax()
    assert chart.summary == (
        f"Showing 8 of the 57 events (Great Terror, 1934–1938). "
        f"The busiest year is {busiest}, with {counts.max()} events. "
        "Each event is numbered as in the list under the chart."
    )
    assert "no events" in charts.timeline_summary("nkvd", 1925, 1926)


def test_timeline_events_filter(timeline) -> None:
    assert len(charts.timeline_events()) == 57
    for key in charts.SECTIONS:
        assert len(charts.timeline_events(key)) == (timeline.section == key).sum()
    assert all(charts.timeline_events(None, 1937, 1937)["date"].str.startswith("1937"))


# The factor chart ---------------------------------------------------------------------------


def test_factor_chart_sorted_bars_and_summary() -> None:
    scores = {"alliances": 4, "gensec": 9, "terror": 7, "nkvd": 6, "propaganda": 3}
    chart = charts.factor_chart(scores)
    (ax,) = chart.figure.axes
    assert ax.get_title(loc="left") and ax.get_xlabel().startswith("Your score")
    assert "Source:" in figure_text(chart) and "your own scores" in chart.source
    bars = sorted(ax.patches, key=lambda bar: -bar.get_y())  # top first
    widths = [bar.get_width() for bar in bars]
    assert widths == sorted(widths, reverse=True)
    assert [bar.get_gid() for bar in bars][:4] == ["gensec", "terror", "nkvd", "alliances"]
    assert bars[0].get_hatch() == "//"  # the top factor has a second cue besides colour
    names = [t.get_text() for t in ax.texts if t.get_text().startswith(("T", "A", "P", "C", "E"))]
    assert names[-1] == "The post of General Secretary"  # drawn top row last
    assert chart.summary == (
        "You judged the post of General Secretary the most important factor (9 out of 10), "
        "then terror and show trials (7)."
    )


def test_factor_summary_edge_cases() -> None:
    assert "not scored any factor" in charts.factor_summary({})
    assert "same score" in charts.factor_summary(dict.fromkeys(charts.FACTORS, 5))
    tied = charts.factor_summary({"terror": 8, "nkvd": 8, "censorship": 2})
    assert "equally the most important factors (8 out of 10 each)" in tied
    assert "then 6 factors tied on 0" in charts.factor_summary({"terror": 8})
    assert charts.factor_summary({"terror": 8, "nkvd": 4}).endswith(
        "then the NKVD (secret police) (4)."
    )


# The widgets --------------------------------------------------------------------------------


def test_timeline_explorer_updates_image_summary_and_list() -> None:
    explorer = widgets.explore_timeline()
    assert explorer.section.description == "Section"
    assert explorer.years.description == "Years"
    first_image = explorer.image.value
    assert explorer.summary_text.startswith("Showing 57 of the 57 events")
    explorer.section.value = "propaganda_and_cult"
    assert explorer.summary_text == charts.timeline_summary("propaganda_and_cult")
    assert "Stakhanov" in explorer.events.value
    assert explorer.image.value != first_image
    explorer.years.value = (1936, 1938)
    assert explorer.summary_text == charts.timeline_summary("propaganda_and_cult", 1936, 1938)
    assert "Stakhanov" not in explorer.events.value and "Short Course" in explorer.events.value


def test_factor_weigher_updates_image_summary_and_prompts() -> None:
    weigher = widgets.weigh_factors()
    assert set(weigher.sliders) == set(charts.FACTORS)
    assert all(s.description and s.min == 0 and s.max == 10 for s in weigher.sliders.values())
    first_image = weigher.image.value
    assert "same score" in weigher.summary_text
    weigher.sliders["nkvd"].value = 10
    weigher.sliders["propaganda"].value = 8
    assert weigher.summary_text == charts.factor_summary(weigher.scores)
    assert weigher.summary_text.startswith("You judged the NKVD (secret police) the most")
    assert weigher.image.value != first_image
    assert "Order 00447" in weigher.prompts.value  # evidence for the top factor
    assert "propaganda and the cult of Stalin" in weigher.prompts.value
    assert "Which of the following was the more important reason" in weigher.prompts.value


def test_prompts_and_exam_question() -> None:
    scores = {"gensec": 9, "alliances": 8, "education": 1}
    prompts = widgets.evidence_prompts(scores)
    assert prompts[0].startswith("Why did you put the post of General Secretary first?")
    assert "April 1922" in prompts[0]
    assert "lowest score" in prompts[-1]
    question = widgets.exam_question(scores)
    assert "the post of General Secretary or alliances with other leaders" in question
    assert widgets.evidence_prompts({}) == [
        "Give each factor a score out of 10 first, using the sliders."
    ]


# The notebook -------------------------------------------------------------------------------


def test_few_events_are_numbered_as_in_the_explorer_list() -> None:
    chart = charts.review_timeline("nkvd", 1934, 1941)
    (ax,) = chart.figure.axes
    numbers = [t for t in ax.texts if str(t.get_gid()).startswith("number-") and t.get_visible()]
    events = charts.timeline_events("nkvd", 1934, 1941)
    assert [t.get_text() for t in numbers] == [str(n) for n in range(1, len(events) + 1)]
    assert [t.get_position()[0] for t in numbers] == pytest.approx(list(events["x"]))
    assert "numbered as in the list" in chart.summary
    listed = widgets.explore_timeline()
    listed.section.value = "nkvd"
    assert "<ol>" in listed.events.value
    many = charts.review_timeline()
    (ax,) = many.figure.axes
    assert not any(t.get_visible() for t in ax.texts if str(t.get_gid()).startswith("number-"))
    assert "numbered" not in many.summary
