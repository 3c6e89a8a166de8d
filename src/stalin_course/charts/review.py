"""Charts for lesson 09, the review: the whole period on one timeline, and your judgement.

>>> print(timeline_summary("great_terror", 1934, 1938))  # doctest: +NORMALIZE_WHITESPACE
Showing 8 of the 57 events (Great Terror, 1934–1938). The busiest year is 1937, with 3 events.
Each event is numbered as in the list under the chart.
>>> factor_summary({"gensec": 9, "terror": 7, "nkvd": 3})
'You judged the post of General Secretary the most important factor (9 out of 10), then terror and show trials (7).'
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from .. import data
from ..lessons import LESSONS
from .dates import decimal_year
from .style import OKABE_ITO, Chart, house_style, label_axes, new_figure, sources_of
from .view import View

__all__ = [
    "FACTORS",
    "SECTIONS",
    "FactorView",
    "TimelineView",
    "factor_chart",
    "factor_ranking",
    "factor_summary",
    "review_timeline",
    "timeline_events",
    "timeline_summary",
]

#: Each lesson on the timeline (from the lesson registry): its label, Okabe–Ito colour and
#: marker shape (the second cue).
SECTIONS: dict[str, tuple[str, str, str]] = {
    lesson.slug: (lesson.timeline.label, OKABE_ITO[lesson.timeline.colour], lesson.timeline.marker)
    for lesson in LESSONS
    if lesson.timeline
}

FIRST_YEAR, LAST_YEAR = 1922, 1941
#: At most this many events shown get a number beside them.
NUMBERED = 15


def _timeline(frame: pd.DataFrame | None) -> pd.DataFrame:
    frame = data.load("timeline") if frame is None else frame
    if {"year", "x"} <= set(frame.columns):
        return frame
    return frame.assign(
        year=frame["date"].astype(str).str[:4].astype(int),
        x=frame["date"].map(decimal_year),
    )


def timeline_events(
    section: str | None = None,
    start: int = FIRST_YEAR,
    end: int = LAST_YEAR,
    frame: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The events of ``section`` (or of every section if None) from ``start`` to ``end``.

    >>> len(timeline_events()), len(timeline_events("propaganda_and_cult"))
    (57, 5)
    """
    frame = _timeline(frame)
    keep = (frame["year"] >= start) & (frame["year"] <= end)
    if section:
        keep &= frame["section"] == section
    return frame[keep]


def _years_text(years: list[int]) -> str:
    if len(years) == 1:
        return str(years[0])
    return ", ".join(str(y) for y in years[:-1]) + f" and {years[-1]}"


def timeline_summary(
    section: str | None = None,
    start: int = FIRST_YEAR,
    end: int = LAST_YEAR,
    frame: pd.DataFrame | None = None,
) -> str:
    """One sentence on what the filtered timeline shows, and its busiest year."""
    everything = _timeline(frame)
    events = timeline_events(section, start, end, frame)
    what = SECTIONS[section][0] if section else "all sections"
    span = f"{start}–{end}" if start != end else str(start)
    if events.empty:
        return f"There are no events for {what} in {span}. Try more years or another section."
    counts = events["year"].value_counts()
    busiest = sorted(int(y) for y in counts.index[counts == counts.max()])
    plural = "year is" if len(busiest) == 1 else "years are"
    each = "" if len(busiest) == 1 else " each"
    noun = "event" if counts.max() == 1 else "events"
    numbered = (
        " Each event is numbered as in the list under the chart." if len(events) <= NUMBERED else ""
    )
    return (
        f"Showing {len(events)} of the {len(everything)} events ({what}, {span}). "
        f"The busiest {plural} {_years_text(busiest)}, with {counts.max()} {noun}{each}.{numbered}"
    )


