"""Time `stalin-course grade --jobs 2` against plain serial `nbgrader autograde`.

Builds a simulated class (default 30 students x every assignment in source/) in a
temporary folder, grades identical copies of the submissions both ways, and times
the floor: an empty notebook through the same path (kernel start and stop only).

    .venv/bin/python benchmarks/autograde_class.py [--students 30] [--jobs 2]

The last line printed is JSON:
{"notebooks": N, "seconds": T, "seconds_per_notebook": t, "floor_seconds_per_notebook": f,
 "ratio_to_floor": t/f, "speedup_vs_nbgrader": s}
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
from nbformat.v4 import new_code_cell, new_notebook

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


def _floor_source(folder: Path, count: int) -> Path:
    """A source/ with ``count`` assignments whose notebook is empty (one locked blank cell)."""
    cell = new_code_cell(
        "",
        metadata={
            "nbgrader": {
                "grade": False,
                "grade_id": "blank",
                "locked": True,
                "schema_version": 3,
                "solution": False,
            }
        },
    )
    nb = new_notebook(
        cells=[cell],
        metadata={
            "kernelspec": {
                "name": "python3",
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
            }
        },
    )
    for index in range(count):
        (folder / f"floor{index}").mkdir(parents=True)
        nbformat.write(nb, folder / f"floor{index}" / f"floor{index}.ipynb")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=2)
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
        print(f"{notebooks} notebooks: {args.students} students x {len(assignments)} assignments")

        seconds = 0.0
        for name in assignments:
            taken = _run(
                [sys.executable, "-m", "stalin_course", "grade", name, "--jobs", str(args.jobs)],
                ours,
            )
            print(f"stalin-course grade {name} --jobs {args.jobs}: {taken:.1f} s")
            seconds += taken

        nbgrader_seconds = None
        if not args.skip_nbgrader:
            nbgrader_seconds = 0.0
            for name in assignments:
                taken = _run(_nbgrader("autograde", name), theirs)
                print(f"nbgrader autograde {name}: {taken:.1f} s")
                nbgrader_seconds += taken

        # the floor: the same number of assignments and students, each notebook empty
        floor_source = _floor_source(scratch / "floor-source", len(assignments))
        floor_course = _course(scratch / "floor", floor_source)
        floor = 0.0
        for index in range(len(assignments)):
            name = f"floor{index}"
            _run(_nbgrader("generate_assignment", name, "--force"), floor_course)
            for k in range(args.students):
                folder = floor_course / "submitted" / f"student{k:02d}" / name
                folder.mkdir(parents=True)
                shutil.copy(floor_course / "release" / name / f"{name}.ipynb", folder)
            floor += _run(
                [sys.executable, "-m", "stalin_course", "grade", name, "--jobs", str(args.jobs)],
                floor_course,
            )
        print(f"floor (empty notebooks, same path): {floor:.1f} s for {notebooks}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    per = seconds / notebooks
    floor_per = floor / notebooks
    result = {
        "notebooks": notebooks,
        "seconds": round(seconds, 2),
        "seconds_per_notebook": round(per, 3),
        "floor_seconds_per_notebook": round(floor_per, 3),
        "ratio_to_floor": round(per / floor_per, 3),
        "speedup_vs_nbgrader": round(nbgrader_seconds / seconds, 2) if nbgrader_seconds else None,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
