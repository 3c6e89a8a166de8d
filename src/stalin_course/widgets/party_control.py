"""Widgets for lesson 02: the purges of the party, one at a time."""

from __future__ import annotations

import html

from .. import charts
from .kit import Explorer, explore

__all__ = ["PURGE_TARGETS", "explore_purges", "purge_details"]

#: What each purge or check of the membership was aimed at (lesson text, in plain words).
PURGE_TARGETS: dict[int, str] = {
    1919: (
        "A re-registration of members during the Civil War, to remove people who had joined "
        "only for the privileges membership brought."
    ),
    1921: (
        "Ordered under Lenin after the 10th Party Congress banned factions. It removed "
        "'careerists' who had joined for jobs and privileges, former members of other "
        "parties, and members thought passive, corrupt or drunk."
    ),
    1929: (
        "Carried out as Stalin defeated Bukharin and the Right. It hit members accused of "
        "supporting the 'Right deviation', people from 'class-alien' backgrounds, and "
        "officials accused of corruption or laziness. Some of those expelled were taken back "
        "after appeals."
    ),
    1933: (
        "Ordered after the crisis of collectivisation and famine and the Ryutin affair. Every "
        "member had to account for himself at an open meeting. It targeted 'class-alien and "
        "hostile elements', 'double-dealers' who said one thing and did another, people who "
        "broke party discipline, and members who were passive or corrupt. Recruitment stopped "
        "from December 1932 to November 1936."
    ),
    1935: (
        "After Kirov's murder, a check of every member's party card and papers. It looked "
        "for former oppositionists (supporters of Trotsky or Zinoviev), people with false or "
        "careless papers, and 'enemies' hiding in the party. It was followed in 1936 by an "
        "exchange of party cards, which screened members again."
    ),
    1937: (
        "During the Great Terror (the 'Yezhovshchina', named after NKVD chief Yezhov), "
        "expulsion was often followed by arrest by the NKVD. Officials at every level were "
        "accused of being spies, 'wreckers' or Trotskyists."
    ),
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
