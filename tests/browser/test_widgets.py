"""Chart explorers and quizzes in a lesson, used the way a student uses them."""

from __future__ import annotations

import re

import pytest

from stalin_course.widgets import load_quiz

pytestmark = pytest.mark.browser
expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install -e '.[test]'"
).expect


def _explorer(cell):
    """The explorer box in a cell's output: control, chart image, summary, details."""
    box = cell.locator(".jp-OutputArea-output > .widget-vbox").first
    image = box.locator("img.widget-image")
    expect(image).to_have_attribute("src", re.compile(r"^(blob:|data:image)"))
    return box, image, box.locator("[role=status]").first


def test_year_slider_redraws_chart_from_keyboard(lab):
    lab.open("notebooks/01_power_struggle.ipynb")
    lab.run_all()
    box, image, summary = _explorer(lab.code_cell("widgets.explore_politburo()"))
    handle = box.get_by_role("slider")
    expect(box.locator(".widget-label").first).to_have_text("Year")
    expect(summary).to_contain_text("At the end of 1924")
    handle.focus()
    for year in (1925, 1926):
        before = image.get_attribute("src")
        handle.press("ArrowRight")
        expect(handle).to_have_attribute("aria-valuetext", str(year))
        # Wait for the kernel's new chart before the next key press.
        expect(image).not_to_have_attribute("src", before)
        expect(summary).to_contain_text(f"At the end of {year}")
    before = image.get_attribute("src")
    handle.press("End")
    expect(image).not_to_have_attribute("src", before)
    expect(summary).to_contain_text("At the end of 1930")


def test_figures_dropdown_redraws_chart_from_keyboard(lab):
    lab.open("notebooks/04_military_purge.ipynb")
    lab.run_all()
    box, image, summary = _explorer(lab.code_cell("widgets.explore_military_purge("))
    select = box.locator("select")
    # the lesson's explorer opens on the archive figures (the numbers are the chart above it)
    expect(select).to_have_value("Archive figures (Red Army report, 1940)")
    first_summary = summary.inner_text()
    before = image.get_attribute("src")
    # A closed drop-down's arrow keys go to JupyterLab's notebook shortcuts (move to the next
    # cell; jupyter-widgets/ipywidgets#3912), so open the list with Alt+Down, as a keyboard
    # user must, then choose with Down and Enter.
    select.focus()
    select.press("Alt+ArrowDown")
    select.press("ArrowUp")
    select.press("Enter")
    expect(select).to_have_value("Textbook figures (Conquest): percentages")
    expect(image).not_to_have_attribute("src", before)
    expect(summary).not_to_have_text(first_summary)
    expect(box).to_contain_text("Percentages let you compare ranks")


def test_quiz_gives_hint_then_confirms(lab):
    question = load_quiz("power_struggle")[0]
    wrong = next(option for option in question.options if option != question.answer)
    lab.open("notebooks/01_power_struggle.ipynb")
    lab.run_all()
    quiz = lab.code_cell('widgets.quiz("power_struggle")')
    item = quiz.locator(".widget-vbox .widget-vbox").filter(has_text=question.question)
    feedback = item.locator("[role=status]")
    check = item.get_by_role("button", name="Check")

    # every option is its own button: reach it with Tab and choose it with Enter or Space
    item.get_by_role("button", name=wrong, exact=True).focus()
    item.page.keyboard.press("Space")
    check.click()
    expect(feedback).to_have_text(question.feedback(wrong))
    expect(feedback).to_contain_text("Hint:")

    item.get_by_role("button", name=question.answer, exact=True).press("Enter")
    check.press("Enter")  # the Check button works from the keyboard too
    expect(feedback).to_have_text(question.feedback(question.answer))
    expect(feedback).to_contain_text("Correct!")
    expect(quiz).to_contain_text(re.compile(r"So far you have 1 of \d+ right"))


def test_paper_3_asks_for_a_level_before_showing_the_models(lab):
    lab.open("notebooks/10_exam_practice.ipynb")
    lab.run_all()
    box = lab.code_cell('exam.self_assess("p3-q4")').locator(".jp-OutputArea-output").first
    answer = box.get_by_role("textbox")
    answer.focus()
    answer.type("Stalin passed the decree of 1 December 1934. He blamed Zinoviev and Kamenev.")
    show = box.get_by_role("button", name="Show the model answers")
    show.focus()
    show.press("Enter")
    expect(box).to_contain_text("First choose the level you think your answer reaches")
    expect(box).not_to_contain_text("Why Level 1")
    level = box.get_by_role("button", name=re.compile(r"^Level 2 \(3–4 marks\)"))
    level.focus()
    level.press("Space")
    show.focus()
    show.press("Enter")
    expect(box).to_contain_text("You placed your answer at Level 2 (3–4 marks).")
    expect(box).to_contain_text("Level 1 (1 out of 4):")
    expect(box).to_contain_text("Why Level 2:")
    # the optional timer counts down from 5 minutes while the student writes
    timer = box.get_by_role("button", name="Time me: 5 minutes")
    timer.focus()
    timer.press("Enter")
    clock = box.get_by_role("timer")
    expect(clock).to_have_text(re.compile(r"^[45]:\d\d left$"))
    first = clock.inner_text()
    expect(clock).not_to_have_text(first, timeout=5000)
