"""Binder self-study: the environment repo2docker builds from the student edition, without Docker.

As repo2docker does for the Binder badge: clone the student edition's repository at HEAD
(``git clone --depth 1``, so its ``.git`` comes too), make a fresh Python 3.11 environment
holding only what binder/requirements.txt names, then run binder/postBuild from the top
of the clone, in a virtual environment with Jupyter's user folders moved to empty
temporary ones, so nothing from this machine's set-up leaks in. The whole clone, git
objects included, is searched for solutions, hidden tests, mark schemes and bank sources. Then every
lesson runs with that environment's kernel, a released assignment answered right
and wrong gives the right self-check feedback from the scrambled key alone, the
teacher-only nbgrader tools are off and the student's are on, JupyterLab opens on
the start page, and "download my work" makes its zip.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, shipped_text, teacher_secrets, text_of

from stalin_course.bank import code_for
from stalin_course.checking import PLACEHOLDER

pytestmark = pytest.mark.slow

#: Targets on this machine (2 shared cores, local PyPI mirror).
MAX_INSTALL_SECONDS = 120
MAX_SIZE_MB = 800

TEACHER_PLUGINS = ["formgrader", "create-assignment", "course-list"]
STUDENT_PLUGINS = ["validate-assignment", "assignment-list", "menu"]
START_PAGE = "notebooks/00_start_here.ipynb"
ASSIGNMENT = "release/01_power_struggle/01_power_struggle.ipynb"
ANSI = re.compile(r"\x1b\[[0-9;]*m")

#: Runs inside the Binder environment: execute notebooks with its own kernel (argv[1]:
#: a JSON list of [notebook, output, working folder]); prints a JSON report.
RUNNER = r"""
import json, sys
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
import stalin_course

report = {"package": stalin_course.__file__, "errors": {}}
for src, out, cwd in json.loads(sys.argv[1]):
    nb = nbformat.read(src, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": cwd}})
    try:
        client.execute()
    except CellExecutionError as error:
        report["errors"][src] = str(error)[-2000:]
    nbformat.write(nb, out)
print(json.dumps(report))
"""


@dataclass
class Binder:
    repo: Path  # the copy of the repository that postBuild ran in
    venv: Path
    env: dict[str, str]  # the environment's commands first on PATH, isolated Jupyter dirs
    install_seconds: float
    size_mb: float
    tmp: Path

    def run(self, *args: str, env: dict[str, str] | None = None, timeout: int = 600):
        done = subprocess.run(
            list(args), cwd=self.repo, env=env or self.env, capture_output=True, text=True,
            timeout=timeout,
        )  # fmt: skip
        assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        return done

    def jupyter(self, *args: str) -> str:
        done = self.run(str(self.venv / "bin" / "jupyter"), *args)
        return ANSI.sub("", done.stdout + done.stderr)

    def execute(self, jobs: list[tuple[Path, Path]], env: dict[str, str] | None = None) -> dict:
        """Run notebooks with the environment's kernel, each in its own folder."""
        spec = json.dumps([[str(src), str(out), str(src.parent)] for src, out in jobs])
        done = self.run(str(self.venv / "bin" / "python"), "-c", RUNNER, spec, env=env)
        return json.loads(done.stdout.strip().splitlines()[-1])


def _python311() -> str:
    for name in ("python3.11", sys.executable):
        found = shutil.which(name) if name == "python3.11" else name
        if found:
            version = subprocess.run(
                [found, "-c", "import sys; print(sys.version_info[:2] == (3, 11))"],
                capture_output=True, text=True,
            ).stdout.strip()  # fmt: skip
            if version == "True":
                return found
    pytest.skip("Binder's runtime.txt asks for Python 3.11, which is not on this machine")


def _isolated_env(venv: Path, tmp: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("JUPYTER", "JPY_", "PYTHON", "PIP_REQUIRE", "NBGRADER"))
        and k not in ("VIRTUAL_ENV", "IPYTHONDIR", "MPLBACKEND")
    }
    for name, folder in [("JUPYTER_CONFIG_DIR", "jupyter-config"),
                         ("JUPYTER_DATA_DIR", "jupyter-data"),
                         ("JUPYTER_RUNTIME_DIR", "jupyter-runtime"),
                         ("IPYTHONDIR", "ipython"), ("MPLCONFIGDIR", "matplotlib")]:  # fmt: skip
        (tmp / folder).mkdir(exist_ok=True)
        env[name] = str(tmp / folder)
    env["PATH"] = str(venv / "bin") + os.pathsep + env.get("PATH", "")
    env["VIRTUAL_ENV"] = str(venv)
    env["PYTHONNOUSERSITE"] = "1"
    return env


