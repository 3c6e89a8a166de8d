"""`stalin-course grade` as a teacher uses it: genuine work is graded without a word,
one student can be re-graded alone, and a submission set aside stays aside."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import (
    assignment_totals,
    execute,
    make_course,
    nbgrader,
    question_scores,
    status_table,
)
from test_autograde import ALL_CORRECT, ALL_WRONG, ASSIGNMENT, student_copy, submit

pytestmark = pytest.mark.slow


def grade(course: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "stalin_course", "grade", *args],
        cwd=course, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def statuses(course: Path) -> dict[str, dict[str, str]]:
    return status_table(course, ASSIGNMENT)


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    course = make_course(tmp_path_factory.mktemp("grade"))
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    nbgrader(course, "generate_assignment", "02_party_control", "--force")
    return course


def test_a_notebook_run_as_a_student_runs_it_is_graded_without_remarks(
    course: Path, tmp_path: Path
) -> None:
    """Real outputs (feedback printed, a check cell run before the set-up cell) are
    what any student's notebook holds: nothing to report."""
    nb = student_copy(ALL_CORRECT)
    path = tmp_path / f"{ASSIGNMENT}.ipynb"
    nbformat.write(nb, path)
    ran = execute(path, cwd=tmp_path)
    early = nbformat.read(path, as_version=4)  # a check cell run before anything else
    check = next(c for c in early.cells if c.get("id") == "power-gensec-test")
    check.outputs = [nbformat.v4.new_output("error", ename="NameError", evalue="x", traceback=[])]
    submit(course, "ran", ran)
    submit(course, "early", early)
    grade(course, ASSIGNMENT, "--student", "ran", "--student", "early")
    rows = statuses(course)
    for student in ("ran", "early"):
        assert (rows[student]["status"], rows[student]["reason"]) == ("graded", ""), rows[student]
        assert float(rows[student]["score"]) == 11


def test_one_student_is_regraded_without_touching_the_others(course: Path) -> None:
    submit(course, "amy", student_copy(ALL_CORRECT))
    submit(course, "ben", student_copy(ALL_WRONG))
    grade(course, ASSIGNMENT, "--student", "amy", "--student", "ben")
    before = statuses(course)
    # ben's file is replaced; amy's is broken but she is not re-graded
    path = course / "submitted" / "ben" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nbformat.write(student_copy(ALL_CORRECT), path)
    (course / "submitted" / "amy" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").write_text("junk")
    grade(course, ASSIGNMENT, "--student", "ben", "--notebook", ASSIGNMENT)
    after = statuses(course)
    assert after["amy"] == before["amy"]
    assert float(after["ben"]["score"]) == 11
    totals = assignment_totals(course, ASSIGNMENT)
    assert (totals["amy"], totals["ben"]) == (11, 11)


def test_a_submission_set_aside_stays_aside_until_a_newer_one_or_undo(course: Path) -> None:
    submit(course, "cal", student_copy(ALL_CORRECT))
    folder = course / "submitted" / "cal" / ASSIGNMENT
    (folder / "timestamp.txt").write_text("2026-11-30 09:00:00.000000 UTC")
    grade(course, ASSIGNMENT, "--student", "cal")
    subprocess.run(
        [sys.executable, "-m", "stalin_course", "set-aside", ASSIGNMENT, "cal",
         "--reason", "copied from a classmate; to discuss"],
        cwd=course, check=True, capture_output=True,
    )  # fmt: skip
    nbformat.write(student_copy(ALL_WRONG), folder / f"{ASSIGNMENT}.ipynb")  # re-collected
    grade(course, ASSIGNMENT, "--student", "cal")
    row = statuses(course)["cal"]
    assert row["status"] == "set aside" and "classmate" in row["reason"]
    assert assignment_totals(course, ASSIGNMENT)["cal"] == 11  # left as it was
    (folder / "timestamp.txt").write_text("2026-12-01 09:00:00.000000 UTC")  # a newer one
    grade(course, ASSIGNMENT, "--student", "cal")
    assert statuses(course)["cal"]["status"] == "graded"
    assert assignment_totals(course, ASSIGNMENT)["cal"] == 0


def test_several_assignments_in_one_command(course: Path) -> None:
    submit(course, "dee", student_copy(ALL_CORRECT))
    other = course / "submitted" / "dee" / "02_party_control"
    other.mkdir(parents=True)
    released = course / "release" / "02_party_control" / "02_party_control.ipynb"
    (other / "02_party_control.ipynb").write_bytes(released.read_bytes())
    output = grade(course, ASSIGNMENT, "02_party_control", "--student", "dee")
    assert output.count("notebooks graded") == 2
    assert sum(question_scores(course, ASSIGNMENT, "dee").values()) == 11
    assert (course / "reports" / "02_party_control" / "grading_status.csv").is_file()


def test_an_unknown_assignment_is_a_clear_error(course: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "stalin_course", "grade", "99_nothing"],
        cwd=course, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 2
    assert "generate_assignment" in done.stderr and "Traceback" not in done.stderr
