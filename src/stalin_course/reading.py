"""Read a short answer the way a teacher does: which names, years and numbers it offers
as its answer, and which it only mentions.

An answer is split into tokens, sentences and clauses. Each *candidate* (a known name,
an unknown proper noun, a number, a year or a range of years) gets a role:

- ``asserted``: offered as the answer ("It was Yezhov", "Kirov or Kuibyshev");
- ``context``: said about the answer, not as it ("Yezhov, Yagoda's successor",
  "1929, after the grain crisis of 1928", "8 (that is 89 %)", "50 out of 57");
- ``negated``: denied or excluded ("not 1924", "anyone but Trotsky").

Asserted candidates that are joined by "and", "or" or commas form a *list*. The checker
(:mod:`stalin_course.checking`) marks the answer's list; other asserted lists in the
same sentence make the reading uncertain.

Everything here is about words, not about any question: the caller says which
candidates count and which are right.

>>> [(c.value, c.role) for c in read("Yezhov, Yagoda's successor").candidates]
[('yezhov', 'asserted'), ('yagoda', 'context')]
>>> [(c.value, c.role) for c in read("1929, after the grain crisis of 1928").candidates]
[(1929, 'asserted'), (1928, 'context')]
>>> [(c.value, c.role) for c in read("anyone but Trotsky").candidates]
[('trotsky', 'negated')]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .normalise import clean_for_reading, spell, word_numbers

__all__ = ["Candidate", "Reading", "Token", "negated", "read", "tokenise"]

#: How far back (in tokens) a context word ("after", "who") reaches.
CONTEXT_REACH = 12

#: Words that deny what follows them in the same clause.
NEGATIONS = frozenset(
    {
        "not", "no", "never", "nt", "t", "cannot", "neither", "nor", "hardly", "without",
        "isnt", "wasnt", "werent", "didnt", "dont", "doesnt", "aint", "cant", "couldnt",
        "wouldnt", "hasnt", "havent", "hadnt", "wont", "shouldnt", "nobody", "none",
        "nothing",
    }
)  # fmt: skip

#: "I don't think it was ...": a denial that covers the whole clause.
_DOUBTING = frozenset({"think", "believe", "reckon", "suppose", "guess", "know"})

#: "anyone but X", "all except X", "apart from X": X is left out.
_EXCLUDERS = ("except", "excluding", "besides", "apart from", "other than", "aside from",
              "bar", "barring", "save for", "minus")  # fmt: skip
_ALL_WORDS = frozenset(
    {"anyone", "anybody", "everyone", "everybody", "anything", "everything", "all",
     "any", "every", "someone", "somebody", "nobody", "none", "each", "one"}
)  # fmt: skip

#: After these, the rest of the clause is said about the answer, not as it.
_CONTEXT_WORDS = (
    "after", "before", "until", "till", "since", "following", "against", "unlike",
    "than", "instead of", "rather than", "in place of", "replacing", "replaced",
    "replace", "succeeded", "succeeding", "successor", "predecessor", "versus", "vs",
    "in contrast to", "as opposed to", "opposed", "opposing", "beat", "beating",
    "defeated", "defeating", "over", "from", "by", "because", "due to", "thanks to",
    "as", "so", "while", "whereas", "although", "though", "like", "during",
    "compared", "compared to", "compared with", "including", "via", "with", "alongside",
    "backed by", "supported by", "helped by", "joined by", "under", "ahead of", "behind",
    "followed by", "next to", "beside",
)  # fmt: skip

#: Context words that need an answer before them ("known as X", "by 1929", "teamed up
#: with Zinoviev" give the answer; "Bukharin, with Rykov" adds to it).
_WHEN_ANSWERED = frozenset(
    {"as", "so", "by", "from", "over", "like", "during", "with", "alongside", "joined by",
     "under", "including", "via", "backed by", "supported by", "helped by"}
)  # fmt: skip

#: A clause after an answer that starts with one of these describes the answer.
_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "their", "its"})

#: "... was X", "... called X": what follows is said to be the thing asked about.
_COPULAS = frozenset({"was", "is", "were", "are", "called", "named"})

#: ... and of those, these give the answer after a verb ("joined with X", "praised as X").
_AFTER_A_VERB = frozenset({"with", "as", "like", "alongside", "including"})

#: After an answer, these begin a clause about it ("Yezhov, who replaced Yagoda").
_RELATIVE = frozenset({"who", "whom", "whose", "which", "that", "where", "when", "whereby"})

#: A later candidate with one of these before it is offered as another answer.
_HEDGES = ("or", "maybe", "perhaps", "possibly", "probably", "either", "might", "could",
           "also", "too", "as well", "or else", "and or", "alternatively", "otherwise",
           "unless", "not sure")  # fmt: skip

#: A later list after one of these replaces what came before ("Yagoda, no wait, Yezhov").
_CORRECTIONS = ("actually", "i mean", "i meant", "sorry", "correction", "no wait", "wait",
                "scratch that", "on second thought", "my answer is", "final answer",
                "the answer is", "answer is", "answer")  # fmt: skip

#: A sentence that starts with one of these gives the answer a long answer leads up to.
_CONCLUSIONS = ("so", "therefore", "thus", "hence", "in conclusion", "overall", "to sum up",
                "in the end", "in short", "to answer", "my answer", "the answer", "i think",
                "i reckon", "i believe", "i guess", "basically", "that means", "all in all",
                "in summary", "to conclude", "which means")  # fmt: skip

#: Between two candidates, only these words: the two are one list.
_JOINERS = frozenset(
    {",", "/", "&", "+", "-", "and", "or", "nor", "then", "plus", "also",
     "as", "well", "maybe", "perhaps", "possibly", "either", "both", "the",
     "a", "an", "mr", "comrade", "leader", "leaders", "too", "later", "finally", "lastly",
     "first", "second", "next", "eventually", "think", "i", "or.", "it", "was", "is",
     "probably", "else", "another", "one"}
)  # fmt: skip

_CLAUSE_STARTERS = frozenset(
    {"but", "however", "yet", "whereas", "so", "because", "although", "though", "while",
     "cos", "coz", "since", "therefore", "thus", "hence"}
)  # fmt: skip
#: A full stop after these ends a short form, not a sentence ("L. Trotsky", "Gen. Sec.").
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "dr", "st", "gen", "sec", "no", "vs", "cmdr", "col", "lt", "capt", "approx",
     "c", "ca", "eg", "ie", "etc", "comm", "cttee"}
)  # fmt: skip
_BREAKS = frozenset({",", ";", ":", "(", ")", "[", "]", "!", "?", ".", "\n", "-"})
_SENTENCE_ENDS = frozenset({".", "!", "?", ";", "\n"})


def _words_outside(raw: list[tuple]) -> int:
    """How many words and numbers stand outside every bracket."""
    count = level = 0
    for value, kind, *_ in raw:
        level += value in ("(", "[")
        level -= value in (")", "]") and level > 0
        count += kind != "mark" and level == 0
    return count


def _unwrapped(raw: list[tuple]) -> list[tuple]:
    """The tokens without the outermost brackets, which wrap the whole answer; brackets
    inside them keep their meaning ("(A, B (and C))" reads as "A, B (and C)")."""
    kept, level = [], 0
    for item in raw:
        if item[0] in ("(", "["):
            level += 1
            if level == 1:
                continue
        elif item[0] in (")", "]") and level > 0:
            level -= 1
            if level == 0:
                continue
        kept.append(item)
    return kept


@dataclass(frozen=True)
class Token:
    """One word, number or mark of an answer."""

    text: str  # lower-case word (British spelling), digits, or a punctuation mark
    kind: str  # word | number | mark
    capital: bool = False  # written with a capital letter
    initial: bool = False  # first word of its sentence
    possessive: bool = False  # followed by 's
    depth: int = 0  # how many brackets it is inside
    sentence: int = 0
    clause: int = 0


@dataclass(frozen=True)
class Candidate:
    """A name, number, year or range of years found in an answer, and its role."""

    kind: str  # entity | name | number | year | range | share
    value: object  # entity id, lower-case name, int, or (first, last)
    start: int  # index of its first token
    end: int  # index after its last token
    role: str = "asserted"  # asserted | context | negated
    unit: str = ""  # "%" for percentages and shares
    hedged: bool = False  # a hedge word ("or", "maybe") stands just before it
    corrected: bool = False  # a correction ("actually") stands before it
    cued: bool = False  # "it was", "called" stands just before it


@dataclass
class Reading:
    """An answer read into tokens and candidates."""

    tokens: list[Token]
    candidates: list[Candidate] = field(default_factory=list)

    def words_between(self, a: Candidate, b: Candidate) -> list[str]:
        """The tokens between two candidates (a before b)."""
        return [t.text for t in self.tokens[a.end : b.start]]

    def joined(self, a: Candidate, b: Candidate) -> bool:
        """True when ``b`` is listed with ``a`` ("A and B", "A, B or C")."""
        span = [t for t in self.tokens[a.end : b.start] if t.depth == 0 and t.text not in "()[]"]
        while span and (span[-1].capital or span[-1].text == "." or len(span[-1].text) == 1) \
                and span[-1].text not in _JOINERS - {"."}:  # fmt: skip
            span.pop()  # "& Lev Kamenev", "and L. Kamenev": a first name or initial
        between = [t.text for t in span]
        if len(between) > 4 or any(
            self.tokens[i].sentence != self.tokens[a.start].sentence for i in range(a.start, b.end)
        ):
            return False
        return all(word in _JOINERS for word in between)

    def or_linked(self, candidate: Candidate, others: list[Candidate]) -> bool:
        """True when "or" joins ``candidate`` to one of ``others`` in a list."""
        for other in others:
            a, b = sorted((candidate, other), key=lambda c: c.start)
            if a is not b and self.joined(a, b) and "or" in self.words_between(a, b):
                return True
        return False

    def sentence_of(self, candidate: Candidate) -> int:
        """The number of the sentence a candidate is in."""
        return self.tokens[candidate.start].sentence

    def sentence_words(self, sentence: int) -> list[str]:
        """The words (no marks) of one sentence."""
        return [t.text for t in self.tokens if t.sentence == sentence and t.kind != "mark"]


_TOKEN = re.compile(
    r"(?P<ordinal>\d+(?:st|nd|rd|th)(?![A-Za-z]))|(?P<number>\d+(?:\.\d+)?)|(?P<word>[A-Za-z]+)|(?P<apostrophe>')|(?P<mark>[^\sA-Za-z0-9'])"
    r"|(?P<newline>\n)"
)


def _closing(text: str, start: int) -> bool:
    """True when the apostrophe at ``start`` sits right after a word, a number or a closing mark."""
    return start > 0 and (text[start - 1].isalnum() or text[start - 1] in "%.!?)")


def _closes_later(text: str, matches: list[re.Match[str]], index: int) -> bool:
    """True when a later apostrophe closes a quote opened at matches[index] ("'25'")."""
    for later in matches[index + 1 :]:
        if later.lastgroup != "apostrophe":
            continue
        start, end = later.start(), later.end()
        if _closing(text, start) and (end >= len(text) or not text[end].isalnum()):
            return True
    return False


def tokenise(text: str) -> list[Token]:
    """Split an answer into tokens with their sentence and clause numbers."""
    text = clean_for_reading(text)
    raw: list[tuple[str, str, bool, bool]] = []  # text, kind, capital, possessive
    matches = list(_TOKEN.finditer(text))
    skip = False
    quoted = False
    for index, match in enumerate(matches):
        if skip:
            skip = False
            continue
        kind = match.lastgroup
        value = match.group()
        following = matches[index + 1] if index + 1 < len(matches) else None
        if kind == "apostrophe":
            # 's after a word marks it possessive; "s'" too (unless it closes a quote);
            # an apostrophe before digits shortens a year ('37).
            glued = match.start() > 0 and text[match.start() - 1].isalpha()
            if raw and raw[-1][1] == "word" and following is not None and glued:
                if following.group().lower() == "s" and following.start() == match.end() \
                        and not (following.end() < len(text) and text[following.end()].isalpha()):  # fmt: skip
                    raw[-1] = (*raw[-1][:3], True)
                    skip = True
                    continue
            if (
                not glued
                and following is not None
                and (
                    following.lastgroup == "word"
                    or (following.lastgroup == "number" and _closes_later(text, matches, index))
                )
            ):
                quoted = True  # an opening quote: 'Trotsky', '25'
                continue
            if quoted and _closing(text, match.start()):
                quoted = False
                continue
            if raw and raw[-1][1] == "word" and raw[-1][0].endswith("s") and glued:
                raw[-1] = (*raw[-1][:3], True)
            if following is not None and following.lastgroup == "number":
                raw.append(("'", "mark", False, False))
            continue
        if kind == "word":
            raw.append((spell(value.lower()), "word", value[0].isupper(), False))
        elif kind == "number":
            raw.append((value, "number", False, False))
        elif kind == "ordinal":
            raw.append((value.lower(), "word", False, False))
        elif kind == "newline":
            continue  # a line break is only a space: "People's\nCommissariat" is one name
        else:
            raw.append((value, "mark", False, False))
    while not _words_outside(raw) and any(r[0] in "([" for r in raw):
        raw = _unwrapped(raw)  # "(the state)": an answer all in brackets is still the answer
    tokens: list[Token] = []
    depth = sentence = clause = 0
    start_of_sentence = True
    for value, kind, capital, possessive in raw:
        if value in ("(", "["):
            depth += 1
            clause += 1
        elif value in _CLAUSE_STARTERS and kind == "word":
            clause += 1
        tokens.append(
            Token(
                value,
                kind,
                capital,
                start_of_sentence and kind == "word",
                possessive,
                depth,
                sentence,
                clause,
            )  # fmt: skip
        )
        if value in (")", "]"):
            depth = max(0, depth - 1)
            clause += 1
        if kind == "word":
            start_of_sentence = False
        abbreviation = (
            value == "." and tokens[-2:-1] != []
            and tokens[-2].kind == "word"
            and ((len(tokens[-2].text) == 1) or tokens[-2].text in _ABBREVIATIONS)
        )  # fmt: skip
        if value in _SENTENCE_ENDS and depth == 0 and not abbreviation:
            sentence += 1
            clause += 1
            start_of_sentence = True
        elif value in _BREAKS and not abbreviation:
            clause += 1
    return tokens


@lru_cache(maxsize=64)
def _by_last_word(phrases: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Phrases grouped by their last word, to look up what may end at a token."""
    table: dict[str, list[str]] = {}
    for phrase in phrases:
        table.setdefault(phrase.split()[-1], []).append(phrase)
    return {word: tuple(found) for word, found in table.items()}


