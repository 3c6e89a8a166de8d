"""Tests for lesson 02 (the party): quiz, chart, purge explorer and notebook."""

from __future__ import annotations

import re
import time
from pathlib import Path

import matplotlib
import nbformat
import pandas as pd
import pytest

from stalin_course import charts, data, widgets

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "02_party_control.ipynb"
SECTION = "party_control"


@pytest.fixture(scope="module")
def questions() -> list[widgets.QuizQuestion]:
    return widgets.load_quiz(SECTION)


def _texts(chart: charts.Chart) -> str:
    return "\n".join(text.get_text() for text in chart.figure.texts).replace("\n", " ")


# --- quiz ---------------------------------------------------------------------


def test_quiz_loads_and_hints_never_give_the_answer(
    questions: list[widgets.QuizQuestion],
) -> None:
    assert 6 <= len(questions) <= 8
    for question in questions:
        assert question.answer in question.options
        assert question.answer not in question.hint


def test_quiz_feedback_driven_from_python(questions: list[widgets.QuizQuestion]) -> None:
    quiz = widgets.quiz(SECTION)
    for number, question in enumerate(questions, start=1):
        wrong = next(option for option in question.options if option != question.answer)
        feedback = quiz.answer(number, wrong)
        assert feedback.startswith("Not quite") and question.hint in feedback
        assert "Not quite" in quiz.items[number - 1].feedback.value
        assert quiz.answer(number, question.answer) == f"Correct! {question.explanation}"
    assert f"{len(questions)} of {len(questions)}" in quiz.score.value


def test_notebook_fallback_matches_the_quiz(questions: list[widgets.QuizQuestion]) -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    (cell,) = [
        c.source for c in notebook.cells if "<summary>Show the answers</summary>" in c.source
    ]
    assert cell.endswith(widgets.quiz_markdown(SECTION))
    listed = cell.split("<details>")[0]
    assert re.findall(r"^\d+\. \*\*(.+?)\*\*$", listed, re.M) == [q.question for q in questions]


# --- chart --------------------------------------------------------------------


def test_membership_chart_labels_and_source() -> None:
    chart = charts.party_membership_chart()
    top, bottom = chart.figure.axes
    assert "membership" in top.get_title(loc="left").lower()
    assert top.get_ylabel() and bottom.get_xlabel() == "Year" and bottom.get_ylabel()
    assert "Szymanski" in chart.source and "Siegelbaum" in chart.source
    assert "Source:" in _texts(chart) and "Szymanski" in _texts(chart)


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
        "expelled about 25% of members in 1921."
    )


def test_purge_summary_names_share_and_nearest_counts() -> None:
    assert charts.purge_summary(1935) == (
        "The 1935 verification of party documents (proverka) expelled about 9% of members; "
        "the nearest membership counts are 1,989,000 (1935) and 2,477,666 (1939)."
    )
    with pytest.raises(ValueError):
        charts.purge_summary(1930)


def test_no_global_matplotlib_state_changes() -> None:
    before = dict(matplotlib.rcParams)
    charts.party_membership_chart(1933).png()
    assert dict(matplotlib.rcParams) == before


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


def test_purge_explorer_redraw_is_fast() -> None:
    explorer = widgets.explore_purges()
    timings = []
    for label in list(explorer.control.options)[1:]:  # not cached yet: each really redraws
        start = time.perf_counter()
        explorer.control.value = label
        timings.append(time.perf_counter() - start)
    print(f"purge redraw times (ms): {[round(t * 1000) for t in timings]}")
    assert min(timings) < 0.150


# --- notebook -----------------------------------------------------------------


def test_notebook_is_commit_ready() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.display_name == "Python 3 (ipykernel)"
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code[0].source.startswith("from stalin_course import answers, charts, widgets")
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None
        assert len(cell.source.splitlines()) <= 3


@pytest.mark.slow
def test_notebook_runs_quickly() -> None:
    from conftest import execute

    start = time.perf_counter()
    execute(NOTEBOOK)
    elapsed = time.perf_counter() - start
    print(f"02_party_control.ipynb executed in {elapsed:.2f} s")
    assert elapsed < 5


def test_answer_cells_ask_the_bank_question() -> None:
    from stalin_course.bank import load_bank

    bank = load_bank().questions
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    ids = []
    for before, cell in zip(cells, cells[1:], strict=False):
        if cell.cell_type == "code" and cell.source.startswith("%%answer "):
            question_id = cell.source.split()[1]
            ids.append(question_id)
            assert f"**{bank[question_id].text}**" in before.source, question_id
    assert len(ids) == 2
