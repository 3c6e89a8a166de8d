"""Lesson 04, the purge of the Red Army: quiz, charts, widget and notebook."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from conftest import figure_text

from stalin_course import charts, data, lessons, widgets

LESSON = lessons.by_slug("military_purge")
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / f"{LESSON.notebook}.ipynb"
ARCHIVE = "Archive figures (Red Army report, 1940)"


@pytest.fixture(scope="module")
def ranks() -> pd.DataFrame:
    return data.load("military_purge")


def _bars(chart: charts.Chart) -> dict[str, matplotlib.patches.Rectangle]:
    (ax,) = chart.figure.axes
    return {patch.get_gid(): patch for patch in ax.patches if patch.get_gid()}


# --- charts -----------------------------------------------------------------


@pytest.mark.parametrize("view", charts.MILITARY_VIEWS)
def test_purge_chart_has_title_labels_and_source(view: str) -> None:
    chart = charts.purge_by_rank(view)
    (ax,) = chart.figure.axes
    assert "Red Army" in ax.get_title(loc="left")
    assert ax.get_xlabel() and ax.get_ylabel()
    assert "Conquest, The Great Terror" in chart.source
    assert f"Source: {chart.source}" in figure_text(chart)


def test_purge_counts_match_the_csv(ranks: pd.DataFrame) -> None:
    bars = _bars(charts.purge_by_rank("counts"))
    for row in ranks.itertuples():
        assert bars[f"total:{row.rank}"].get_width() == row.total
        assert bars[f"purged:{row.rank}"].get_width() == row.purged
    (ax,) = charts.purge_by_rank("counts").figure.axes
    assert [t.get_text() for t in ax.get_yticklabels()] == list(ranks["rank"])


def test_purge_percentages_match_the_csv(ranks: pd.DataFrame) -> None:
    bars = _bars(charts.purge_by_rank("percentages"))
    for row in ranks.itertuples():
        share = 100 * row.purged / row.total
        assert bars[f"purged:{row.rank}"].get_width() == pytest.approx(share)
        assert bars[f"spared:{row.rank}"].get_width() == pytest.approx(100 - share)


def test_purge_summaries_are_computed_from_the_data(ranks: pd.DataFrame) -> None:
    purged, total = int(ranks["purged"].sum()), int(ranks["total"].sum())
    assert (purged, total) == (269, 316)
    counts = charts.purge_by_rank("counts").summary
    assert f"{purged} of {total} men were purged (85%)" in counts
    assert "154 of 186 Division commanders" in counts
    shares = charts.purge_by_rank("percentages").summary
    assert "Army commissars (16 of 16, 100%)" in shares and "Marshals (3 of 5, 60%)" in shares
    changed = ranks.assign(purged=ranks["total"])
    assert "316 of 316" in charts.purge_by_rank_summary("counts", changed)
    with pytest.raises(ValueError, match="view"):
        charts.purge_by_rank("pie")


def test_archive_chart_matches_the_csv() -> None:
    discharges = data.load("military_discharges")
    back = data.load("military_reinstatements").sort_values("as_of").iloc[0]
    chart = charts.officer_discharges()
    (ax,) = chart.figure.axes
    assert ax.get_title(loc="left") and ax.get_xlabel() == "Year" and ax.get_ylabel()
    assert "Russian State Military Archive" in chart.source
    assert f"Source: {chart.source}" in figure_text(chart)
    bars = _bars(chart)
    for row in discharges.itertuples():
        for column in ("discharged", "discharged_political", "arrested"):
            value = getattr(row, column)
            key = f"{column}:{row.year}"
            if pd.isna(value):
                assert key not in bars  # a missing figure is never drawn as zero
            else:
                assert bars[key].get_height() == value
    assert bars["reinstated"].get_height() == back.reinstated
    assert "not given" in " ".join(t.get_text() for t in ax.texts)
    assert chart.summary == (
        "In 1937 and 1938 the Red Army discharged 35,020 officers (18,658 and 16,362); "
        "5,032 arrests are recorded for 1938; by 1 May 1940, 12,461 discharged officers had "
        "been taken back."
    )


def test_chart_colours_are_okabe_ito() -> None:
    palette = {colour.lower() for colour in charts.OKABE_ITO.values()}
    for chart in (charts.purge_by_rank("counts"), charts.officer_discharges()):
        for bar in _bars(chart).values():
            assert matplotlib.colors.to_hex(bar.get_facecolor()) in palette


# --- widget -----------------------------------------------------------------


def test_widget_switches_chart_summary_and_explanation() -> None:
    explorer = widgets.explore_military_purge()
    assert explorer.control.description == "Figures"
    assert list(explorer.control.options) == list(widgets.MILITARY_FIGURES)
    first_image = explorer.image.value
    assert explorer.summary_text == charts.purge_by_rank("counts").summary
    assert "Conquest" in explorer.extra.value
    explorer.control.value = ARCHIVE
    assert explorer.summary_text == charts.officer_discharges().summary
    assert "35,020" in explorer.extra.value and "12,461" in explorer.extra.value
    assert "Discharged does not mean shot" in explorer.extra.value
    assert explorer.image.value != first_image
    explorer.control.value = "Textbook figures (Conquest): percentages"
    assert "100%" in explorer.summary.value


def test_explanations_cover_every_choice() -> None:
    for choice in widgets.MILITARY_FIGURES:
        assert widgets.military_figures_text(choice)
    with pytest.raises(ValueError):
        widgets.military_figures_text("Nonsense")


# --- notebook ---------------------------------------------------------------
