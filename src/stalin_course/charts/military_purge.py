"""Charts for lesson 04: the purge of the Red Army, 1937-1941.

Two kinds of figure are shown side by side, because they count different things:

- the **textbook figures** (Conquest, 2008): how many holders of each top rank were
  purged (arrested, shot or died in custody);
- the **archive figures** (RGVA, April 1940): how many officers of *all* ranks were
  discharged from the army each year, how many of them were arrested, and how many were
  later taken back. Arrests for 1937 are known only inside a two-year total for 1937 and
  1938 (a certificate of October 1939): it is drawn as one bar of its own, never split
  into years.
"""

from __future__ import annotations

import pandas as pd

from .. import data
from .dates import date_in_words
from .style import OKABE_ITO, Chart, house_style, label_axes, new_figure, sources_of

__all__ = [
    "MILITARY_VIEWS",
    "officer_discharges",
    "purge_by_rank",
    "purge_by_rank_summary",
    "officer_discharges_summary",
]

#: The two ways :func:`purge_by_rank` can show the textbook figures.
MILITARY_VIEWS = ("counts", "percentages")

_TOTAL = (OKABE_ITO["sky blue"], "//", "Held the rank")
_PURGED = (OKABE_ITO["vermillion"], "", "Purged (arrested, shot or died in custody)")
_SPARED = (OKABE_ITO["grey"], "//", "Not purged")


def _ranks(frame: pd.DataFrame | None) -> pd.DataFrame:
    frame = data.load("military_purge") if frame is None else frame
    return frame.assign(
        total=frame["total"].astype(int),
        purged=frame["purged"].astype(int),
        share=100 * frame["purged"].astype(int) / frame["total"].astype(int),
    )


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%"


def purge_by_rank_summary(view: str = "counts", frame: pd.DataFrame | None = None) -> str:
    """One sentence on the textbook figures, for ``view`` "counts" or "percentages".

    >>> purge_by_rank_summary("counts")[:58]
    'Across these seven ranks 269 of 316 men were purged (85%);'
    >>> purge_by_rank_summary("percentages")[:62]
    'The highest share purged was Army commissars (16 of 16, 100%);'
    """
    frame = _ranks(frame)
    purged, total = int(frame["purged"].sum()), int(frame["total"].sum())
    if view == "counts":
        big = frame.loc[frame["purged"].idxmax()]
        return (
            f"Across these {_number_word(len(frame))} ranks {purged:,} of {total:,} men were "
            f"purged ({_pct(purged, total)}); the largest number was {big.purged:,} of "
            f"{big.total:,} {big['rank']}."
        )
    if view == "percentages":
        high = frame.loc[frame["share"].idxmax()]
        low = frame.loc[frame["share"].idxmin()]
        return (
            f"The highest share purged was {high['rank']} ({high.purged} of {high.total}, "
            f"{_pct(high.purged, high.total)}); the lowest was {low['rank']} ({low.purged} of "
            f"{low.total}, {_pct(low.purged, low.total)}); across all "
            f"{_number_word(len(frame))} ranks it was {_pct(purged, total)}."
        )
    raise ValueError(f"view must be one of {MILITARY_VIEWS}, not {view!r}")


def _number_word(n: int) -> str:
    words = "zero one two three four five six seven eight nine ten".split()
    return words[n] if 0 <= n < len(words) else str(n)


