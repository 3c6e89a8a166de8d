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
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from functools import cache, lru_cache

import jellyfish
from rapidfuzz import process
from rapidfuzz.distance import OSA

from .answer_key import AnswerKey, Phrase, PlainKey, in_vocabulary, key_match
from .bank import Question, load_bank
from .normalise import clean, numbers, words
from .reading import Candidate, Reading, Token, negated, read

__all__ = [
    "CheckResult",
    "UnknownQuestion",
    "PLACEHOLDER",
    "WRITTEN_ANSWER_BOX",
    "check",
    "find_entities",
    "is_unanswered",
]

#: What a released answer cell holds until the student replaces it.
PLACEHOLDER = "Type your answer here"

#: What a written answer's box (the cell under a question your teacher marks) says
#: before the student writes in it.
WRITTEN_ANSWER_BOX = "Write your answer here (double-click to edit)."

#: Only the start of a very long answer is read (a rambling answer may give its answer
#: near the end of a long paragraph; an answer box holds at most 200,000 characters).
MAX_ANSWER_CHARS = 20_000

#: Shortest name (in letters) in which a one-letter slip is forgiven ...
FUZZY_MIN_LETTERS = 5
#: ... and in which two are.
LONG_NAME_LETTERS = 9

#: An answer of this many sentences is read as leading up to its answer, at the end.
LONG_ANSWER_SENTENCES = 4

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
    status: str  # correct | partial | incorrect | unanswered | review

    def to_dict(self) -> dict[str, object]:
        """The result as a JSON-ready dict (question, score, feedback, status)."""
        return asdict(self)


@dataclass(frozen=True)
class _Matcher:
    exact: dict[str, str]
    fuzzy: dict[int, tuple[list[str], list[str]]]  # word count -> (names, entity ids)
    sounds: dict[str, set[str]]  # a one-word name's sound (metaphone) -> entity ids
    longest: int


def _sound(word: str) -> str:
    """How a one-word name sounds (metaphone), for spellings by ear ("Boukharin")."""
    return jellyfish.metaphone(word) if len(word) >= 5 else ""


@lru_cache(maxsize=1)
def _matcher() -> _Matcher:
    bank = load_bank()
    exact: dict[str, str] = {}
    fuzzy: dict[int, tuple[list[str], list[str]]] = {}
    sounds: dict[str, set[str]] = {}
    for entity in bank.entities.values():
        for name in (*entity.names, entity.id.replace("-", " ")):
            key = " ".join(words(name))
            exact.setdefault(key, entity.id)
            letters = key.replace(" ", "")
            if len(letters) >= FUZZY_MIN_LETTERS and letters.isalpha():
                names, ids = fuzzy.setdefault(key.count(" ") + 1, ([], []))
                names.append(key)
                ids.append(entity.id)
            if " " not in key and _sound(key):
                sounds.setdefault(_sound(key), set()).add(entity.id)
    longest = max(key.count(" ") + 1 for key in exact)
    return _Matcher(exact, fuzzy, sounds, longest)


def _by_ear(word: str) -> str:
    """A word as a British ear may spell it: "th" as "f" ("birfday"), a final "a" as
    "er" ("Yagoder")."""
    word = word.replace("th", "f")
    return word[:-2] + "a" if word.endswith("er") and len(word) > 4 else word


def _slips_allowed(letters: int) -> int:
    """Spelling slips forgiven in a name of this many letters."""
    return 0 if letters < FUZZY_MIN_LETTERS else 1 if letters < LONG_NAME_LETTERS else 2


