"""Charts in assignments: drawn for students without their summary, skipped while grading.

A question in the assignment asks the student to read the chart, so the one-sentence
summary that lessons print under a chart (which would answer it) is held back here; the
caption names the chart and says why.

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

import dataclasses
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
    chart = getattr(charts, name)(*args, **kwargs)
    return dataclasses.replace(chart, summary=held_back(chart))


def held_back(chart: Any) -> str:
    """The caption of an assignment's chart: what it is, not what it shows.

    >>> from stalin_course import charts
    >>> held_back(charts.komsomol_chart()).startswith("A chart: Komsomol")
    True
    """
    titles = [ax.get_title(loc="left") or ax.get_title() for ax in chart.figure.axes]
    title = next((t for t in titles if t.strip()), "a chart").replace("\n", " ")
    return (
        f"A chart: {title}. Its summary is held back here, because a question below asks "
        "you to read the chart. If you cannot see it, ask your teacher for its figures as "
        "a table."
    )
