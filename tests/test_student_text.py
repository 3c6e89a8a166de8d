"""Odd text a student can save by accident never costs them their marks or hides their
work from the teacher (found by an independent red team of the graded copy):

- half of an emoji (a lone UTF-16 surrogate, as a browser saves a half-deleted one),
  which no UTF-8 file can hold, in an answer and in a written answer;
- a picture pasted under a file name with accents, which markdown would %-encode, so
  that formgrader could not show the submission at all.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from conftest import make_course, nbgrader, run_course, status_table
from nbconvert import HTMLExporter

from stalin_course.bank import code_for

pytestmark = pytest.mark.slow

A = "02_party_control"
PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5E"
    "rkJggg=="
)


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    course = make_course(tmp_path_factory.mktemp("odd-text"))
    nbgrader(course, "generate_assignment", A, "--force")
    nb = json.loads((course / "release" / A / f"{A}.ipynb").read_text(encoding="utf-8"))
    for index, cell in enumerate(nb["cells"]):
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id == "party-politburo":
            cell["source"] = f"%%answer {code_for('party-politburo')}\nthe Politburo \udfff"
        if grade_id == "party-explain":
            box = nb["cells"][index + 1]
            box["source"] = "Stalin appointed officials \ud83d and purged the Party."
            box["attachments"] = {
                "café.png": {"image/png": PNG},
                "chart.png": {"image/png": PNG},
                "../../x.png": {"image/png": PNG},
            }
    folder = course / "submitted" / "emma" / A
    folder.mkdir(parents=True)
    # as a browser writes it: the half emoji as a JSON escape
    (folder / f"{A}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    run_course(course, "grade", A)
    return course


def test_the_notebook_is_graded_with_its_marks(graded: Path) -> None:
    row = status_table(graded, A)["emma"]
    assert (row["status"], float(row["score"])) == ("graded", 1.0), row


def test_the_teacher_can_open_it_and_read_the_written_answer(graded: Path) -> None:
    path = graded / "autograded" / "emma" / A / f"{A}.ipynb"
    nb = nbformat.read(path, as_version=4)
    box = next(c for c in nb.cells if "appointed officials" in c.source)
    assert "\ufffd" in box.source
    assert sorted(box.attachments) == ["chart.png"]  # plain names only
    html, _ = HTMLExporter().from_filename(str(path))  # as formgrader renders it
    assert "Stalin appointed officials" in html and "attachment:" not in html
