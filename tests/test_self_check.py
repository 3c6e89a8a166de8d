"""The students' coverage self-check (lesson 10): only their own points, honestly worded,
from a sealed file that gives away none of the teacher's list.

Found by an examiner's review: the old check listed every key point of the paper's mark
scheme for an empty box, and ticked "a link between the two reasons" and "a supported
judgement" for the answer "Both. Therefore.".
"""

from __future__ import annotations

import base64
import importlib
import json
import zlib

import pytest

from stalin_course.exam import content
from stalin_course.exam.coverage import (
    ONLY_WORDS,
    build_self_check,
    self_check,
    self_check_questions,
)
from stalin_course.exam.papers import set_paper_questions

#: the module (``stalin_course.exam.coverage`` is also the name of its teacher function)
coverage = importlib.import_module("stalin_course.exam.coverage")
QUESTIONS = sorted(set(content.load_indicative()) - set_paper_questions())


def _probes(question_id: str) -> list[str]:
    """Answers made of each idea's own words, one idea at a time and all together."""
    ideas = content.load_indicative()[question_id].ideas
    single = [f"I think {phrase.rstrip('*')} mattered." for i in ideas for phrase in i.phrases]
    return [*single, " ".join(single), "Both. Therefore.", "It was not planned at all."]


def test_the_sealed_file_is_fresh() -> None:
    path = coverage._self_check_path()
    assert path.read_bytes() == build_self_check(), "run: python -m stalin_course build-key"


def test_every_question_with_a_list_has_a_self_check_except_on_papers_the_teacher_marks() -> None:
    assert sorted(self_check_questions()) == QUESTIONS
    assert set_paper_questions() & set(content.load_indicative())  # the teacher still has them
    for question_id in set_paper_questions():
        with pytest.raises(KeyError):
            coverage.self_check(question_id, "NKVD informers quotas 00447 Glavlit Ryutin")


@pytest.mark.parametrize("question_id", QUESTIONS)
def test_it_names_exactly_the_points_the_answer_mentions(question_id: str) -> None:
    for answer in _probes(question_id):
        teacher = [
            (idea.kind, idea.label)
            for idea in coverage.coverage(question_id, answer).found
            if idea.kind != "structure"
        ]
        assert sorted(self_check(question_id, answer).found) == sorted(teacher), answer


@pytest.mark.parametrize("question_id", QUESTIONS)
def test_it_never_lists_what_is_missing_or_claims_a_link_or_judgement(question_id: str) -> None:
    empty = self_check(question_id, "").report()
    assert "•" not in empty and "first" in empty
    bare = self_check(question_id, "Both. Therefore. In conclusion, overall.")
    assert bare.found == () and ONLY_WORDS in bare.report()
    structure = [i.label for i in content.load_indicative()[question_id].ideas
                 if i.kind == "structure"]  # fmt: skip
    everything = self_check(question_id, _probes(question_id)[-4]).report()
    assert not [label for label in structure if label in everything]
    assert "could add" not in everything.lower()


def test_the_file_holds_no_label_or_phrase() -> None:
    blob = coverage._self_check_path().read_bytes()
    text = zlib.decompress(base64.b64decode(blob)).decode("utf-8").lower()
    data = json.loads(text)
    questions = " ".join(record["question"] for record in data["questions"].values())
    for question_id in QUESTIONS:
        for idea in content.load_indicative()[question_id].ideas:
            assert idea.label.lower() not in text, idea.label
            for phrase in idea.phrases:
                word = phrase.rstrip("*").lower()
                if len(word) >= 5 and word not in questions:  # a question's own words are shown
                    assert f'"{word}"' not in text, (question_id, word)
                    encoded = base64.b64encode(word.encode()).decode().lower()
                    assert encoded not in text, (question_id, word)
