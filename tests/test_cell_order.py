"""No order of running cells shows a student a Python error.

Every kernel of the course's environment loads the course's IPython extension
(``stalin-course kernel-setup``, run by ``./run.sh setup`` and Binder's postBuild), so
answer cells, check cells and the lesson cells work whether or not the set-up cell ran.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import text_of
from nbclient import NotebookClient

from stalin_course import answers, kernel

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted(
    (ROOT / "release").glob("*/*.ipynb")
)


def _run(nb: nbformat.NotebookNode, folder: Path) -> list[str]:
    NotebookClient(
        nb, timeout=180, kernel_name="python3", allow_errors=True,
        resources={"metadata": {"path": str(folder)}},
    ).execute()  # fmt: skip
    return [
        f"{output.ename}: {output.evalue[:80]} in {cell.source[:60]!r}"
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if output.output_type == "error"
    ]


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_cells_run_in_a_shuffled_order_without_the_set_up_cell(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and "import " not in c.source]
    random.Random(path.stem).shuffle(cells)
    nb.cells = cells
    assert _run(nb, path.parent) == []


def test_an_answer_cell_whose_first_line_was_deleted_says_so_kindly() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("Stalin was General Secretary"),
        nbformat.v4.new_code_cell("answers.feedback('power-gensec')"),
    ]
    assert _run(nb, ROOT) == []
    assert text_of(nb.cells[0]).strip() == answers.MISSING_HEADER
    assert "Not answered yet" in text_of(nb.cells[1])


def test_kernel_setup_installs_the_extension_and_keeps_other_settings(tmp_path: Path) -> None:
    folder = tmp_path / "etc" / "ipython"
    folder.mkdir(parents=True)
    (folder / kernel.CONFIG).write_text("c = get_config()\nc.Other.value = 1\n")
    target = kernel.install(tmp_path)
    kernel.install(tmp_path)  # a second run changes nothing
    text = target.read_text()
    assert "c.Other.value = 1" in text and text.count(kernel.EXTENSION) == 1
    fresh = kernel.install(tmp_path / "new")
    assert fresh.read_text().count(kernel.EXTENSION) == 1


def test_this_environment_loads_the_extension() -> None:
    """The test environment is set up as a student's is (./run.sh setup)."""
    installed = Path(sys.prefix) / "etc" / "ipython" / kernel.CONFIG
    assert kernel.EXTENSION in installed.read_text()


RELEASES = sorted((ROOT / "release").glob("*/*.ipynb"))


@pytest.mark.slow
@pytest.mark.parametrize("path", RELEASES, ids=lambda p: p.stem)
def test_run_as_given_an_assignment_prints_no_held_back_answer(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run All on a fresh copy, self-study mode: no chart prints the summary that answers
    its question, and no held-back question's explanation appears anywhere."""
    import re

    from stalin_course import charts
    from stalin_course.bank import teacher_bank

    monkeypatch.delenv("STALIN_COURSE_CLASS", raising=False)
    nb = nbformat.read(path, as_version=4)
    assert _run(nb, path.parent) == []
    shown = "\n".join(
        text_of(cell) + "".join(str(o.get("data", {}).get("text/html", "")) for o in cell.outputs)
        for cell in nb.cells
        if cell.cell_type == "code"
    )
    bank = teacher_bank()
    for cell in nb.cells:
        for code in re.findall(r'answers\.later\("([^"]+)"\)', cell.source):
            assert bank.questions[bank.resolve(code)].correct not in shown
        for name in re.findall(r'figures\.show\("(\w+)"', cell.source):
            assert getattr(charts, name)().summary not in shown
