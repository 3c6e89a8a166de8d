"""Hostile submissions: what a student changes in a notebook can never gain a mark.

The role of every cell (answer, test, locked, task, chart) comes from the teacher's
source notebook in the gradebook, matched by nbgrader ``grade_id``, never from what the
submitted file says about itself. An edit can cost a student the cell they tampered
with, but never gains a mark, never stops the batch and never touches another
student's grades.

One class of students is built once. Each student is one case: an untouched control
or one kind of edit. The class is graded twice, through both commands teachers use:

- ``stalin-course grade ASSIGNMENT`` in one course (it also writes a status table);
- plain ``nbgrader autograde ASSIGNMENT`` in two other courses: one for cell-level edits
  (which must not make nbgrader fail) and one for file-level junk (where nbgrader may
  exit non-zero, but the other students in the batch must still be graded exactly).

Every expected mark below was decided from the rule before the tests were run. Where
the rule allows either outcome for the tampered cell itself (say, an answer cell whose
``grade_id`` was renamed may lose its own mark), only "no more than the genuine mark"
is asserted for that question; every other question's mark is exact.
"""

from __future__ import annotations

import copy
import csv
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, make_course, nbgrader
from nbgrader.api import Gradebook, MissingEntry
from test_autograde import ALL_CORRECT, ALL_WRONG, ASSIGNMENT, POINTS, student_copy

from stalin_course.bank import code_for
from stalin_course.checking import PLACEHOLDER

pytestmark = pytest.mark.slow

A01 = ASSIGNMENT  # "01_power_struggle"
A02 = "02_party_control"
RELEASED_02 = ROOT / "release" / A02 / f"{A02}.ipynb"

#: What ``stalin-course grade`` may say about a notebook.
STATUSES = {
    "graded",
    "tampered",
    "timed out",
    "kernel died",
    "unreadable notebook",
    "wrong assignment",
    "not submitted",
    "set aside",
}
#: Statuses of a notebook whose answers were graded.
GRADED = {"graded", "tampered"}

# --- answers -----------------------------------------------------------------------

QUESTIONS_01 = list(ALL_CORRECT)
FULL_01 = {q: POINTS.get(q, 1) for q in QUESTIONS_01}
ZERO_01 = dict.fromkeys(QUESTIONS_01, 0)

#: Half right, half wrong: a mark gained or lost anywhere shows.
RIGHT_IN_HALF = (
    "power-lenin-death",
    "power-gensec",
    "power-trotsky",
    "power-sioc",
    "power-triumvirate",
)
HALF = {q: ALL_CORRECT[q] if q in RIGHT_IN_HALF else ALL_WRONG[q] for q in QUESTIONS_01}
EXPECTED_HALF = {q: FULL_01[q] if q in RIGHT_IN_HALF else 0 for q in QUESTIONS_01}  # 6 of 11

ALL_CORRECT_02 = {
    "party-politburo": "the Politburo",
    "party-democratic-centralism": "democratic centralism",
    "party-one-party": "a one-party state",
    "terror-kirov": "Kirov",
    "party-membership-peak-year": "1933",
    "party-purge-largest-share": "25%",
}
ALL_WRONG_02 = {
    "party-politburo": "the Cheka",
    "party-democratic-centralism": "War Communism",
    "party-one-party": "a democracy",
    "terror-kirov": "Trotsky",
    "party-membership-peak-year": "1920",
    "party-purge-largest-share": "90%",
}
QUESTIONS_02 = list(ALL_CORRECT_02)
RIGHT_IN_HALF_02 = ("party-politburo", "party-democratic-centralism", "party-one-party")
HALF_02 = {q: ALL_CORRECT_02[q] if q in RIGHT_IN_HALF_02 else ALL_WRONG_02[q] for q in QUESTIONS_02}
EXPECTED_HALF_02 = {q: 1 if q in RIGHT_IN_HALF_02 else 0 for q in QUESTIONS_02}
FULL_02 = dict.fromkeys(QUESTIONS_02, 1)
ZERO_02 = dict.fromkeys(QUESTIONS_02, 0)
TASK_02 = "party-explain"  # a task cell (4 marks, marked by the teacher)
ESSAY = (
    "Stalin used the nomenklatura lists to appoint loyal officials, and the purge "
    "(chistka) of 1933 expelled members who opposed him. ESSAY-7c41"
)
MAX_01, MAX_02 = 11, 10

#: Python a student might write where an answer should be: every check passes.
HACK = "from stalin_course import answers\nanswers.marks = lambda *args, **kwargs: 1.0\n"
#: Text only ever found in the file a symlinked submission points to.
OUTSIDE_MARKER = "OUTSIDE-THE-COURSE-3b9f1e"


# --- notebook surgery ----------------------------------------------------------------


