"""The answer checker: tolerant of form, strict on facts."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stalin_course import UnknownQuestion, check
from stalin_course.bank import load_bank
from stalin_course.checking import FUZZY_MIN_LETTERS, PLACEHOLDER, find_entities
from stalin_course.normalise import words

ACCEPTED = {
    "power-lenin-death": ["1924", "He died in 1924.", "21 January 1924", "nineteen twenty-four",
                          "I think the answer is 1924"],
    "power-gensec": ["General Secretary", "general secretary", "the General Secretary",
                     "Gen Sec", "He was the Genral Secretary", "GENERAL SECRETARY!",
                     "Secretary General", "general secretary of the communist party"],
    "power-trotsky": ["Trotsky", "It was Trotsky.", "Leon Trotsky", "L. Trotsky", "Trotskii",
                      "Trotski", "trotksy", "'Trotsky'", "Lev Bronstein",
                      "Stalin's main rival was Trotsky"],
    "power-trotsky-idea": ["Permanent Revolution", "permanent revolution.", "Permanant Revolution",
                           "It was called permanent revolution", "world revolution"],
    "power-sioc": ["Socialism in One Country", "socialism in one country", "Socialism in 1 country",
                   "socialism in one contry"],
    "power-triumvirate": ["Zinoviev and Kamenev", "Kamenev and Zinoviev", "Zinovyev, Kamenev",
                          "Grigory Zinoviev & Lev Kamenev", "zinoviev kamenev"],
    "power-right": ["Bukharin", "Nikolai Bukharin", "Bukharin, with Rykov and Tomsky", "Bukarin"],
    "power-nep": ["NEP", "the NEP", "New Economic Policy", "the new economic policy (NEP)",
                  "N.E.P."],
    "power-year-control": ["1929", "By 1929", "I think the answer is 1929", "in 1929."],
    "power-order": ["BCDA", "B C D A", "b, c, d, a", "B-C-D-A", "B then C then D then A",
                    "B, C, D and A"],
}  # fmt: skip

PARTIAL = {
    "power-triumvirate": ["Zinoviev", "Kamenev", "Kamenev and Bukharin",
                          "Zinoviev, Kamenev and Bukharin"],
}  # fmt: skip

REJECTED = {
    "power-lenin-death": ["1934", "1925", "1923 or 1924", "1917", "January"],
    "power-gensec": ["Commissar for War", "Premier", "Politburo", "Commissar for Nationalities",
                     "General", "Secretary", "leader"],
    "power-trotsky": ["Zinoviev", "Tomsky", "Trotsky or Zinoviev", "Kamenev", "Lenin", "Bukharin",
                      "Trotsky, Zinoviev, Kamenev, Bukharin, Rykov, Tomsky"],
    "power-trotsky-idea": ["Socialism in One Country", "NEP", "revolution", "communism"],
    "power-sioc": ["Permanent Revolution", "Five-Year Plan", "socialism", "nationalism"],
    "power-triumvirate": ["Trotsky and Bukharin", "Rykov and Tomsky", "Lenin",
                          "Trotsky, Zinoviev, Kamenev, Bukharin, Rykov, Tomsky"],
    "power-right": ["Trotsky", "Zinoviev", "Kamenev", "Rykov", "Trotsky or Bukharin", "Tomsky"],
    "power-nep": ["War Communism", "Five-Year Plan", "collectivisation", "economic policy"],
    "power-year-control": ["1928", "1924", "1939", "1928 or 1929"],
    "power-order": ["ABCD", "BCAD", "BDCA", "B C D", "DCBA"],
}  # fmt: skip


@pytest.mark.parametrize(("qid", "answer"), [(q, a) for q, xs in ACCEPTED.items() for a in xs])
def test_accepts_reasonable_correct_answers(qid: str, answer: str) -> None:
    result = check(qid, answer)
    assert result.score == 1.0, result
    assert result.status == "correct"


@pytest.mark.parametrize(("qid", "answer"), [(q, a) for q, xs in PARTIAL.items() for a in xs])
def test_half_marks_for_one_right_part(qid: str, answer: str) -> None:
    assert check(qid, answer).score == 0.5


@pytest.mark.parametrize(("qid", "answer"), [(q, a) for q, xs in REJECTED.items() for a in xs])
def test_rejects_wrong_answers(qid: str, answer: str) -> None:
    result = check(qid, answer)
    assert result.score == 0.0, result
    assert result.status == "incorrect"


@pytest.mark.parametrize("answer", ["", "   ", "\n\n", PLACEHOLDER, PLACEHOLDER.upper() + "."])
def test_empty_or_unchanged_is_not_answered(answer: str) -> None:
    result = check("power-gensec", answer)
    assert (result.score, result.status) == (0.0, "unanswered")
    assert "not answered yet" in result.feedback.lower()


def test_every_power_question_has_tables() -> None:
    power = {q for q in load_bank().questions if q.startswith("power-")}
    assert power == set(ACCEPTED) == set(REJECTED)


def test_no_question_accepts_another_questions_key() -> None:
    """The first accepted answer of each question must not score on any other question."""
    for qid, answers in ACCEPTED.items():
        for other in ACCEPTED:
            if other != qid:
                assert check(other, answers[0]).score == 0.0, (qid, other)


def test_feedback_never_gives_the_answer_away() -> None:
    bank = load_bank()
    for qid, question in bank.questions.items():
        wrong = check(qid, "something unrelated").feedback
        hints = [wrong, question.hint, question.partial, *question.named.values()]
        for entity in [*question.accept, *question.accept_any]:
            for name in bank.entities[entity].names:
                key = f" {' '.join(words(name))} "
                for hint in hints:
                    assert key not in f" {' '.join(words(hint))} ", (qid, name, hint)


def _slips(name: str) -> set[str]:
    """Every string one slip away from ``name``: a letter lost, added, changed or swapped."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(name[:i], name[i:]) for i in range(len(name) + 1)]
    return (
        {a + b[1:] for a, b in splits if b}
        | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        | {a + c + b[1:] for a, b in splits if b for c in letters}
        | {a + c + b for a, b in splits for c in letters}
    )


