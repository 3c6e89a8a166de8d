"""The question bank: questions, accepted answers and feedback, read from TOML data.

The bank lives in ``stalin_course/bank/``: ``entities.toml`` names every
person, post, body, idea and policy an answer may mention; one file per
section holds its questions.

>>> bank = load_bank()
>>> bank.questions["power-gensec"].kind
'entity'
>>> bank.entities["trotsky"].category
'person'
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["Bank", "BankError", "Entity", "Question", "load_bank"]

KINDS = ("entity", "year", "number", "years", "order")
_FIELDS = {
    "question", "kind", "points", "accept", "accept_any", "neutral", "wrong", "value",
    "low", "high", "ranges", "letters", "hint", "correct", "partial", "named",
}  # fmt: skip


class BankError(ValueError):
    """The question bank's data is malformed (names the file and question)."""


@dataclass(frozen=True)
class Entity:
    """A person, post, body, idea or policy, with every accepted spelling."""

    id: str
    category: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    """One auto-checked question and its key."""

    id: str
    text: str
    kind: str
    points: int
    hint: str
    correct: str
    partial: str = ""
    accept: tuple[str, ...] = ()
    accept_any: tuple[str, ...] = ()
    neutral: tuple[str, ...] = ()
    wrong: tuple[str, ...] = ()
    value: int | None = None
    low: int | None = None
    high: int | None = None
    ranges: tuple[tuple[int, int], ...] = ()
    letters: str = ""
    named: dict[str, str] = field(default_factory=dict)

    @property
    def parts(self) -> int:
        """How many separate things the question asks for."""
        return len(self.accept) if self.accept else 1


@dataclass(frozen=True)
class Bank:
    """Every question and entity, checked for consistency."""

    questions: dict[str, Question]
    entities: dict[str, Entity]


def _question(qid: str, raw: dict[str, Any], where: str, entities: dict[str, Entity]) -> Question:
    unknown = set(raw) - _FIELDS
    if unknown:
        raise BankError(f"{where} [{qid}]: unknown field(s) {', '.join(sorted(unknown))}")
    for needed in ("question", "kind", "points", "hint", "correct"):
        if needed not in raw:
            raise BankError(f"{where} [{qid}]: missing field '{needed}'")
    kind = raw["kind"]
    if kind not in KINDS:
        raise BankError(f"{where} [{qid}]: kind must be one of {', '.join(KINDS)}, not {kind!r}")
    ids = [*raw.get("accept", []), *raw.get("accept_any", []), *raw.get("neutral", [])]
    ids += [*raw.get("wrong", []), *raw.get("named", {})]
    for entity_id in ids:
        if entity_id not in entities:
            raise BankError(f"{where} [{qid}]: no entity called {entity_id!r} in entities.toml")
    key_fields = {
        "entity": ("accept", "accept_any"),
        "year": ("value",),
        "number": ("value", "low"),
        "years": ("ranges",),
        "order": ("letters",),
    }[kind]
    if not any(name in raw for name in key_fields):
        raise BankError(f"{where} [{qid}]: a {kind} question needs {' or '.join(key_fields)}")
    return Question(
        id=qid,
        text=raw["question"],
        kind=kind,
        points=int(raw["points"]),
        hint=raw["hint"],
        correct=raw["correct"],
        partial=raw.get("partial", ""),
        accept=tuple(raw.get("accept", ())),
        accept_any=tuple(raw.get("accept_any", ())),
        neutral=tuple(raw.get("neutral", ())),
        wrong=tuple(raw.get("wrong", ())),
        value=raw.get("value"),
        low=raw.get("low"),
        high=raw.get("high"),
        ranges=tuple(tuple(pair) for pair in raw.get("ranges", ())),
        letters=raw.get("letters", "").upper(),
        named=dict(raw.get("named", {})),
    )


def _read(name: str) -> dict[str, Any]:
    text = resources.files("stalin_course").joinpath("bank", name).read_text(encoding="utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise BankError(f"bank/{name}: {error}") from None


@lru_cache(maxsize=1)
def load_bank() -> Bank:
    """Read and check every bank file (cached: the bank is read once per process)."""
    entities = {
        eid: Entity(eid, raw["category"], tuple(dict.fromkeys(raw["names"])))
        for eid, raw in _read("entities.toml").items()
    }
    questions: dict[str, Question] = {}
    folder = resources.files("stalin_course").joinpath("bank")
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".toml") or item.name == "entities.toml":
            continue
        for qid, raw in _read(item.name).items():
            if qid in questions:
                raise BankError(f"bank/{item.name}: question {qid!r} is defined twice")
            questions[qid] = _question(qid, raw, f"bank/{item.name}", entities)
    return Bank(questions=questions, entities=entities)
