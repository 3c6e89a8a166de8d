"""Charts for lesson 03: the Great Terror, the show trials and Order 00447.

The repression chart counts only the secret police's political cases (the
Pavlov certificate of 1953). 1953 covers January to June, so it is drawn with
hollow markers and never joined to the full years.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

import numpy as np
import pandas as pd
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, NullFormatter

from .. import data
from .dates import date_span_in_words, short_month
from .style import OKABE_ITO, Chart, house_style, label_axes, new_figure, sources_of
from .view import View

__all__ = [
    "REPRESSION_MEASURES",
    "REPRESSION_PERIODS",
    "REPRESSION_SCALES",
    "RepressionView",
    "TrialsView",
    "order_00447_chart",
    "period_summary",
    "repression_chart",
    "show_trials_chart",
    "trial_label",
    "trial_summary",
]

#: The periods a student can pick, with their first and last years (inclusive).
REPRESSION_PERIODS: dict[str, tuple[int, int]] = {
    "Whole period, 1921–1953": (1921, 1953),
    "NEP years, 1921–1928": (1921, 1928),
    "Collectivisation, 1930–1933": (1930, 1933),
    "Great Terror, 1937–1938": (1937, 1938),
    "War years, 1941–1945": (1941, 1945),
}
#: What the repression chart can show: menu label -> key.
REPRESSION_MEASURES: dict[str, str] = {
    "Numbers of people": "counts",
    "Death sentences as a share of convictions": "share",
}
#: How the vertical axis is drawn: menu label -> key.
REPRESSION_SCALES: dict[str, str] = {
    "Ordinary (linear) scale": "linear",
    "Log scale (each step is ten times bigger)": "log",
}

WHOLE = next(iter(REPRESSION_PERIODS))


def _repression(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    frame = data.load("repression_by_year") if frame is None else frame
    frame = frame.sort_values("year").reset_index(drop=True)
    share = 100 * frame["executed"].astype(float) / frame["convicted"].astype(float)
    return frame.assign(share=share.astype(float), half=frame["half_year"].notna())


def period_summary(
    period: str = WHOLE, measure: str = "counts", frame: pd.DataFrame | None = None
) -> str:
    """One sentence on the convictions and executions of a period, from the data.

    >>> period_summary("Great Terror, 1937–1938")  # doctest: +NORMALIZE_WHITESPACE
    'Great Terror, 1937–1938: 1,344,923 people convicted and 681,692 sentenced to death
    (50.7% of those convicted); executions peaked in 1937 at 353,074.'
    """
    frame = _repression(frame)
    first, last = REPRESSION_PERIODS[period]
    rows = frame[frame["year"].between(first, last)]
    convicted, executed = int(rows["convicted"].sum()), int(rows["executed"].sum())
    half = rows[rows["half"]]
    note = (
        f" ({', '.join(str(y) for y in half['year'])} counts {half['half_year'].iloc[0]} only)"
        if not half.empty
        else ""
    )
    if measure == "share":
        full = rows[~rows["half"]]
        top = full.loc[full["share"].idxmax()]
        peak = f"the share was highest in {int(top['year'])} ({top['share']:.1f}%)"
    else:
        top = rows.loc[rows["executed"].idxmax()]
        peak = f"executions peaked in {int(top['year'])} at {int(top['executed']):,}"
    return (
        f"{period}{note}: {convicted:,} people convicted and {executed:,} sentenced to death "
        f"({100 * executed / convicted:.1f}% of those convicted); {peak}."
    )


def _plain(value: float, _position: int) -> str:
    return f"{value:,.0f}" if value >= 1 else f"{value:g}"


def _percent(value: float, _position: int) -> str:
    return f"{value:g}%"


class RepressionView(View):
    """Convictions and executions by year, drawn once; the key is (measure, scale, period).

    ``measure`` is ``"counts"`` (two lines: convicted, executed) or ``"share"``
    (executions as a percentage of convictions); ``scale`` is ``"linear"`` or
    ``"log"``; ``period`` is a key of :data:`REPRESSION_PERIODS`, shaded on the chart.
    """

    def __init__(self, frame: pd.DataFrame | None = None) -> None:
        self.frame = frame = _repression(frame)
        self.source = sources_of(frame)
        full, half = frame[~frame["half"]], frame[frame["half"]]
        self.first, self.last = int(frame["year"].min()), int(frame["year"].max())
        blue, red, green = OKABE_ITO["blue"], OKABE_ITO["vermillion"], OKABE_ITO["bluish green"]
        with house_style():
            figure, ax = new_figure(9, 5.2, self.source)
            self.counts = [
                *ax.plot(full["year"], full["convicted"].astype(float), color=blue, marker="o",
                         markersize=4, label="Convicted (all sentences)", gid="convicted"),
                *ax.plot(full["year"], full["executed"].astype(float), color=red, marker="s",
                         markersize=4, linestyle="--", label="Sentenced to death",
                         gid="executed"),
                *ax.plot(half["year"], half["convicted"].astype(float), linestyle="none",
                         marker="o", markerfacecolor="white", color=blue, gid="convicted-half"),
                *ax.plot(half["year"], half["executed"].astype(float), linestyle="none",
                         marker="s", markerfacecolor="white", color=red, gid="executed-half"),
            ]  # fmt: skip
            self.shares = [
                *ax.plot(full["year"], full["share"], color=green, marker="^", markersize=5,
                         label="Sentenced to death, as % of convicted", gid="share"),
                *ax.plot(half["year"], half["share"], linestyle="none", marker="^",
                         markerfacecolor="white", color=green, gid="share-half"),
            ]  # fmt: skip
            self.half_note = ax.annotate(
                f"{int(half['year'].iloc[0])}: {half['half_year'].iloc[0]} only\n(hollow marker)",
                (float(half["year"].iloc[0]), 0),
                xytext=(5, 48),  # above the point, so the pointer drops straight down to it
                textcoords="offset points",
                ha="right",
                va="bottom",
                fontsize=8,
                arrowprops={"arrowstyle": "-", "color": "#555555", "relpos": (1, 0)},
            )
            zero = full[full["executed"] == 0]["year"].astype(int).tolist()
            self.zero_note = ax.text(
                (zero[0] + zero[-1]) / 2 if zero else self.last,
                0.03,
                f"No death sentences\nin {' and '.join(map(str, zero))}: zero\n"
                "cannot be drawn on\na log scale",
                transform=ax.get_xaxis_transform(),
                ha="center",
                fontsize=7.5,
                color="#333333",
            )
            self.legend = ax.legend(handles=self.counts[:2] + self.shares[:1], loc="upper left")
            self.span = Rectangle(
                (0, 0), 1, 1, transform=ax.get_xaxis_transform(), facecolor=OKABE_ITO["yellow"],
                alpha=0.3, hatch="\\\\", edgecolor=OKABE_ITO["orange"], linewidth=0,
            )  # fmt: skip
            ax.add_patch(self.span)
            self.span_label = ax.text(0, 0.98, "", transform=ax.get_xaxis_transform(),
                                      ha="center", va="top", fontsize=9, fontweight="bold")  # fmt: skip
            ax.set_xlim(self.first - 1, self.last + 1)
            ax.set_xticks(range(self.first + 1, self.last + 1, 4))
            label_axes(ax, "", "Year", "")
            ax.yaxis.grid(True, color="#e5e5e5")
            ax.set_axisbelow(True)
        figure.set_layout_engine("none")  # fixed margins: the axis labels change with the view
        bottom = (0.12 + 0.16 * len(figure.texts[0].get_text().splitlines())) / 5.2 + 0.09
        ax.set_position((0.14, bottom, 0.84, 0.92 - bottom))
        self.ax = ax
        super().__init__(figure, self.source, [self.span, self.span_label])

    def background(self, key: tuple[str, str, str]) -> tuple[str, str]:
        """The measure and scale change the axes, so each pair has its own background."""
        return key[:2]

    def apply(self, key: tuple[str, str, str]) -> str:
        """Show ``(measure, scale, period)``: the lines, the axis and the shaded period."""
        measure, scale, period = key
        if measure not in ("counts", "share") or scale not in ("linear", "log"):
            raise ValueError(f"unknown measure or scale: {measure!r}, {scale!r}")
        ax = self.ax
        for line in self.counts:
            line.set_visible(measure == "counts")
        for line in self.shares:
            line.set_visible(measure == "share")
        legend = self.counts[:2] if measure == "counts" else self.shares[:1]
        self.legend.remove()
        self.legend = ax.legend(handles=legend, loc="upper left")
        self.zero_note.set_visible(scale == "log")
        column = "executed" if measure == "share" else "convicted"
        top = float(self.frame["share" if measure == "share" else column].max())
        half_value = float(self.frame[self.frame["half"]][
            "share" if measure == "share" else "convicted"
        ].iloc[0])  # fmt: skip
        self.half_note.xy = (self.half_note.xy[0], half_value)
        # the note sits where the lines are not, so its pointer crosses none of them
        place = {  # (offset in points, vertical alignment, where the pointer leaves the text)
            ("counts", "linear"): ((5, 48), "bottom", (1, 0)),
            ("share", "linear"): ((5, 48), "bottom", (1, 0)),
            ("counts", "log"): ((-14, 0), "center", (1, 0.5)),
            ("share", "log"): ((5, -40), "top", (1, 1)),
        }
        offset, align, start = place[(measure, scale)]
        self.half_note.xyann = offset
        self.half_note.set_va(align)
        self.half_note.arrowprops["relpos"] = start
        if scale == "log":
            ax.set_yscale("log", nonpositive="mask")
            ax.set_ylim(0.1 if measure == "share" else 100, top * 3)
        else:
            ax.set_yscale("linear")
            ax.set_ylim(0, top * 1.1)
        ax.yaxis.set_major_formatter(FuncFormatter(_percent if measure == "share" else _plain))
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set_ylabel(
            "Sentenced to death (% of convicted)" if measure == "share" else "People (each year)"
        )
        ax.set_title(
            "Death sentences as a share of convictions, 1921–1953"
            if measure == "share"
            else "People convicted and sentenced to death for political crimes, 1921–1953",
            loc="left",
            fontweight="bold",
        )
        first, last = REPRESSION_PERIODS[period]
        shaded = period != WHOLE
        self.span.set_visible(shaded)
        self.span_label.set_visible(shaded)
        self.span.set_bounds(first - 0.5, 0, last - first + 1, 1)
        self.span_label.set_x((first + last) / 2)
        self.span_label.set_text(period.split(",")[0] if shaded else "")
        summary = period_summary(period, measure, self.frame)
        if scale == "log":
            summary = summary[:-1] + "; on this log scale each step up is ten times bigger."
        return summary

    def prepare(self, keys: Iterable[tuple[str, str, str]] | None = None) -> None:
        """Draw the backgrounds of ``keys`` now; by default every measure and scale, so that
        later redraws are fast."""
        every = (
            (measure, scale, WHOLE)
            for measure in REPRESSION_MEASURES.values()
            for scale in REPRESSION_SCALES.values()
        )
        super().prepare(every if keys is None else keys)

    def chart(  # type: ignore[override]
        self, measure: str = "counts", scale: str = "linear", period: str = WHOLE
    ) -> Chart:
        """The chart for one choice of measure, scale and period."""
        return super().chart((measure, scale, period))


def repression_chart(measure: str = "counts", scale: str = "linear", period: str = WHOLE) -> Chart:
    """Draw people convicted and sentenced to death for political crimes by year, 1921–1953."""
    return RepressionView().chart(measure, scale, period)


# --- the show trials ----------------------------------------------------------


def _short_name(trial: str) -> str:
    return trial.split(" (")[0]


def trial_label(row: pd.Series) -> str:
    """Menu label of a trial: ``"Aug 1936: Trial of the Sixteen"``."""
    return f"{short_month(str(row['start_date']))}: {_short_name(str(row['trial']))}"


def _trials(frame: pd.DataFrame | None) -> pd.DataFrame:
    frame = data.load("show_trials") if frame is None else frame
    return frame.sort_values("start_date").reset_index(drop=True)


def trial_summary(label: str | None = None, frame: pd.DataFrame | None = None) -> str:
    """One sentence on a trial (by menu label), or on all four if ``label`` is None.

    >>> trial_summary("Aug 1936: Trial of the Sixteen")  # doctest: +NORMALIZE_WHITESPACE
    'Trial of the Sixteen, 19–24 August 1936 (public show trial): 16 of 16 defendants
    were sentenced to death; best-known accused: Zinoviev, Kamenev and I. N. Smirnov.'
    """
    frame = _trials(frame)
    if label is None:
        return (
            f"In the {len(frame)} trials, {int(frame['death_sentences'].sum())} of "
            f"{int(frame['defendants'].sum())} defendants were sentenced to death."
        )
    rows = [row for _, row in frame.iterrows() if trial_label(row) == label]
    if not rows:
        raise ValueError(f"no trial called {label!r}")
    row = rows[0]
    kind = "public show trial" if row["public"] == "yes" else "closed military court"
    names = [name.strip() for name in str(row["main_defendants"]).split(";")]
    accused = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
    return (
        f"{_short_name(str(row['trial']))}, "
        f"{date_span_in_words(str(row['start_date']), str(row['end_date']))} ({kind}): "
        f"{int(row['death_sentences'])} of {int(row['defendants'])} defendants were "
        f"sentenced to death; best-known accused: {accused}."
    )


class TrialsView(View):
    """The four trials as bars (defendants, death sentences), drawn once; the key is a
    trial's menu label, outlined (None: all alike)."""

    def __init__(self, frame: pd.DataFrame | None = None) -> None:
        self.frame = frame = _trials(frame)
        self.source = sources_of(frame)
        self.labels = [trial_label(row) for _, row in frame.iterrows()]
        self.bars: dict[str, list[Rectangle]] = {}
        with house_style():
            figure, ax = new_figure(9, 4.6, self.source)
            for number, (label, row) in enumerate(
                zip(self.labels, frame.itertuples(), strict=True)
            ):
                y = len(self.labels) - 1 - number
                (accused,) = ax.barh(
                    y, int(row.defendants), height=0.7, color=OKABE_ITO["sky blue"], hatch="//",
                    edgecolor="white", label="Defendants" if number == 0 else None,
                    gid=f"defendants-{number}",
                )  # fmt: skip
                (death,) = ax.barh(
                    y, int(row.death_sentences), height=0.38, color=OKABE_ITO["vermillion"],
                    edgecolor="white", label="Sentenced to death" if number == 0 else None,
                    gid=f"death-{number}",
                )  # fmt: skip
                self.bars[label] = [accused, death]
                closed = "" if row.public == "yes" else "  (closed court, not public)"
                ax.text(int(row.defendants) + 0.3, y,
                        f"{int(row.death_sentences)} of {int(row.defendants)}{closed}",
                        va="center", fontsize=9)  # fmt: skip
            ax.set_yticks(
                range(len(self.labels)),
                [textwrap.fill(lab, 24) for lab in reversed(self.labels)],
            )
            ax.set_xlim(0, float(frame["defendants"].max()) + 9)
            label_axes(
                ax,
                "The Moscow trials, 1936–1938: defendants and death sentences",
                "Number of defendants",
                "",
            )
            ax.legend(loc="upper right")
            self.outline = Rectangle(
                (-0.3, 0), float(frame["defendants"].max()) + 8.9, 0.9, fill=False,
                edgecolor="black", linewidth=2.5, visible=False, clip_on=False, gid="outline",
            )  # fmt: skip
            ax.add_patch(self.outline)
        self.ax = ax
        super().__init__(figure, self.source, [self.outline])

    def apply(self, label: str | None) -> str:
        """Outline the trial called ``label`` (None: no outline)."""
        self.outline.set_visible(label is not None)
        if label is not None:
            row = len(self.labels) - 1 - self.labels.index(label)
            self.outline.set_y(row - 0.45)
        return trial_summary(label, self.frame)


