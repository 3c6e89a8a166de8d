"""Regenerate ``release/`` from ``source/`` with nbgrader, and compare the two.

The student versions are never edited by hand: ``./run.sh release`` (or
``python -m stalin_course release``) runs ``nbgrader generate_assignment`` for
every assignment in ``source/`` in a scratch copy of the course, so the
teacher's gradebook is left alone, then copies the results into ``release/``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["CourseFolderError", "assignments", "course_root", "generate", "normalised", "ROOT"]

#: The course's top folder (holding source/, release/ and nbgrader_config.py).
ROOT = Path(__file__).resolve().parents[2]


class CourseFolderError(RuntimeError):
    """A command that works on the course's files was run without them."""


def course_root(root: Path = ROOT) -> Path:
    """``root`` if it is the course repository (``source/``, ``nbgrader_config.py`` and the
    bank's sources), else raise ``CourseFolderError`` saying what is missing and what to do.

    An installed wheel has none of these: it carries the lessons' data and the sealed
    key, enough to check answers and draw charts, but not the teacher's sources."""
    needed = [root / "source", root / "nbgrader_config.py", root / "src/stalin_course/bank"]
    missing = [p.relative_to(root).as_posix() for p in needed if not p.exists()]
    if missing:
        raise CourseFolderError(
            "this command needs the course repository (source/, nbgrader_config.py and the "
            f"bank's TOML sources), but the stalin_course package at {Path(__file__).parent} "
            f"was not installed from one ({', '.join(missing)} not found beside it). Clone the "
            "course, install it from there with `pip install -e .` (or `./run.sh setup`) and "
            "run the command in that folder."
        )
    return root


#: Notebook metadata that changes from run to run and means nothing to students.
_VOLATILE = ("execution", "collapsed", "scrolled", "jupyter", "ExecuteTime")


def assignments(root: Path = ROOT) -> list[str]:
    """Names of the assignments in ``source/`` (folders holding a notebook)."""
    return sorted(p.name for p in (root / "source").iterdir() if any(p.glob("*.ipynb")))


def held_back(root: Path = ROOT) -> frozenset[str]:
    """The questions of ``source/`` a class answers without instant feedback: those whose
    check cell says only that the answer is saved (``answers.later``) and marks it in
    its hidden tests."""
    import nbformat

    found = set()
    for path in sorted((root / "source").glob("*/*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if "answers.later(" in cell.source:
                found.update(re.findall(r'answers\.marks\("([\w-]+)"\)', cell.source))
    return frozenset(found)


def _nbgrader_env() -> dict[str, str]:
    env = dict(os.environ)
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    return env


def generate(dest: Path, root: Path = ROOT) -> list[Path]:
    """Run nbgrader generate_assignment for every assignment; write results to ``dest``.

    Returns the notebooks written. Raises ``RuntimeError`` with nbgrader's
    output if any assignment fails.
    """
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="stalin-release-") as scratch:
        course = Path(scratch)
        shutil.copy(root / "nbgrader_config.py", course)
        shutil.copytree(root / "source", course / "source")
        for name in assignments(root):
            done = subprocess.run(
                [sys.executable, "-m", "nbgrader", "generate_assignment", name, "--force"],
                cwd=course, env=_nbgrader_env(), capture_output=True, text=True,
            )  # fmt: skip
            produced = course / "release" / name
            if done.returncode != 0 or not produced.is_dir():
                raise RuntimeError(f"nbgrader generate_assignment {name} failed:\n{done.stderr}")
            target = dest / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(produced, target)
            written += sorted(target.rglob("*.ipynb"))
    return written


def normalised(path: Path) -> dict:
    """A notebook's JSON with volatile metadata and outputs removed, for comparison."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        for key in _VOLATILE:
            cell.get("metadata", {}).pop(key, None)
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
    nb.get("metadata", {}).pop("widgets", None)
    return nb
