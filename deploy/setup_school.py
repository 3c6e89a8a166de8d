#!/usr/bin/env python3
"""Set up the course on a school's JupyterHub server (run once, as root).

    sudo python3 deploy/setup_school.py --teacher mrsmith --students-group year10 \
        --db-url 'postgresql+psycopg:///stalin_gradebook?host=/var/run/postgresql'

It makes, on this server:

- a Python environment (``--venv``) with the course, JupyterLab, nbgrader, JupyterHub
  and psycopg, installed from this repository (not editable, so nothing in it points
  back into the teacher's folder);
- the teacher's course folder (``--course-dir``): a copy of this repository, owned by
  the teacher, mode 0700, so no student can read ``source/`` (the solutions and hidden
  tests), the bank's sources, the gradebook or anyone's feedback;
- ``school_config.py`` in it, which ``nbgrader_config.py`` reads last: the exchange and,
  with ``--db-url``, the PostgreSQL gradebook (one setting);
- the exchange (``--exchange``), outside the course folder: root-owned with mode 1777
  (the sticky bit: nobody can rename or delete what another user made there), and the
  course's own folders in it owned by the teacher, so no student can make them first
  and hand classmates a fake assignment; submissions go into a folder students can
  write to but not list, with the sticky bit too;
- Jupyter settings for each role (``--jupyter-dir``): students get the course id and
  the exchange in their nbgrader settings, their class's quiet check cells
  (``STALIN_COURSE_CLASS=1``) and no formgrader or create-assignment tools; the teacher's
  JupyterLab opens in the course folder, where formgrader finds the course's settings;
- ``school.json`` (beside the Jupyter settings), which ``deploy/jupyterhub_config.py``
  reads.

Run it again after pulling a new version: the course folder is updated from this
repository (the gradebook and students' work in it are kept) and the environment is
reinstalled. Nothing outside the paths given is touched.
"""

from __future__ import annotations

import argparse
import grp
import json
import os
import pwd
import shutil
import stat
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
COURSE_ID = "stalin-consolidation"

#: Files of the course folder that are the teacher's work, never replaced on an update.
TEACHERS_OWN = ("gradebook.db", "school_config.py", "students.csv")
TEACHERS_FOLDERS = ("submitted", "autograded", "feedback", "reports", "exchange")

#: Student JupyterLab: the teacher's tools are not shown (nbgrader's extension ids).
STUDENT_LAB_OFF = (
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
)
STUDENT_SERVER_OFF = (
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.course_list",
)


def _run(*args: str | Path, **kwargs) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True, **kwargs)


