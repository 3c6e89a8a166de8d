"""What the checker asks of a question's key, and the sealed key students' kernels read.

The checker (:mod:`stalin_course.checking`) never reads accepted answers directly: it asks
a question's key about what the *student* wrote. Is this entity the answer, a rival or
neutral? Is this number in range? Does this answer word match this word of a phrase? Two
keys answer in the same way:

- :class:`PlainKey` reads a :class:`~stalin_course.bank.Question` built from the bank's
  TOML (the teacher's side, ``build-key``, and questions made in code);
- :class:`SealedKey` reads a record of ``bank/key.dat``, which holds salted hashes of what
  is accepted and never an accepted answer. Feedback that gives an answer away (the
  "correct" message, a wrong name's explanation) is sealed — encrypted — with a key made
  from that answer, so it opens only once the student has written it.

Fuzzy matching works on hashes too. A word that forgives one slip is stored as the hashes
of its one-edit neighbourhood (each one-letter deletion, with and without its position);
an answer word is probed the same way, so one inserted, missing, changed or swapped letter
meets a stored hash exactly where rapidfuzz's OSA distance would be 1. A number range is
stored as the hashes of its aligned binary blocks (a number is in range when the block of
some size that holds it is stored), so no bound can be read off. Reading the key tells you
only what calling ``check()`` with guesses would (``tests/test_answer_key.py``).

>>> word = seal_word("collectivisation", "q")
>>> [key_match(word, w, "q") for w in ("collectivization", "colectivisation", "collective")]
['collectivisation', 'collectivisation', None]
"""

from __future__ import annotations

import base64
import hashlib
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import TYPE_CHECKING, Any

from rapidfuzz.distance import OSA

if TYPE_CHECKING:  # pragma: no cover
    from .bank import Entity, Question

__all__ = [
    "AnswerKey",
    "Phrase",
    "PlainKey",
    "SealedKey",
    "key_match",
    "seal_question",
    "seal_word",
    "sealed_vocabulary",
    "withheld_record",
    "group_secret",
]

_PEPPER = b"stalin-course sealed key v2"
FUZZY_WORD = 7  # a phrase word of 7+ letters forgives one slip
FUZZY_STEM = 8  # a stem of 8+ letters forgives one slip
ROLES = ("key", "neutral", "rival")
_LEVELS = 64  # block sizes up to 2**63: every range a question can hold

#: A phrase word as the checker sees it: a plain string ("purge", "weak*", or "*" for one
#: or two words) or a sealed word (a dict of hashes).
Word = Any


# --- hashes and sealed boxes -------------------------------------------------------------


def _encode(salt: str, parts: Iterable[object]) -> bytes:
    return "\x1f".join([salt, *map(str, parts)]).encode("utf-8")


def digest(salt: str, *parts: object) -> str:
    """A short salted hash of ``parts`` (what an answer's probe is compared with)."""
    raw = hashlib.blake2b(_encode(salt, parts), digest_size=9, key=_PEPPER).digest()
    return base64.b64encode(raw).decode("ascii")


def _box_key(salt: str, parts: Iterable[object]) -> bytes:
    return hashlib.blake2b(_encode(salt, parts), key=_PEPPER + b"box", digest_size=32).digest()


def _xor(data: bytes, key: bytes) -> bytes:
    stream = bytearray()
    for counter in range(0, len(data), 64):
        stream += hashlib.blake2b(counter.to_bytes(8, "big"), key=key, digest_size=64).digest()
    return bytes(a ^ b for a, b in zip(data, stream, strict=False))


def seal(text: str, salt: str, *parts: object) -> str:
    """``text`` encrypted with a key made from ``parts``: it opens only with the parts."""
    key = _box_key(salt, parts)
    body = _xor(text.encode("utf-8"), key)
    return base64.b64encode(hashlib.blake2b(body, key=key, digest_size=6).digest() + body).decode()


def unseal(box: str | None, salt: str, *parts: object) -> str | None:
    """The text sealed in ``box`` with ``parts``, or None when they are not its key."""
    if not box:
        return None
    key = _box_key(salt, parts)
    raw = base64.b64decode(box)
    if hashlib.blake2b(raw[6:], key=key, digest_size=6).digest() != raw[:6]:
        return None
    return _xor(raw[6:], key).decode("utf-8")


