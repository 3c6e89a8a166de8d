"""Which key ideas and evidence an answer mentions, and which it could add.

The helper reuses the course's concept matching
(:func:`stalin_course.checking.concepts_found`): tolerant of case, spelling slips and
word endings, and it does not count an idea the answer denies ("it was not planned").
It looks only for *mentions*. It gives no mark and no level, and says so, because a
level depends on how well the answer explains and judges, which only a reader can see.

>>> result = coverage("exam-q6", "As General Secretary Stalin could appoint officials.")
>>> [idea.id for idea in result.found]
['gensec']
>>> "It is not a mark or a level" in result.report()
True
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from ..answer_key import PlainKey
from ..bank import Question
from ..checking import MAX_ANSWER_CHARS, concepts_found
from .content import Idea, load_indicative

__all__ = ["Coverage", "NOT_A_MARK", "coverage", "as_question"]

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


@lru_cache(maxsize=64)
def as_question(question_id: str) -> Question:
    """The indicative content of ``question_id`` as a bank ``Question`` of kind 'concepts',
    with its key built once."""
    item = load_indicative()[question_id]
    question = Question(
        id=f"exam-coverage:{question_id}",
        text=item.question,
        kind="concepts",
        points=item.marks,
        hint="",
        correct="",
        groups={idea.id: idea.phrases for idea in item.ideas},
        need=1,
    )
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