def nbg(cell: dict) -> dict:
    """A cell's nbgrader metadata (created if absent)."""
    return cell.setdefault("metadata", {}).setdefault("nbgrader", {})


def grade_id_of(cell: dict) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def cell(nb: dict, grade_id: str) -> dict:
    """The (first) cell of ``nb`` with this grade_id."""
    return next(c for c in nb["cells"] if grade_id_of(c) == grade_id)


def index(nb: dict, grade_id: str) -> int:
    return next(i for i, c in enumerate(nb["cells"]) if grade_id_of(c) == grade_id)


def as_dict(nb: nbformat.NotebookNode) -> dict:
    return json.loads(json.dumps(nb))


def copy_01(answers: dict[str, str] = HALF) -> dict:
    return as_dict(student_copy(answers))


def copy_02(answers: dict[str, str], essay: str = ESSAY) -> dict:
    """The released 02 notebook, answered; ``essay`` written in the task's answer box."""
    nb = as_dict(nbformat.read(RELEASED_02, as_version=4))
    for c in nb["cells"]:
        grade_id = grade_id_of(c)
        if grade_id in answers:
            assert c["source"] == f"%%answer {code_for(grade_id)}\n{PLACEHOLDER}"
            c["source"] = f"%%answer {code_for(grade_id)}\n{answers[grade_id]}"
    box = nb["cells"][index(nb, TASK_02) + 1]
    assert box["cell_type"] == "markdown" and "nbgrader" not in box["metadata"]
    box["source"] = essay
    return nb


def to_markdown(c: dict) -> None:
    c["cell_type"] = "markdown"
    c.pop("outputs", None)
    c.pop("execution_count", None)


def to_raw(c: dict) -> None:
    c["cell_type"] = "raw"
    c.pop("outputs", None)
    c.pop("execution_count", None)


def code_cell(source: str, nbgrader_meta: dict | None, cell_id: str) -> dict:
    c = {
        "cell_type": "code",
        "execution_count": None,
        "id": cell_id,
        "metadata": {},
        "outputs": [],
        "source": source,
    }
    if nbgrader_meta is not None:
        c["metadata"]["nbgrader"] = nbgrader_meta
    return c


def fake_result(text: str = "1.0", count: int = 1) -> list[dict]:
    """Outputs that claim every check passed."""
    return [
        {"name": "stdout", "output_type": "stream", "text": "✔ Correct\n"},
        {
            "data": {"text/plain": text},
            "execution_count": count,
            "metadata": {},
            "output_type": "execute_result",
        },
    ]


def dumps(nb: dict) -> str:
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


# --- the cases -----------------------------------------------------------------------

Build = Callable[[Path, Path], None]  # (submission folder, folder outside the course)


@dataclass
class Case:
    """One student: how their submission is made and what it must score."""

    name: str
    build: Build
    expected: dict[str, float]  # the genuine mark of every question
    may_lose: frozenset[str] = frozenset()  # questions whose tampered cell may cost the mark
    assignment: str = A01
    file_level: bool = False  # junk at file level: nbgrader may fail on it
    nbgrader_exact: bool = False  # ...but must still grade this one exactly
    statuses: frozenset[str] = frozenset(GRADED)  # what stalin-course grade may call it
    reason: bool = True  # an edited submission: the status table must say why
    control: bool = False
    essay_kept: bool = False  # 02: the written answer must reach the teacher
    check: Callable[[Path], None] | None = None  # extra check on a graded course


def notebook_case(
    name: str,
    make: Callable[[], dict],
    expected: dict[str, float] = EXPECTED_HALF,
    *,
    filename: str | None = None,
    **options,
) -> Case:
    """A case whose submission is one notebook written as UTF-8 JSON."""
    assignment = options.get("assignment", A01)

    def build(folder: Path, outside: Path) -> None:
        (folder / (filename or f"{assignment}.ipynb")).write_text(dumps(make()), encoding="utf-8")

    return Case(name, build, dict(expected), **options)


def edited(*edits: Callable[[dict], None], answers: dict[str, str] = HALF) -> Callable[[], dict]:
    """The 01 copy with ``answers``, then each edit applied in turn."""

    def make() -> dict:
        nb = copy_01(answers)
        for edit in edits:
            edit(nb)
        return nb

    return make


def edited_02(
    *edits: Callable[[dict], None], answers: dict[str, str] = HALF_02
) -> Callable[[], dict]:
    def make() -> dict:
        nb = copy_02(answers)
        for edit in edits:
            edit(nb)
        return nb

    return make


def set_meta(target: str, **changes) -> Callable[[dict], None]:
    def edit(nb: dict) -> None:
        nbg(cell(nb, target)).update(changes)

    return edit


def set_source(grade_id: str, source: str) -> Callable[[dict], None]:
    def edit(nb: dict) -> None:
        cell(nb, grade_id)["source"] = source

    return edit


