"""Mark a rebuilt notebook without a kernel: answers are text, check cells are data.

A check cell of this course is a few calls such as ``answers.feedback("q-e1111")`` and
``answers.marks("power-gensec")``. Such a cell needs no Python to be run: its calls are
read from the teacher's source (never the student's file) and answered here, from the
notebook's answer cells, with the same :class:`~stalin_course.answers.AnswerSheet` a
kernel uses. Each cell then gets the outputs a kernel would have given it (the printed
feedback, and the points as the cell's result), so nbgrader's own ``SaveAutoGrades``,
formgrader and feedback read them as usual. A notebook with any other kind of check
cell (:func:`needs_kernel`) is run on a kernel instead.

>>> text_checks('answers.feedback("q-e1111")\\n### BEGIN HIDDEN TESTS\\nanswers.marks("power-gensec")')
(('feedback', 'q-e1111'), ('marks', 'power-gensec'))
>>> text_checks("import os") is None
True
"""

from __future__ import annotations

import ast
from functools import lru_cache

from nbformat import NotebookNode, from_dict

from .answers import AnswerCell, AnswerSheet, parse_cell
from .cells import nbgrader_meta

__all__ = ["mark", "needs_kernel", "review_cells", "text_checks"]

_CALLS = ("feedback", "later", "marks")


@lru_cache(maxsize=4096)
def text_checks(source: str) -> tuple[tuple[str, str], ...] | None:
    """A check cell's calls, as (function, question) pairs, if the cell is nothing but
    ``answers.feedback/later/marks("...")`` lines; None if it holds any other code."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    calls = []
    for statement in tree.body:
        call = statement.value if isinstance(statement, ast.Expr) else None
        if not (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Name)
            and call.func.value.id == "answers"
            and call.func.attr in _CALLS
            and len(call.args) == 1
            and not call.keywords
            and isinstance(call.args[0], ast.Constant)
            and isinstance(call.args[0].value, str)
        ):
            return None
        calls.append((call.func.attr, call.args[0].value))
    return tuple(calls)


def _is_check(cell: NotebookNode) -> bool:
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and bool(meta.get("locked"))


def _is_answer(cell: NotebookNode) -> bool:
    return cell.cell_type == "code" and bool(nbgrader_meta(cell).get("solution"))


def needs_kernel(nb: NotebookNode) -> bool:
    """Whether any answer or check cell of this (rebuilt) notebook is real code."""
    for cell in nb.cells:
        if _is_answer(cell) and parse_cell(cell.source) is None:
            return True
        if _is_check(cell) and text_checks(cell.source) is None:
            return True
    return False


def _stream(text: str) -> NotebookNode:
    return from_dict({"output_type": "stream", "name": "stdout", "text": text})


def _sheet(nb: NotebookNode) -> AnswerSheet:
    """The answers recorded by a (rebuilt) notebook's answer cells, in order."""
    sheet = AnswerSheet()
    for cell in nb.cells:
        if cell.cell_type == "code" and _is_answer(cell):
            answer = AnswerCell.read(cell.source)
            sheet.record(answer.name, answer.answer)
    return sheet


def review_cells(nb: NotebookNode) -> list[str]:
    """The ``grade_id`` of every check cell whose points come from an answer the checker
    could read two ways (status ``review``): the teacher is asked to confirm these."""
    sheet = _sheet(nb)
    flagged = []
    for cell in nb.cells:
        if not _is_check(cell):
            continue
        for function, question in text_checks(cell.source) or ():
            if function == "marks" and sheet.status(question) == "review":
                flagged.append(nbgrader_meta(cell).get("grade_id", ""))
                break
    return [grade_id for grade_id in flagged if grade_id]


def mark(nb: NotebookNode) -> NotebookNode:
    """Give every answer and check cell the outputs a kernel run would give it."""
    sheet = AnswerSheet()
    count = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        count += 1
        cell.execution_count = count
        cell.outputs = []
        if _is_answer(cell):
            answer = AnswerCell.read(cell.source)
            cell.outputs.append(_stream(sheet.record(answer.name, answer.answer) + "\n"))
        elif _is_check(cell):
            printed, result = [], None
            for function, question in text_checks(cell.source) or ():
                try:
                    value = getattr(sheet, function)(question)
                except Exception as error:  # an unknown question: as a kernel reports it
                    cell.outputs.append(
                        from_dict(
                            {
                                "output_type": "error",
                                "ename": type(error).__name__,
                                "evalue": str(error),
                                "traceback": [],
                            }
                        )
                    )
                    result = None
                    break
                if function == "marks":
                    result = value
                else:
                    printed.append(value)
                    result = None
            if printed:
                cell.outputs.insert(0, _stream("".join(f"{line}\n" for line in printed)))
            if result is not None:
                cell.outputs.append(
                    from_dict(
                        {
                            "output_type": "execute_result",
                            "execution_count": count,
                            "data": {"text/plain": repr(result)},
                            "metadata": {},
                        }
                    )
                )
    return nb