def _fuzzy_entity(window: str, size: int, matcher: _Matcher) -> str | None:
    """The one entity whose name ``window`` could be a misspelling of, or None when there
    is none or more than one: each word of the name within its forgiven slips (a letter
    added, lost, changed, or two swapped; short words exact) or, for a one-word name,
    sounding the same ("Boukharin", "coolaks")."""
    letters = len(window.replace(" ", ""))
    if size not in matcher.fuzzy or letters < FUZZY_MIN_LETTERS:
        return None
    names, ids = matcher.fuzzy[size]
    got = window.split()
    budget = sum(_slips_allowed(len(w)) for w in got) + size
    hits = process.extract(window, names, scorer=OSA.distance, score_cutoff=budget, limit=None)
    found = set()
    for name, _, index in hits:
        want = name.split()
        if (
            len(want) == len(got)
            and all(
                OSA.distance(g, w) <= _slips_allowed(len(w) if len(g) >= len(w) - 1 else len(g))
                or OSA.distance(_by_ear(g), _by_ear(w)) <= _slips_allowed(len(g))
                or (
                    len(w) >= 4
                    and len(g) >= 4
                    and _sound(g + "xx") == _sound(w + "xx")
                    and g[0] == w[0]
                    and not is_known_word(g)
                )
                for g, w in zip(got, want, strict=True)
            )
            and (
                size > 1
                or OSA.distance(got[0], want[0]) <= _slips_allowed(len(got[0]))
                or OSA.distance(_by_ear(got[0]), _by_ear(want[0])) <= _slips_allowed(len(got[0]))
            )
        ):
            found.add(ids[index])
    if not found and size == 1:
        found = set(matcher.sounds.get(_sound(window), ()))
    return found.pop() if len(found) == 1 else None


def _plural_of_name(word: str, matcher: _Matcher) -> str | None:
    """ "kulaks", "Trotskyists'": a name with a plural ending."""
    for ending in ("es", "s"):
        if word.endswith(ending) and word[: -len(ending)] in matcher.exact:
            return matcher.exact[word[: -len(ending)]]
    return None


def entity_spans(tokens: list[Token]) -> list[tuple[int, int, str]]:
    """(start, end, entity id) for each name of the bank found in the tokens; a name may
    run over full stops and hyphens ("Gen. Sec.", "V. I. Lenin") but no other mark."""
    matcher = _matcher()
    places = [i for i, t in enumerate(tokens) if t.kind != "mark"]
    spans: list[tuple[int, int, str]] = []
    p = 0
    while p < len(places):
        for size in range(min(matcher.longest, len(places) - p), 0, -1):
            chosen = places[p : p + size]
            between = [t.text for t in tokens[chosen[0] : chosen[-1] + 1] if t.kind == "mark"]
            if any(mark not in (".", "-") for mark in between):
                continue
            window = " ".join(tokens[i].text for i in chosen)
            entity = matcher.exact.get(window)
            if entity is None and size == 1:
                entity = _plural_of_name(window, matcher)
            if entity is None and not (
                size == 1 and (is_known_word(window) or window in _name_words())
            ):
                entity = _fuzzy_entity(window, size, matcher)
            if entity:
                spans.append((chosen[0], chosen[-1] + 1, entity))
                p += size
                break
        else:
            p += 1
    return spans


def find_entities(text: str, skip_negated: bool = False) -> list[str]:
    """Entity IDs named in ``text``, in order, each once. With ``skip_negated``, a
    name that is denied or excluded ("It was not Yagoda", "anyone but Yagoda") does
    not count.

    >>> find_entities("Zinovyev and Kamenev sided with Stalin")
    ['zinoviev', 'kamenev', 'stalin']
    >>> find_entities("the Gen Sec")
    ['general-secretary']
    >>> find_entities("It was not Yagoda, it was Yezhov", skip_negated=True)
    ['yezhov']
    """
    found: list[str] = []
    for candidate in read(text).candidates:
        if candidate.kind != "entity" or (skip_negated and candidate.role == "negated"):
            continue
        if candidate.value not in found:
            found.append(str(candidate.value))
    return found


