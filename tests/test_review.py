"""Where the checker cannot decide, it says so: the student is told the teacher will look,
and both grading commands keep the provisional points but ask the teacher to confirm."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import make_course, nbgrader, question_scores, status_table
from nbgrader.api import Gradebook
from test_autograde import ALL_CORRECT, ASSIGNMENT, student_copy, submit
from test_grade_command import grade

from stalin_course.answers import AnswerSheet
from stalin_course.checking import REVIEW, check

pytestmark = pytest.mark.slow

#: Two readings: the answer is Trotsky (the one feared), or Kamenev and Zinoviev.
UNSURE = "Kamenev and Zinoviev feared Trotsky"


def test_an_answer_read_two_ways_goes_to_review() -> None:
    result = check("power-trotsky", UNSURE)
    assert result.status == "review"
    assert result.score == 0.0  # the lower reading, until the teacher confirms
    assert result.feedback == REVIEW
    sheet = AnswerSheet()
    sheet.record("power-trotsky", UNSURE)
    assert sheet.feedback("power-trotsky").startswith("? Your teacher will look")
    assert sheet.status("power-trotsky") == "review"


def _needs_manual(course: Path, student: str) -> dict[str, bool]:
    """Each grade's needs_manual_grade flag, read through nbgrader's gradebook API."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, student)
        return {grade.name: bool(grade.needs_manual_grade) for grade in notebook.grades}


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    course = make_course(tmp_path_factory.mktemp("review"))
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    unsure = {**ALL_CORRECT, "power-trotsky": UNSURE}
    submit(course, "una", student_copy(unsure))
    submit(course, "sure", student_copy(ALL_CORRECT))
    return course


@pytest.mark.parametrize("command", ["stalin-course grade", "nbgrader autograde"])
def test_both_commands_ask_the_teacher_to_confirm(course: Path, command: str) -> None:
    if command == "nbgrader autograde":
        nbgrader(course, "autograde", ASSIGNMENT, "--force")
    else:
        grade(course, ASSIGNMENT)
    flags = _needs_manual(course, "una")
    assert flags["power-trotsky-test"] is True
    assert not any(flag for name, flag in flags.items() if name.endswith("-test") and
                   name != "power-trotsky-test")  # fmt: skip
    assert not any(_needs_manual(course, "sure").values())
    scores = question_scores(course, ASSIGNMENT, "una")
    assert scores["power-trotsky"] == 0  # provisional; every other answer keeps its mark
    assert scores["power-gensec"] == 1
    graded = json.loads(
        (course / "autograded" / "una" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text()
    )
    check_cell = next(c for c in graded["cells"] if c.get("id") == "power-trotsky-test")
    printed = "".join(
        "".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
        for o in check_cell["outputs"]
    )
    assert "Your teacher will look at this answer" in printed
    if command == "stalin-course grade":
        row = status_table(course, ASSIGNMENT)["una"]
        assert "confirm in formgrader (power-trotsky-test)" in row["reason"]
        assert "confirm" not in status_table(course, ASSIGNMENT)["sure"]["reason"]
