"""Widgets for lesson 08: spot the propaganda technique, and the Komsomol counts.

The examples describe (they do not copy) real posters, newspaper stories and
books of the 1930s. Each one is a :class:`~.kit.QuizQuestion`, so the feedback
is the same kind, hint-not-answer feedback as the quizzes:

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
from .kit import ChoiceButtons, Explorer, Panel, QuizQuestion, _status, explore

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

#: The propaganda techniques a student can choose from, with what each one means.
TECHNIQUES: dict[str, str] = {
    "The cult of the leader": "Stalin is shown as wise, caring and always right: a father to the people.",
    "Lenin's true heir": "Stalin is shown standing beside Lenin, as his closest pupil and rightful successor.",
    "Heroes to copy": "Ordinary people are held up as models, so that others copy how they work or behave.",
    "Enemies to hate": "Opponents are shown as traitors, spies or vermin, so that punishing them seems right.",
    "Rewriting the past": "History, books and photographs are changed so that they tell the story Stalin wants.",
    "A bright future": "Factories, dams and happy families show that socialism is winning and life is getting better.",
}

_OPTIONS = tuple(TECHNIQUES)


def _example(id: str, text: str, answer: str, hint: str, explanation: str) -> QuizQuestion:
    return QuizQuestion(id, text, _OPTIONS, answer, hint, explanation)


#: Described examples of Stalinist propaganda; each has one main technique.
TECHNIQUE_EXAMPLES: tuple[QuizQuestion, ...] = (
    _example(
        "happy-childhood",
        "A 1936 poster: a smiling Stalin holds a little girl who has just given him flowers. "
        "The slogan thanks Stalin for the children's happy childhood.",
        "The cult of the leader",
        "Who is the poster really about: the girl, or the kind man holding her?",
        "The poster turns Stalin into a loving father figure. It appeared just before the "
        "Great Terror, in which many children would lose their parents to arrest.",
    ),
    _example(
        "stakhanov",
        "In 1935 the newspapers report that a coal miner has cut 102 tonnes of coal in one shift, "
        "fourteen times his quota. Workers everywhere are urged to break records like him.",
        "Heroes to copy",
        "The man in the story is not a leader. What are readers meant to do after reading about him?",
        "Alexei Stakhanov was made a model worker, and 'Stakhanovites' were praised and rewarded. "
        "His record had been carefully prepared, with other men doing the supporting work.",
    ),
    _example(
        "hedgehog-gloves",
        "A 1937 cartoon: the head of the NKVD, wearing spiked gloves, squeezes a many-headed "
        "snake whose heads stand for the 'Trotskyist' and 'Rightist' plotters.",
        "Enemies to hate",
        "Look at how the people on trial are drawn. Are they shown as humans?",
        "Drawing the accused as a snake made them seem less than human, so arresting and "
        "shooting them looked like protecting the country. (The Russian word for hedgehog "
        "sounds like Yezhov's name.)",
    ),
    _example(
        "short-course",
        "A 1938 history of the Communist Party, which every student must read, says Stalin was "
        "Lenin's closest helper in 1917 and shows Trotsky only as a traitor.",
        "Rewriting the past",
        "Think about what the book does to events that had already happened.",
        "The 'Short Course' rewrote the history of the revolution so that Stalin had always been "
        "at the centre and his defeated rivals had always been enemies.",
    ),
    _example(
        "vanishing-commissar",
        "An official photograph of Stalin walking beside a canal with the head of the NKVD is "
        "printed again after that man has been shot. Now Stalin is alone by the water.",
        "Rewriting the past",
        "Compare the two versions of the photograph. What has happened to the evidence?",
        "Officials who were purged were painted out of photographs, as if they had never "
        "existed. Nikolai Yezhov vanished from a picture taken with Stalin in this way.",
    ),
    _example(
        "with-lenin",
        "A photograph of Stalin and Lenin sitting together on a bench, like close friends, is "
        "printed in hundreds of thousands of copies after Lenin's death.",
        "Lenin's true heir",
        "Lenin was dead and deeply respected. Why put Stalin right next to him?",
        "Linking Stalin to Lenin made him look like the rightful successor, and made it easy to "
        "forget that Lenin's Testament had asked for Stalin's removal.",
    ),
    _example(
        "five-year-plan",
        "A poster shows huge new steelworks, power stations and tractors, with figures claiming "
        "that the Five-Year Plan was finished in only four years.",
        "A bright future",
        "The poster is about machines and progress, not a person. What does it promise?",
        "Posters of growing industry told people that their hard work and sacrifice were "
        "building a modern, powerful country and a better life.",
    ),
    _example(
        "pavlik",
        "Young Pioneers are told the story of a boy who reported his own father to the "
        "authorities and was then murdered by relatives. Songs, books and statues praise him.",
        "Heroes to copy",
        "The story is told to children. Whose behaviour are they meant to follow?",
        "Pavlik Morozov was made a model for children: loyalty to the state came before family. "
        "Historians have since found that the official story was largely invented.",
    ),
)

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


#: Short names for the examples in the drop-down list (they do not give the answer away).
EXAMPLE_TITLES: dict[str, str] = {
    "happy-childhood": "A poster of Stalin with a little girl (1936)",
    "stakhanov": "A record-breaking miner (1935)",
    "hedgehog-gloves": "A cartoon of spiked gloves (1937)",
    "short-course": "A new history of the party (1938)",
    "vanishing-commissar": "A photograph by a canal",
    "with-lenin": "Stalin and Lenin on a bench",
    "five-year-plan": "A poster of new factories",
    "pavlik": "A story told to Young Pioneers",
}


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
    return f"<p><b>Count for {year}</b> (dated {html.escape(str(row['as_of']))}).{html.escape(note)}</p>"


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