#: Everyday words that need not appear in the course's own texts to count as English.
COMMON_WORDS = frozenset(
    """i me my you he him his she her it its we us our they them their this that these
    those a an the and or but if so then than because as of in on at to for from by with
    about into over after before under between during without within was were is are be
    been being am do does did done have has had having will would shall should can could
    may might must not no yes think thought know knew maybe perhaps probably possibly
    sure guess reckon idk dunno lol pretty really very quite just also too only still
    even well like something someone somebody anything anyone nothing nobody everything
    everyone stuff thing things person people guy guys man men one two answer question
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday mr mrs sir comrade
    called named name names who what which when where why how whose whom because cause
    cos coz bc tbh basically actually wait sorry mean meant said say says think correct
    wrong right true false leader leaders party soviet union russia russian ussr ok okay
    hmm um uh er erm yeah yep nope nah please thanks thank""".split()
)


def is_known_word(word: str) -> bool:
    """True for an ordinary English word: one the course's texts use in lower case."""
    return in_vocabulary(load_bank().vocabulary, word)


@lru_cache(maxsize=1)
def _name_words() -> frozenset[str]:
    return frozenset(w for key in _matcher().exact for w in key.split())


def is_unanswered(answer: str) -> bool:
    """True for an empty answer or the placeholder left unchanged."""
    text = clean(answer)
    return not words(text) or text.strip(" .") in (
        clean(PLACEHOLDER),
        clean(WRITTEN_ANSWER_BOX).strip(" ."),
    )


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
            all(isinstance(t, ast.Name) and t.id.lower() in ("answer", "ans") for t in node.targets)
            and isinstance(node.value, (ast.Name, ast.Constant))
            and not isinstance(getattr(node.value, "value", None), str)  # answer = "Trotsky"
        ):
            return True
        if isinstance(node, ast.Call) and (  # a method, or a Python function such as print
            isinstance(node.func, ast.Attribute)
            or (isinstance(node.func, ast.Name) and hasattr(builtins, node.func.id))
        ):
            return True
    return False


def _tally(correct: int, wrong: int, parts: int) -> float:
    """Score when ``correct`` right and ``wrong`` wrong things were offered as the answer:
    each right one earns its part, each wrong one cancels a right one (the rule the
    assignments state).

    >>> _tally(1, 0, 2), _tally(1, 1, 2), _tally(2, 1, 2), _tally(1, 1, 1)
    (0.5, 0.0, 0.5, 0.0)
    """
    return max(0, min(correct, parts) - wrong) / parts


@cache
def _in_question(question_id: str) -> frozenset[str]:
    """Entities the question itself names."""
    return frozenset(find_entities(load_bank().questions[question_id].text))


def _key(question: Question) -> AnswerKey:
    """What the checker may ask about ``question``'s answer (a question built in code,
    such as the exam's coverage lists, is read as it stands)."""
    return question.key if question.key is not None else PlainKey(question)


@dataclass(frozen=True)
class _Verdict:
    score: float
    wrong: tuple[str, ...] = ()
    review: bool = False  # read two ways that score differently
    provisional: float | None = None
    right: tuple[object, ...] = ()  # the right things the answer gave (to open feedback)


def _lists(reading: Reading, offered: list[Candidate]) -> list[list[Candidate]]:
    """Offered candidates grouped into lists ("A, B or C" is one list)."""
    lists: list[list[Candidate]] = []
    for candidate in offered:
        if lists and reading.joined(lists[-1][-1], candidate):
            lists[-1].append(candidate)
        else:
            lists.append([candidate])
    return lists


def _answer(
    reading: Reading,
    offered: list[Candidate],
    anchors: Callable[[Candidate], bool],
) -> tuple[list[Candidate], list[list[Candidate]]]:
    """The list a teacher reads as the answer, with any other lists offered as answers
    too ("or maybe X", a bare "X." after it); and the lists left over in the same
    sentences, which may or may not be meant as answers."""
    lists = [group for group in _lists(reading, offered) if any(anchors(c) for c in group)]
    if not lists:
        return [], []
    corrected = [group for group in lists[1:] if group[0].corrected]
    sentences = reading.tokens[-1].sentence + 1 if reading.tokens else 0
    if not corrected and sentences >= LONG_ANSWER_SENTENCES:
        # a long answer leads up to its answer: read the last list it offers
        corrected = [group for group in lists if reading.sentence_of(group[0]) > 0][-1:]
    chosen = corrected[-1] if corrected else lists[0]
    answer = list(chosen)
    unsure: list[list[Candidate]] = []
    for group in lists:
        if group is chosen:
            continue
        if corrected and group[0].start < chosen[0].start:
            if sentences >= LONG_ANSWER_SENTENCES and reading.sentence_of(group[0]) == 0 \
                    and not chosen[0].corrected:  # fmt: skip
                unsure.append(group)  # an answer in the first sentence of a long answer?
            continue
        if group[0].hedged:
            answer += group
            continue
        sentence = reading.sentence_of(group[0])
        words = reading.sentence_words(sentence)
        if sentence != reading.sentence_of(chosen[0]):
            if len(words) <= len(group) * 2 + 2:
                answer += group  # "Trotsky. Zinoviev." - a second answer
            continue  # a sentence of its own about the answer
        unsure.append(group)
    return answer, unsure


