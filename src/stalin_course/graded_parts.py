"""The marked parts of a graded notebook, read as text: each question's prompt (as
students saw it, without its mark scheme), the student's answer and where its mark is.

Feedback pages, the class report, the export of marks and the check for answers that
changed after the teacher marked them all read a graded notebook through
:func:`marked_parts`.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass

import nbformat
from nbgrader.preprocessors import ClearMarkScheme

from .answers import AnswerCell
from .cells import grade_id_of, has_nbgrader_meta, nbgrader_meta
from .checking import is_unanswered
from .restore import ADDED_CELL_NOTE, shown_text

__all__ = ["Part", "fingerprints", "marked_parts"]


def _question_text(cell: nbformat.NotebookNode) -> str:
    """A teacher's question cell as students saw it: without its mark scheme."""
    shown = copy.deepcopy(cell)
    ClearMarkScheme(enforce_metadata=False)._remove_mark_scheme_region(shown)
    return shown.source.strip()


def _written_answer(nb: nbformat.NotebookNode, index: int) -> str:
    """The student's text under a task: the answer box and any cells they added, up to
    the next cell of the assignment."""
    parts = []
    for cell in nb.cells[index + 1 :]:
        if has_nbgrader_meta(cell) and nbgrader_meta(cell):
            break
        text = shown_text(cell.source).removeprefix(ADDED_CELL_NOTE).strip()
        if text and not is_unanswered(text):
            parts.append(text)
    return "\n\n".join(parts)


@dataclass(frozen=True)
class Part:
    """One marked part of a notebook, as the notebook itself shows it."""

    question_id: str
    #: the gradebook's grade cell: the check cell for an auto-checked answer
    grade_name: str
    prompt: str
    answer: str
    #: the check cell (auto-checked answers only)
    test: nbformat.NotebookNode | None
    #: marked by the teacher (a task or written answer), not by the checker
    hand_marked: bool
    points: float


def marked_parts(nb: nbformat.NotebookNode) -> list[Part]:
    """Every marked part of a graded notebook in order, with the student's answer as
    text: auto-checked answers, written answers and tasks."""
    cells = {grade_id_of(cell): cell for cell in nb.cells}
    parts = []
    for index, cell in enumerate(nb.cells):
        meta, grade_id = nbgrader_meta(cell), grade_id_of(cell)
        if grade_id is None:
            continue
        if meta.get("task"):
            parts.append(
                Part(
                    grade_id, grade_id, _question_text(cell), _written_answer(nb, index),
                    None, True, float(meta.get("points", 0) or 0),
                )
            )  # fmt: skip
            continue
        if not (meta.get("solution") and (cell.cell_type == "code" or meta.get("grade"))):
            continue
        test = cells.get(f"{grade_id}-test") if cell.cell_type == "code" else None
        grade_cell = test if test is not None else cell
        prompt = next(  # the teacher's question: a locked cell, never a student's text
            (
                _question_text(c)
                for c in reversed(nb.cells[:index])
                if c.cell_type == "markdown" and nbgrader_meta(c).get("locked")
            ),
            "",
        )
        answer = (
            AnswerCell.read(cell.source).answer
            if cell.cell_type == "code"
            else shown_text(cell.source)
        )
        parts.append(
            Part(
                grade_id, grade_id_of(grade_cell) or grade_id, prompt,
                "" if is_unanswered(answer) else answer.strip(), test,
                test is None, float(nbgrader_meta(grade_cell).get("points", 0) or 0),
            )
        )  # fmt: skip
    return parts


def fingerprints(nb: nbformat.NotebookNode) -> dict[str, str]:
    """A short hash of each marked part's answer, by its grade cell's name."""
    return {
        part.grade_name: hashlib.sha256(part.answer.encode("utf-8")).hexdigest()[:16]
        for part in marked_parts(nb)
    }
