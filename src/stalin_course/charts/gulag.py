"""Charts for lesson 06: the Gulag's prisoners and recorded deaths, 1930-1941.

The prisoner counts in ``gulag_population.csv`` come in three **series** that
count different things (camps only; camps and labour colonies; prisons). They
are drawn with different colours and markers and are never joined into one
line. A line joins two counts only when they are in the same series and in
consecutive years.

>>> summary = gulag_population_summary("camps (ITL)")
>>> summary.startswith("The camps alone (ITL) held 179,000 prisoners on 1 January 1930")
True
>>> "1,334,408 (also printed as 1,344,408) on 1 January 1940, 7.5 times as many" in summary
True
"""

from __future__ import annotations

import re

import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.legend import Legend
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from .. import data
from .dates import date_in_words, decimal_year, on_date
from .style import OKABE_ITO, Chart, house_style, label_axes, new_figure, sources_of
from .view import View

__all__ = [
    "GULAG_CHOICES",
    "GULAG_SERIES",
    "GulagView",
    "gulag_deaths",
    "gulag_deaths_summary",
    "gulag_population",
    "gulag_population_summary",
]

#: Each prisoner-count series: (colour, marker, legend label, phrase for summaries).
GULAG_SERIES: dict[str, tuple[str, str, str, str]] = {
    "camps (ITL)": (
        OKABE_ITO["blue"],
        "o",
        "Camps only (ITL), 1 January",
        "The camps alone (ITL)",
    ),
    "camps and colonies": (
        OKABE_ITO["orange"],
        "D",
        "Camps and labour colonies together",
        "Camps and labour colonies together",
    ),
    "prisons": (OKABE_ITO["bluish green"], "s", "Prisons, 1 January", "Prisons"),
}


def _also_printed(note: object) -> str:
    """The other printed figure named in an UNCERTAIN note, or ''.

    >>> _also_printed("UNCERTAIN: 1,344,408 is also printed; unresolved.")
    '1,344,408'
    """
    found = re.search(r"UNCERTAIN: ([\d,]+) is also printed", str(note or ""))
    return found.group(1) if found else ""


def _population(frame: pd.DataFrame | None) -> pd.DataFrame:
    frame = data.load("gulag_population") if frame is None else frame
    frame = frame.copy()
    frame["as_of"] = [
        str(as_of) if isinstance(as_of, str) and as_of else f"{year}-01-01"
        for as_of, year in zip(frame["as_of"], frame["year"], strict=True)
    ]
    return frame.sort_values("as_of", kind="stable")


def _runs(rows: pd.DataFrame) -> list[pd.DataFrame]:
    """Split one series into runs of consecutive years (a gap breaks the line)."""
    runs: list[pd.DataFrame] = []
    start = 0
    years = list(rows["year"])
    for index in range(1, len(years) + 1):
        if index == len(years) or years[index] != years[index - 1] + 1:
            runs.append(rows.iloc[start:index])
            start = index
    return runs


def _count(row: object) -> str:
    """A prisoner count with 'about' when it is rounded to thousands and not dated to a day."""
    as_of, prisoners = row.as_of, int(row.prisoners)  # type: ignore[attr-defined]
    rounded = len(as_of) < 10 or prisoners % 100_000 == 0
    return f"{'about ' if rounded else ''}{prisoners:,}"


def gulag_population_summary(series: str | None = None, frame: pd.DataFrame | None = None) -> str:
    """One sentence on the prisoner counts of one series, or of all three kept apart.

    >>> print(gulag_population_summary("prisons"))
    Prisons held 352,508 prisoners on 1 January 1939 (the only prison count in the data).
    """
    frame = _population(frame)
    if series is None:
        camps = gulag_population_summary("camps (ITL)", frame).rstrip(".")
        mixed = frame[frame["series"] != "camps (ITL)"]
        others = "; ".join(
            f"{_count(row)} in {GULAG_SERIES[row.series][3].lower()} ({date_in_words(row.as_of)})"
            for row in mixed.itertuples(index=False)
        )
        return f"{camps}. Counts of other kinds are kept separate: {others}."
    rows = frame[frame["series"] == series]
    phrase = GULAG_SERIES[series][3]
    if len(rows) == 1:
        row = rows.iloc[0]
        return (
            f"{phrase} held {_count(row)} prisoners {on_date(row.as_of)} "
            f"(the only {series.rstrip('s')} count in the data)."
        )
    first, last = rows.iloc[0], rows.iloc[-1]
    ratio = last.prisoners / first.prisoners
    other = _also_printed(last.note)
    return (
        f"{phrase} held {_count(first)} prisoners {on_date(first.as_of)} and {_count(last)}"
        f"{f' (also printed as {other})' if other else ''} {on_date(last.as_of)}, "
        f"{ratio:.1f} times as many."
    )