def purge_by_rank(view: str = "counts", frame: pd.DataFrame | None = None) -> Chart:
    """Draw the textbook figures (Conquest 2008): holders of each top rank and how many were purged.

    ``view="counts"`` draws two bars per rank (held the rank, purged);
    ``view="percentages"`` draws one 100% bar per rank split into purged and not purged.
    Each bar has a ``gid`` such as ``"purged:Marshals"`` so tests can find it.
    """
    if view not in MILITARY_VIEWS:
        raise ValueError(f"view must be one of {MILITARY_VIEWS}, not {view!r}")
    frame = _ranks(frame)
    source = sources_of(frame)
    rows = list(frame.itertuples(index=False))
    ys = [len(rows) - 1 - n for n in range(len(rows))]  # first rank at the top
    with house_style():
        figure, ax = new_figure(9, 5.2, source)
        if view == "counts":
            for y, row in zip(ys, rows, strict=True):
                for offset, value, (colour, hatch, label), kind in (
                    (0.2, row.total, _TOTAL, "total"),
                    (-0.2, row.purged, _PURGED, "purged"),
                ):
                    (bar,) = ax.barh(
                        y + offset, value, height=0.38, color=colour, hatch=hatch,
                        edgecolor="white", label=label if y == ys[0] else None,
                    )  # fmt: skip
                    bar.set_gid(f"{kind}:{row.rank}")
                ax.annotate(
                    f" {row.purged} of {row.total} purged",
                    (row.total, y),
                    va="center",
                    fontsize=9,
                )
            ax.set_xlim(0, frame["total"].max() * 1.3)
            xlabel = "Number of men"
            title = "Top ranks of the Red Army: how many were purged, 1937–1938"
        else:
            for y, row in zip(ys, rows, strict=True):
                (bar,) = ax.barh(
                    y, row.share, height=0.6, color=_PURGED[0], edgecolor="white",
                    label=_PURGED[2] if y == ys[0] else None,
                )  # fmt: skip
                bar.set_gid(f"purged:{row.rank}")
                (rest,) = ax.barh(
                    y, 100 - row.share, left=row.share, height=0.6, color=_SPARED[0],
                    hatch=_SPARED[1], edgecolor="white",
                    label=_SPARED[2] if y == ys[0] else None,
                )  # fmt: skip
                rest.set_gid(f"spared:{row.rank}")
                ax.annotate(
                    f" {_pct(row.purged, row.total)} ({row.purged} of {row.total})",
                    (100, y),
                    va="center",
                    fontsize=9,
                    annotation_clip=False,
                )
            ax.set_xlim(0, 100)
            xlabel = "Share of the men holding the rank (%)"
            title = "Top ranks of the Red Army: share purged, 1937–1938"
        ax.set_yticks(ys, [str(row.rank) for row in rows])
        label_axes(ax, title, xlabel, "Rank (commissars were political officers)")
        ax.legend(loc="upper center", bbox_to_anchor=(0.45, -0.13), ncols=2, fontsize=9)
    return Chart(figure, purge_by_rank_summary(view, frame), source)


