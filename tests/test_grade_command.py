"""`stalin-course grade` as a teacher uses it: genuine work is graded without a word,
one student can be re-graded alone, and a submission set aside stays aside."""

from __future__ import annotations

import copy
import json
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
    run_course,
    status_table,
)
from test_autograde import ALL_CORRECT, ALL_WRONG, ASSIGNMENT, student_copy, submit

from stalin_course.checking import PLACEHOLDER
from stalin_course.restore import as_shown_text

pytestmark = pytest.mark.slow


def grade(course: Path, *args: str) -> str:
    return run_course(course, "grade", *args).stdout


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


# --- found by a red team: each once broke the batch, leaked, or marked honest work down ---


def _cell(nb: dict, grade_id: str) -> dict:
    return next(
        c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id
    )


def _answered(answers: dict[str, str]) -> dict:
    return json.loads(json.dumps(student_copy(answers)))


def _split(nb: dict) -> None:  # JupyterLab's split: both halves keep the settings, new ids
    cell = _cell(nb, "power-trotsky")
    header, body = cell["source"].split("\n", 1)
    second = copy.deepcopy(cell)
    cell["source"], cell["id"] = f"{header}\nIt was", "split-1"
    second["source"], second["id"] = body, "split-2"
    nb["cells"].insert(nb["cells"].index(cell) + 1, second)


def _pasted(nb: dict) -> None:  # an answer cell copied, the answer typed in the copy
    cell = _cell(nb, "power-trotsky")
    answered = copy.deepcopy(cell)
    answered["id"] = "pasted"
    cell["source"] = cell["source"].split("\n", 1)[0] + "\n" + PLACEHOLDER
    nb["cells"].insert(nb["cells"].index(cell) + 1, answered)


def _merged(nb: dict) -> None:  # an answer cell merged with its check cell
    cell, check = _cell(nb, "power-trotsky"), _cell(nb, "power-trotsky-test")
    cell["source"] += "\n" + check["source"]
    nb["cells"].remove(check)


def _stripped(nb: dict, ids: bool = False) -> None:  # saved by a tool that drops metadata
    for cell in nb["cells"]:
        cell["metadata"] = {}
        if ids:
            cell.pop("id", None)
    if ids:
        nb["nbformat_minor"] = 4


def _huge_points(nb: dict) -> None:
    _cell(nb, "power-gensec-test")["metadata"]["nbgrader"]["points"] = 10**400


def _odd_names(nb: dict) -> None:
    nb["metadata"]["kernelspec"]["name"] = "py {} {}"
    nb["cells"].append(
        {"cell_type": "code", "id": "x", "metadata": {"nbgrader": {"grade_id": "\x1b[2Kfake 11/11",
         "grade": True, "points": 9, "locked": True, "solution": False, "schema_version": 3}},
         "source": "1", "outputs": [], "execution_count": None}
    )  # fmt: skip


def _script_above_answer(nb: dict) -> None:
    cell = _cell(nb, "power-trotsky")
    note = {"cell_type": "markdown", "id": "note", "metadata": {},
            "source": "<script>alert('pwn')</script><img src=x onerror=alert(1)>"}  # fmt: skip
    nb["cells"].insert(nb["cells"].index(cell), note)


RED_TEAM = {
    "split": (_split, "graded", 11),
    "pasted": (_pasted, "graded", 11),
    "merged": (_merged, "graded", 11),
    "stripped": (_stripped, "graded", 11),
    "stripped-ids": (lambda nb: _stripped(nb, ids=True), "graded", 11),
    "huge-points": (_huge_points, "tampered", 11),
    "odd-names": (_odd_names, "tampered", 11),
    "script": (_script_above_answer, "graded", 11),
}


@pytest.fixture(scope="module")
def red_team(course: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    outside = tmp_path_factory.mktemp("outside") / "secret.txt"
    outside.write_text("TOP-SECRET-OUTSIDE", encoding="utf-8")
    for student, (edit, _, _) in RED_TEAM.items():
        nb = _answered(ALL_CORRECT)
        edit(nb)
        folder = course / "submitted" / f"rt-{student}" / ASSIGNMENT
        folder.mkdir(parents=True)
        (folder / f"{ASSIGNMENT}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    for student, stamp in {"ts-text": "hello", "ts-bytes": b"\xff\xfe\x00", "ts-huge": "9" * 30,
                           "ts-dir": None, "ts-link": outside}.items():  # fmt: skip
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(student_copy(ALL_CORRECT), folder / f"{ASSIGNMENT}.ipynb")
        target = folder / "timestamp.txt"
        if stamp is None:
            target.mkdir()
        elif isinstance(stamp, Path):
            target.symlink_to(stamp)
            (folder / "submission_secret.txt").symlink_to(stamp)
        elif isinstance(stamp, bytes):
            target.write_bytes(stamp)
        else:
            target.write_text(stamp)
    submit(course, "zz-victim", student_copy(ALL_CORRECT))
    students = [f"rt-{s}" for s in RED_TEAM] + ["ts-text", "ts-bytes", "ts-huge", "ts-dir"]
    students += ["ts-link", "zz-victim"]
    grade(course, ASSIGNMENT, *[arg for s in students for arg in ("--student", s)])
    run_course(course, "feedback", ASSIGNMENT)
    return course


@pytest.mark.parametrize("student", RED_TEAM)
def test_honest_edits_and_odd_files_are_graded_exactly(red_team: Path, student: str) -> None:
    _, status, total = RED_TEAM[student]
    row = statuses(red_team)[f"rt-{student}"]
    assert (row["status"], float(row["score"])) == (status, total), row
    assert "\x1b" not in row["reason"]


def test_a_students_timestamp_file_cannot_stop_the_batch(red_team: Path) -> None:
    rows = statuses(red_team)
    for student in ("ts-text", "ts-bytes", "ts-huge", "ts-dir", "ts-link", "zz-victim"):
        assert float(rows[student]["score"]) == 11, rows[student]
    assert "timestamp" in rows["ts-text"]["reason"]


def test_no_file_behind_a_link_is_copied_out(red_team: Path) -> None:
    for kind in ("autograded", "feedback"):
        for path in (red_team / kind).rglob("*"):
            if path.is_file():
                assert "TOP-SECRET-OUTSIDE" not in path.read_text(
                    encoding="utf-8", errors="replace"
                )


def test_feedback_shows_the_teachers_question_and_never_a_students_html(red_team: Path) -> None:
    page = (red_team / "feedback" / "rt-script" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "<script>" not in page and "onerror" not in page
    assert "Commissar for War" in page  # question 3's own text
    graded = red_team / "autograded" / "rt-script" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    note = next(c for c in nbformat.read(graded, 4).cells if "alert" in c.source)
    # shown to the teacher as text, never rendered: one <pre> of the escaped text
    assert note.source == as_shown_text("<script>alert('pwn')</script><img src=x onerror=alert(1)>")
    assert "<script" not in note.source and "<img" not in note.source
