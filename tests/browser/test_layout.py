"""Every lesson, run in Chromium at 1366×768 and at 200 % zoom: no control's text is
clipped, no word is broken in the middle, nothing spills out of its output area.

200 % zoom is a viewport of 683×384 CSS pixels (what the page lays out at). A screenshot
of each lesson at each size goes to test-artefacts/layout/.
"""

from __future__ import annotations

import pytest

from stalin_course import lessons

from .conftest import ARTEFACTS

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")

SIZES = {"1366x768": (1366, 768), "200-percent-zoom": (683, 384)}

#: Finds every clipped control, mid-word break and spilling output in the open notebook.
_PROBLEMS = """() => {
  const nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  const found = [];
  const name = el => (el.innerText || el.value || el.alt || el.tagName).trim().slice(0, 60);
  for (const el of nb.querySelectorAll(
      '.jp-OutputArea button, .jp-OutputArea select, .jp-OutputArea .widget-label, '
      + '.jp-OutputArea .widget-readout, .jp-OutputArea .widget-inline-hbox label')) {
    if (el.offsetParent === null) continue;  // not shown
    if (el.scrollWidth > el.clientWidth + 1) found.push(`clipped: ${name(el)}`);
  }
  for (const el of nb.querySelectorAll(
      '.jp-OutputArea .widget-html-content, .jp-OutputArea p, .jp-OutputArea pre, '
      + '.jp-OutputArea .stalin-message')) {
    if (!el.innerText.trim()) continue;
    const style = getComputedStyle(el);
    if (style.wordBreak === 'break-all' || style.overflowWrap === 'anywhere')
      found.push(`breaks words: ${name(el)}`);
  }
  for (const area of nb.querySelectorAll('.jp-OutputArea-output')) {
    const box = area.getBoundingClientRect();
    for (const el of area.querySelectorAll('img, .widget-box, button, select')) {
      const r = el.getBoundingClientRect();
      if (el.offsetParent !== null && r.right > box.right + 2) found.push(`spills: ${name(el)}`);
    }
  }
  return [...new Set(found)];
}"""


@pytest.mark.parametrize("lesson", lessons.LESSONS, ids=lambda lesson: lesson.slug)
def test_no_clipped_label_or_broken_word_at_either_size(lab, lesson: lessons.Lesson) -> None:
    lab.page.set_viewport_size({"width": 1366, "height": 768})
    lab.open(f"notebooks/{lesson.notebook}.ipynb")
    lab.run_all()
    folder = ARTEFACTS / "layout"
    folder.mkdir(parents=True, exist_ok=True)
    problems = {}
    for size, (width, height) in SIZES.items():
        lab.page.set_viewport_size({"width": width, "height": height})
        lab.page.wait_for_timeout(500)  # let the page reflow
        problems[size] = lab.page.evaluate(_PROBLEMS)
        lab.page.screenshot(path=str(folder / f"{lesson.notebook}-{size}.png"))
    assert problems == {size: [] for size in SIZES}