def delete(*grade_ids: str) -> Callable[[dict], None]:
    def edit(nb: dict) -> None:
        nb["cells"] = [c for c in nb["cells"] if grade_id_of(c) not in grade_ids]

    return edit


def retype(grade_id: str, to: Callable[[dict], None]) -> Callable[[dict], None]:
    return lambda nb: to(cell(nb, grade_id))


def rename(old: str, new: str) -> Callable[[dict], None]:
    return set_meta(old, grade_id=new)


def duplicate_at_end(nb: dict) -> None:
    """The set-up cell and a check cell copied to the end, with the same grade_ids: the
    copy of the set-up cell runs Python, the copy of the check cell claims full marks."""
    setup = copy.deepcopy(cell(nb, "setup"))
    setup.update(id="setup-copy", source=HACK, outputs=[], execution_count=None)
    nbg(setup)["locked"] = False
    test = copy.deepcopy(cell(nb, "power-nep-test"))
    test.update(id="nep-test-copy", source="1.0", outputs=fake_result(), execution_count=1)
    nbg(test).update(locked=False, points=5)
    nb["cells"] += [setup, test]


def invent_grade_id(nb: dict) -> None:
    """A question's markdown cell given an invented grade_id, as a 3-mark written answer."""
    c = cell(nb, "power-order-question")
    nbg(c).update(grade_id="power-order-essay", grade=True, solution=True, locked=False, points=3)
    c["source"] += "\n\nMy answer: B, C, D, A."
    c["metadata"].pop("editable", None)


def move_grade_id(nb: dict) -> None:
    """power-sioc's nbgrader metadata moved onto power-nep's answer cell."""
    sioc, nep = cell(nb, "power-sioc"), cell(nb, "power-nep")
    nep["metadata"]["nbgrader"] = sioc["metadata"].pop("nbgrader")


def reorder_blocks(nb: dict) -> None:
    """Whole questions (prompt, answer, check) shuffled; set-up still first, and the
    closing cells ("mark my work", then the download) still last."""
    cells = nb["cells"]
    head, tail = cells[:2], cells[-4:]
    body = cells[2:-4]
    blocks = [body[i : i + 3] for i in range(0, len(body), 3)]
    assert all(grade_id_of(b[1]) + "-test" == grade_id_of(b[2]) for b in blocks)
    order = list(range(len(blocks)))
    random.Random(7).shuffle(order)
    assert order != sorted(order)
    nb["cells"] = head + [c for i in order for c in blocks[i]] + tail


def reverse_cells(nb: dict) -> None:
    """Every cell in reverse order: checks before answers, the set-up cell last."""
    nb["cells"].reverse()


def add_bonus_cell(nb: dict) -> None:
    bonus = code_cell(
        "print(1)",
        {
            "grade": True,
            "solution": False,
            "locked": True,
            "points": 5,
            "grade_id": "bonus",
            "schema_version": 3,
        },
        "bonus",
    )
    nb["cells"].insert(index(nb, "setup") + 1, bonus)


def add_cells_claiming_tests(nb: dict) -> None:
    """Added code cells whose metadata claims existing check cells' grade_ids: one just
    after the set-up cell (for a question answered right), one at the end (for a
    question answered wrong), each claiming 5 marks and printing 1.0."""
    for grade_id, where, cell_id in (
        ("power-gensec-test", index(nb, "setup") + 1, "fake-gensec-test"),
        ("power-nep-test", len(nb["cells"]), "fake-nep-test"),
    ):
        meta = copy.deepcopy(nbg(cell(nb, grade_id)))
        meta.update(locked=False, points=5)
        meta.pop("checksum", None)
        fake = code_cell("1.0", meta, cell_id)
        fake.update(outputs=fake_result(), execution_count=1)
        nb["cells"].insert(where, fake)


def paste_from_02(nb: dict) -> None:
    """Two answered questions of 02_party_control pasted into 01."""
    other = copy_02(ALL_CORRECT_02)
    pasted = [
        copy.deepcopy(cell(other, f"{q}{suffix}"))
        for q in ("party-politburo", "terror-kirov")
        for suffix in ("-question", "", "-test")
    ]
    at = index(nb, "power-nep-test") + 1
    nb["cells"][at:at] = pasted


def drop_ids(nb: dict) -> None:
    for c in nb["cells"]:
        c.pop("id", None)


def same_ids(nb: dict) -> None:
    for c in nb["cells"]:
        c["id"] = "cell"


def swap_ids(nb: dict) -> None:
    """Cell ids (not grade_ids) swapped between a right and a wrong answer, and their checks."""
    for a, b in (("power-sioc", "power-nep"), ("power-sioc-test", "power-nep-test")):
        ca, cb = cell(nb, a), cell(nb, b)
        ca["id"], cb["id"] = cb["id"], ca["id"]


