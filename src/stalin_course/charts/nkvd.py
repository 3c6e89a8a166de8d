"""Charts for lesson 05: the NKVD, its chiefs, its arrests and Order 00447."""

from __future__ import annotations

import textwrap

import pandas as pd
from matplotlib.artist import Artist

from .. import data
from .dates import date_in_words, decimal_year
from .style import OKABE_ITO, Chart, house_style, label_axes, new_figure, sources_of
from .view import View

__all__ = [
    "CHIEF_COLOURS",
    "ALL_CHIEFS",
    "ChiefsView",
    "nkvd_chief_summary",
    "nkvd_chiefs_timeline",
    "nkvd_years_chart",
    "nkvd_years_summary",
]

#: Colour and hatch (a second cue besides colour) for each NKVD chief, by surname.
CHIEF_COLOURS: dict[str, tuple[str, str]] = {
    "Yagoda": (OKABE_ITO["blue"], "//"),
    "Yezhov": (OKABE_ITO["vermillion"], ""),
    "Beria": (OKABE_ITO["bluish green"], ".."),
}


def _surname(name: str) -> str:
    return str(name).split()[-1]


def _chiefs(frame: pd.DataFrame | None) -> pd.DataFrame:
    frame = data.load("nkvd_chiefs") if frame is None else frame
    return frame.sort_values("start", kind="stable").reset_index(drop=True)


def nkvd_chief_summary(chief: str | None = None, frame: pd.DataFrame | None = None) -> str:
    """One sentence on one chief (by full name or surname), or on all of them if ``chief`` is None.

    >>> nkvd_chief_summary().endswith("Lavrentiy Beria (1938–1945); all three were later shot.")
    True
    >>> nkvd_chief_summary("Yezhov")[:71]
    'Nikolai Yezhov led the NKVD from 26 September 1936 to 25 November 1938.'
    """
    frame = _chiefs(frame)
    if chief is None:
        terms = [f"{row.name} ({row.start[:4]}–{row.end[:4]})" for row in frame.itertuples()]
        listed = ", ".join(terms[:-1]) + " and " + terms[-1] if len(terms) > 1 else terms[0]
        shot = frame["fate"].str.contains("shot")
        count = {1: "one", 2: "two", 3: "three"}.get(len(frame), str(len(frame)))
        ending = (
            f"all {count} were later shot"
            if shot.all()
            else f"{int(shot.sum())} of them were later shot"
        )
        return (
            f"{count.capitalize()} men led the NKVD from {frame['start'].min()[:4]} to "
            f"{frame['end'].max()[:4]}: {listed}; {ending}."
        )
    row = frame[(frame["name"] == chief) | (frame["name"].map(_surname) == chief)]
    if row.empty:
        raise ValueError(f"no NKVD chief called {chief!r}")
    row = row.iloc[0]
    return (
        f"{row['name']} led the NKVD from {date_in_words(row.start)} to {date_in_words(row.end)}. "
        f"What happened to him: {row.fate} ({date_in_words(row.fate_date)})."
    )


#: The choice that shows every chief alike (in :class:`ChiefsView` and its widget).
ALL_CHIEFS = "All three chiefs"


