"""The practice papers' marks reach the student: each question's mark and the teacher's
comment, and the paper's total out of 40, from the gradebook (formgrader's marks), for
both papers a teacher sets."""

from __future__ import annotations

import html
import re
from typing import NamedTuple

import nbformat
import pytest
from conftest import make_course, nbgrader, run_course
from nbgrader.api import Gradebook

from stalin_course.exam import load_papers

pytestmark = pytest.mark.slow

#: the teacher's mark and comment for Questions 1–6, as entered in formgrader
GIVEN = [
    (3, "Level 2: you explain how the two differ, with content from both."),
    (2, "Level 1: say who wrote each one and why that shaped the view."),
    (5, "Level 2: a good argument; weigh Interpretation B against your own knowledge."),
    (4, "Level 2: two features, each with detail."),
    (6, "Level 3: two ways explained; link them to the consequence."),
    (7, "Level 3: add a judgement on which reason mattered most."),
]
PAPERS = [p for p in load_papers().values() if p.assignment]


class Returned(NamedTuple):
    """A returned feedback page as plain text, and the marks it should show by question."""

    page: str
    marked: dict[str, tuple[int, str]]


@pytest.fixture(scope="module", params=PAPERS, ids=lambda p: p.assignment)
def returned(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Returned:
    name = request.param.assignment
    marked = dict(zip([q.id for q in request.param.questions], GIVEN, strict=True))
    course = make_course(tmp_path_factory.mktemp("exam"))
    nbgrader(course, "generate_assignment", name, "--force")
    nb = nbformat.read(course / "release" / name / f"{name}.ipynb", as_version=4)
    for index, cell in enumerate(nb.cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in marked:
            nb.cells[index + 1].source = f"My answer to {grade_id}: Stalin used the Party."
    folder = course / "submitted" / "sam" / name
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{name}.ipynb")
    run_course(course, "grade", name)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for question, (mark, comment) in marked.items():
            gradebook.find_grade(question, name, name, "sam").manual_score = mark
            gradebook.find_comment(question, name, name, "sam").manual_comment = comment
        gradebook.db.commit()
    run_course(course, "feedback", name)
    text = (course / "feedback" / "sam" / name / f"{name}.html").read_text(encoding="utf-8")
    return Returned(" ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split()), marked)


def test_the_paper_total_is_out_of_40(returned: Returned) -> None:
    assert f"Total: {sum(m for m, _ in returned.marked.values())} out of 40." in returned.page


@pytest.mark.parametrize("number", range(6))
def test_each_question_has_its_mark_comment_and_answer(returned: Returned, number: int) -> None:
    question = list(returned.marked)[number]
    mark, comment = returned.marked[question]
    part = returned.page.split(f"My answer to {question}:")[1].split("My answer to")[0]
    assert re.match(rf"\s*Stalin used the Party\. {mark} out of \d+ \(your teacher's mark\)", part)
    assert comment in part


def test_no_mark_scheme_reaches_the_student(returned: Returned) -> None:
    for secret in ("MARK SCHEME", "Indicative content", "Level 4 (10", "Level 3 (7"):
        assert secret not in returned.page
