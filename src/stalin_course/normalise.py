"""Turn a student's plain-text answer into comparable pieces.

Everything here is pure text handling: no knowledge of the questions.

>>> words("It was TROTSKY!")
['it', 'was', 'trotsky']
>>> words("Stalin's rise, organized")
['stalin', 'rise', 'organised']
>>> numbers("about thirty thousand, maybe 30k or 30 000")
[30000, 30000, 30000]
>>> numbers("three of the five")
[3, 5]
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "clean_for_reading",
    "SPELLINGS",
    "clean",
    "numbers",
    "spell",
    "spoken_years",
    "word_numbers",
    "words",
]

#: American (and other) spellings mapped to the British spelling the bank uses.
SPELLINGS: dict[str, str] = {
    "labor": "labour",
    "center": "centre",
    "defense": "defence",
    "offense": "offence",
    "rumor": "rumour",
    "honor": "honour",
    "favor": "favour",
    "favorite": "favourite",
    "color": "colour",
    "program": "programme",
    "traveled": "travelled",
    "enroll": "enrol",
    "enrollment": "enrolment",
    "judgment": "judgement",
    "dekulakization": "dekulakisation",
}

_IZE = re.compile(r"(?<=[a-z]{2})iz(?=e|ed|es|ing|ation|ations|er|ers)")
_YZE = re.compile(r"(?<=[a-z]{2})yz(?=e|ed|es|ing)")
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"})
_QUOTES = str.maketrans({c: "'" for c in "\u2018\u2019\u201b\u2032`\u00b4"})

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}


def _ascii(text: str) -> str:
    """Text in plain ASCII: accents dropped, other scripts transliterated
    ("Троцкий" -> "Trotskii") with unidecode."""
    if text.isascii():
        return text
    from unidecode import unidecode

    text = unicodedata.normalize("NFKC", text)
    return unidecode(text)


#: An apostrophe inside a transliterated name ("Zinov'ev", "Bukharin'") goes; one in
#: "didn't", "they're", "Stalin's" stays.
_NAME_APOSTROPHE = re.compile(r"(?<=[A-Za-z])'(?=[A-Za-z]{2,})(?!(?:ll|re|ve)\b)")


#: A dash with spaces round it, next to a word: a break between two thoughts.
_SPACED_DASH = re.compile(r"(?<=[A-Za-z)\]'\"])\s+-+\s+|\s+-+\s+(?=[A-Za-z(\['\"])")


def clean_for_reading(text: str) -> str:
    """An answer made ready to read word by word, keeping its capital letters: dashes and
    quotes unified, other scripts in Latin letters, thousands separators joined,
    years said in words written as digits.

    >>> clean_for_reading("Zinov’ev, nineteen thirty–six, 30,000")
    'Zinovev, 1936, 30000'
    """
    text = " ".join(_ascii(text.translate(_DASHES).translate(_QUOTES)).split())
    text = _NAME_APOSTROPHE.sub("", text)
    text = _SPACED_DASH.sub("; ", text)
    return spoken_years(_join_digit_groups(text))


def clean(text: str) -> str:
    """Lower-case, strip accents, unify dashes and quotes, drop possessive 's.

    >>> clean("  Stalin\u2019s  Général  ")
    'stalin general'
    """
    text = _ascii(text.translate(_DASHES).translate(_QUOTES)).lower()
    text = re.sub(r"'s\b", "", text)
    return " ".join(text.split())


def spell(word: str) -> str:
    """A word in the British spelling the bank uses ('organized' -> 'organised')."""
    word = SPELLINGS.get(word, word)
    return _YZE.sub("ys", _IZE.sub("is", word))


def words(text: str) -> list[str]:
    """Split an answer into lower-case words (letters and digits), British spelling."""
    return [spell(w) for w in re.findall(r"[a-z0-9]+", clean(text))]


def _join_digit_groups(text: str) -> str:
    """'30,000' and '30 000' -> '30000' (thousands separators)."""
    previous = None
    while previous != text:
        previous = text
        text = re.sub(r"(?<!\d)(\d{1,3})[ ,](\d{3})(?!\d)", r"\1\2", text)
        text = re.sub(r"(\d)[,](\d{3})(?!\d)", r"\1\2", text)
    return text


_DIGITS = re.compile(r"(\d+(?:\.\d+)?)\s*(k|thousand|million|m)?\b")


_SPOKEN_YEAR = re.compile(
    r"\b(eighteen|nineteen) (twenty|thirty|forty|fifty)"
    r"(?:[ -](one|two|three|four|five|six|seven|eight|nine))?\b",
    re.IGNORECASE,
)


def _spoken_year(match: re.Match[str]) -> str:
    century = _UNITS[match.group(1).lower()] * 100
    unit = _UNITS.get((match.group(3) or "zero").lower(), 0)
    return str(century + _TENS[match.group(2).lower()] + unit)


def spoken_years(text: str) -> str:
    """Write years said in words as digits: 'nineteen thirty-six' -> '1936'."""
    if "teen" not in text.lower():
        return text
    return _SPOKEN_YEAR.sub(_spoken_year, re.sub(r"(?<=[a-zA-Z])-(?=[a-zA-Z])", " ", text))


_SHARED_SCALE = re.compile(r"(\d+)\s*(?:-|to)\s*(\d+)\s*(k|thousand|million)\b")


def numbers(text: str) -> list[int]:
    """Every number in the text, written as digits, with 'k', or in words.

    >>> numbers("nineteen twenty-four")
    [1924]
    >>> numbers("30-40 thousand")
    [30000, 40000]
    """
    text = spoken_years(_join_digit_groups(clean(text)))
    text = _SHARED_SCALE.sub(r"\1 \3 to \2 \3", text)
    found: list[int] = []
    for digits, scale in _DIGITS.findall(text):
        value = float(digits)
        if scale in ("k", "thousand"):
            value *= 1000
        elif scale in ("m", "million"):
            value *= 1_000_000
        found.append(int(value))
    return found + word_numbers(re.findall(r"[a-z]+", _DIGITS.sub(" ", text)))


def word_numbers(tokens: list[str]) -> list[int]:
    """Read numbers written in words: 'thirty five thousand' -> 35000."""
    values: list[int] = []
    total = current = 0
    in_number = False
    for token in tokens + ["<end>"]:
        if token in _UNITS or token in _TENS:
            current += _UNITS.get(token, 0) + _TENS.get(token, 0)
            in_number = True
        elif token in _SCALES and in_number:
            if token == "hundred":
                current *= 100
            else:
                total += current * _SCALES[token]
                current = 0
        elif token == "and" and in_number:
            continue
        else:
            if in_number:
                values.append(total + current)
            total = current = 0
            in_number = False
    return values