def _count(
    answer: list[Candidate],
    right: Callable[[Candidate], bool],
    ignore: Callable[[Candidate], bool],
    parts: int,
) -> tuple[float, list[Candidate]]:
    """The score of an answer list, and the wrong candidates in it."""
    got = {c.value for c in answer if right(c)}
    wrong = [c for c in answer if not right(c) and not ignore(c)]
    distinct_wrong = {c.value for c in wrong}
    return _tally(len(got), len(distinct_wrong), parts), wrong


def _proof(c: Candidate) -> object:
    """What a right candidate tells the key (a number's kind goes with it)."""
    if c.kind in ("number", "share"):
        return (c.kind, float(c.value))  # type: ignore[arg-type]
    return tuple(c.value) if isinstance(c.value, list) else c.value


def _echoes(reading: Reading, group: list[Candidate], asked: set[str]) -> bool:
    """Whether a list's clause repeats a word of the question ("8 were purged")."""
    clause = reading.tokens[group[0].start].clause
    return any(t.clause == clause and t.text in asked for t in reading.tokens)


def _judge(
    reading: Reading,
    offered: list[Candidate],
    anchors: Callable[[Candidate], bool],
    right: Callable[[Candidate], bool],
    ignore: Callable[[Candidate], bool],
    parts: int,
    asked: set[str] | None = None,
    mentioned: tuple[Candidate, ...] = (),
) -> _Verdict:
    if asked:
        # "two survived, so three were purged": of values in different clauses, the one
        # clause that repeats the question's own words holds the answer
        groups = _lists(reading, offered + list(mentioned))
        echoing = [g for g in groups if _echoes(reading, g, asked)]
        if len(echoing) == 1 and len(groups) > 1:
            offered = echoing[0]
    answer, unsure = _answer(reading, offered, anchors)
    score, wrong = _count(answer, right, ignore, parts)
    names = tuple(str(c.value) for c in wrong if c.kind == "entity")
    proof = tuple(dict.fromkeys(_proof(c) for c in answer if right(c)))
    for group in unsure:
        other, _ = _count(answer + group, right, ignore, parts)
        alone, _ = _count(group, right, ignore, parts)
        readings = {score, other, alone}
        if len(readings) > 1:
            return _Verdict(score, names, review=True, provisional=min(readings))
    return _Verdict(score, names, right=proof)


