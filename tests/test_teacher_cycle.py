"""The teacher's whole cycle, end to end, with the real nbgrader CLI and exchange.

Every command in docs/teacher_guide.md is run here exactly as written. Students
fetch and submit with `--student`; some submissions are hostile or broken.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, assignment_totals, make_course, status_table
from nbgrader.api import Gradebook
from test_autograde import ALL_CORRECT, ALL_WRONG, EXPECTED_MIXED, MIXED

from stalin_course.bank import code_for

pytestmark = pytest.mark.slow

ASSIGNMENT = "01_power_struggle"
GUIDE = ROOT / "docs" / "teacher_guide.md"
COURSE_ID = "stalin-consolidation"


def guide_commands() -> list[str]:
    """Every command in the guide's bash blocks, in order (activation excepted)."""
    blocks = re.findall(r"```bash\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    lines = [line.strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line and not line.startswith(("#", "source "))]


def _env(exchange: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env["PATH"]
    env["STALIN_COURSE_EXCHANGE"] = str(exchange)
    return env


def _run(command: str | list[str], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        command, cwd=cwd, env=env, shell=isinstance(command, str),
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _fill(nb: nbformat.NotebookNode, answers: dict[str, str]) -> nbformat.NotebookNode:
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = f"%%answer {code_for(grade_id)}\n{answers[grade_id]}"
    return nb


def _by_id(nb: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    return {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}


def _deleted_test_cell(nb):
    nb.cells.remove(_by_id(nb)["power-nep-test"])
    return _fill(nb, ALL_CORRECT)


def _loop_and_exit(nb):
    _fill(nb, ALL_CORRECT)
    _by_id(nb)["power-gensec"].source = "while True:\n    pass"
    _by_id(nb)[
        "power-trotsky"
    ].source = f"%%answer {code_for('power-trotsky')}\nimport os; os._exit(1)"
    return nb


def _patch_in_answer(nb):
    _fill(nb, ALL_WRONG)
    _by_id(nb)[
        "power-gensec"
    ].source = "import stalin_course.answers as a\na.marks = lambda q: 99.0"
    return nb


def _added_cell(nb):
    _fill(nb, ALL_WRONG)
    nb.cells.insert(
        2, nbformat.v4.new_code_cell("import stalin_course.answers as a\na.marks = lambda q: 1.0")
    )
    return nb


def _huge_output(nb):
    _fill(nb, ALL_CORRECT)
    _by_id(nb)["setup"].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="x" * 10_000_000)
    ]
    return nb


def _wrong_assignment(nb):
    """Assignment 02's notebook, handed in under 01's name."""
    return nbformat.read(ROOT / "release" / "02_party_control" / "02_party_control.ipynb", 4)


# student -> (how their notebook is made, expected status, expected total)
STUDENTS = {
    "alice": (lambda nb: _fill(nb, ALL_CORRECT), "graded", 11),
    "bob": (lambda nb: _fill(nb, ALL_WRONG), "graded", 0),
    "carol": (lambda nb: _fill(nb, MIXED), "graded", sum(EXPECTED_MIXED.values())),
    "dave": (None, "unreadable notebook", 0),  # corrupt JSON
    "erin": (_deleted_test_cell, "tampered", 11),
    "frank": (_loop_and_exit, "graded", 9),
    "heidi": (_patch_in_answer, "graded", 0),
    "ivan": (_added_cell, "tampered", 0),
    "judy": (_huge_output, "graded", 11),
    "mallory": (lambda nb: nb, "graded", 0),  # placeholder left unchanged
    "niaj": (_wrong_assignment, "wrong assignment", 0),
    "peggy": (lambda nb: _fill(nb, ALL_CORRECT), "graded", 11),
    "olivia": (None, "not submitted", 0),  # never submits
}


def _statuses(course: Path) -> dict[str, dict[str, str]]:
    return status_table(course, ASSIGNMENT)


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Run the guide's whole cycle once; keep what each stage produced."""
    base = tmp_path_factory.mktemp("cycle")
    course, exchange = make_course(base), base / "exchange"
    env = _env(exchange)
    (course / "students.csv").write_text(
        "id,first_name,last_name,email\n" + "".join(f"{s},{s.title()},Pupil,\n" for s in STUDENTS),
        encoding="utf-8",
    )
    commands = guide_commands()
    ran: list[str] = []
    collect = commands.index(f"nbgrader collect {ASSIGNMENT}")
    grade = next(i for i, c in enumerate(commands) if c.startswith("stalin-course grade"))
    for command in commands[:collect]:
        _run(command, course, env)
        ran.append(command)

    # the students fetch, answer and submit (two at a time, like a real class)
    def fetch_and_submit(student: str) -> None:
        make = STUDENTS[student][0]
        home = base / "homes" / student
        home.mkdir(parents=True)
        flags = ["--student", student, "--course", COURSE_ID, f"--Exchange.root={exchange}"]
        nbgrader = [sys.executable, "-m", "nbgrader"]
        _run([*nbgrader, "fetch_assignment", ASSIGNMENT, *flags], home, env)
        path = home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        if make is None:
            path.write_text('{"cells": [ {"cell_type": "code", "source": "oops', encoding="utf-8")
        else:
            nbformat.write(make(nbformat.read(path, as_version=4)), path)
        _run([*nbgrader, "submit", ASSIGNMENT, *flags], home, env)

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(fetch_and_submit, [s for s in STUDENTS if s != "olivia"]))

    for command in commands[collect : grade + 1]:
        output = _run(command, course, env)
        ran.append(command)
    first_statuses, first_totals = _statuses(course), assignment_totals(course, ASSIGNMENT)

    # the teacher overrides one mark in the formgrader (nbgrader's API), and peggy's
    # file is replaced by a broken one before re-grading
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        grade_row = gradebook.find_grade("power-trotsky-test", ASSIGNMENT, ASSIGNMENT, "bob")
        grade_row.manual_score = 1
        gradebook.db.commit()
    broken = course / "submitted" / "peggy" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    broken.write_text("not a notebook", encoding="utf-8")
    regrade_output = _run(commands[grade], course, env)

    for command in commands[grade + 1 :]:
        _run(command, course, env)
        ran.append(command)
    return {
        "course": course,
        "commands": commands,
        "ran": ran,
        "first_statuses": first_statuses,
        "first_totals": first_totals,
        "first_output": output,
        "statuses": _statuses(course),
        "totals": assignment_totals(course, ASSIGNMENT),
        "regrade_output": regrade_output,
    }


def test_every_guide_command_ran(cycle: dict) -> None:
    assert cycle["ran"] == cycle["commands"]
    assert any(c.startswith("stalin-course") for c in cycle["ran"])


def test_every_submission_has_its_status(cycle: dict) -> None:
    statuses = cycle["first_statuses"]
    assert set(statuses) == set(STUDENTS)
    for student, (_, status, _) in STUDENTS.items():
        row = statuses[student]
        assert row["status"] == status, f"{student}: {row['status']} ({row['reason']})"
        if status != "graded":
            assert statuses[student]["reason"], student


def test_well_formed_submissions_score_exactly(cycle: dict) -> None:
    for student, (_, _, total) in STUDENTS.items():
        row = cycle["first_statuses"][student]
        assert cycle["first_totals"][student] == total, (
            f"{student}: {row['status']} ({row['reason']})"
        )


def test_bad_submissions_are_named_in_the_output(cycle: dict) -> None:
    output = cycle["first_output"]
    for student in ("dave", "niaj", "olivia", "erin", "ivan"):
        assert student in output


def test_manual_grade_survives_regrading(cycle: dict) -> None:
    assert cycle["totals"]["bob"] == 1


def test_regrading_keeps_no_stale_scores(cycle: dict) -> None:
    assert cycle["first_totals"]["peggy"] == 11
    assert cycle["statuses"]["peggy"]["status"] == "unreadable notebook"
    assert cycle["totals"]["peggy"] == 0


def test_gradebook_is_intact(cycle: dict) -> None:
    course = cycle["course"]
    done = subprocess.run(
        [sys.executable, "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]);"
         "print(c.execute('pragma integrity_check').fetchone()[0])", str(course / "gradebook.db")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.stdout.strip() == "ok"
    expected = {s: t for s, (_, _, t) in STUDENTS.items()} | {"bob": 1, "peggy": 0}
    assert cycle["totals"] == expected


def test_feedback_hides_tests_and_answers(cycle: dict) -> None:
    course = cycle["course"]
    pages = sorted((course / "feedback").glob(f"*/{ASSIGNMENT}/*.html"))
    assert {p.parent.parent.name for p in pages} >= {"alice", "bob", "carol", "judy"}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for secret in ("HIDDEN TESTS", "answers.marks", "answers.feedback", "BEGIN SOLUTION"):
            assert secret not in text, (page, secret)
    bob = (course / "feedback" / "bob" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text().lower()
    # bob's answers were all wrong: the keys he did not write himself must not appear
    for key in ("general secretary", "new economic policy", "1929", "bcda", "b c d a"):
        assert key not in bob, key
    assert "commissar for war" in bob  # bob's own (wrong) answer is shown to him
    released = list((cycle["course"].parent / "exchange").glob(f"{COURSE_ID}/feedback/*.html"))
    assert released, "nbgrader release_feedback put no page in the exchange"


def test_report_and_export(cycle: dict) -> None:
    course = cycle["course"]
    with (course / "reports" / ASSIGNMENT / "questions.csv").open(encoding="utf-8") as handle:
        rows = {row["question"]: row for row in csv.DictReader(handle)}
    assert set(rows) == set(ALL_CORRECT)
    assert "zinoviev" in rows["power-trotsky"]["common_wrong_answers"]
    assert (course / "reports" / ASSIGNMENT / "questions.png").stat().st_size > 1000
    with (course / "grades.csv").open(encoding="utf-8") as handle:
        grades = {row["student_id"]: float(row["score"]) for row in csv.DictReader(handle)}
    assert grades["alice"] == 11 and grades["bob"] == 1 and grades["dave"] == 0
    json.dumps(grades)
