"""The course on a school's server, as deploy/ sets it up: JupyterHub with Unix accounts,
a shared exchange, a PostgreSQL gradebook, and the whole cycle through real logins.

Run as root (by ``.ci/run``): it makes temporary Unix users (one teacher, two
students), a Python environment every user can run, a PostgreSQL server and JupyterHub
with configurable-http-proxy on 127.0.0.1, and removes them all afterwards. Elsewhere
it is skipped with the reason (``STALIN_REQUIRE_SERVER=1`` makes that a failure).

Students log in through the hub in Chromium, fetch the assignment from the Assignments
tab, answer it in JupyterLab and submit; the teacher collects, grades, marks the task
in formgrader (in their own browser session), and returns feedback; each student
fetches it and sees every mark. On the way it checks what a student can and cannot
reach on the shared server.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
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
from conftest import ROOT

from stalin_course.bank import code_for
from stalin_course.checking import WRITTEN_ANSWER_BOX

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]
expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install -e '.[test]'"
).expect

A = "02_party_control"
COURSE_ID = "stalin-consolidation"
TAG = f"stc{secrets.token_hex(2)}"
TEACHER = f"{TAG}-teacher"
STUDENTS = [f"{TAG}-amy", f"{TAG}-ben"]
PASSWORD = secrets.token_urlsafe(12)
TASK_ANSWER = "As General Secretary Stalin appointed loyal officials to Party posts."
COMMENT = "Two ways needed: add the purges."
TIMEOUT_MS = 120_000
RUNUSER = shutil.which("runuser") or "/usr/sbin/runuser"


def _cannot_run(reason: str) -> None:
    if os.environ.get("STALIN_REQUIRE_SERVER") == "1":
        pytest.fail(f"the school-server test must run (STALIN_REQUIRE_SERVER=1) but: {reason}")
    pytest.skip(reason)


def _run(*args: str | Path, user: str | None = None, cwd: Path | None = None,
         env: dict | None = None, check: bool = True, timeout: int = 900):  # fmt: skip
    """Run a command, as ``user`` (with runuser) when given."""
    command = [str(a) for a in args]
    if user is not None:
        command = [RUNUSER, "-u", user, "--", *command]
    done = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    if check:
        assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, seconds: int = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"nothing answered at {url}")


@dataclass
class School:
    base: Path
    venv: Path
    course: Path
    exchange: Path
    jupyter: Path
    hub_url: str
    db_url: str
    env: dict[str, str]

    def as_teacher(self, *args: str, check: bool = True):
        """A command the teacher runs in the course folder, in a terminal on the server."""
        return _run(*args, user=TEACHER, cwd=self.course, env=self.env, check=check)

    def as_student(self, student: str, *args: str, check: bool = True):
        home = Path(f"/home/{student}")
        env = dict(self.env, JUPYTER_CONFIG_PATH=str(self.jupyter / "student"), HOME=str(home))
        return _run(*args, user=student, cwd=home, env=env, check=check)


def _users() -> None:
    for name in [TEACHER, *STUDENTS]:
        _run("useradd", "--create-home", "--shell", "/bin/bash", name)
        Path(f"/home/{name}").chmod(0o700)
    subprocess.run(
        ["chpasswd"],
        input="".join(f"{name}:{PASSWORD}\n" for name in [TEACHER, *STUDENTS]),
        text=True,
        check=True,
    )


def _remove_users() -> None:
    for name in [TEACHER, *STUDENTS]:
        subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
        subprocess.run(["userdel", "--remove", name], capture_output=True)


def _postgres(base: Path, port: int) -> tuple[subprocess.Popen | None, str, Path]:
    """A PostgreSQL server of its own (peer login on its socket only); the gradebook's
    database, owned by the teacher."""
    bindir = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))[-1].parent
    data, sockets = base / "pgdata", base / "pgsocket"
    for folder in (data, sockets):
        folder.mkdir()
        shutil.chown(folder, "postgres", "postgres")
    sockets.chmod(0o755)
    _run(bindir / "initdb", "-D", data, "--auth-local=peer", "--auth-host=reject",
         "-U", "postgres", user="postgres")  # fmt: skip
    _run(bindir / "pg_ctl", "-D", data, "-l", data / "server.log", "-w", "start", "-o",
         f"-k {sockets} -p {port} -c listen_addresses=127.0.0.1", user="postgres")  # fmt: skip
    psql = ["psql", "-h", str(sockets), "-p", str(port), "-v", "ON_ERROR_STOP=1"]
    _run(*psql, "-c", f'CREATE ROLE "{TEACHER}" LOGIN', user="postgres")
    _run(*psql, "-c", f'CREATE DATABASE stalin_gradebook OWNER "{TEACHER}"', user="postgres")
    url = f"postgresql+psycopg:///stalin_gradebook?host={sockets}&port={port}"
    return bindir, url, data


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Iterator[School]:
    if sys.platform != "linux" or os.geteuid() != 0:
        _cannot_run("the school-server test makes Unix users: run it as root (CI does)")
    for tool in ("useradd", "runuser", "chpasswd", "psql", "configurable-http-proxy"):
        if shutil.which(tool) is None:
            _cannot_run(f"{tool} is not installed: run .ci/server-setup")
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        _cannot_run("PostgreSQL's server is not installed: run .ci/server-setup")
    python = shutil.which("python3", path="/usr/bin:/bin") or ""
    if not python:
        _cannot_run("no system python3 that every user can run")
    base = Path(f"/srv/{TAG}")
    base.mkdir(mode=0o755)
    venv = Path(os.environ.get("STALIN_SERVER_VENV", f"/opt/{TAG}-venv"))
    made_venv = not venv.exists()
    pg_port, hub_port = _free_port(), _free_port()
    hub = None
    bindir = data = None
    try:
        _users()
        bindir, db_url, data = _postgres(base, pg_port)
        course, exchange, jupyter = base / "course", base / "exchange", base / "jupyter"
        setup = [
            sys.executable, ROOT / "deploy" / "setup_school.py", "--teacher", TEACHER,
            *[arg for s in STUDENTS for arg in ("--student", s)],
            "--course-dir", course, "--exchange", exchange, "--jupyter-dir", jupyter,
            "--venv", venv, "--python", python, "--db-url", db_url,
            "--bind-url", f"http://127.0.0.1:{hub_port}", "--hub-port", str(_free_port()),
            "--proxy-api-port", str(_free_port()),
        ]  # fmt: skip
        _run(*setup, timeout=1800)
        env = {
            "PATH": f"{venv / 'bin'}:/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "HOME": f"/home/{TEACHER}",
        }
        hub_env = dict(env, STALIN_SCHOOL_SETTINGS=str(base / "school.json"), HOME="/root")
        hub = subprocess.Popen(
            [venv / "bin" / "jupyterhub", "-f", ROOT / "deploy" / "jupyterhub_config.py"],
            cwd=base / "hub", env=hub_env,
            stdout=open(base / "hub.log", "w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        hub_url = f"http://127.0.0.1:{hub_port}"
        _wait_http(f"{hub_url}/hub/login")
        yield School(base, venv, course, exchange, jupyter, hub_url, db_url, env)
    finally:
        if hub is not None:
            hub.terminate()
            try:
                hub.wait(30)
            except subprocess.TimeoutExpired:
                hub.kill()
        proxy = base / "hub" / "jupyterhub-proxy.pid"
        if proxy.exists():
            subprocess.run(["kill", proxy.read_text().strip()], capture_output=True)
        subprocess.run(["pkill", "-f", str(base)], capture_output=True)
        _remove_users()
        if data is not None:
            subprocess.run(
                [RUNUSER, "-u", "postgres", "--", str(bindir / "pg_ctl"), "-D", str(data),
                 "-m", "immediate", "stop"], capture_output=True,
            )  # fmt: skip
        log = base / "hub.log"
        if log.exists():
            (ROOT / "test-artefacts").mkdir(exist_ok=True)
            shutil.copy(log, ROOT / "test-artefacts" / "school-hub.log")
        shutil.rmtree(base, ignore_errors=True)
        if made_venv and "STALIN_SERVER_VENV" not in os.environ:
            shutil.rmtree(venv, ignore_errors=True)


def _login(browser, school: School, name: str):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{school.hub_url}/hub/login")
    page.fill("#username_input", name)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")
    page.wait_for_url(re.compile(rf"/user/{re.escape(name)}/lab"), timeout=TIMEOUT_MS)
    page.locator("#jp-main-statusbar").wait_for(timeout=TIMEOUT_MS)
    return page


def _menu(page, menu: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{menu}$")).click()
    page.locator(".lm-Menu-content .lm-Menu-itemLabel").get_by_text(item, exact=True).click()


def _menu_items(page, menu: str) -> list[str]:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{menu}$")).click()
    items = page.locator(".lm-Menu-content .lm-Menu-itemLabel").all_inner_texts()
    page.keyboard.press("Escape")
    return items


def _type_answer(page, notebook, question: str, text: str) -> None:
    """Type ``text`` under the first line of the question's answer cell."""
    cell = notebook.locator(".jp-CodeCell").filter(
        has=page.locator(".jp-InputArea-editor", has_text=f"%%answer {code_for(question)}")
    )
    cell.scroll_into_view_if_needed()
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Shift+Home")
    page.keyboard.type(text)