def _entity_verdict(question: Question, answer: str) -> _Verdict:
    key = _key(question)
    named = _in_question(question.id)
    reading = read(answer)
    asserted = [c for c in reading.candidates if c.role == "asserted"]

    def role(c: Candidate) -> str | None:
        return key.role(str(c.value)) if isinstance(c.value, str) else None

    def core(c: Candidate) -> bool:
        return role(c) is not None

    cores = [c for c in asserted if c.kind == "entity" and core(c)]

    asked = set(words(question.text))

    def counts(c: Candidate) -> bool:
        if c.kind == "entity" and core(c):
            return True
        if c.kind == "name" and set(str(c.value).split()) <= asked:
            return False  # a word of the question, said again
        # an unknown name, or any other thing, offered beside a name that counts
        # ("Kirov or Kuibyshev", "the Gulag or Kolyma")
        return any(
            reading.joined(*sorted((c, o), key=lambda x: x.start))
            and ("or" in reading.words_between(*sorted((c, o), key=lambda x: x.start))
                 or c.kind == "name")
            for o in cores
        ) or (c.kind == "name" and c.hedged and bool(cores))  # fmt: skip

    offered = [c for c in asserted if counts(c)]
    # a hedge inside a side clause still hedges: "Bukharin, with Rykov and Tomsky or Aaaov"
    offered += [
        c for c in reading.candidates
        if c.role == "context" and c.hedged and c.kind in ("name", "entity")
        and role(c) not in ("key", "neutral") and bool(cores)
        and any(o.role == "context" and o.end <= c.start
                and "or" in reading.words_between(o, c) for o in reading.candidates)
    ]  # fmt: skip
    offered.sort(key=lambda c: c.start)

    def anchors(c: Candidate) -> bool:
        return (
            role(c) == "key"
            or (role(c) == "rival" and c.value not in named)
            or (
                c.kind == "name" and c.hedged  # ". Or Kuibyshev"
            )
        )

    def right(c: Candidate) -> bool:
        return role(c) == "key"

    def ignore(c: Candidate) -> bool:
        if c.value in named and role(c) != "key":
            # a name from the question before the answer is its subject, not an answer
            return not any(anchors(o) and o.start < c.start for o in offered) and not (
                reading.or_linked(c, offered)
            )
        return False

    return _judge(reading, offered, anchors, right, ignore, question.parts)


def _with_alternatives(reading: Reading, offered: list[Candidate]) -> list[Candidate]:
    """Offered values, and anything else offered with "or" beside one ("1939 or Aaaov",
    "1929 or the year after"): a competing answer, never a right one."""
    sentences = {reading.sentence_of(o) for o in offered}
    extra = [
        c for c in reading.candidates
        if c.kind in ("name", "entity") and c.role == "asserted" and c.hedged
        and (reading.sentence_of(c) in sentences  # ". Or Aaaov": a fragment of its own
             or len(reading.sentence_words(reading.sentence_of(c))) <= 4)
        and any(o.end <= c.start and "or" in reading.words_between(o, c)[-3:] for o in reading.candidates)
    ]  # fmt: skip
    return sorted(offered + extra, key=lambda c: c.start)


def _question_total(question: Question) -> int | None:
    """The total a "how many of the N" question gives (9 in "how many of the nine")."""
    totals = [n for n in numbers(question.text) if not 1800 <= n <= 2000]
    return totals[-1] if totals else None


_ALL_BUT = re.compile(r"\ball (?:of them )?(?:but|except|apart from|bar|save) (\w+)")


def _number_verdict(question: Question, answer: str) -> _Verdict:
    reading = read(answer)
    key = _key(question)
    asks_share = "percent" in question.text.lower() or "%" in question.text
    candidates = list(reading.candidates)
    total = _question_total(question)
    if total and not asks_share:  # "all but one" of the nine
        for match in _ALL_BUT.finditer(" ".join(t.text for t in reading.tokens)):
            taken = numbers(match.group(1))
            if taken and 0 < taken[0] < total:
                candidates.append(Candidate("number", total - taken[0], 0, 1))

    if total and not asks_share:  # "60 %" of the five marshals is 3
        for c in list(candidates):
            if c.kind in ("number", "share") and c.unit == "%" and c.role == "asserted":
                count = round(float(c.value) * total / 100)  # type: ignore[arg-type]
                if abs(100 * count / total - float(c.value)) <= 0.5:  # type: ignore[arg-type]
                    candidates.append(replace(c, kind="number", value=count, unit=""))

    def counts(c: Candidate) -> bool:
        if asks_share:
            return c.kind in ("number", "share") and (c.role == "asserted" or c.kind == "share")
        return c.kind == "number" and c.unit == "" and c.role == "asserted"

    offered = sorted((c for c in candidates if counts(c)), key=lambda c: c.start)
    offered = _with_alternatives(reading, offered)
    if asks_share:  # "25 out of 100" read as 25 %, not twice
        offered = [
            c for c in offered
            if c.kind == "share" or not any(s.kind == "share" and s.start == c.start for s in offered)
        ]  # fmt: skip

    def right(c: Candidate) -> bool:
        if c.kind not in ("number", "share"):
            return False  # "2 or Aaaov": another answer, never a right one
        # a fraction is read to the nearest whole per cent
        return key.in_range(float(c.value), share=c.kind == "share")  # type: ignore[arg-type]

    mentioned = tuple(
        c for c in candidates
        if c.role == "context" and c.kind == "number" and c.unit == "" and not asks_share
        and not _denominator(reading, c)
    )  # fmt: skip
    return _judge(
        reading, sorted(offered, key=lambda c: c.start), lambda c: True, right,
        lambda c: False, 1, _asked(question), tuple(sorted(mentioned, key=lambda c: c.start)),
    )  # fmt: skip