def _phrase_ending(tokens: list[Token], i: int, phrases: tuple[str, ...]) -> str | None:
    """The phrase of ``phrases`` that ends at tokens[i], if any."""
    for phrase in _by_last_word(phrases).get(tokens[i].text, ()):
        size = len(phrase.split())
        if i - size + 1 >= 0 and _phrase_at(tokens, i - size + 1, phrase):
            return phrase
    return None


def _phrase_at(tokens: list[Token], at: int, phrase: str) -> bool:
    parts = phrase.split()
    return all(at + i < len(tokens) and tokens[at + i].text == part for i, part in enumerate(parts))


def _ends_before(tokens: list[Token], at: int, phrases: Iterable[str], reach: int) -> bool:
    """True when one of ``phrases`` ends within ``reach`` tokens before ``at``, in the
    same clause."""
    clause = tokens[at].clause if at < len(tokens) else None
    for back in range(1, reach + 1):
        start = at - back
        if start < 0 or tokens[start].clause != clause:
            if start >= 0 and tokens[start].text in (",", "(") and back == 1:
                # "Trotsky, or Zinoviev": a hedge word right after a comma still counts
                continue
            break
        if _phrase_ending(tokens, at - back, tuple(phrases)) is not None:
            return True
    return False


def negated(tokens: list[Token], at: int, reach: int = 6) -> bool:
    """Whether the token at ``at`` is denied or left out by a word before it in its clause
    ("not", "never", "anyone but", "except"); "no one but X" means only X."""
    clause = tokens[at].clause
    for back in range(1, CONTEXT_REACH * 2):
        i = at - back
        if i < 0 or tokens[i].clause != clause:
            return False
        word = tokens[i].text
        if back > reach:  # far back, only "I don't think ..." still reaches
            if word in NEGATIONS and i + 1 < len(tokens) and tokens[i + 1].text in _DOUBTING:
                return True
            if word in ("doubt", "doubtful"):
                return True
            continue
        if word in NEGATIONS and not (
            word == "no" and i + 1 < at and tokens[i + 1].text == "doubt"
        ):
            return True
        for phrase in _EXCLUDERS:
            if _phrase_at(tokens, i, phrase):
                return True
        if word == "but" and i > 0 and tokens[i - 1].text in _ALL_WORDS:
            only = tokens[i - 1].text in ("nobody", "none") or (
                i > 1 and tokens[i - 2].text == "no" and tokens[i - 1].text == "one"
            )
            return not only
    return False


