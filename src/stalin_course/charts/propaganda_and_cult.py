"""Charts for lesson 08: propaganda, the cult of Stalin and the Komsomol.

>>> komsomol_summary()
'Komsomol membership grew from 1.75 million in 1926 to 10.2 million in 1940, about 5.8 times as many.'
"""

from __future__ import annotations

import pandas as pd

from .. import data
from .style import OKABE_ITO, Chart, house_style, label_axes, new_figure, sources_of
from .view import View

__all__ = ["KomsomolView", "komsomol_chart", "komsomol_summary", "komsomol_year_summary"]


def _komsomol(frame: pd.DataFrame | None) -> pd.DataFrame:
    frame = data.load("komsomol_membership") if frame is None else frame
    return frame.sort_values("year", kind="stable").reset_index(drop=True)


def _millions(value: float) -> str:
    """A number of members in millions, without a trailing zero.

    >>> _millions(1750000), _millions(10200000), _millions(4500000)
    ('1.75 million', '10.2 million', '4.5 million')
    """
    return f"{value / 1_000_000:.2f}".rstrip("0").rstrip(".") + " million"


def komsomol_summary(frame: pd.DataFrame | None = None) -> str:
    """One sentence on how Komsomol membership changed between the first and last counts."""
    frame = _komsomol(frame)
    first, last = frame.iloc[0], frame.iloc[-1]
    ratio = last["members"] / first["members"]
    return (
        f"Komsomol membership grew from {_millions(first['members'])} in {first['year']} "
        f"to {_millions(last['members'])} in {last['year']}, about {ratio:.1f} times as many."
    )


def komsomol_year_summary(year: int, frame: pd.DataFrame | None = None) -> str:
    """One sentence on the count for ``year``, compared with the first count.

    >>> komsomol_year_summary(1933)
    'In 1933 the Komsomol had about 4.5 million members, about 2.6 times as many as in 1926.'
    >>> komsomol_year_summary(1926)
    'In 1926 the Komsomol had about 1.75 million members, the first count on this chart.'
    """
    frame = _komsomol(frame)
    rows = frame[frame["year"] == year]
    if rows.empty:
        years = ", ".join(str(y) for y in frame["year"])
        return f"There is no count for {year}; the counts are for {years}."
    row, first = rows.iloc[0], frame.iloc[0]
    start = f"In {year} the Komsomol had about {_millions(row['members'])} members"
    if year == first["year"]:
        return f"{start}, the first count on this chart."
    ratio = row["members"] / first["members"]
    return f"{start}, about {ratio:.1f} times as many as in {first['year']}."


class KomsomolView(View):
    """Komsomol members at each count in the data, as points joined by a line; the key is a
    year whose count is ringed (None: no ring).

    Only the years in the data are plotted (the gaps between them are uneven);
    the x axis keeps real time, so a steeper line means faster growth. The
    ring that marks a chosen count is the only part redrawn when it moves.
    """

    def __init__(self, frame: pd.DataFrame | None = None) -> None:
        self.frame = _komsomol(frame)
        self.source = sources_of(self.frame)
        self.years = self.frame["year"].astype(int).tolist()
        self.millions = (self.frame["members"].astype(float) / 1_000_000).tolist()
        with house_style():
            figure, ax = new_figure(8, 4.5, self.source)
            ax.plot(
                self.years,
                self.millions,
                color=OKABE_ITO["blue"],
                marker="o",
                markersize=8,
                linewidth=2,
                gid="members",
            )
            for x, y in zip(self.years, self.millions, strict=True):
                ax.annotate(
                    _millions(y * 1_000_000),
                    (x, y),
                    xytext=(0, 10),
                    textcoords="offset points",
                    ha="center",
                    fontsize=9,
                )
            (self.ring,) = ax.plot(
                [],
                [],
                marker="o",
                markersize=18,
                markerfacecolor="none",
                markeredgecolor=OKABE_ITO["vermillion"],
                markeredgewidth=2.5,
                linestyle="none",
                gid="highlight",
            )
            ax.set_xticks(self.years, [str(y) for y in self.years])
            ax.set_xlim(min(self.years) - 1, max(self.years) + 1)
            ax.set_ylim(0, max(self.millions) * 1.15)
            label_axes(
                ax,
                "Komsomol (Young Communist League) members, 1926–1940",
                "Year of the count (only years with a count are shown)",
                "Members (millions)",
            )
        self.ax = ax
        super().__init__(figure, self.source, [self.ring])

    def apply(self, year: int | None) -> str:
        """Ring the count for ``year`` (no ring if None or if there is no count that year)."""
        if year is not None and year in self.years:
            self.ring.set_data([year], [self.millions[self.years.index(year)]])
        else:
            self.ring.set_data([], [])
        if year is None:
            return komsomol_summary(self.frame)
        return komsomol_year_summary(year, self.frame)


def komsomol_chart(year: int | None = None, frame: pd.DataFrame | None = None) -> Chart:
    """Komsomol membership at each count in the data; ``year`` rings one count.

    With the course data (no ``frame``), every call shares one figure, so the
    chart in the lesson and its explorer are drawn only once.
    """
    view = KomsomolView.shared() if frame is None else KomsomolView(frame)
    return view.chart(year)
