"""Widgets for lesson 06: choose which count of Gulag prisoners to show.

The three prisoner counts measure different things. The explorer shows one at
a time (or all three, kept apart) and explains what each one counts, so that
students see why the dots must not be joined into one line.

>>> "labour colonies" in series_details("Camps and labour colonies together")
True
"""

from __future__ import annotations

import html

from .. import charts
from ..lessons import prose
from .kit import Explorer, explore

__all__ = ["GULAG_SERIES_NOTES", "explore_gulag", "series_details"]

#: What each series counts, and why it cannot be joined to the others (plain text), by
#: series; None is the note for all three. The text is in ``prose/gulag.toml``.
GULAG_SERIES_NOTES: dict[str | None, str] = {
    (None if series == "all" else series): text
    for series, text in prose("gulag")["series_notes"].items()
}


def series_details(choice: str) -> str:
    """HTML under the chart: what the chosen count measures, and its figures.

    >>> "never added" in series_details("Prisons")
    True
    """
    series = charts.GULAG_CHOICES[choice]
    frame = charts.GulagView.shared().frame  # the counts as the chart draws them, each dated
    rows = (frame if series is None else frame[frame["series"] == series]).sort_index()
    items = "".join(
        f"<li>{html.escape(charts.date_in_words(row.as_of))}: {int(row.prisoners):,} ({html.escape(row.series)})</li>"
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
