"""Widgets for lesson 06: choose which count of Gulag prisoners to show.

The three prisoner counts measure different things. The explorer shows one at
a time (or all three, kept apart) and explains what each one counts, so that
students see why the dots must not be joined into one line.

>>> "labour colonies" in series_details("Camps and labour colonies together")
True
"""

from __future__ import annotations

import html

from .. import charts, data
from .kit import Explorer, explore

__all__ = ["GULAG_SERIES_NOTES", "explore_gulag", "series_details"]

#: What each series counts, and why it cannot be joined to the others (plain text).
GULAG_SERIES_NOTES: dict[str | None, str] = {
    None: (
        "Each colour and marker is a different kind of count. Only counts of the same kind "
        "in years next to each other are joined by a line. The gap in the blue line "
        "(1935–1939) is a gap in our data, not a fall in the number of prisoners."
    ),
    "camps (ITL)": (
        "Prisoners in the corrective labour camps (ITL) only, on 1 January each year, from "
        "the Gulag's own records as studied by Viktor Zemskov. People in labour colonies, "
        "prisons and special settlements are not included. The 1940 figure is printed in two "
        "different ways, so it is not certain."
    ),
    "camps and colonies": (
        "Prisoners in the camps and in the smaller labour colonies together. Because it counts "
        "more places, it is bigger than the camps-only count and must not be joined to it. "
        "The June 1941 figure is rounded and comes from a later count in the year."
    ),
    "prisons": (
        "People held in prisons (mostly waiting for trial or transport), not in camps. "
        "It is a separate group of prisoners, so it is never added to the camp line."
    ),
}


def series_details(choice: str) -> str:
    """HTML under the chart: what the chosen count measures, and its figures.

    >>> "never added" in series_details("Prisons")
    True
    """
    series = charts.GULAG_CHOICES[choice]
    frame = data.load("gulag_population")
    rows = frame if series is None else frame[frame["series"] == series]
    items = "".join(
        f"<li>{html.escape(str(row.as_of or row.year))}: {int(row.prisoners):,} "
        f"({html.escape(row.series)})</li>"
        for row in rows.itertuples(index=False)
    )
    return (
        f"<p><b>What this shows:</b> {html.escape(GULAG_SERIES_NOTES[series])}</p>"
        f"<p><b>The figures:</b></p><ul>{items}</ul>"
    )


def explore_gulag(choice: str | None = None) -> Explorer:
    """A drop-down list to show each count of Gulag prisoners on its own, or all three apart."""
    return explore(
        charts.GulagView.shared().chart,
        list(charts.GULAG_CHOICES),
        description="Show",
        value=choice,
        details=series_details,
    )