class ChiefsView(View):
    """The NKVD's chiefs as a Gantt chart, drawn once; the key is one man to highlight
    (full name or surname; None or :data:`ALL_CHIEFS`: all alike).

    A thick bar (gid ``"term:<surname>"``) covers each man's time as chief; a dotted
    line (gid ``"after:<surname>"``) runs on to a black cross (``"fate:<surname>"``) at
    the date of his death. Highlighting only changes transparency, so a redraw reuses
    the figure and repaints just those artists.
    """

    def __init__(self, frame: pd.DataFrame | None = None) -> None:
        self.frame = frame = _chiefs(frame)
        self.source = sources_of(frame)
        self.names = [str(name) for name in frame["name"]]
        rows = list(frame.itertuples(index=False))
        first, last = int(frame["start"].min()[:4]), int(frame["fate_date"].max()[:4]) + 1
        self.artists: dict[str, list[Artist]] = {}
        with house_style():
            figure, ax = new_figure(10, 4.6, self.source)
            ax.axvspan(1937, 1939, color="#eeeeee", zorder=0)
            ax.text(1938, -0.45, "Great Terror\n1937–1938", ha="center", va="bottom",
                    fontsize=8)  # fmt: skip
            for number, row in enumerate(rows):
                y = len(rows) - 1 - number
                surname = _surname(row.name)
                colour, hatch = CHIEF_COLOURS.get(surname, (OKABE_ITO["grey"], "xx"))
                start, end = decimal_year(row.start), decimal_year(row.end)
                fate = decimal_year(row.fate_date)
                (bar,) = ax.barh(
                    y, end - start, left=start, height=0.5, color=colour, hatch=hatch,
                    edgecolor="white", label=f"{row.name}: chief {row.start[:4]}–{row.end[:4]}",
                    gid=f"term:{surname}",
                )  # fmt: skip
                (after,) = ax.plot([end, fate], [y, y], linestyle=":", color=colour,
                                   linewidth=2, gid=f"after:{surname}")  # fmt: skip
                (cross,) = ax.plot(fate, y, marker="X", color="black", markersize=10,
                                   gid=f"fate:{surname}")  # fmt: skip
                text = ax.annotate(
                    "\n".join(textwrap.wrap(f"{row.fate} ({date_in_words(row.fate_date)})", 34)),
                    (fate, y + 0.3), ha="right" if fate > last - 4 else "left", va="bottom",
                    fontsize=8, linespacing=1.1, gid=f"label:{surname}",
                )  # fmt: skip
                self.artists[str(row.name)] = [bar, after, cross, text]
            ax.set_yticks(range(len(rows)), [str(row.name) for row in reversed(rows)])
            ax.set_ylim(-0.5, len(rows) - 0.1)
            ax.set_xlim(first, last)
            ax.set_xticks(range(first, last + 1, 2))
            label_axes(
                ax,
                "Heads of the NKVD: their time in charge and what happened to them",
                "Year (bar: in charge of the NKVD; dotted line: afterwards; ✕: death)",
                "NKVD chief",
            )
        dynamic = [artist for artists in self.artists.values() for artist in artists]
        super().__init__(figure, self.source, dynamic)

    def _name(self, chief: str | None) -> str | None:
        if chief in (None, ALL_CHIEFS):
            return None
        for name in self.names:
            if chief in (name, _surname(name)):
                return name
        raise ValueError(f"no NKVD chief called {chief!r}; expected one of {self.names}")

    def apply(self, chief: str | None) -> str:
        """Fade every chief but ``chief``."""
        wanted = self._name(chief)
        for name, artists in self.artists.items():
            for artist in artists:
                artist.set_alpha(1.0 if wanted in (None, name) else 0.2)
        return nkvd_chief_summary(wanted, self.frame)

    def chart(self, chief: str | None = None) -> Chart:
        """The chart with ``chief`` (full name or surname) highlighted; None: all alike."""
        return super().chart(self._name(chief) or ALL_CHIEFS)


def nkvd_chiefs_timeline(chief: str | None = None, frame: pd.DataFrame | None = None) -> Chart:
    """Draw the NKVD's chiefs as a Gantt chart, one man highlighted if ``chief`` is given."""
    return ChiefsView(frame).chart(chief)


def _years(frame: pd.DataFrame | None, start: int, end: int) -> pd.DataFrame:
    frame = data.load("repression_by_year") if frame is None else frame
    years = frame[(frame["year"] >= start) & (frame["year"] <= end)]
    return years.sort_values("year").reset_index(drop=True)


def _chief_in_charge(year: int, chiefs: pd.DataFrame) -> str:
    """Surname of the chief in charge at the middle of ``year`` ("" if none)."""
    middle = year + 0.5
    for row in chiefs.itertuples(index=False):
        if decimal_year(row.start) <= middle < decimal_year(row.end):
            return _surname(row.name)
    return ""


