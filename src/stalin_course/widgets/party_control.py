"""Widgets for lesson 02: the purges of the party, one at a time."""

from __future__ import annotations

import html

from .. import charts
from ..lessons import prose
from .kit import Explorer, explore

__all__ = ["PURGE_TARGETS", "explore_purges", "purge_details"]

#: What each purge or check of the membership was aimed at (lesson text, in plain words), by
#: year; the text is in ``prose/party_control.toml``.
PURGE_TARGETS: dict[int, str] = {
    int(year): text for year, text in prose("party_control")["purge_targets"].items()
}


def purge_details(label: str) -> str:
    """HTML under the chart: what the chosen purge was aimed at.

    >>> "Ryutin" in purge_details("1933: party purge (chistka)")
    True
    """
    year = int(label.split(":")[0])
    target = PURGE_TARGETS.get(year, "No description is recorded for this purge.")
    return f"<p><b>What the {year} purge targeted:</b> {html.escape(target)}</p>"


def explore_purges(purge: int | None = None) -> Explorer:
    """A drop-down list of the party purges: the chart outlines one, with what it targeted."""
    view = charts.PartyView.shared()
    labels = view.labels()
    start = next((label for label, year in labels.items() if year == purge), None)
    return explore(
        lambda label: view.chart(labels[label]),
        list(labels),
        description="Purge",
        value=start,
        details=purge_details,
    )
