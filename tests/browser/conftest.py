"""Browser tests: a real JupyterLab server on loopback, driven by Playwright in headless Chromium.

The server runs in a temporary folder holding a *copy* of notebooks/, release/, source/,
data/ and nbgrader_config.py, with its own settings, workspaces, runtime and config
folders, so nothing it writes (autosave, checkpoints, gradebook) reaches the repository.

If Chromium or Playwright is missing, every browser test is skipped with the reason
(install them with ``.ci/browser-setup``). Set ``STALIN_CHROMIUM`` to use another
Chromium binary. A failing test saves a screenshot to ``test-artefacts/``.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "test-artefacts"
CHROMIUM = Path(os.environ.get("STALIN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Copied into the server's root folder (so the server never writes into the repo).
COPIED = ("notebooks", "release", "source", "data")
#: JupyterLab user settings: no news or update pop-ups, and render every cell
#: (the default windowed notebook leaves off-screen cells out of the page).
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}
SERVER_START_TIMEOUT = 90  # seconds; two shared cores can make the first start slow
TIMEOUT_MS = 30_000  # default Playwright timeout for one step
RUN_TIMEOUT_MS = 90_000  # a whole "Run All"


# --- markers and failure screenshots -------------------------------------------------------


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can see if the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


# --- the browser ----------------------------------------------------------------------------


def _cannot_run(reason: str) -> None:
    """Skip every browser test with the reason, or fail it where they must run.

    ``.ci/run`` sets ``STALIN_REQUIRE_BROWSER=1``, so CI cannot be green without them.
    """
    if os.environ.get("STALIN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"the browser tests must run (STALIN_REQUIRE_BROWSER=1) but: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """The Chromium binary, or skip every browser test with the reason."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _cannot_run("Playwright for Python is not installed: pip install -e '.[test]'")
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        _cannot_run(
            f"no Chromium at {CHROMIUM}: run .ci/browser-setup (apt-get install chromium) "
            "or set STALIN_CHROMIUM to a Chromium binary"
        )
    return CHROMIUM


@pytest.fixture(scope="package")
def browser(chromium_path: Path) -> Iterator:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)  # the kernel and server share two slow cores

    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS
            )
        except Exception as error:  # a broken browser install: say so, don't fail every test
            _cannot_run(f"Chromium at {chromium_path} does not start: {error}")
        yield browser
        browser.close()


# --- the JupyterLab server ------------------------------------------------------------------


