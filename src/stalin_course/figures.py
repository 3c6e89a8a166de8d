"""Charts in assignments: drawn for students, skipped while nbgrader grades.

An assignment's locked chart cell calls ``figures.show("repression_chart")``
rather than the chart function itself. A student sees the chart as usual;
during ``nbgrader autograde`` or ``validate`` (which set ``NBGRADER_EXECUTION``)
no mark depends on a chart, so it is not drawn and matplotlib is not even
imported, which saves about a second per notebook graded.

>>> import os
>>> os.environ["NBGRADER_EXECUTION"] = "autograde"
>>> show("repression_chart")
(chart not drawn while nbgrader grades this notebook)
>>> del os.environ["NBGRADER_EXECUTION"]
"""

from __future__ import annotations

import importlib
import os
from typing import Any

__all__ = ["show", "SKIPPED"]


class _Skipped:
    """What a chart cell shows while nbgrader grades: one line of text."""

    def __repr__(self) -> str:
        return "(chart not drawn while nbgrader grades this notebook)"


SKIPPED = _Skipped()


def show(name: str, *args: Any, **kwargs: Any) -> Any:
    """Draw the course chart ``charts.<name>(*args, **kwargs)``, unless nbgrader is grading."""
    if os.environ.get("NBGRADER_EXECUTION") in ("autograde", "validate"):
        return SKIPPED
    charts = importlib.import_module("stalin_course.charts")
    if name not in charts.__all__:
        raise ValueError(f"no chart called {name!r} in stalin_course.charts")
    return getattr(charts, name)(*args, **kwargs)
