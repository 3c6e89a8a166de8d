"""Lesson 05, the NKVD: quiz, charts, widget and notebook."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from conftest import figure_text

from stalin_course import charts, data, lessons, widgets

LESSON = lessons.by_slug("nkvd")
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / f"{LESSON.notebook}.ipynb"


@pytest.fixture(scope="module")
def chiefs() -> pd.DataFrame:
    return data.load("nkvd_chiefs")


def _by_gid(chart: charts.Chart) -> dict[str, matplotlib.artist.Artist]:
    (ax,) = chart.figure.axes
    artists = [*ax.patches, *ax.lines, *ax.texts]
    return {artist.get_gid(): artist for artist in artists if artist.get_gid()}


# --- the chiefs' timeline -----------------------------------------------------


def test_chiefs_timeline_has_title_labels_and_source() -> None:
    chart = charts.nkvd_chiefs_timeline()
    (ax,) = chart.figure.axes
    assert "NKVD" in ax.get_title(loc="left")
    assert ax.get_xlabel().startswith("Year") and ax.get_ylabel()
    assert "Wikipedia, 'Nikolai Yezhov'" in chart.source
    assert chart.source.split("; ")[0] in figure_text(chart)
    assert "Source:" in figure_text(chart)


def test_chiefs_bars_match_the_csv(chiefs: pd.DataFrame) -> None:
    chart = charts.nkvd_chiefs_timeline()
    artists = _by_gid(chart)
    (ax,) = chart.figure.axes
    assert [t.get_text() for t in ax.get_yticklabels()] == list(reversed(chiefs["name"]))
    for row in chiefs.itertuples():
        surname = row.name.split()[-1]
        bar = artists[f"term:{surname}"]
        assert bar.get_x() == pytest.approx(charts.decimal_year(row.start))
        assert bar.get_x() + bar.get_width() == pytest.approx(charts.decimal_year(row.end))
        (fate_x,) = artists[f"fate:{surname}"].get_xdata()
        assert fate_x == pytest.approx(charts.decimal_year(row.fate_date))
        colour = charts.CHIEF_COLOURS[surname][0]
        assert matplotlib.colors.to_hex(bar.get_facecolor()) == colour.lower()
        assert row.fate.split(";")[0] in artists[f"label:{surname}"].get_text().replace("\n", " ")


def test_chief_dates_sit_in_the_middle_of_the_time_they_name() -> None:
    assert charts.decimal_year("1934-07-10") == pytest.approx(1934 + 190.5 / 365)
    assert charts.decimal_year("1945-12") == pytest.approx(1945 + (334 + 15.5) / 365)
    assert charts.decimal_year("1953") == 1953.5


def test_chief_summaries(chiefs: pd.DataFrame) -> None:
    assert charts.nkvd_chief_summary() == (
        "Three men led the NKVD from 1934 to 1945: Genrikh Yagoda (1934–1936), Nikolai Yezhov "
        "(1936–1938) and Lavrentiy Beria (1938–1945); all three were later shot."
    )
    assert charts.nkvd_chief_summary("Genrikh Yagoda") == charts.nkvd_chief_summary("Yagoda")
    assert "25 November 1938 to December 1945" in charts.nkvd_chief_summary("Beria")
    spared = chiefs.assign(fate=["retired", *chiefs["fate"][1:]])
    assert "2 of them were later shot" in charts.nkvd_chief_summary(None, spared)
    with pytest.raises(ValueError, match="no NKVD chief"):
        charts.nkvd_chief_summary("Dzerzhinsky")


def test_highlight_fades_the_other_chiefs() -> None:
    view = charts.ChiefsView()
    chart = view.chart("Yezhov")
    artists = _by_gid(chart)
    assert artists["term:Yezhov"].get_alpha() == 1.0
    assert artists["term:Yagoda"].get_alpha() == pytest.approx(0.2)
    assert chart.summary.startswith("Nikolai Yezhov led the NKVD")
    again = view.chart(None)
    assert again.figure is chart.figure
    assert artists["term:Yagoda"].get_alpha() == 1.0
    assert again.png()[:8] == b"\x89PNG\r\n\x1a\n"


# --- the yearly chart ---------------------------------------------------------


def test_years_chart_matches_the_csv() -> None:
    frame = data.load("repression_by_year")
    years = frame[frame["year"].between(1935, 1941)]
    chart = charts.nkvd_years_chart()
    (ax,) = chart.figure.axes
    assert ax.get_title(loc="left").startswith("Political arrests")
    assert ax.get_xlabel().startswith("Year") and ax.get_ylabel() == "Number of people"
    assert "Kurashvili" in chart.source and "Getty & Naumov" in chart.source
    assert "Source:" in figure_text(chart)
    bars = {k: v for k, v in _by_gid(chart).items() if ":" in k and k.split(":")[1].isdigit()}
    for row in years.itertuples():
        assert bars[f"convicted:{row.year}"].get_height() == row.convicted
        assert bars[f"executed:{row.year}"].get_height() == row.executed
        if pd.isna(row.arrests):
            assert f"arrests:{row.year}" not in bars  # never estimated
        else:
            assert bars[f"arrests:{row.year}"].get_height() == row.arrests
    assert sorted(k for k in bars if k.startswith("arrests")) == ["arrests:1937", "arrests:1938"]


def test_years_summary_is_computed_from_the_data() -> None:
    summary = charts.nkvd_years_chart().summary
    assert summary.startswith(
        "Under Yezhov (1937–1938) 1,344,923 people were convicted of political crimes and "
        "681,692 sentenced to death;"
    )
    assert "Yagoda (1935–1936) 541,746" in summary and "Beria (1939–1941) 211,106" in summary


# --- widget -----------------------------------------------------------------


def test_widget_switches_chart_summary_and_story(chiefs: pd.DataFrame) -> None:
    explorer = widgets.explore_nkvd_chiefs()
    assert explorer.control.description == "NKVD chief"
    assert list(explorer.control.options) == [charts.ALL_CHIEFS, *chiefs["name"]]
    first_image = explorer.image.value
    assert explorer.summary_text == charts.nkvd_chief_summary()
    explorer.control.value = "Nikolai Yezhov"
    assert explorer.summary_text == charts.nkvd_chief_summary("Yezhov")
    assert "936,750" in explorer.extra.value and "638,509" in explorer.extra.value
    assert "<b>His fate:</b> arrested 10 April 1939; shot (4 February 1940)." in (
        explorer.extra.value
    )
    assert explorer.image.value != first_image


def test_chief_text_for_every_choice(chiefs: pd.DataFrame) -> None:
    for name in chiefs["name"]:
        text = widgets.chief_text(name)
        assert text.startswith("In charge:") and "His fate:" in text
    assert "Choose a chief" in widgets.chief_text(charts.ALL_CHIEFS)
    with pytest.raises(ValueError):
        widgets.chief_text("Felix Dzerzhinsky")


# --- notebook ---------------------------------------------------------------
