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
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from .. import data
from .style import (
    OKABE_ITO,
    Chart,
    canvas_png,
    fixed_canvas,
    house_style,
    label_axes,
    new_figure,
    sources_of,
)

__all__ = [
    "GULAG_CHOICES",
    "GULAG_SERIES",
    "gulag_population_layers",
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


class Layers:
    """A finished figure whose groups of artists ("layers") switch on and off quickly.

    The first :meth:`png` lays the figure out once, draws everything that is
    not in a layer and keeps that picture; later calls restore it and draw
    only the layers asked for (the same trick as :class:`~.style.YearMarker`).
    """

    def __init__(self, figure: Figure, layers: dict[Hashable, list[Artist]]) -> None:
        self.figure, self.layers = figure, layers
        self._canvas: FigureCanvasAgg | None = None
        self._background = None

    def show(self, keys: Sequence[Hashable]) -> None:
        """Make exactly the artists of ``keys`` visible (for a normal full redraw)."""
        wanted = set(keys)
        for key, artists in self.layers.items():
            for artist in artists:
                artist.set_visible(key in wanted)

    def prepare(self) -> None:
        """Lay the figure out and keep its background picture (done once; the slow part)."""
        if self._canvas is None:
            canvas = fixed_canvas(self.figure)
            self.show([])
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.figure.bbox)
            self._canvas = canvas

    def png(self, keys: Sequence[Hashable]) -> bytes:
        """The figure as PNG bytes with only the layers ``keys`` drawn on the background."""
        figure = self.figure
        self.prepare()
        assert self._canvas is not None
        self.show(keys)
        self._canvas.restore_region(self._background)
        for key in keys:
            for artist in self.layers[key]:
                (artist.axes or figure).draw_artist(artist)
        return canvas_png(self._canvas)


@dataclass(frozen=True)
class LayeredChart(Chart):
    """A :class:`Chart` drawn by switching :class:`Layers` on a shared figure."""

    layers: Layers | None = field(default=None, repr=False, compare=False)
    keys: tuple[Hashable, ...] | list[Hashable] = ()

    def png(self, dpi: int = 100) -> bytes:
        """PNG bytes: a fast layered redraw at the figure's own resolution."""
        if self.layers is None:
            return super().png(dpi)
        if dpi == self.figure.dpi:
            return self.layers.png(list(self.keys))
        self.layers.show(list(self.keys))
        return super().png(dpi)


_MONTHS = (
    "January February March April May June July August September October November December"
).split()


def _when(as_of: str) -> str:
    """'1930-01-01' -> '1 January 1930'; '1941-06' -> 'June 1941'.

    >>> _when("1941-06")
    'June 1941'
    """
    parts = [int(part) for part in as_of.split("-")]
    if len(parts) == 3:
        return f"{parts[2]} {_MONTHS[parts[1] - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{_MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0])


def _on(as_of: str) -> str:
    """'on 1 January 1930' for a full date, 'in June 1941' for a month or year."""
    return f"{'on' if len(as_of) == 10 else 'in'} {_when(as_of)}"


def _also_printed(note: object) -> str:
    """The other printed figure named in an UNCERTAIN note, or ''.

    >>> _also_printed("UNCERTAIN: 1,344,408 is also printed; unresolved.")
    '1,344,408'
    """
    found = re.search(r"UNCERTAIN: ([\d,]+) is also printed", str(note or ""))
    return found.group(1) if found else ""