def test_the_whole_cycle_through_the_hub(browser, school: School) -> None:
    teacher = school.as_teacher
    # the teacher releases (the exchange comes from school_config.py, not the shell)
    teacher("nbgrader", "generate_assignment", A, "--force")
    release = teacher("nbgrader", "release_assignment", A, "--force")
    assert str(school.exchange) in release.stdout + release.stderr

    pages = {}
    for student in STUDENTS:
        page = pages[student] = _login(browser, school, student)
        assert "Formgrader" not in _menu_items(page, "Nbgrader")
        _menu(page, "Nbgrader", "Assignment List")
        panel = page.locator(".jp-NbgraderAssignmentList, #nbgrader-assignment-list").first
        released = panel.locator("#released_assignments_list")
        expect(released).to_contain_text(A)
        released.get_by_role("button", name="Fetch").click()
        expect(panel.locator("#fetched_assignments_list")).to_contain_text(A)
        page.goto(f"{school.hub_url}/user/{student}/lab/tree/{A}/{A}.ipynb")
        notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")
        notebook.locator(".jp-Cell").first.wait_for()
        _type_answer(page, notebook, "party-politburo",
                     "the Politburo" if student == STUDENTS[0] else "the Cheka")  # fmt: skip
        if student == STUDENTS[0]:  # a held-back question: its answer is only saved
            _type_answer(page, notebook, "party-membership-peak-year", "1933")
        box = notebook.locator(".jp-MarkdownCell").filter(
            has=page.locator(".jp-RenderedMarkdown p").get_by_text(WRITTEN_ANSWER_BOX, exact=True)
        )
        box.scroll_into_view_if_needed()
        box.dblclick()
        editor = notebook.locator(".jp-MarkdownCell.jp-mod-active .cm-content")
        editor.click()
        page.keyboard.press("Control+a")
        page.keyboard.type(TASK_ANSWER if student == STUDENTS[0] else "He used the Party.")
        page.keyboard.press("Shift+Enter")
        page.keyboard.press("Control+s")
        saved = Path(f"/home/{student}/{A}/{A}.ipynb")
        for _ in range(60):  # the file on disk, as the student saved it
            if "He used the Party." in saved.read_text() or TASK_ANSWER in saved.read_text():
                break
            page.wait_for_timeout(500)
        else:
            pytest.fail(f"{student}'s answer was not saved")
        _menu(page, "Nbgrader", "Assignment List")
        fetched = panel.locator("#fetched_assignments_list")
        fetched.get_by_role("button", name="Submit").click()
        expect(panel.locator("#submitted_assignments_list")).to_contain_text(A)

    teacher("nbgrader", "collect", A)
    graded = teacher("stalin-course", "grade", A)
    assert "2 of 2 notebooks graded" in graded.stdout, graded.stdout

    # the teacher marks the task in formgrader, in their own logged-in browser
    staff = _login(browser, school, TEACHER)
    assert "Formgrader" in _menu_items(staff, "Nbgrader")
    # the gradebook is PostgreSQL, which answers only the teacher: read it as them
    ids = json.loads(
        school.as_teacher(
            "python", "-c",
            "import json; from nbgrader.api import Gradebook\n"
            f"gb = Gradebook({school.db_url!r}, {COURSE_ID!r})\n"
            f"print(json.dumps({{s: gb.find_submission_notebook({A!r}, {A!r}, s).id "
            f"for s in {STUDENTS!r}}}))",
        ).stdout
    )  # fmt: skip
    staff.goto(f"{school.hub_url}/user/{TEACHER}/formgrader/submissions/{ids[STUDENTS[0]]}/")
    score = staff.locator("input.score").last
    score.fill("3")
    score.press("Tab")
    comment = staff.locator("textarea.comment").last
    comment.fill(COMMENT)
    comment.press("Tab")
    staff.wait_for_timeout(2000)

    teacher("nbgrader", "generate_feedback", A, "--force")
    teacher("nbgrader", "release_feedback", A)

    for student in STUDENTS:
        page = pages[student]
        page.goto(f"{school.hub_url}/user/{student}/lab")
        page.locator("#jp-main-statusbar").wait_for()
        _menu(page, "Nbgrader", "Assignment List")
        panel = page.locator("#submitted_assignments_list")
        panel.get_by_role("button", name="Fetch Feedback").click()
        page.wait_for_timeout(2000)
        pages_found = sorted(Path(f"/home/{student}/{A}/feedback").rglob(f"{A}.html"))
        assert pages_found, f"no feedback fetched for {student}"
        rel = pages_found[-1].relative_to(Path(f"/home/{student}"))
        page.goto(f"{school.hub_url}/user/{student}/files/{rel}")
        body = page.locator("body")
        if student == STUDENTS[0]:
            expect(body).to_contain_text("Total: 5 out of 10.")  # Q1, Q5 (held back), Q7: 3
            expect(body).to_contain_text("3 out of 4 (your teacher's mark)")
            expect(body).to_contain_text(COMMENT)
            expect(body).to_contain_text(TASK_ANSWER)
        else:
            expect(body).to_contain_text("Not marked yet (out of 4)")
        text = body.inner_text()
        assert "HIDDEN TESTS" not in text and "MARK SCHEME" not in text


