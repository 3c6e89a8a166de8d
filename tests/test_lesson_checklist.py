"""The checklist every lesson passes, run over the lesson registry (``lessons.toml``).

Files: each lesson's notebook, assignment, quiz, bank section, answer table, prose, modules,
test file and data files exist, and nothing exists that the registry does not name.
Charts: every chart a lesson draws has a title, axis labels, a summary and its source
printed under it; it uses only the Okabe–Ito palette (or neutral greys); it leaves
matplotlib's global state alone; its fast redraw shows the same picture as a full one.
Explorers: every control redraws; a value shown before is not drawn again; a chart drawn
by a View redraws only its changing parts (no axes drawn in full). How long a redraw takes
is measured by ``benchmarks/redraw_times.py``, not here.
"""

from __future__ import annotations

import ast
import io
import re
import threading
from pathlib import Path

import ipywidgets as w
import matplotlib
import nbformat
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from PIL import Image

from stalin_course import charts, lessons, widgets
from stalin_course.widgets.kit import control_values, controls

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "stalin_course"
LESSONS = lessons.LESSONS
WITH_CHARTS = [(lesson.slug, name) for lesson in LESSONS for name in lesson.charts]
WITH_EXPLORERS = [(lesson.slug, name) for lesson in LESSONS for name in lesson.explorers]
#: Explorers that switch between separate, fixed charts (each drawn once and kept), not a View.
NOT_A_VIEW = {"explore_military_purge"}
KIT_MODULES = {"charts": {"style", "view", "dates"}, "widgets": {"kit"}}


def _stems(folder: Path, pattern: str) -> set[str]:
    return {path.stem for path in folder.glob(pattern)}


# --- files ------------------------------------------------------------------------


def test_every_notebook_and_assignment_is_a_lesson_in_the_registry() -> None:
    assert _stems(ROOT / "notebooks", "*.ipynb") == {lesson.notebook for lesson in LESSONS}
    assignments = {name for lesson in LESSONS for name in lesson.assignments}
    assert {p.name for p in (ROOT / "source").iterdir() if p.is_dir()} == assignments
    assert {p.name for p in (ROOT / "release").iterdir() if p.is_dir()} == assignments
    assert _stems(ROOT / "tests" / "assignment_answers", "*.toml") <= assignments


def test_quizzes_bank_prose_and_answer_tables_are_named_by_the_slug() -> None:
    quizzes = {lesson.quiz for lesson in LESSONS if lesson.quiz}
    banks = {lesson.bank for lesson in LESSONS if lesson.bank}
    prose = {lesson.slug for lesson in LESSONS if lesson.has_prose}
    assert _stems(PACKAGE / "quizzes", "*.toml") == quizzes
    assert _stems(PACKAGE / "bank", "*.toml") - {"entities"} == banks
    assert _stems(ROOT / "tests" / "answer_tables", "*.toml") == banks
    assert _stems(PACKAGE / "prose", "*.toml") == prose


@pytest.mark.parametrize("package", ["charts", "widgets"])
def test_each_lesson_has_one_chart_module_one_widget_module_and_one_test_file(
    package: str,
) -> None:
    modules = {lesson.slug for lesson in LESSONS if lesson.has_module}
    assert _stems(PACKAGE / package, "*.py") - {"__init__"} == modules | KIT_MODULES[package]
    assert _stems(ROOT / "tests", "test_lesson_*.py") - {"test_lesson_checklist"} == {
        f"test_lesson_{slug}" for slug in modules
    }


def test_every_data_file_belongs_to_a_lesson_and_every_lesson_file_exists() -> None:
    named = {name for lesson in LESSONS for name in lesson.data}
    assert named == _stems(ROOT / "data", "*.csv")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_the_notebook_title_is_the_registry_title(lesson: lessons.Lesson) -> None:
    first = nbformat.read(ROOT / "notebooks" / f"{lesson.notebook}.ipynb", as_version=4).cells[0]
    heading = first.source.splitlines()[0]
    expected = f"# Lesson {lesson.number}: {lesson.title}" if lesson.number else f"# {lesson.title}"
    assert heading == expected


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_every_lesson_ends_with_links_to_the_lessons_either_side(lesson: lessons.Lesson) -> None:
    nb = nbformat.read(ROOT / "notebooks" / f"{lesson.notebook}.ipynb", as_version=4)
    markdown = [cell.source for cell in nb.cells if cell.cell_type == "markdown"]
    assert markdown[-1].rstrip().endswith(lessons.navigation(lesson.slug))
    assert not any("(planned)" in text for text in markdown)