def _population_artists(ax: Axes, frame: pd.DataFrame) -> dict[str, list[Artist]]:
    """Draw every series of ``frame`` on ``ax``; return each series' artists by name."""
    drawn: dict[str, list[Artist]] = {}
    for name, (colour, marker, label, _phrase) in GULAG_SERIES.items():
        rows = frame[frame["series"] == name]
        if rows.empty:
            continue
        artists: list[Artist] = []
        for number, run in enumerate(_runs(rows)):
            (line,) = ax.plot(
                [decimal_year(a) for a in run["as_of"]],
                run["prisoners"].astype(float),
                color=colour,
                marker=marker,
                markersize=8,
                linestyle="-" if len(run) > 1 else "none",
                linewidth=2,
                label=label if number == 0 else None,
                gid=f"series:{name}:{number}",
            )
            artists.append(line)
        for row in rows.itertuples(index=False):
            text = f"{row.prisoners:,}"
            if not row.as_of.endswith("-01-01"):
                text = f"about {text}\n({date_in_words(row.as_of)})"
            if _also_printed(row.note):
                text += f"\n(also printed\nas {_also_printed(row.note)})"
            artists.append(
                ax.annotate(
                    text,
                    (decimal_year(row.as_of), float(row.prisoners)),
                    xytext=(0, 9),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=8,
                    gid=f"label:{name}",
                )
            )
        drawn[name] = artists
    return drawn


def _population_legend(ax: Axes, lines: list[Artist], one: bool = False) -> Legend:
    title = "Shown (the other counts are faded)" if one else "What was counted (never joined up)"
    return Legend(
        ax, lines, [line.get_label() for line in lines], loc="upper left", title=title, fontsize=9
    )


def _population_axes(ax: Axes, title: str) -> None:
    ax.set_xlim(1929.5, 1942)
    ax.set_ylim(0, 2_750_000)
    ax.set_xticks(range(1930, 1942))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:,.0f}"))
    ax.grid(axis="y", color="#e5e5e5")
    label_axes(
        ax, title, "Date of the count (1 January, unless marked)", "Prisoners held on that date"
    )


#: The choices of :class:`GulagView`: label shown to students -> series (or None: all).
GULAG_CHOICES: dict[str, str | None] = {
    "All three counts, kept apart": None,
    "Camps only (ITL)": "camps (ITL)",
    "Camps and labour colonies together": "camps and colonies",
    "Prisons": "prisons",
}


class GulagView(View):
    """Every series drawn once; the key is a label of :data:`GULAG_CHOICES`, and only the
    chosen series (and its legend) are drawn on the saved background."""

    def __init__(self, frame: pd.DataFrame | None = None) -> None:
        self.frame = frame = _population(frame)
        source = sources_of(frame)
        with house_style():
            figure, ax = new_figure(9, 5, source)
            self.series = _population_artists(ax, frame)
            _population_axes(ax, "Gulag prisoners, 1930–1941")
            self.legends = {
                choice: ax.add_artist(
                    _population_legend(
                        ax,
                        [self.series[name][0] for name in self.series if wanted in (None, name)],
                        one=wanted is not None,
                    )
                )
                for choice, wanted in GULAG_CHOICES.items()
            }
        dynamic = [artist for artists in self.series.values() for artist in artists]
        super().__init__(figure, source, [*dynamic, *self.legends.values()])

    def apply(self, choice: str) -> str:
        """Show the series of ``choice`` and its legend; fade the other counts (their labels
        hidden) so that one count is always seen beside the others, never joined to them."""
        wanted = GULAG_CHOICES[choice]
        for name, artists in self.series.items():
            shown = wanted in (None, name)
            for artist in artists:
                is_label = str(artist.get_gid()).startswith("label:")
                artist.set_visible(shown or not is_label)
                artist.set_alpha(1.0 if shown else 0.22)
        for label, legend in self.legends.items():
            legend.set_visible(label == choice)
        return gulag_population_summary(wanted, self.frame)


