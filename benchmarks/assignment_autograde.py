"""Time plain ``nbgrader autograde`` on N filled-in copies of every assignment.

Usage (from the top folder of the course):

    .venv/bin/python benchmarks/assignment_autograde.py [-n 5] [ASSIGNMENT ...]

Each copy is the released notebook filled with the ``correct`` answers from
``tests/assignment_answers/<assignment>.toml``. The course is a scratch copy (the
teacher's gradebook is left alone). Prints seconds per notebook for each assignment,
then one JSON line with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from stalin_course.bank import code_for
from stalin_course.checking import PLACEHOLDER
from stalin_course.release import ROOT, assignments

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ANSWERS = ROOT / "tests" / "assignment_answers"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def _nbgrader(course: Path, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course, env=_env(), capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"nbgrader {' '.join(args)} failed:\n{done.stderr}")


def _filled(name: str) -> nbformat.NotebookNode:
    nb = nbformat.read(ROOT / "release" / name / f"{name}.ipynb", as_version=4)
    path = ANSWERS / f"{name}.toml"
    answers = (
        tomllib.loads(path.read_text(encoding="utf-8"))["correct"]["answers"]
        if path.exists()
        else {}
    )
    for cell in nb.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = f"%%answer {code_for(grade_id)}\n{answers[grade_id] or PLACEHOLDER}"
    return nb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5, help="copies per assignment (default 5)")
    parser.add_argument("names", nargs="*", help="assignments (default: all in source/)")
    args = parser.parse_args()
    names = args.names or assignments()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="stalin-bench-") as scratch:
        course = Path(scratch) / "course"
        course.mkdir()
        shutil.copy(ROOT / "nbgrader_config.py", course)
        shutil.copytree(ROOT / "source", course / "source")
        for name in names:
            _nbgrader(course, "generate_assignment", name, "--force")
            nb = _filled(name)
            for n in range(args.n):
                folder = course / "submitted" / f"student{n:03d}" / name
                folder.mkdir(parents=True)
                nbformat.write(nb, folder / f"{name}.ipynb")
            start = time.perf_counter()
            _nbgrader(course, "autograde", name)
            seconds = time.perf_counter() - start
            per = seconds / args.n
            results[name] = {
                "notebooks": args.n,
                "seconds": round(seconds, 2),
                "per_notebook": round(per, 2),
            }
            print(
                f"{name:28s} {args.n} notebooks in {seconds:6.1f} s: {per:5.2f} s per notebook",
                flush=True,
            )
    total = sum(r["seconds"] for r in results.values())
    count = sum(r["notebooks"] for r in results.values())
    print(json.dumps({"copies": args.n, "assignments": results,
                      "mean_per_notebook": round(total / count, 2) if count else None}))  # fmt: skip


if __name__ == "__main__":
    main()
