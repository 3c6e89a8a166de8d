"""Widgets for lesson 05: the NKVD's chiefs, one at a time."""

from __future__ import annotations

import html

from .. import charts, data
from ..lessons import prose
from .kit import Explorer, explore

__all__ = ["CHIEF_EVENTS", "chief_text", "explore_nkvd_chiefs"]

#: What the NKVD did under each chief, in plain words (by surname). ``{arrests_1937}``
#: and ``{arrests_1938}`` are filled in from ``repression_by_year.csv``. The text is in
#: ``prose/nkvd.toml``.
CHIEF_EVENTS: dict[str, str] = dict(prose("nkvd")["chief_events"])


def _arrests() -> dict[str, str]:
    years = data.load("repression_by_year").dropna(subset=["arrests"])
    return {f"arrests_{int(row.year)}": f"{int(row.arrests):,}" for row in years.itertuples()}


def chief_text(choice: str) -> str:
    """Plain text for one chief: his time in charge, what happened under him, his fate.

    >>> print(chief_text("Nikolai Yezhov").splitlines()[0])
    In charge: 26 September 1936 to 25 November 1938.
    """
    if choice == charts.ALL_CHIEFS:
        return prose("nkvd")["all_chiefs"]
    chiefs = data.load("nkvd_chiefs")
    rows = chiefs[chiefs["name"] == choice]
    if rows.empty:
        raise ValueError(f"no NKVD chief called {choice!r}")
    row = rows.iloc[0]
    surname = choice.split()[-1]
    events = CHIEF_EVENTS[surname].format(**_arrests())
    return (
        f"In charge: {charts.date_in_words(row.start)} to {charts.date_in_words(row.end)}.\n"
        f"What happened under him: {events}\n"
        f"His fate: {row.fate} ({charts.date_in_words(row.fate_date)})."
    )


def _details(choice: str) -> str:
    paragraphs = []
    for line in chief_text(choice).splitlines():
        head, sep, rest = line.partition(": ")
        if sep and head in ("In charge", "What happened under him", "His fate"):
            paragraphs.append(f"<p><b>{html.escape(head)}:</b> {html.escape(rest)}</p>")
        else:
            paragraphs.append(f"<p>{html.escape(line)}</p>")
    return "".join(paragraphs)


def explore_nkvd_chiefs(chief: str | None = None) -> Explorer:
    """An "NKVD chief" drop-down over the chiefs' timeline, with each man's story below."""
    view = charts.ChiefsView()
    return explore(
        view.chart,
        [charts.ALL_CHIEFS, *view.names],
        description="NKVD chief",
        value=chief,
        details=_details,
    )