def _context(tokens: list[Token], start: int, end: int, answered: bool) -> bool:
    """Whether the candidate at tokens[start:end] is said about an answer, not as one."""
    token = tokens[start]
    if tokens[end - 1].possessive:
        return True
    if token.depth > 0:
        return not _ends_before(tokens, start, ("or", "maybe", "perhaps", "possibly"), 3)
    clause = token.clause
    i = start - 1
    while i >= max(0, start - CONTEXT_REACH) and tokens[i].clause == clause:
        word = tokens[i].text
        if word in _COPULAS and not (i > 0 and tokens[i - 1].text in _RELATIVE):
            return False  # "the man who led it was Yezhov": the answer, after all
        if word in _DETERMINERS and answered and i > 0 and tokens[i - 1].text in (",", "("):
            return True  # "Bukharin, the man Lenin called...": said about the answer
        if word in _RELATIVE and answered:
            return True
        phrase = _phrase_ending(tokens, i, _CONTEXT_WORDS)
        if phrase is not None:
            size = len(phrase.split())
            # "known as X", "by 1929", "joined with X" give the answer, not context
            gives_answer = phrase in _WHEN_ANSWERED and (
                not answered
                or (phrase in _AFTER_A_VERB and i - size >= 0
                    and tokens[i - size].kind == "word" and not tokens[i - size].capital)
            )  # fmt: skip
            if not gives_answer:
                return True
        i -= 1
    return False


