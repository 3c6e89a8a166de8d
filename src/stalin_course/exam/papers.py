"""The practice papers, the levels of response and the model answers, as data.

Three files beside this module, all written for the course:

- ``papers.toml``: the three practice papers' questions (the one home of their stems);
- ``levels.toml``: one wording of the levels for each of the six question types;
- ``models.toml``: model answers at every level for paper 3, each with its mark and an
  examiner-style comment.

>>> [q.marks for q in load_papers()["paper1"].questions]
[4, 4, 8, 4, 8, 12]
>>> minutes_for(12)
20
>>> print(levels_table("describe"))
| Level | Marks | What the examiner looks for |
|---|---|---|
| Level 2 | 3–4 | Complex description of two features, each supported by relevant, precise knowledge. |
| Level 1 | 1–2 | Basic description of one or two features. |
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .content import ExamDataError, _read, _text

__all__ = [
    "MARKS",
    "MINUTES",
    "Level",
    "Model",
    "Paper",
    "PaperQuestion",
    "load_levels",
    "load_models",
    "load_papers",
    "levels_table",
    "minutes_for",
    "models_fallback_markdown",
    "models_markdown",
    "paper_question",
    "set_paper_questions",
    "question_markdown",
]

#: The marks of each question type, in the paper's order (4 + 4 + 8 + 4 + 8 + 12 = 40).
MARKS: dict[str, int] = {
    "differ": 4,
    "why-differ": 4,
    "convincing": 8,
    "describe": 4,
    "ways": 8,
    "important": 12,
}
#: The course's one timing rule for Section A (AQA advises about an hour for the
#: section): minutes per question by its marks, leaving 5 minutes to check.
MINUTES: dict[int, int] = {4: 5, 8: 10, 12: 20}


@dataclass(frozen=True)
class Level:
    """One level of a question type: its number, mark band and wording."""

    level: int
    marks: str
    descriptor: str
    plain: str

    @property
    def lowest(self) -> int:
        """The lowest mark in the band."""
        return int(self.marks.split("–")[0])

    @property
    def highest(self) -> int:
        """The highest mark in the band."""
        return int(self.marks.split("–")[-1])


@dataclass(frozen=True)
class LevelScheme:
    """The levels of one question type, top level first."""

    type: str
    question: str
    target: str
    levels: tuple[Level, ...]


@dataclass(frozen=True)
class PaperQuestion:
    """One question of a practice paper."""

    id: str
    number: int
    type: str
    stem: str
    bullets: tuple[str, ...]
    then: str

    @property
    def marks(self) -> int:
        """The question's marks (from its type)."""
        return MARKS[self.type]

    @property
    def text(self) -> str:
        """The whole question on one line (stem and bullet points)."""
        if not self.bullets:
            return self.stem
        return f"{self.stem} " + "; ".join(b.rstrip("?") for b in self.bullets) + "?"


@dataclass(frozen=True)
class Paper:
    """A practice paper: its interpretations and six questions."""

    key: str
    title: str
    assignment: str
    interpretations: str
    questions: tuple[PaperQuestion, ...]


@dataclass(frozen=True)
class Model:
    """A model answer to one question at one level, with its mark and why."""

    question: str
    level: int
    mark: int
    answer: str
    comment: str


def _levels(raw: dict[str, Any]) -> dict[str, LevelScheme]:
    where = "exam/levels.toml"
    types = raw.get("types")
    if not isinstance(types, dict) or set(types) != set(MARKS):
        raise ExamDataError(f"{where}: needs exactly the types {', '.join(MARKS)}")
    result = {}
    for key, body in types.items():
        here = f"{where} [types.{key}]"
        levels = []
        for item in body.get("levels", []):
            values = {f: _text(item, f, here) for f in ("marks", "descriptor", "plain")}
            levels.append(Level(int(item.get("level", 0)), **values))
        numbers = [level.level for level in levels]
        if numbers != list(range(len(levels), 0, -1)) or len(levels) < 2:
            raise ExamDataError(f"{here}: levels must run from the top down to Level 1")
        if levels[0].highest != MARKS[key] or levels[-1].lowest != 1:
            raise ExamDataError(f"{here}: the bands must run from 1 to {MARKS[key]} marks")
        for upper, lower in zip(levels, levels[1:], strict=False):
            if upper.lowest != lower.highest + 1:
                raise ExamDataError(f"{here}: Level {lower.level}'s band must meet the next")
        result[key] = LevelScheme(
            key, _text(body, "question", here), _text(body, "target", here), tuple(levels)
        )
    return result


def _papers(raw: dict[str, Any]) -> dict[str, Paper]:
    where = "exam/papers.toml"
    papers = raw.get("papers")
    if not isinstance(papers, dict) or not papers:
        raise ExamDataError(f"{where}: has no [papers.KEY] tables")
    result = {}
    for key, body in papers.items():
        here = f"{where} [papers.{key}]"
        questions = []
        for number, item in enumerate(body.get("questions", []), start=1):
            spot = f"{here}, question {number}"
            bullets = tuple(item.get("bullets", ()))
            if (item.get("type") == "important") != (len(bullets) == 2):
                raise ExamDataError(f"{spot}: only a 'which was more important' has 2 bullets")
            then = item.get("then", "")
            question = PaperQuestion(
                _text(item, "id", spot), number, _text(item, "type", spot),
                _text(item, "stem", spot), bullets, " ".join(then.split()),
            )  # fmt: skip
            questions.append(question)
        if [q.type for q in questions] != list(MARKS):
            raise ExamDataError(f"{here}: needs the six questions in the order {list(MARKS)}")
        result[key] = Paper(
            key, _text(body, "title", here), body.get("assignment", ""),
            _text(body, "interpretations", here), tuple(questions),
        )  # fmt: skip
    return result