def test_what_a_student_can_reach_on_the_server(school: School) -> None:
    student = STUDENTS[1]
    for secret in (school.course / "source", school.course / "school_config.py",
                   school.course / "nbgrader_config.py"):  # fmt: skip
        done = school.as_student(student, "cat", secret / "x" if secret.is_dir() else secret,
                                 check=False)  # fmt: skip
        assert done.returncode != 0 and "Permission denied" in done.stderr, secret
    # the course's folder in the exchange cannot be renamed or replaced by a student
    course_box = school.exchange / COURSE_ID
    done = school.as_student(student, "mv", course_box, school.exchange / "mine", check=False)
    assert done.returncode != 0 and course_box.is_dir()
    done = school.as_student(student, "mkdir", school.exchange / COURSE_ID / "outbound" / "x",
                             check=False)  # fmt: skip
    assert done.returncode != 0
    # nor can a student list, or remove, another's submission
    inbound = school.exchange / COURSE_ID / "inbound"
    assert school.as_student(student, "ls", inbound, check=False).returncode != 0
    others = [p for p in inbound.iterdir() if p.name.startswith(STUDENTS[0])]
    for path in others:
        done = school.as_student(student, "mv", path, inbound / "stolen", check=False)
        assert done.returncode != 0 and path.exists()
    # the gradebook answers only the teacher
    done = school.as_student(
        student, "python", "-c",
        f"import sqlalchemy; sqlalchemy.create_engine({school.db_url!r}).connect()",
        check=False,
    )  # fmt: skip
    assert done.returncode != 0
    # the students' Python has the class key: a held-back question is never judged there
    verdict = school.as_student(
        student, "python", "-c",
        "from stalin_course.checking import check\n"
        "print(check('party-membership-peak-year', '1933').status)",
    ).stdout.strip()  # fmt: skip
    assert verdict not in ("correct", "partial"), verdict
    # and no bank sources
    package = school.as_student(
        student,
        "python",
        "-c",
        "import stalin_course, pathlib; print(pathlib.Path(stalin_course.__file__).parent)",
    ).stdout.strip()
    assert not list(Path(package).glob("bank/*.toml"))