def _archive(
    discharges: pd.DataFrame | None, reinstated: pd.DataFrame | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The yearly discharges, and the first count of officers taken back (one row)."""
    discharges = data.load("military_discharges") if discharges is None else discharges
    reinstated = data.load("military_reinstatements") if reinstated is None else reinstated
    return discharges, reinstated.sort_values("as_of").head(1)


def _two_year_arrests(discharges: pd.DataFrame) -> tuple[int, int, int] | None:
    """``(first year, last year, arrests)`` for an arrest total given for two years together.

    The total sits on the row of the later year (column ``arrested_two_years``); it covers
    that year and the one before. None if the data have no such total.

    >>> _two_year_arrests(data.load("military_discharges"))
    (1937, 1938, 9506)
    """
    if "arrested_two_years" not in discharges:
        return None
    rows = discharges.dropna(subset=["arrested_two_years"])
    if rows.empty:
        return None
    row = rows.iloc[0]
    return int(row.year) - 1, int(row.year), int(row.arrested_two_years)


def _span(first: int, last: int) -> str:
    return f"{first}–{str(last)[-2:]}"


def officer_discharges_summary(
    discharges: pd.DataFrame | None = None, reinstated: pd.DataFrame | None = None
) -> str:
    """One sentence on the archive figures.

    >>> print(officer_discharges_summary()[:77])
    In 1937 and 1938 the Red Army discharged 35,020 officers (18,658 and 16,362);
    """
    discharges, back = _archive(discharges, reinstated)
    first = back.iloc[0]
    terror = discharges[discharges["year"].isin([1937, 1938])].sort_values("year")
    discharged = int(terror["discharged"].sum())
    arrests = discharges.dropna(subset=["arrested"])
    peak_arrests = arrests.loc[arrests["arrested"].idxmax()]
    yearly = f"{int(peak_arrests.arrested):,} arrests are recorded for {int(peak_arrests.year)}"
    two_years = _two_year_arrests(discharges)
    if two_years is not None and two_years[:2] == (1937, 1938):
        total = two_years[2]
        arrested = (
            f"{total:,} of them ({_pct(total, discharged)}) were arrested, a total given only "
            f"for the two years together ({yearly} alone)"
        )
    else:
        arrested = yearly
    return (
        f"In 1937 and 1938 the Red Army discharged {discharged:,} officers "
        f"({' and '.join(f'{int(v):,}' for v in terror['discharged'])}); {arrested}; "
        f"by {date_in_words(first.as_of)}, {int(first.reinstated):,} discharged officers had been "
        "taken back."
    )


_ARCHIVE_SERIES = (
    ("discharged", "Discharged (all reasons)", OKABE_ITO["blue"], ""),
    ("discharged_political", "…of whom for political reasons", OKABE_ITO["orange"], ".."),
    ("arrested", "Arrested (in that year)", OKABE_ITO["vermillion"], "xx"),
)


def officer_discharges(
    discharges: pd.DataFrame | None = None, reinstated: pd.DataFrame | None = None
) -> Chart:
    """Draw the archive figures: officers discharged, discharged for politics and arrested, by year.

    Missing figures are marked "not given", never drawn as zero. An arrest total given only
    for two years together (1937 and 1938) is drawn as a separate hatched bar, labelled as a
    two-year total, and the years it covers are marked "in the 1937–38 total" instead of
    "not given". A last bar shows how many discharged officers had been taken back by
    1 May 1940. Bars have gids such as ``"arrested:1938"``, ``"arrested:1937-1938"`` and
    ``"reinstated"``.
    """
    discharges, back = _archive(discharges, reinstated)
    first = back.iloc[0]
    source = sources_of(pd.concat([discharges, back]))
    years = [int(y) for y in discharges["year"]]
    two_years = _two_year_arrests(discharges)
    covered = set(range(two_years[0], two_years[1] + 1)) if two_years else set()
    width = 0.27
    with house_style():
        figure, ax = new_figure(9, 5.6, source)
        for n, (column, label, colour, hatch) in enumerate(_ARCHIVE_SERIES):
            offset = (n - 1) * width
            first_bar = True
            for x, row in enumerate(discharges.itertuples(index=False)):
                value = getattr(row, column)
                if pd.isna(value):
                    in_total = column == "arrested" and int(row.year) in covered
                    ax.text(
                        x + offset, 300,
                        f"in the {_span(*two_years[:2])} total" if in_total else "not given",
                        rotation=90, ha="center", va="bottom", fontsize=7,
                        color="#333333" if in_total else "#555555",
                    )  # fmt: skip
                    continue
                (bar,) = ax.bar(
                    x + offset, int(value), width=width, color=colour, hatch=hatch,
                    edgecolor="white", label=label if first_bar else None,
                )  # fmt: skip
                bar.set_gid(f"{column}:{row.year}")
                first_bar = False
        ticks, labels = list(range(len(years))), [str(year) for year in years]
        x_next = len(years) + 0.4
        if two_years is not None:
            start, end, total = two_years
            (bar,) = ax.bar(
                x_next, total, width=2 * width, color=OKABE_ITO["vermillion"], hatch="//",
                edgecolor="white",
                label=f"Arrested, {_span(start, end)} together: {total:,} (one total for two years)",
            )  # fmt: skip
            bar.set_gid(f"arrested:{start}-{end}")
            ax.annotate(
                f"{total:,}\n(2 years)", (x_next, total), ha="center", va="bottom", fontsize=9,
            )  # fmt: skip
            ticks.append(x_next)
            labels.append(f"Arrested\n{_span(start, end)}\ntogether")
            x_next += 1
        (bar,) = ax.bar(
            x_next, int(first.reinstated), width=2 * width, color=OKABE_ITO["bluish green"],
            hatch="\\\\", edgecolor="white",
            label=f"Taken back into the army by {date_in_words(first.as_of)}",
        )  # fmt: skip
        bar.set_gid("reinstated")
        ax.annotate(
            f"{int(first.reinstated):,}", (x_next, int(first.reinstated)), ha="center",
            va="bottom", fontsize=9,
        )  # fmt: skip
        ax.set_xticks(
            [*ticks, x_next],
            [*labels, f"by\n{date_in_words(first.as_of)}"],
        )
        ax.yaxis.set_major_formatter("{x:,.0f}")
        label_axes(
            ax,
            "Red Army officers discharged, arrested and taken back (archive figures)",
            "Year",
            "Number of officers",
        )
        ax.legend(loc="upper right", fontsize=9)
    return Chart(figure, officer_discharges_summary(discharges, reinstated), source)
