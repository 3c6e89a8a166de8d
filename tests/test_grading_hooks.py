"""nbgrader cell metadata: read safely whatever a file holds (stalin_course.cells), and
checked by ValidateCellMetadata, the faster check used when grading, as nbgrader does."""

from __future__ import annotations

import copy

import nbformat
import pytest
from conftest import ROOT
from nbgrader.preprocessors import CheckCellMetadata

from stalin_course.cells import grade_id_of, has_nbgrader_meta, nbgrader_meta
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


@pytest.mark.parametrize("settings", ["grade", ["grade"], None, 3])
def test_settings_that_are_not_a_mapping_fail_both_checks(settings) -> None:
    # the validator reads the value as the file has it, not through nbgrader_meta
    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    graded = next(c for c in nb.cells if nbgrader_meta(c).get("grade"))
    graded.metadata["nbgrader"] = settings
    expected = _rejection(CheckCellMetadata(), nb)
    assert expected is not None
    assert _rejection(ValidateCellMetadata(), nb) is expected


SETTINGS = {"grade": True, "grade_id": "power-nep-test", "locked": True, "points": 2}

#: cell -> (nbgrader_meta, has_nbgrader_meta, grade_id_of)
CELLS = {
    "sound": ({"metadata": {"nbgrader": SETTINGS}}, (SETTINGS, True, "power-nep-test")),
    "empty settings": ({"metadata": {"nbgrader": {}}}, ({}, True, None)),
    "no settings": ({"metadata": {"editable": False}}, ({}, False, None)),
    "no metadata": ({"cell_type": "code"}, ({}, False, None)),
    "metadata None": ({"metadata": None}, ({}, False, None)),
    "metadata a list": ({"metadata": ["nbgrader"]}, ({}, False, None)),
    "metadata text": ({"metadata": "nbgrader"}, ({}, False, None)),
    "settings None": ({"metadata": {"nbgrader": None}}, ({}, False, None)),
    "settings text": ({"metadata": {"nbgrader": "grade"}}, ({}, False, None)),
    "settings a list": ({"metadata": {"nbgrader": [["grade_id", "x"]]}}, ({}, False, None)),
    "settings a number": ({"metadata": {"nbgrader": 3}}, ({}, False, None)),
    "grade_id a number": ({"metadata": {"nbgrader": {"grade_id": 7}}}, ({"grade_id": 7}, True, None)),
    "grade_id a list": ({"metadata": {"nbgrader": {"grade_id": ["a"]}}}, ({"grade_id": ["a"]}, True, None)),
    "grade_id empty": ({"metadata": {"nbgrader": {"grade_id": ""}}}, ({"grade_id": ""}, True, "")),
    "cell not a mapping": ("metadata", ({}, False, None)),
    "cell None": (None, ({}, False, None)),
}  # fmt: skip


@pytest.mark.parametrize("case", CELLS)
def test_nbgrader_meta_never_raises_on_a_tampered_cell(case: str) -> None:
    cell, (meta, has, grade_id) = CELLS[case]
    assert nbgrader_meta(cell) == meta
    assert has_nbgrader_meta(cell) is has
    assert grade_id_of(cell) == grade_id


def test_nbgrader_meta_is_the_cells_own_settings() -> None:
    cell = nbformat.from_dict({"metadata": {"nbgrader": dict(SETTINGS)}, "source": ""})
    assert nbgrader_meta(cell) is cell.metadata.nbgrader  # not a copy: what the cell holds
    bare = {"metadata": {}}
    nbgrader_meta(bare)["grade_id"] = "invented"  # an empty result is new each time
    assert bare == {"metadata": {}} and nbgrader_meta(bare) == {}
