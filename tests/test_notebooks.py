"""Every notebook runs top to bottom with a real kernel, as a student would run it."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, execute, text_of

pytestmark = pytest.mark.slow

LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SOURCES = sorted((ROOT / "source").glob("*/*.ipynb"))
RELEASES = sorted((ROOT / "release").glob("*/*.ipynb"))


def _grade_id(cell: nbformat.NotebookNode) -> str:
    return cell.metadata.get("nbgrader", {}).get("grade_id", "")


def test_there_is_something_to_run() -> None:
    assert LESSONS and SOURCES and RELEASES


WIDGET = "application/vnd.jupyter.widget-view+json"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_runs_without_error(path: Path) -> None:
    nb = execute(path)  # how long it takes: benchmarks/lesson_times.py (tests never time)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", cell.source
            # where widgets cannot run, every widget still shows as a static picture
            if WIDGET in output.get("data", {}):
                assert "text/html" in output["data"], cell.source


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.parent.name)
def test_source_runs_and_every_solution_checks_correct(path: Path) -> None:
    nb = execute(path)
    checks = [c for c in nb.cells if _grade_id(c).endswith("-test")]
    for cell in nb.cells:
        assert all(o["output_type"] != "error" for o in cell.get("outputs", []))
    for cell in checks:
        assert "✔" in text_of(cell), (_grade_id(cell), text_of(cell))
        assert float(cell.outputs[-1]["data"]["text/plain"]) == cell.metadata.nbgrader.points


@pytest.mark.parametrize("path", RELEASES, ids=lambda p: p.parent.name)
def test_release_runs_with_only_not_answered_results(path: Path) -> None:
    nb = execute(path)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert all(o["output_type"] != "error" for o in cell.outputs)
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") or _grade_id(cell).endswith("-test"):
            assert "not answered yet" in text_of(cell).lower(), (_grade_id(cell), text_of(cell))


def test_committed_notebooks_have_no_outputs() -> None:
    for path in [*LESSONS, *SOURCES, *RELEASES]:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None, path
