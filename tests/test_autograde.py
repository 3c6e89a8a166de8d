"""End to end through the real nbgrader CLI: students' copies autograded, gradebook scores exact."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, assignment_totals, make_course, nbgrader, question_scores

from stalin_course.bank import code_for
from stalin_course.checking import PLACEHOLDER

pytestmark = pytest.mark.slow

ASSIGNMENT = "01_power_struggle"
RELEASED = ROOT / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"

ALL_CORRECT = {
    "power-lenin-death": "He died in January 1924",
    "power-gensec": "general secretary",
    "power-trotsky": "It was Trotskii.",
    "power-trotsky-idea": "permanent revolution",
    "power-sioc": "Socialism in one country",
    "power-triumvirate": "Kamenev & Zinovyev",
    "power-right": "Nikolai Bukharin",
    "power-nep": "NEP",
    "power-year-control": "I think 1929",
    "power-order": "B, C, D, A",
}
ALL_WRONG = {
    "power-lenin-death": "1934",
    "power-gensec": "Commissar for War",
    "power-trotsky": "Zinoviev",
    "power-trotsky-idea": "Socialism in One Country",
    "power-sioc": "Permanent Revolution",
    "power-triumvirate": "Bukharin and Rykov",
    "power-right": "Trotsky",
    "power-nep": "War Communism",
    "power-year-control": "1928",
    "power-order": "A B C D",
}
MIXED = {
    "power-lenin-death": "1924",
    "power-gensec": PLACEHOLDER,
    "power-trotsky": "Trotsky or Zinoviev",
    "power-trotsky-idea": "",
    "power-sioc": "socialism in one country",
    "power-triumvirate": "Zinoviev",
    "power-right": "Bukharin",
    "power-nep": "five year plan",
    "power-year-control": "1929",
    "power-order": "BCDA",
}
POINTS = {"power-triumvirate": 2}
EXPECTED_MIXED = {
    "power-lenin-death": 1, "power-gensec": 0, "power-trotsky": 0, "power-trotsky-idea": 0,
    "power-sioc": 1, "power-triumvirate": 1, "power-right": 1, "power-nep": 0,
    "power-year-control": 1, "power-order": 1,
}  # fmt: skip


def student_copy(answers: dict[str, str], course: Path | None = None) -> nbformat.NotebookNode:
    """The released notebook (the course's, or the repository's) with each answer cell's
    placeholder replaced."""
    released = course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb" if course else RELEASED
    nb = nbformat.read(released, as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            assert cell.source == f"%%answer {code_for(grade_id)}\n{PLACEHOLDER}"
            cell.source = f"%%answer {code_for(grade_id)}\n{answers[grade_id]}"
    return nb


def submit(course: Path, student: str, nb: nbformat.NotebookNode) -> None:
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{ASSIGNMENT}.ipynb")


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A course where four students' copies have been autograded by nbgrader."""
    course = make_course(tmp_path_factory.mktemp("autograde"))
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    submit(course, "alice", student_copy(ALL_CORRECT))
    submit(course, "bob", student_copy(ALL_WRONG))
    submit(course, "carol", student_copy(MIXED))
    submit(course, "mallory", tampered_copy())
    nbgrader(course, "autograde", ASSIGNMENT)
    return course


def tampered_copy() -> nbformat.NotebookNode:
    """A copy that tries to gain marks without knowing the answers."""
    nb = student_copy({"power-trotsky": "Bukharin", "power-nep": "NEP"})
    by_id = {cell.metadata.get("nbgrader", {}).get("grade_id"): cell for cell in nb.cells}
    # 1. header deleted and Python written instead, patching the checker
    by_id["power-gensec"].source = (
        "from stalin_course import answers, checking\n"
        "answers.marks = lambda q: 99\nchecking.check = lambda q, a: None"
    )
    # 2. header changed to another question's ID, to overwrite its recorded answer
    by_id["power-lenin-death"].source = f"%%answer {code_for('power-trotsky')}\nTrotsky"
    # 3. a code cell added after the set-up cell, patching the checker
    setup = nb.cells.index(by_id["setup"])
    nb.cells.insert(setup + 1, nbformat.v4.new_code_cell(
        "import stalin_course.answers as a\na.marks = lambda q: 1.0"
    ))  # fmt: skip
    # 4. a test cell deleted (nbgrader puts it back), its question answered correctly
    nb.cells.remove(by_id["power-nep-test"])
    return nb


def test_all_correct_scores_full_marks(graded: Path) -> None:
    assert question_scores(graded, ASSIGNMENT, "alice") == {
        q: POINTS.get(q, 1) for q in ALL_CORRECT
    }


def test_all_wrong_scores_nothing(graded: Path) -> None:
    assert question_scores(graded, ASSIGNMENT, "bob") == {q: 0 for q in ALL_WRONG}


def test_mixed_scores_each_question_exactly(graded: Path) -> None:
    assert question_scores(graded, ASSIGNMENT, "carol") == EXPECTED_MIXED


def test_tampering_gains_nothing(graded: Path) -> None:
    result = question_scores(graded, ASSIGNMENT, "mallory")
    assert result["power-gensec"] == 0  # patching code in an answer cell is just text
    assert result["power-lenin-death"] == 0  # a changed header answers its own question
    assert result["power-trotsky"] == 0  # ... and does not overwrite another's answer
    assert result["power-nep"] == 1  # the deleted test cell was restored and run
    assert sum(result.values()) == 1


def test_gradebook_totals(graded: Path) -> None:
    assert assignment_totals(graded, ASSIGNMENT) == {
        "alice": 11,
        "bob": 0,
        "carol": 6,
        "mallory": 1,
    }


def test_autograded_copy_keeps_the_students_text(graded: Path) -> None:
    nb = nbformat.read(
        graded / "autograded" / "carol" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4
    )
    sources = [c.source for c in nb.cells]
    assert f"%%answer {code_for('power-trotsky')}\nTrotsky or Zinoviev" in sources
