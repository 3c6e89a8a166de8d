"""Widgets for lesson 09, the review: the timeline explorer and "weigh the factors".

The feedback lives in plain functions, testable without a browser:

>>> scores = {"gensec": 9, "terror": 6}
>>> exam_question(scores).startswith("Which of the following was the more important reason")
True
>>> "the post of General Secretary" in exam_question(scores)
True
>>> event_lines("propaganda_and_cult", 1935, 1935)[0][:10]
'1935-08-31'
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import ipywidgets as w

from .. import charts
from ..charts.review import FACTORS, FIRST_YEAR, LAST_YEAR, SECTIONS
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
        f"{row.date} – {row.event} ({SECTIONS[row.section][0]})"
        for row in events.itertuples(index=False)
    ]


def _events_html(section: str | None, start: int, end: int) -> str:
    lines = event_lines(section, start, end)
    if not lines:
        return ""
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return f"<details open><summary>The events listed</summary><ul>{items}</ul></details>"


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


#: Evidence a student could use for each factor (facts from the earlier lessons).
FACTOR_EVIDENCE: dict[str, tuple[str, ...]] = {
    "alliances": (
        "1923–25: with Zinoviev and Kamenev against Trotsky, who lost the War Commissariat in January 1925",
        "1925–27: with Bukharin and the Right against Zinoviev, Kamenev and then the United Opposition",
        "1928–29: against Bukharin and the Right; Bukharin left the Politburo in November 1929",
    ),
    "gensec": (
        "General Secretary from April 1922: the Secretariat chose who got party jobs",
        "local party secretaries owed their posts to him and chose the delegates to party congresses",
        "the Lenin Enrolment of 1924 brought in new members loyal to the leadership",
    ),
    "terror": (
        "Kirov's murder in December 1934 was used to justify a wave of arrests",
        "the three Moscow show trials (1936, 1937, 1938) killed Zinoviev, Kamenev, Bukharin and Rykov",
        "the archives record 681,692 executions in 1937–38 alone",
    ),
    "nkvd": (
        "the NKVD was formed in July 1934; Yagoda, Yezhov and Beria ran it in turn",
        "NKVD Order 00447 (July 1937) set quotas of people to be shot or sent to camps",
        "the NKVD ran the Gulag, and purged the Red Army: Tukhachevsky was shot in June 1937",
    ),
    "propaganda": (
        "Stalin's 50th birthday in December 1929 started the cult of personality",
        "the Stakhanovite movement from 1935 made model workers into heroes",
        "the 'Short Course' of 1938 rewrote the party's history to put Stalin at its centre",
    ),
    "censorship": (
        "Glavlit (1922) checked everything before it was printed",
        "Socialist Realism became compulsory for writers in 1934; Mandelstam was arrested for a poem",
        "Pravda's 'Muddle instead of music' (1936) showed artists what was forbidden",
    ),
    "education": (
        "the Young Pioneers (about 10–14) and the Komsomol (14–28) taught loyalty to the party",
        "Komsomol membership grew from 1.75 million (1926) to 10.2 million (1940)",
        "children were taught to copy Pavlik Morozov, who was said to have reported his father",
    ),
}


def _top_two(scores: Mapping[str, int]) -> tuple[str, str]:
    ranking = charts.factor_ranking(scores)
    return ranking[0][0], ranking[1][0]


def exam_question(scores: Mapping[str, int]) -> str:
    """A 12-mark practice question on the student's two highest-scored factors."""
    first, second = _top_two(scores)
    return (
        "Which of the following was the more important reason why Stalin was able to "
        f"consolidate his power in the years 1924–1941: {FACTORS[first]} or "
        f"{FACTORS[second]}? Explain your answer with reference to both reasons."
    )


def evidence_prompts(scores: Mapping[str, int]) -> list[str]:
    """Prompts that ask the student to justify their judgement with evidence."""
    ranking = charts.factor_ranking(scores)
    if ranking[0][1] == 0:
        return ["Give each factor a score out of 10 first, using the sliders."]
    (first, top), (second, _), (last, low) = ranking[0], ranking[1], ranking[-1]
    prompts = [
        f"Why did you put {FACTORS[first]} first? Evidence you could use: "
        + "; ".join(FACTOR_EVIDENCE[first])
        + ".",
        f"What did {FACTORS[second]} add? Evidence you could use: "
        + "; ".join(FACTOR_EVIDENCE[second])
        + ".",
        f"Link them: how did {FACTORS[first]} make {FACTORS[second]} possible, or the other "
        "way round?",
    ]
    if low < top:
        prompts.append(
            f"Challenge yourself: you gave {FACTORS[last]} the lowest score ({low}). What is the "
            "strongest argument that it mattered more than that?"
        )
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
