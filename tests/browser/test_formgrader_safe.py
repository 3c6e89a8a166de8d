"""What a student writes reaches the teacher's formgrader as text: HTML, script, links
and formulas in an answer never run in the teacher's logged-in browser, whether the
work was graded by `stalin-course grade` or by plain `nbgrader autograde`."""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest
from nbgrader.api import Gradebook

pytestmark = pytest.mark.browser
expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install -e '.[test]'"
).expect

ASSIGNMENT = "02_party_control"
#: Each would run script (or offer a script link) if the answer were rendered as HTML or
#: markdown with formulas.
ATTACKS = (
    "<img src=x onerror=\"window.__pwned = 'img'\">",
    "<script>window.__pwned = 'script'</script>",
    "[read more](javascript:window.__pwned='link')",
    "$\\href{javascript:window.__pwned='mathjax'}{formula}$",
    "<a href=\"javascript:window.__pwned='anchor'\">click</a>",
)
ANSWER = "Stalin appointed loyal officials.\n\n" + "\n\n".join(ATTACKS)


def _run(args: list[str], server) -> None:
    done = subprocess.run(
        args, cwd=server.root, env=server.env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"


@pytest.fixture(scope="module")
def submissions(jupyter_server) -> dict[str, int]:
    """The attack handed in by two students: one graded by `stalin-course grade`, the
    other by `nbgrader autograde`; their submission ids in the gradebook."""
    server = jupyter_server
    python = [sys.executable, "-m"]
    _run([*python, "nbgrader", "generate_assignment", ASSIGNMENT, "--force"], server)
    nb = nbformat.read(server.root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    task = next(
        i
        for i, c in enumerate(nb.cells)
        if c.metadata.get("nbgrader", {}).get("grade_id") == "party-explain"
    )
    nb.cells[task + 1].source = ANSWER
    nb.cells.insert(task + 2, nbformat.v4.new_markdown_cell(ATTACKS[0] + " (an added cell)"))
    for student in ("xss-course", "xss-nbgrader"):
        folder = server.root / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{ASSIGNMENT}.ipynb")
    _run([*python, "stalin_course", "grade", ASSIGNMENT, "--student", "xss-course"], server)
    _run(
        [*python, "nbgrader", "autograde", ASSIGNMENT, "--student", "xss-nbgrader", "--force"],
        server,
    )
    ids = {}
    with Gradebook(f"sqlite:///{server.root / 'gradebook.db'}") as gradebook:
        for student in ("xss-course", "xss-nbgrader"):
            ids[student] = gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, student).id
    return ids


@pytest.mark.parametrize("student", ["xss-course", "xss-nbgrader"])
def test_an_answer_is_shown_as_text_and_never_runs(lab, submissions, student: str) -> None:
    page, server = lab.page, lab.server
    page.goto(f"{server.url}/formgrader/submissions/{submissions[student]}/?token={server.token}")
    body = page.locator("body")
    expect(body).to_contain_text("Stalin appointed loyal officials.")
    for attack in ATTACKS:  # every character the student typed, as text
        expect(body).to_contain_text(attack)
    expect(body).to_contain_text("(an added cell)")
    page.wait_for_load_state("networkidle")
    for link in page.locator("a[href^='javascript']").all():
        pytest.fail(f"a script link from the answer is live: {link.inner_text()}")
    for answer in page.locator("pre.student-text").all():
        assert answer.locator("img, script, a, iframe, .MathJax").count() == 0
    assert page.evaluate("window.__pwned") is None