@pytest.fixture(scope="module")
def binder(tmp_path_factory: pytest.TempPathFactory) -> Binder:
    tmp = tmp_path_factory.mktemp("binder")
    python = _python311()
    repo = tmp / "repo"
    edition = tmp / "stalin-course-student"
    for step in (
        [sys.executable, "-m", "stalin_course", "student-edition", str(edition)],
        ["git", "clone", "--quiet", "--depth", "1", f"file://{edition}", str(repo)],
    ):
        done = subprocess.run(step, cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{step} failed:\n{done.stdout}\n{done.stderr}"
    assert (repo / "binder" / "postBuild").is_file(), "binder/postBuild is missing"
    venv = tmp / "venv"
    env = _isolated_env(venv, tmp)

    started, timings = time.monotonic(), []
    steps = [
        [python, "-m", "venv", str(venv)],
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-cache-dir",
         "--disable-pip-version-check", "-r", "binder/requirements.txt"],
        [str(repo / "binder" / "postBuild")],
    ]  # fmt: skip
    for step in steps:
        done = subprocess.run(step, cwd=repo, env=env, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, f"{step} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        timings.append(time.monotonic() - started - sum(timings))
    install_seconds = time.monotonic() - started

    du = subprocess.run(["du", "-sk", str(venv)], capture_output=True, text=True, check=True)
    size_mb = int(du.stdout.split()[0]) / 1024
    print(
        f"\nBinder environment: installed in {install_seconds:.0f} s (venv {timings[0]:.0f} s, "
        f"pip install {timings[1]:.0f} s, postBuild {timings[2]:.0f} s), size {size_mb:.0f} MB"
    )
    return Binder(repo, venv, env, install_seconds, size_mb, tmp)


def test_environment_is_light(binder: Binder) -> None:
    print(f"install {binder.install_seconds:.0f} s (target {MAX_INSTALL_SECONDS} s), "
          f"size {binder.size_mb:.0f} MB (target {MAX_SIZE_MB} MB)")  # fmt: skip
    assert binder.size_mb < MAX_SIZE_MB  # the install time is printed, never asserted


def test_requirements_are_pinned_and_hold_no_test_tools() -> None:
    lines = [
        line.strip()
        for line in (ROOT / "binder" / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines and all(re.fullmatch(r"[A-Za-z0-9_.\-]+==[^\s=]+", line) for line in lines)
    names = {line.split("==")[0].lower().replace("_", "-") for line in lines}
    assert {"nbgrader", "jupyterlab", "rapidfuzz", "ipywidgets", "matplotlib"} <= names
    assert not names & {"pytest", "hypothesis", "ruff", "playwright", "nbgrader-test"}
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
    assert os.access(ROOT / "binder" / "postBuild", os.X_OK), "postBuild must be executable"


def test_environment_has_exactly_the_pinned_versions(binder: Binder) -> None:
    freeze = binder.run(str(binder.venv / "bin" / "python"), "-m", "pip", "freeze", "--all")
    installed = {
        line.split("==")[0].lower().replace("_", "-"): line.split("==")[1]
        for line in freeze.stdout.splitlines()
        if "==" in line
    }
    for line in (binder.repo / "binder" / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.strip().split("==")
            assert installed.get(name.lower().replace("_", "-")) == version, line


def test_nothing_a_teacher_keeps_back_is_in_the_clone(binder: Binder) -> None:
    """Not in a file, not in a git object: a terminal on Binder finds no solution."""
    shipped = shipped_text(binder.repo)
    assert (binder.repo / ".git").is_dir()  # the clone's history is there, and holds nothing
    assert sorted(s for s in teacher_secrets() if s in shipped) == []
    show = binder.run("git", "log", "--all", "--format=%H")
    assert len(show.stdout.split()) == 1


def test_teacher_files_are_gone_from_the_student_view(binder: Binder) -> None:
    repo = binder.repo
    assert not (repo / "source").exists()
    assert not (repo / "src/stalin_course/exam/indicative.toml").exists()
    assert not (repo / "tests").exists()  # answer tables, and tests naming right answers
    assert not list((repo / "src" / "stalin_course" / "bank").glob("*.toml"))
    assert (repo / "src" / "stalin_course" / "bank" / "key.dat").is_file()
    assert (repo / START_PAGE).is_file() and (repo / ASSIGNMENT).is_file()
    # ... and only from the copy: the real repository keeps them.
    assert (ROOT / "source").is_dir() and list((ROOT / "src/stalin_course/bank").glob("*.toml"))


def test_teacher_extensions_off_student_extensions_on(binder: Binder) -> None:
    labext = binder.jupyter("labextension", "list")
    nbgrader_line = next(line for line in labext.splitlines() if "@jupyter/nbgrader v" in line)
    assert " enabled" in nbgrader_line and "locked" in nbgrader_line, labext
    for plugin in TEACHER_PLUGINS:  # locked: the plugin manager cannot turn them back on
        assert f"@jupyter/nbgrader:{plugin}" in nbgrader_line, labext
    disabled = labext.split("Disabled extensions:")[-1] if "Disabled" in labext else ""
    for plugin in TEACHER_PLUGINS:
        assert f"@jupyter/nbgrader:{plugin}" in disabled, labext
    for plugin in STUDENT_PLUGINS:
        assert f"@jupyter/nbgrader:{plugin}" not in disabled, labext
    assert re.search(r"@jupyter-widgets/jupyterlab-manager v\S+ enabled", labext), labext

    server = binder.jupyter("server", "extension", "list")
    state = dict(re.findall(r"^\s*(nbgrader\.server_extensions\.\w+) (enabled|disabled)\s*$",
                            server, flags=re.M))  # fmt: skip
    assert state.get("nbgrader.server_extensions.formgrader") == "disabled", server
    assert state.get("nbgrader.server_extensions.course_list") == "disabled", server
    assert state.get("nbgrader.server_extensions.validate_assignment") == "enabled", server
    assert state.get("nbgrader.server_extensions.assignment_list") == "enabled", server


def test_every_lesson_runs_with_the_binder_kernel(binder: Binder) -> None:
    lessons = sorted((binder.repo / "notebooks").glob("*.ipynb"))
    assert len(lessons) >= 2
    out = binder.tmp / "executed-lessons"
    out.mkdir(exist_ok=True)
    report = binder.execute([(path, out / path.name) for path in lessons])
    assert Path(report["package"]).is_relative_to(binder.repo), report["package"]
    assert report["errors"] == {}, "\n\n".join(f"{k}:\n{v}" for k, v in report["errors"].items())
    for path in lessons:
        nb = nbformat.read(out / path.name, as_version=4)
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
                  if o.output_type == "error"]  # fmt: skip
        assert not errors, (path.name, errors)


def _answer(nb: nbformat.NotebookNode, question: str, text: str) -> None:
    cell = next(c for c in nb.cells if c.source.startswith(f"%%answer {code_for(question)}\n"))
    assert PLACEHOLDER in cell.source
    cell.source = cell.source.replace(PLACEHOLDER, text)


def _feedback(nb: nbformat.NotebookNode, question: str) -> str:
    cell = next(
        c for c in nb.cells if c.source.strip() == f'answers.feedback("{code_for(question)}")'
    )
    return text_of(cell)


def test_released_assignment_self_checks_from_the_key_alone(binder: Binder) -> None:
    """A self-learner answers one question right and one wrong, leaves the rest, checks,
    and downloads the work: with no source/, no bank TOMLs and no teacher."""
    path = binder.repo / ASSIGNMENT
    nb = nbformat.read(path, as_version=4)
    _answer(nb, "power-gensec", "He was General Secretary of the party")
    _answer(nb, "power-trotsky", "Zinoviev")
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "from stalin_course.saving import download_my_work\n\ndownload_my_work()"
        )
    )
    nbformat.write(nb, path)  # the student's saved notebook
    env = dict(binder.env, JPY_SESSION_NAME=str(path))  # as when JupyterLab starts the kernel
    out = binder.tmp / "answered.ipynb"
    report = binder.execute([(path, out)], env=env)
    assert report["errors"] == {}, report["errors"]
    done = nbformat.read(out, as_version=4)

    right = _feedback(done, "power-gensec")
    wrong = _feedback(done, "power-trotsky")
    assert right.startswith("Checking the answer you last ran: “He was General Secretary")
    assert right.splitlines()[-1].startswith("✔"), right
    assert wrong.splitlines()[-1].startswith("✘"), wrong
    verdict = wrong.splitlines()[-1].lower()
    assert "trotsk" not in verdict.replace("power-trotsky", ""), wrong  # no answer given
    assert "not answered yet" in _feedback(done, "power-nep").lower()

    # The download cell made a zip of the student's notebooks and shows a download link.
    link = done.cells[-1].outputs[-1]["data"]["text/html"]
    name = re.search(r"download='(my_work_\d{4}-\d{2}-\d{2}\.zip)'", link).group(1)
    assert "temporary" in link
    # made outside the assignment's folder (so it is never handed in), linked from there
    href = re.search(r"href='([^']+)'", link).group(1)
    archive = (path.parent / href).resolve()
    assert archive.name == name and archive.parent != path.parent.resolve()
    assert not (path.parent / name).exists()
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        saved = nbformat.reads(zipped.read(ASSIGNMENT).decode(), as_version=4)
    assert START_PAGE in names and ASSIGNMENT in names
    assert all(n.endswith(".ipynb") for n in names)
    assert "General Secretary" in "".join(c.source for c in saved.cells)
    archive.unlink()


def test_download_makes_no_file_outside_a_jupyter_session(binder: Binder) -> None:
    """Under nbgrader or a test run (no JupyterLab session) the cell only prints a note."""
    folder = binder.tmp / "no-session"
    folder.mkdir()
    path = folder / "download.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "from stalin_course.saving import download_my_work\ndownload_my_work()"
        )  # fmt: skip
    )
    nbformat.write(nb, path)
    env = dict(binder.env, JPY_SESSION_NAME=str(path), NBGRADER_EXECUTION="autograde")
    for run_env in (binder.env, env):
        report = binder.execute([(path, folder / "out.ipynb")], env=run_env)
        assert report["errors"] == {}
        assert "JupyterLab" in text_of(nbformat.read(folder / "out.ipynb", as_version=4).cells[0])
    assert not list(folder.glob("*.zip"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_jupyterlab_opens_on_the_start_page_without_teacher_panels(binder: Binder) -> None:
    port, token = _free_port(), "binder-test"
    root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    log = binder.tmp / "jupyterlab.log"
    with open(log, "w") as log_file:
        server = subprocess.Popen(
            [str(binder.venv / "bin" / "jupyter"), "lab", "--no-browser", f"--port={port}",
             "--ServerApp.port_retries=0", "--ServerApp.ip=127.0.0.1",
             f"--IdentityProvider.token={token}", *root],
            cwd=binder.repo, env=binder.env, stdout=log_file, stderr=subprocess.STDOUT,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"

    def get(path: str) -> tuple[int, str, str]:
        request = urllib.request.Request(base + path, headers={"Authorization": f"token {token}"})
        try:
            with urllib.request.urlopen(request, timeout=20) as r:
                return r.status, r.geturl(), r.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.url, ""

    try:
        for _ in range(240):
            assert server.poll() is None, f"JupyterLab stopped:\n{log.read_text()[-3000:]}"
            try:
                if get("/api/status")[0] == 200:
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"JupyterLab did not start in 2 minutes:\n{log.read_text()[-3000:]}")
        status, url, _ = get("/")
        assert status == 200 and url.split("?")[0].endswith("/lab/tree/" + START_PAGE), url
        status, _, page = get("/lab/tree/" + START_PAGE)
        config = json.loads(re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', page,
                                      flags=re.S).group(1))  # fmt: skip
        disabled = config.get("disabledExtensions", [])
        for plugin in TEACHER_PLUGINS:
            assert f"@jupyter/nbgrader:{plugin}" in disabled, disabled
            assert f"@jupyter/nbgrader:{plugin}" in config.get("lockedExtensions", []), config
        for plugin in STUDENT_PLUGINS:
            assert f"@jupyter/nbgrader:{plugin}" not in disabled, disabled
        assert get("/formgrader")[0] == 404
        assert get("/api/contents/" + START_PAGE)[0] == 200
        assert get("/api/contents/source")[0] == 404
        settings = json.loads(get("/lab/api/settings/@jupyterlab/docmanager-extension:plugin")[2])
        assert settings["schema"]["properties"]["autosaveInterval"]["default"] == 30
        # No "get notified about news?" pop-up over the first lesson, no request to the feed.
        news = json.loads(get("/lab/api/settings/@jupyterlab/apputils-extension:notification")[2])
        assert news["schema"]["properties"]["fetchNews"]["default"] == "false", news["schema"]
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
