"""The first notebook runs from top to bottom in JupyterLab without any error."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'


def test_start_here_runs_without_errors(lab):
    lab.open("notebooks/00_start_here.ipynb")
    lab.run_all()
    page = lab.page
    # The Year slider's chart arrived: the widgets rendered, not just the text outputs.
    lab.notebook.locator(".widget-image").first.wait_for()
    errors = [
        text
        for text in lab.notebook.locator(STDERR).all_inner_texts()
        if "Traceback" in text or "Error" in text
    ]
    assert not errors, "error output in 00_start_here:\n" + "\n---\n".join(errors)
    assert lab.notebook.locator(".jp-RenderedText[data-mime-type*='error']").count() == 0
    broken = page.get_by_text("Error displaying widget")
    assert broken.count() == 0, "a widget failed to render"
    # Every code cell ran: no prompt is still [ ] or [*].
    prompts = lab.notebook.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()
    assert prompts and all(p.strip("[]: ").isdigit() for p in prompts), prompts