# --- words: exact, forgiving one slip, and stems -----------------------------------------


def _drop(word: str, index: int) -> str:
    return word[:index] + word[index + 1 :]


def _neighbourhood(base: str, word: str, salt: str) -> dict[str, str]:
    """Hashes of ``base`` and of its one-letter deletions, each sealing ``word``."""
    entries = {digest(salt, "w", base): seal(word, salt, "w", base)}
    for index in range(len(base)):
        shorter = _drop(base, index)
        entries[digest(salt, "s", shorter)] = seal(word, salt, "s", shorter)
        entries[digest(salt, "d", index, shorter)] = seal(word, salt, "d", index, shorter)
    return entries


@lru_cache(maxsize=65536)
def _probes(got: str, salt: str) -> tuple[tuple[str, tuple[object, ...]], ...]:
    """Every (hash, parts) an answer word can meet in a stored neighbourhood."""
    probes = {("w", got), ("s", got)}  # the same word; the word with a letter missing
    for index in range(len(got)):
        shorter = _drop(got, index)
        probes.add(("w", shorter))  # the answer has a letter too many
        probes.add(("d", index, shorter))  # a letter changed at ``index``
        probes.add(("d", index + 1, shorter))  # letters ``index`` and ``index + 1`` swapped
    return tuple((digest(salt, *parts), parts) for parts in sorted(probes, key=str))


def _near(entries: Mapping[str, str], got: str, salt: str) -> str | None:
    """The stored word within one edit (OSA distance) of ``got``, or None."""
    for hashed, parts in _probes(got, salt):
        box = entries.get(hashed)
        if box is None:
            continue
        if parts[0] == "d" and parts[2] != _drop(got, int(parts[1])):  # type: ignore[call-overload]
            swap = int(parts[1]) - 1  # type: ignore[call-overload]
            if digest(salt, "d", swap, _drop(got, swap + 1)) not in entries:
                continue  # one half of a swap is not enough
        opened = unseal(box, salt, *parts)
        if opened is not None:
            return opened
    return None


def seal_word(word: str, salt: str) -> Word:
    """A phrase word as the sealed key stores it (``*`` stays as it is)."""
    if word == "*":
        return "*"
    if word.endswith("*"):
        stem = word[:-1]
        entries = {digest(salt, "p", stem): seal(word, salt, "p", stem)}
        if len(stem) >= FUZZY_STEM:
            entries.update(_neighbourhood(stem, word, salt))
        return {"n": len(stem), "e": entries}
    if len(word) >= FUZZY_WORD:
        return {"f": 1, "e": _neighbourhood(word, word, salt)}
    return {"e": {digest(salt, "w", word): seal(word, salt, "w", word)}}


def key_match(want: Word, got: str, salt: str) -> str | None:
    """A phrase word (plain or sealed) against an answer word: the word as the key writes
    it (``stem*`` for a stem) when they match, else None. A stem matches any word it
    begins; words of 7+ letters and stems of 8+ forgive one slip."""
    if isinstance(want, str):
        if want.endswith("*"):
            stem = want[:-1]
            near = len(stem) >= FUZZY_STEM and any(
                OSA.distance(got[:size], stem) <= 1 for size in (len(stem) - 1, len(stem) + 1)
            )
            return want if got.startswith(stem) or near else None
        same = got == want or (len(want) >= FUZZY_WORD and OSA.distance(got, want) <= 1)
        return want if same else None
    entries: Mapping[str, str] = want["e"]
    if "n" in want:
        size = int(want["n"])
        if len(got) >= size:
            opened = unseal(entries.get(digest(salt, "p", got[:size])), salt, "p", got[:size])
            if opened is not None:
                return opened
        if size >= FUZZY_STEM:
            for cut in (size - 1, size + 1):
                opened = _near(entries, got[:cut], salt)
                if opened is not None:
                    return opened
        return None
    if want.get("f"):
        return _near(entries, got, salt)
    return unseal(entries.get(digest(salt, "w", got)), salt, "w", got)


# --- number ranges as aligned binary blocks ----------------------------------------------


