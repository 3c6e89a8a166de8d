"""Tests for lesson 02 (the party): quiz, chart, purge explorer and notebook."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from conftest import figure_text

from stalin_course import charts, data, lessons, widgets

LESSON = lessons.by_slug("party_control")
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / f"{LESSON.notebook}.ipynb"


# --- chart --------------------------------------------------------------------


def test_membership_chart_labels_and_source() -> None:
    chart = charts.party_membership_chart()
    top, bottom = chart.figure.axes
    assert "membership" in top.get_title(loc="left").lower()
    assert top.get_ylabel() and bottom.get_xlabel() == "Year" and bottom.get_ylabel()
    assert "Szymanski" in chart.source and "Siegelbaum" in chart.source
    assert "Source:" in figure_text(chart) and "Szymanski" in figure_text(chart)


def test_membership_bars_equal_the_csv_and_no_year_is_filled_in() -> None:
    membership = data.load("party_membership")
    chart = charts.party_membership_chart()
    top, bottom = chart.figure.axes
    bars = {patch.get_gid(): patch for patch in top.patches if patch.get_gid()}
    years = set()
    for row in membership.itertuples():
        years.add(row.year)
        if pd.isna(row.candidates):
            assert bars[f"total-{row.year}"].get_height() == row.members
        else:
            assert bars[f"members-{row.year}"].get_height() == row.members
            candidates = bars[f"candidates-{row.year}"]
            assert candidates.get_height() == row.candidates
            assert candidates.get_y() == row.members
    assert {int(gid.split("-")[1]) for gid in bars} == years  # no bars for missing years
    purges = data.load("party_purges")
    shown = purges[purges["year"] >= 1921]
    drawn = {p.get_gid(): p.get_height() for p in bottom.patches if p.get_gid()}
    assert drawn == {
        f"purge-{r.year}": pytest.approx(r.share_expelled_pct) for r in shown.itertuples()
    }


def test_membership_colours_are_okabe_ito_with_hatching() -> None:
    palette = {colour.lower() for colour in charts.OKABE_ITO.values()}
    chart = charts.party_membership_chart()
    hatches = set()
    for ax in chart.figure.axes:
        for patch in ax.patches:
            if patch.get_gid():
                assert matplotlib.colors.to_hex(patch.get_facecolor()) in palette
                hatches.add(patch.get_hatch())
    assert len(hatches) >= 3  # a second cue besides colour


def test_membership_summary_is_computed_from_the_data() -> None:
    totals = charts.party_totals()
    assert totals[1933] == 2000000 + 1200000
    assert totals[1924] == 446089  # no candidate figure: members only
    summary = charts.party_membership_chart().summary
    assert summary == (
        "Counted party members and candidates rose from 446,089 in 1924 to 3,200,000 in 1933, "
        "fell to 1,989,000 by 1935 and were 2,477,666 in 1939; the biggest purge shown "
        "expelled about 25% of members in 1921. The counts are not all of one kind: "
        "start-of-year counts (1924), the numbers represented at party congresses (1925, "
        "1927, 1934, 1939) and a rounded figure (1933); the 1935 figure comes from a 1939 "
        "magazine article that gives no source."
    )


def test_every_membership_bar_says_what_kind_of_count_it_is() -> None:
    membership = data.load("party_membership")
    top = charts.party_membership_chart().figure.axes[0]
    tags = {text.get_gid(): text.get_text() for text in top.texts if text.get_gid()}
    assert tags == {
        f"count-type-{row.year}": charts.party_control.COUNT_TAGS[row.count_type]
        for row in membership.itertuples()
    }
    assert set(membership["count_type"]) > {"at a congress", "rounded"}  # the mix is real


def test_purge_summary_names_share_and_nearest_counts() -> None:
    assert charts.purge_summary(1935) == (
        "The 1935 verification of party documents (proverka) expelled about 9% of members; "
        "the nearest membership counts are 1,989,000 (1935, an untraced estimate) and "
        "2,477,666 (1939, at a congress)."
    )
    with pytest.raises(ValueError):
        charts.purge_summary(1930)


# --- widget -------------------------------------------------------------------


def test_purge_explorer_updates_image_summary_and_details() -> None:
    explorer = widgets.explore_purges()
    assert explorer.control.description == "Purge"
    assert explorer.control.__class__.__name__ == "Dropdown"
    first_image = explorer.image.value
    assert explorer.summary_text.startswith("The 1921 party purge")
    assert "careerists" in explorer.extra.value.lower()
    explorer.control.value = "1933: party purge (chistka)"
    assert explorer.summary_text == charts.purge_summary(1933)
    assert "17%" in explorer.summary.value
    assert "Ryutin" in explorer.extra.value
    assert explorer.image.value != first_image


# --- notebook -----------------------------------------------------------------