TOPIC_LESSONS = [lesson for lesson in LESSONS if lesson.has_module]


@pytest.mark.parametrize("lesson", TOPIC_LESSONS, ids=lambda lesson: lesson.slug)
def test_a_lesson_names_a_few_works_and_the_readme_lists_them_all(lesson: lessons.Lesson) -> None:
    nb = nbformat.read(ROOT / "notebooks" / f"{lesson.notebook}.ipynb", as_version=4)
    (reading,) = [
        cell.source
        for cell in nb.cells
        if cell.cell_type == "markdown"
        and cell.source.lstrip().startswith("## Where these facts come from")
    ]
    works = re.findall(r"^- (.+?)(?=^- |^\S|\Z)", reading, re.M | re.S)
    assert 3 <= len(works) <= 6
    flat = " ".join(re.sub(r"\W+", " ", (ROOT / "data" / "README.md").read_text()).lower().split())
    for work in works:
        title = max(re.findall(r"\*([^*]+)\*", " ".join(work.split())), key=len)
        words = re.sub(r"\W+", " ", title).lower().split()
        assert " ".join(words[-3:]) in flat, title
    assert "://" not in reading  # cite the work, never an online copy of it


@pytest.mark.parametrize("lesson", TOPIC_LESSONS, ids=lambda lesson: lesson.slug)
def test_the_main_text_is_short_and_every_chart_says_what_to_notice(
    lesson: lessons.Lesson,
) -> None:
    nb = nbformat.read(ROOT / "notebooks" / f"{lesson.notebook}.ipynb", as_version=4)
    assert lessons.core_words(nb) <= lessons.CORE_WORDS_LIMIT
    for here, after in zip(nb.cells, nb.cells[1:], strict=False):
        if here.cell_type == "code" and ("charts." in here.source or "explore" in here.source):
            assert after.cell_type == "markdown", here.source
            assert after.source.lstrip().startswith("**What to notice:**"), here.source


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            found.add("." * node.level + (node.module or ""))
    return found


@pytest.mark.parametrize("slug", [x.slug for x in LESSONS if x.has_module], ids=str)
def test_a_lesson_chart_module_imports_only_the_chart_kit_and_the_data(slug: str) -> None:
    allowed = {".style", ".view", ".dates", "..", "..data", "..lessons"}
    assert _imports(PACKAGE / "charts" / f"{slug}.py") <= allowed


# --- charts -------------------------------------------------------------------------


def _chart(name: str) -> charts.Chart:
    chart = getattr(charts, name)()
    assert isinstance(chart, charts.Chart)
    return chart


def _colours(figure: matplotlib.figure.Figure) -> set[tuple[float, float, float]]:
    """Every colour that paints data on the figure: patches, lines, markers, collections."""
    found: list = []
    for ax in figure.axes:
        for patch in ax.patches:
            if patch.get_visible() and patch.get_fill():
                found.append(patch.get_facecolor())
        for line in ax.get_lines():
            if line.get_visible():
                found += [line.get_color(), line.get_markerfacecolor()]
        for collection in ax.collections:
            found += list(collection.get_facecolor())
    rgb = set()
    for colour in found:
        if isinstance(colour, str) and colour in ("none", "auto"):
            continue
        red, green, blue, alpha = to_rgba(colour)
        if alpha > 0:
            rgb.add((round(red, 3), round(green, 3), round(blue, 3)))
    return rgb


def _neutral(rgb: tuple[float, float, float]) -> bool:
    """Greys, black, white and the paper tint of a diagram: no hue to tell apart."""
    return max(rgb) - min(rgb) < 0.2


@pytest.mark.parametrize(("slug", "name"), WITH_CHARTS, ids=lambda x: x)
def test_chart_has_title_labels_summary_and_source(slug: str, name: str) -> None:
    chart = _chart(name)
    ax = chart.figure.axes[0]
    assert ax.get_title(loc="left").strip() or ax.get_title().strip()
    labels = [a.get_xlabel() for a in chart.figure.axes] + [
        a.get_ylabel() for a in chart.figure.axes
    ]
    assert any(label.strip() for label in labels)
    assert chart.summary.strip() and chart.summary.rstrip().endswith(".")
    assert chart.source.strip()
    printed = " ".join(text.get_text() for text in chart.figure.texts).replace("\n", " ")
    assert "Source:" in printed
    # the first source is printed, or (for a long list) where the sources are listed
    assert chart.source.split("; ")[0][:40] in printed or "data/" in printed
    page = chart._repr_html_()
    assert 'alt="' in page and "Source:" in page


