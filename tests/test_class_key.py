"""The class key a school server gives students: held-back questions can be answered and
saved, never judged, so no student can test guesses for them; grading refuses it."""

from __future__ import annotations

import base64
import json
import zlib
from pathlib import Path

import pytest
from conftest import ROOT

from stalin_course import bank as bank_module
from stalin_course.bank import BankError, build_key, grading_bank, load_bank, unseal_bank
from stalin_course.checking import judge
from stalin_course.release import held_back

#: One held-back question of each kind the assignments hold back, with a right answer.
RIGHT = {
    "party-membership-peak-year": "1933",
    "party-purge-largest-share": "25%",
}


@pytest.fixture(scope="module")
def class_key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("key") / "key.dat"
    path.write_bytes(build_key(withhold=held_back(ROOT)))
    return path


def _data(path: Path) -> dict:
    return json.loads(zlib.decompress(base64.b64decode(path.read_bytes())))


def test_the_held_back_questions_are_the_ones_whose_check_cell_waits() -> None:
    withheld = held_back(ROOT)
    assert set(RIGHT) <= withheld and len(withheld) >= 20
    assert "power-gensec" not in withheld  # checked at once in the class too


def test_a_held_back_question_keeps_its_text_and_nothing_it_accepts(class_key: Path) -> None:
    full, cut = _data(bank_module._bank_files().joinpath("key.dat")), _data(class_key)
    assert cut["withheld"] == sorted(held_back(ROOT))
    for qid in cut["withheld"]:
        record = cut["questions"][qid]
        assert record["question"] == full["questions"][qid]["question"]
        assert record["hashes"] == [] and record["correct"]["k"] == {} and record["named"] == {}
        assert "phrases" not in record and "partial" not in record
    assert cut["questions"]["power-gensec"] == full["questions"]["power-gensec"]


def test_with_the_class_key_an_answer_is_saved_but_never_right(class_key: Path) -> None:
    cut, full = unseal_bank(_data(class_key)), load_bank()
    for qid, answer in RIGHT.items():
        assert judge(full.questions[qid], answer).status == "correct"
        assert judge(cut.questions[qid], answer).status not in ("correct", "partial")
        assert judge(cut.questions[qid], "").status == "unanswered"
    assert judge(cut.questions["power-gensec"], "General Secretary").status == "correct"


def test_grading_refuses_the_class_key(class_key: Path, monkeypatch) -> None:
    monkeypatch.setenv(bank_module.KEY_ENV, str(class_key))
    load_bank.cache_clear()
    try:
        with pytest.raises(BankError, match="class key"):
            grading_bank()
    finally:
        monkeypatch.delenv(bank_module.KEY_ENV)
        load_bank.cache_clear()
    assert grading_bank() is load_bank()
