"""Widgets for lesson 03: repression year by year, and the Moscow trials."""

from __future__ import annotations

import html
import threading

import ipywidgets as w
import pandas as pd

from .. import charts, data
from ..lessons import prose
from .kit import ChoiceButtons, Explorer, Panel, _status, explore

__all__ = ["RepressionExplorer", "explore_repression", "explore_trials", "trial_details"]


class RepressionExplorer(Panel):
    """Three labelled controls (measure, scale, period) over the repression chart.

    After the first picture, the chart's other backgrounds are rendered in a
    background thread (``self.preparing``), so that later changes only redraw
    the shaded period and re-encode the image.
    """

    def __init__(self) -> None:
        self.view = charts.RepressionView()
        style = {"description_width": "initial"}
        first = next(iter(charts.REPRESSION_MEASURES.values()))
        self.measure = ChoiceButtons(
            list(charts.REPRESSION_MEASURES.items()), description="Show", value=first
        )
        self.scale = ChoiceButtons(
            list(charts.REPRESSION_SCALES.items()),
            description="Scale",
            value=next(iter(charts.REPRESSION_SCALES.values())),
        )
        self.period = w.Dropdown(
            options=list(charts.REPRESSION_PERIODS), description="Highlight a period", style=style
        )
        self.image = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self.summary = w.HTML()
        self._cache: dict[tuple[str, str, str], tuple[bytes, str]] = {}
        for control in (self.measure, self.scale, self.period):
            control.observe(lambda _change: self.redraw(), names="value")
        controls = w.HBox([self.measure, self.scale], layout=w.Layout(flex_flow="row wrap"))
        super().__init__([controls, self.period, self.image, self.summary])
        self.redraw()
        self.preparing = threading.Thread(target=self.view.prepare, daemon=True)
        self.preparing.start()

    @property
    def key(self) -> tuple[str, str, str]:
        """The current choice: (measure, scale, period)."""
        return (self.measure.value, self.scale.value, self.period.value)

    def redraw(self) -> None:
        """Show the chart and summary for the current choice (cached after the first time)."""
        key = self.key
        if key not in self._cache:
            chart = self.view.chart(*key)
            self._cache[key] = (chart.png(), chart.summary)
        png, summary = self._cache[key]
        self.image.value = png
        self.summary.value = _status(summary)

    @property
    def summary_text(self) -> str:
        """The summary now shown, as plain text."""
        return self._cache[self.key][1]


def explore_repression() -> RepressionExplorer:
    """Convictions and death sentences 1921–1953: counts or share, linear or log, a period."""
    return RepressionExplorer()


def trial_details(label: str, frame: pd.DataFrame | None = None) -> str:
    """HTML under the trials chart: the accused, the verdicts and notes for one trial.

    >>> "Vyshinsky" in trial_details("Aug 1936: Trial of the Sixteen")
    True
    """
    frame = data.load("show_trials") if frame is None else frame
    rows = [row for _, row in frame.iterrows() if charts.trial_label(row) == label]
    if not rows:
        return ""
    row = rows[0]
    names = "".join(
        f"<li>{html.escape(name.strip())}</li>" for name in str(row["main_defendants"]).split(";")
    )
    court = prose("great_terror")["court"]["public" if row["public"] == "yes" else "closed"]
    return (
        f"<p><b>{html.escape(str(row['trial']))}</b></p>"
        f"<p>{html.escape(court)}</p><p><b>Best-known accused:</b></p><ul>{names}</ul>"
        f"<p><b>What happened:</b> {html.escape(str(row['note']))}</p>"
    )


def explore_trials(trial: str | None = None) -> Explorer:
    """A drop-down list of the four Moscow trials: the chart outlines one, with its details."""
    view = charts.TrialsView()
    return explore(
        view.chart,
        view.labels,
        description="Trial",
        value=trial,
        details=trial_details,
    )