class TimelineView(View):
    """The timeline of the whole period, drawn once and then re-filtered in place; the key
    is (section or None, first year, last year).

    One row per section; each event is a marker at its date. Events that match
    the filter are drawn in their section's colour and shape; the rest are
    faded grey dots, so the student still sees where they fall. The chosen
    years are shaded. Only the markers and the shading are redrawn.
    """

    def __init__(self, frame: pd.DataFrame | None = None) -> None:
        self.frame = _timeline(frame)
        #: Every work the timeline's events come from (listed in full in data/README.md).
        self.sources = sources_of(self.frame)
        self.rows = {key: len(SECTIONS) - 1 - n for n, key in enumerate(SECTIONS)}
        count = len(self.sources.split("; "))
        self.source = (
            f"the course's timeline, data/timeline.csv ({len(self.frame)} events from "
            f"{count} works, all listed in data/README.md)"
        )
        with house_style():
            figure, self.ax = new_figure(10, 6, self.source)
            figure.set_layout_engine("none")  # fixed layout: one full draw, not two
            ax = self.ax
            ax.set_position((0.15, 0.3, 0.83, 0.63))
            self.band = Rectangle(
                (FIRST_YEAR, -0.7),
                LAST_YEAR + 1 - FIRST_YEAR,
                len(SECTIONS) + 0.4,
                color=OKABE_ITO["yellow"],
                alpha=0.25,
                linewidth=0,
                gid="years",
            )
            ax.add_patch(self.band)
            (self.faded,) = ax.plot(
                [], [], linestyle="none", marker=".", color="#bbbbbb", markersize=7, gid="faded"
            )
            self.lines: dict[str, Line2D] = {}
            for key, (label, colour, marker) in SECTIONS.items():
                (self.lines[key],) = ax.plot(
                    [],
                    [],
                    linestyle="none",
                    marker=marker,
                    markersize=10,
                    color=colour,
                    markeredgecolor="black",
                    markeredgewidth=0.6,
                    label=label,
                    gid=key,
                )
            ax.set_yticks(list(self.rows.values()), [SECTIONS[k][0] for k in self.rows])
            ax.set_ylim(-0.7, len(SECTIONS) - 0.3)
            ax.set_xlim(FIRST_YEAR, LAST_YEAR + 1)
            ticks = list(range(FIRST_YEAR, LAST_YEAR + 2, 2))
            ax.set_xticks(ticks, [str(t) for t in ticks])
            ax.set_xticks(range(FIRST_YEAR, LAST_YEAR + 2), minor=True)
            ax.grid(axis="x", which="both", color="#eeeeee", zorder=0)
            label_axes(
                ax,
                f"Stalin's consolidation of power: the whole period, {FIRST_YEAR}–{LAST_YEAR}",
                "Year (a shortened date is placed in the middle of its month or year)",
                "Part of the course",
            )
            handles = [self.lines[key] for key in SECTIONS]
            legend_handles = [
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker=line.get_marker(),
                    markersize=9,
                    color=line.get_color(),
                    markeredgecolor="black",
                    markeredgewidth=0.6,
                    label=line.get_label(),
                )
                for line in handles
            ]
            figure.legend(
                handles=legend_handles,
                loc="lower center",
                bbox_to_anchor=(0.56, 0.06),
                ncols=4,
                fontsize=9,
            )
            #: Numbers beside the events when few are shown, matching the numbered list the
            #: explorer prints under the chart (with many, they would only overlap).
            self.numbers = [
                ax.text(0, 0, "", fontsize=8, fontweight="bold", ha="center", va="bottom",
                        visible=False, gid=f"number-{n}")
                for n in range(1, NUMBERED + 1)
            ]  # fmt: skip
        dynamic = [self.band, self.faded, *self.lines.values(), *self.numbers]
        super().__init__(figure, self.source, dynamic)

    def apply(self, key: tuple[str | None, int, int]) -> str:
        """Colour the events of ``(section, start, end)``; fade the rest; shade the years."""
        section, start, end = key
        shown = timeline_events(section, start, end, self.frame)
        outside = self.frame.drop(shown.index)
        for name, line in self.lines.items():
            rows = shown[shown["section"] == name]
            line.set_data(rows["x"].to_list(), [self.rows[name]] * len(rows))
        self.faded.set_data(outside["x"].to_list(), [self.rows[s] for s in outside["section"]])
        self.band.set_x(start)
        self.band.set_width(end + 1 - start)
        numbered = len(shown) <= NUMBERED
        rows = list(shown.itertuples(index=False)) if numbered else []
        last: dict[str, tuple[float, int]] = {}  # per row: the last number's date and level
        for number, text in enumerate(self.numbers):
            text.set_visible(number < len(rows))
            if number < len(rows):
                row = rows[number]
                x, level = last.get(row.section, (-99.0, -1))
                level = level + 1 if row.x - x < 0.4 else 0  # close dates: stack the numbers
                last[row.section] = (row.x, level)
                text.set_position((row.x, self.rows[row.section] + 0.22 + 0.3 * level))
                text.set_text(str(number + 1))
        return timeline_summary(section, start, end, self.frame)

    def chart(  # type: ignore[override]
        self, section: str | None = None, start: int = FIRST_YEAR, end: int = LAST_YEAR
    ) -> Chart:
        """Show ``section`` (None for all) from ``start`` to ``end``."""
        return super().chart((section, start, end))


def review_timeline(
    section: str | None = None, start: int = FIRST_YEAR, end: int = LAST_YEAR
) -> Chart:
    """The events of 1922–1941 from ``data/timeline.csv``, one row per section.

    Every call shares one figure (drawn once); each returned chart puts the
    filter back to its own before it is rendered.
    """
    return TimelineView.shared().chart(section, start, end)


#: The factors a student weighs in the "how did Stalin consolidate power?" activity.
FACTORS: dict[str, str] = {
    "alliances": "alliances with other leaders",
    "gensec": "the post of General Secretary",
    "terror": "terror and show trials",
    "nkvd": "the NKVD (secret police)",
    "propaganda": "propaganda and the cult of Stalin",
    "censorship": "censorship",
    "education": "education and youth groups",
}