def nkvd_years_summary(
    frame: pd.DataFrame | None = None,
    chiefs: pd.DataFrame | None = None,
    start: int = 1935,
    end: int = 1941,
) -> str:
    """One sentence comparing the years of each NKVD chief (a year counts for the man in
    charge at its middle), the worst years first.

    >>> nkvd_years_summary()[:80]
    'Under Yezhov (1937–1938) 1,344,923 people were convicted of political crimes and'
    """
    years, chiefs = _years(frame, start, end), _chiefs(chiefs)
    years = years.assign(chief=[_chief_in_charge(int(y), chiefs) for y in years["year"]])
    totals = [
        (int(group["convicted"].sum()), int(group["executed"].sum()), surname, group["year"])
        for surname, group in years.groupby("chief", sort=False)
        if surname
    ]
    totals.sort(key=lambda item: -item[0])
    parts = [
        f"{surname} ({int(span.min())}–{int(span.max())}) {convicted:,} people were convicted "
        f"of political crimes and {executed:,} sentenced to death"
        for convicted, executed, surname, span in totals
    ]
    return "Under " + "; under ".join(parts) + "."


_YEAR_SERIES = (
    ("arrests", "Arrested (figures exist only for 1937 and 1938)", OKABE_ITO["orange"], ".."),
    ("convicted", "Convicted", OKABE_ITO["blue"], ""),
    ("executed", "Sentenced to death", OKABE_ITO["vermillion"], "xx"),
)


def nkvd_years_chart(
    frame: pd.DataFrame | None = None,
    chiefs: pd.DataFrame | None = None,
    start: int = 1935,
    end: int = 1941,
) -> Chart:
    """Draw arrests, convictions and death sentences year by year, with each chief's years shaded.

    The arrests bar appears only where the data has a figure (1937 and 1938),
    never estimated. Bars have gids such as ``"executed:1937"``.
    """
    years, chief_rows = _years(frame, start, end), _chiefs(chiefs)
    source = sources_of(years)
    width = 0.28
    with house_style():
        figure, ax = new_figure(10, 5, source)
        top = float(years[["convicted", "arrests"]].max().max()) * 1.18
        for row in chief_rows.itertuples(index=False):
            # year Y's bars sit at x = Y, so a date d (as a year with a fraction) is at d - 0.5
            left = max(decimal_year(row.start) - 0.5, start - 0.5)
            right = min(decimal_year(row.end) - 0.5, end + 0.5)
            if right <= left:
                continue
            colour, _hatch = CHIEF_COLOURS.get(_surname(row.name), (OKABE_ITO["grey"], ""))
            span = ax.axvspan(left, right, color=colour, alpha=0.12, zorder=0)
            span.set_gid(f"in-charge:{_surname(row.name)}")
            ax.text(
                (left + right) / 2, top * 0.97, f"{_surname(row.name)} in charge",
                ha="center", va="top", fontsize=9, color="#222222",
            )  # fmt: skip
        for n, (column, label, colour, hatch) in enumerate(_YEAR_SERIES):
            shown = years.dropna(subset=[column])
            bars = ax.bar(
                shown["year"].astype(int) + (n - 1) * width, shown[column].astype(int),
                width=width, color=colour, hatch=hatch, edgecolor="white", label=label,
            )  # fmt: skip
            for bar, year in zip(bars, shown["year"], strict=True):
                bar.set_gid(f"{column}:{int(year)}")
        ax.set_xticks(range(start, end + 1), [str(y) for y in range(start, end + 1)])
        ax.set_xlim(start - 0.5, end + 0.5)
        ax.set_ylim(0, top)
        ax.yaxis.set_major_formatter("{x:,.0f}")
        label_axes(
            ax,
            f"Political arrests, convictions and death sentences, {start}–{end}",
            "Year (the shading shows who was in charge of the NKVD)",
            "Number of people",
        )
        ax.legend(loc="upper right", bbox_to_anchor=(1, 0.9), fontsize=9)
    return Chart(figure, nkvd_years_summary(frame, chiefs, start, end), source)
