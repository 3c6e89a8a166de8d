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

import ast
import builtins
import re
from dataclasses import asdict, dataclass
from functools import cache, lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .bank import Bank, Question, load_bank
from .normalise import clean, negated_positions, numbers, words, year_ranges

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


def find_entities(text: str, skip_negated: bool = False) -> list[str]:
    """Entity IDs named in ``text``, in order, each once. With ``skip_negated``, a
    name after a 'not' in the same clause ("It was not Yagoda") does not count.

    >>> find_entities("Zinovyev and Kamenev sided with Stalin")
    ['zinoviev', 'kamenev', 'stalin']
    >>> find_entities("the Gen Sec")
    ['general-secretary']
    >>> find_entities("It was not Yagoda, it was Yezhov", skip_negated=True)
    ['yezhov']
    """
    matcher = _matcher()
    tokens = words(text)
    negated = negated_positions(text) if skip_negated else [False] * len(tokens)
    found: list[str] = []
    i = 0
    while i < len(tokens):
        for size in range(min(matcher.longest, len(tokens) - i), 0, -1):
            window = " ".join(tokens[i : i + size])
            entity = matcher.exact.get(window) or _fuzzy_entity(window, size, matcher)
            if entity:
                if entity not in found and not negated[i]:
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


#: Python constructs no sentence of English makes (a bare name or a call such as
#: "Trotsky (Lev)" can be read as Python, so those alone do not count).
_CODE_NODES = (
    ast.Import, ast.ImportFrom, ast.AugAssign, ast.AnnAssign, ast.FunctionDef,
    ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.For, ast.While, ast.With, ast.Try,
    ast.Return, ast.Raise, ast.Delete, ast.Global,
)  # fmt: skip

CODE_ANSWER = (
    "This looks like Python code, not an answer in words. Write your answer as a sentence "
    "under the first line of the cell."
)


def looks_like_code(answer: str) -> bool:
    """True when an answer is Python code rather than words (it earns nothing).

    >>> looks_like_code("import os\\nos.system('ls')")
    True
    >>> looks_like_code('print("they were afraid")')
    True
    >>> looks_like_code("Trotsky (Lev)"), looks_like_code('NEP ("New Economic Policy")')
    (False, False)
    >>> looks_like_code("Answer = 1924")
    False
    """
    if "\n" not in answer.strip() and "(" not in answer and "=" not in answer:
        return False
    try:
        tree = ast.parse(answer)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    for node in ast.walk(tree):
        if isinstance(node, _CODE_NODES):
            return True
        if isinstance(node, ast.Assign) and not (  # "Answer = 1924" is a student's way
            all(isinstance(t, ast.Name) for t in node.targets)
            and isinstance(node.value, (ast.Name, ast.Constant))
        ):
            return True
        if isinstance(node, ast.Call) and (  # a method, or a Python function such as print
            isinstance(node.func, ast.Attribute)
            or (isinstance(node.func, ast.Name) and hasattr(builtins, node.func.id))
        ):
            return True
    return False


def _tally(correct: int, wrong: int, parts: int) -> float:
    """Score when ``correct`` right and ``wrong`` wrong things were named.

    Naming no more than asked: each right part counts. Naming more than asked:
    each wrong name cancels a right one.
    """
    counted = min(correct, parts)
    if correct + wrong <= parts:
        return counted / parts
    return max(0, counted - wrong) / parts


@cache
def _rivals(question_id: str) -> frozenset[str]:
    """Entities that count as wrong on this question: those of the key's categories
    (and any listed as wrong), less the key, the neutral ones and those the question names."""
    bank = load_bank()
    question = bank.questions[question_id]
    keys = set(question.accept) | set(question.accept_any)
    categories = {bank.entities[e].category for e in keys}
    rivals = {e.id for e in bank.entities.values() if e.category in categories}
    in_question = set(find_entities(question.text))
    return frozenset((rivals | set(question.wrong)) - keys - in_question - set(question.neutral))


def _entity_score(question: Question, answer: str, bank: Bank) -> tuple[float, list[str]]:
    keys = set(question.accept) | set(question.accept_any)
    rivals = _rivals(question.id)
    named = find_entities(answer, skip_negated=True)
    right = [e for e in named if e in keys]
    wrong = [e for e in named if e in rivals]
    return _tally(len(right), len(wrong), question.parts), wrong


def _word_matches(want: str, got: str) -> bool:
    """A phrase word against an answer word. ``stem*`` matches any word it begins;
    words of 7+ letters and stems of 8+ forgive one slip."""
    if want.endswith("*"):
        stem = want[:-1]
        if got.startswith(stem):
            return True
        return len(stem) >= 8 and any(
            OSA.distance(got[:size], stem) <= 1 for size in (len(stem) - 1, len(stem) + 1)
        )
    return got == want or (len(want) >= 7 and OSA.distance(got, want) <= 1)


