"""The course's widget kit: self-check quizzes and chart explorers.

Every control is a native ipywidgets control with a ``description`` label, so
it works from the keyboard: Tab to move, Enter or Space to choose an option or
press a button, arrow keys on a slider, Alt+Down to open a drop-down list.
Options are buttons rather than radio buttons, whose arrow keys JupyterLab takes
for moving between cells. Feedback text lives in plain Python functions, so it
can be tested without a browser.

Quiz content lives in ``stalin_course/quizzes/<section>.toml``:

>>> questions = load_quiz("power_struggle")
>>> first = questions[0]
>>> first.feedback(first.answer).startswith("Correct!")
True
>>> wrong = next(option for option in first.options if option != first.answer)
>>> first.feedback(wrong).startswith("Not quite")
True
"""

from __future__ import annotations

import base64
import getpass
import html
import itertools
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

import ipywidgets as w
import traitlets

from ..charts import Chart

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "ChoiceButtons",
    "Explorer",
    "Panel",
    "QuizError",
    "QuizQuestion",
    "QuizWidget",
    "control_values",
    "controls",
    "explore",
    "load_quiz",
    "quiz",
    "quiz_markdown",
    "quiz_seed",
    "static_html",
]

_FIELDS = ("id", "question", "options", "answer", "hint", "explanation")


class QuizError(ValueError):
    """A quiz file is missing or breaks the quiz format (names the file and question)."""


@dataclass(frozen=True)
class QuizQuestion:
    """One multiple-choice question, with a hint for wrong answers and an explanation."""

    id: str
    question: str
    options: tuple[str, ...]
    answer: str
    hint: str
    explanation: str

    def is_correct(self, choice: str | None) -> bool:
        """True if ``choice`` is the right option."""
        return choice == self.answer

    def feedback(self, choice: str | None) -> str:
        """Kind, specific feedback: a hint for a wrong choice, never the answer.

        >>> q = QuizQuestion("q", "2 + 2?", ("3", "4"), "4", "Count on your fingers.", "2 + 2 = 4.")
        >>> q.feedback("3")
        'Not quite – have another go. Hint: Count on your fingers.'
        >>> q.feedback("4")
        'Correct! 2 + 2 = 4.'
        >>> q.feedback(None)
        'Choose one of the answers first, then press Check.'
        """
        if choice is None:
            return "Choose one of the answers first, then press Check."
        if self.is_correct(choice):
            return f"Correct! {self.explanation}"
        return f"Not quite – have another go. Hint: {self.hint}"

    def shuffled(self, rng: random.Random) -> QuizQuestion:
        """The same question with its options in an order drawn from ``rng``.

        >>> q = QuizQuestion("q", "?", ("a", "b", "c", "d"), "a", "h", "e")
        >>> q.shuffled(random.Random(1)).options == q.shuffled(random.Random(1)).options
        True
        """
        options = list(self.options)
        rng.shuffle(options)
        return replace(self, options=tuple(options))


def _question(raw: dict[str, Any], where: str) -> QuizQuestion:
    missing = [name for name in _FIELDS if not raw.get(name)]
    if missing:
        raise QuizError(f"{where}: missing or empty {', '.join(missing)}")
    options = tuple(str(option) for option in raw["options"])
    if len(options) < 2 or len(set(options)) != len(options):
        raise QuizError(f"{where}: needs at least two different options")
    if raw["answer"] not in options:
        raise QuizError(f"{where}: the answer {raw['answer']!r} is not one of the options")
    return QuizQuestion(
        str(raw["id"]),
        str(raw["question"]),
        options,
        str(raw["answer"]),
        str(raw["hint"]),
        str(raw["explanation"]),
    )


def load_quiz(section: str) -> list[QuizQuestion]:
    """Read and check ``quizzes/<section>.toml``; return its questions in order."""
    name = f"{section}.toml"
    file = resources.files("stalin_course") / "quizzes" / name
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise QuizError(f"no quiz file called quizzes/{name}") from None
    except tomllib.TOMLDecodeError as error:
        raise QuizError(f"quizzes/{name}: not valid TOML ({error})") from None
    items = raw.get("questions", [])
    if not items:
        raise QuizError(f"quizzes/{name}: has no [[questions]]")
    questions = [
        _question(item, f"quizzes/{name}, question {number}")
        for number, item in enumerate(items, start=1)
    ]
    ids = [question.id for question in questions]
    if len(set(ids)) != len(ids):
        raise QuizError(f"quizzes/{name}: two questions share an id")
    return questions


