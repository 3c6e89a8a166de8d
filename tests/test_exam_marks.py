"""The practice paper's marks reach the student: each question's mark and the teacher's
comment, and the paper's total out of 40, from the gradebook (formgrader's marks)."""

from __future__ import annotations

import html
import re

import nbformat
import pytest
from conftest import make_course, nbgrader, run_course
from nbgrader.api import Gradebook

pytestmark = pytest.mark.slow

A = "10_exam_practice"
#: question -> (the teacher's mark, their comment), as entered in formgrader
MARKED = {
    "exam-q1": (3, "Level 2: you explain how the two differ, with content from both."),
    "exam-q2": (2, "Level 1: say who Trotsky was and why that shaped his view."),
    "exam-q3": (5, "Level 2: a good argument; weigh Interpretation B against your own knowledge."),
    "exam-q4": (4, "Level 2: two features, each with detail."),
    "exam-q5": (6, "Level 3: two ways explained; link them to the consequence."),
    "exam-q6": (7, "Level 3: add a judgement on which reason mattered most."),
}


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    course = make_course(tmp_path_factory.mktemp("exam"))
    nbgrader(course, "generate_assignment", A, "--force")
    nb = nbformat.read(course / "release" / A / f"{A}.ipynb", as_version=4)
    for index, cell in enumerate(nb.cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in MARKED:
            nb.cells[index + 1].source = f"My answer to {grade_id}: Stalin used the Party."
    folder = course / "submitted" / "sam" / A
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{A}.ipynb")
    run_course(course, "grade", A)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for question, (mark, comment) in MARKED.items():
            gradebook.find_grade(question, A, A, "sam").manual_score = mark
            gradebook.find_comment(question, A, A, "sam").manual_comment = comment
        gradebook.db.commit()
    run_course(course, "feedback", A)
    text = (course / "feedback" / "sam" / A / f"{A}.html").read_text(encoding="utf-8")
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def test_the_paper_total_is_out_of_40(page: str) -> None:
    assert f"Total: {sum(m for m, _ in MARKED.values())} out of 40." in page


@pytest.mark.parametrize("question", sorted(MARKED))
def test_each_question_has_its_mark_comment_and_answer(page: str, question: str) -> None:
    mark, comment = MARKED[question]
    part = page.split(f"My answer to {question}:")[1].split("My answer to")[0]
    assert re.match(rf"\s*Stalin used the Party\. {mark} out of \d+ \(your teacher's mark\)", part)
    assert comment in part


def test_no_mark_scheme_reaches_the_student(page: str) -> None:
    for secret in ("MARK SCHEME", "Indicative content", "Level 4 (10", "Level 3 (7"):
        assert secret not in page
