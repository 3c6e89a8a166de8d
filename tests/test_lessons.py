"""What every lesson shares: the skeleton, commit-ready cells, its quiz and answer cells."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT

from stalin_course import lessons, widgets
from stalin_course.bank import code_for, load_bank

LESSONS = [ROOT / "notebooks" / f"{lesson.notebook}.ipynb" for lesson in lessons.LESSONS]
#: The topic lessons: those with their own charts and widgets (not the start page or the exam)
TEACHING = [
    ROOT / "notebooks" / f"{lesson.notebook}.ipynb"
    for lesson in lessons.LESSONS
    if lesson.has_module
]
SKELETON = ("learning objectives", "key terms", "summary", "where these facts come from")


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _code(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def _flat(text: str) -> str:
    return " ".join(text.lower().split())


def _markdown(nb: nbformat.NotebookNode) -> str:
    return "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_is_commit_ready(path: Path) -> None:
    nb = _read(path)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    code = _code(nb)
    assert code[0].source.startswith("from stalin_course import answers, charts, widgets")
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None
        assert len(cell.source.splitlines()) <= 3, "notebooks call the package; no logic here"


@pytest.mark.parametrize("path", TEACHING, ids=lambda p: p.stem)
def test_lesson_follows_the_skeleton(path: Path) -> None:
    headings = [
        line.lstrip("#").strip().lower()
        for line in _markdown(_read(path)).splitlines()
        if line.startswith("#")
    ]
    for part in SKELETON:
        assert any(part in heading for heading in headings), part


def _quizzes(nb: nbformat.NotebookNode) -> list[str]:
    return re.findall(r'widgets\.quiz\("([a-z_]+)"', "\n".join(c.source for c in _code(nb)))


@pytest.mark.parametrize("path", TEACHING, ids=lambda p: p.stem)
def test_quiz_gives_instant_feedback_and_a_static_fallback(path: Path) -> None:
    nb = _read(path)
    sections = _quizzes(nb)
    assert sections, "every lesson ends with a self-check quiz"
    for section in sections:
        quiz = widgets.quiz(section)
        assert 6 <= len(quiz.items) <= 8
        for number, item in enumerate(quiz.items, start=1):
            question = item.question
            wrong = next(o for o in question.options if o != question.answer)
            hint = quiz.answer(number, wrong)
            assert hint.startswith("Not quite") and question.answer not in hint
            assert quiz.answer(number, question.answer).startswith("Correct!")
        # where widgets cannot run, the same quiz is in the text, answers behind a click
        assert widgets.quiz_markdown(section).strip() in _markdown(nb)
        assert "<details><summary>Show the answers</summary>" in _markdown(nb)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_answer_cells_ask_the_banks_question(path: Path) -> None:
    nb = _read(path)
    bank = load_bank().questions
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and cell.source.startswith("%%answer "):
            question_id = load_bank().resolve(cell.source.split()[1])
            assert question_id in bank, cell.source
            code = code_for(question_id)
            assert cell.source.split()[1] == code, "students see the code, not the ID"
            before = " ".join(c.source for c in nb.cells[max(0, index - 3) : index])
            assert _flat(bank[question_id].text) in _flat(before), question_id
            after = " ".join(c.source for c in nb.cells[index + 1 : index + 3])
            assert f'answers.feedback("{code}")' in after, question_id