def quiz_markdown(section: str) -> str:
    """The static fallback of a quiz for a lesson's markdown: questions, then hidden answers."""
    questions = load_quiz(section)
    lines = []
    for number, question in enumerate(questions, start=1):
        lines.append(f"{number}. **{question.question}**")
        lines += [f"   - {option}" for option in question.options]
    lines += ["", "<details><summary>Show the answers</summary>", ""]
    for number, question in enumerate(questions, start=1):
        lines.append(f"{number}. **{question.answer}** {question.explanation}")
    lines += ["", "</details>"]
    return "\n".join(lines)


def _status(text: str, good: bool | None = None) -> str:
    """HTML for a screen-reader-announced status message."""
    colour = {True: "#005a32", False: "#8a3b00", None: "#333333"}[good]
    return f'<div role="status" aria-live="polite" style="color:{colour}">{html.escape(text)}</div>'


_STATIC_NOTE = (
    "<p><i>This is a picture of an interactive tool. To use it, open the notebook in "
    "JupyterLab and run the cells.</i></p>"
)


def static_html(widget: w.Widget) -> str:
    """A static picture of a widget as it stands now: its images, texts and the value of
    each control, for places where widgets cannot run (a static notebook viewer)."""
    if isinstance(widget, w.Image):
        data = base64.b64encode(widget.value).decode("ascii") if widget.value else ""
        return (
            f'<img src="data:image/{widget.format};base64,{data}" style="max-width:100%">'
            if data
            else ""
        )
    if isinstance(widget, (w.HTML, w.HTMLMath)):
        return widget.value
    if hasattr(widget, "static_html"):
        return widget.static_html()
    if isinstance(widget, w.Label):
        return f"<p>{html.escape(widget.value)}</p>"
    if isinstance(widget, w.Box):
        return "".join(static_html(child) for child in widget.children)
    if isinstance(widget, w.Button):
        return ""
    description = html.escape(getattr(widget, "description", "") or "")
    value = getattr(widget, "value", None)
    if isinstance(value, (tuple, list)):
        value = " to ".join(str(v) for v in value)
    options = getattr(widget, "options", None)
    choices = ""
    if options and not isinstance(widget, w.SelectionSlider):
        labels = [o[0] if isinstance(o, tuple) else str(o) for o in options]
        choices = f" <small>(choices: {html.escape(' / '.join(labels))})</small>"
    if value in (None, "") and not choices:
        return ""
    shown = "" if value in (None, "") else html.escape(str(value))
    return f"<p><b>{description}</b> {shown}{choices}</p>"


class ChoiceButtons(w.VBox):
    """A set of options, one button each. Unlike radio buttons (whose arrow keys
    JupyterLab takes for moving between cells), every option is its own Tab stop and
    is chosen with Enter or Space. Options are texts or (label, value) pairs; ``value``
    is the chosen option's value, or None."""

    value = traitlets.Unicode(None, allow_none=True)

    def __init__(
        self,
        options: Sequence[str | tuple[str, str]],
        description: str,
        value: str | None = None,
    ) -> None:
        pairs = [o if isinstance(o, tuple) else (o, o) for o in options]
        self.labels = tuple(label for label, _ in pairs)
        self.options = tuple(option for _, option in pairs)
        self.description = description
        self.buttons = [
            w.Button(
                description=label,
                tooltip=f"{description}: {label}",
                layout=w.Layout(width="auto", max_width="100%"),
            )
            for label in self.labels
        ]
        for option, button in zip(self.options, self.buttons, strict=True):
            button.on_click(lambda _button, chosen=option: setattr(self, "value", chosen))
        label = w.HTML(f"<span class='stalin-choice-label'>{html.escape(description)}</span>")
        super().__init__([label, *self.buttons], layout=w.Layout(align_items="flex-start"))
        self.observe(self._show_choice, names="value")
        self.value = value

    def _show_choice(self, change: dict) -> None:
        if change["new"] is not None and change["new"] not in self.options:
            self.value = change["old"]
            raise traitlets.TraitError(f"{change['new']!r} is not one of the options")
        for option, button in zip(self.options, self.buttons, strict=True):
            chosen = option == change["new"]
            button.button_style = "info" if chosen else ""
            button.icon = "check" if chosen else ""

    def static_html(self) -> str:
        """The question's options as text, the chosen one marked."""
        items = "".join(
            f"<li><b>{html.escape(label)}</b> (chosen)</li>"
            if option == self.value
            else f"<li>{html.escape(label)}</li>"
            for label, option in zip(self.labels, self.options, strict=True)
        )
        return f"<p><b>{html.escape(self.description)}</b></p><ul>{items}</ul>"