def gulag_population(series: str | None = None, frame: pd.DataFrame | None = None) -> Chart:
    """Prisoners held in the Gulag, with each series drawn on its own (never joined).

    ``series`` draws only one of the keys of :data:`GULAG_SERIES`; ``None``
    draws all three, side by side but apart. Every count is labelled with its
    value; the uncertain 1940 camp count carries its note. With the course data
    the lesson and its explorer share one figure.
    """
    choice = next(label for label, name in GULAG_CHOICES.items() if name == series)
    view = GulagView.shared() if frame is None else GulagView(frame)
    return view.chart(choice)


def gulag_deaths_summary(frame: pd.DataFrame | None = None) -> str:
    """One sentence on the recorded deaths: the worst year, the lowest, the total.

    >>> print(gulag_deaths_summary())  # doctest: +NORMALIZE_WHITESPACE
    The Gulag recorded the most deaths in 1938 (126,585) and the fewest in 1931 (7,283);
    406,645 deaths were recorded in 1930–1939; series: camps and colonies
    (Gulag History Museum series).
    """
    frame = data.load("gulag_deaths") if frame is None else frame
    high = frame.loc[frame["deaths"].idxmax()]
    low = frame.loc[frame["deaths"].idxmin()]
    series = "; ".join(dict.fromkeys(frame["series"]))
    return (
        f"The Gulag recorded the most deaths in {high.year} ({high.deaths:,}) and the fewest "
        f"in {low.year} ({low.deaths:,}); {int(frame['deaths'].sum()):,} deaths were recorded "
        f"in {frame['year'].min()}–{frame['year'].max()}; series: {series}."
    )


def gulag_deaths(frame: pd.DataFrame | None = None) -> Chart:
    """Recorded deaths in the camps and colonies by year, one bar per year.

    Years with a note (the 1933 famine, the 1938 peak) are hatched and labelled.
    """
    frame = data.load("gulag_deaths") if frame is None else frame
    frame = frame.sort_values("year")
    source = sources_of(frame)
    series = "; ".join(dict.fromkeys(frame["series"]))
    with house_style():
        figure, ax = new_figure(9, 5, source)
        noted = frame["note"].fillna("").astype(str) != ""
        bars = ax.bar(
            frame["year"].astype(int),
            frame["deaths"].astype(float),
            color=[OKABE_ITO["vermillion"] if flag else OKABE_ITO["blue"] for flag in noted],
            edgecolor="white",
        )
        for bar, flag, row in zip(bars, noted, frame.itertuples(index=False), strict=True):
            bar.set_gid(f"deaths:{row.year}")
            if flag:
                bar.set_hatch("//")
            label = f"{row.deaths:,}"
            if flag:
                label += "\n" + str(row.note).rstrip(".")
            ax.annotate(
                label,
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=8,
            )
        ax.set_xticks(frame["year"].astype(int))
        ax.set_ylim(0, frame["deaths"].max() * 1.25)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:,.0f}"))
        ax.grid(axis="y", color="#e5e5e5")
        ax.set_axisbelow(True)
        handles = [
            Patch(color=OKABE_ITO["blue"], label=f"Recorded deaths: {series}"),
            Patch(
                facecolor=OKABE_ITO["vermillion"],
                hatch="//",
                edgecolor="white",
                label="Years with a note in the data (hatched)",
            ),
        ]
        ax.legend(handles=handles, loc="upper left", fontsize=9)
        label_axes(
            ax,
            "Deaths recorded in the Gulag's camps and colonies, 1930–1939",
            "Year",
            "Deaths recorded in that year",
        )
    return Chart(figure, gulag_deaths_summary(frame), source)