def _models(raw: dict[str, Any]) -> tuple[Model, ...]:
    where = "exam/models.toml"
    models = []
    for number, item in enumerate(raw.get("models", []), start=1):
        spot = f"{where}, model {number}"
        qid = _text(item, "question", spot)
        question = paper_question(qid)
        levels = {level.level: level for level in load_levels()[question.type].levels}
        level = levels.get(item.get("level"))
        if level is None:
            raise ExamDataError(f"{spot}: {qid} has no level {item.get('level')!r}")
        mark = item.get("mark")
        if not isinstance(mark, int) or not level.lowest <= mark <= level.highest:
            raise ExamDataError(f"{spot}: the mark must be in Level {level.level}'s band")
        answer = "\n\n".join(" ".join(p.split()) for p in str(item.get("answer", "")).split("\n\n"))
        if not answer.strip():
            raise ExamDataError(f"{spot}: missing answer")
        models.append(Model(qid, level.level, mark, answer, _text(item, "comment", spot)))
    return tuple(models)


@lru_cache(maxsize=1)
def load_levels() -> dict[str, LevelScheme]:
    """The levels of each question type, by type ('differ', …, 'important')."""
    return _levels(_read("levels.toml"))


@lru_cache(maxsize=1)
def load_papers() -> dict[str, Paper]:
    """The practice papers, by key ('paper1', 'paper2', 'paper3')."""
    return _papers(_read("papers.toml"))


@lru_cache(maxsize=1)
def load_models() -> tuple[Model, ...]:
    """The model answers, in the file's order."""
    return _models(_read("models.toml"))


def paper_question(question_id: str) -> PaperQuestion:
    """The paper question with this id (KeyError if there is none)."""
    for paper in load_papers().values():
        for question in paper.questions:
            if question.id == question_id:
                return question
    raise KeyError(question_id)


def set_paper_questions() -> frozenset[str]:
    """The ids of the questions on papers a teacher sets and marks (papers 1 and 2): no
    student-side help (self-check, models) may touch them before the work is returned."""
    return frozenset(q.id for p in load_papers().values() if p.assignment for q in p.questions)


def minutes_for(marks: int) -> int:
    """Minutes to spend on a question worth ``marks``, by the course's timing rule."""
    return MINUTES[marks]


def levels_table(
    kind: str, heading: str = "What the examiner looks for", zero: bool = False
) -> str:
    """The level table of question type ``kind`` as Markdown (``zero`` adds the 0 row
    that a mark scheme has)."""
    rows = [f"| Level | Marks | {heading} |", "|---|---|---|"]
    for level in load_levels()[kind].levels:
        rows.append(f"| Level {level.level} | {level.marks} | {level.descriptor} |")
    if zero:
        rows.append("| – | 0 | Nothing worthy of credit. |")
    return "\n".join(rows)


def question_markdown(question: PaperQuestion) -> str:
    """The question as a paper prints it: heading, stem, bullet points, instruction, marks."""
    parts = [f"### Question {question.number} ({question.marks} marks)", question.stem]
    if question.bullets:
        parts.append("\n".join(f"- {bullet}" for bullet in question.bullets))
    if question.then:
        parts.append(question.then)
    parts.append(f"**[{question.marks} marks]**")
    return "\n\n".join(parts)


def models_markdown(question_id: str) -> str:
    """The model answers to one question, top level last, each with its mark and why."""
    question = paper_question(question_id)
    parts = []
    for model in sorted(
        (m for m in load_models() if m.question == question_id), key=lambda m: m.level
    ):
        quoted = "\n>\n".join(f"> {p}" for p in model.answer.split("\n\n"))
        parts.append(
            f"**Level {model.level} ({model.mark} out of {question.marks}):**\n\n{quoted}\n\n"
            f"*Why Level {model.level}:* {model.comment}"
        )
    return "\n\n".join(parts)


#: The heading of the static copy of a mark-it-yourself paper (not counted as main text).
FALLBACK_HEADING = "### The same activity without widgets: the model answers"


def models_fallback_markdown(paper: str = "paper3") -> str:
    """The static copy of a mark-it-yourself paper's models, for where widgets do not run:
    each question's models in a closed section, to open after choosing a level."""
    parts = [
        FALLBACK_HEADING,
        "If the boxes above do not appear, write each answer on paper and decide which level "
        "it reaches from the table under the question. Then open that question's models.",
    ]
    for question in load_papers()[paper].questions:
        parts.append(
            f"<details><summary>Question {question.number}: the model answers</summary>\n\n"
            f"{models_markdown(question.id)}\n\n</details>"
        )
    return "\n\n".join(parts)
