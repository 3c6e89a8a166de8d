"""nbgrader's teacher tools in the default set-up: the Formgrader and the Assignments list.

The test asks the server's own configuration which nbgrader server extensions are
enabled, and checks each one accordingly: an enabled tool must load and render, a
disabled one must not be reachable. (A student set-up, such as Binder, may turn the
teacher tools off; the default set-up, which this suite starts, has them on.)
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install -e '.[test]'"
).expect

ANSI = re.compile(r"\x1b\[[0-9;]*m")
EXTENSION = re.compile(r"^\s*(nbgrader\.server_extensions\.\w+)\s+(enabled|disabled)\s*$", re.M)


@pytest.fixture(scope="module")
def nbgrader_extensions(jupyter_server) -> dict[str, bool]:
    """{"formgrader": True, ...}: nbgrader's server extensions as the server is configured."""
    jupyter = Path(sys.executable).parent / "jupyter"
    done = subprocess.run(
        [str(jupyter), "server", "extension", "list"],
        cwd=jupyter_server.root, env=jupyter_server.env,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    listing = ANSI.sub("", done.stdout + done.stderr)
    found = {
        name.rsplit(".", 1)[1]: state == "enabled" for name, state in EXTENSION.findall(listing)
    }
    assert found, f"nbgrader is not installed in the server's environment:\n{listing}"
    return found


def test_formgrader(lab, nbgrader_extensions):
    server = lab.server
    if not nbgrader_extensions.get("formgrader"):
        assert server.get("/formgrader")[0] == 404, "formgrader is disabled but still served"
        pytest.skip("the Formgrader is disabled in this set-up (checked that it is not served)")
    response = lab.page.goto(f"{server.url}/formgrader?token={server.token}")
    assert response is not None and response.status == 200
    page = lab.page
    expect(page).to_have_url(re.compile(r"/formgrader/manage_assignments"))
    expect(page.get_by_role("link", name="Manage Assignments").first).to_be_visible()
    # The table is filled in by the page's script from source/ (01_power_struggle).
    expect(page.locator("#main-table")).to_contain_text("01_power_struggle")


def test_assignments_list(lab, nbgrader_extensions):
    server = lab.server
    if not nbgrader_extensions.get("assignment_list"):
        status = server.get("/assignments?course_id=stalin-consolidation")[0]
        assert status == 404, "the assignment list is disabled but still served"
        pytest.skip(
            "the Assignments list is disabled in this set-up (checked that it is not served)"
        )
    status, body = server.get("/assignments?course_id=stalin-consolidation")
    assert status == 200, body
    listing = json.loads(body)
    assert listing["success"], listing["value"]

    lab.open_lab()
    lab.menu("Nbgrader", "Assignment List")
    panel = lab.page.locator("#nbgrader-assignment-list")
    expect(panel).to_be_visible()
    expect(lab.page.locator(".lm-TabBar-tabLabel", has_text="Assignments")).to_be_visible()
    expect(panel).to_contain_text("Released assignments")
    expect(panel).to_contain_text("Submitted assignments")
    # No error box (such as "The exchange directory does not exist").
    expect(panel).not_to_contain_text(re.compile("does not exist|Traceback|error", re.I))