def read(
    text: str,
    find_entities: Callable[[list[Token]], list[tuple[int, int, str]]] | None = None,
    is_word: Callable[[str], bool] | None = None,
) -> Reading:
    """Read ``text``: its tokens and candidates, each with a role.

    ``find_entities`` returns (start, end, entity id) spans over the tokens (the bank's
    names); ``is_word`` says whether a lower-case word is ordinary English (so that a
    word that is not, in a name's place, counts as an unknown name).
    """
    if find_entities is None:
        from .checking import entity_spans as find_entities
    if is_word is None:
        from .checking import is_known_word as is_word
    tokens = tokenise(text)
    found: list[Candidate] = []
    taken: set[int] = set()
    for start, end, entity in find_entities(tokens):
        found.append(Candidate("entity", entity, start, end))
        taken.update(range(start, end))
    found += _numbers(tokens, taken)
    for candidate in found:
        taken.update(range(candidate.start, candidate.end))
    for i, token in enumerate(tokens):
        if i in taken or token.kind != "word" or is_word(token.text):
            continue
        if token.capital and not token.initial and len(token.text) > 1:
            found.append(Candidate("name", token.text, i, i + 1))
        elif len(token.text) >= 4 and _beside_list_word(tokens, i):
            found.append(Candidate("name", token.text, i, i + 1))
    found += _alternatives(tokens, found)
    found.sort(key=lambda c: c.start)
    entity_edges = {c.start for c in found if c.kind == "entity"} | {
        c.end for c in found if c.kind == "entity"
    }
    found = [  # "Mikhail Tukhachevsky", "Comrade Kirov": a first name or title of a name
        c for c in found
        if not (c.kind == "name" and (c.end in entity_edges or c.start in entity_edges))
    ]  # fmt: skip
    reading = Reading(tokens)
    answered: set[tuple[str, int]] = set()  # (family, sentence) with an answer so far
    for candidate in found:
        family = "entity" if candidate.kind in ("entity", "name") else "value"
        sentence = tokens[candidate.start].sentence
        if negated(tokens, candidate.start):
            role = "negated"
        elif candidate.role == "context" or _context(
            tokens, candidate.start, candidate.end, (family, sentence) in answered
        ):
            role = "context"
        else:
            role = "asserted"
            answered.add((family, sentence))
        reading.candidates.append(
            replace(
                candidate,
                role=role,
                hedged=_ends_before(tokens, candidate.start, _HEDGES, 3),
                corrected=_ends_before(tokens, candidate.start, _CORRECTIONS, 4)
                or _concludes(tokens, candidate.start),
                cued=_ends_before(
                    tokens, candidate.start, ("was", "is", "called", "named", "known as", "were"), 3
                ),
            )
        )
    denied = {c.value for c in reading.candidates if c.role == "negated"}
    reading.candidates = [
        replace(c, role="context") if c.role == "asserted" and c.value in denied else c
        for c in reading.candidates
    ]
    return reading


