"""Lesson 01 (the power struggle): the Politburo timeline, its explorer and the notebook."""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest

from stalin_course import charts, data, widgets


@pytest.fixture(scope="module")
def politburo() -> pd.DataFrame:
    return data.load("politburo_1924")


def _texts(chart: charts.Chart) -> str:
    return "\n".join(text.get_text() for text in chart.figure.texts)


def test_timeline_has_title_axis_labels_and_source(politburo: pd.DataFrame) -> None:
    chart = charts.politburo_timeline(1927)
    (ax,) = chart.figure.axes
    assert "Politburo" in ax.get_title(loc="left")
    assert ax.get_xlabel().startswith("Year")
    assert ax.get_ylabel()
    assert chart.source and "Archontology.org" in chart.source
    assert "Source:" in _texts(chart)
    assert chart.source.split("; ")[0] in _texts(chart).replace("\n", " ")


def test_timeline_bars_match_the_csv(politburo: pd.DataFrame) -> None:
    start, end = 1924, 1930
    chart = charts.politburo_timeline(start=start, end=end)
    (ax,) = chart.figure.axes
    bars = {patch.get_gid(): patch for patch in ax.patches if patch.get_gid()}
    assert set(bars) == set(politburo["name"])
    labels = [tick.get_text() for tick in ax.get_yticklabels()]
    assert sorted(labels) == sorted(politburo["name"])
    for row in politburo.itertuples():
        bar = bars[row.name]
        assert bar.get_x() == pytest.approx(max(row.joined_politburo, start - 0.5))
        right = bar.get_x() + bar.get_width()
        assert right == pytest.approx(min(row.left_politburo, end + 1))
        faction = row.faction if isinstance(row.faction, str) else ""
        colour = charts.FACTION_COLOURS[faction][0]
        assert matplotlib.colors.to_hex(bar.get_facecolor()) == colour.lower()


def test_timeline_colours_are_okabe_ito() -> None:
    palette = {colour.lower() for colour in charts.OKABE_ITO.values()}
    for colour, _hatch, _label in charts.FACTION_COLOURS.values():
        assert colour.lower() in palette


@pytest.mark.parametrize(
    ("year", "members"),
    [
        (1924, ["Kamenev", "Trotsky", "Zinoviev", "Bukharin", "Rykov", "Tomsky", "Stalin"]),
        (1927, ["Bukharin", "Rykov", "Tomsky", "Stalin"]),
        (1929, ["Rykov", "Tomsky", "Stalin"]),
        (1930, ["Stalin"]),
    ],
)
def test_members_and_summary_for_a_year(year: int, members: list[str]) -> None:
    assert sorted(charts.politburo_members(year)) == sorted(members)
    summary = charts.politburo_timeline(year).summary
    assert summary.startswith(f"At the end of {year}, {len(members)} of the 8 ")
    for name in members:
        assert name in summary
    assert "Lenin" not in summary


def test_summary_matches_the_csv_for_every_year(politburo: pd.DataFrame) -> None:
    for year in range(1924, 1931):
        expected = politburo[
            (politburo["joined_politburo"] <= year) & (politburo["left_politburo"] > year)
        ]["name"]
        assert sorted(charts.politburo_members(year)) == sorted(expected)


def test_year_marker_moves_and_summary_changes() -> None:
    chart = charts.politburo_timeline(1924)
    (ax,) = chart.figure.axes
    (line,) = [line for line in ax.get_lines() if line.get_gid() == "year"]
    assert list(line.get_xdata()) == [1924.5, 1924.5]
    later = chart.at(1929)
    assert list(line.get_xdata()) == [1929.5, 1929.5]
    assert later.figure is chart.figure
    assert later.summary != chart.summary and "1929" in later.summary
    assert later.png()[:8] == b"\x89PNG\r\n\x1a\n"


def test_chart_shows_summary_and_source_in_a_notebook() -> None:
    chart = charts.politburo_timeline(1926)
    page = chart._repr_html_()
    assert page.startswith('<figure><img src="data:image/png;base64,')
    assert "At the end of 1926" in page and "Source:" in page
    assert str(chart).startswith("At the end of 1926")


def test_explorer_redraw_updates_chart_summary_and_details() -> None:
    explorer = widgets.explore_politburo()
    assert explorer.control.description == "Year"
    assert explorer.control.value == 1924
    first_image = explorer.image.value
    assert "At the end of 1924" in explorer.summary.value
    assert "Zinoviev" in explorer.extra.value  # the triumvirate held in 1924
    explorer.control.value = 1929
    assert explorer.summary_text == charts.politburo_summary(1929)
    assert "At the end of 1929" in explorer.summary.value
    assert "Right Opposition" in explorer.extra.value
    assert explorer.image.value != first_image


def test_explore_uses_a_dropdown_for_non_numbers() -> None:
    base = charts.politburo_timeline(1924)
    explorer = widgets.explore(
        lambda label: base.at(int(label)), ["1924", "1928"], description="Year"
    )
    assert explorer.control.__class__.__name__ == "Dropdown"
    explorer.control.value = "1928"
    assert "1928" in explorer.summary_text