def factor_ranking(scores: Mapping[str, int]) -> list[tuple[str, int]]:
    """Factors with their scores, most important first (ties keep the FACTORS order).

    >>> factor_ranking({"nkvd": 8, "terror": 8, "gensec": 9})[:3]
    [('gensec', 9), ('terror', 8), ('nkvd', 8)]
    """
    pairs = [(key, int(scores.get(key, 0))) for key in FACTORS]
    return sorted(pairs, key=lambda pair: -pair[1])


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def factor_summary(scores: Mapping[str, int]) -> str:
    """One sentence on the student's judgement: the top factor(s), then the next.

    >>> factor_summary({key: 5 for key in FACTORS})
    'You gave every factor the same score (5 out of 10): move the sliders to show which mattered more.'
    >>> factor_summary({"terror": 8, "nkvd": 8, "alliances": 2})
    'You judged terror and show trials and the NKVD (secret police) equally the most important factors (8 out of 10 each), then alliances with other leaders (2).'
    """
    ranking = factor_ranking(scores)
    values = [score for _key, score in ranking]
    top = values[0]
    if top == 0:
        return (
            "You have not scored any factor yet: move the sliders to give each a score out of 10."
        )
    if len(set(values)) == 1:
        return (
            f"You gave every factor the same score ({top} out of 10): move the sliders to show "
            "which mattered more."
        )
    first = [FACTORS[key] for key, score in ranking if score == top]
    second_score = max(score for score in values if score < top)
    second = [FACTORS[key] for key, score in ranking if score == second_score]
    if len(first) == 1:
        start = f"You judged {first[0]} the most important factor ({top} out of 10)"
    else:
        start = (
            f"You judged {_join(first)} equally the most important factors ({top} out of 10 each)"
        )
    if len(second) > 2:
        return f"{start}, then {len(second)} factors tied on {second_score}."
    return f"{start}, then {_join(second)} ({second_score})."


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


class FactorView(View):
    """The student's scores as a sorted horizontal bar chart, redrawn in place; the key is
    the scores (factor -> 0 to 10).

    The factor names are drawn as text beside the axis (not as tick labels), so
    that re-sorting them only redraws the bars and the text.
    """

    SOURCE = "your own scores in this activity (a judgement, not historical data)"

    def __init__(self) -> None:
        count = len(FACTORS)
        with house_style():
            figure, self.ax = new_figure(8, 4.5, self.SOURCE)
            ax = self.ax
            self.bars = list(ax.barh(range(count), [0] * count, height=0.6, edgecolor="white"))
            self.values = [ax.text(0, y, "", va="center", fontsize=9) for y in range(count)]
            ax.set_xlim(0, 12)
            ax.set_xticks(range(0, 11))
            ax.set_ylim(-0.6, count - 0.4)
            label_axes(
                ax,
                "Your judgement of the factors",
                "Your score (0 = did not matter, 10 = mattered most)",
                "",
            )
            # A fixed layout with room on the left for the names, which are drawn as
            # movable text instead of tick labels.
            figure.set_layout_engine("none")
            ax.set_position((0.37, 0.22, 0.6, 0.68))
            ax.set_yticks(range(count), [""] * count)
            ax.tick_params(axis="y", length=0)
            names = ax.get_yaxis_transform()
            self.names = [
                ax.text(-0.01, y, "", transform=names, ha="right", va="center", fontsize=11)
                for y in range(count)
            ]
        self.order: list[str] = list(FACTORS)
        super().__init__(figure, self.SOURCE, [*self.bars, *self.values, *self.names])

    def apply(self, scores: Mapping[str, int]) -> str:
        """Sort the bars by ``scores`` (most important at the top) and mark the top one."""
        ranking = factor_ranking(scores)
        top = ranking[0][1]
        count = len(ranking)
        self.order = [key for key, _score in ranking]
        for position, (key, score) in enumerate(ranking):
            y = count - 1 - position
            bar, value, name = self.bars[y], self.values[y], self.names[y]
            best = score == top and score > 0
            bar.set_width(score)
            bar.set_facecolor(OKABE_ITO["vermillion"] if best else OKABE_ITO["blue"])
            bar.set_hatch("//" if best else "")
            bar.set_gid(key)
            value.set_position((score + 0.15, y))
            value.set_text(f"{score}" + ("  (top)" if best else ""))
            name.set_text(_capital(FACTORS[key]))
        return factor_summary(scores)

    def chart(self, scores: Mapping[str, int] | None = None) -> Chart:
        """The chart for ``scores`` (a copy is kept, so later changes to them do not leak)."""
        return super().chart(dict(scores or {}))


def factor_chart(scores: Mapping[str, int]) -> Chart:
    """Draw a student's scores for the factors as a sorted horizontal bar chart."""
    return FactorView().chart(scores)
