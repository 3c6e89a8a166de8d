"""Marking your own answer: a timer, a level to choose, then the model answers.

For practice paper 3 in lesson 10. The student writes an answer, may time it by the
course's rule (:data:`~stalin_course.exam.papers.MINUTES`), places it in a level, and
only then sees the model answer at every level with its mark and an examiner's comment.
Nothing the student types is marked, stored or shown back as HTML.

>>> print(reveal_text("p3-q4", None, "Stalin blamed Zinoviev."))
First choose the level you think your answer reaches, from the list above. Then press **Show the model answers** again.
>>> print(time_left(61))
1:01 left
>>> print(time_left(0))
Time is up. Finish your sentence, then choose your level.
"""

from __future__ import annotations

import html
import threading
import time
from collections.abc import Callable

import ipywidgets as w
from IPython.display import Markdown, display

from ..widgets.kit import ChoiceButtons, Panel
from .papers import load_levels, load_papers, minutes_for, models_markdown, paper_question

__all__ = ["SelfAssess", "Timer", "reveal_text", "self_assess", "time_left"]

CHOOSE_FIRST = (
    "First choose the level you think your answer reaches, from the list above. "
    "Then press **Show the model answers** again."
)
TIME_UP = "Time is up. Finish your sentence, then choose your level."


def time_left(seconds: float) -> str:
    """What the timer shows with ``seconds`` to go."""
    if seconds <= 0:
        return TIME_UP
    whole = int(seconds + 0.999)
    return f"{whole // 60}:{whole % 60:02d} left"


def reveal_text(question_id: str, level: str | int | None, answer: str) -> str:
    """What pressing "Show the model answers" shows, as Markdown: a request to choose a
    level first, or the student's own level, how to compare, and every model answer."""
    question = paper_question(question_id)
    levels = {str(lv.level): lv for lv in load_levels()[question.type].levels}
    chosen = levels.get(str(level))
    if chosen is None:
        return CHOOSE_FIRST
    lines = [f"You placed your answer at **Level {chosen.level}** ({chosen.marks} marks)."]
    if not str(answer or "").strip():
        lines.append("You have not typed an answer in the box; if you wrote it on paper, use that.")
    above = chosen.level + 1 if str(chosen.level + 1) in levels else None
    compare = f"the Level {chosen.level} model and its comment"
    if above:
        compare += f", then the Level {above} model"
    lines.append(
        f"Now read {compare}. Does your answer do what the comment says earns that level? "
        "If it does less, move it down a level; if it does more, move it up. A model is one "
        "way to reach a level: other facts and arguments can reach it too."
    )
    return " ".join(lines) + "\n\n" + models_markdown(question_id)


class Timer(w.HBox):
    """An optional countdown: a toggle to start and stop it and the time left."""

    def __init__(
        self, minutes: int, clock: Callable[[], float] = time.monotonic, interval: float = 1.0
    ) -> None:
        self.minutes = minutes
        self.clock = clock
        self.interval = interval
        self.started: float | None = None
        self._stop = threading.Event()
        self.label = f"Time me: {minutes} minutes"
        self.button = w.ToggleButton(
            description=self.label,
            tooltip=f"Start a {minutes}-minute countdown (press again to stop it)",
            layout=w.Layout(width="auto"),
        )
        self.display = w.HTML("")
        self.button.observe(self._toggle, names="value")
        super().__init__([self.button, self.display])

    def _toggle(self, change: dict) -> None:
        if change["new"]:
            self.start()
        else:
            self.stop()

    def start(self) -> None:
        """Start the countdown (in a background thread, so the notebook stays usable)."""
        self.started = self.clock()
        self._stop.clear()
        self.button.description = "Stop the timer"
        self.tick()
        threading.Thread(target=self._run, daemon=True).start()

    def stop(self) -> None:
        """Stop the countdown and clear the time shown."""
        self._stop.set()
        self.started = None
        self.button.description = self.label
        self.display.value = ""

    def tick(self) -> str:
        """Show the time left now and return it."""
        if self.started is None:
            return ""
        left = self.minutes * 60 - (self.clock() - self.started)
        text = time_left(left)
        self.display.value = f"<span role='timer'>{html.escape(text)}</span>"
        return text

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            if self.tick() == TIME_UP:
                break


class SelfAssess(Panel):
    """One paper-3 question: the timer, an answer box, a level to choose and a button
    that shows every model answer once a level is chosen."""

    def __init__(self, question_id: str) -> None:
        self.question_id = question_id
        question = paper_question(question_id)
        scheme = load_levels()[question.type]
        heading = w.HTML(
            f"<p><b>Question {question.number} ({question.marks} marks):</b> "
            f"{html.escape(question.text)}</p>"
        )
        self.timer = Timer(minutes_for(question.marks))
        self.answer = w.Textarea(
            description="Your answer",
            placeholder="Write your answer here.",
            layout=w.Layout(width="95%", height="12em"),
            style={"description_width": "7em"},
        )
        self.level = ChoiceButtons(
            [(f"Level {lv.level} ({lv.marks} marks): {lv.plain}", str(lv.level))
             for lv in scheme.levels],
            description="Which level does your answer reach?",
        )  # fmt: skip
        self.button = w.Button(
            description="Show the model answers",
            tooltip="See an answer at every level, with its mark and why (choose your level first)",
            button_style="primary",
            layout=w.Layout(width="auto"),
        )
        self.output = w.Output()
        self.shown = ""
        self.button.on_click(lambda _button: self.reveal())
        self.level.observe(self._level_changed, names="value")
        super().__init__([heading, self.timer, self.answer, self.level, self.button, self.output])

    def _level_changed(self, _change: dict) -> None:
        """Once the button has been pressed, a new choice of level updates what it shows."""
        if self.shown:
            self.reveal()

    def reveal(self) -> str:
        """Show the comparison (or the request to choose a level) and return it."""
        text = reveal_text(self.question_id, self.level.value, self.answer.value)
        self.shown = text
        self.output.clear_output()
        with self.output:
            display(Markdown(text))
        return text


def self_assess(question_id: str) -> SelfAssess | w.HTML:
    """The mark-it-yourself box for a paper-3 question ('p3-q1' … 'p3-q6'); for any
    other name, a message saying which names there are (never a traceback)."""
    try:
        return SelfAssess(question_id)
    except KeyError:
        names = ", ".join(q.id for q in load_papers()["paper3"].questions)
        return w.HTML(
            f"<p>There is no paper-3 question called <code>{html.escape(str(question_id))}"
            f"</code>. The questions are {names}.</p>"
        )
