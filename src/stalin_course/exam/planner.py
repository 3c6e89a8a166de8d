"""Widgets for the long exam answers: a planning scaffold and a coverage checker.

Every control is a native ipywidgets control with a ``description`` label, so it works
from the keyboard (Tab to move between boxes, Enter or Space to press a button). The
text each widget produces comes from plain functions, so it is tested without a browser.

>>> print(plan_text("worked-q6", {"factor": "Alliances", "judgement": "Mostly alliances."}))
PLAN: Which of the following was the more important reason why Trotsky lost the struggle for power by 1927: Trotsky's own mistakes, or the alliances Stalin made with other leaders?
<BLANKLINE>
Factor: Alliances
Evidence: (not planned yet)
Explanation: (not planned yet)
Link: (not planned yet)
Judgement: Mostly alliances.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import ipywidgets as w

from ..widgets.kit import Panel
from .coverage import question_of, self_check, self_check_questions

__all__ = [
    "FIELDS", "NO_SELF_CHECK", "CoverageChecker", "Planner", "coverage_checker", "plan_text", "planner",
]  # fmt: skip

#: The planning boxes: (key, label, what to write).
FIELDS: tuple[tuple[str, str, str], ...] = (
    ("factor", "Factor", "The reason, consequence or claim this paragraph is about."),
    ("evidence", "Evidence", "Precise facts: names, dates, numbers."),
    ("explanation", "Explanation", "How the evidence answers the question: 'This meant that…'."),
    ("link", "Link", "How this factor connects to the other one, or back to the question."),
    ("judgement", "Judgement", "Your answer to the question, and the reason for it."),
)

EMPTY = "(not planned yet)"
#: What the coverage box says for a question it has no list for (a paper the teacher marks).
NO_SELF_CHECK = (
    "There is no coverage check for this question: your teacher marks it and gives you "
    "back every mark and comment."
)


def plan_text(question_id: str, values: Mapping[str, str]) -> str:
    """The plan as plain text, ready to copy into an answer cell."""
    item = question_of(question_id)
    lines = [f"PLAN: {item[0]}" if item else "PLAN", ""]
    for key, label, _help in FIELDS:
        value = " ".join(str(values.get(key, "")).split()) or EMPTY
        lines.append(f"{label}: {value}")
    return "\n".join(lines)


def _layout() -> w.Layout:
    return w.Layout(width="95%", height="5em")


class Planner(Panel):
    """Five labelled text boxes and a button that assembles them into a plan."""

    def __init__(self, question_id: str) -> None:
        self.question_id = question_id
        item = question_of(question_id)
        self.boxes = {
            key: w.Textarea(
                description=label,
                placeholder=help_text,
                layout=_layout(),
                style={"description_width": "7em"},
            )
            for key, label, help_text in FIELDS
        }
        self.button = w.Button(
            description="Build my plan",
            tooltip="Put your notes together as a plan you can copy into your answer",
        )
        self.output = w.Output()
        self.button.on_click(lambda _button: self.build())
        title = f"Plan: {html.escape(item[0])}</b> ({item[1]} marks)" if item else "Plan</b>"
        heading = w.HTML(f"<p><b>{title}</p>")
        super().__init__([heading, *self.boxes.values(), self.button, self.output])

    def values(self) -> dict[str, str]:
        """What is typed in each box, by key."""
        return {key: box.value for key, box in self.boxes.items()}

    def build(self) -> str:
        """Show the assembled plan in the output area and return it."""
        text = plan_text(self.question_id, self.values())
        self.output.clear_output()
        with self.output:
            print(text)
            print("\nSelect the plan above, copy it (Ctrl+C), and paste it into your answer.")
        return text


class CoverageChecker(Panel):
    """A text box for a long answer and a button that lists which ideas of the course's
    list the answer mentions words linked to (its own points only; see
    :func:`~stalin_course.exam.coverage.self_check`)."""

    def __init__(self, question_id: str) -> None:
        self.question_id = question_id
        question = self_check_questions().get(question_id, "")
        self.answer = w.Textarea(
            description="Your answer",
            placeholder="Type or paste your answer here.",
            layout=w.Layout(width="95%", height="12em"),
            style={"description_width": "7em"},
        )
        self.button = w.Button(
            description="Check my coverage",
            tooltip="Which ideas on the course's list your answer mentions (not a mark)",
        )
        self.output = w.Output()
        self.button.on_click(lambda _button: self.check())
        heading = w.HTML(f"<p><b>{html.escape(question)}</b></p>")
        super().__init__([heading, self.answer, self.button, self.output])

    def check(self) -> str:
        """Show the self-check for the typed answer and return it."""
        if self.question_id not in self_check_questions():
            text = NO_SELF_CHECK
        else:
            text = self_check(self.question_id, self.answer.value).report()
        self.output.clear_output()
        with self.output:
            print(text)
        return text


def planner(question_id: str) -> Planner:
    """A planning scaffold for an 8- or 12-mark question."""
    return Planner(question_id)


def coverage_checker(question_id: str) -> CoverageChecker:
    """A 'check my coverage' box for a long answer."""
    return CoverageChecker(question_id)
