"""Which key ideas and evidence an answer mentions: for students, only their own.

Two views of one list (``indicative.toml``, part of the teacher's mark scheme):

- :func:`self_check`, for students (the "Check my coverage" box of lesson 10): which of
  the list's ideas *their* answer mentions words linked to, and nothing else. It never
  shows what is missing, never claims to see a link, a contrast or a judgement (ideas of
  kind "structure" are left out), and says that it only notices words. It reads the
  sealed file ``self_check.dat``, which holds no idea's words or label in the clear:
  each label opens only with the words of the answer that mention it, as the bank's
  messages do (:mod:`stalin_course.answer_key`). The list itself stays with teachers.
- :func:`coverage`, for teachers (from the TOML, in the course repository only): what
  an answer mentions and what it could add.

Both use the course's concept matching (:func:`stalin_course.checking.concepts_found`):
tolerant of case, spelling slips and word endings; an idea the answer denies ("it was
not planned") does not count.

>>> result = coverage("exam-q6", "The NKVD had informers in every factory.")
>>> [idea.id for idea in result.found]
['nkvd-methods']
>>> print(self_check("worked-q6", "Trotsky missed Lenin's funeral.").report())
Your answer mentions words linked to:
  • Trotsky missed Lenin's funeral (January 1924) (a fact)
<BLANKLINE>
This check only notices words from a list. It cannot tell whether your facts are right, how well you explain them, or whether you link them and reach a judgement, which is what decides the level. It does not show what is missing: your teacher marks the answer.
"""

from __future__ import annotations

import base64
import json
import zlib
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..answer_key import PlainKey, SealedKey, group_secret, seal, seal_question, unseal
from ..bank import Question
from ..checking import MAX_ANSWER_CHARS, concepts_found
from .content import Idea, load_indicative
from .papers import set_paper_questions

__all__ = [
    "Coverage",
    "NOT_A_MARK",
    "ONLY_WORDS",
    "SelfCheck",
    "as_question",
    "build_self_check",
    "coverage",
    "question_of",
    "self_check",
    "self_check_questions",
    "write_self_check",
]

#: Printed with every report: what the helper does and does not do.
NOT_A_MARK = (
    "This only lists which ideas and facts your answer mentions. It is not a mark or a level: "
    "it cannot tell how well you explain, link or judge. Your teacher marks the answer."
)

#: A longer answer than a checker normally reads: an 8- or 12-mark answer is long.
MAX_COVERAGE_CHARS = max(MAX_ANSWER_CHARS, 12000)


@dataclass(frozen=True)
class Coverage:
    """The ideas an answer mentions (``found``) and those it could add (``could_add``)."""

    question_id: str
    question: str
    found: tuple[Idea, ...]
    could_add: tuple[Idea, ...]

    def report(self) -> str:
        """Plain text for a student: what the answer mentions and what it could add."""
        lines = [f"Coverage check: {self.question}", ""]
        if self.found:
            lines.append("Your answer mentions:")
            lines += [f"  ✔ {idea.label} ({idea.kind})" for idea in self.found]
        else:
            lines.append("Your answer does not yet mention any of the ideas on the list.")
        if self.could_add:
            lines += ["", "You could add or develop:"]
            lines += [f"  • {idea.label} ({idea.kind})" for idea in self.could_add]
        lines += ["", NOT_A_MARK]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report()


def _question(question_id: str, ideas: tuple[Idea, ...]) -> Question:
    item = load_indicative()[question_id]
    return Question(
        id=f"exam-coverage:{question_id}",
        text=item.question,
        kind="concepts",
        points=item.marks,
        hint="",
        correct="",
        groups={idea.id: idea.phrases for idea in ideas},
        need=1,
    )


@lru_cache(maxsize=64)
def as_question(question_id: str) -> Question:
    """The indicative content of ``question_id`` as a bank ``Question`` of kind 'concepts',
    with its key built once."""
    question = _question(question_id, load_indicative()[question_id].ideas)
    return replace(question, key=PlainKey(question))


def coverage(question_id: str, answer: str) -> Coverage:
    """List which ideas of ``question_id``'s indicative content ``answer`` mentions.

    Raises ``KeyError`` for a question with no indicative content.
    """
    item = load_indicative()[question_id]
    text = (answer if isinstance(answer, str) else str(answer or ""))[:MAX_COVERAGE_CHARS]
    found_ids = set(concepts_found(as_question(question_id), text)) if text.strip() else set()
    found = tuple(idea for idea in item.ideas if idea.id in found_ids)
    missing = tuple(idea for idea in item.ideas if idea.id not in found_ids)
    return Coverage(question_id, item.question, found, missing)


