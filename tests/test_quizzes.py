"""Every self-check quiz, taken together: it cannot be passed by guessing a pattern.

The widget shuffles each question's options per student and per attempt (seeded, so the
order is reproducible), and the files themselves — which the static, no-widget copy in
each lesson shows in file order — spread the right answer over the positions and do not
make it the longest option.
"""

from __future__ import annotations

from collections import Counter

import pytest

from stalin_course import lessons, widgets
from stalin_course.widgets import kit

QUIZZES = [lesson.quiz for lesson in lessons.LESSONS if lesson.quiz]
QUESTIONS = [question for name in QUIZZES for question in widgets.load_quiz(name)]


def _shown(name: str, seed: object) -> list[tuple[str, ...]]:
    return [item.question.options for item in widgets.quiz(name, seed=seed).items]


@pytest.mark.parametrize("name", QUIZZES)
def test_the_same_seed_gives_the_same_order_and_another_seed_another(name: str) -> None:
    assert _shown(name, "ann:1") == _shown(name, "ann:1")
    orders = {tuple(_shown(name, f"student{n}:1")) for n in range(6)}
    assert len(orders) > 1
    for question, options in zip(widgets.load_quiz(name), _shown(name, 3), strict=True):
        assert sorted(options) == sorted(question.options)  # nothing lost or added


def test_two_showings_in_one_kernel_are_two_attempts_in_new_orders() -> None:
    first, second = kit.quiz_seed("gulag"), kit.quiz_seed("gulag")
    assert first != second and first.split(":")[:2] == second.split(":")[:2]


def test_the_right_answer_is_equally_likely_in_every_position_once_shuffled() -> None:
    """Over 60 attempts at every quiz, each position holds the right answer about as
    often as every other (within 15% of an even share)."""
    for size in {len(q.options) for q in QUESTIONS}:
        counts: Counter[int] = Counter()
        for name in QUIZZES:
            for seed in range(60):
                for item in widgets.quiz(name, seed=seed).items:
                    if len(item.question.options) == size:
                        counts[item.question.options.index(item.question.answer)] += 1
        even = sum(counts.values()) / size
        assert set(counts) == set(range(size))
        assert all(abs(count - even) < 0.15 * even for count in counts.values()), counts


def test_in_file_order_no_position_holds_the_answer_too_often() -> None:
    positions = Counter(q.options.index(q.answer) for q in QUESTIONS)
    assert max(positions.values()) <= 0.35 * len(QUESTIONS), positions
    for name in QUIZZES:
        questions = widgets.load_quiz(name)
        here = Counter(q.options.index(q.answer) for q in questions)
        assert max(here.values()) <= max(2, 0.45 * len(questions)), (name, here)


def test_the_right_answer_is_not_systematically_the_longest_option() -> None:
    longest = [q for q in QUESTIONS if len(q.answer) == max(len(o) for o in q.options)]
    assert len(longest) <= 0.4 * len(QUESTIONS), [q.id for q in longest]


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_a_hint_does_not_give_the_answer_away(question: kit.QuizQuestion) -> None:
    def words(text: str) -> set[str]:
        return {w.strip(".,;:'\"()!?").lower() for w in text.split() if len(w) >= 5}

    telling = words(question.answer) - words(question.question)
    others = set().union(*(words(o) for o in question.options if o != question.answer))
    assert not (telling - others) & words(question.hint), (question.hint, question.answer)