def prefill_outputs(nb: dict) -> None:
    count = 0
    for c in nb["cells"]:
        meta = c.get("metadata", {}).get("nbgrader", {})
        if c["cell_type"] != "code":
            continue
        count += 1
        c["execution_count"] = count
        if meta.get("grade"):
            c["outputs"] = fake_result("1.0", count)
        elif meta.get("solution"):
            c["outputs"] = [
                {
                    "name": "stdout",
                    "output_type": "stream",
                    "text": "Saved your answer. Run the check cell below it to see feedback.\n",
                }
            ]


def kernelspec_r(nb: dict) -> None:
    nb["metadata"]["kernelspec"] = {"display_name": "R", "language": "R", "name": "ir"}
    nb["metadata"]["language_info"] = {"name": "R", "version": "4.3.1"}


def language_js(nb: dict) -> None:
    nb["metadata"]["kernelspec"]["language"] = "javascript"
    nb["metadata"]["language_info"] = {"name": "javascript", "version": "20.0"}


def downgrade(minor: int) -> Callable[[dict], None]:
    def edit(nb: dict) -> None:
        nb["nbformat_minor"] = minor
        drop_ids(nb)

    return edit


def unlock_setup_and_intro(nb: dict) -> None:
    setup = cell(nb, "setup")
    nbg(setup)["locked"] = False
    setup["source"] += "\n" + HACK
    intro = cell(nb, "intro")
    nbg(intro)["locked"] = False
    intro["source"] = "# Assignment 01\n\nEvery question here is worth full marks."


def flag_task_on_prompt(nb: dict) -> None:
    nbg(cell(nb, "power-nep-question")).update(task=True, points=5)


# --- file-level junk ---


def write_bytes(data: bytes, filename: str = f"{A01}.ipynb") -> Build:
    def build(folder: Path, outside: Path) -> None:
        (folder / filename).write_bytes(data)

    return build


def two_notebooks(folder: Path, outside: Path) -> None:
    (folder / f"{A01}.ipynb").write_text(dumps(copy_01(HALF)), encoding="utf-8")
    (folder / f"{A01}-Copy1.ipynb").write_text(dumps(copy_01(ALL_CORRECT)), encoding="utf-8")


def symlink_outside(folder: Path, outside: Path) -> None:
    target = outside / "answers_from_elsewhere.ipynb"
    if not target.exists():
        nb = copy_01(ALL_CORRECT)
        nb["metadata"]["note"] = OUTSIDE_MARKER
        nb["cells"].insert(
            2, {"cell_type": "raw", "id": "marker", "metadata": {}, "source": OUTSIDE_MARKER}
        )
        order = cell(nb, "power-order")
        order["source"] += f"\n{OUTSIDE_MARKER}"
        target.write_text(dumps(nb), encoding="utf-8")
    (folder / f"{A01}.ipynb").symlink_to(target)


def huge_notebook(folder: Path, outside: Path) -> None:
    """A valid all-correct notebook padded past 100 MB with one huge output."""
    nb = copy_01(ALL_CORRECT)
    cell(nb, "setup")["outputs"] = [
        {"name": "stdout", "output_type": "stream", "text": ("0123456789" * 10 + "\n") * 1_050_000}
    ]
    path = folder / f"{A01}.ipynb"
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    assert path.stat().st_size > 100 * 2**20


def marker_never_copied(course: Path) -> None:
    """Nothing from the file a symlink points to reaches the graded copies or feedback."""
    marker = OUTSIDE_MARKER.encode()
    for folder in ("autograded", "feedback"):
        for path in (course / folder).rglob("*"):
            if path.is_file():
                assert marker not in path.read_bytes(), f"{path} has text from outside the course"


def essay_in_autograded(student: str) -> Callable[[Path], None]:
    def check(course: Path) -> None:
        path = course / "autograded" / student / A02 / f"{A02}.ipynb"
        assert path.is_file(), f"no graded copy of {student}'s notebook"
        assert "ESSAY-7c41" in path.read_text(encoding="utf-8"), "the written answer was lost"

    return check


