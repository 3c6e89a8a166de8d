"""Charts for lesson 02: party membership and the purges of the party, 1921-1941.

Membership counts and purge figures are drawn only for the years that have
them: nothing is filled in between counts.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter

from .. import data
from .style import OKABE_ITO, Chart, house_style, label_axes, new_figure, sources_of
from .view import View

__all__ = [
    "PartyView",
    "counts_caveat",
    "membership_summary",
    "party_membership_chart",
    "party_totals",
    "purge_label",
    "purge_summary",
]

#: Colour, hatch and legend label of each kind of bar (hatching is a second cue).
BARS: dict[str, tuple[str, str, str]] = {
    "members": (OKABE_ITO["blue"], "", "Full members"),
    "candidates": (OKABE_ITO["sky blue"], "//", "Candidates (probationary members)"),
    "total": (OKABE_ITO["grey"], "xx", "Total only (not split into members and candidates)"),
    "purge": (OKABE_ITO["vermillion"], "..", "Share of members expelled"),
}

#: The tag printed above a membership bar for each kind of count (``count_type``).
COUNT_TAGS: dict[str, str] = {
    "start of year": "1 Jan",
    "at a congress": "congress",
    "rounded": "rounded",
    "untraced estimate": "untraced",
}

#: The same kinds in words, as the purge summaries give them beside a count.
COUNT_WORDS: dict[str, str] = {
    "start of year": "start of year",
    "at a congress": "at a congress",
    "rounded": "rounded",
    "untraced estimate": "an untraced estimate",
}


def _frames(
    membership: pd.DataFrame | None, purges: pd.DataFrame | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    membership = data.load("party_membership") if membership is None else membership
    purges = data.load("party_purges") if purges is None else purges
    return membership.sort_values("year"), purges.sort_values("year")


def party_totals(membership: pd.DataFrame | None = None) -> pd.Series:
    """Members plus candidates for each counted year (members alone where no split is given).

    >>> int(party_totals()[1933])
    3200000
    """
    membership, _ = _frames(membership, None)
    totals = membership["members"] + membership["candidates"].fillna(0)
    return pd.Series(totals.astype(int).to_numpy(), index=membership["year"].astype(int))


def membership_summary(
    membership: pd.DataFrame | None = None, purges: pd.DataFrame | None = None
) -> str:
    """One sentence on how counted membership rose and fell, and the biggest purge.

    >>> membership_summary().startswith("Counted party members and candidates rose from 446,089")
    True
    """
    membership, purges = _frames(membership, purges)
    totals = party_totals(membership)
    peak_year = int(totals.idxmax())
    after = totals[totals.index > peak_year]
    low_year = int(after.idxmin()) if not after.empty else peak_year
    last_year = int(totals.index[-1])
    biggest = purges.loc[purges["share_expelled_pct"].idxmax()]
    text = (
        f"Counted party members and candidates rose from {totals.iloc[0]:,} in "
        f"{totals.index[0]} to {totals[peak_year]:,} in {peak_year}"
    )
    if low_year != peak_year:
        text += f", fell to {totals[low_year]:,} by {low_year}"
    if last_year not in (peak_year, low_year):
        text += f" and were {totals[last_year]:,} in {last_year}"
    return (
        f"{text}; the biggest purge shown expelled {_pct(biggest)} of members "
        f"in {int(biggest['year'])}. {counts_caveat(membership)}"
    )


def counts_caveat(membership: pd.DataFrame | None = None) -> str:
    """Say which kinds of count the bars mix, and which counts could not be traced.

    >>> counts_caveat()  # doctest: +NORMALIZE_WHITESPACE
    'The counts are not all of one kind: start-of-year counts (1924), the numbers
    represented at party congresses (1925, 1927, 1934, 1939) and a rounded figure
    (1933); the 1935 figure comes from a 1939 magazine article that gives no source.'
    """
    membership, _ = _frames(membership, None)
    years = {
        kind: [int(y) for y in membership.loc[membership["count_type"] == kind, "year"]]
        for kind in COUNT_TAGS
    }
    words = {
        "start of year": "start-of-year counts",
        "at a congress": "the numbers represented at party congresses",
        "rounded": "a rounded figure",
    }
    kinds = [f"{words[k]} ({', '.join(map(str, years[k]))})" for k in words if years[k]]
    text = "The counts are not all of one kind: " + _and(kinds)
    if years["untraced estimate"]:
        untraced = " and ".join(map(str, years["untraced estimate"]))
        plural = "figures come" if len(years["untraced estimate"]) > 1 else "figure comes"
        text += f"; the {untraced} {plural} from a 1939 magazine article that gives no source"
    return text + "."


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _pct(row: pd.Series) -> str:
    low = f"{float(row['share_expelled_pct']):g}"
    high = row.get("share_high_pct")
    return f"{low}–{float(high):g}%" if pd.notna(high) else f"about {low}%"


def purge_label(row: pd.Series) -> str:
    """The name of a purge as shown in menus: ``"1933: party purge (chistka)"``."""
    return f"{int(row['year'])}: {row['purge']}"


def purge_summary(
    year: int, membership: pd.DataFrame | None = None, purges: pd.DataFrame | None = None
) -> str:
    """One sentence on the purge of ``year`` and the nearest membership counts either side.

    >>> purge_summary(1933)  # doctest: +NORMALIZE_WHITESPACE
    'The 1933 party purge (chistka) expelled about 17% of members; the nearest membership
    counts are 3,200,000 (1933, rounded) and 2,807,786 (1934, at a congress).'
    """
    membership, purges = _frames(membership, purges)
    row = purges[purges["year"] == year]
    if row.empty:
        raise ValueError(f"no purge recorded for {year}")
    row = row.iloc[0]
    totals = party_totals(membership)
    before = totals[totals.index <= year]
    after = totals[totals.index > year]
    kinds = dict(zip(membership["year"].astype(int), membership["count_type"], strict=True))
    counts = [
        f"{totals[y]:,} ({y}, {COUNT_WORDS[kinds[y]]})"
        for y in (*before.index[-1:], *after.index[:1])
    ]
    if len(counts) == 2:
        nearest = f"the nearest membership counts are {counts[0]} and {counts[1]}"
    elif counts:
        nearest = f"the nearest membership count is {counts[0]}"
    else:  # pragma: no cover - every purge in the data has a count near it
        nearest = "no membership count is recorded near it"
    return f"The {year} {row['purge']} expelled {_pct(row)} of members; {nearest}."


def _millions(value: float, _position: int) -> str:
    return f"{value / 1e6:g}m" if value else "0"


class PartyView(View):
    """The membership-and-purges chart, drawn once; the key is a purge's year (or None).

    Re-using one figure keeps a widget's redraw fast: only the purge bars'
    outlines and shading change between purges.
    """

    def __init__(
        self,
        start: int = 1921,
        end: int = 1941,
        membership: pd.DataFrame | None = None,
        purges: pd.DataFrame | None = None,
    ) -> None:
        membership, purges = _frames(membership, purges)
        self.membership = membership[membership["year"].between(start, end)]
        self.purges = purges[purges["year"].between(start, end)]
        self.start, self.end = start, end
        self.source = sources_of(pd.concat([self.membership, self.purges]))
        self.purge_bars: dict[int, Rectangle] = {}
        with house_style():
            figure, top = new_figure(9, 7, self.source)
            top.remove()
            self.top, self.bottom = figure.subplots(2, 1, sharex=True, height_ratios=(3, 2))
            self._draw_membership(self.top)
            self._draw_purges(self.bottom)
        super().__init__(figure, self.source, list(self.purge_bars.values()))

    def _draw_membership(self, ax: Axes) -> None:
        seen: set[str] = set()

        def bar(year: int, height: float, bottom: float, kind: str) -> None:
            colour, hatch, label = BARS[kind]
            ax.bar(
                year,
                height,
                bottom=bottom,
                width=0.8,
                color=colour,
                hatch=hatch,
                edgecolor="white",
                label=None if kind in seen else label,
                gid=f"{kind}-{year}",
            )
            seen.add(kind)

        for row in self.membership.itertuples(index=False):
            year, members = int(row.year), int(row.members)
            if pd.isna(row.candidates):
                bar(year, members, 0, "total")
            else:
                bar(year, members, 0, "members")
                bar(year, int(row.candidates), members, "candidates")
            top = members + (0 if pd.isna(row.candidates) else int(row.candidates))
            ax.annotate(
                COUNT_TAGS[row.count_type], (year, top), xytext=(0, 3),
                textcoords="offset points", ha="center", va="bottom", rotation=90,
                fontsize=7.5, color="#333333", gid=f"count-type-{year}",
            )  # fmt: skip
        ax.set_ylim(0, ax.get_ylim()[1] * 1.25)
        ax.yaxis.set_major_formatter(FuncFormatter(_millions))
        ax.legend(loc="upper left", fontsize=9)
        label_axes(
            ax,
            f"Communist Party membership and purges, {self.start}–{self.end}",
            "",
            "People in the party (millions)",
        )
        ax.text(
            0.99,
            0.97,
            "A bar is drawn only for a year with a count:\nno figures are filled in between."
            "\nAbove each bar: what kind of count it is\n(1 Jan, at a congress, rounded, untraced).",
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=8,
            color="#333333",
        )

    def _draw_purges(self, ax: Axes) -> None:
        colour, hatch, label = BARS["purge"]
        for row in self.purges.itertuples(index=False):
            year, share = int(row.year), float(row.share_expelled_pct)
            (patch,) = ax.bar(
                year,
                share,
                width=0.8,
                color=colour,
                hatch=hatch,
                edgecolor="white",
                gid=f"purge-{year}",
                label=label if not self.purge_bars else None,
            )
            self.purge_bars[year] = patch
            if pd.notna(row.share_high_pct):
                ax.vlines(year, share, float(row.share_high_pct), color="black", linewidth=2)
            ax.annotate(
                f"{share:g}%", (year, share), xytext=(0, 3), textcoords="offset points",
                ha="center", fontsize=9,
            )  # fmt: skip
        ax.set_ylim(0, max(30.0, float(self.purges["share_expelled_pct"].max()) * 1.2))
        ax.set_xlim(self.start - 0.7, self.end + 0.7)
        ax.set_xticks(range(self.start, self.end + 1, 2))
        label_axes(ax, "Share of members expelled in each purge", "Year", "Members expelled (%)")
        ax.title.set_fontsize(11)

    def apply(self, year: int | None) -> str:
        """Outline the purge of ``year`` and fade the others (None: no highlight)."""
        for purge_year, patch in self.purge_bars.items():
            chosen = purge_year == year
            patch.set_edgecolor("black" if chosen else "white")
            patch.set_linewidth(2.5 if chosen else 1.0)
            patch.set_alpha(1.0 if chosen or year is None else 0.45)
        if year is None:
            summary = membership_summary(self.membership, self.purges)
        else:
            summary = purge_summary(year, self.membership, self.purges)
        return summary

    def labels(self) -> dict[str, int]:
        """Menu labels of the purges shown, mapped to their years, oldest first."""
        return {purge_label(row): int(row["year"]) for _, row in self.purges.iterrows()}


def party_membership_chart(purge: int | None = None, start: int = 1921, end: int = 1941) -> Chart:
    """Draw party membership (members and candidates) above the share expelled in each purge.

    Only counted years have bars. ``purge`` (a year such as 1933) outlines that
    purge and the summary describes it.
    """
    return PartyView.shared(start, end).chart(purge)