def _sentence_start(tokens: list[Token], sentence: int) -> int:
    """The index of the first token of a sentence (a binary search: tokens are in order)."""
    low, high = 0, len(tokens)
    while low < high:
        middle = (low + high) // 2
        if tokens[middle].sentence < sentence:
            low = middle + 1
        else:
            high = middle
    return low


def _concludes(tokens: list[Token], at: int) -> bool:
    """Whether the sentence holding tokens[at] starts with a conclusion ("So it was X")."""
    first = _sentence_start(tokens, tokens[at].sentence)
    if first == 0:
        return False  # the whole answer's first sentence is its answer anyway
    return any(_phrase_at(tokens, first, phrase) for phrase in _CONCLUSIONS)


#: After "or", these do not offer another answer ("1929 or so", "Trotsky or someone").
_OR_FILLERS = frozenset(
    """so something someone somebody whatever thereabouts similar other not anything
    anyone nothing that this like around about roughly close near less more thing stuff
    sth smth summat other maybe perhaps possibly the a an his her their its of""".split()
)


def _alternatives(tokens: list[Token], found: list[Candidate]) -> list[Candidate]:
    """Whatever follows "or" right after a candidate, when no candidate is there: another
    answer in words the bank does not know ("his birthday or his wedding day")."""
    starts = {c.start for c in found}
    ends = {c.end for c in found}
    extra: list[Candidate] = []
    for i, token in enumerate(tokens):
        if token.text != "or" or i not in ends:
            continue
        j = i + 1
        while j < len(tokens) and tokens[j].text in ("maybe", "perhaps", "possibly", "else"):
            j += 1
        if j in starts or j >= len(tokens):
            continue
        span = []
        k = j
        while k < len(tokens) and tokens[k].kind != "mark" and k not in starts and len(span) < 4:
            span.append(tokens[k].text)
            k += 1
        if any(word not in _OR_FILLERS for word in span) and tokens[j].text not in ("not", "so"):
            extra.append(Candidate("name", " ".join(span), j, k))
    return extra