def _blocks(low: int, high: int) -> list[tuple[int, int]]:
    """The aligned blocks (level, prefix) that exactly cover ``low..high``: block
    (k, p) holds the numbers whose value shifted right by k bits is p."""
    blocks = []
    while low <= high:
        level = 0
        while low % (2 ** (level + 1)) == 0 and low + 2 ** (level + 1) - 1 <= high:
            level += 1
        blocks.append((level, low >> level))
        low += 2**level
    return blocks


def _scaled(value: float, share: bool) -> tuple[int, int] | None:
    """The whole numbers either side of ``value`` (in half-units for a share)."""
    if not math.isfinite(value):
        return None
    value = value * 2 if share else value
    return math.floor(value), math.ceil(value)


# --- the two keys ------------------------------------------------------------------------


@dataclass(frozen=True)
class Phrase:
    """A phrase the checker looks for: its words in order, and how to learn which idea
    (concept group) it belongs to once it has matched."""

    words: tuple[Word, ...]
    group: Callable[[tuple[str, ...]], str | None]


class AnswerKey:
    """What the checker may ask a question's key (see the module's docstring)."""

    salt: str = ""
    parts: int = 1
    letters: str = ""  # an order question's letters, in alphabetical order
    phrases: tuple[Phrase, ...] = ()
    contrary: tuple[Phrase, ...] = ()
    not_about: tuple[Word, ...] = ()

    def role(self, entity: str) -> str | None:  # pragma: no cover - interface
        """``key``, ``neutral``, ``rival`` or None for an entity the answer names."""
        raise NotImplementedError

    def in_range(self, value: float, share: bool = False) -> bool:  # pragma: no cover
        """Whether a number (or a share, read to the nearest whole per cent) is right."""
        raise NotImplementedError

    def is_value(self, value: object) -> bool:  # pragma: no cover
        """Whether a year, a span of years (a pair) or an order of letters is right."""
        raise NotImplementedError

    def correct(self, right: Iterable[object]) -> str | None:  # pragma: no cover
        """The message for a right answer, given the right things it named."""
        raise NotImplementedError

    def partial(self, right: Iterable[object]) -> str | None:  # pragma: no cover
        """The message for a partly right answer, or None for the general one."""
        raise NotImplementedError

    def named(self, entity: str) -> str | None:  # pragma: no cover
        """The explanation for a wrong entity the answer names, if the bank has one."""
        raise NotImplementedError


def _phrase_words(phrase: str) -> tuple[str, ...]:
    from .normalise import words  # a phrase is read as an answer is

    return tuple(
        w for part in phrase.split() for w in ([part] if part.endswith("*") else words(part))
    )


def _fixed(group: str) -> Callable[[tuple[str, ...]], str | None]:
    return lambda _canonical: group


class PlainKey(AnswerKey):
    """The key of a question read from the bank's TOML (or built in code)."""

    def __init__(self, question: Question, entities: Mapping[str, Entity] | None = None):
        self.question = question
        self.salt = question.id
        self.parts = question.need if question.kind == "concepts" else (len(question.accept) or 1)
        self.letters = "".join(sorted(question.letters))
        keys = set(question.accept) | set(question.accept_any)
        rivals: set[str] = set()
        if entities:
            categories = {entities[e].category for e in keys if e in entities}
            rivals = {e.id for e in entities.values() if e.category in categories}
        self.roles = {e: "rival" for e in (rivals | set(question.wrong))}
        self.roles.update({e: "neutral" for e in question.neutral})
        self.roles.update({e: "key" for e in keys})
        self.phrases = tuple(
            Phrase(_phrase_words(p), _fixed(group))
            for group, phrases in question.groups.items()
            for p in phrases
        )
        self.contrary = tuple(
            Phrase(_phrase_words(p), _fixed(f"c{i}")) for i, p in enumerate(question.contrary)
        )
        self.not_about = tuple(question.not_about)

    def role(self, entity: str) -> str | None:
        return self.roles.get(entity)

    def _bounds(self) -> tuple[float, float]:
        q = self.question
        return (q.value, q.value) if q.value is not None else (q.low, q.high)  # type: ignore[return-value]

    def in_range(self, value: float, share: bool = False) -> bool:
        low, high = self._bounds()
        slack = 1.5 if share else 0
        return low - slack <= value <= high + slack

    def is_value(self, value: object) -> bool:
        q = self.question
        if q.kind == "year":
            return value == q.value
        if q.kind == "years":
            return isinstance(value, tuple) and value in q.ranges
        return value == q.letters

    def correct(self, right: Iterable[object]) -> str | None:
        return self.question.correct

    def partial(self, right: Iterable[object]) -> str | None:
        return self.question.partial or None

    def named(self, entity: str) -> str | None:
        return self.question.named.get(entity)