@dataclass
class Server:
    url: str
    token: str
    root: Path
    env: dict[str, str]

    def lab_url(self, path: str) -> str:
        """A fresh lab page (``?reset`` drops any saved layout) with ``path`` open."""
        return f"{self.url}/lab/tree/{path}?reset&token={self.token}"

    def get(self, path: str, method: str = "GET") -> tuple[int, str]:
        """Status and body of a request to the server (with the token)."""
        request = urllib.request.Request(
            f"{self.url}{path}", headers={"Authorization": f"token {self.token}"}, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _prepare_root(base: Path) -> tuple[Path, dict[str, str]]:
    """The server's root folder (copies of the course files) and its environment."""
    root = base / "root"
    root.mkdir()
    for name in COPIED:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns(".ipynb_*"))
    shutil.copy(ROOT / "nbgrader_config.py", root)
    state = base / "jupyter"
    for name, settings in LAB_SETTINGS.items():
        file = state / "settings" / name
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(json.dumps(settings), encoding="utf-8")
    env = dict(os.environ)
    bin_dir = str(Path(sys.executable).parent)
    env.update(
        PATH=bin_dir + os.pathsep + env.get("PATH", ""),
        STALIN_COURSE_DATA=str(root / "data"),
        JUPYTERLAB_SETTINGS_DIR=str(state / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(state / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(state / "runtime"),
        JUPYTER_CONFIG_DIR=str(state / "config"),  # ignore the user's ~/.jupyter
        JUPYTER_DATA_DIR=str(state / "data"),  # ... and their own kernels
        IPYTHONDIR=str(state / "ipython"),
        MPLCONFIGDIR=str(state / "matplotlib"),
        PYTHONUNBUFFERED="1",
    )
    env.pop("JUPYTER_TOKEN", None)
    env.pop("STALIN_COURSE_EXCHANGE", None)  # the exchange stays inside the copy
    # The teacher creates the exchange once (docs/teacher_guide.md); students list it.
    (root / "exchange").mkdir(mode=0o777)
    (root / "exchange").chmod(0o777)
    return root, env


def _jupyter() -> str:
    """The venv's ``jupyter`` (next to the Python running the tests)."""
    exe = Path(sys.executable).parent / "jupyter"
    return str(exe) if exe.exists() else (shutil.which("jupyter") or "jupyter")


def _stop(process: subprocess.Popen) -> None:
    """Stop the server we started (and its kernels, in its own process group)."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)  # its own group: only our server and kernels
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.fixture(scope="package")  # stops when tests/browser is done, not at the end of the run
def jupyter_server(chromium_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """A JupyterLab server on a free loopback port, with a copy of the course as its root."""
    base = tmp_path_factory.mktemp("jupyterlab")
    root, env = _prepare_root(base)
    token = secrets.token_hex(16)
    log_path = base / "server.log"
    process = None
    for _attempt in range(3):  # another program may take the free port before we do
        port = _free_port()
        log = open(log_path, "w", encoding="utf-8")  # noqa: SIM115 (closed below)
        process = subprocess.Popen(
            [
                _jupyter(), "lab", "--no-browser", "--allow-root",
                "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
                "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
                "--ServerApp.password=", f"--ServerApp.root_dir={root}",
                "--LabApp.news_url=None",
            ],
            cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        server = Server(f"http://127.0.0.1:{port}", token, root, env)
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if server.get("/api/status")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        if process.poll() is None and time.monotonic() < deadline:
            break
        _stop(process)
        log.close()
        process = None
    if process is None:
        pytest.fail(
            "JupyterLab did not start; its log:\n" + log_path.read_text(encoding="utf-8")[-4000:]
        )
    try:
        yield server
    finally:
        _stop(process)
        log.close()


# --- one page per test ----------------------------------------------------------------------


@pytest.fixture
def page(browser, jupyter_server: Server, request: pytest.FixtureRequest) -> Iterator:
    """A fresh browser context and page; a screenshot goes to test-artefacts/ on failure."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    try:
        yield page
    finally:
        report = getattr(request.node, "report_call", None)
        if report is None or report.failed:
            ARTEFACTS.mkdir(exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", request.node.name)
            try:
                page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)
            except Exception:  # the page may be gone; the report still has the error
                pass
            (ARTEFACTS / f"{name}.console.txt").write_text("\n".join(console), encoding="utf-8")
        context.close()
        # Shut down this test's kernels: two shared cores, and each kernel holds charts.
        status, body = jupyter_server.get("/api/sessions")
        for session in json.loads(body) if status == 200 else []:
            jupyter_server.get(f"/api/sessions/{session['id']}", method="DELETE")


class Lab:
    """Steps a student takes in JupyterLab, each waiting until the page has caught up."""

    def __init__(self, page, server: Server) -> None:
        self.page, self.server = page, server

    @property
    def notebook(self):
        """The notebook now shown in the main area."""
        return self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")

    def cells(self):
        return self.notebook.locator(".jp-Cell")

    def cell(self, index: int):
        """Cell ``index`` (from 0, counting markdown cells), as in the .ipynb file."""
        return self.cells().nth(index)

    def code_cell(self, source: str):
        """The one code cell whose source contains ``source``."""
        cells = self.notebook.locator(".jp-CodeCell").filter(
            has=self.page.locator(".jp-InputArea-editor", has_text=source)
        )
        assert cells.count() == 1, f"expected one code cell containing {source!r}"
        return cells.first

    def open_lab(self) -> None:
        """Open JupyterLab with no document (a fresh layout)."""
        self.page.goto(f"{self.server.url}/lab?reset&token={self.server.token}")
        self.page.locator("#jp-main-statusbar").wait_for()
        self.page.locator(".lm-MenuBar-itemLabel").first.wait_for()

    def open(self, path: str) -> None:
        """Open the notebook at ``path`` (relative to the server root) with a running kernel."""
        self.page.goto(self.server.lab_url(path))
        self.notebook.locator(".jp-Cell").first.wait_for()
        self.wait_idle()

    def wait_idle(self, timeout: int = RUN_TIMEOUT_MS) -> None:
        """Wait until the status bar says the kernel is Idle (the toolbar says so too early)."""
        status = self.page.locator("#jp-main-statusbar").get_by_text(re.compile(r"\|\s*Idle\s*$"))
        status.first.wait_for(timeout=timeout)

    def menu(self, menu: str, item: str) -> None:
        """Choose ``item`` from the menu bar's ``menu``."""
        self.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{menu}$")).click()
        self.page.locator(".lm-Menu-content .lm-Menu-itemLabel").get_by_text(
            item, exact=True
        ).click()

    def run_all(self) -> None:
        """Run > Run All Cells, then wait until every code cell has run and the kernel is idle."""
        self.wait_idle()
        self.menu("Run", "Run All Cells")
        self.wait_all_run()

    def wait_all_run(self, timeout: int = RUN_TIMEOUT_MS) -> None:
        """Wait until every code cell shows an execution count (``[3]:``, not ``[*]:``)."""
        self.page.wait_for_function(
            """() => {
                const nb = document.querySelector(
                    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
                if (!nb) return false;
                const prompts = [...nb.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
                return prompts.length > 0
                    && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
            }""",
            timeout=timeout,
        )
        self.wait_idle()

    def output_text(self, index: int) -> str:
        """The text shown in the output area of cell ``index``."""
        return self.cell(index).locator(".jp-OutputArea").inner_text()

    def wait_output(self, index: int, pattern: str | re.Pattern, timeout: int = TIMEOUT_MS):
        """Wait until cell ``index``'s output matches ``pattern``; return the output text."""
        from playwright.sync_api import expect

        area = self.cell(index).locator(".jp-OutputArea")
        expect(area).to_have_text(pattern, timeout=timeout)
        return area.inner_text()


@pytest.fixture
def lab(page, jupyter_server: Server) -> Lab:
    return Lab(page, jupyter_server)