def _beside_list_word(tokens: list[Token], i: int) -> bool:
    """A word right after "or"/"and" or a comma, or right before "or" (a hedge)."""
    before = tokens[i - 1].text if i > 0 else ""
    after = tokens[i + 1].text if i + 1 < len(tokens) else ""
    return before in ("or", "nor") or after == "or"


_SCALES = {"k": 1000, "thousand": 1000, "grand": 1000, "million": 1_000_000,
           "mil": 1_000_000, "mill": 1_000_000, "mn": 1_000_000, "m": 1_000_000,
           "millions": 1_000_000, "thousands": 1000, "billion": 1_000_000_000,
           "bn": 1_000_000_000, "hundred": 100}  # fmt: skip
_FRACTIONS = {"half": 50.0, "halves": 50.0, "third": 100 / 3, "thirds": 100 / 3,
              "quarter": 25.0, "quarters": 25.0, "fifth": 20.0, "fifths": 20.0,
              "sixth": 100 / 6, "tenth": 10.0, "tenths": 10.0, "eighth": 12.5,
              "eighths": 12.5, "ninth": 100 / 9, "ninths": 100 / 9}  # fmt: skip
_NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fourty fifty sixty "
    "seventy eighty ninety hundred thousand million".split()
)
_DIGIT_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine".split())}  # fmt: skip
#: What may follow a year written short ("'37", "'37-'38", "in '37 and '38").
_AFTER_SHORT_YEAR = frozenset(
    {"-", "to", "and", "or", "until", "till", ",", ".", ";", ")", "!", "?", "/"}
)
_DURATIONS = frozenset({"year", "years", "month", "months", "week", "weeks", "day", "days",
                        "decade", "decades", "hour", "hours", "yrs"})  # fmt: skip
_PERCENT = ("%", "percent", "per cent", "pc")
_OUT_OF = ("out of", "of", "/", "in", "from", "outta")


