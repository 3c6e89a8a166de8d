"""Widgets for lesson 01: the Politburo and the alliances, year by year."""

from __future__ import annotations

import html

import pandas as pd

from .. import charts, data
from .kit import Explorer, explore

__all__ = ["alliance_text", "explore_politburo"]


def _names(cell: object) -> str:
    return ", ".join(part.strip() for part in str(cell or "").split(";") if part.strip())


def alliance_text(year: int, frame: pd.DataFrame | None = None) -> str:
    """Plain-text account of the alliance(s) that held during ``year``, one per line.

    >>> "Trotsky" in alliance_text(1924)
    True
    """
    frame = data.load("alliances") if frame is None else frame
    rows = frame[(frame["start_year"] <= year) & (frame["end_year"] >= year)]
    if rows.empty:
        return f"No alliance is recorded for {year}."
    return "\n".join(
        f"{row.alliance} ({row.start_year}–{row.end_year}). Stalin's side: Stalin, "
        f"{_names(row.stalin_allies)}. Opponents: {_names(row.opponents)}. {row.issue}"
        for row in rows.itertuples(index=False)
    )


def _politburo_details(year: int) -> str:
    members = "".join(f"<li>{html.escape(name)}</li>" for name in charts.politburo_members(year))
    alliances = "".join(
        f"<li>{html.escape(line)}</li>" for line in alliance_text(year).splitlines()
    )
    return (
        f"<p><b>Still in the Politburo at the end of {year}:</b></p><ul>{members}</ul>"
        f"<p><b>Alliances during {year}:</b></p><ul>{alliances}</ul>"
    )


def explore_politburo(start: int = 1924, end: int = 1930, year: int | None = None) -> Explorer:
    """A year slider over the Politburo timeline, with who sat and which alliance held."""
    return explore(
        charts.PolitburoView(start=start, end=end).chart,
        range(start, end + 1),
        description="Year",
        value=year,
        details=_politburo_details,
    )
