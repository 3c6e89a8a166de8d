"""Exam-practice content as data: the course's interpretations and indicative content.

Both files sit next to this module and are written for the course:
``interpretations.toml`` (the texts and provenance lines for questions 1–3) and
``indicative.toml`` (the key ideas and evidence for each question).

>>> sorted(load_interpretations())
['paper', 'paper2', 'paper3', 'worked']
>>> load_interpretations()["paper2"].b.author
'Leon Trotsky'
>>> load_indicative()["exam-q6"].marks
12
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "ExamDataError",
    "Idea",
    "Interpretation",
    "InterpretationSet",
    "Indicative",
    "interpretations_markdown",
    "load_indicative",
    "load_interpretations",
]

#: "structure" marks what only a reader can judge (a link, a judgement, a contrast): the
#: teacher's mark scheme lists it; the students' self-check never claims to see it.
_KINDS = ("idea", "evidence", "structure")


class ExamDataError(ValueError):
    """An exam-practice data file is missing or malformed (names the file and entry)."""


#: A writer is a historian (writing later) or a contemporary (who lived through the events).
_WRITERS = ("historian", "contemporary")
#: Every pair the course uses: the three practice papers and the lesson's worked examples.
SETS = ("paper", "paper2", "paper3", "worked")


@dataclass(frozen=True)
class Interpretation:
    """One interpretation written for the course, with its exam-style provenance line and
    the work it is adapted from."""

    label: str
    author: str
    kind: str  # historian | contemporary
    work: str
    year: int
    provenance: str
    school: str
    text: str


@dataclass(frozen=True)
class InterpretationSet:
    """A pair of interpretations about one focus (A/B in the paper, C/D in worked examples)."""

    key: str
    title: str
    focus: str
    a: Interpretation
    b: Interpretation
    note: str


@dataclass(frozen=True)
class Idea:
    """A key idea or piece of evidence from the indicative content, with its phrases."""

    id: str
    kind: str  # idea | evidence | structure
    label: str
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class Indicative:
    """The indicative content of one question."""

    id: str
    question: str
    marks: int
    ideas: tuple[Idea, ...]


def _read(name: str) -> dict[str, Any]:
    file = resources.files("stalin_course") / "exam" / name
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExamDataError(f"exam/{name} is missing") from None
    except tomllib.TOMLDecodeError as error:
        raise ExamDataError(f"exam/{name}: not valid TOML ({error})") from None


def _text(raw: dict[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ExamDataError(f"{where}: missing or empty '{key}'")
    return " ".join(value.split())


def parse_interpretations(raw: dict[str, Any]) -> dict[str, InterpretationSet]:
    """Check and convert the parsed ``interpretations.toml``."""
    where = "exam/interpretations.toml"
    note = _text(raw, "note", where)
    if "written for this course" not in note.lower():
        raise ExamDataError(f"{where}: the note must say the texts are written for this course")
    sets = raw.get("sets")
    if not isinstance(sets, dict) or set(sets) != set(SETS):
        raise ExamDataError(f"{where}: needs exactly the pairs {', '.join(SETS)}")
    result = {}
    for key, body in sets.items():
        here = f"{where} [sets.{key}]"
        pair = []
        for side in ("A", "B"):
            if not isinstance(body.get(side), dict):
                raise ExamDataError(f"{here}: missing [{side}]")
            pair.append(_interpretation(body[side], f"{here}.{side}"))
        result[key] = InterpretationSet(
            key, _text(body, "title", here), _text(body, "focus", here), pair[0], pair[1], note
        )
    return result


def _interpretation(item: dict[str, Any], where: str) -> Interpretation:
    """One side of a pair, checked: its provenance names the author and the year, the way
    an exam paper's does, and the work it is adapted from is recorded."""
    fields = ("label", "author", "kind", "work", "provenance", "school", "text")
    values: dict[str, Any] = {f: _text(item, f, where) for f in fields}
    year = item.get("year")
    if not isinstance(year, int) or not 1917 <= year <= 2100:
        raise ExamDataError(f"{where}: 'year' must be the year the work appeared")
    if values["kind"] not in _WRITERS:
        raise ExamDataError(f"{where}: kind must be one of {_WRITERS}, not {values['kind']!r}")
    provenance = values["provenance"]
    if not provenance.startswith("Adapted from"):
        raise ExamDataError(f"{where}: provenance must begin 'Adapted from'")
    surname = values["author"].split()[-1]
    for needed in (surname, str(year)):
        if needed not in provenance:
            raise ExamDataError(f"{where}: provenance must name {needed!r}")
    if str(year) not in values["work"]:
        raise ExamDataError(f"{where}: the work's record must give its year ({year})")
    return Interpretation(year=year, **values)


def parse_indicative(raw: dict[str, Any]) -> dict[str, Indicative]:
    """Check and convert the parsed ``indicative.toml``."""
    where = "exam/indicative.toml"
    questions = raw.get("questions")
    if not isinstance(questions, dict) or not questions:
        raise ExamDataError(f"{where}: has no [questions.ID] tables")
    result = {}
    for qid, body in questions.items():
        here = f"{where} [questions.{qid}]"
        marks = body.get("marks")
        if not isinstance(marks, int) or marks < 0:
            raise ExamDataError(f"{here}: 'marks' must be a whole number")
        ideas = []
        for number, item in enumerate(body.get("ideas", []), start=1):
            spot = f"{here}, idea {number}"
            kind = item.get("kind")
            if kind not in _KINDS:
                raise ExamDataError(f"{spot}: kind must be one of {_KINDS}, not {kind!r}")
            phrases = item.get("phrases")
            if not phrases or not all(isinstance(p, str) and p.strip() for p in phrases):
                raise ExamDataError(f"{spot}: needs a list of non-empty phrases")
            ideas.append(
                Idea(_text(item, "id", spot), kind, _text(item, "label", spot), tuple(phrases))
            )
        if not ideas:
            raise ExamDataError(f"{here}: has no ideas")
        if len({idea.id for idea in ideas}) != len(ideas):
            raise ExamDataError(f"{here}: two ideas share an id")
        result[qid] = Indicative(qid, _text(body, "question", here), marks, tuple(ideas))
    return result


@lru_cache(maxsize=1)
def load_interpretations() -> dict[str, InterpretationSet]:
    """The interpretation pairs, by set name ('paper', 'worked')."""
    return parse_interpretations(_read("interpretations.toml"))


@lru_cache(maxsize=1)
def load_indicative() -> dict[str, Indicative]:
    """The indicative content, by question ID ('exam-q1' … 'exam-q6', 'worked-q3', …)."""
    return parse_indicative(_read("indicative.toml"))


def interpretations_markdown(key: str = "paper") -> str:
    """The pair ``key`` as Markdown, as an exam's interpretations booklet shows it.

    >>> "written for this course" in interpretations_markdown().lower()
    True
    """
    pair = load_interpretations()[key]
    parts = [f"*{pair.note}*"]
    for item in (pair.a, pair.b):
        parts.append(f"#### {item.label}\n\n*{item.provenance}*\n\n> {item.text}")
    return "\n\n".join(parts)