def _cases() -> list[Case]:
    half = EXPECTED_HALF
    zero = dict(ZERO_01)
    all_questions = frozenset(QUESTIONS_01)
    cases = [
        # untouched controls, one batch with everyone else
        notebook_case(
            "control-all-correct", edited(answers=ALL_CORRECT), FULL_01, control=True, reason=False
        ),
        notebook_case(
            "control-all-wrong", edited(answers=ALL_WRONG), ZERO_01, control=True, reason=False
        ),
        notebook_case("control-half", edited(), half, control=True, reason=False),
        # nbgrader flags on an answer cell (power-nep, answered wrong)
        notebook_case(
            "answer-solution-flag-off",
            edited(set_meta("power-nep", solution=False), set_source("power-nep", HACK)),
        ),
        notebook_case("answer-grade-flag-on", edited(set_meta("power-nep", grade=True, points=5))),
        notebook_case("answer-locked-flag-on", edited(set_meta("power-nep", locked=True))),
        notebook_case("answer-task-flag-on", edited(set_meta("power-nep", task=True))),
        # ... on a check cell (power-nep-test), which then claims full marks
        notebook_case(
            "test-solution-flag-on",
            edited(set_meta("power-nep-test", solution=True), set_source("power-nep-test", "1.0")),
        ),
        notebook_case(
            "test-grade-flag-off",
            edited(set_meta("power-nep-test", grade=False), set_source("power-nep-test", "1.0")),
        ),
        notebook_case(
            "test-locked-flag-off",
            edited(set_meta("power-nep-test", locked=False), set_source("power-nep-test", "1.0")),
        ),
        notebook_case("test-task-flag-on", edited(set_meta("power-nep-test", task=True))),
        notebook_case(
            "test-points-changed",
            edited(
                set_meta("power-nep-test", points=100),
                set_meta("power-right-test", points=50),
                set_meta("power-triumvirate-test", points=1),
            ),
            may_lose=frozenset({"power-triumvirate"}),
        ),
        # ... on locked cells (the set-up cell, a prompt)
        notebook_case("locked-solution-flag-on", edited(set_meta("setup", solution=True))),
        notebook_case("locked-grade-flag-on", edited(set_meta("setup", grade=True, points=5))),
        notebook_case("locked-locked-flag-off", edited(unlock_setup_and_intro)),
        notebook_case("locked-task-flag-on", edited(flag_task_on_prompt)),
        # cell types changed (one right answer, one wrong)
        notebook_case(
            "answer-made-markdown",
            edited(retype("power-gensec", to_markdown), retype("power-nep", to_markdown)),
            may_lose=frozenset({"power-gensec"}),
        ),
        notebook_case(
            "answer-made-raw",
            edited(retype("power-trotsky", to_raw), retype("power-nep", to_raw)),
            may_lose=frozenset({"power-trotsky"}),
        ),
        notebook_case(
            "test-made-markdown",
            edited(retype("power-gensec-test", to_markdown), retype("power-nep-test", to_markdown)),
            may_lose=frozenset({"power-gensec"}),
        ),
        # grade_ids renamed, duplicated, invented, moved; cells reordered
        notebook_case(
            "grade-id-renamed-answer",
            edited(rename("power-gensec", "power-gensec-v2"), rename("power-nep", "power-nep-v2")),
            may_lose=frozenset({"power-gensec"}),
        ),
        notebook_case(
            "grade-id-renamed-test",
            edited(
                rename("power-nep-test", "power-nep-check"),
                set_meta("power-nep-check", locked=False),
                set_source("power-nep-check", "1.0"),
            ),
        ),
        notebook_case("grade-id-duplicated", edited(duplicate_at_end)),
        notebook_case("grade-id-invented", edited(invent_grade_id)),
        notebook_case("grade-id-moved", edited(move_grade_id), may_lose=frozenset({"power-sioc"})),
        notebook_case("cells-reordered", edited(reorder_blocks)),
        notebook_case("cells-reversed", edited(reverse_cells)),
        # cells deleted
        notebook_case("setup-deleted", edited(delete("setup"))),
        notebook_case(
            "answer-cells-deleted",
            edited(delete("power-gensec", "power-nep")),
            {**half, "power-gensec": 0, "power-nep": 0},
        ),
        notebook_case("test-cells-deleted", edited(delete("power-gensec-test", "power-nep-test"))),
        # cells added with hand-written nbgrader metadata
        notebook_case("added-bonus-cell", edited(add_bonus_cell)),
        notebook_case("added-cell-claims-test-id", edited(add_cells_claiming_tests)),
        # another assignment's cells
        notebook_case("pasted-from-02", edited(paste_from_02)),
        # cell ids, outputs, kernel
        notebook_case("cell-ids-missing", edited(drop_ids)),
        notebook_case("cell-ids-duplicated", edited(same_ids)),
        notebook_case("cell-ids-swapped", edited(swap_ids)),
        notebook_case("outputs-prefilled", edited(prefill_outputs)),
        notebook_case("kernelspec-changed", edited(kernelspec_r)),
        notebook_case("language-changed", edited(language_js)),
        # nbformat 4.0-4.4, as older Jupyter versions save them (no cell ids): not an
        # edit by the student, so no reason is required; 4.5 is every other case here
        *(
            notebook_case(f"nbformat-4.{minor}", edited(downgrade(minor)), reason=False)
            for minor in range(5)
        ),
        # file level
        notebook_case(
            "notebook-renamed", edited(), half, filename="my work.ipynb", file_level=True
        ),
        Case("two-notebooks", two_notebooks, half, file_level=True, nbgrader_exact=True),
        Case(
            "symlink-outside",
            symlink_outside,
            zero,
            may_lose=all_questions,
            file_level=True,
            statuses=frozenset(STATUSES - {"graded"}),
            check=marker_never_copied,
        ),
        notebook_case(
            "wrong-assignment",
            lambda: copy_02(ALL_CORRECT_02),
            zero,
            may_lose=all_questions,
            file_level=True,
            statuses=frozenset({"wrong assignment"}),
        ),
        Case(
            "empty-file",
            write_bytes(b""),
            zero,
            may_lose=all_questions,
            file_level=True,
            statuses=frozenset({"unreadable notebook"}),
        ),
        Case(
            "binary-junk",
            write_bytes(random.Random(1917).randbytes(64 * 1024)),
            zero,
            may_lose=all_questions,
            file_level=True,
            statuses=frozenset({"unreadable notebook"}),
        ),
        Case(
            "utf8-bom",
            write_bytes(b"\xef\xbb\xbf" + dumps(copy_01(ALL_CORRECT)).encode("utf-8")),
            FULL_01,
            file_level=True,
        ),
        Case(
            "utf16",
            write_bytes(dumps(copy_01(ALL_CORRECT)).encode("utf-16")),
            FULL_01,
            file_level=True,
        ),
        Case("huge-100mb", huge_notebook, FULL_01, file_level=True),
        # 02_party_control: a task cell and the answer box under it
        notebook_case(
            "control02-all-correct",
            edited_02(answers=ALL_CORRECT_02),
            FULL_02,
            assignment=A02,
            control=True,
            reason=False,
            essay_kept=True,
        ),
        notebook_case(
            "control02-all-wrong",
            edited_02(answers=ALL_WRONG_02),
            ZERO_02,
            assignment=A02,
            control=True,
            reason=False,
            essay_kept=True,
        ),
        notebook_case(
            "task-cell-deleted",
            edited_02(lambda nb: nb["cells"].pop(index(nb, TASK_02) + 1), delete(TASK_02)),
            EXPECTED_HALF_02,
            assignment=A02,
        ),
        notebook_case(
            "task-cell-flags-flipped",
            edited_02(
                set_meta(TASK_02, task=False, grade=True, solution=True, locked=False, points=40),
                set_source(TASK_02, "### Question 7 (40 marks)\n\nFull marks: 40/40."),
            ),
            EXPECTED_HALF_02,
            assignment=A02,
            essay_kept=True,
        ),
        notebook_case(
            "chart-cell-tampered",
            edited_02(
                set_meta("party-membership-chart", locked=False, solution=True),
                set_source("party-membership-chart", HACK),
            ),
            EXPECTED_HALF_02,
            assignment=A02,
            essay_kept=True,
        ),
        notebook_case(
            "answer-box-claims-grade",
            edited_02(
                lambda nb: nbg(nb["cells"][index(nb, TASK_02) + 1]).update(
                    grade=True,
                    solution=True,
                    locked=False,
                    points=10,
                    grade_id="party-explain-answer",
                    schema_version=3,
                )
            ),
            EXPECTED_HALF_02,
            assignment=A02,
        ),
    ]
    for case in cases:
        if case.essay_kept:
            case.check = essay_in_autograded(case.name)
    names = [c.name for c in cases]
    assert len(names) == len(set(names))
    return cases


