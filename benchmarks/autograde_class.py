"""Time `stalin-course grade` against plain `nbgrader autograde`, on the same class.

Builds a simulated class (default 30 students x every assignment in source/) in a
temporary folder and grades it with one `stalin-course grade` command for all the
assignments. Plain `nbgrader autograde` (a kernel per notebook, ~1-2 s each) is timed
on identical copies of the first `--nbgrader-students` students' submissions (all of
them by default; a year group of 300 would take nbgrader over an hour), and the
speed-up compares time per notebook.

    .venv/bin/python benchmarks/autograde_class.py [--students 300] [--nbgrader-students 10]

The last line printed is JSON:
{"notebooks": N, "seconds": T, "seconds_per_notebook": t, "nbgrader_notebooks": n,
 "nbgrader_seconds_per_notebook": u, "speedup_vs_nbgrader": u/t}
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = "Type your answer here"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env["PATH"]
    return env


def _run(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - start


def _nbgrader(*args: str) -> list[str]:
    return [sys.executable, "-m", "nbgrader", *args]


def _course(folder: Path, source: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", folder)
    shutil.copytree(source, folder / "source")
    return folder


def _solutions(source_nb: Path) -> dict[str, str]:
    nb = nbformat.read(source_nb, as_version=4)
    found = {}
    for cell in nb.cells:
        match = re.search(r"### BEGIN SOLUTION\n(.*?)\n### END SOLUTION", cell.source, re.S)
        if match and "grade_id" in cell.metadata.get("nbgrader", {}):
            found[cell.metadata.nbgrader.grade_id] = match.group(1)
    return found


def _submissions(course: Path, students: int) -> int:
    """Fill the class's submitted/ folder from the release copies: student k answers
    roughly k/students of the questions correctly. Returns the number of notebooks."""
    count = 0
    for release_nb in sorted((course / "release").glob("*/*.ipynb")):
        assignment = release_nb.parent.name
        keys = _solutions(course / "source" / assignment / release_nb.name)
        for k in range(students):
            nb = nbformat.read(release_nb, as_version=4)
            answered = 0
            for cell in nb.cells:
                grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
                if grade_id in keys and cell.source.endswith(PLACEHOLDER):
                    answered += 1
                    if answered * students <= (k + 1) * len(keys):
                        cell.source = cell.source.replace(PLACEHOLDER, keys[grade_id])
            folder = course / "submitted" / f"student{k:02d}" / assignment
            folder.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, folder / release_nb.name)
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument(
        "--nbgrader-students", type=int, help="students graded by plain nbgrader (default: all)"
    )
    parser.add_argument("--skip-nbgrader", action="store_true", help="do not time plain nbgrader")
    parser.add_argument("--only", nargs="*", help="grade only these assignments")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bench-autograde-"))
    try:
        ours = _course(scratch / "ours", ROOT / "source")
        assignments = sorted(p.name for p in (ours / "source").iterdir() if any(p.glob("*.ipynb")))
        if args.only:
            assignments = [name for name in assignments if name in args.only]
            for other in (ours / "source").iterdir():
                if other.name not in assignments:
                    shutil.rmtree(other)
        for name in assignments:
            _run(_nbgrader("generate_assignment", name, "--force"), ours)
        notebooks = _submissions(ours, args.students)
        theirs = scratch / "theirs"
        shutil.copytree(ours, theirs)
        sample = min(args.nbgrader_students or args.students, args.students)
        for extra in sorted((theirs / "submitted").iterdir())[sample:]:
            shutil.rmtree(extra)
        print(f"{notebooks} notebooks: {args.students} students x {len(assignments)} assignments")

        seconds = _run([sys.executable, "-m", "stalin_course", "grade", *assignments], ours)
        print(f"stalin-course grade (all {len(assignments)} assignments): {seconds:.1f} s")

        nbgrader_seconds, nbgrader_notebooks = 0.0, sample * len(assignments)
        if not args.skip_nbgrader:
            for name in assignments:
                taken = _run(_nbgrader("autograde", name), theirs)
                print(f"nbgrader autograde {name} ({sample} students): {taken:.1f} s")
                nbgrader_seconds += taken
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    per = seconds / notebooks
    theirs_per = nbgrader_seconds / nbgrader_notebooks if nbgrader_seconds else None
    result = {
        "notebooks": notebooks,
        "seconds": round(seconds, 2),
        "seconds_per_notebook": round(per, 4),
        "nbgrader_notebooks": nbgrader_notebooks if theirs_per else 0,
        "nbgrader_seconds_per_notebook": round(theirs_per, 3) if theirs_per else None,
        "speedup_vs_nbgrader": round(theirs_per / per, 1) if theirs_per else None,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