class SealedKey(AnswerKey):
    """The key of a question read from the sealed ``bank/key.dat`` record."""

    def __init__(self, salt: str, record: Mapping[str, Any]):
        self.salt = salt
        self.record = record
        self.parts = int(record["parts"])
        self.letters = record.get("letters", "")
        self.phrases = tuple(self._phrase(p) for p in record.get("phrases", ()))
        self.contrary = tuple(self._phrase(p) for p in record.get("contrary", ()))
        self.not_about = tuple(record.get("not_about", ()))
        self._hashes = frozenset(record.get("hashes", ()))

    def _phrase(self, item: Mapping[str, Any]) -> Phrase:
        box = item["g"]
        return Phrase(tuple(item["w"]), lambda canonical: unseal(box, self.salt, "g", *canonical))

    def role(self, entity: str) -> str | None:
        return next((r for r in ROLES if digest(self.salt, r, entity) in self._hashes), None)

    def _block(self, value: float, share: bool) -> tuple[int, int] | None:
        """The stored block holding ``value``, if it is in range."""
        pair = _scaled(value, share)
        if pair is None:
            return None
        kind = "share" if share else "number"
        found = []
        for whole in pair:
            block = next(
                ((k, whole >> k) for k in range(_LEVELS)
                 if digest(self.salt, kind, k, whole >> k) in self._hashes),
                None,
            )  # fmt: skip
            if block is None:
                return None
            found.append(block)
        return found[0]

    def in_range(self, value: float, share: bool = False) -> bool:
        return self._block(value, share) is not None

    def is_value(self, value: object) -> bool:
        return digest(self.salt, "value", _value_text(value)) in self._hashes

    def _open(self, field: str, proofs: Iterable[tuple[object, ...]]) -> str | None:
        item = self.record.get(field)
        if not item:
            return None
        for proof in proofs:
            message_key = unseal(
                item["k"].get(digest(self.salt, field, *proof)), self.salt, field, *proof
            )
            if message_key is not None:
                return unseal(item["m"], self.salt, "message", message_key)
        return None

    def _proofs(self, right: Iterable[object], size: int) -> list[tuple[object, ...]]:
        items = list(right)
        if items and isinstance(items[0], tuple) and items[0][0] in ("number", "share"):
            blocks = [self._block(float(v), kind == "share") for kind, v in items]  # type: ignore[misc]
            return [(kind, *b) for (kind, _), b in zip(items, blocks, strict=True) if b]  # type: ignore[misc]
        texts = sorted({_value_text(v) for v in items})
        return [tuple(c) for c in combinations(texts, size)]

    def correct(self, right: Iterable[object]) -> str | None:
        return self._open("correct", self._proofs(right, self.parts))

    def partial(self, right: Iterable[object]) -> str | None:
        return self._open("partial", self._proofs(right, 1))

    def named(self, entity: str) -> str | None:
        return unseal(self.record.get("named", {}).get(digest(self.salt, "named", entity)),
                      self.salt, "named", entity)  # fmt: skip


def _value_text(value: object) -> str:
    if isinstance(value, tuple | list):
        return "-".join(map(str, value))
    return str(value)


# --- building the sealed key -------------------------------------------------------------


def _sealed_message(
    text: str, salt: str, field: str, proofs: Iterable[tuple[object, ...]]
) -> dict[str, Any]:
    """``text`` sealed once with a message key, and that key sealed with each proof."""
    message_key = hashlib.blake2b(
        _encode(salt, [field, text]), key=_PEPPER + b"m", digest_size=16
    ).hexdigest()
    return {
        "m": seal(text, salt, "message", message_key),
        "k": {digest(salt, field, *p): seal(message_key, salt, field, *p) for p in proofs},
    }


