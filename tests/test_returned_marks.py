"""Every mark reaches the student: auto-checked answers, tasks the teacher marks, the
teacher's overrides and comments, the gradebook's total; by every route to the page.

A class submits assignment 02 (six auto-checked questions and a "Describe two" task)
through the real exchange. The teacher marks the task and comments in the gradebook (as
formgrader does), overrides one automatic mark, then makes feedback three ways:
`stalin-course feedback`, `nbgrader generate_feedback`, and nbgrader's own API call
behind formgrader's Generate Feedback button. All three must give the same safe page.
"""

from __future__ import annotations

import csv
import html
import os
import re
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import pytest
from conftest import make_course, teacher_secrets
from nbgrader.api import Gradebook

from stalin_course.bank import code_for
from stalin_course.checking import PLACEHOLDER, WRITTEN_ANSWER_BOX

pytestmark = pytest.mark.slow

A = "02_party_control"
COURSE_ID = "stalin-consolidation"
TASK_ANSWER = (
    "As General Secretary Stalin appointed loyal officials. "
    "<img src=x onerror=alert(1)> He also purged the Party in 1933."
)
COMMENT = "Good first way; give a date for the second."


def _env(exchange: Path) -> dict[str, str]:
    env = dict(os.environ, STALIN_COURSE_EXCHANGE=str(exchange))
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env["PATH"]
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def _answer(nb: nbformat.NotebookNode, answers: dict[str, str], task: str | None) -> None:
    cells = nb.cells
    for index, cell in enumerate(cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = f"%%answer {code_for(grade_id)}\n{answers[grade_id]}"
        if grade_id == "party-explain" and task is not None:
            cells[index + 1].source = task


# student -> (auto-checked answers, task answer); None: a corrupt file; absent: no hand-in
CLASS = {
    "amy": ({"party-politburo": "the Politburo", "party-one-party": "a dictatorship"}, TASK_ANSWER),
    "ben": ({}, None),  # hands in the notebook untouched
    "cat": None,
}
STUDENTS = [*CLASS, "dan"]


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("returned")
    course, exchange = make_course(base), base / "exchange"
    env = _env(exchange)
    python = [sys.executable, "-m"]
    (course / "students.csv").write_text(
        "id,first_name,last_name,email\n" + "".join(f"{s},{s},Pupil,\n" for s in STUDENTS)
    )
    _run([*python, "nbgrader", "db", "student", "import", "students.csv"], course, env)
    _run([*python, "nbgrader", "generate_assignment", A, "--force"], course, env)
    _run([*python, "nbgrader", "release_assignment", A, "--force"], course, env)
    for student, work in CLASS.items():
        home = base / "homes" / student
        home.mkdir(parents=True)
        flags = ["--student", student, "--course", COURSE_ID, f"--Exchange.root={exchange}"]
        _run([*python, "nbgrader", "fetch_assignment", A, *flags], home, env)
        path = home / A / f"{A}.ipynb"
        if work is None:
            path.write_text('{"cells": [', encoding="utf-8")
        else:
            nb = nbformat.read(path, as_version=4)
            _answer(nb, *work)
            nbformat.write(nb, path)
        _run([*python, "nbgrader", "submit", A, *flags], home, env)
    _run([*python, "nbgrader", "collect", A], course, env)
    graded = _run([*python, "stalin_course", "grade", A], course, env)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gradebook:
        task = gradebook.find_grade("party-explain", A, A, "amy")
        task.manual_score = 3
        gradebook.find_comment("party-explain", A, A, "amy").manual_comment = COMMENT
        override = gradebook.find_grade("party-one-party-test", A, A, "amy")
        override.manual_score = 1  # the teacher accepts "a dictatorship"
        gradebook.db.commit()
        total = gradebook.find_submission_notebook(A, A, "amy").score

    pages: dict[str, dict[str, str]] = {}

    def keep(route: str) -> None:
        pages[route] = {
            path.parent.parent.name: path.read_text(encoding="utf-8")
            for path in (course / "feedback").glob(f"*/{A}/{A}.html")
        }

    _run([*python, "stalin_course", "feedback", A], course, env)
    keep("stalin-course")
    _run([*python, "nbgrader", "generate_feedback", A, "--force"], course, env)
    keep("nbgrader")
    button = (
        "from nbgrader.apps import NbGraderAPI\n"
        "from nbgrader.coursedir import CourseDirectory\n"
        "from traitlets.config.loader import PyFileConfigLoader\n"
        "config = PyFileConfigLoader('nbgrader_config.py', path='.').load_config()\n"
        "api = NbGraderAPI(CourseDirectory(config=config), config=config)\n"
        f"result = api.generate_feedback({A!r}, 'amy')\n"
        "assert result['success'], result\n"
    )
    _run([sys.executable, "-c", button], course, env)
    keep("formgrader")
    report = _run([*python, "stalin_course", "report", A], course, env)
    return {
        "course": course,
        "env": env,
        "pages": pages,
        "total": total,
        "graded": graded,
        "report": report,
    }


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_the_three_routes_give_the_same_page(cycle: dict) -> None:
    pages = cycle["pages"]
    assert set(pages["stalin-course"]) == {"amy", "ben"}  # no page for a corrupt hand-in
    assert pages["nbgrader"] == pages["stalin-course"]
    assert pages["formgrader"]["amy"] == pages["stalin-course"]["amy"]


def test_every_mark_and_comment_reaches_the_student(cycle: dict) -> None:
    text = _text(cycle["pages"]["stalin-course"]["amy"])
    assert cycle["total"] == 5  # Politburo 1 + overridden one-party 1 + task 3
    assert "Total: 5 out of 10." in text
    for number in range(1, 8):
        assert f"Question {number} (" in text
    assert "3 out of 4 (your teacher's mark)" in text
    assert f"Your teacher's comment: {COMMENT}" in text
    assert "He also purged the Party in 1933." in text
    # the override: the teacher's mark, and no longer the checker's "wrong" hint
    one_party = text.split("Question 3 (")[1].split("Question 4 (")[0]
    assert "1 out of 1 (your teacher's mark)" in one_party


def test_nothing_automatic_is_passed_off_as_the_teacher(cycle: dict) -> None:
    text = _text(cycle["pages"]["stalin-course"]["ben"])
    assert "No response" not in text
    assert PLACEHOLDER not in text and WRITTEN_ANSWER_BOX not in text
    assert text.count("(no answer)") == 7
    assert "Not marked yet (out of 4)" in text
    assert "1 question(s) are still to be marked by your teacher." in text


def test_no_page_shows_a_test_solution_or_mark_scheme(cycle: dict) -> None:
    secrets = teacher_secrets()
    for route, pages in cycle["pages"].items():
        for student, page in pages.items():
            assert "HIDDEN TESTS" not in page and "answers.marks" not in page, (route, student)
            assert "MARK SCHEME" not in page and "Indicative content" not in page
            # the checker's message for an answer the student got right is theirs to see
            shown = {s for s in secrets if s in page}
            if student == "amy":
                shown.discard(
                    "Yes. The Politburo (Political Bureau) held only about ten full members, "
                    "but it decided every important question of policy."
                )
            assert not shown, (route, student, shown)


def test_a_students_html_is_text_on_the_page(cycle: dict) -> None:
    page = cycle["pages"]["stalin-course"]["amy"]
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_the_report_numbers_questions_and_counts_the_class(cycle: dict) -> None:
    course = cycle["course"]
    rows = (course / "reports" / A / "questions.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("label,question,max_score,students")
    labels = [row.split(",")[0] for row in rows[1:]]
    assert labels == [f"Q{n}" for n in range(1, 8)]
    task = next(row for row in rows if ",party-explain," in row).split(",")
    assert task[-2:] == ["teacher", "1"]  # ben's task is not marked yet: not a zero
    assert (
        "Counted 2 graded notebook(s); not counted: 1 not submitted, 1 unreadable notebook"
        in (cycle["report"])
    )
    assert "0/0" not in cycle["graded"] and "0/10" in cycle["graded"]


def _submit(cycle: dict, student: str, task: str) -> None:
    """The student edits their answer under the task and hands the work in again."""
    base, env = cycle["course"].parent, cycle["env"]
    home = base / "homes" / student
    path = home / A / f"{A}.ipynb"
    nb = nbformat.read(path, as_version=4)
    _answer(nb, {}, task)
    nbformat.write(nb, path)
    flags = ["--student", student, "--course", COURSE_ID, f"--Exchange.root={base / 'exchange'}"]
    _run([sys.executable, "-m", "nbgrader", "submit", A, *flags], home, env)


def _grade_row(course: Path, name: str, student: str = "amy") -> tuple[float | None, bool]:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gradebook:
        grade = gradebook.find_grade(name, A, A, student)
        return grade.manual_score, grade.needs_manual_grade


@pytest.fixture(scope="module")
def resubmitted(cycle: dict) -> dict:
    """After the teacher has marked: a due date is set, amy changes her task answer and
    hands in late; the teacher collects with --update and grades again, then marks the
    task again, and amy hands in once more, graded by plain nbgrader autograde."""
    course, env = cycle["course"], cycle["env"]
    python = [sys.executable, "-m"]
    due = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    _run([*python, "nbgrader", "db", "assignment", "add", A, f"--duedate={due}"], course, env)
    time.sleep(1.1)  # nbgrader's timestamps are to the second or finer: a later hand-in
    _submit(cycle, "amy", TASK_ANSWER + " A third way: the cult of personality.")
    _run([*python, "nbgrader", "collect", A, "--update"], course, env)
    graded = _run([*python, "stalin_course", "grade", A], course, env)
    after_course = {
        name: _grade_row(course, name) for name in ("party-explain", "party-one-party-test")
    }
    statuses = {row["student"]: row for row in status_rows(course)}
    exported = _run([*python, "stalin_course", "export", A], course, env)
    with (course / "reports" / A / "marks.csv").open(newline="", encoding="utf-8") as handle:
        marks = {row["student"]: row for row in csv.DictReader(handle)}
    # the teacher looks again and saves a mark (formgrader clears the flag) ...
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gradebook:
        task = gradebook.find_grade("party-explain", A, A, "amy")
        task.manual_score, task.needs_manual_grade = 4, False
        gradebook.db.commit()
    regraded = _run([*python, "stalin_course", "grade", A, "--student", "amy"], course, env)
    after_review = _grade_row(course, "party-explain")
    # ... then amy changes it once more; this time plain nbgrader autograde grades it
    time.sleep(1.1)
    _submit(cycle, "amy", "Only one way now.")
    _run([*python, "nbgrader", "collect", A, "--update"], course, env)
    _run([*python, "nbgrader", "autograde", A, "--student", "amy", "--force"], course, env)
    after_nbgrader = {
        name: _grade_row(course, name) for name in ("party-explain", "party-one-party-test")
    }
    return {
        "graded": graded,
        "after_course": after_course,
        "statuses": statuses,
        "exported": exported,
        "marks": marks,
        "regraded": regraded,
        "after_review": after_review,
        "after_nbgrader": after_nbgrader,
    }


def status_rows(course: Path) -> list[dict[str, str]]:
    with (course / "reports" / A / "grading_status.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_a_mark_on_a_changed_answer_is_flagged_and_an_unchanged_one_stands(
    resubmitted: dict,
) -> None:
    assert resubmitted["after_course"]["party-explain"] == (3, True)  # kept, to look at
    assert resubmitted["after_course"]["party-one-party-test"] == (1, False)  # unchanged
    assert "changed since you marked it" in resubmitted["graded"]
    assert "Q7 (party-explain)" in resubmitted["statuses"]["amy"]["reason"]
    # once the teacher has saved a mark again, grading the same answer leaves it alone
    assert resubmitted["after_review"] == (4, False)
    assert "changed since you marked it" not in resubmitted["regraded"]
    # and plain nbgrader autograde flags the next change the same way
    assert resubmitted["after_nbgrader"]["party-explain"] == (4, True)
    assert resubmitted["after_nbgrader"]["party-one-party-test"] == (1, False)


def test_late_and_resubmitted_work_is_in_the_status_table(resubmitted: dict) -> None:
    amy, ben = resubmitted["statuses"]["amy"], resubmitted["statuses"]["ben"]
    assert amy["late_by"] and amy["resubmitted"].startswith("yes (before: ")
    assert amy["submitted_at"] > amy["resubmitted"].removeprefix("yes (before: ")
    assert ben["late_by"] == "" and ben["resubmitted"] == "" and ben["submitted_at"]
    assert f"late by {amy['late_by']}" in resubmitted["graded"]


def test_the_export_gives_each_question_and_an_honest_status(resubmitted: dict) -> None:
    marks = resubmitted["marks"]
    assert {s: marks[s]["status"] for s in STUDENTS} == {
        "amy": "late",
        "ben": "graded",
        "cat": "unreadable",
        "dan": "missing",
    }
    assert marks["amy"]["Q7 party-explain (4)"] == "3"
    assert marks["amy"]["Q1 party-politburo (1)"] == "1"
    assert marks["amy"]["score"] == "5"
    assert marks["ben"]["Q7 party-explain (4)"] == ""  # not marked yet: not a zero
    assert marks["ben"]["Q1 party-politburo (1)"] == "0"
    for student in ("cat", "dan"):  # no mark at all, rather than a zero like a real one
        assert marks[student]["score"] == "" and marks[student]["Q1 party-politburo (1)"] == ""
    assert "marks.csv" in resubmitted["exported"]