def test_a_slip_never_turns_one_name_into_another() -> None:
    """No one-slip variant of a person's name is read as a different person, unless
    the variant is exactly that other person's name."""
    bank = load_bank()
    people = [e for e in bank.entities.values() if e.category == "person"]
    exact = {" ".join(words(n)): e.id for e in bank.entities.values() for n in e.names}
    for entity in people:
        for name in entity.names:
            key = " ".join(words(name))
            if " " in key or len(key) < FUZZY_MIN_LETTERS:
                continue
            for variant in _slips(key):
                found = find_entities(variant)
                if variant in exact:
                    assert found == [exact[variant]]
                else:
                    assert found in ([], [entity.id]), (name, variant, found)


def test_each_name_belongs_to_one_entity() -> None:
    seen: dict[str, str] = {}
    for entity in load_bank().entities.values():
        for name in entity.names:
            key = " ".join(words(name))
            assert seen.setdefault(key, entity.id) == entity.id, (name, seen[key], entity.id)


def test_unknown_question_names_the_id() -> None:
    with pytest.raises(UnknownQuestion, match="power-nonsense"):
        check("power-nonsense", "Trotsky")


_noise = st.sampled_from([str.upper, str.lower, str.title, lambda s: f"  {s}  ",
                          lambda s: s.replace(" ", "   "), lambda s: f'"{s}"', lambda s: f"{s}.",
                          lambda s: f"{s}!?", lambda s: s.replace(" ", ", ")])  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    pair=st.sampled_from(
        [(q, a) for q, xs in {**ACCEPTED, **PARTIAL, **REJECTED}.items() for a in xs]
    ),
    changes=st.lists(_noise, max_size=3),
)
def test_case_spacing_and_punctuation_never_change_the_score(pair, changes) -> None:
    qid, answer = pair
    changed = answer
    for change in changes:
        changed = change(changed)
    assert check(qid, changed).score == check(qid, answer).score


def test_a_thousand_answers_in_under_a_second() -> None:
    pairs = [(q, a) for q, xs in {**ACCEPTED, **REJECTED}.items() for a in xs]
    batch = (pairs * (1000 // len(pairs) + 1))[:1000]
    check("power-gensec", "warm up")
    start = time.perf_counter()
    for qid, answer in batch:
        check(qid, answer)
    assert time.perf_counter() - start < 1.0


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "stalin_course", *args], capture_output=True, text=True
    )


def test_cli_prints_one_json_object() -> None:
    done = _cli("check", "power-trotsky", "It was Trotsky")
    assert done.returncode == 0
    result = json.loads(done.stdout)
    assert result["question"] == "power-trotsky"
    assert result["score"] == 1.0
    assert result["feedback"]


def test_cli_unknown_id_exits_2_with_a_message() -> None:
    done = _cli("check", "no-such-question", "x")
    assert done.returncode == 2
    assert "no-such-question" in done.stderr
    assert done.stdout == ""


def test_answer_key_is_fresh() -> None:
    """Fails when a bank TOML file changed and the key was not rebuilt (./run.sh release)."""
    from stalin_course.bank import read_key, read_sources

    assert read_key() == read_sources(), "bank/key.dat is stale: run ./run.sh release"


def test_answer_key_cannot_be_read_at_a_glance() -> None:
    from stalin_course.bank import _bank_files

    blob = _bank_files().joinpath("key.dat").read_bytes().lower()
    for name in (b"trotsky", b"general secretary", b"1929", b"bukharin", b"permanent"):
        assert name not in blob