def _denominator(reading: Reading, candidate: Candidate) -> bool:
    """Whether a number is the total in "13 out of 15", "8/9", "one in three"."""
    before = [t.text for t in reading.tokens[max(0, candidate.start - 3) : candidate.start]]
    return any(w in ("of", "/", "in", "outta") for w in before[-2:])


def _asked(question: Question) -> set[str]:
    """The question's telling words (verbs and nouns of four letters or more)."""
    return {
        w for w in words(question.text) if len(w) >= 4 and w not in COMMON_WORDS
        and not w.isdigit() and w not in ("many", "much", "roughly", "according", "chart")
    }  # fmt: skip


def _year_verdict(question: Question, answer: str) -> _Verdict:
    reading = read(answer)
    offered = _with_alternatives(reading, [
        c for c in reading.candidates if c.role == "asserted" and c.kind in ("year", "range")
    ])  # fmt: skip
    key = _key(question)
    if question.kind == "year":

        def right(c: Candidate) -> bool:
            return c.kind == "year" and key.is_value(c.value)
    else:

        def right(c: Candidate) -> bool:
            return c.kind == "range" and key.is_value(tuple(c.value))  # type: ignore[arg-type]

    return _judge(reading, offered, lambda c: True, right, lambda c: False, 1)


def _phrase_matches(
    phrase: tuple[object, ...], tokens: list[str], at: int, salt: str
) -> tuple[str, ...] | None:
    """The phrase's words as the key writes them when ``phrase`` matches ``tokens`` word
    by word from ``at``, else None; a lone ``*`` stands for one or two words ("tell *
    police": "tell the police", "tell the secret police")."""
    if not phrase:
        return ()
    if at >= len(tokens):
        return None
    want, rest = phrase[0], phrase[1:]
    if want == "*":
        for skip in (1, 2):
            if skip == 1 or at + 1 < len(tokens):
                matched = _phrase_matches(rest, tokens, at + skip, salt)
                if matched is not None:
                    return ("*", *matched)
        return None
    word = key_match(want, tokens[at], salt)
    if word is None:
        return None
    matched = _phrase_matches(rest, tokens, at + 1, salt)
    return None if matched is None else (word, *matched)


def concepts_found(question: Question, answer: str) -> list[str]:
    """The concept groups of ``question`` that ``answer`` expresses: a phrase of the
    group, not denied ("did not weaken"), and not said of something the question does
    not ask about (its ``not_about`` words, "it weakened Germany").

    >>> from stalin_course.bank import Question
    >>> q = Question("q", "?", "concepts", 1, "", "", groups={"weak": ("weak*",)})
    >>> concepts_found(q, "It weakened the army"), concepts_found(q, "It did not weaken it")
    (['weak'], [])
    """
    key = _key(question)
    return [group for group, _ in _concept_hits(key, key.phrases, answer)]


