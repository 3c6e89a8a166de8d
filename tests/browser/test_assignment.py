"""A student works on a released assignment: plain-text answer cells and their check cells."""

from __future__ import annotations

import re

import pytest

from stalin_course.bank import code_for
from stalin_course.checking import check

pytestmark = pytest.mark.browser
expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install -e '.[test]'"
).expect

NOTEBOOK = "release/01_power_struggle/01_power_struggle.ipynb"
ANSWERED, ANSWER = code_for("power-gensec"), "He was the General Secretary"
UNANSWERED = code_for("power-nep")
NOT_ANSWERED = re.compile(r"not answered yet", re.IGNORECASE)


def _checked(answer: str, verdict: str) -> re.Pattern:
    """The whole output of a check cell: the answer it checked, then its verdict."""
    return re.compile(
        re.escape(f"Checking the answer you last ran: “{answer}”")
        + r"\s+\(If you have changed it since, run its cell again first\.\)\s+"
        + re.escape(verdict)
        + r"\s*$"
    )


def _type(lab, question: str, text: str):
    """Replace the last line of an answer cell (its placeholder) with ``text`` from the
    keyboard; return the cell and its editor."""
    answer_cell = lab.code_cell(f"%%answer {question}")
    editor = answer_cell.locator(".cm-content")
    editor.click()
    lab.page.keyboard.press("Control+End")
    lab.page.keyboard.press("Shift+Home")
    lab.page.keyboard.type(text)
    return answer_cell, editor


def test_student_answers_and_gets_feedback(lab):
    lab.open(NOTEBOOK)
    lab.run_all()
    page = lab.page

    # Left as given, an answer cell and its check cell both say "not answered yet".
    for question in (ANSWERED, UNANSWERED):
        expect(lab.code_cell(f"%%answer {question}")).to_contain_text(NOT_ANSWERED)
        expect(lab.code_cell(f'answers.feedback("{question}")')).to_contain_text(NOT_ANSWERED)

    # Replace the placeholder line, keeping the first line, as a student would.
    answer_cell, editor = _type(lab, ANSWERED, ANSWER)
    expect(editor).to_have_text(f"%%answer {ANSWERED}{ANSWER}")  # two lines, no separator
    assert [line.inner_text() for line in editor.locator(".cm-line").all()] == [
        f"%%answer {ANSWERED}",
        ANSWER,
    ]
    # Shift+Enter runs the answer cell and moves to its check cell; run that one too.
    page.keyboard.press("Shift+Enter")
    expect(answer_cell.locator(".jp-OutputArea")).to_contain_text("Saved your answer")
    lab.wait_idle()
    page.keyboard.press("Shift+Enter")

    result = check(ANSWERED, ANSWER)
    assert result.status == "correct"
    check_cell = lab.code_cell(f'answers.feedback("{ANSWERED}")')
    output = check_cell.locator(".jp-OutputArea")
    expect(output).to_contain_text(f"✔ {result.feedback}")
    expect(output).to_contain_text(f"Checking the answer you last ran: “{ANSWER}”")
    # The untouched answer still says so.
    unanswered = lab.code_cell(f'answers.feedback("{UNANSWERED}")')
    expect(unanswered.locator(".jp-OutputArea")).to_contain_text(NOT_ANSWERED)


def _type_answer(lab, question: str, text: str) -> None:
    """Replace an answer cell's placeholder line with ``text`` and run the cell and the
    check cell under it, as a student does."""
    page = lab.page
    answer_cell, _ = _type(lab, question, text)
    page.keyboard.press("Shift+Enter")
    expect(answer_cell.locator(".jp-OutputArea")).to_contain_text("Saved your answer")
    lab.wait_idle()
    page.keyboard.press("Shift+Enter")
    lab.wait_idle()


def test_an_answer_read_two_ways_says_the_teacher_will_look(lab):
    """Typed in a real JupyterLab: a hedge with an unknown name earns a plain "not quite",
    an answer the checker could read two ways says the teacher will decide."""
    lab.open(NOTEBOOK)
    lab.run_all()
    rival, sure = code_for("power-trotsky"), check(code_for("power-trotsky"), "Trotsky")
    assert sure.status == "correct"
    unsure = "Kamenev and Zinoviev feared Trotsky"
    result = check(rival, unsure)
    assert result.status == "review"
    _type_answer(lab, rival, unsure)
    output = lab.code_cell(f'answers.feedback("{rival}")').locator(".jp-OutputArea")
    expect(output).to_have_text(_checked(unsure, f"? {result.feedback}"))
    expect(output).to_contain_text("Your teacher will look at this answer")

    hedged = check(rival, "Trotsky or Kuibyshev")
    assert hedged.status == "incorrect"
    _type_answer(lab, rival, "Trotsky or Kuibyshev")
    expect(output).to_have_text(_checked("Trotsky or Kuibyshev", f"✘ {hedged.feedback}"))


def test_cells_run_in_a_shuffled_order_show_no_error(lab):
    """A student who skips the set-up cell and runs the others in any order meets no
    Python error: every kernel loads the course's answer cells when it starts."""
    import random

    lab.open(NOTEBOOK)
    cells = lab.cells()
    code = [i for i in range(cells.count()) if "jp-CodeCell" in cells.nth(i).get_attribute("class")]
    setup = [i for i in code if "answers.start()" in cells.nth(i).inner_text()]
    order = [i for i in code if i not in setup]
    random.Random(8145).shuffle(order)
    for index in order:
        cells.nth(index).locator(".jp-InputPrompt").click()
        lab.page.keyboard.press("Control+Enter")
        lab.wait_idle()
    text = lab.notebook.inner_text()
    for error in ("Traceback", "UsageError", "NameError", "Error:"):
        assert error not in text
    answered = lab.code_cell(f"%%answer {ANSWERED}")
    expect(answered.locator(".jp-OutputArea")).to_contain_text(NOT_ANSWERED)
