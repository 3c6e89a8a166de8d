"""nbgrader hooks that make autograding safe for plain-text answer cells."""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode

__all__ = ["SecureAnswerCells", "secure_notebook"]

ADDED_CELL_NOTE = "# Cell added by the student; not run during grading.\n"


def _is_answer_cell(cell: NotebookNode) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.cell_type == "code" and meta.get("solution", False) and "grade_id" in meta


def secure_source(grade_id: str, source: str) -> str:
    """The answer cell's source with its header forced to ``%%answer <grade_id>``.

    >>> secure_source("power-trotsky", "%%answer power-nep\\nTrotsky")
    '%%answer power-trotsky\\nTrotsky'
    >>> secure_source("power-trotsky", "import os")
    '%%answer power-trotsky\\nimport os'
    """
    body = source.lstrip("\n")
    if body.startswith("%%answer"):
        body = body.split("\n", 1)[1] if "\n" in body else ""
    return f"%%answer {grade_id}\n{body}"


def secure_notebook(nb: NotebookNode) -> NotebookNode:
    """Make every answer cell plain text and turn cells a student added into raw cells."""
    for index, cell in enumerate(nb.cells):
        if _is_answer_cell(cell):
            cell.source = secure_source(cell.metadata.nbgrader["grade_id"], cell.source)
        elif cell.cell_type == "code" and "nbgrader" not in cell.get("metadata", {}):
            nb.cells[index] = NotebookNode(
                cell_type="raw",
                id=cell.get("id", f"added-{index}"),
                metadata={},
                source=ADDED_CELL_NOTE + cell.source,
            )
    return nb


class SecureAnswerCells(Preprocessor):
    """nbgrader sanitize step: answer text is never executed as Python during grading."""

    enabled = True  # nbconvert skips preprocessors that are not enabled

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        return secure_notebook(nb), resources
