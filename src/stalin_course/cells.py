"""A notebook cell's nbgrader settings (``cell["metadata"]["nbgrader"]``), read safely.

Every module that reads a cell's nbgrader settings (its ``grade_id``, ``points`` and the
``solution``, ``grade``, ``locked`` and ``task`` flags) reads them through
:func:`nbgrader_meta`, which never raises: a cell may come from a student's file, where
the metadata can be anything at all. What such a file says about its own cells is only
evidence; roles and points are taken from the teacher's source in the gradebook
(:mod:`stalin_course.restore`).

>>> nbgrader_meta({"metadata": {"nbgrader": {"grade_id": "power-nep", "points": 2}}})
{'grade_id': 'power-nep', 'points': 2}
>>> nbgrader_meta({"metadata": "not a dict"})
{}
>>> grade_id_of({"metadata": {"nbgrader": {"grade_id": 7}}}) is None
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["grade_id_of", "has_nbgrader_meta", "nbgrader_meta"]


def _settings(cell: Any) -> Any:
    """The value at ``metadata.nbgrader`` (of any type), or None if there is none."""
    metadata = cell.get("metadata") if isinstance(cell, Mapping) else None
    return metadata.get("nbgrader") if isinstance(metadata, Mapping) else None


def has_nbgrader_meta(cell: Any) -> bool:
    """Whether the cell has nbgrader settings (a mapping at ``metadata.nbgrader``, even
    an empty one). A cell without them is an ordinary cell, or one whose settings were
    stripped (by a tool such as nbstripout, or by hand)."""
    return isinstance(_settings(cell), Mapping)


def nbgrader_meta(cell: Any) -> dict[str, Any]:
    """The cell's nbgrader settings: the mapping itself, or a new empty dict when the cell
    (or its metadata, or its settings) is missing or is not a mapping. Never raises."""
    settings = _settings(cell)
    if isinstance(settings, dict):
        return settings
    return dict(settings) if isinstance(settings, Mapping) else {}


def grade_id_of(cell: Any) -> str | None:
    """The cell's nbgrader ``grade_id`` if it has one that is text, else None."""
    value = nbgrader_meta(cell).get("grade_id")
    return value if isinstance(value, str) else None
