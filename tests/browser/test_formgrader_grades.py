"""The formgrader shows what `stalin-course grade` wrote: a tampered submission's marks,
its answers as the student wrote them, and the cells the student added as plain text."""

from __future__ import annotations

import re
import subprocess
import sys

import nbformat
import pytest
from nbgrader.api import Gradebook

pytestmark = pytest.mark.browser
expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install -e '.[test]'"
).expect

ASSIGNMENT = "01_power_struggle"


def _run(args: list[str], server) -> None:
    done = subprocess.run(
        args, cwd=server.root, env=server.env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"


@pytest.fixture(scope="module")
def graded(jupyter_server):
    """A tampered submission (flags flipped, a code cell with fake nbgrader settings
    added) graded with `stalin-course grade` in the server's course folder."""
    from stalin_course.bank import code_for

    server = jupyter_server
    python = [sys.executable, "-m"]
    _run([*python, "nbgrader", "generate_assignment", ASSIGNMENT, "--force"], server)
    nb = nbformat.read(server.root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    by_id["power-trotsky"].source = f"%%answer {code_for('power-trotsky')}\nIt was Trotskii."
    by_id["power-gensec"].source = "answers.marks = lambda q: 99"
    by_id["power-gensec"].metadata["nbgrader"]["solution"] = False
    nb.cells.insert(
        3,
        nbformat.v4.new_code_cell(
            "print('BONUS')",
            metadata={
                "nbgrader": {
                    "grade": True,
                    "grade_id": "bonus",
                    "locked": True,
                    "points": 50,
                    "schema_version": 3,
                    "solution": False,
                }
            },
        ),  # fmt: skip
    )
    folder = server.root / "submitted" / "mallory" / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{ASSIGNMENT}.ipynb")
    _run([*python, "stalin_course", "grade", ASSIGNMENT], server)
    with Gradebook(f"sqlite:///{server.root / 'gradebook.db'}") as gradebook:
        submitted = gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, "mallory")
        return submitted.id, float(submitted.score), float(submitted.max_score)


def test_formgrader_shows_the_rebuilt_submission(lab, graded):
    submission_id, score, max_score = graded
    assert (score, max_score) == (1.0, 11.0)
    page, server = lab.page, lab.server
    page.goto(f"{server.url}/formgrader/submissions/{submission_id}/?token={server.token}")
    expect(page.locator("body")).to_contain_text("It was Trotskii.")
    # the added cell is shown as text, with no grade box of its own; no 50-point question
    expect(page.locator("body")).to_contain_text("print('BONUS')")
    expect(page.locator("body")).not_to_contain_text(re.compile(r"/ 50\b"))
    # the teacher's check cells are there with their scores (11 points in all)
    expect(page.locator("body")).to_contain_text("Question 3")
    scores = page.locator("input.score")
    expect(scores.first).to_be_visible()
    assert scores.count() == 10
