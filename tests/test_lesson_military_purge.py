"""Lesson 04, the purge of the Red Army: quiz, charts, widget and notebook."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import nbformat
import pandas as pd
import pytest
from conftest import figure_text

from stalin_course import charts, data, lessons, widgets
from stalin_course.widgets.kit import load_quiz

LESSON = lessons.by_slug("military_purge")
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / f"{LESSON.notebook}.ipynb"
ARCHIVE = "Archive figures (Red Army report, 1940)"


@pytest.fixture(scope="module")
def ranks() -> pd.DataFrame:
    return data.load("military_purge")


def _markdown(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")


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
        "9,506 of them (27%) were arrested, a total given only for the two years together "
        "(5,032 arrests are recorded for 1938 alone); by 1 May 1940, 12,461 discharged "
        "officers had been taken back."
    )


def test_archive_chart_draws_the_1937_38_arrests_as_one_two_year_bar() -> None:
    discharges = data.load("military_discharges").set_index("year")
    total = discharges.loc[1938, "arrested_two_years"]
    assert total == 9506
    chart = charts.officer_discharges()
    (ax,) = chart.figure.axes
    bars = _bars(chart)
    two_years = bars["arrested:1937-1938"]
    assert two_years.get_height() == total
    assert two_years.get_hatch()  # hatched, unlike the yearly bars beside it
    labels = {text.get_text() for text in ax.get_legend().get_texts()}
    assert "Arrested, 1937–38 together: 9,506 (one total for two years)" in labels
    assert "Arrested\n1937–38\ntogether" in [t.get_text() for t in ax.get_xticklabels()]
    # 1937 is covered by the total: not "not given", and never a made-up yearly bar
    assert "arrested:1937" not in bars
    texts = [t.get_text() for t in ax.texts]
    assert "in the 1937–38 total" in texts
    assert texts.count("not given") == 5  # 1935 and 1936 (two each) and 1939 political
    assert "October 1939" in chart.source and "Shiryaev" in chart.source


def test_the_two_year_total_is_never_split_into_years() -> None:
    discharges = data.load("military_discharges").set_index("year")
    assert discharges["arrested_two_years"].dropna().to_dict() == {1938: 9506}
    assert pd.isna(discharges.loc[1937, "arrested"])  # the source gives no 1937 figure
    assert discharges.loc[1938, "arrested"] == 5032  # the April 1940 certificate's own figure
    # 1937-38 political discharges match the October 1939 certificate (arrested + expelled)
    political = discharges.loc[[1937, 1938], "discharged_political"].sum()
    assert political == 9506 + 14684 == 24190
    note = discharges.loc[1938, "note"]
    assert "20 October 1939" in discharges.loc[1938, "source"]
    assert "9,506" in note and "27.2%" in note and "no figure for each year" in note


def test_reinstatement_counts_record_the_political_discharges() -> None:
    counts = data.load("military_reinstatements").set_index("as_of")
    assert counts.loc["1940-05-01", "reinstated_political"] == 10700
    assert counts.loc["1941-01-01", "political_not_reinstated"] == 14000
    text = widgets.military_figures_text(ARCHIVE)
    for figure in ("9,506", "5,032", "10,700", "14,000", "1 January 1941"):
        assert figure in text, figure


def test_army_commissars_note_gives_conquests_seventeen() -> None:
    ranks = data.load("military_purge").set_index("rank")
    commissars = ranks.loc["Army commissars"]
    assert (commissars.purged, commissars.total) == (16, 16)
    assert "seventeen" in commissars.note and "Wikipedia" in commissars.note
    assert "page not checked" in commissars.source  # the p. 211 came from a summary
    assert "seventeen" in _markdown(NOTEBOOK)


def test_quiz_uses_the_two_year_arrest_total() -> None:
    (question,) = [q for q in load_quiz("military_purge") if q.id == "discharge-meaning"]
    assert "9,506" in question.question and "35,020" in question.question
    assert "16,362" not in question.question
    assert "9,506 is about 27% of 35,020" in question.explanation


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


# --- review fixes in the other notebooks of this review -------------------------
# (They check notebooks 02 and 10; they could move to test_lessons.py and
# test_exam_practice.py.)

NOTEBOOKS = NOTEBOOK.parent
BEFORE_THE_USSR = re.compile(r"\b19(1[7-9]|2[01])\b")


@pytest.mark.parametrize(
    "name", ["02_party_control", "04_military_purge", "08_propaganda_and_cult", "10_exam_practice"]
)
def test_no_notebook_calls_the_state_the_ussr_before_december_1922(name: str) -> None:
    """The USSR was founded on 30 December 1922: before that it was Soviet Russia."""
    text = _markdown(NOTEBOOKS / f"{name}.ipynb")
    for sentence in re.split(r"(?<=[.!?|])\s+", text.replace("\n", " ")):
        if "USSR" in sentence and BEFORE_THE_USSR.search(sentence):
            assert "December 1922" in sentence, sentence