def _decimal_year(as_of: str) -> float:
    """Where a count dated ``as_of`` sits on a time axis (1941-06 -> about 1941.41)."""
    parts = [int(part) for part in as_of.split("-")] + [1, 1]
    day = date(parts[0], parts[1], parts[2])
    return parts[0] + (day.timetuple().tm_yday - 1) / 365


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
            f"{_count(row)} in {GULAG_SERIES[row.series][3].lower()} ({_when(row.as_of)})"
            for row in mixed.itertuples(index=False)
        )
        return f"{camps}. Counts of other kinds are kept separate: {others}."
    rows = frame[frame["series"] == series]
    phrase = GULAG_SERIES[series][3]
    if len(rows) == 1:
        row = rows.iloc[0]
        return (
            f"{phrase} held {_count(row)} prisoners {_on(row.as_of)} "
            f"(the only {series.rstrip('s')} count in the data)."
        )
    first, last = rows.iloc[0], rows.iloc[-1]
    ratio = last.prisoners / first.prisoners
    other = _also_printed(last.note)
    return (
        f"{phrase} held {_count(first)} prisoners {_on(first.as_of)} and {_count(last)}"
        f"{f' (also printed as {other})' if other else ''} {_on(last.as_of)}, "
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
                [_decimal_year(a) for a in run["as_of"]],
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
                text = f"about {text}\n({_when(row.as_of)})"
            if _also_printed(row.note):
                text += f"\n(also printed\nas {_also_printed(row.note)})"
            artists.append(
                ax.annotate(
                    text,
                    (_decimal_year(row.as_of), float(row.prisoners)),
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


def _population_legend(ax: Axes, lines: list[Artist]) -> Legend:
    return Legend(
        ax,
        lines,
        [line.get_label() for line in lines],
        loc="upper left",
        title="What was counted (never joined up)",
        fontsize=9,
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


def gulag_population(series: str | None = None, frame: pd.DataFrame | None = None) -> Chart:
    """Prisoners held in the Gulag, with each series drawn on its own (never joined).

    ``series`` draws only one of the keys of :data:`GULAG_SERIES`; ``None``
    draws all three, side by side but apart. Every count is labelled with its
    value; the uncertain 1940 camp count carries its note.
    """
    if frame is None:  # share one figure with the explorer: drawn once, switched fast
        choice = next(label for label, name in GULAG_CHOICES.items() if name == series)
        return gulag_population_layers()(choice)
    frame = _population(frame)
    shown = frame if series is None else frame[frame["series"] == series]
    source = sources_of(shown)
    with house_style():
        figure, ax = new_figure(9, 5, source)
        drawn = _population_artists(ax, shown)
        ax.add_artist(_population_legend(ax, [artists[0] for artists in drawn.values()]))
        title = "Gulag prisoners, 1930–1941"
        if series is not None:
            title += f": {GULAG_SERIES[series][2].split(',')[0].lower()}"
        _population_axes(ax, title)
    return Chart(figure, gulag_population_summary(series, frame), source)


#: The choices of :func:`gulag_population_layers`: label shown to students -> series (or all).
GULAG_CHOICES: dict[str, str | None] = {
    "All three counts, kept apart": None,
    "Camps only (ITL)": "camps (ITL)",
    "Camps and labour colonies together": "camps and colonies",
    "Prisons": "prisons",
}


def gulag_population_layers(frame: pd.DataFrame | None = None) -> Callable[[str], Chart]:
    """One figure with every series, and a function that shows one choice of GULAG_CHOICES.

    The figure is drawn once; each choice only switches series on and off, so
    a redraw is fast. The returned function gives a :class:`Chart` whose
    ``png()`` draws just the chosen series on the saved background.
    """
    global _SHARED
    if frame is None and _SHARED is not None:
        return _SHARED
    shared = frame is None
    frame = _population(frame)
    source = sources_of(frame)
    with house_style():
        figure, ax = new_figure(9, 5, source)
        drawn = _population_artists(ax, frame)
        _population_axes(ax, "Gulag prisoners, 1930–1941")
        legends = {
            choice: ax.add_artist(
                _population_legend(ax, [drawn[name][0] for name in drawn if series in (None, name)])
            )
            for choice, series in GULAG_CHOICES.items()
        }
    layers: dict[Hashable, list[Artist]] = dict(drawn)
    layers.update({("legend", choice): [legend] for choice, legend in legends.items()})
    switch = Layers(figure, layers)

    def show(choice: str) -> Chart:
        series = GULAG_CHOICES[choice]
        keys = [name for name in drawn if series in (None, name)] + [("legend", choice)]
        return LayeredChart(
            figure, gulag_population_summary(series, frame), source, layers=switch, keys=keys
        )

    if shared:
        _SHARED = show
    return show


_SHARED: Callable[[str], Chart] | None = None


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