def _number_at(tokens: list[Token], i: int) -> tuple[float, int] | None:
    """A number starting at tokens[i] (digits with a scale, or words): (value, end)."""
    token = tokens[i]
    if token.kind == "number":
        value = float(token.text)
        end = i + 1
        if end < len(tokens) and tokens[end].text in _SCALES and tokens[end].text != "hundred":
            value *= _SCALES[tokens[end].text]
            end += 1
        elif end < len(tokens) and tokens[end].text == "hundred":
            value *= 100
            end += 1
            if end < len(tokens) and tokens[end].text in ("thousand", "k"):
                value *= 1000
                end += 1
        return value, end
    if token.kind == "word" and token.text not in _NUMBER_WORDS and len(token.text) >= 5:
        near = _near_number_word(token.text)
        if near:
            tokens[i] = token = replace(token, text=near)  # "thirten", "eigth"
    if token.text in _NUMBER_WORDS and token.text not in ("hundred", "thousand", "million"):
        end = i
        words: list[str] = []
        while end < len(tokens) and (
            tokens[end].text in _NUMBER_WORDS
            or (tokens[end].text == "and" and words and end + 1 < len(tokens)
                and tokens[end + 1].text in _NUMBER_WORDS)
            or (tokens[end].text == "-" and words and end + 1 < len(tokens)
                and tokens[end + 1].text in _NUMBER_WORDS)
        ):  # fmt: skip
            if tokens[end].text != "-":
                words.append(tokens[end].text)
            end += 1
        values = word_numbers(words)
        if values:
            value = float(values[0])
            # "two point three million"
            if end + 1 < len(tokens) and tokens[end].text == "point" and \
                    tokens[end + 1].text in _DIGIT_WORDS:  # fmt: skip
                value += _DIGIT_WORDS[tokens[end + 1].text] / 10
                end += 2
                if end < len(tokens) and tokens[end].text in _SCALES:
                    value *= _SCALES[tokens[end].text]
                    end += 1
            return value, end
    if (
        token.text in ("a", "one")
        and i + 1 < len(tokens)
        and tokens[i + 1].text in ("million", "thousand", "hundred")
    ):
        return float(_SCALES[tokens[i + 1].text]), i + 2
    return None


@lru_cache(maxsize=4096)
def _near_number_word(word: str) -> str | None:
    """The number word ``word`` is one slip from ("thirten", "eigth"), if only one."""
    from rapidfuzz.distance import OSA

    near = [w for w in _NUMBER_WORDS if len(w) >= 5 and OSA.distance(word, w) <= 1]
    return near[0] if len(near) == 1 else None


def _numbers(tokens: list[Token], taken: set[int]) -> list[Candidate]:
    """Numbers, years, ranges of years and shares in the tokens."""
    found: list[Candidate] = []
    i = 0
    while i < len(tokens):
        if i in taken:
            i += 1
            continue
        # "'37" and "'37-'38": a year written short
        if tokens[i].text == "'" and i + 1 < len(tokens) and tokens[i + 1].kind == "number" \
                and len(tokens[i + 1].text) == 2 and (
                    i + 2 >= len(tokens) or tokens[i + 2].text in _AFTER_SHORT_YEAR
                ):  # fmt: skip
            tokens[i + 1] = replace(tokens[i + 1], text="19" + tokens[i + 1].text)
            i += 1
            continue
        # "a third", "two thirds", "one in four", "half"
        share = _share_at(tokens, i)
        if share is not None:
            value, end = share
            found.append(Candidate("share", value, i, end, unit="%"))
            i = end
            continue
        number = _number_at(tokens, i)
        if number is None:
            i += 1
            continue
        value, end = number
        is_year = tokens[i].kind == "number" and len(tokens[i].text) == 4 and end == i + 1 \
            and 1800 <= value <= 2000  # fmt: skip
        if is_year:
            last = _year_range_end(tokens, end, int(value))
            if last is not None:
                stop, year = last
                found.append(Candidate("range", (int(value), year), i, stop))
                i = stop
                continue
            found.append(Candidate("year", int(value), i, end))
            i = end
            continue
        unit = ""
        if end < len(tokens) and any(_phrase_at(tokens, end, p) for p in _PERCENT):
            unit = "%"
            end += len(next(p for p in _PERCENT if _phrase_at(tokens, end, p)).split())
        if unit == "" and end < len(tokens) and tokens[end].text in _DURATIONS:
            found.append(Candidate("number", value, i, end + 1, role="context"))
            i = end + 1  # "in those two years": a length of time, not a count
            continue
        found.append(
            Candidate("number", int(value) if value.is_integer() else value, i, end, unit=unit)
        )
        # "13 out of 15", "8/9", "one in three": the total is context; the share is kept
        for phrase in _OUT_OF:
            if _phrase_at(tokens, end, phrase):
                after = end + len(phrase.split())
                if after < len(tokens) and tokens[after].text in ("the", "all"):
                    after += 1
                total = _number_at(tokens, after) if after < len(tokens) else None
                if total is not None and _is_year_token(tokens, after, total):
                    total = None  # "35,000 in 1937": a date, not a total
                if total is not None and 0 < value <= total[0] and unit == "":
                    found.append(Candidate("number", int(total[0]), after, total[1],
                                           role="context"))  # fmt: skip
                    found.append(Candidate("share", 100 * value / total[0], i, total[1],
                                           unit="%", role="context"))  # fmt: skip
                    end = total[1]
                break
        i = end
    return _shared_scales(tokens, _year_lists(tokens, found))