def _phrase_matches(phrase: tuple[str, ...], tokens: list[str], at: int) -> bool:
    """True when ``phrase`` matches ``tokens`` word by word from ``at``."""
    return all(_word_matches(want, tokens[at + i]) for i, want in enumerate(phrase))


@cache
def _concept_phrases(question_id: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Each concept group's phrases as word tuples (stems keep their ``*``)."""
    question = load_bank().questions[question_id]
    return {
        group: tuple(
            tuple(
                w
                for part in phrase.split()
                for w in ([part] if part.endswith("*") else words(part))
            )
            for phrase in phrases
        )
        for group, phrases in question.groups.items()
    }


def concepts_found(question: Question, answer: str) -> list[str]:
    """The concept groups of ``question`` that ``answer`` expresses (not negated).

    >>> from stalin_course.bank import Question
    >>> q = Question("q", "?", "concepts", 1, "", "", groups={"weak": ("weak*",)})
    >>> concepts_found(q, "It weakened the army"), concepts_found(q, "It did not weaken it")
    (['weak'], [])
    """
    tokens = words(answer)
    negated = negated_positions(answer)
    phrases_by_group = (
        _concept_phrases(question.id)
        if question.id in load_bank().questions
        else {
            g: tuple(tuple(words(p)) if "*" not in p else tuple(p.split()) for p in ps)
            for g, ps in question.groups.items()
        }
    )
    found = []
    for group, phrases in phrases_by_group.items():
        if any(
            _phrase_matches(phrase, tokens, at) and not negated[at]
            for phrase in phrases
            for at in range(len(tokens) - len(phrase) + 1)
        ):
            found.append(group)
    return found


_OUT_OF = re.compile(r"(?:\bout of|\bof|/)\s*(?:the\s+|all\s+|all\s+the\s+)?([a-z0-9]+)")
_YEARISH = re.compile(r"(?<!\d)1[89]\d\d(?:\s*-\s*(?:1[89])?\d\d)?(?!\d)")


def _numbers_in(answer: str, question: Question) -> set[int]:
    """The numbers an answer gives. "of 15" / "out of 15" / "/15" repeating the question's
    own total is dropped; so are years when the question does not ask for one."""
    text = clean(answer)
    totals = set(numbers(question.text))
    text = _OUT_OF.sub(lambda m: " " if set(numbers(m.group(1))) & totals else m.group(0), text)
    if question.kind == "year":
        return {n for n in numbers(text) if 1800 <= n <= 2000}
    low = question.value if question.value is not None else question.low
    if not 1800 <= (low or 0) <= 2000:
        text = _YEARISH.sub(" ", text)
    return set(numbers(text))


def _letters_named(question: Question, answer: str) -> str:
    """An order answer as letters: the letters written, or, when the answer names the
    people (or things) of the question's lettered items, their letters in that order."""
    items = re.findall(r"(?:^|[\s;:(])([A-H])\s+([^;:\n]+)", question.text)
    by_entity: dict[str, str] = {}
    for letter, item in items:
        entities = find_entities(item)
        if entities and letter in question.letters:
            by_entity.setdefault(entities[0], letter)
    named = [by_entity[e] for e in find_entities(answer, skip_negated=True) if e in by_entity]
    if len(by_entity) == len(question.letters) and len(named) >= 2:
        return "".join(named)
    letters = set(question.letters)
    tokens = re.findall(r"[a-z]+", clean(answer))
    return "".join(
        t.upper() for t in tokens if set(t.upper()) <= letters and len(t) <= len(letters)
    )


def _score(question: Question, answer: str, bank: Bank) -> tuple[float, list[str]]:
    """The score from 0 to 1, and the wrong entities named (for specific hints)."""
    if question.kind == "entity":
        return _entity_score(question, answer, bank)
    if question.kind in ("year", "number"):
        found = _numbers_in(answer, question)
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
        return (1.0 if _letters_named(question, answer) == question.letters else 0.0), []
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
    """Check a student's plain-text ``answer`` to the question ``question_id`` (its ID, or
    the code students see). Raises :class:`UnknownQuestion` for one not in the bank.
    """
    bank = load_bank()
    question = bank.questions.get(bank.resolve(question_id) or "")
    if question is None:
        raise UnknownQuestion(question_id)
    question_id = question.id
    answer = (answer if isinstance(answer, str) else str(answer))[:MAX_ANSWER_CHARS]
    if is_unanswered(answer):
        return CheckResult(question_id, 0.0, NOT_ANSWERED, "unanswered")
    if looks_like_code(answer):
        return CheckResult(question_id, 0.0, CODE_ANSWER, "incorrect")
    score, wrong = _score(question, answer, bank)
    score = round(score, 4)
    status = "correct" if score >= 1 else "partial" if score > 0 else "incorrect"
    return CheckResult(question_id, score, _feedback(question, score, wrong), status)
