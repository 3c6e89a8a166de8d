"""The widgets' teaching text, ``src/stalin_course/prose/<slug>.toml``.

Every prose file parses and belongs to a lesson marked ``prose = true`` in ``lessons.toml``
(and every such lesson has one); no text in it is empty; and every key a widget looks up
exists, so that no explorer choice meets a missing text or an unfilled ``{placeholder}``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from stalin_course import charts, data, widgets
from stalin_course.charts.review import FACTORS
from stalin_course.lessons import LESSONS, prose
from stalin_course.widgets import military_purge, nkvd

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PROSE = Path(__file__).resolve().parents[1] / "src" / "stalin_course" / "prose"
FILES = sorted(PROSE.glob("*.toml"))


def _texts(node: object, where: str) -> Iterator[tuple[str, object]]:
    """Every leaf of a prose file, with where it is (``table.key`` or ``table[0].key``)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _texts(value, f"{where}.{key}")
    elif isinstance(node, list):
        for number, value in enumerate(node):
            yield from _texts(value, f"{where}[{number}]")
    else:
        yield where, node


def test_there_are_prose_files() -> None:
    assert FILES


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_prose_file_parses_and_no_text_is_empty(path: Path) -> None:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    assert raw, f"{path.name} is empty"
    assert prose(path.stem) == raw
    for where, text in _texts(raw, path.stem):
        assert isinstance(text, str), f"{where} is not text: {text!r}"
        assert text.strip(), f"{where} is empty"
        assert text == text.strip(), f"{where} starts or ends with white space"


def test_a_lesson_has_a_prose_file_exactly_when_it_says_so() -> None:
    slugs = {lesson.slug for lesson in LESSONS}
    assert {path.stem for path in FILES} <= slugs, "a prose file names no lesson"
    for lesson in LESSONS:
        assert (PROSE / f"{lesson.slug}.toml").is_file() == lesson.has_prose, lesson.slug


# --- every key a widget reads ---------------------------------------------------------------


def test_every_party_purge_has_its_target_and_every_target_a_purge() -> None:
    # purge_details() would fall back to "No description is recorded" for a missing year
    years = set(data.load("party_purges")["year"].astype(int))
    assert set(widgets.PURGE_TARGETS) == years
    assert all(isinstance(year, int) for year in widgets.PURGE_TARGETS)


def test_every_gulag_choice_has_its_note() -> None:
    # series_details() looks the chosen series up directly: a missing note is a KeyError
    assert set(widgets.GULAG_SERIES_NOTES) == set(charts.GULAG_CHOICES.values())
    assert None in widgets.GULAG_SERIES_NOTES
    series = set(data.load("gulag_population")["series"])
    assert series <= set(widgets.GULAG_SERIES_NOTES)


def test_every_nkvd_chief_has_his_events_with_every_placeholder_filled() -> None:
    surnames = {name.split()[-1] for name in data.load("nkvd_chiefs")["name"]}
    assert set(widgets.CHIEF_EVENTS) == surnames
    for surname, text in widgets.CHIEF_EVENTS.items():
        assert "{" not in text.format(**nkvd._arrests()), surname
    assert widgets.chief_text(charts.ALL_CHIEFS) == prose("nkvd")["all_chiefs"]


def test_both_kinds_of_court_have_a_text() -> None:
    assert set(prose("great_terror")["court"]) == {"public", "closed"}
    assert set(data.load("show_trials")["public"]) <= {"yes", "no"}


def test_every_military_choice_has_its_text_with_every_placeholder_filled() -> None:
    assert set(military_purge._TEXTS) == set(widgets.MILITARY_FIGURES)
    assert set(military_purge._TEXTS.values()) == set(prose("military_purge")["figures"])
    for choice in widgets.MILITARY_FIGURES:
        text = widgets.military_figures_text(choice)
        assert "{" not in text and "}" not in text, choice


def test_every_propaganda_example_has_a_title_and_a_technique() -> None:
    examples = prose("propaganda_and_cult")["examples"]
    ids = [raw["id"] for raw in examples]
    assert len(set(ids)) == len(ids), "two examples share an id"
    assert list(widgets.EXAMPLE_TITLES) == ids == [ex.id for ex in widgets.TECHNIQUE_EXAMPLES]
    assert isinstance(widgets.TECHNIQUE_EXAMPLES, tuple)
    for example in widgets.TECHNIQUE_EXAMPLES:
        assert isinstance(example, widgets.QuizQuestion)
        assert example.options == tuple(widgets.TECHNIQUES)


def test_every_review_factor_has_evidence_and_every_prompt_fills_in() -> None:
    assert set(widgets.FACTOR_EVIDENCE) == set(FACTORS)
    assert all(isinstance(evidence, tuple) for evidence in widgets.FACTOR_EVIDENCE.values())
    scores = {factor: 5 for factor in FACTORS} | {"gensec": 9, "terror": 7, "education": 1}
    prompts = widgets.evidence_prompts(scores)
    assert len(prompts) == 4  # first, second, link and challenge
    for text in [*prompts, widgets.exam_question(scores), *widgets.evidence_prompts({})]:
        assert "{" not in text and "}" not in text, text