def _year_lists(tokens: list[Token], found: list[Candidate]) -> list[Candidate]:
    """ "1936, 1937 and 1938": three years in a row written as a list are one range."""
    out: list[Candidate] = []
    run: list[Candidate] = []

    def flush() -> None:
        if len(run) >= 3:
            out.append(Candidate("range", (run[0].value, run[-1].value), run[0].start, run[-1].end))
        else:
            out.extend(run)
        run.clear()

    for candidate in found:
        if (
            candidate.kind == "year"
            and run
            and candidate.value == run[-1].value + 1
            and all(t.text in (",", "and") for t in tokens[run[-1].end : candidate.start])
        ):
            run.append(candidate)
            continue
        flush()
        if candidate.kind == "year":
            run.append(candidate)
        else:
            out.append(candidate)
    flush()
    return out


def _shared_scales(tokens: list[Token], found: list[Candidate]) -> list[Candidate]:
    """ "30-40 thousand", "2 or 3 million": the scale word counts for both numbers."""
    out = list(found)
    for index, (a, b) in enumerate(zip(found, found[1:], strict=False)):
        if a.kind != "number" or b.kind != "number" or a.end - a.start != 1:
            continue
        between = [t.text for t in tokens[a.end : b.start]]
        if between not in (["-"], ["to"], ["or"]) or b.end - b.start < 2:
            continue
        scale = tokens[b.end - 1].text
        if (
            scale in _SCALES
            and isinstance(a.value, (int, float))
            and a.value < float(tokens[b.start].text if tokens[b.start].kind == "number" else 0) * 1
        ):
            out[index] = replace(a, value=int(a.value * _SCALES[scale]))
    return out


def _is_year_token(tokens: list[Token], at: int, number: tuple[float, int]) -> bool:
    token = tokens[at]
    return token.kind == "number" and len(token.text) == 4 and number[1] == at + 1 \
        and 1800 <= number[0] <= 2000  # fmt: skip


def _share_at(tokens: list[Token], i: int) -> tuple[float, int] | None:
    word = tokens[i].text
    if word in ("half",) and not (i > 0 and tokens[i - 1].text in _NUMBER_WORDS):
        return 50.0, i + 1
    count = 1.0
    at = i
    if word in ("a", "an", "one"):
        at = i + 1
    else:
        number = _number_at(tokens, i)
        if number is None or tokens[i].kind == "number":
            return None
        count, at = number
    if at < len(tokens) and tokens[at].text in _FRACTIONS:
        return count * _FRACTIONS[tokens[at].text], at + 1
    return None


def _year_range_end(tokens: list[Token], at: int, first: int) -> tuple[int, int] | None:
    """The end of a year range starting with ``first`` just before tokens[at]:
    "-38", "-8", " to 1938", " and 1938", "/38", "-'38"."""
    if at >= len(tokens):
        return None
    link = tokens[at].text
    if link not in ("-", "to", "until", "till", "through", "thru", "and", "/"):
        return None
    j = at + 1
    if j < len(tokens) and tokens[j].text == "'":
        j += 1
    if j >= len(tokens) or tokens[j].kind != "number":
        return None
    digits = tokens[j].text
    if len(digits) == 4:
        last = int(digits)
    elif len(digits) in (1, 2) and link != "and":
        last = first // 10 ** len(digits) * 10 ** len(digits) + int(digits)
    else:
        return None
    if not first < last <= first + 30:
        return None
    return j + 1, last
