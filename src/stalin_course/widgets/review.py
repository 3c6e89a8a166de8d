"""Widgets for lesson 09, the review: the timeline explorer and "weigh the factors".

The feedback lives in plain functions, testable without a browser:

>>> scores = {"gensec": 9, "terror": 6}
>>> exam_question(scores).startswith("Which of the following was the more important reason")
True
>>> "the post of General Secretary" in exam_question(scores)
True
>>> event_lines("propaganda_and_cult", 1935, 1935)[0][:14]
'31 August 1935'
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import ipywidgets as w

from .. import charts
from ..charts.review import FACTORS, FIRST_YEAR, LAST_YEAR, SECTIONS
from ..lessons import prose
from .kit import Panel, _status

__all__ = [
    "FACTOR_EVIDENCE",
    "FactorWeigher",
    "TimelineExplorer",
    "event_lines",
    "evidence_prompts",
    "exam_question",
    "explore_timeline",
    "weigh_factors",
]

_STYLE = {"description_width": "initial"}


def event_lines(
    section: str | None = None, start: int = FIRST_YEAR, end: int = LAST_YEAR
) -> list[str]:
    """The filtered events as plain text, one line each: date, event, section."""
    events = charts.timeline_events(section or None, start, end)
    return [
        f"{charts.date_in_words(row.date)} – {row.event} ({SECTIONS[row.section][0]})"
        for row in events.itertuples(index=False)
    ]


def _events_html(section: str | None, start: int, end: int) -> str:
    lines = event_lines(section, start, end)
    if not lines:
        return ""
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return f"<details open><summary>The events listed</summary><ol>{items}</ol></details>"


class TimelineExplorer(Panel):
    """A section drop-down and a year-range slider over the timeline of the whole period."""

    def __init__(
        self, section: str | None = None, start: int = FIRST_YEAR, end: int = LAST_YEAR
    ) -> None:
        self.chart = charts.TimelineView.shared()
        self.section = w.Dropdown(
            options=[("All sections", "")] + [(v[0], k) for k, v in SECTIONS.items()],
            value=section or "",
            description="Section",
            style=_STYLE,
        )
        self.years = w.IntRangeSlider(
            value=(start, end),
            min=FIRST_YEAR,
            max=LAST_YEAR,
            description="Years",
            continuous_update=False,
            style=_STYLE,
            layout=w.Layout(width="60%"),
        )
        self.image = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self.summary = w.HTML()
        self.events = w.HTML()
        self._cache: dict[tuple[str, int, int], tuple[bytes, str, str]] = {}
        for control in (self.section, self.years):
            control.observe(lambda _change: self.redraw(), names="value")
        super().__init__(
            [w.HBox([self.section, self.years]), self.image, self.summary, self.events]
        )
        self.redraw()

    @property
    def key(self) -> tuple[str, int, int]:
        """The current filter: (section or "", first year, last year)."""
        start, end = self.years.value
        return (self.section.value, int(start), int(end))

    def redraw(self) -> None:
        """Show the chart, summary and list of events for the current filter."""
        key = self.key
        if key not in self._cache:
            section, start, end = key
            chart = self.chart.chart(section or None, start, end)
            self._cache[key] = (chart.png(), chart.summary, _events_html(section, start, end))
        png, summary, events = self._cache[key]
        self.image.value = png
        self.summary.value = _status(summary)
        self.events.value = events

    @property
    def summary_text(self) -> str:
        """The summary now shown, as plain text."""
        return self._cache[self.key][1]


def explore_timeline(
    section: str | None = None, start: int = FIRST_YEAR, end: int = LAST_YEAR
) -> TimelineExplorer:
    """Explore all 57 events of 1922–1941, filtered by section and by years."""
    return TimelineExplorer(section, start, end)


_PROSE = prose("review")

#: Evidence a student could use for each factor (facts from the earlier lessons); the text
#: is in ``prose/review.toml``.
FACTOR_EVIDENCE: dict[str, tuple[str, ...]] = {
    factor: tuple(evidence) for factor, evidence in _PROSE["factor_evidence"].items()
}


def _top_two(scores: Mapping[str, int]) -> tuple[str, str]:
    ranking = charts.factor_ranking(scores)
    return ranking[0][0], ranking[1][0]


def exam_question(scores: Mapping[str, int]) -> str:
    """A 12-mark practice question on the student's two highest-scored factors."""
    first, second = _top_two(scores)
    return _PROSE["prompts"]["exam_question"].format(first=FACTORS[first], second=FACTORS[second])


def evidence_prompts(scores: Mapping[str, int]) -> list[str]:
    """Prompts that ask the student to justify their judgement with evidence.

    The prompts' text, like the exam question's, is in ``prose/review.toml``.
    """
    ranking = charts.factor_ranking(scores)
    text = _PROSE["prompts"]
    if ranking[0][1] == 0:
        return [text["no_scores"]]
    (first, top), (second, _), (last, low) = ranking[0], ranking[1], ranking[-1]
    names = {"first": FACTORS[first], "second": FACTORS[second]}
    prompts = [
        text["first"].format(**names, evidence="; ".join(FACTOR_EVIDENCE[first])),
        text["second"].format(**names, evidence="; ".join(FACTOR_EVIDENCE[second])),
        text["link"].format(**names),
    ]
    if low < top:
        prompts.append(text["challenge"].format(last=FACTORS[last], low=low))
    return prompts


def _prompts_html(scores: Mapping[str, int]) -> str:
    items = "".join(f"<li>{html.escape(p)}</li>" for p in evidence_prompts(scores))
    question = html.escape(exam_question(scores))
    return (
        f"<p><b>Now justify your judgement:</b></p><ol>{items}</ol>"
        f"<p><b>Exam practice (12 marks):</b> {question}</p>"
    )


class FactorWeigher(Panel):
    """One 0–10 slider per factor; a sorted bar chart, a summary and prompts follow them."""

    def __init__(self, scores: Mapping[str, int] | None = None) -> None:
        scores = scores or {}
        self.chart = charts.FactorView()
        self.sliders = {
            key: w.IntSlider(
                value=int(scores.get(key, 5)),
                min=0,
                max=10,
                description=label[:1].upper() + label[1:],
                continuous_update=False,
                style={"description_width": "20em"},
                layout=w.Layout(width="42em"),
            )
            for key, label in FACTORS.items()
        }
        self.image = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self.summary = w.HTML()
        self.prompts = w.HTML()
        self._cache: dict[tuple[int, ...], tuple[bytes, str, str]] = {}
        for slider in self.sliders.values():
            slider.observe(lambda _change: self.redraw(), names="value")
        super().__init__([*self.sliders.values(), self.image, self.summary, self.prompts])
        self.redraw()

    @property
    def scores(self) -> dict[str, int]:
        """The scores now chosen, by factor key."""
        return {key: int(slider.value) for key, slider in self.sliders.items()}

    def redraw(self) -> None:
        """Redraw the chart, summary and prompts for the current scores."""
        scores = self.scores
        key = tuple(scores.values())
        if key not in self._cache:
            chart = self.chart.chart(scores)
            self._cache[key] = (chart.png(), chart.summary, _prompts_html(scores))
        png, summary, prompts = self._cache[key]
        self.image.value = png
        self.summary.value = _status(summary)
        self.prompts.value = prompts

    @property
    def summary_text(self) -> str:
        """The summary now shown, as plain text."""
        return self._cache[tuple(self.scores.values())][1]


def weigh_factors(**scores: int) -> FactorWeigher:
    """The "how did Stalin consolidate power?" activity: score each factor from 0 to 10."""
    return FactorWeigher(scores)