@pytest.mark.parametrize(("slug", "name"), WITH_CHARTS, ids=lambda x: x)
def test_chart_colours_are_okabe_ito_or_neutral(slug: str, name: str) -> None:
    palette = {tuple(round(c, 3) for c in to_rgba(hex_)[:3]) for hex_ in charts.OKABE_ITO.values()}
    colours = _colours(_chart(name).figure)
    assert colours, "the chart paints nothing"
    assert {colour for colour in colours if not _neutral(colour)} <= palette


@pytest.mark.parametrize(("slug", "name"), WITH_CHARTS, ids=lambda x: x)
def test_chart_leaves_matplotlib_global_state_alone(slug: str, name: str) -> None:
    before, backend = dict(matplotlib.rcParams), matplotlib.get_backend()
    chart = _chart(name)
    chart.png()
    assert dict(matplotlib.rcParams) == before
    assert matplotlib.get_backend() == backend
    assert chart.figure.canvas.manager is None  # not a pyplot figure: nothing kept globally


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


@pytest.mark.parametrize(("slug", "name"), WITH_CHARTS, ids=lambda x: x)
def test_the_fast_redraw_shows_what_a_full_drawing_shows(slug: str, name: str) -> None:
    chart = _chart(name)
    if chart.view is None:
        pytest.skip(f"{name} is a fixed chart: it has no fast redraw")
    fast = _pixels(chart.png())
    buffer = io.BytesIO()
    chart.view.show(chart.key)
    chart.figure.savefig(buffer, format="png", dpi=chart.figure.dpi, facecolor="white")
    full = _pixels(buffer.getvalue())
    assert fast.shape == full.shape
    # The changing parts are drawn last, so they may cover an axis or grid line that a full
    # drawing puts on top: a faint difference. A part missing or left over is not faint.
    differ = (np.abs(fast - full).sum(axis=2) > 60).mean()
    assert differ < 0.002


# --- views --------------------------------------------------------------------------


def _ready(explorer: w.Widget) -> None:
    preparing = getattr(explorer, "preparing", None)
    if isinstance(preparing, threading.Thread):
        preparing.join()


class _AxesDraws:
    """Counts how often any axes is drawn in full (a fast redraw never does it)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        original = Axes.draw

        def draw(axes: Axes, renderer) -> None:  # noqa: ANN001
            self.count += 1
            original(axes, renderer)

        monkeypatch.setattr(Axes, "draw", draw)


def _image(explorer: w.Widget) -> bytes:
    images = [child for child in _walk(explorer) if isinstance(child, w.Image)]
    return b"".join(image.value for image in images)


def _walk(widget: w.Widget) -> list[w.Widget]:
    children = list(getattr(widget, "children", ()))
    return [widget] + [item for child in children for item in _walk(child)]


@pytest.mark.parametrize(("slug", "name"), WITH_EXPLORERS, ids=lambda x: x)
def test_every_control_redraws_and_a_view_redraws_only_what_changes(
    slug: str, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = dict(matplotlib.rcParams)
    explorer = getattr(widgets, name)()
    _ready(explorer)
    found = controls(explorer)
    assert found, f"{name} has no control"
    draws = _AxesDraws(monkeypatch)
    shown: dict[tuple, bytes] = {}
    for control in found:
        for value in control_values(control)[:6]:
            control.value = value
            state = tuple(repr(c.value) for c in found)
            image = _image(explorer)
            assert image[:8] == b"\x89PNG\r\n\x1a\n"
            if state in shown:
                assert image == shown[state]
            shown[state] = image
    assert len(set(shown.values())) > 1, "no control changed the picture"
    if name not in NOT_A_VIEW:
        assert draws.count == 0, f"{name} drew a whole chart {draws.count} times"
    seen = draws.count
    for control in found:  # back over values already shown: nothing is drawn again
        for value in control_values(control)[:2]:
            control.value = value
    assert draws.count == seen
    assert dict(matplotlib.rcParams) == before  # every view of every chart leaves it alone