def _course_files(root: Path) -> list[str]:
    """The repository's files (tracked, plus new ones git does not ignore)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root, capture_output=True, check=True,
    ).stdout  # fmt: skip
    return [name for name in listed.decode().split("\0") if name and (root / name).is_file()]


def install_environment(venv: Path, python: str) -> None:
    """The course and the server's programs in their own environment, readable by all."""
    if not (venv / "bin" / "python").exists():
        _run(python, "-m", "venv", venv)
    pip = [venv / "bin" / "python", "-m", "pip", "--disable-pip-version-check", "-q"]
    _run(*pip, "install", "--upgrade", "pip")
    _run(*pip, "install", f"{REPOSITORY}[server]")
    _run(venv / "bin" / "stalin-course", "kernel-setup")
    _run(venv / "bin" / "stalin-course", "lab-setup")
    # Students' kernels get the class key: the held-back questions' text, nothing of what
    # they accept (the teacher's grading reads the full key in the course folder).
    installed = subprocess.run(
        [venv / "bin" / "python", "-c",
         "import stalin_course.bank as b; print(b._bank_files().joinpath('key.dat'))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    env = dict(os.environ, PYTHONPATH=str(REPOSITORY / "src"))
    _run(venv / "bin" / "python", "-m", "stalin_course", "build-key", "--class", installed,
         env=env, cwd=REPOSITORY)  # fmt: skip
    for folder, _, files in os.walk(venv):
        for name in [folder, *(os.path.join(folder, f) for f in files)]:
            if not os.path.islink(name):
                mode = os.stat(name).st_mode
                os.chmod(name, mode | stat.S_IRGRP | stat.S_IROTH | (
                    stat.S_IXGRP | stat.S_IXOTH if mode & stat.S_IXUSR else 0
                ))  # fmt: skip


def copy_course(course: Path, teacher: str) -> None:
    """This repository's files into the teacher's course folder (their work kept)."""
    course.mkdir(parents=True, exist_ok=True)
    for name in _course_files(REPOSITORY):
        parts = Path(name).parts
        if name in TEACHERS_OWN or parts[0] in TEACHERS_FOLDERS:
            continue
        target = course / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPOSITORY / name, target)
    owner = pwd.getpwnam(teacher)
    for folder, _dirs, files in os.walk(course):
        for name in [folder, *(os.path.join(folder, f) for f in files)]:
            os.chown(name, owner.pw_uid, owner.pw_gid, follow_symlinks=False)
    course.chmod(0o700)


def school_config(course: Path, exchange: Path, db_url: str | None, teacher: str) -> Path:
    """The school's own nbgrader settings, read last by the course's nbgrader_config.py."""
    key = course / "src" / "stalin_course" / "bank" / "key.dat"
    lines = [
        '"""This school\'s nbgrader settings (written by deploy/setup_school.py)."""',
        "",
        "import os",
        "",
        "c = get_config()  # noqa: F821",
        f"c.Exchange.root = {str(exchange)!r}",
        "# marking reads the full answer key here (students' Python has the class key)",
        f"os.environ.setdefault('STALIN_COURSE_KEY', {str(key)!r})",
    ]
    if db_url:
        lines.append(f"c.CourseDirectory.db_url = {db_url!r}")
    path = course / "school_config.py"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    owner = pwd.getpwnam(teacher)
    os.chown(path, owner.pw_uid, owner.pw_gid)
    path.chmod(0o600)
    return path


def make_exchange(exchange: Path, teacher: str) -> None:
    """The shared exchange: 1777 at the top; the course's folders the teacher's."""
    exchange.mkdir(parents=True, exist_ok=True)
    os.chown(exchange, 0, 0)
    exchange.chmod(0o1777)
    owner = pwd.getpwnam(teacher)
    course = exchange / COURSE_ID
    modes = {course: 0o755, course / "outbound": 0o755, course / "feedback": 0o711,
             course / "inbound": 0o3733}  # fmt: skip
    for folder, mode in modes.items():
        folder.mkdir(exist_ok=True)
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        folder.chmod(mode)


def role_settings(jupyter: Path, exchange: Path, course: Path) -> None:
    """Jupyter settings folders, one per role, given to each user by the hub."""
    student = jupyter / "student"
    (student / "labconfig").mkdir(parents=True, exist_ok=True)
    (student / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {name: True for name in STUDENT_LAB_OFF}}, indent=1)
    )
    (student / "jupyter_server_config.json").write_text(
        json.dumps(
            {"ServerApp": {"jpserver_extensions": {name: False for name in STUDENT_SERVER_OFF}}},
            indent=1,
        )
    )
    (student / "nbgrader_config.py").write_text(
        "\n".join(
            [
                '"""nbgrader settings for students (written by deploy/setup_school.py)."""',
                "",
                "c = get_config()  # noqa: F821",
                f"c.CourseDirectory.course_id = {COURSE_ID!r}",
                f"c.Exchange.root = {str(exchange)!r}",
                "# never handed in with the work: the zip 'download my work' makes",
                "c.CourseDirectory.ignore = [",
                '    ".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "my_work_*.zip",',
                "]",
                "",
            ]
        )  # fmt: skip
    )
    teacher = jupyter / "teacher"
    teacher.mkdir(parents=True, exist_ok=True)
    # formgrader reads nbgrader's settings from the folder the server started in (the
    # teacher's home): point it at the course's own.
    (teacher / "nbgrader_config.py").write_text(
        '"""The teacher\'s nbgrader settings: the course\'s own (deploy/setup_school.py)."""\n\n'
        "c = get_config()  # noqa: F821\n"
        f"load_subconfig({str(course / 'nbgrader_config.py')!r})  # noqa: F821\n"
    )
    for folder, _, files in os.walk(jupyter):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--teacher", required=True, action="append",
                        help="the teacher's login name (repeat for more teachers)")  # fmt: skip
    parser.add_argument("--students-group", default="",
                        help="the Unix group of the class's logins (or list --student)")  # fmt: skip
    parser.add_argument("--student", action="append", default=[], help="one student's login")
    parser.add_argument("--course-dir", type=Path, default=Path("/srv/stalin-course/course"))
    parser.add_argument("--exchange", type=Path, default=Path("/srv/nbgrader/exchange"))
    parser.add_argument("--jupyter-dir", type=Path, default=Path("/srv/stalin-course/jupyter"))
    parser.add_argument("--venv", type=Path, default=Path("/opt/stalin-course/venv"))
    parser.add_argument("--python", default="/usr/bin/python3",
                        help="the Python every user can run, for the environment")  # fmt: skip
    parser.add_argument("--db-url", help="the gradebook, e.g. postgresql+psycopg:///gradebook")
    parser.add_argument("--bind-url", default="http://127.0.0.1:8000",
                        help="where JupyterHub listens (put HTTPS in front of it)")  # fmt: skip
    parser.add_argument("--hub-port", type=int, default=8081, help="the hub's own port (loopback)")
    parser.add_argument("--proxy-api-port", type=int, default=8001,
                        help="the proxy's API port (loopback)")  # fmt: skip
    parser.add_argument(
        "--skip-install",
        action="store_true",
        help="keep the environment as it is (only the folders and settings)",
    )
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        parser.error("run this as root (it makes folders for other users)")
    for name in args.teacher + args.student:
        pwd.getpwnam(name)  # each login must exist
    if args.students_group:
        grp.getgrnam(args.students_group)
    if not args.skip_install:
        install_environment(args.venv, args.python)
    teacher = args.teacher[0]
    copy_course(args.course_dir, teacher)
    school_config(args.course_dir, args.exchange, args.db_url, teacher)
    make_exchange(args.exchange, teacher)
    role_settings(args.jupyter_dir, args.exchange, args.course_dir)
    settings = {
        "course_dir": str(args.course_dir),
        "jupyter_dir": str(args.jupyter_dir),
        "venv": str(args.venv),
        "teachers": args.teacher,
        "students": args.student,
        "students_group": args.students_group,
        "bind_url": args.bind_url,
        "hub_port": args.hub_port,
        "proxy_api_port": args.proxy_api_port,
        "state_dir": str(args.jupyter_dir.parent / "hub"),
    }
    path = args.jupyter_dir.parent / "school.json"
    path.write_text(json.dumps(settings, indent=1) + "\n", encoding="utf-8")
    path.chmod(0o644)
    hub_state = Path(settings["state_dir"])
    hub_state.mkdir(exist_ok=True)
    hub_state.chmod(0o700)
    print(f"\nDone. Start the hub with:\n  STALIN_SCHOOL_SETTINGS={path} {args.venv}/bin/jupyterhub "
          f"-f {REPOSITORY}/deploy/jupyterhub_config.py")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