def show_trials_chart(trial: str | None = None) -> Chart:
    """Draw the three Moscow show trials and the closed military trial, in date order."""
    return TrialsView().chart(trial)


# --- Order 00447 ---------------------------------------------------------------


def _measure(frame: pd.DataFrame, starts: str) -> pd.Series:
    rows = frame[frame["measure"].str.startswith(starts)]
    if len(rows) != 1:
        raise ValueError(f"expected one Order 00447 row starting {starts!r}")
    return rows.iloc[0]


def order_00447_chart(frame: pd.DataFrame | None = None) -> Chart:
    """Compare the starting quotas of Order 00447 with how many were actually sentenced and shot.

    The higher estimates (Roginski and Petrov's) are drawn as black marks above
    the NKVD's own counts, so the chart shows the range, not one figure.

    >>> order_00447_chart().summary  # doctest: +NORMALIZE_WHITESPACE
    "About 387,000 people were shot under Order 00447, 5.1 times the first quota of 75,950;
    about 767,000 were sentenced, 2.9 times the starting quota of 268,950. These are the
    NKVD's central counts; Roginski and Petrov's estimate, which adds killings the regions
    did not report, is 437,000–445,000 shot of about 820,000 sentenced."
    """
    frame = data.load("order_00447") if frame is None else frame
    quota_shot = _measure(frame, "first category quota")
    quota_all = _measure(frame, "total starting quota")
    shot = _measure(frame, "people shot")
    sentenced = _measure(frame, "people sentenced")
    high_shot = _measure(frame, "higher estimate of people shot")
    high_sentenced = _measure(frame, "higher estimate of people sentenced")
    used = pd.DataFrame([quota_shot, shot, quota_all, sentenced, high_shot, high_sentenced])
    source = sources_of(used)
    groups = ["To be shot / shot", "All sentences (shot or camps)"]
    plans = [int(quota_shot["value"]), int(quota_all["value"])]
    actual = [int(shot["value"]), int(sentenced["value"])]
    with house_style():
        figure, ax = new_figure(8, 4.6, source)
        x = np.arange(len(groups))
        ax.bar(x - 0.2, plans, width=0.4, color=OKABE_ITO["blue"],
               label="Starting quota, 30 July 1937", gid="quota")  # fmt: skip
        ax.bar(x + 0.2, actual, width=0.4, color=OKABE_ITO["vermillion"], hatch="//",
               edgecolor="white", label="Actual, Aug 1937 – Nov 1938 (about)", gid="actual")  # fmt: skip
        labels = [(x - 0.2, plans, ""), (x + 0.2, actual, "about ")]
        for positions, values, prefix in labels:
            for position, value in zip(positions, values, strict=True):
                ax.annotate(f"{prefix}{value:,}", (position, value), xytext=(0, 3),
                            textcoords="offset points", ha="center", fontsize=9)  # fmt: skip
        highs = [_range(high_shot), _range(high_sentenced)]
        for index, (low, high) in enumerate(highs):
            ends = sorted({low, high})
            ax.hlines(ends, x[index], x[index] + 0.4, color="black", linewidth=1.8,
                      linestyles="dashed", gid="higher-estimate",
                      label="Higher estimate (Roginski & Petrov)" if index == 0 else None)  # fmt: skip
            ax.annotate(f"higher estimate: {_range_words(low, high)}", (x[index] + 0.2, high),
                        xytext=(0, 3), textcoords="offset points", ha="center", fontsize=8.5)  # fmt: skip
        ax.set_xticks(x, groups)
        ax.yaxis.set_major_formatter(FuncFormatter(_plain))
        ax.set_ylim(0, max(high for _, high in highs) * 1.15)
        label_axes(ax, "Order 00447: quotas and what happened", "What was counted", "People")
        ax.legend(loc="upper left")
    summary = (
        f"About {actual[0]:,} people were shot under Order 00447, "
        f"{actual[0] / plans[0]:.1f} times the first quota of {plans[0]:,}; about "
        f"{actual[1]:,} were sentenced, {actual[1] / plans[1]:.1f} times the starting quota "
        f"of {plans[1]:,}. These are the NKVD's central counts; Roginski and Petrov's estimate, "
        f"which adds killings the regions did not report, is {_range_words(*highs[0])} shot of "
        f"about {highs[1][0]:,} sentenced."
    )
    return Chart(figure, summary, source)


def _range(row: pd.Series) -> tuple[int, int]:
    """A row's (value, value_high), the high end equal to the value when there is none."""
    low = int(row["value"])
    return low, int(row["value_high"]) if pd.notna(row.get("value_high")) else low


def _range_words(low: int, high: int) -> str:
    return f"{low:,}–{high:,}" if high != low else f"{low:,}"
