"""The sealed key (bank/key.dat) marks exactly as the bank's sources do, and holds no answer.

Students' kernels, and the student edition, check answers with the sealed key only. These
tests compare it with the readable bank on every answer of the answer tables and on
slips of them, compare its fuzzy words and number ranges with the plain rules on random
cases, and look for every accepted answer in the key in every encoding we could think of.
"""

from __future__ import annotations

import base64
import codecs
import json
import random
import sys
import urllib.parse
import zlib
from pathlib import Path

import pytest
from rapidfuzz.distance import OSA

from stalin_course.answer_key import (
    PlainKey,
    SealedKey,
    key_match,
    seal_question,
    seal_word,
)
from stalin_course.bank import Question, load_bank, read_key, teacher_bank
from stalin_course.checking import judge

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

TABLES = Path(__file__).parent / "answer_tables"


def _table_answers() -> dict[str, list[str]]:
    answers: dict[str, list[str]] = {}
    for path in sorted(TABLES.glob("*.toml")):
        for qid, table in tomllib.loads(path.read_text(encoding="utf-8")).items():
            answers[qid] = [
                a for kind in ("accept", "partial", "reject") for a in table.get(kind, [])
            ]
    return answers


def _slips(answer: str, rng: random.Random) -> list[str]:
    """The answer with one letter dropped, swapped, changed or added, and two hedges."""
    out = [f"not {answer}", f"{answer} or maybe Bukharin"]
    if len(answer) > 3:
        i = rng.randrange(len(answer) - 1)
        out += [
            answer[:i] + answer[i + 1 :],
            answer[:i] + answer[i + 1] + answer[i] + answer[i + 2 :],
            answer[:i] + "x" + answer[i + 1 :],
            answer[:i] + "e" + answer[i:],
        ]
    return out


ANSWERS = _table_answers()


@pytest.mark.parametrize("qid", sorted(ANSWERS))
def test_the_sealed_key_marks_as_the_sources_do(qid: str) -> None:
    """Same score, status and feedback from both keys, on the question's own table, the
    other tables' answers and slips of them all (about 2,000 answers per question)."""
    rng = random.Random(qid)
    plain = teacher_bank().questions[qid]
    sealed = load_bank().questions[qid]
    assert isinstance(sealed.key, SealedKey) and isinstance(plain.key, PlainKey)
    others = sorted({a for answers in ANSWERS.values() for a in answers})
    cases = ANSWERS[qid] + rng.sample(others, 150)
    cases += [slip for answer in cases for slip in _slips(answer, rng)]
    for answer in cases:
        assert judge(sealed, answer) == judge(plain, answer), (qid, answer)


def _random_word(rng: random.Random, size: int) -> str:
    return "".join(rng.choice("abcdeilnorstuvy") for _ in range(size))


def _edits(word: str, rng: random.Random) -> list[str]:
    i = rng.randrange(len(word))
    letter = rng.choice("aeiorstx")
    return [
        word,
        word[:i] + word[i + 1 :],
        word[:i] + letter + word[i:],
        word[:i] + letter + word[i + 1 :],
        word[:i] + word[i + 1 : i + 2] + word[i : i + 1] + word[i + 2 :],
        word[: i - 1] + word[i + 1 :] if i else word[1:],  # two letters gone
        word + "ly",
        word[:3],
    ]


def test_sealed_words_forgive_exactly_the_slips_plain_words_do() -> None:
    """Exact words, 7+-letter words (one slip) and stems, against thousands of edits."""
    rng = random.Random(1)
    checked = 0
    for _ in range(700):
        word = _random_word(rng, rng.randrange(3, 12))
        for want in (word, word + "*"):
            sealed = seal_word(want, "salt")
            for got in _edits(word, rng) + _edits(_random_word(rng, len(word)), rng):
                assert key_match(sealed, got, "salt") == key_match(want, got, "salt"), (want, got)
                checked += 1
    assert checked > 10_000
    # the plain rule is the OSA distance: a sanity check of the cases above
    assert key_match("collectivisation", "colectivisation", "s") and OSA.distance("ab", "ba") == 1


def test_sealed_number_ranges_hold_exactly_the_numbers_in_range() -> None:
    rng = random.Random(2)
    for _ in range(300):
        low = rng.choice([rng.randrange(0, 100), rng.randrange(1000, 3_000_000)])
        high = low + rng.choice([0, 1, 2, rng.randrange(0, 50_000)])
        question = Question("n", "How many?", "number", 1, "", "Yes.", low=low, high=high)
        plain = PlainKey(question)
        sealed = SealedKey("n", seal_question(question, {}))
        probes = [low - 1, low, high, high + 1, low - 1.5, high + 1.5, (low + high) / 2]
        probes += [rng.uniform(low - 10, high + 10) for _ in range(10)]
        for value in probes:
            for share in (False, True):
                assert sealed.in_range(value, share) == plain.in_range(value, share), (
                    low, high, value, share,
                )  # fmt: skip