# --- the students' self-check, from the sealed file -------------------------------------

#: Said with every self-check: what it does and does not do.
ONLY_WORDS = (
    "This check only notices words from a list. It cannot tell whether your facts are right, "
    "how well you explain them, or whether you link them and reach a judgement, which is what "
    "decides the level. It does not show what is missing: your teacher marks the answer."
)

_KIND_NAMES = {"idea": "a key idea", "evidence": "a fact"}
SELF_CHECK_FILE = "self_check.dat"


def build_self_check() -> bytes:
    """The sealed self-check file's bytes, from ``indicative.toml`` (teacher side): for
    each question except those of the papers a teacher sets, its text and, for each idea
    a student may be told about (not "structure"), its words as hashes and its label
    sealed with them."""
    questions = {}
    teacher_marked = set_paper_questions()  # no hints on these before the work comes back
    for question_id, item in load_indicative().items():
        if question_id in teacher_marked:
            continue
        shown = tuple(idea for idea in item.ideas if idea.kind != "structure")
        question = _question(question_id, shown)
        record = seal_question(question, {})
        record["ideas"] = [
            seal(
                f"{idea.kind}\n{idea.label}", question.id, "idea",
                group_secret(question.id, idea.id, idea.phrases),
            )
            for idea in shown
        ]  # fmt: skip
        questions[question_id] = record
    text = json.dumps({"version": 1, "questions": questions}, sort_keys=True, ensure_ascii=False)
    return base64.b64encode(zlib.compress(text.encode("utf-8"), 9))


def _self_check_path() -> Path:
    return Path(str(resources.files("stalin_course").joinpath("exam", SELF_CHECK_FILE)))


def write_self_check() -> Path:
    """Rebuild ``exam/self_check.dat`` from the indicative content; return its path."""
    path = _self_check_path()
    path.write_bytes(build_self_check())
    return path


@lru_cache(maxsize=1)
def _sealed() -> dict[str, Any]:
    blob = _self_check_path().read_bytes()
    return json.loads(zlib.decompress(base64.b64decode(blob)).decode("utf-8"))["questions"]


def question_of(question_id: str) -> tuple[str, int] | None:
    """A self-checked question's text and marks, or None if it has no self-check."""
    record = _sealed().get(question_id)
    return (record["question"], int(record["points"])) if record else None


def self_check_questions() -> dict[str, str]:
    """The questions a self-check is available for, with their text."""
    return {qid: record["question"] for qid, record in _sealed().items()}


@dataclass(frozen=True)
class SelfCheck:
    """The ideas a student's answer mentions words linked to: (kind, label) each."""

    question_id: str
    question: str
    answered: bool
    found: tuple[tuple[str, str], ...]

    def report(self) -> str:
        """Plain text for the student: their own points only, and what the check cannot see."""
        if not self.answered:
            return "Type or paste your answer in the box first, then check it."
        if self.found:
            lines = ["Your answer mentions words linked to:"]
            lines += [f"  • {label} ({_KIND_NAMES.get(kind, kind)})" for kind, label in self.found]
        else:
            lines = [
                "The check did not notice words from its list in your answer. That does not "
                "make the answer wrong: the list is short, and you may have put it another way."
            ]
        return "\n".join([*lines, "", ONLY_WORDS])

    def __str__(self) -> str:
        return self.report()


def self_check(question_id: str, answer: str) -> SelfCheck:
    """Which ideas of ``question_id``'s list ``answer`` mentions words linked to, from the
    sealed file (no idea is named that the answer does not mention).

    Raises ``KeyError`` for a question with no self-check."""
    record = _sealed()[question_id]
    text = (answer if isinstance(answer, str) else str(answer or ""))[:MAX_COVERAGE_CHARS]
    if not text.strip():
        return SelfCheck(question_id, record["question"], False, ())
    salt = f"exam-coverage:{question_id}"
    question = Question(
        id=salt, text=record["question"], kind="concepts", points=int(record["points"]),
        hint="", correct="", need=1, key=SealedKey(salt, record),
    )  # fmt: skip
    found = []
    for secret in concepts_found(question, text):
        for box in record["ideas"]:
            opened = unseal(box, salt, "idea", secret)
            if opened is not None:
                kind, label = opened.split("\n", 1)
                found.append((kind, label))
                break
    return SelfCheck(question_id, record["question"], True, tuple(found))