def _concept_hits(
    key: AnswerKey, phrases: tuple[Phrase, ...], answer: str
) -> list[tuple[str, int]]:
    """(group, clause) for each concept group found, with the clause it was found in."""
    reading = read(answer)
    places = [i for i, t in enumerate(reading.tokens) if t.kind != "mark"]
    tokens = [reading.tokens[i].text for i in places]
    off_topic = {
        i
        for i, word in enumerate(tokens)
        if any(key_match(w, word, key.salt) for w in key.not_about)
    }

    def about_something_else(at: int, size: int) -> bool:
        """ "It weakened Germany", "Germany was weakened": the claim is about another."""
        after = at + size
        while after < len(tokens) and tokens[after] in ("the", "a", "an", "its", "their"):
            after += 1
        before = at - 1
        passive = False
        while before >= 0 and tokens[before] in ("was", "were", "got", "became", "been", "is",
                                                 "the", "army", "s"):  # fmt: skip
            passive = passive or tokens[before] in ("was", "were", "got", "became", "been", "is")
            before -= 1
        return after in off_topic or (passive and before in off_topic)

    hits: dict[str, int] = {}
    for phrase in phrases:
        found: tuple[str, ...] | None = None
        spots = []
        for at in range(len(tokens)):
            matched = _phrase_matches(phrase.words, tokens, at, key.salt)
            if matched is not None and not negated(reading.tokens, places[at]) \
                    and not about_something_else(at, len(phrase.words)):  # fmt: skip
                found = found or matched
                spots.append(at)
        group = phrase.group(found) if found is not None else None
        if group is not None and group not in hits:
            hits[group] = reading.tokens[places[spots[0]]].clause
    return list(hits.items())


def _contradictions(question: Question, answer: str) -> int:
    """How many wrong claims the answer makes: the opposite of the key ("it made the army
    stronger") or an idea the question's key rules out; each cancels a right one."""
    key = _key(question)
    if not key.contrary:
        return 0
    clauses = {clause for _, clause in _concept_hits(key, key.contrary, answer)}
    return min(len(clauses), question.need)


_ITEMS = re.compile(r"[,;\n]|\band (?=to\b)|\bor (?=to\b)|(?:^|\s)(?:\d+[.)]|[-*\u2022])\s")


def _other_purposes(question: Question, answer: str) -> int:
    """On a "give two" question, the items of a list ("to isolate enemies, to provide
    labour and to house the army") that give a purpose the key does not know: each is a
    wrong part, and cancels a right one."""
    if question.need < 2:
        return 0
    count = 0
    for item in _ITEMS.split(answer):
        text = re.sub(r"^(?:and|or|also|then)\s+", "", item.strip().lower())
        if text.startswith("to ") and not concepts_found(question, text):
            count += not _contradictions(question, text)  # a contradiction counts once
    return count


def _order_verdict(question: Question, answer: str) -> _Verdict:
    """An order answer: the letters written (or the people of the lettered items, named
    in order). Every order given must be the right one; two different orders earn 0."""
    key = _key(question)
    items = re.findall(r"(?:^|[\s;:(])([A-H])\s+([^;:\n]+)", question.text)
    by_entity: dict[str, str] = {}
    for letter, item in items:
        entities = find_entities(item)
        if entities and letter in key.letters:
            by_entity.setdefault(entities[0], letter)
    letters = set(key.letters)
    reading = read(answer)
    orders: list[str] = []
    run = ""
    for index, token in enumerate(reading.tokens):
        text = token.text.upper()
        if token.depth > 0 or token.kind == "number":
            continue  # "B (1924), C (1925)": dates beside the letters
        if (
            token.kind == "word"
            and (text in letters or key.is_value(text))
            and negated(reading.tokens, index)
        ):
            return _Verdict(0.0)  # "not B C D A"
        if token.kind == "word" and len(text) == 1 and text in letters:
            run += text
        elif token.kind == "word" and 1 < len(text) <= len(letters) and set(text) <= letters \
                and len(set(text)) == len(text):  # fmt: skip
            if run:
                orders.append(run)
            orders.append(text)
            run = ""
        elif token.kind == "mark" or token.text in ("then", "and", "to", "after", "next"):
            continue
        elif token.kind == "word" and token.text in ("i", "e", "ie", "so", "is", "order"):
            if run:
                orders.append(run)
            run = ""
        else:
            if run:
                orders.append(run)
            run = ""
    if run:
        orders.append(run)
    named = [
        by_entity[str(c.value)]
        for c in reading.candidates
        if c.kind == "entity" and c.value in by_entity and c.role != "negated"
    ]
    if len(by_entity) == len(letters) and len(named) >= 2:
        orders.append("".join(named))
    if any(c.kind == "name" and c.hedged for c in reading.candidates):
        return _Verdict(0.0)  # "B C D A or something else"
    full = {o for o in orders if len(o) == len(key.letters)}
    if len(full) != 1 or not key.is_value(next(iter(full))):
        return _Verdict(0.0)  # none, a wrong one, or two different orders
    return _Verdict(1.0, right=tuple(full))


