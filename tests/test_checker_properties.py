"""Properties that hold for every question in the bank, on answers built from the
accepted answers of the tuning tables (tests/answer_tables/):

- denying or excluding a right answer never earns a mark;
- hedging a right answer with an unknown proper noun ("... or Kuibyshev") never does
  (on a two-part question it costs a part);
- adding context to a right answer never lowers its mark;
- on an assignment, a wrong answer's feedback never gives away another question's
  answer (nor says whose idea a swapped answer was).
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from test_bank import TABLE

from stalin_course.bank import load_bank
from stalin_course.checking import _verdict, check, find_entities
from stalin_course.normalise import words

BANK = load_bank()


def _short_right_answers(qid: str) -> list[str]:
    """Accepted answers that are the answer alone (not a sentence about it)."""
    return [
        a for a in TABLE[qid]["accept"]
        if len(words(a)) <= 5 and not re.match(r"(?i)\s*(it|he|they|the answer|i think)\b", a)
    ][:3]  # fmt: skip


RIGHT = [(qid, answer) for qid in sorted(TABLE) for answer in _short_right_answers(qid)]

NEGATIONS = ["not {a}", "it wasn't {a}", "definitely not {a}", "I don't think it was {a}"]
EXCLUSIONS = ["anyone but {a}", "everything except {a}", "anything apart from {a}"]


@pytest.mark.parametrize(
    ("qid", "answer"), [(q, a) for q, a in RIGHT if BANK.questions[q].parts == 1]
)
def test_a_denied_or_excluded_right_answer_earns_nothing(qid: str, answer: str) -> None:
    """(On a two-part question "not A, B" denies A only, so those are left out.)"""
    templates = NEGATIONS + (EXCLUSIONS if BANK.questions[qid].kind != "concepts" else [])
    for template in templates:
        text = template.format(a=answer)
        assert check(qid, text).score == 0, (qid, text)


#: Made-up surnames no bank entry knows, as a student might hedge with.
UNKNOWN = st.from_regex(r"[A-Z][a-z]{2,4}(ov|ev|sky|enko|ich|ina)", fullmatch=True)


@settings(max_examples=60, deadline=None)
@given(
    pair=st.sampled_from([(q, a) for q, a in RIGHT if BANK.questions[q].kind != "concepts"]),
    name=UNKNOWN,
    joiner=st.sampled_from([" or ", " or maybe ", ", or "]),
)
def test_a_right_answer_hedged_with_an_unknown_name_earns_nothing(
    pair: tuple[str, str], name: str, joiner: str
) -> None:
    qid, answer = pair
    if find_entities(name):  # the made-up name happens to be close to a real one
        return
    hedged = check(qid, f"{answer}{joiner}{name}").score
    if BANK.questions[qid].parts == 1:
        assert hedged == 0, (qid, answer, name)
    else:  # two right and one wrong: the wrong one cancels a right one
        assert hedged < check(qid, answer).score, (qid, answer, name)


CONTEXT = [
    " (I read it in the lesson)",
    ", as the lesson says",
    ". This was after Lenin's death in 1924.",
    ", after the grain crisis of 1928",
    " - we studied this after the Civil War topic",
    ", which the textbook also says",
]


@pytest.mark.parametrize(("qid", "answer"), RIGHT)
def test_context_never_lowers_a_right_answer(qid: str, answer: str) -> None:
    base = check(qid, answer).score
    for context in CONTEXT:
        if set(find_entities(context)) & set(find_entities(BANK.questions[qid].text)):
            continue  # context that names the question's own people is a different answer
        text = answer + context
        assert check(qid, text).score >= base, (qid, text)


@pytest.mark.parametrize(("qid", "answer"), RIGHT)
def test_quotation_marks_change_nothing(qid: str, answer: str) -> None:
    """A right answer in quotes keeps its mark, and a hedge in quotes earns no more
    than the same hedge without them ("'17 or 25'" once read '17 as the year 1917)."""
    base = check(qid, answer).score
    wrong = "17" if BANK.questions[qid].kind in ("number", "year") else "Kuibyshev"
    hedge = check(qid, f"{wrong} or {answer}").score
    for mark in ("'", '"'):
        assert check(qid, f"{mark}{answer}{mark}").score == base, (qid, mark, answer)
        assert check(qid, f"{mark}{wrong} or {answer}{mark}").score <= hedge, (qid, mark)


def _assignments() -> dict[str, list[str]]:
    """Question IDs of each assignment, from the teacher's source notebooks."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "source").glob("*/*.ipynb")):
        text = path.read_text(encoding="utf-8")
        ids = list(dict.fromkeys(re.findall(r'answers\.marks\(\\"([a-z0-9-]+)\\"\)', text)))
        if ids:
            found[path.parent.name] = ids
    return found


def _keys(qid: str) -> set[str]:
    question = BANK.questions[qid]
    # Stalin is the subject of every lesson: naming him gives nothing away
    return (set(question.accept) | set(question.accept_any)) - {"stalin"}


def _key_words(qid: str) -> list[str]:
    if BANK.questions[qid].kind != "entity":
        return []
    return [
        " ".join(words(name))
        for entity in _keys(qid)
        for name in BANK.entities[entity].names
        if len(name) > 3
    ]


PAIRS = [(name, a, b) for name, ids in _assignments().items() for a in ids for b in ids if a != b]


@pytest.mark.parametrize(("assignment", "asked", "other"), PAIRS)
def test_no_hint_gives_away_another_questions_answer(
    assignment: str, asked: str, other: str
) -> None:
    """What question ``asked`` says to a wrong answer (any of its hints, and its feedback
    on ``other``'s right answer) never names ``other``'s answer."""
    question = BANK.questions[asked]
    # a swapped answer gets the general hint, never one that says whose answer it was
    assert not set(question.named) & _keys(other), (asked, other)
    texts = [question.hint, question.partial, *question.named.values()]
    texts += [check(asked, answer).feedback for answer in _short_right_answers(other)]
    for text in filter(None, texts):
        padded = f" {' '.join(words(text))} "
        for name in _key_words(other):
            if f" {name} " in padded and name not in " ".join(words(question.text)):
                if check(asked, name).score > 0:
                    continue  # both questions share the answer
                pytest.fail(f"{asked}'s feedback names {other}'s answer {name!r}: {text}")


def test_the_question_map_covers_the_bank() -> None:
    assert {q for ids in _assignments().values() for q in ids} == set(BANK.questions)
    assert json.dumps(sorted(_assignments()))  # every assignment found


#: Text a student might type: words, names, numbers and marks in any order.
PIECES = [
    *"abcdeiorstuvyz ABKSTZ0123456789.,;:'()-/%&?!\n",
    "Trotsky",
    "1937",
    " or ",
    " not ",
    " and ",
    "Yezhov",
    "thirteen",
    "half",
    "'37",
    " all but ",
    "\u0422",
    " k",
    " million",
]
TYPED = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(qid=st.sampled_from(sorted(BANK.questions)), text=TYPED)
def test_the_reader_never_fails_on_anything_typed(qid: str, text: str) -> None:
    """The reader itself (not only check(), which also guards against a fault) handles
    any text without an error."""
    verdict = _verdict(BANK.questions[qid], text)
    assert 0 <= verdict.score <= 1
