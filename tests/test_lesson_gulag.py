"""Lesson 06 (the Gulag): quiz, charts, the series explorer and the notebook."""

from __future__ import annotations

from pathlib import Path

import matplotlib
from conftest import figure_text

from stalin_course import charts, data, lessons, widgets

LESSON = lessons.by_slug("gulag")
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / f"{LESSON.notebook}.ipynb"


# --- charts -------------------------------------------------------------------


def test_population_chart_keeps_every_series_apart() -> None:
    frame = data.load("gulag_population")
    chart = charts.gulag_population()
    (ax,) = chart.figure.axes
    assert "Gulag prisoners" in ax.get_title(loc="left")
    assert ax.get_xlabel() and ax.get_ylabel()
    assert "Source:" in figure_text(chart) and "Zemskov" in chart.source
    lines = {
        line.get_gid(): line for line in ax.get_lines() if str(line.get_gid()).startswith("series:")
    }
    plotted: dict[str, list[float]] = {}
    for gid, line in lines.items():
        series = gid.split(":")[1]
        plotted.setdefault(series, []).extend(float(y) for y in line.get_ydata())
        if len(line.get_xdata()) > 1:  # a drawn line joins consecutive years of one series only
            assert line.get_linestyle() == "-"
            xs = [int(x) for x in line.get_xdata()]
            assert xs == list(range(xs[0], xs[0] + len(xs)))
        else:
            assert line.get_linestyle() == "None"
    for series, rows in frame.groupby("series"):
        assert plotted[series] == [float(v) for v in rows["prisoners"]]
    colours = {matplotlib.colors.to_hex(line.get_color()) for line in lines.values()}
    assert len(colours) == 3 and colours <= {c.lower() for c in charts.OKABE_ITO.values()}
    markers = {line.get_marker() for line in lines.values()}
    assert len(markers) == 3  # a second cue besides colour


def test_population_summaries_come_from_the_data() -> None:
    summary = charts.gulag_population().summary
    assert "179,000 prisoners on 1 January 1930" in summary
    assert "1,334,408 (also printed as 1,344,408) on 1 January 1940" in summary
    assert "7.5 times as many" in summary
    assert "about 2,300,000" in summary and "352,508 in prisons" in summary
    assert charts.gulag_population("prisons").summary.startswith("Prisons held 352,508")
    colonies = charts.gulag_population("camps and colonies").summary
    assert "1,196,369" in colonies and "in June 1941" in colonies


def test_deaths_chart_matches_the_csv() -> None:
    frame = data.load("gulag_deaths")
    chart = charts.gulag_deaths()
    (ax,) = chart.figure.axes
    assert "Deaths recorded" in ax.get_title(loc="left")
    assert ax.get_xlabel() == "Year" and ax.get_ylabel()
    assert "Gulag History Museum" in figure_text(chart)
    bars = {
        p.get_gid(): p.get_height() for p in ax.patches if str(p.get_gid()).startswith("deaths:")
    }
    assert bars == {f"deaths:{r.year}": float(r.deaths) for r in frame.itertuples()}
    legend = " ".join(t.get_text() for t in ax.get_legend().get_texts())
    assert frame["series"].iloc[0] in legend
    assert chart.summary.startswith("The Gulag recorded the most deaths in 1938 (126,585)")
    assert f"{int(frame['deaths'].sum()):,} deaths" in chart.summary


# --- widget -------------------------------------------------------------------


def test_explorer_updates_image_summary_and_details() -> None:
    explorer = widgets.explore_gulag()
    assert explorer.control.description == "Show"
    assert list(explorer.control.options) == list(charts.GULAG_CHOICES)
    first = explorer.image.value
    assert "Counts of other kinds are kept separate" in explorer.summary.value
    explorer.control.value = "Prisons"
    assert explorer.summary_text == charts.gulag_population_summary("prisons")
    assert "never added" in explorer.extra.value
    assert explorer.image.value != first


# --- the notebook runs --------------------------------------------------------


def test_one_count_is_shown_beside_the_others_faded_never_hidden() -> None:
    chart = charts.gulag_population("prisons")
    (ax,) = chart.figure.axes
    lines = {line.get_gid(): line for line in ax.get_lines()}
    prisons = [line for gid, line in lines.items() if str(gid).startswith("series:prisons")]
    camps = [line for gid, line in lines.items() if str(gid).startswith("series:camps (ITL)")]
    assert all(line.get_visible() and (line.get_alpha() or 1) == 1 for line in prisons)
    assert all(line.get_visible() and line.get_alpha() < 0.5 for line in camps)
    labels = [t for t in ax.texts if str(t.get_gid()).startswith("label:camps (ITL)")]
    assert labels and not any(t.get_visible() for t in labels)  # faded counts carry no label
    everything = charts.gulag_population()
    assert all((line.get_alpha() or 1) == 1 for line in everything.figure.axes[0].get_lines())
