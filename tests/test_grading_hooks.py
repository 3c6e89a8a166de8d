"""ValidateCellMetadata, the faster metadata check used when grading, agrees with nbgrader's."""

from __future__ import annotations

import copy

import nbformat
import pytest
from conftest import ROOT
from nbgrader.preprocessors import CheckCellMetadata

from stalin_course.grading import ValidateCellMetadata

NOTEBOOKS = sorted((ROOT / "source").glob("*/*.ipynb")) + sorted(
    (ROOT / "release").glob("*/*.ipynb")
)

CORRUPTIONS = {
    "points not a number": lambda m: m.update(points="ten"),
    "unknown key": lambda m: m.update(marks=3),
    "grade_id removed": lambda m: m.pop("grade_id"),
    "schema too new": lambda m: m.update(schema_version=99),
    "locked not a flag": lambda m: m.update(locked="yes"),
}


def _rejection(preprocessor, nb) -> type[Exception] | None:
    """The kind of error the check raises on ``nb``, or None if it accepts it."""
    try:
        preprocessor.preprocess(copy.deepcopy(nb), {})
    except Exception as error:  # noqa: BLE001 - the kind is what is compared
        return type(error)
    return None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_every_course_notebook_passes_both_checks(path) -> None:
    nb = nbformat.read(path, as_version=4)
    assert _rejection(CheckCellMetadata(), nb) is None
    assert _rejection(ValidateCellMetadata(), nb) is None


@pytest.mark.parametrize("corruption", CORRUPTIONS)
def test_a_corrupted_cell_fails_both_checks_even_after_its_sound_copy_passed(corruption) -> None:
    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    assert _rejection(ValidateCellMetadata(), nb) is None  # the sound copy is now remembered
    graded = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade"))
    CORRUPTIONS[corruption](graded.metadata["nbgrader"])
    expected = _rejection(CheckCellMetadata(), nb)
    assert expected is not None
    assert _rejection(ValidateCellMetadata(), nb) is expected
