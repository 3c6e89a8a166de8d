"""The one registry of the course's lessons, read from ``lessons.toml``.

Each lesson has one **slug**, and every file that belongs to it is named by it:

>>> lesson = by_slug("power_struggle")
>>> lesson.number, lesson.notebook, lesson.assignment, lesson.quiz, lesson.bank
(1, '01_power_struggle', '01_power_struggle', 'power_struggle', 'power_struggle')
>>> [lesson.slug for lesson in LESSONS if lesson.timeline][:3]
['power_struggle', 'party_control', 'great_terror']
>>> by_slug("review").assignment is None
True
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "CORE_WORDS_LIMIT",
    "LESSONS",
    "Lesson",
    "TimelineRow",
    "by_slug",
    "core_words",
    "navigation",
    "prose",
    "timeline_sections",
]


@dataclass(frozen=True)
class TimelineRow:
    """How a lesson appears on the review timeline: label, Okabe–Ito colour name, marker."""

    label: str
    colour: str
    marker: str


@dataclass(frozen=True)
class Lesson:
    """One lesson: its number, slug and title, and the names of everything that belongs to it."""

    number: int
    slug: str
    title: str
    data: tuple[str, ...] = ()
    has_quiz: bool = False
    has_bank: bool = False
    has_assignment: bool = False
    more_assignments: tuple[str, ...] = ()
    has_module: bool = False
    has_prose: bool = False
    charts: tuple[str, ...] = ()
    explorers: tuple[str, ...] = ()
    timeline: TimelineRow | None = None

    @property
    def notebook(self) -> str:
        """The lesson's notebook (and assignment folder) name, ``NN_<slug>``."""
        return f"{self.number:02d}_{self.slug}"

    @property
    def assignment(self) -> str | None:
        """The nbgrader assignment's name, or None if the lesson has none."""
        return self.notebook if self.has_assignment else None

    @property
    def assignments(self) -> tuple[str, ...]:
        """Every nbgrader assignment that belongs to the lesson: its own and any others
        (lesson 10's second practice paper)."""
        return ((self.notebook,) if self.has_assignment else ()) + self.more_assignments

    @property
    def quiz(self) -> str | None:
        """The quiz's name (``quizzes/<slug>.toml``), or None."""
        return self.slug if self.has_quiz else None

    @property
    def bank(self) -> str | None:
        """The bank section's name (``bank/<slug>.toml``), or None."""
        return self.slug if self.has_bank else None


def _lesson(raw: dict) -> Lesson:
    row = raw.get("timeline")
    return Lesson(
        number=int(raw["number"]),
        slug=str(raw["slug"]),
        title=str(raw["title"]),
        data=tuple(raw.get("data", ())),
        has_quiz=bool(raw.get("quiz")),
        has_bank=bool(raw.get("bank")),
        has_assignment=bool(raw.get("assignment")),
        more_assignments=tuple(raw.get("more_assignments", ())),
        has_module=bool(raw.get("module")),
        has_prose=bool(raw.get("prose")),
        charts=tuple(raw.get("charts", ())),
        explorers=tuple(raw.get("explorers", ())),
        timeline=TimelineRow(row["label"], row["colour"], row["marker"]) if row else None,
    )


def _read() -> tuple[Lesson, ...]:
    text = (resources.files("stalin_course") / "lessons.toml").read_text(encoding="utf-8")
    lessons = tuple(_lesson(raw) for raw in tomllib.loads(text)["lesson"])
    slugs = [lesson.slug for lesson in lessons]
    if len(set(slugs)) != len(slugs) or [x.number for x in lessons] != list(range(len(lessons))):
        raise ValueError("lessons.toml: slugs must differ and numbers run 0, 1, 2, ...")
    return lessons


#: Every lesson, in order (0 is the start page).
LESSONS: tuple[Lesson, ...] = _read()


def by_slug(slug: str) -> Lesson:
    """The lesson called ``slug``; a KeyError names the slugs there are."""
    for lesson in LESSONS:
        if lesson.slug == slug:
            return lesson
    raise KeyError(f"no lesson called {slug!r}; the lessons are {[x.slug for x in LESSONS]}")


def _link(lesson: Lesson) -> str:
    name = f"Lesson {lesson.number}: {lesson.title}" if lesson.number else lesson.title
    return f"[{name}]({lesson.notebook}.ipynb)"


def navigation(slug: str) -> str:
    """The line that ends every lesson: links to the lessons before and after it.

    >>> print(navigation("gulag"))  # doctest: +ELLIPSIS
    **Previous:** [Lesson 5: The NKVD ...](05_nkvd.ipynb) · **Next:** [Lesson 7: ...](07_censorship.ipynb)
    """
    number = by_slug(slug).number
    parts = []
    if number > 0:
        parts.append(f"**Previous:** {_link(LESSONS[number - 1])}")
    if number + 1 < len(LESSONS):
        parts.append(f"**Next:** {_link(LESSONS[number + 1])}")
    return " · ".join(parts)


def timeline_sections() -> tuple[str, ...]:
    """The slugs of the lessons on the review timeline, in course order."""
    return tuple(lesson.slug for lesson in LESSONS if lesson.timeline)


@cache
def prose(slug: str) -> dict:
    """A lesson's teaching text for its widgets, from ``prose/<slug>.toml``.

    >>> prose("gulag")["series_notes"]["prisons"][:24]
    'People held in prisons ('
    """
    file = resources.files("stalin_course") / "prose" / f"{slug}.toml"
    return tomllib.loads(file.read_text(encoding="utf-8"))


#: The most words of main text a lesson should ask a student to read (detail goes into
#: collapsed "More detail" sections).
CORE_WORDS_LIMIT = 1500
_DETAILS = re.compile(r"<details>.*?</details>", re.S)
_NOT_CORE = ("### The same quiz", "### The same activity", "## Where these facts come from")


def core_words(notebook: Any) -> int:
    """Words of a lesson's main text: its markdown without collapsed ``<details>`` sections,
    the static copy of its quiz or activity, its reading list and its links onward."""
    words = 0
    for cell in notebook.cells:
        if cell.cell_type != "markdown" or cell.source.lstrip().startswith(_NOT_CORE):
            continue
        text = _DETAILS.sub(" ", cell.source)
        text = re.sub(r"\*\*(Previous|Next):\*\*.*", " ", text)
        text = re.sub(r"<[^>]+>|[#*_`|>\[\]()-]", " ", text)
        words += len(re.findall(r"[A-Za-z0-9][\w'’–-]*", text))
    return words
