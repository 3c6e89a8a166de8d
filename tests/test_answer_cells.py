"""The answer cell in a real kernel: nothing a student types stops later cells running."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from conftest import execute, text_of
from nbformat.v4 import new_code_cell, new_notebook

from stalin_course.answers import MISSING_HEADER, _looks_like_plain_text

ODD_CELLS = {
    "header deleted, one word": "Trotsky",
    "header deleted, a sentence": "It was the General Secretary, I think.",
    "header deleted, a year": "1929",
    "header deleted, names": "Zinoviev and Kamenev",
    "header deleted, apostrophe": "Stalin's job",
    "empty answer": "%%answer power-gensec\n",
    "placeholder kept": "%%answer power-gensec\nType your answer here",
    "no question ID": "%%answer\nTrotsky",
    "unknown question ID": "%%answer power-nonsense\nTrotsky",
    "brackets and symbols": "%%answer power-trotsky\n)))((( ' \" \\ {}",
    "emoji and accents": "%%answer power-trotsky\nTrotskí 🙂",
    "python in an answer": "%%answer power-trotsky\nimport os; os._exit(1)",
    "very long": "%%answer power-trotsky\n" + "Trotsky " * 5000,
}


@pytest.mark.slow
def test_odd_cells_never_raise(tmp_path: Path) -> None:
    cells = [new_code_cell("from stalin_course import answers\nanswers.start()")]
    cells += [new_code_cell(source) for source in ODD_CELLS.values()]
    cells += [
        new_code_cell('answers.feedback("power-gensec")'),
        new_code_cell("print('still running')"),
    ]
    path = tmp_path / "odd.ipynb"
    nbformat.write(new_notebook(cells=cells), path)
    nb = execute(path)
    for cell in nb.cells:
        assert all(o["output_type"] != "error" for o in cell.outputs), cell.source[:60]
        assert all(o.get("name") != "stderr" for o in cell.outputs), cell.source[:60]
    shown = {name: text_of(cell) for name, cell in zip(ODD_CELLS, nb.cells[1:], strict=False)}
    for name in [n for n in ODD_CELLS if n.startswith("header deleted")] + ["no question ID"]:
        assert MISSING_HEADER in shown[name], name
    assert "not answered yet" in shown["empty answer"].lower()
    assert "not answered yet" in shown["placeholder kept"].lower()
    assert "no question called 'power-nonsense'" in shown["unknown question ID"]
    assert "Saved your answer" in shown["python in an answer"]
    assert "not answered yet" in text_of(nb.cells[-2]).lower()
    assert text_of(nb.cells[-1]) == "still running\n"


@pytest.mark.parametrize(
    ("source", "plain"),
    [
        ("Trotsky", True),
        ("It was Trotsky", True),
        ("1929", True),
        ("Zinoviev and Kamenev", True),
        ("charts.politburo_timeline()", False),
        ("x = 1", False),
        ("print", False),
        ("answers", False),
    ],
)
def test_plain_text_is_told_apart_from_code(source: str, plain: bool) -> None:
    assert _looks_like_plain_text(source, {"answers": object()}) is plain