#: The course's few layout rules for its widgets (scoped to ``.stalin-course``): option
#: buttons wrap long text instead of clipping it, drop-down lists are as wide as their
#: longest choice (never wider than the page), and text breaks between words only.
_CSS = """<style>
.stalin-course .jupyter-button, .stalin-course .widget-button {
  white-space: normal; height: auto; min-height: var(--jp-widgets-inline-height, 28px);
  line-height: 1.35; padding-top: 4px; padding-bottom: 4px; text-align: left;
  max-width: 100%; overflow: visible; text-overflow: clip;
}
.stalin-course .widget-dropdown { width: auto; max-width: 100%; }
.stalin-course .widget-dropdown > select { width: auto; max-width: 100%; min-width: 0; }
.stalin-course .widget-label { white-space: normal; overflow: visible; }
.stalin-course .widget-readout { overflow: visible; min-width: max-content; }
.stalin-course .widget-html-content, .stalin-course p {
  word-break: normal; overflow-wrap: break-word; white-space: normal;
}
</style>"""


class Panel(w.VBox):
    """A VBox that also shows as a static picture where widgets cannot run, and carries
    the course's layout rules (``_CSS``)."""

    def __init__(self, children: Sequence[w.Widget] = (), **kwargs: Any) -> None:
        super().__init__([*children, w.HTML(_CSS)], **kwargs)
        self.add_class("stalin-course")

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle["text/html"] = _STATIC_NOTE + static_html(self)
        return bundle


class _QuestionBox(w.VBox):
    """One question: its text, a button per option, a Check button and a feedback line."""

    def __init__(self, number: int, question: QuizQuestion) -> None:
        self.question = question
        self.prompt = w.HTML(f"<p><b>{number}. {html.escape(question.question)}</b></p>")
        self.choice = ChoiceButtons(question.options, description=f"Question {number}")
        self.check_button = w.Button(
            description="Check", tooltip=f"Check your answer to question {number}"
        )
        self.feedback = w.HTML(_status(""))
        self.correct = False
        self.check_button.on_click(lambda _button: self.check())
        super().__init__([self.prompt, self.choice, self.check_button, self.feedback])

    def check(self) -> str:
        """Show feedback on the chosen option and return it as plain text."""
        text = self.question.feedback(self.choice.value)
        self.correct = self.question.is_correct(self.choice.value)
        self.feedback.value = _status(text, None if self.choice.value is None else self.correct)
        return text


class QuizWidget(Panel):
    """A self-check quiz; ``items[i]`` holds question i's controls and feedback."""

    def __init__(self, questions: Sequence[QuizQuestion], title: str) -> None:
        self.items = [_QuestionBox(n, q) for n, q in enumerate(questions, start=1)]
        self.score = w.HTML(_status(""))
        for item in self.items:
            item.check_button.on_click(lambda _button: self._update_score())
        super().__init__([w.HTML(f"<h3>{html.escape(title)}</h3>"), *self.items, self.score])

    def _update_score(self) -> None:
        right = sum(item.correct for item in self.items)
        self.score.value = _status(f"So far you have {right} of {len(self.items)} right.")

    def answer(self, number: int, choice: str) -> str:
        """Choose ``choice`` for question ``number`` (from 1), press Check, return feedback."""
        item = self.items[number - 1]
        item.choice.value = choice
        item.check_button.click()
        return item.question.feedback(choice)


