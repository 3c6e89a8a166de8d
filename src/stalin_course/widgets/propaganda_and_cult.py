"""Widgets for lesson 08: spot the propaganda technique, and the Komsomol counts.

The examples describe (they do not copy) real posters, newspaper stories and
books of the 1930s; their text, and the techniques', is in
``prose/propaganda_and_cult.toml``. Each one is a :class:`~.kit.QuizQuestion`, so
the feedback is the same kind, hint-not-answer feedback as the quizzes:

>>> example = TECHNIQUE_EXAMPLES[0]
>>> technique_feedback(example.id, example.answer).startswith("Correct!")
True
>>> technique_feedback(example.id, "Enemies to hate").startswith("Not quite")
True
"""

from __future__ import annotations

import html

import ipywidgets as w

from .. import charts, data
from ..lessons import prose
from .kit import ChoiceButtons, Explorer, Panel, QuizQuestion, _question, _status, explore

__all__ = [
    "EXAMPLE_TITLES",
    "TECHNIQUES",
    "TECHNIQUE_EXAMPLES",
    "TechniqueSpotter",
    "explore_komsomol",
    "spot_the_technique",
    "technique_feedback",
    "techniques_markdown",
]

_PROSE = prose("propaganda_and_cult")

#: The propaganda techniques a student can choose from, with what each one means.
TECHNIQUES: dict[str, str] = dict(_PROSE["techniques"])

_OPTIONS = tuple(TECHNIQUES)

#: Described examples of Stalinist propaganda; each has one main technique.
TECHNIQUE_EXAMPLES: tuple[QuizQuestion, ...] = tuple(
    _question({**raw, "options": _OPTIONS}, f"prose/propaganda_and_cult.toml, example {number}")
    for number, raw in enumerate(_PROSE["examples"], start=1)
)

#: Short names for the examples in the drop-down list (they do not give the answer away).
EXAMPLE_TITLES: dict[str, str] = {raw["id"]: raw["title"] for raw in _PROSE["examples"]}

_BY_ID = {example.id: example for example in TECHNIQUE_EXAMPLES}


def technique_feedback(example_id: str, choice: str | None) -> str:
    """Feedback on choosing ``choice`` as the technique of example ``example_id``."""
    return _BY_ID[example_id].feedback(choice)


def techniques_markdown() -> str:
    """The static version of the activity: the techniques, the examples, hidden answers."""
    lines = ["**The techniques**", ""]
    lines += [f"- **{name}:** {meaning}" for name, meaning in TECHNIQUES.items()]
    lines += ["", "**The examples**", ""]
    lines += [
        f"{n}. *{EXAMPLE_TITLES[ex.id]}.* {ex.question}"
        for n, ex in enumerate(TECHNIQUE_EXAMPLES, start=1)
    ]
    lines += ["", "<details><summary>Show the answers</summary>", ""]
    lines += [
        f"{n}. **{ex.answer}.** {ex.explanation}"
        for n, ex in enumerate(TECHNIQUE_EXAMPLES, start=1)
    ]
    lines += ["", "</details>"]
    return "\n".join(lines)


def _label(number: int, example: QuizQuestion) -> str:
    return f"{number}. {EXAMPLE_TITLES[example.id]}"


class TechniqueSpotter(Panel):
    """Pick an example, choose the technique it uses, press Check, read the feedback."""

    def __init__(self) -> None:
        style = {"description_width": "initial"}
        self.example = w.Dropdown(
            options=[(_label(n, ex), ex.id) for n, ex in enumerate(TECHNIQUE_EXAMPLES, start=1)],
            description="Example",
            style=style,
            layout=w.Layout(width="auto"),
        )
        self.text = w.HTML()
        self.choice = ChoiceButtons(_OPTIONS, description="Technique")
        self.check_button = w.Button(
            description="Check", tooltip="Check which technique this example uses"
        )
        self.feedback = w.HTML(_status(""))
        self.score = w.HTML(_status(""))
        self.spotted: set[str] = set()
        self.example.observe(lambda _change: self._show_example(), names="value")
        self.check_button.on_click(lambda _button: self.check())
        self._show_example()
        super().__init__(
            [self.example, self.text, self.choice, self.check_button, self.feedback, self.score]
        )

    def _show_example(self) -> None:
        example = _BY_ID[self.example.value]
        self.text.value = f"<blockquote>{html.escape(example.question)}</blockquote>"
        self.choice.value = None
        self.feedback.value = _status("")

    def check(self) -> str:
        """Show and return feedback on the chosen technique for the current example."""
        example = _BY_ID[self.example.value]
        text = example.feedback(self.choice.value)
        good = None if self.choice.value is None else example.is_correct(self.choice.value)
        if good:
            self.spotted.add(example.id)
        self.feedback.value = _status(text, good)
        total = len(TECHNIQUE_EXAMPLES)
        self.score.value = _status(f"You have spotted {len(self.spotted)} of {total} techniques.")
        return text

    def answer(self, example_id: str, choice: str) -> str:
        """Choose ``example_id`` and ``choice``, press Check and return the feedback."""
        self.example.value = example_id
        self.choice.value = choice
        self.check_button.click()
        return technique_feedback(example_id, choice)


def spot_the_technique() -> TechniqueSpotter:
    """The "spot the propaganda technique" activity."""
    return TechniqueSpotter()


def _komsomol_details(year: int) -> str:
    frame = data.load("komsomol_membership")
    row = frame[frame["year"] == year].iloc[0]
    note = "" if not isinstance(row["note"], str) else f" {row['note']}"
    as_of = row["as_of"] if isinstance(row["as_of"], str) and row["as_of"] else str(year)
    when = html.escape(charts.on_date(as_of))
    return f"<p><b>Count for {year}</b> (counted {when}).{html.escape(note)}</p>"


def explore_komsomol(year: int | None = None) -> Explorer:
    """A drop-down of the years with a Komsomol count; ring the count and compare with 1926."""
    years = [str(y) for y in data.load("komsomol_membership")["year"]]
    return explore(
        lambda label: charts.komsomol_chart(int(label)),
        years,
        description="Year of the count",
        value=None if year is None else str(year),
        details=lambda label: _komsomol_details(int(label)),
    )