def _verdict(question: Question, answer: str) -> _Verdict:
    if question.kind == "entity":
        return _entity_verdict(question, answer)
    if question.kind == "number":
        return _number_verdict(question, answer)
    if question.kind in ("year", "years"):
        return _year_verdict(question, answer)
    if question.kind == "order":
        return _order_verdict(question, answer)
    if question.kind == "concepts":
        found = concepts_found(question, answer)
        wrong = _contradictions(question, answer) + _other_purposes(question, answer)
        return _Verdict(_tally(len(found), wrong, question.need), right=tuple(found))
    raise AssertionError(question.kind)  # the bank loader rejects other kinds


def _feedback(question: Question, verdict: _Verdict, score: float) -> str:
    key = _key(question)
    if score >= 1:
        return key.correct(verdict.right) or "Yes, that is right."
    for entity in verdict.wrong:
        explained = key.named(entity)
        if explained:
            return f"Not quite. {explained}"
    if score > 0:
        return key.partial(verdict.right) or f"Part of your answer is right. {question.hint}"
    return f"Not quite. {question.hint}"


REVIEW = (
    "Your teacher will look at this answer: it can be read in more than one way, so the "
    "computer will not guess. To check it yourself, give one clear answer in a short "
    "sentence and run the cell again."
)


def check(question_id: str, answer: str) -> CheckResult:
    """Check a student's plain-text ``answer`` to the question ``question_id`` (its ID, or
    the code students see). Raises :class:`UnknownQuestion` for one not in the bank.

    Where the answer can be read two ways that score differently, the status is
    ``review`` and the score is the lower reading's, for the teacher to confirm.
    """
    answer = answer if isinstance(answer, str) else str(answer)
    return _check(question_id, answer[:MAX_ANSWER_CHARS])


@lru_cache(maxsize=8192)
def _check(question_id: str, answer: str) -> CheckResult:
    """:func:`check`, remembered: a notebook's cells ask about the same answer several
    times (to save it, give feedback, give points, flag it for review)."""
    bank = load_bank()
    question = bank.questions.get(bank.resolve(question_id) or "")
    if question is None:
        raise UnknownQuestion(question_id)
    return judge(question, answer)


def judge(question: Question, answer: str) -> CheckResult:
    """:func:`check` for a question given whole (with its plain or its sealed key)."""
    question_id = question.id
    if is_unanswered(answer):
        return CheckResult(question_id, 0.0, NOT_ANSWERED, "unanswered")
    if looks_like_code(answer):
        return CheckResult(question_id, 0.0, CODE_ANSWER, "incorrect")
    try:
        verdict = _verdict(question, answer)
    except Exception:  # noqa: BLE001 - a checker fault must never stop a student's notebook
        # (tests/test_checker_properties.py calls the reader directly, so faults show there)
        verdict = _Verdict(0.0, review=True, provisional=0.0)
    if verdict.review:
        score = round(verdict.provisional or 0.0, 4)
        return CheckResult(question_id, score, REVIEW, "review")
    score = round(verdict.score, 4)
    status = "correct" if score >= 1 else "partial" if score > 0 else "incorrect"
    return CheckResult(question_id, score, _feedback(question, verdict, score), status)
