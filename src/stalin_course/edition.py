"""The student edition: the tree a student gets, built from the course repository.

``python -m stalin_course student-edition OUT`` copies into ``OUT`` what a student needs
and nothing a teacher keeps back: the lessons, the released assignments, the data, the
package with its *sealed* answer key (no bank sources, no exam mark scheme), the Binder
set-up and the licences, with a README of its own. With ``--git`` (the default) ``OUT``
becomes a new git repository with one commit, so no history of ``source/`` comes with it.

Publish it as its **own repository** and point the Binder badge there. Not as a branch of
the main repository: given a branch, repo2docker clones the whole repository (every
branch, with its history) before checking the branch out, so the solutions would come too.
"""

from __future__ import annotations

import fnmatch
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .release import course_root

__all__ = ["FORBIDDEN", "KEEP", "Edition", "build_edition", "shipped_files"]

#: Top-level files and folders of the repository that the edition keeps.
KEEP = (
    "LICENSE", "LICENSES", "CITATION.cff", "binder", "data", "notebooks", "release",
    "src", "pyproject.toml", "setup.py", "MANIFEST.in", "nbgrader_config.py", ".gitignore",
)  # fmt: skip

#: Paths (glob patterns) a student must never get: solutions and hidden tests, the bank's
#: readable sources, the exam's mark scheme, the test suite (its tables name right answers).
FORBIDDEN = (
    "source/*", "tests/*", "src/stalin_course/bank/*.toml", "src/stalin_course/exam/indicative.toml",
    "*.egg-info/*", "*/__pycache__/*", "gradebook.db", "submitted/*", "autograded/*",
    "feedback/*", "exchange/*", "reports/*", "school_config.py",
)  # fmt: skip

MARKER = ".student-edition"

README = """\
# Stalin's Consolidation of Power, 1924–1941 — student edition

Interactive lessons and practice assignments for the AQA GCSE History (8145) topic
*Stalin's consolidation of power*, part of Paper 1, Section A, option AC: *Russia,
1894–1945: Tsardom and communism*. You never need to write Python: type ordinary
sentences, click widgets and read charts.

[![Launch Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/OWNER/stalin-course-student/HEAD?urlpath=lab/tree/notebooks/00_start_here.ipynb)

Click **launch Binder**: the course opens in your browser with nothing to install. Start
with `notebooks/00_start_here.ipynb`. Your work is not kept when the session ends: use the
"download my work" cell at the end of each notebook.

## What this edition holds, and what it does not

This is the course as a student gets it: the lessons (`notebooks/`), the practice
assignments as released to students (`release/`), the sourced data (`data/`) and the
course's helper package. It has **no solutions, no hidden tests, no mark schemes and no
readable answer key**: those stay in the course's main repository, which teachers use.

When you check an answer, the package compares it with `bank/key.dat`. That file holds
only *hashes* of the answers each question accepts (fingerprints that cannot be turned
back into the words), and the explanation of a right answer locked with that answer.
So the key can tell you whether your answer is right, and explain it once you have it
right, but it cannot show you an answer you have not written.

What it does **not** protect against: anyone can try guesses, by hand or with a program,
and the checker will say which guess is right — the key makes that no easier than
guessing, and no harder. The self-check is for learning, not a test: your teacher marks
the assignments you hand in.

## On your own computer

```
python -m pip install .
jupyter lab notebooks/00_start_here.ipynb
```

## Licences and sources

Code: MIT. Lessons, data and questions: CC BY 4.0 (see `LICENSE`). Every figure in
`data/` names its source in the data itself; `data/README.md` describes each file.

This edition was built by `python -m stalin_course student-edition` from the course's
main repository; do not edit it by hand.
"""


@dataclass(frozen=True)
class Edition:
    """What was built: the folder, how many files, their size, the commit (if any)."""

    folder: Path
    files: int
    size_bytes: int
    commit: str | None


def shipped_files(root: Path) -> list[str]:
    """The repository's files as git ships them (tracked, plus new files not ignored)."""
    if (root / ".git").exists() and shutil.which("git"):
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root, capture_output=True, check=True,
        ).stdout.decode().split("\0")  # fmt: skip
        return sorted(name for name in listed if name and (root / name).is_file())
    return sorted(
        str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and ".git" not in p.parts
    )


def _kept(name: str) -> bool:
    top = name.split("/", 1)[0]
    return top in KEEP and not any(fnmatch.fnmatch(name, pattern) for pattern in FORBIDDEN)


def _empty_out(folder: Path) -> None:
    """Make ``folder`` empty: only a folder that is empty or an earlier edition."""
    if not folder.exists():
        folder.mkdir(parents=True)
        return
    if any(folder.iterdir()) and not (folder / MARKER).is_file():
        raise FileExistsError(
            f"{folder} is not empty and is not a student edition: choose a new folder"
        )
    for item in folder.iterdir():
        shutil.rmtree(item) if item.is_dir() and not item.is_symlink() else item.unlink()


def _commit(folder: Path) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "stalin-course student edition",
        "GIT_AUTHOR_EMAIL": "student-edition@invalid",
        "GIT_COMMITTER_NAME": "stalin-course student edition",
        "GIT_COMMITTER_EMAIL": "student-edition@invalid",
    }
    for args in (
        ["init", "-q", "-b", "main"],
        ["add", "-A"],
        ["-c", "commit.gpgsign=false", "commit", "-q", "-m", "Student edition of the course"],
    ):
        subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True)
    done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True)
    return done.stdout.strip()


def build_edition(out: Path, git: bool = True) -> Edition:
    """Build the student edition in ``out`` (see the module's docstring)."""
    root = course_root()
    out = out.resolve()
    if out == root or root in out.parents:
        raise ValueError("build the student edition outside the course repository")
    _empty_out(out)
    names = [name for name in shipped_files(root) if _kept(name)]
    for name in names:
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, target)
    (out / "README.md").write_text(README, encoding="utf-8")
    (out / MARKER).write_text("Built by: python -m stalin_course student-edition\n")
    commit = _commit(out) if git and shutil.which("git") else None
    files = [p for p in out.rglob("*") if p.is_file() and ".git" not in p.relative_to(out).parts]
    return Edition(out, len(files), sum(p.stat().st_size for p in files), commit)