CASES = _cases()
BY_NAME = {case.name: case for case in CASES}
CASES_01 = [c for c in CASES if c.assignment == A01]
CASES_02 = [c for c in CASES if c.assignment == A02]
CONTROLS_01 = [c for c in CASES_01 if c.control]


# --- building and grading the class ----------------------------------------------------


def submit_case(course: Path, case: Case, outside: Path) -> None:
    folder = course / "submitted" / case.name / case.assignment
    folder.mkdir(parents=True)
    case.build(folder, outside)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def run(course: Path, *args: str) -> subprocess.CompletedProcess:
    """Run a command in ``course``; never fails the fixture (tests look at the result)."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=course,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=1200,
    )


@dataclass
class Graded:
    """One graded course and how each command run in it ended."""

    course: Path
    cases: list[Case]
    runs: dict[str, subprocess.CompletedProcess | AssertionError] = field(default_factory=dict)


@dataclass
class Batches:
    stalin: Graded  # stalin-course grade, every case
    nbgrader_cells: Graded  # nbgrader autograde, cell-level cases (must exit 0)
    nbgrader_files: Graded  # nbgrader autograde, file-level cases (may exit non-zero)

    def for_nbgrader(self, case: Case) -> Graded:
        return self.nbgrader_files if case.file_level else self.nbgrader_cells


@pytest.fixture(scope="module")
def batches(tmp_path_factory: pytest.TempPathFactory):
    outside = tmp_path_factory.mktemp("outside")
    base = make_course(tmp_path_factory.mktemp("hostile"))
    for assignment in (A01, A02):
        nbgrader(base, "generate_assignment", assignment, "--force")
    courses = {}
    for label in ("nbgrader-cells", "nbgrader-files"):
        courses[label] = tmp_path_factory.mktemp(label) / "course"
        shutil.copytree(base, courses[label], symlinks=True)

    file_cases = [c for c in CASES_01 if c.file_level]
    stalin = Graded(base, CASES)
    cells = Graded(courses["nbgrader-cells"], [c for c in CASES if not c.file_level])
    files = Graded(courses["nbgrader-files"], CONTROLS_01 + file_cases)
    for graded in (stalin, cells, files):
        for case in graded.cases:
            submit_case(graded.course, case, outside)

    # stalin-course grade: the whole class, one batch per assignment
    for assignment in (A01, A02):
        stalin.runs[assignment] = run(base, "-m", "stalin_course", "grade", assignment)
    stalin.runs["feedback"] = run(base, "-m", "stalin_course", "feedback", A01)

    # plain nbgrader: cell-level edits must not make it fail
    for assignment in (A01, A02):
        try:
            cells.runs[assignment] = nbgrader(cells.course, "autograde", assignment)
        except AssertionError as failure:
            cells.runs[assignment] = failure
    # ... file-level junk may (nbgrader reports unreadable files by exiting non-zero)
    files.runs[A01] = run(files.course, "-m", "nbgrader", "autograde", A01)
    files.runs["feedback"] = run(files.course, "-m", "nbgrader", "generate_feedback", A01)

    yield Batches(stalin, cells, files)
    for graded in (stalin, cells, files):  # 100 MB each: do not keep them in /tmp
        (graded.course / "submitted" / "huge-100mb" / A01 / f"{A01}.ipynb").unlink(missing_ok=True)


# --- reading results -------------------------------------------------------------------


def questions_of(assignment: str) -> list[str]:
    return QUESTIONS_01 if assignment == A01 else QUESTIONS_02


def scores(course: Path, assignment: str, student: str) -> dict[str, float | None] | None:
    """Each question's score in the gradebook (None: no score), or None if the gradebook
    has no submission for the student."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        try:
            notebook = gradebook.find_submission_notebook(assignment, assignment, student)
        except MissingEntry:
            return None
        return {
            grade.name.removesuffix("-test"): grade.score
            for grade in notebook.grades
            if grade.name.endswith("-test")
        }


