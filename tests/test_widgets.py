"""Tests for stalin_course.widgets: quiz feedback, the explorer and the lesson notebooks."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from stalin_course import widgets
from stalin_course.widgets import kit

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


@pytest.fixture(scope="module")
def questions() -> list[widgets.QuizQuestion]:
    return widgets.load_quiz("power_struggle")


def test_quiz_file_is_well_formed(questions: list[widgets.QuizQuestion]) -> None:
    assert 6 <= len(questions) <= 8
    for question in questions:
        assert question.answer in question.options
        assert question.answer not in question.hint, "a hint must not give the answer away"


def test_feedback_right_and_wrong(questions: list[widgets.QuizQuestion]) -> None:
    for question in questions:
        right = question.feedback(question.answer)
        assert right.startswith("Correct!") and question.explanation in right
        for option in question.options:
            if option != question.answer:
                wrong = question.feedback(option)
                assert wrong.startswith("Not quite") and question.hint in wrong
                assert question.answer not in wrong


def test_quiz_widget_driven_from_python(questions: list[widgets.QuizQuestion]) -> None:
    quiz = widgets.quiz("power_struggle")
    assert len(quiz.items) == len(questions)
    item = quiz.items[0]
    assert item.choice.description == "Question 1"
    assert item.check_button.description == "Check"
    item.check_button.click()
    assert "Choose one of the answers first" in item.feedback.value
    wrong = next(o for o in questions[0].options if o != questions[0].answer)
    item.choice.value = wrong
    item.check_button.click()
    assert "Not quite" in item.feedback.value and 'role="status"' in item.feedback.value
    assert "0 of" in quiz.score.value
    assert quiz.answer(1, questions[0].answer).startswith("Correct!")
    assert "Correct!" in item.feedback.value
    assert f"1 of {len(questions)}" in quiz.score.value


def test_bad_quiz_content_is_rejected() -> None:
    with pytest.raises(widgets.QuizError, match="not one of the options"):
        kit._question(
            {
                "id": "x",
                "question": "Q?",
                "options": ["a", "b"],
                "answer": "c",
                "hint": "h",
                "explanation": "e",
            },
            "test",
        )
    with pytest.raises(widgets.QuizError, match="no quiz file"):
        widgets.load_quiz("no_such_section")


def _fallback_cell(notebook: nbformat.NotebookNode) -> str:
    cells = [c.source for c in notebook.cells if c.cell_type == "markdown"]
    (cell,) = [c for c in cells if "<summary>Show the answers</summary>" in c]
    return cell


def test_static_quiz_fallback_matches_the_quiz_file(
    questions: list[widgets.QuizQuestion],
) -> None:
    notebook = nbformat.read(NOTEBOOKS / "01_power_struggle.ipynb", as_version=4)
    cell = _fallback_cell(notebook)
    listed, answers = cell.split("<details>")
    assert re.findall(r"^\d+\. \*\*(.+?)\*\*$", listed, re.M) == [q.question for q in questions]
    for question in questions:
        assert all(f"   - {option}" in listed for option in question.options)
    assert re.findall(r"^\d+\. \*\*(.+?)\*\*", answers, re.M) == [q.answer for q in questions]
    assert "</details>" in answers


def test_notebooks_are_commit_ready() -> None:
    for path in sorted(NOTEBOOKS.glob("0[01]_*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        assert notebook.metadata.kernelspec.name == "python3"
        assert notebook.metadata.kernelspec.display_name == "Python 3 (ipykernel)"
        for cell in notebook.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, path.name
                assert len(cell.source.splitlines()) <= 5, "notebook code must stay short"


def test_widgets_have_a_static_picture() -> None:
    """Where widgets cannot run (a static viewer), a widget shows its chart and text."""
    bundle = widgets.explore_politburo(year=1927)._repr_mimebundle_()
    page = bundle["text/html"]
    assert "<img" in page and "1927" in page
    assert "open the notebook in JupyterLab" in page
    quiz_page = widgets.quiz("power_struggle")._repr_mimebundle_()["text/html"]
    assert "When did Lenin die" in quiz_page and "January 1924" in quiz_page  # an option
