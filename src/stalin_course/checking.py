"""Mark a plain-text answer like a careful teacher: tolerant of form, strict on facts.

>>> check("power-trotsky", "It was Trotskii.").score
1.0
>>> check("power-trotsky", "Trotsky or Zinoviev").score
0.0
>>> check("power-triumvirate", "kamenev").score
0.5
>>> check("power-order", "b, c, d, a").score
1.0
>>> check("power-gensec", "").status
'unanswered'
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .bank import Bank, Question, load_bank
from .normalise import clean, numbers, words, year_ranges

__all__ = [
    "CheckResult",
    "UnknownQuestion",
    "PLACEHOLDER",
    "check",
    "find_entities",
    "is_unanswered",
]

#: What a released answer cell holds until the student replaces it.
PLACEHOLDER = "Type your answer here"

#: Only the start of a very long answer is read (a short answer is all any question needs).
MAX_ANSWER_CHARS = 2000

#: Shortest name (in letters) in which a one-letter slip is forgiven.
FUZZY_MIN_LETTERS = 6

NOT_ANSWERED = (
    "Not answered yet: type your answer under the first line of the answer cell, then run it."
)


class UnknownQuestion(LookupError):
    """No question in the bank has this ID."""

    def __str__(self) -> str:
        return f"no question with ID {self.args[0]!r} in the question bank"


@dataclass(frozen=True)
class CheckResult:
    """The outcome of checking one answer: a score from 0 to 1 and kind feedback."""

    question: str
    score: float
    feedback: str
    status: str  # correct | partial | incorrect | unanswered

    def to_dict(self) -> dict[str, object]:
        """The result as a JSON-ready dict (question, score, feedback, status)."""
        return asdict(self)


@dataclass(frozen=True)
class _Matcher:
    exact: dict[str, str]
    fuzzy: dict[int, tuple[list[str], list[str]]]  # word count -> (names, entity ids)
    longest: int


@lru_cache(maxsize=1)
def _matcher() -> _Matcher:
    bank = load_bank()
    exact: dict[str, str] = {}
    fuzzy: dict[int, tuple[list[str], list[str]]] = {}
    for entity in bank.entities.values():
        for name in (*entity.names, entity.id.replace("-", " ")):
            key = " ".join(words(name))
            exact.setdefault(key, entity.id)
            letters = key.replace(" ", "")
            if len(letters) >= FUZZY_MIN_LETTERS and letters.isalpha():
                names, ids = fuzzy.setdefault(key.count(" ") + 1, ([], []))
                names.append(key)
                ids.append(entity.id)
    longest = max(key.count(" ") + 1 for key in exact)
    return _Matcher(exact, fuzzy, longest)


def _fuzzy_entity(window: str, size: int, matcher: _Matcher) -> str | None:
    """The one entity within one slip of ``window`` (a letter added, lost, changed,
    or two swapped), or None when there is none or more than one."""
    if size not in matcher.fuzzy or len(window.replace(" ", "")) < FUZZY_MIN_LETTERS:
        return None
    names, ids = matcher.fuzzy[size]
    hits = process.extract(window, names, scorer=OSA.distance, score_cutoff=1, limit=None)
    found = {ids[index] for _, _, index in hits}
    return found.pop() if len(found) == 1 else None


def find_entities(text: str) -> list[str]:
    """Entity IDs named in ``text``, in order, each once.

    >>> find_entities("Zinovyev and Kamenev sided with Stalin")
    ['zinoviev', 'kamenev', 'stalin']
    >>> find_entities("the Gen Sec")
    ['general-secretary']
    """
    matcher = _matcher()
    tokens = words(text)
    found: list[str] = []
    i = 0
    while i < len(tokens):
        for size in range(min(matcher.longest, len(tokens) - i), 0, -1):
            window = " ".join(tokens[i : i + size])
            entity = matcher.exact.get(window) or _fuzzy_entity(window, size, matcher)
            if entity:
                if entity not in found:
                    found.append(entity)
                i += size
                break
        else:
            i += 1
    return found


def is_unanswered(answer: str) -> bool:
    """True for an empty answer or the placeholder left unchanged."""
    text = clean(answer)
    return not words(text) or text.strip(" .") == clean(PLACEHOLDER)


def _tally(correct: int, wrong: int, parts: int) -> float:
    """Score when ``correct`` right and ``wrong`` wrong things were named.

    Naming no more than asked: each right part counts. Naming more than asked:
    each wrong name cancels a right one.
    """
    counted = min(correct, parts)
    if correct + wrong <= parts:
        return counted / parts
    return max(0, counted - wrong) / parts


def _entity_score(question: Question, answer: str, bank: Bank) -> tuple[float, list[str]]:
    in_question = set(find_entities(question.text))
    keys = set(question.accept) | set(question.accept_any)
    categories = {bank.entities[e].category for e in keys}
    rivals = {e.id for e in bank.entities.values() if e.category in categories}
    rivals = (rivals | set(question.wrong)) - keys - in_question - set(question.neutral)
    named = find_entities(answer)
    right = [e for e in named if e in keys]
    wrong = [e for e in named if e in rivals]
    return _tally(len(right), len(wrong), question.parts), wrong


_NEGATIONS = {"not", "no", "never", "didn", "doesn", "wasn", "weren", "isn", "hardly", "nt"}


def _phrase_matches(phrase: list[str], tokens: list[str], at: int) -> bool:
    """True when ``phrase`` matches ``tokens`` from ``at``. A phrase word ending in
    ``*`` matches any word it begins; words of 7+ letters forgive one slip."""
    for offset, want in enumerate(phrase):
        got = tokens[at + offset]
        if want.endswith("*"):
            if not got.startswith(want[:-1]):
                return False
        elif got != want and not (len(want) >= 7 and OSA.distance(got, want) <= 1):
            return False
    return True


def concepts_found(question: Question, answer: str) -> list[str]:
    """The concept groups of ``question`` that ``answer`` expresses (not negated).

    >>> from stalin_course.bank import Question
    >>> q = Question("q", "?", "concepts", 1, "", "", groups={"weak": ("weak*",)})
    >>> concepts_found(q, "It weakened the army"), concepts_found(q, "It did not weaken it")
    (['weak'], [])
    """
    tokens = words(answer)
    found = []
    for group, phrases in question.groups.items():
        for phrase in phrases:
            parts = [p if p.endswith("*") else " ".join(words(p)) for p in phrase.split()]
            parts = [w for p in parts for w in ([p] if p.endswith("*") else p.split())]
            hit = any(
                _phrase_matches(parts, tokens, at)
                and not _NEGATIONS & set(tokens[max(0, at - 3) : at])
                for at in range(len(tokens) - len(parts) + 1)
            )
            if hit:
                found.append(group)
                break
    return found


def _numbers_in(answer: str, question: Question, years_only: bool) -> set[int]:
    found = set(numbers(answer))
    if years_only:
        found = {n for n in found if 1800 <= n <= 2000}
    others = found - set(numbers(question.text))
    return others or found


def _score(question: Question, answer: str, bank: Bank) -> tuple[float, list[str]]:
    """The score from 0 to 1, and the wrong entities named (for specific hints)."""
    if question.kind == "entity":
        return _entity_score(question, answer, bank)
    if question.kind in ("year", "number"):
        found = _numbers_in(answer, question, years_only=question.kind == "year")
        if question.value is not None:
            low = high = question.value
        else:
            low, high = question.low, question.high
        right = [n for n in found if low <= n <= high]
        return _tally(len(right), len(found) - len(right), 1), []
    if question.kind == "years":
        found = set(year_ranges(answer))
        right = [r for r in found if r in question.ranges]
        return _tally(len(right), len(found) - len(right), 1), []
    if question.kind == "concepts":
        return min(len(concepts_found(question, answer)), question.need) / question.need, []
    if question.kind == "order":
        letters = set(question.letters)
        tokens = re.findall(r"[a-z]+", clean(answer))
        sequence = "".join(
            t.upper() for t in tokens if set(t.upper()) <= letters and len(t) <= len(letters)
        )
        return (1.0 if sequence == question.letters else 0.0), []
    raise AssertionError(question.kind)  # the bank loader rejects other kinds


def _feedback(question: Question, score: float, wrong: list[str]) -> str:
    if score >= 1:
        return question.correct
    for entity in wrong:
        if entity in question.named:
            return f"Not quite. {question.named[entity]}"
    if score > 0:
        return question.partial or f"Part of your answer is right. {question.hint}"
    return f"Not quite. {question.hint}"


def check(question_id: str, answer: str) -> CheckResult:
    """Check a student's plain-text ``answer`` to the question ``question_id``.

    Raises :class:`UnknownQuestion` for an ID not in the bank.
    """
    bank = load_bank()
    question = bank.questions.get(question_id)
    if question is None:
        raise UnknownQuestion(question_id)
    answer = (answer if isinstance(answer, str) else str(answer))[:MAX_ANSWER_CHARS]
    if is_unanswered(answer):
        return CheckResult(question_id, 0.0, NOT_ANSWERED, "unanswered")
    score, wrong = _score(question, answer, bank)
    score = round(score, 4)
    status = "correct" if score >= 1 else "partial" if score > 0 else "incorrect"
    return CheckResult(question_id, score, _feedback(question, score, wrong), status)