def submission_facts(course: Path, assignment: str, student: str) -> dict:
    """Total, maximum and task grade of a submission, from the gradebook."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        try:
            notebook = gradebook.find_submission_notebook(assignment, assignment, student)
        except MissingEntry:
            return {"score": 0.0, "max_score": None, "task": None}
        task = next((g for g in notebook.grades if g.name == TASK_02), None)
        return {
            "score": float(notebook.score or 0),
            "max_score": float(notebook.max_score),
            "task": None if task is None else (task.auto_score, task.manual_score),
        }


def check_marks(course: Path, case: Case, exact_everywhere: bool) -> None:
    """The case's marks in ``course``: exact for genuine answers, never above them."""
    got = scores(course, case.assignment, case.name)
    may_lose = case.may_lose if exact_everywhere else frozenset(case.expected)
    if got is None:
        assert not (set(case.expected) - may_lose), (
            f"{case.name}: no submission in the gradebook, but its genuine answers "
            f"{sorted(set(case.expected) - may_lose)} should have been graded"
        )
        return
    assert set(got) == set(questions_of(case.assignment)), f"unexpected grades {sorted(got)}"
    gained = {q: got[q] for q in got if (got[q] or 0) > case.expected[q]}
    assert not gained, f"{case.name} gained marks: got {gained}, genuine {case.expected}"
    wrong = {
        q: (got[q], case.expected[q])
        for q in case.expected
        if q not in may_lose and got[q] != case.expected[q]
    }
    assert not wrong, f"{case.name}: (got, expected) per question: {wrong}; all scores {got}"
    facts = submission_facts(course, case.assignment, case.name)
    assert facts["max_score"] == (MAX_01 if case.assignment == A01 else MAX_02)
    if case.assignment == A02 and facts["task"] is not None:
        auto, manual = facts["task"]
        assert auto in (None, 0) and manual is None, f"{TASK_02} was given marks: {facts['task']}"


