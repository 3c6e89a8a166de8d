"""Widgets for lesson 04: textbook figures against archive figures for the Red Army purge."""

from __future__ import annotations

import html
from collections.abc import Callable

from .. import charts, data
from ..charts import Chart
from ..lessons import prose
from .kit import Explorer, explore

__all__ = ["MILITARY_FIGURES", "explore_military_purge", "military_figures_text"]

#: The choices of the "Figures" drop-down, in order, and the chart each one draws.
MILITARY_FIGURES: dict[str, Callable[[], Chart]] = {
    "Textbook figures (Conquest): numbers": lambda: charts.purge_by_rank("counts"),
    "Textbook figures (Conquest): percentages": lambda: charts.purge_by_rank("percentages"),
    "Archive figures (Red Army report, 1940)": charts.officer_discharges,
}

#: The text in ``prose/military_purge.toml`` that explains each choice.
_TEXTS = dict(
    zip(MILITARY_FIGURES, ("textbook_numbers", "textbook_percentages", "archive"), strict=True)
)


def military_figures_text(choice: str) -> str:
    """What the chosen figures count and how they differ from the others, as plain text.

    The text is in ``prose/military_purge.toml``; the figures in it come from the data.

    >>> archive = military_figures_text("Archive figures (Red Army report, 1940)")
    >>> "35,020" in archive and "9,506" in archive
    True
    """
    if choice not in MILITARY_FIGURES:
        raise ValueError(f"unknown choice {choice!r}; expected one of {list(MILITARY_FIGURES)}")
    ranks = data.load("military_purge")
    top = ranks.iloc[0]
    shares = 100 * ranks["purged"] / ranks["total"]
    discharges = data.load("military_discharges")
    terror = discharges[discharges["year"].isin([1937, 1938])]
    arrested = discharges.dropna(subset=["arrested"]).set_index("year")["arrested"]
    two_years = discharges.dropna(subset=["arrested_two_years"]).set_index("year")
    arrested_1937_38 = int(two_years.loc[1938, "arrested_two_years"])  # 1937 and 1938 together
    counts = data.load("military_reinstatements").sort_values("as_of")
    back = counts.iloc[0]
    still_out = counts.dropna(subset=["political_not_reinstated"]).iloc[0]
    purge_years = discharges[discharges["year"].between(1937, 1939)]["discharged"].sum()
    figures = {
        "total": f"{int(ranks['total'].sum()):,}",
        "purged": f"{int(ranks['purged'].sum()):,}",
        "top_rank": top["rank"],
        "top_rank_men": int(top.total),
        "top_rank_purged": int(top.purged),
        "lowest_share": int(shares.min()),
        "highest_share": int(shares.max()),
        "discharged": f"{int(terror['discharged'].sum()):,}",
        "arrested_1938": f"{int(arrested.loc[1938]):,}",
        "arrested_1937_38": f"{arrested_1937_38:,}",
        "arrested_share": round(100 * arrested_1937_38 / int(terror["discharged"].sum())),
        "reinstated": f"{int(back.reinstated):,}",
        "reinstated_by": charts.date_in_words(back.as_of),
        "reinstated_political": f"{int(back.reinstated_political):,}",
        "reinstated_share": round(100 * int(back.reinstated) / int(purge_years)),
        "political_not_reinstated": f"{int(still_out.political_not_reinstated):,}",
        "not_reinstated_by": charts.date_in_words(still_out.as_of),
    }
    return prose("military_purge")["figures"][_TEXTS[choice]].format(**figures)


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
