"""The answer cell: its text format (read and written in one place), and, in a real
kernel, nothing a student types stops later cells running."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from conftest import execute, text_of
from nbformat.v4 import new_code_cell, new_notebook

from stalin_course.answers import (
    MISSING_HEADER,
    AnswerCell,
    _guard,
    _looks_like_plain_text,
    parse_cell,
)
from stalin_course.bank import code_for
from stalin_course.marking import mark, needs_kernel

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


# --- the format: parse_cell and AnswerCell -----------------------------------------

HEADERS = {
    # what the cell's text is: (the name in its header, the body), or None for no header
    "plain": ("%%answer q-e1111\nTrotsky", ("q-e1111", "Trotsky")),
    "question ID, not code": ("%%answer power-gensec\nTrotsky", ("power-gensec", "Trotsky")),
    "spaces round the name": ("%%answer   q-e1111 \t \nTrotsky", ("q-e1111", "Trotsky")),
    "no space before the name": ("%%answerq-e1111\nTrotsky", ("q-e1111", "Trotsky")),
    "Windows line ends": ("%%answer q-e1111\r\nTrotsky\r\n", ("q-e1111", "Trotsky\r\n")),
    "blank lines above": ("\n\n%%answer q-e1111\nTrotsky", ("q-e1111", "Trotsky")),
    "body kept as it is": ("%%answer q-e1111\n\n  Trotsky  \n\n", ("q-e1111", "\n  Trotsky  \n\n")),
    "header only": ("%%answer q-e1111", ("q-e1111", "")),
    "header and newline": ("%%answer q-e1111\n", ("q-e1111", "")),
    "no name": ("%%answer\nTrotsky", ("", "Trotsky")),
    "name on the second line": ("%%answer\nq-e1111 Trotsky", ("", "q-e1111 Trotsky")),
    "header twice": ("%%answer a\n%%answer b\nx", ("a", "%%answer b\nx")),
    "no header": ("Trotsky", None),
    "empty": ("", None),
    "upper case": ("%%ANSWER q-e1111\nTrotsky", None),
    "space inside the magic": ("%% answer q-e1111\nTrotsky", None),
    "line magic": ("%answer q-e1111\nTrotsky", None),
    "indented header": ("  %%answer q-e1111\nTrotsky", None),
    "header not first": ("Trotsky\n%%answer q-e1111", None),
}


@pytest.mark.parametrize("case", HEADERS)
def test_parse_cell_reads_the_header_and_body(case: str) -> None:
    source, expected = HEADERS[case]
    parsed = parse_cell(source)
    assert (None if parsed is None else (parsed.name, parsed.body)) == expected


@pytest.mark.parametrize("body", ["Trotsky", "", "two\nlines", "\n  spaced  \n", "%%answer x"])
def test_a_written_cell_reads_back_as_written(body: str) -> None:
    cell = AnswerCell.for_question("power-gensec", body)
    assert cell == AnswerCell(code_for("power-gensec"), body)
    assert cell.source == f"%%answer {code_for('power-gensec')}\n{body}"
    assert parse_cell(cell.source) == cell
    assert parse_cell(AnswerCell("", body).source) == AnswerCell("", body)


def test_a_cell_without_its_header_is_all_answer_and_names_nothing() -> None:
    assert AnswerCell.read("Trotsky\nand Zinoviev") == AnswerCell("", "Trotsky\nand Zinoviev")
    assert AnswerCell.read("%%answer q-e1111\nTrotsky") == AnswerCell("q-e1111", "Trotsky")
    marked = AnswerCell("q-e1111", "### BEGIN SOLUTION\n Trotsky \n### END SOLUTION\n")
    assert marked.answer == "Trotsky"
    with pytest.raises(AttributeError):  # frozen: what was read stays as it was read
        marked.name = "q-other"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ["%%answer q-e1111\n"],
            ["__import__('stalin_course.answers').answers._answer_magic('q-e1111', '')\n"],
        ),
        (
            ["\n", "  %%answer  q-e1111 \n", "  \n"],
            ["__import__('stalin_course.answers').answers._answer_magic('q-e1111', '')\n"],
        ),
        (["%%answer\n"], ["__import__('stalin_course.answers').answers._answer_magic('', '')\n"]),
        (["%%answer q-e1111\n", "Trotsky\n"], None),  # left to IPython's %%answer magic
        (["Trotsky\n"], ["%%answer\n", "Trotsky\n"]),  # a lost header: asked back for
        (["It was Trotsky\n", "I think\n"], ["%%answer\n", "It was Trotsky\n", "I think\n"]),
        (["%%ANSWER q-e1111\n", "Trotsky\n"], None),  # another (unknown) magic: IPython's
        (["%time 1\n"], None),
        (["!ls\n"], None),
        (["x = 1\n"], None),
        (["  \n"], None),
    ],  # fmt: skip
)
def test_the_kernel_guard_reads_headers_as_parse_cell_does(lines, expected) -> None:
    assert _guard({})(lines) == (lines if expected is None else expected)


def _answer_nb(source: str) -> nbformat.NotebookNode:
    meta = {"grade": False, "grade_id": "power-gensec", "locked": False, "solution": True}
    return new_notebook(cells=[new_code_cell(source, metadata={"nbgrader": meta})])


def test_marking_reads_answer_cells_with_parse_cell() -> None:
    # an answer cell as the rebuild writes it, and one with blank lines above its header
    # (read as an answer, as a kernel's %%answer magic reads it, so no kernel is needed)
    for source in ("%%answer q-e1111\nGeneral Secretary", "\n%%answer q-e1111\nGeneral Secretary"):
        nb = _answer_nb(source)
        assert not needs_kernel(nb)
        assert "Saved your answer" in text_of(mark(nb).cells[0])
    lost = mark(_answer_nb("General Secretary")).cells[0]
    assert MISSING_HEADER in text_of(lost)
    assert needs_kernel(_answer_nb("print('General Secretary')"))


# --- "I've finished — mark my work" ------------------------------------------------------


@pytest.fixture
def alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.delenv("STALIN_COURSE_CLASS", raising=False)


def test_a_student_alone_is_marked_and_told_the_answers_at_the_end(alone) -> None:
    from stalin_course.answers import AnswerSheet
    from stalin_course.bank import teacher_bank

    sheet = AnswerSheet()
    sheet.record("power-lenin-death", "1925")  # wrong, and held back for the end
    sheet.record("power-gensec", "General Secretary")
    sheet.record("power-nep", "Type your answer here")  # left as given
    assert "last cell" in sheet.later("power-lenin-death")
    report = sheet.report()
    lenin = teacher_bank().questions["power-lenin-death"]
    assert "Question 1. In which year did Lenin die?" in report
    assert "Your answer: 1925" in report and "[0 of 1]" in report
    assert "The answer:" in report and "1924" in report
    assert report.count("The answer:") == 1  # not for the right one, nor the unanswered
    assert "Total for the questions the computer marks: 1 out of 3" in report
    assert sheet.later("power-lenin-death") == sheet.feedback("power-lenin-death")
    assert lenin.correct.split()[-1].rstrip(".") in report


def test_nothing_is_revealed_before_anything_is_answered(alone) -> None:
    from stalin_course.answers import AnswerSheet

    sheet = AnswerSheet()
    sheet.record("power-lenin-death", "Type your answer here")
    assert "nothing to mark yet" in sheet.report()
    assert "1924" not in sheet.report() and not sheet.finished


@pytest.mark.parametrize("variable", ["STALIN_COURSE_CLASS", "NBGRADER_EXECUTION"])
def test_in_a_class_the_teacher_marks_and_nothing_is_revealed(
    alone, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    from stalin_course.answers import AnswerSheet

    monkeypatch.setenv(variable, "1" if variable == "STALIN_COURSE_CLASS" else "autograde")
    sheet = AnswerSheet()
    sheet.record("power-lenin-death", "1925")
    assert sheet.report().startswith("Your teacher marks this work")
    assert "teacher will check" in sheet.later("power-lenin-death")
    assert "1924" not in sheet.report() + sheet.later("power-lenin-death")
