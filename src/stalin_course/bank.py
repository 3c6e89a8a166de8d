"""The question bank: questions, accepted answers and feedback, kept as data.

The bank is written in ``stalin_course/bank/``: ``entities.toml`` names every
person, post, body, idea and policy an answer may mention; one TOML file per
section holds its questions. Students' kernels never read those files: the
checker reads ``bank/key.dat``, the *sealed* key :func:`build_key` makes from them,
which holds what each question asks and hashes of what it accepts, never an accepted
answer (see :mod:`stalin_course.answer_key`). The student edition ships only the
sealed key; the TOML sources, read by :func:`teacher_bank`, stay in the repository.

>>> bank = load_bank()
>>> bank.questions["power-gensec"].kind, bank.questions["power-gensec"].accept
('entity', ())
>>> teacher_bank().questions["power-gensec"].accept
('general-secretary',)
>>> bank.entities["trotsky"].category
'person'
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import sys
import zlib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "Bank",
    "BankError",
    "Entity",
    "KEY_ENV",
    "Question",
    "build_key",
    "grading_bank",
    "load_bank",
    "parse",
    "read_key",
    "read_sources",
    "teacher_bank",
    "write_key",
]

KINDS = ("entity", "year", "number", "years", "order", "concepts")
_FIELDS = {
    "question", "kind", "points", "accept", "accept_any", "neutral", "wrong", "value",
    "low", "high", "ranges", "letters", "hint", "correct", "partial", "named", "groups", "need",
    "contrary", "not_about",
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
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    need: int = 1
    contrary: tuple[str, ...] = ()  # concept phrases that claim the opposite: score 0
    not_about: tuple[str, ...] = ()  # words that put a matched phrase off the question
    #: what the checker asks (an ``answer_key.AnswerKey``); None: read the fields above
    key: Any = field(default=None, compare=False, repr=False)

    @property
    def parts(self) -> int:
        """How many separate things the question asks for."""
        if self.key is not None:
            return int(self.key.parts)
        if self.kind == "concepts":
            return self.need
        return len(self.accept) if self.accept else 1


@dataclass(frozen=True)
class Bank:
    """Every question and entity, checked for consistency."""

    questions: dict[str, Question]
    entities: dict[str, Entity]
    aliases: dict[str, str] = field(default_factory=dict)
    #: hashes of the ordinary words the course's texts use (``answer_key.in_vocabulary``)
    vocabulary: frozenset[str] = frozenset()
    #: questions whose key was left out (a class key): they can be answered, not marked
    withheld: frozenset[str] = frozenset()

    def resolve(self, name: str) -> str | None:
        """The question ID for an ID or a student-facing code, or None."""
        name = name.strip()
        return name if name in self.questions else self.aliases.get(name)


def code_for(question_id: str) -> str:
    """The code students see for a question (``%%answer q-6bd1e``): a short hash, so that
    no header or check cell spells out its answer, as an ID such as
    ``military-tukhachevsky`` (or even its section, as in ``gulag-name``) would.

    >>> code_for("power-gensec")
    'q-e1111'
    """
    return f"q-{hashlib.sha256(question_id.encode()).hexdigest()[:5]}"


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
        "concepts": ("groups",),
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
        groups={name: tuple(phrases) for name, phrases in raw.get("groups", {}).items()},
        need=int(raw.get("need", 1)),
        contrary=tuple(raw.get("contrary", ())),
        not_about=tuple(raw.get("not_about", ())),
    )


def _bank_files() -> Any:
    return resources.files("stalin_course").joinpath("bank")


def read_sources() -> dict[str, dict[str, Any]]:
    """The bank's TOML files as raw data, by file name (teacher side only)."""
    raw: dict[str, dict[str, Any]] = {}
    folder = _bank_files()
    items = sorted(folder.iterdir(), key=lambda p: p.name) if folder.is_dir() else []
    for item in items:
        if item.name.endswith(".toml"):
            try:
                raw[item.name] = tomllib.loads(item.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as error:
                raise BankError(f"bank/{item.name}: {error}") from None
    if "entities.toml" not in raw:
        raise BankError(
            "bank/entities.toml is missing: the question bank's sources are only in the "
            "course repository (the student edition has the sealed key alone)"
        )
    return raw


def _course_texts(bank: Bank) -> list[str]:
    """Every text whose lower-case words count as ordinary English for the checker."""
    texts: list[str] = []
    for question in bank.questions.values():
        texts += [question.text, question.hint, question.correct, question.partial]
        texts += list(question.named.values())
        texts += [p.replace("*", "") for ps in question.groups.values() for p in ps]
    for folder in ("quizzes", "exam"):
        place = resources.files("stalin_course").joinpath(folder)
        if place.is_dir():
            for item in sorted(place.iterdir(), key=lambda p: p.name):
                if item.name.endswith(".toml"):
                    texts.append(item.read_text(encoding="utf-8"))
    return texts


def _vocabulary(bank: Bank) -> frozenset[str]:
    from .answer_key import sealed_vocabulary
    from .checking import COMMON_WORDS
    from .normalise import spell

    known = set(COMMON_WORDS)
    for text in _course_texts(bank):
        known.update(w.lower() for w in re.findall(r"(?<![A-Za-z])[a-z]+(?![A-Za-z])", text))
    return frozenset(sealed_vocabulary(spell(w) for w in known))


#: A teacher's processes find the full sealed key here when the package installed for a
#: class holds the class key (``deploy/setup_school.py`` sets it in ``school_config.py``).
KEY_ENV = "STALIN_COURSE_KEY"


def build_key(
    raw: dict[str, dict[str, Any]] | None = None, withhold: frozenset[str] = frozenset()
) -> bytes:
    """The sealed key file's bytes, built from the TOML sources: the entities, each
    question's public text and sealed key, and the vocabulary's hashes.

    A *class key* (``withhold`` names the questions a class answers without instant
    feedback) keeps those questions' text but nothing of what they accept, so that no
    student on a school's server can test guesses for them; grading refuses it."""
    from .answer_key import seal_question, withheld_record

    bank = parse(raw if raw is not None else read_sources())
    data = {
        "version": 2,
        "entities": {e.id: {"category": e.category, "names": list(e.names)}
                     for e in bank.entities.values()},
        "questions": {q.id: seal_question(q, bank.entities) for q in bank.questions.values()},
        "vocabulary": sorted(bank.vocabulary),
    }  # fmt: skip
    unknown = sorted(withhold - set(data["questions"]))
    if unknown:
        raise BankError(f"cannot withhold questions the bank does not have: {unknown}")
    for qid in withhold:
        data["questions"][qid] = withheld_record(data["questions"][qid])
    if withhold:
        data["withheld"] = sorted(withhold)
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return base64.b64encode(zlib.compress(text.encode("utf-8"), 9))


def write_key() -> Path:
    """Rebuild ``bank/key.dat`` from the TOML sources; return its path."""
    path = Path(str(_bank_files().joinpath("key.dat")))
    path.write_bytes(build_key())
    return path


def read_key() -> dict[str, Any]:
    """The sealed key's data, read back from ``bank/key.dat`` (no answer is in it), or
    from the file :data:`KEY_ENV` names."""
    named = os.environ.get(KEY_ENV)
    blob = Path(named).read_bytes() if named else _bank_files().joinpath("key.dat").read_bytes()
    return json.loads(zlib.decompress(base64.b64decode(blob)).decode("utf-8"))


def _aliases(questions: dict[str, Question]) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for qid in questions:
        code = code_for(qid)
        if code in aliases or code in questions:
            raise BankError(
                f"questions {aliases.get(code, code)!r} and {qid!r} share code {code!r}"
            )
        aliases[code] = qid
    return aliases


def unseal_bank(data: dict[str, Any]) -> Bank:
    """The bank a student's kernel checks with, from the sealed key's data."""
    from .answer_key import SealedKey

    entities = {
        eid: Entity(eid, item["category"], tuple(item["names"]))
        for eid, item in data["entities"].items()
    }
    questions = {
        qid: Question(
            id=qid, text=item["question"], kind=item["kind"], points=int(item["points"]),
            hint=item["hint"], correct="", need=int(item["need"]), key=SealedKey(qid, item),
        )
        for qid, item in data["questions"].items()
    }  # fmt: skip
    return Bank(
        questions, entities, _aliases(questions), frozenset(data["vocabulary"]),
        frozenset(data.get("withheld", ())),
    )  # fmt: skip


def parse(raw: dict[str, dict[str, Any]]) -> Bank:
    """Check raw bank data and build the bank from it."""
    entities = {
        eid: Entity(eid, item["category"], tuple(dict.fromkeys(item["names"])))
        for eid, item in raw["entities.toml"].items()
    }
    questions: dict[str, Question] = {}
    for name, items in sorted(raw.items()):
        if name == "entities.toml":
            continue
        for qid, item in items.items():
            if qid in questions:
                raise BankError(f"bank/{name}: question {qid!r} is defined twice")
            questions[qid] = _question(qid, item, f"bank/{name}", entities)
    from .answer_key import PlainKey

    questions = {qid: replace(q, key=PlainKey(q, entities)) for qid, q in questions.items()}
    bank = Bank(questions=questions, entities=entities, aliases=_aliases(questions))
    return replace(bank, vocabulary=_vocabulary(bank))


@lru_cache(maxsize=1)
def load_bank() -> Bank:
    """The bank the checker uses, read from the sealed key file (once per process): each
    question's text, points and hint, and a sealed key that holds no answer."""
    return unseal_bank(read_key())


def grading_bank() -> Bank:
    """The bank for marking work: :func:`load_bank`, unless it is a class key, which
    cannot mark every question; then raise :class:`BankError` saying what to do."""
    bank = load_bank()
    if bank.withheld:
        raise BankError(
            "this Python environment holds the students' class key, which cannot mark the "
            f"held-back questions: set {KEY_ENV} to the course folder's "
            "src/stalin_course/bank/key.dat (school_config.py does this on a school server)"
        )
    return bank


@lru_cache(maxsize=1)
def teacher_bank() -> Bank:
    """The bank with its answers, read from the TOML sources (the course repository and
    the teacher's package only: raises :class:`BankError` where they are not installed)."""
    return parse(read_sources())
