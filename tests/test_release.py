"""release/ is exactly what nbgrader generates from source/, and leaks nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT

from stalin_course.bank import code_for
from stalin_course.checking import PLACEHOLDER
from stalin_course.release import assignments, generate, normalised

SOURCES = sorted((ROOT / "source").glob("*/*.ipynb"))
RELEASES = sorted((ROOT / "release").glob("*/*.ipynb"))
FORBIDDEN = ["BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
             "BEGIN MARK SCHEME", "END MARK SCHEME", "answers.marks"]  # fmt: skip


@pytest.mark.slow
def test_release_is_fresh(tmp_path: Path) -> None:
    """Fails when source/ changed and release/ was not regenerated (./run.sh release)."""
    fresh = generate(tmp_path)
    committed = sorted((ROOT / "release").rglob("*.ipynb"))
    assert [p.relative_to(tmp_path) for p in fresh] == [
        p.relative_to(ROOT / "release") for p in committed
    ], "release/ holds different notebooks from source/: run ./run.sh release"
    for new, old in zip(fresh, committed, strict=True):
        assert normalised(new) == normalised(old), f"{old} is stale: run ./run.sh release"


def test_every_assignment_is_released() -> None:
    assert assignments() == sorted(p.name for p in (ROOT / "release").iterdir() if p.is_dir())


@pytest.mark.parametrize("path", RELEASES, ids=lambda p: p.parent.name)
def test_release_holds_no_solution_or_hidden_test(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for marker in FORBIDDEN:
        assert marker not in text, marker


@pytest.mark.parametrize("path", RELEASES, ids=lambda p: p.parent.name)
def test_answer_cells_hold_only_the_placeholder(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    answer_cells = [
        c
        for c in nb.cells
        if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")
    ]
    if not answer_cells:
        pytest.skip("this assignment is marked by hand: it has no answer cells")
    for cell in answer_cells:
        code = code_for(cell.metadata.nbgrader.grade_id)
        assert cell.source == f"%%answer {code}\n{PLACEHOLDER}"


def _solutions(source: Path) -> list[str]:
    text = "\n".join(c.source for c in nbformat.read(source, as_version=4).cells)
    return re.findall(r"### BEGIN SOLUTION\n(.*?)\n### END SOLUTION", text, re.S)


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.parent.name)
def test_no_solution_text_reaches_students(source: Path) -> None:
    """No model answer appears in the release, except words the questions themselves use."""
    released = ROOT / "release" / source.parent.name / source.name
    questions = " ".join(
        c.source for c in nbformat.read(source, as_version=4).cells if c.cell_type == "markdown"
    ).lower()
    text = json.dumps(json.loads(released.read_text(encoding="utf-8"))).lower()
    for solution in _solutions(source):
        if solution.lower() not in questions:
            assert solution.lower() not in text, solution