def _forms(text: str) -> set[str]:
    """``text`` in the encodings a curious student might try."""
    raw = text.encode("utf-8")
    forms = {text, text.lower(), text.upper(), text[::-1], codecs.encode(text, "rot13")}
    forms |= {base64.b64encode(raw).decode(), base64.b32encode(raw).decode(), raw.hex()}
    forms |= {urllib.parse.quote(text), json.dumps(text)[1:-1], text.replace(" ", "")}
    forms |= {base64.b64encode(zlib.compress(raw)).decode()}
    return {f for f in forms if len(f) >= 4}


def _accepted(qid: str) -> set[str]:
    """Everything that would give away the answer to ``qid``."""
    bank = teacher_bank()
    question = bank.questions[qid]
    found: set[str] = set()
    for entity in (*question.accept, *question.accept_any):
        found |= {entity, *bank.entities[entity].names}
    for number in (question.value, question.low, question.high):
        if number is not None:
            found |= {str(number), f"{number:,}"}
    for pair in question.ranges:
        found |= {f"{pair[0]}-{pair[1]}", f"{pair[0]}–{pair[1]}"}
    if question.letters:
        found |= {question.letters, " ".join(question.letters)}
    for phrase in (*(p for ps in question.groups.values() for p in ps), *question.contrary):
        found |= {w.rstrip("*") for w in phrase.split() if len(w.rstrip("*")) >= 5}
        found.add(phrase)
    found |= {question.correct, question.partial, *question.named.values()}
    found |= {
        " ".join(question.correct.split()[i : i + 3]) for i in range(len(question.correct.split()))
    }
    return {f for f in found if len(f) >= 4}


#: The sealed record's own field names (``e``: a word's hashes, ``m``/``k``: a sealed
#: message and its keys, ``g``: a phrase's sealed group, ``n``/``f``: stem size, fuzzy).
SCHEMA = {"hashes", "correct", "partial", "named", "phrases", "contrary", "not_about",
          "w", "g", "e", "n", "f", "m", "k"}  # fmt: skip


def _leaves(item: object) -> list[str]:
    """Every value and every non-schema key in a sealed record, as text."""
    if isinstance(item, dict):
        return [t for k, v in item.items() for t in ([] if k in SCHEMA else [k]) + _leaves(v)]
    if isinstance(item, list):
        return [t for v in item for t in _leaves(v)]
    return [str(item)]


@pytest.mark.parametrize("qid", sorted(teacher_bank().questions))
def test_no_accepted_answer_is_in_the_key_in_any_encoding(qid: str) -> None:
    """The question's sealed record, less what the student sees anyway (its wording and
    hint), holds none of its accepted names, numbers, orders, phrases or messages."""
    record = dict(read_key()["questions"][qid])
    public = " ".join(str(record.pop(field)) for field in ("question", "hint"))
    for field in ("kind", "points", "parts", "need", "letters"):  # counts and shape only
        assert isinstance(record.pop(field, 0), int | str)
    hidden = " ".join(_leaves(record))
    for secret in _accepted(qid):
        for form in _forms(secret):
            if form.lower() in public.lower():
                continue  # the question's own words say it (e.g. a word of the hint)
            assert form not in hidden, (qid, secret, form)
            assert form.lower() not in hidden.lower() or len(form) < 6, (qid, secret, form)


def test_the_key_file_reads_as_noise() -> None:
    """The file itself, and the data in it, name no answer at a glance."""
    from stalin_course.bank import _bank_files

    blob = _bank_files().joinpath("key.dat").read_bytes().lower()
    for name in (b"trotsky", b"general secretary", b"1929", b"bukharin", b"permanent"):
        assert name not in blob
    data = read_key()
    assert set(data) == {"version", "entities", "questions", "vocabulary"}
    assert all(len(h) == 12 for h in data["vocabulary"])  # hashes, not words


@pytest.mark.parametrize("qid", sorted(teacher_bank().questions))
def test_sealed_feedback_opens_only_with_the_answer(qid: str) -> None:
    """A question's 'correct' message opens for its accepted answer, never for nothing
    or for a wrong entity; a wrong name's explanation opens only for that name."""
    sealed = load_bank().questions[qid].key
    plain = teacher_bank().questions[qid]
    assert sealed.correct(()) is None
    assert sealed.correct(["stalin-is-not-an-entity"]) is None
    accepted = ANSWERS[qid][0]
    assert judge(load_bank().questions[qid], accepted).feedback == plain.correct
    for entity, text in plain.named.items():
        assert sealed.named(entity) == text
        assert sealed.named(entity + "x") is None


def test_a_sealed_question_has_no_readable_answer_fields() -> None:
    for question in load_bank().questions.values():
        assert not (question.accept or question.accept_any or question.groups), question.id
        assert question.value is None and question.low is None and not question.letters
        assert question.correct == "" and not question.named, question.id
