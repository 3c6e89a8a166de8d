"""Widgets for lesson 04: textbook figures against archive figures for the Red Army purge."""

from __future__ import annotations

import html
from collections.abc import Callable

from .. import charts, data
from ..charts import Chart
from .kit import Explorer, explore

__all__ = ["MILITARY_FIGURES", "explore_military_purge", "military_figures_text"]

#: The choices of the "Figures" drop-down, in order, and the chart each one draws.
MILITARY_FIGURES: dict[str, Callable[[], Chart]] = {
    "Textbook figures (Conquest): numbers": lambda: charts.purge_by_rank("counts"),
    "Textbook figures (Conquest): percentages": lambda: charts.purge_by_rank("percentages"),
    "Archive figures (Red Army report, 1940)": charts.officer_discharges,
}


def military_figures_text(choice: str) -> str:
    """What the chosen figures count and how they differ from the others, as plain text.

    >>> "35,020" in military_figures_text("Archive figures (Red Army report, 1940)")
    True
    """
    ranks = data.load("military_purge")
    purged, total = int(ranks["purged"].sum()), int(ranks["total"].sum())
    marshals = ranks.iloc[0]
    shares = 100 * ranks["purged"] / ranks["total"]
    discharges = data.load("military_discharges")
    terror = discharges[discharges["year"].isin([1937, 1938])]
    discharged = int(terror["discharged"].sum())
    arrested = discharges.dropna(subset=["arrested"]).set_index("year")["arrested"]
    back = data.load("military_reinstatements").sort_values("as_of").iloc[0]
    back_date = charts.date_in_words(back.as_of)
    purge_years = discharges[discharges["year"].between(1937, 1939)]["discharged"].sum()
    share = round(100 * int(back.reinstated) / int(purge_years))
    if choice == "Textbook figures (Conquest): numbers":
        return (
            "These are the figures most textbooks use. They all come from one historian, "
            f"Robert Conquest (2008), and they count only the very top ranks: {total:,} men, "
            f"of whom {purged:,} were purged (arrested, shot or died in custody). Only "
            f"{int(marshals.total)} men were {marshals['rank']}, so their bars are tiny even "
            f"though {int(marshals.purged)} of them were purged. Numbers hide how hard the "
            "small ranks were hit: switch to percentages to compare the ranks fairly."
        )
    if choice == "Textbook figures (Conquest): percentages":
        return (
            "Percentages let you compare ranks of very different sizes. In every one of these "
            f"ranks at least {int(shares.min())}% of the men were purged, and in one it was "
            f"{int(shares.max())}%. These were the men with the most experience of planning "
            "and leading large operations, which is why the loss at the very top is so often "
            "linked to the Red Army's defeats in 1939–1941. But these ranks were only a few "
            "hundred men: switch to the archive figures to see the whole officer corps."
        )
    if choice == "Archive figures (Red Army report, 1940)":
        return (
            "These figures come from a Red Army report of April 1940, now in the Russian State "
            "Military Archive. They count officers of every rank, not only the top commanders, "
            f"so they are much bigger: {discharged:,} officers were discharged (dismissed) in "
            "1937 and 1938. Discharged does not mean shot. Some were dismissed for other reasons, "
            "and only some were arrested: the report records "
            f"{int(arrested.loc[1938]):,} arrests in 1938. Many came back: a later archive count "
            f"shows {int(back.reinstated):,} taken back into the army by {back_date}. "
            f"That is {share}% of all the officers discharged in 1937–1939. So the two sets "
            "of figures answer different questions. Conquest's show that the top of the army "
            "was almost wiped out; the archive shows that many purged officers were dismissed "
            "rather than shot, and that many came back, which is why some historians think "
            "the purge's effects have been exaggerated."
        )
    raise ValueError(f"unknown choice {choice!r}; expected one of {list(MILITARY_FIGURES)}")


def _details(choice: str) -> str:
    return f"<p>{html.escape(military_figures_text(choice))}</p>"


def explore_military_purge(choice: str | None = None) -> Explorer:
    """A "Figures" drop-down: textbook numbers, textbook percentages or archive figures.

    All three charts are drawn when the widget is made, so changing the choice only
    swaps pictures that are already rendered.
    """
    choices = list(MILITARY_FIGURES)
    explorer = explore(
        lambda name: MILITARY_FIGURES[name](),
        choices,
        description="Figures",
        value=choice,
        details=_details,
    )
    for name in choices:  # render every choice now, so switching is instant
        explorer.redraw(name)
    explorer.redraw(explorer.control.value)
    return explorer