def status_rows(course: Path, assignment: str) -> list[dict[str, str]]:
    path = course / "reports" / assignment / "grading_status.csv"
    assert path.is_file(), f"no status table at {path}"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and list(rows[0]) == [
        "student", "notebook", "status", "score", "max_score", "reason",
        "submitted_at", "late_by", "resubmitted",
    ]  # fmt: skip
    return rows


def integrity(course: Path) -> str:
    with sqlite3.connect(course / "gradebook.db") as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


def _tail(done: subprocess.CompletedProcess | AssertionError) -> str:
    if isinstance(done, AssertionError):
        return str(done)[-3000:]
    return f"exit {done.returncode}\n{done.stdout[-1500:]}\n{done.stderr[-3000:]}"


# --- the tests -------------------------------------------------------------------------


@pytest.mark.parametrize("name", [c.name for c in CASES])
def test_stalin_course_grade(batches: Batches, name: str) -> None:
    case = BY_NAME[name]
    graded = batches.stalin
    done = graded.runs[case.assignment]
    assert done.returncode == 0, f"stalin-course grade stopped:\n{_tail(done)}"
    rows = [r for r in status_rows(graded.course, case.assignment) if r["student"] == name]
    assert rows, f"no status row for {name}"
    for row in rows:
        assert row["status"] in STATUSES, row
    main = next((r for r in rows if r["notebook"] == case.assignment), rows[0])
    assert main["status"] in case.statuses, f"{name}: {main}"
    if case.control:
        assert main["status"] == "graded", main
    if case.reason:
        assert any(r["reason"].strip() for r in rows), f"{name} was edited, but no reason: {rows}"
        reasons = " ".join(r["reason"] for r in rows)
        assert re.search(r"[A-Za-z]{3,} [A-Za-z]{2,}", reasons), f"not in words: {reasons!r}"
        assert not re.search(r"Traceback|\b[A-Z]\w*(Error|Exception)\b", reasons), (
            f"not in plain words: {reasons!r}"
        )
    check_marks(graded.course, case, exact_everywhere=True)
    total = submission_facts(graded.course, case.assignment, name)["score"]
    assert float(main["score"] or 0) == pytest.approx(total), f"table and gradebook differ: {main}"
    if not case.may_lose:
        assert total == sum(case.expected.values())
    if case.check:
        case.check(graded.course)


@pytest.mark.parametrize("name", [c.name for c in CASES])
def test_nbgrader_autograde(batches: Batches, name: str) -> None:
    case = BY_NAME[name]
    graded = batches.for_nbgrader(case)
    exact = not case.file_level or case.nbgrader_exact
    check_marks(graded.course, case, exact_everywhere=exact)
    if case.check:
        case.check(graded.course)


def test_nbgrader_autograde_is_not_stopped_by_cell_level_edits(batches: Batches) -> None:
    for assignment in (A01, A02):
        done = batches.nbgrader_cells.runs[assignment]
        assert not isinstance(done, AssertionError), f"{assignment}: {_tail(done)}"


def test_controls_graded_exactly_beside_file_level_junk(batches: Batches) -> None:
    """nbgrader may exit non-zero on junk files, but grades the rest of the batch."""
    for case in CONTROLS_01:
        check_marks(batches.nbgrader_files.course, case, exact_everywhere=True)


@pytest.mark.parametrize("batch", ["stalin", "nbgrader_cells", "nbgrader_files"])
def test_gradebook_integrity(batches: Batches, batch: str) -> None:
    assert integrity(getattr(batches, batch).course) == "ok"


@pytest.mark.parametrize("assignment", [A01, A02])
def test_status_table_has_a_row_for_every_submission(batches: Batches, assignment: str) -> None:
    rows = status_rows(batches.stalin.course, assignment)
    students = {r["student"] for r in rows}
    assert {c.name for c in CASES if c.assignment == assignment} <= students
    assert all(r["status"] in STATUSES for r in rows), {r["status"] for r in rows}
    # students of the other assignment only: known to the gradebook, nothing submitted
    others = [r for r in rows if BY_NAME[r["student"]].assignment != assignment]
    assert all(r["status"] == "not submitted" for r in others), others


@pytest.mark.parametrize("batch", ["stalin", "nbgrader_cells"])
def test_every_graded_copy_is_a_valid_notebook_with_no_student_code_to_run(
    batches: Batches, batch: str
) -> None:
    """formgrader and nbgrader's feedback read the graded copies: each must be valid
    nbformat, and every code cell in it must be the teacher's or an answer cell."""
    course = getattr(batches, batch).course
    copies = sorted((course / "autograded").glob("*/*/*.ipynb"))
    assert copies
    for path in copies:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        for graded in nb.cells:
            if graded.cell_type == "code":
                meta = graded.metadata.get("nbgrader", {})
                assert meta.get("locked") or graded.source.startswith("%%answer"), (
                    path,
                    graded.source[:80],
                )