def group_secret(salt: str, group: str, phrases: Iterable[str]) -> str:
    """The secret a concept group's phrases open once an answer expresses one of them:
    what :func:`seal_question` seals each group with, and other texts may be sealed with."""
    return hashlib.blake2b(
        _encode(salt, ["group", group, *phrases]), key=_PEPPER + b"g", digest_size=12
    ).hexdigest()


def seal_question(question: Question, entities: Mapping[str, Entity]) -> dict[str, Any]:
    """The sealed record of one question: what it asks, in the clear; what it accepts, as
    hashes; what would give the answer away, sealed with that answer."""
    plain = PlainKey(question, entities)
    salt = question.id
    hashes: set[str] = {digest(salt, role, e) for e, role in plain.roles.items()}
    record: dict[str, Any] = {
        "question": question.text, "kind": question.kind, "points": question.points,
        "hint": question.hint, "parts": plain.parts, "need": question.need,
    }  # fmt: skip
    group_keys: dict[str, str] = {}

    def phrase_record(phrase: Phrase, group: str) -> dict[str, Any]:
        canonical = tuple(w for w in phrase.words)
        secret = group_keys.setdefault(
            group, group_secret(salt, group, question.groups.get(group, ()))
        )
        return {"w": [seal_word(w, salt) for w in phrase.words],
                "g": seal(secret, salt, "g", *canonical)}  # fmt: skip

    right: list[tuple[object, ...]] = []
    single: list[tuple[object, ...]] = []
    if question.kind == "entity":
        keys = sorted(e for e, role in plain.roles.items() if role == "key")
        right = [tuple(c) for c in combinations(keys, plain.parts)]
        single = [(e,) for e in keys]
    elif question.kind == "number":
        low, high = plain._bounds()
        for kind, lo, hi in (("number", low, high), ("share", 2 * low - 3, 2 * high + 3)):
            for level, prefix in _blocks(int(lo), int(hi)):
                hashes.add(digest(salt, kind, level, prefix))
                right.append((kind, level, prefix))
    elif question.kind in ("year", "years", "order"):
        values = {
            "year": [question.value],
            "years": list(question.ranges),
            "order": [question.letters],
        }
        for value in values[question.kind]:
            hashes.add(digest(salt, "value", _value_text(value)))
            right.append((_value_text(value),))
        record["letters"] = plain.letters
    elif question.kind == "concepts":
        record["phrases"] = [phrase_record(p, p.group(())) for p in plain.phrases]  # type: ignore[arg-type]
        record["contrary"] = [phrase_record(p, p.group(())) for p in plain.contrary]  # type: ignore[arg-type]
        record["not_about"] = [seal_word(w, salt) for w in plain.not_about]
        secrets = sorted(v for g, v in group_keys.items() if g in question.groups)
        right = [tuple(c) for c in combinations(secrets, plain.parts)]
        single = [(s,) for s in secrets]
    record["hashes"] = sorted(hashes)
    record["correct"] = _sealed_message(question.correct, salt, "correct", right)
    if question.partial:
        record["partial"] = _sealed_message(question.partial, salt, "partial", single)
    record["named"] = {
        digest(salt, "named", e): seal(text, salt, "named", e) for e, text in question.named.items()
    }
    return record


def withheld_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """A sealed record with nothing of what the question accepts: its text, kind, points
    and hint only, so an answer can be saved and never judged right (a class key)."""
    kept = ("question", "kind", "points", "hint", "parts", "need", "letters")
    return {
        **{name: record[name] for name in kept if name in record},
        "hashes": [],
        "correct": {"m": "", "k": {}},
        "named": {},
    }


def sealed_vocabulary(words: Iterable[str]) -> list[str]:
    """The hashes of the ordinary words the course's texts use."""
    return sorted({digest("vocabulary", w) for w in words})


def in_vocabulary(hashes: frozenset[str], word: str) -> bool:
    """Whether ``word`` is one of the words hashed by :func:`sealed_vocabulary`."""
    return digest("vocabulary", word) in hashes