#: How many times each quiz has been shown in this kernel (each showing is a new attempt).
_ATTEMPTS: dict[str, itertools.count] = {}


def quiz_seed(section: str) -> str:
    """A seed for one showing of a quiz: the student's login, the quiz and the attempt, so
    two students (and two attempts) see the options in different orders."""
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (some containers): order still varies
        user = "student"
    attempt = next(_ATTEMPTS.setdefault(section, itertools.count(1)))
    return f"{user}:{section}:{attempt}"


def quiz(
    section: str, title: str = "Check your understanding", seed: str | int | None = None
) -> QuizWidget:
    """Show the self-check quiz stored in ``quizzes/<section>.toml``, each question's
    options in a fresh order (``seed`` fixes the order, e.g. in tests)."""
    rng = random.Random(quiz_seed(section) if seed is None else seed)
    return QuizWidget([question.shuffled(rng) for question in load_quiz(section)], title)


class Explorer(Panel):
    """A control that redraws a chart image and its text summary when it changes."""

    def __init__(
        self,
        draw: Callable[[Any], Chart],
        control: w.ValueWidget,
        details: Callable[[Any], str] | None = None,
    ) -> None:
        self.draw, self.control, self.details = draw, control, details
        self.image = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self.summary = w.HTML()
        self.extra = w.HTML()
        self._cache: dict[Any, tuple[bytes, str, str]] = {}
        control.observe(lambda change: self.redraw(change["new"]), names="value")
        super().__init__([control, self.image, self.summary, self.extra])
        self.redraw(control.value)

    def redraw(self, value: Any) -> None:
        """Show the chart, summary and details for ``value`` (cached after the first time)."""
        if value not in self._cache:
            chart = self.draw(value)
            extra = self.details(value) if self.details else ""
            self._cache[value] = (chart.png(), chart.summary, extra)
        png, summary, extra = self._cache[value]
        self.image.value = png
        self.summary.value = _status(summary)
        self.extra.value = extra

    @property
    def summary_text(self) -> str:
        """The summary now shown, as plain text."""
        return self._cache[self.control.value][1]


def explore(
    draw: Callable[[Any], Chart],
    values: Sequence[Any],
    *,
    description: str,
    value: Any = None,
    details: Callable[[Any], str] | None = None,
) -> Explorer:
    """Let a student step through ``values``, redrawing ``draw(value)`` each time.

    A run of whole numbers (such as ``range(1924, 1931)``) gets a slider;
    anything else gets a drop-down list. ``details(value)`` may add HTML below.
    """
    values = list(values)
    start = values[0] if value is None else value
    is_run = all(isinstance(v, int) for v in values) and values == list(
        range(values[0], values[-1] + 1)
    )
    style = {"description_width": "initial"}
    if is_run:
        control: w.ValueWidget = w.IntSlider(
            value=start,
            min=values[0],
            max=values[-1],
            description=description,
            continuous_update=False,
            style=style,
        )
    else:
        control = w.Dropdown(options=values, value=start, description=description, style=style)
    return Explorer(draw, control, details)


_CONTROLS = (w.IntSlider, w.SelectionSlider, w.Dropdown, w.IntRangeSlider, ChoiceButtons)


def controls(widget: w.Widget) -> list[w.Widget]:
    """The controls a student can change in ``widget``, in the order they appear."""
    if isinstance(widget, _CONTROLS):
        return [widget]
    if isinstance(widget, w.Box):
        return [control for child in widget.children for control in controls(child)]
    return []


def control_values(control: w.Widget) -> list[Any]:
    """Values ``control`` can take, in order (a range slider: its first and last spans)."""
    if isinstance(control, w.IntRangeSlider):
        return [(control.min, control.min + 2), (control.max - 3, control.max)]
    if isinstance(control, w.IntSlider):
        return list(range(control.min, control.max + 1))
    if isinstance(control, ChoiceButtons):
        return list(control.options)
    return [option[1] if isinstance(option, tuple) else option for option in control.options]
