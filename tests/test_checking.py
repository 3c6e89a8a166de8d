"""The answer checker: tolerant of form, strict on facts."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import one_slip_variants

from stalin_course import UnknownQuestion, check
from stalin_course.bank import teacher_bank
from stalin_course.checking import FUZZY_MIN_LETTERS, PLACEHOLDER, find_entities
from stalin_course.normalise import words

# The answer tables for every question, power-* included, are in tests/answer_tables/ and
# are checked by tests/test_bank.py.


@pytest.mark.parametrize("answer", ["", "   ", "\n\n", PLACEHOLDER, PLACEHOLDER.upper() + "."])
def test_empty_or_unchanged_is_not_answered(answer: str) -> None:
    result = check("power-gensec", answer)
    assert (result.score, result.status) == (0.0, "unanswered")
    assert "not answered yet" in result.feedback.lower()


def test_feedback_never_gives_the_answer_away() -> None:
    bank = teacher_bank()
    for qid, question in bank.questions.items():
        wrong = check(qid, "something unrelated").feedback
        hints = [wrong, question.hint, question.partial, *question.named.values()]
        for entity in [*question.accept, *question.accept_any]:
            for name in bank.entities[entity].names:
                key = f" {' '.join(words(name))} "
                for hint in hints:
                    assert key not in f" {' '.join(words(hint))} ", (qid, name, hint)


def test_a_slip_never_turns_one_name_into_another() -> None:
    """No one-slip variant of a person's name is read as a different person, unless
    the variant is exactly that other person's name."""
    bank = teacher_bank()
    people = [e for e in bank.entities.values() if e.category == "person"]
    exact = {" ".join(words(n)): e.id for e in bank.entities.values() for n in e.names}
    for entity in people:
        for name in entity.names:
            key = " ".join(words(name))
            if " " in key or len(key) < FUZZY_MIN_LETTERS:
                continue
            for variant in one_slip_variants(key):
                found = find_entities(variant)
                if variant in exact:
                    assert found == [exact[variant]]
                else:
                    assert found in ([], [entity.id]), (name, variant, found)


def test_each_name_belongs_to_one_entity() -> None:
    seen: dict[str, str] = {}
    for entity in teacher_bank().entities.values():
        for name in entity.names:
            key = " ".join(words(name))
            assert seen.setdefault(key, entity.id) == entity.id, (name, seen[key], entity.id)


def test_unknown_question_names_the_id() -> None:
    with pytest.raises(UnknownQuestion, match="power-nonsense"):
        check("power-nonsense", "Trotsky")


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
    from stalin_course.bank import _bank_files, build_key

    stored = _bank_files().joinpath("key.dat").read_bytes()
    assert stored == build_key(), "bank/key.dat is stale: run ./run.sh release"


@pytest.mark.parametrize(
    ("qid", "answer", "score"),
    [
        ("nkvd-yezhov", "It was not Yagoda, it was Yezhov", 1.0),
        ("nkvd-yezhov", "Not Yezhov, Yagoda", 0.0),
        ("nkvd-yezhov", "I don't think it was Yezhov", 0.0),
        ("military-army-commanders", "13/15", 1.0),
        ("military-army-commanders", "13 out of the 15", 1.0),
        ("military-admirals", "eight out of nine", 1.0),
        ("military-admirals", "8 or 9", 0.0),
        ("military-officers", "about 35,000 in 1937-38", 1.0),
        ("military-officers", "between 30k and 40k", 1.0),
        ("military-officers", "20,000", 0.0),
        ("power-order", "Lenin, Trotsky, Zinoviev, Bukharin", 1.0),
        ("power-order", "Lenin, Zinoviev, Trotsky, Bukharin", 0.0),
        ("nkvd-chiefs-order", "Yagoda then Yezhov then Beria", 1.0),
        ("nkvd-chiefs-order", "Yezhov, Yagoda, Beria", 0.0),
        ("terror-years", "1937", 0.0),
        ("terror-years", "from nineteen thirty-six to nineteen thirty-eight", 1.0),
    ],
)
def test_hedges_negations_totals_and_orders(qid: str, answer: str, score: float) -> None:
    assert check(qid, answer).score == score


@pytest.mark.parametrize("qid", sorted(teacher_bank().questions))
def test_python_pasted_into_an_answer_earns_nothing(qid: str) -> None:
    """Even with the model wording hidden in a comment or a string, code is not an answer."""
    question = teacher_bank().questions[qid]
    for paste in (
        f"from stalin_course import answers\nanswers.marks = lambda q: 99  # {question.correct}",
        f"print({question.correct!r})",
    ):
        result = check(qid, paste)
        assert (result.score, result.status) == (0.0, "incorrect"), paste
        assert "Python code" in result.feedback


def test_brackets_round_the_whole_answer_keep_the_asides_inside_them() -> None:
    """Found by the property test: unwrapping "(A, B (and C))" must not drop C's brackets."""
    plain = check("terror-trial-1936", "Zinoviev, Kamenev (and Smirnov)").score
    assert plain == 1.0
    assert check("terror-trial-1936", "(Zinoviev, Kamenev (and Smirnov))").score == plain
    assert check("terror-trial-1936", "[(Zinoviev and Kamenev)]").score == 1.0
