"""Lesson 07 (censorship): quiz, the vanishing-commissars diagram and widget, the notebook."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from stalin_course import charts, data, lessons, widgets
from stalin_course.bank import code_for

LESSON = lessons.by_slug("censorship")
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / f"{LESSON.notebook}.ipynb"


@pytest.fixture(scope="module")
def people():
    return data.load("vanishing_commissars")


# --- quiz ---------------------------------------------------------------------


def test_notebook_is_commit_ready_and_says_it_is_a_diagram(people) -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.display_name == "Python 3 (ipykernel)"
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code[0].source.startswith("from stalin_course import answers, charts, widgets")
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None
        assert len(cell.source.splitlines()) <= 3
    sources = "\n".join(c.source for c in code)
    for question_id in ("censorship-photos", "censorship-trotsky"):
        assert f"%%answer {code_for(question_id)}" in sources
    text = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert "**diagram** of each photograph, **not the photograph" in text
    # the static table's total matches the data
    purged = people[people["purged_year"].notna() & (people["purged_year"] <= 1941)]
    assert f"By 1941, {len(purged)} of the {len(people)} people in these four pictures" in text
    for name in purged["name"]:
        assert f"**{name}**" in text


# --- data and plain functions -------------------------------------------------


def test_data_names_real_documented_examples(people) -> None:
    assert set(people["photo_id"]) == {
        "union-1897",
        "sverdlov-1920",
        "leningrad-1926",
        "canal-1937",
    }
    assert people["source"].str.contains("The Commissar Vanishes").all()
    yezhov = people[people["name"] == "Yezhov"].iloc[0]
    assert yezhov.photo_id == "canal-1937" and yezhov.purged_year == 1939
    sverdlov = people[people["photo_id"] == "sverdlov-1920"]
    assert set(sverdlov.loc[sverdlov["removed"] == "yes", "name"]) == {"Trotsky", "Kamenev"}
    assert (people["purged_year"].isna() | (people["removed"] == "yes")).all()


@pytest.mark.parametrize(
    ("photo_id", "year", "expected"),
    [
        ("sverdlov-1920", 1926, "By 1926, none of the 3 people in this picture had been removed."),
        (
            "sverdlov-1920",
            1927,
            "By 1927, 1 of the 3 people in this picture had been removed: Trotsky.",
        ),
        (
            "sverdlov-1920",
            1938,
            "By 1938, 2 of the 3 people in this picture had been removed: Trotsky and Kamenev.",
        ),
        ("canal-1937", 1938, "By 1938, none of the 4 people in this picture had been removed."),
        (
            "canal-1937",
            1939,
            "By 1939, 1 of the 4 people in this picture had been removed: Yezhov.",
        ),
        (
            "leningrad-1926",
            1941,
            "By 1941, 1 of the 4 people in this picture had been removed: Antipov.",
        ),
    ],
)
def test_caption(photo_id: str, year: int, expected: str) -> None:
    assert charts.vanishing_summary(photo_id, year) == expected


def test_unknown_photograph_is_named() -> None:
    with pytest.raises(ValueError, match="no photograph called 'nope'"):
        charts.vanishing_summary("nope", 1930)


# --- the diagram --------------------------------------------------------------


def _visible_people(chart: charts.Chart) -> dict[str, str]:
    (ax,) = chart.figure.axes
    shown: dict[str, str] = {}
    for artist in [*ax.patches, *ax.texts]:
        gid = str(artist.get_gid() or "")
        if artist.get_visible() and gid.startswith(("present:", "gone:")):
            look, name = gid.split(":", 1)
            assert shown.setdefault(name, look) == look, f"{name} drawn in two looks"
    return shown


def test_diagram_shows_each_person_once_with_the_right_look(people) -> None:
    chart = charts.vanishing_picture("sverdlov-1920", 1930)
    (ax,) = chart.figure.axes
    assert "Sverdlov Square" in ax.get_title(loc="left")
    assert ax.get_xlabel().startswith("People in the photograph")
    texts = " ".join(t.get_text() for t in chart.figure.texts).replace("\n", " ")
    assert "Source:" in texts and "The Commissar Vanishes" in texts
    assert "not the photograph itself" in " ".join(t.get_text() for t in ax.texts)
    chart.png()  # draws only the layers for 1930
    expected = {
        row.name: "gone" if row.name == "Trotsky" else "present"
        for row in people[people["photo_id"] == "sverdlov-1920"].itertuples()
    }
    assert _visible_people(chart) == expected
    later = charts.vanishing_picture("sverdlov-1920", 1941)
    assert _visible_people(later) == {"Lenin": "present", "Trotsky": "gone", "Kamenev": "gone"}
    assert later.summary == charts.vanishing_summary("sverdlov-1920", 1941)
    assert later.source == chart.source


def test_diagram_png_changes_with_the_year() -> None:
    before = charts.vanishing_picture("canal-1937", 1938).png()
    after = charts.vanishing_picture("canal-1937", 1939).png()
    assert before[:8] == b"\x89PNG\r\n\x1a\n" and before != after


# --- the widget ---------------------------------------------------------------


def test_widget_driven_from_python() -> None:
    widget = widgets.vanishing_commissars()
    assert widget.photo.description == "Photograph" and widget.year.description == "Year"
    assert widget.year.min == 1924 and widget.year.max == 1941
    first = widget.image.value
    assert "none of the 3 people" in widget.summary.value
    widget.year.value = 1938
    assert widget.summary_text == charts.vanishing_summary("sverdlov-1920", 1938)
    assert "Trotsky and Kamenev" in widget.summary.value and 'role="status"' in widget.summary.value
    assert "<b>cut out</b> (purged in 1927)" in widget.details.value
    assert widget.image.value != first
    widget.photo.value = "canal-1937"
    assert widget.year.min == 1937 and widget.year.value == 1938
    assert widget.summary_text.startswith("By 1938, none of the 4 people")
    widget.year.value = 1939
    assert "Yezhov" in widget.summary_text


def test_choosing_another_photograph_redraws() -> None:
    widget = widgets.vanishing_commissars()
    widget.preparing.join()  # a student chooses seconds after the first picture appears
    others = [key for _label, key in widget.photo.options if key != widget.photo.value]
    assert len(others) >= 3
    for photo_id in others:
        widget.photo.value = photo_id
        assert widget.summary_text == charts.vanishing_summary(photo_id, widget.year.value)


# --- the notebook runs --------------------------------------------------------
