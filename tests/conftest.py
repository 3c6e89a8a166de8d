"""Shared test helpers: paths, notebook execution, and throwaway nbgrader courses."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from hypothesis import settings
from nbclient import NotebookClient
from nbgrader.api import Gradebook

# CI and `./run.sh test` replay the same examples every run, so a red run can be reproduced
# and a green one means the same thing each time. To hunt for new failing examples, run
# with HYPOTHESIS_PROFILE=explore (random examples, more of them).
settings.register_profile("replay", derandomize=True)
settings.register_profile("explore", max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "replay"))

ROOT = Path(__file__).resolve().parents[1]


def execute(path: Path, cwd: Path | None = None, timeout: int = 60) -> nbformat.NotebookNode:
    """Execute a notebook top to bottom with a real kernel; return it with outputs."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(cwd or path.parent)}},
    )
    client.execute()
    return nb


def text_of(cell: nbformat.NotebookNode) -> str:
    """All text a code cell printed or displayed."""
    parts = []
    for output in cell.get("outputs", []):
        if "text" in output:
            parts.append(output["text"])
        elif "data" in output and "text/plain" in output["data"]:
            parts.append(output["data"]["text/plain"])
    return "".join(parts)


def figure_text(chart) -> str:  # noqa: ANN001 (a stalin_course.charts.Chart)
    """Every text drawn on a chart's figure (title, labels, source line) as one line."""
    return " ".join(text.get_text() for text in chart.figure.texts).replace("\n", " ")


def one_slip_variants(name: str) -> set[str]:
    """Every string one slip away from ``name``: a letter lost, added, changed or swapped."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(name[:i], name[i:]) for i in range(len(name) + 1)]
    return (
        {a + b[1:] for a, b in splits if b}
        | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        | {a + c + b[1:] for a, b in splits if b for c in letters}
        | {a + c + b for a, b in splits for c in letters}
    )


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the real nbgrader CLI in ``course``; fail the test if it exits non-zero."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def run_course(course: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the course's own command line in ``course``; fail the test if it exits non-zero."""
    done = subprocess.run(
        [sys.executable, "-m", "stalin_course", *args],
        cwd=course, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, f"stalin-course {' '.join(args)} failed:\n{done.stderr}"
    return done


def question_scores(course: Path, assignment: str, student: str) -> dict[str, float]:
    """Each question's autograded score in a one-notebook assignment, from the gradebook."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook(assignment, assignment, student)
        return {
            grade.name.removesuffix("-test"): grade.score
            for grade in notebook.grades
            if grade.name.endswith("-test")
        }


def assignment_totals(course: Path, assignment: str) -> dict[str, float]:
    """Each student's total score for ``assignment``, from the gradebook."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {s.student.id: s.score for s in gradebook.assignment_submissions(assignment)}


def status_table(course: Path, assignment: str) -> dict[str, dict[str, str]]:
    """`stalin-course grade`'s status table for a one-notebook assignment, by student."""
    path = course / "reports" / assignment / "grading_status.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


def make_course(folder: Path) -> Path:
    """A fresh nbgrader course directory in ``folder``: a copy of source/ and the config."""
    root = folder / "course"
    root.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", root)
    shutil.copytree(ROOT / "source", root / "source")
    return root


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A fresh nbgrader course directory for one test."""
    return make_course(tmp_path)


def copy_repository(dest: Path) -> None:
    """The files git would ship: tracked ones plus new ones not ignored (not .git)."""
    from stalin_course.edition import shipped_files

    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs the git repository to know which files a copy would hold")
    for name in shipped_files(ROOT):
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, dest / name)


def _public_text() -> str:
    """What students may see anyway: the lessons, the released assignments, the data, the
    quizzes and widget texts, the package's code (whose docstrings show example calls)."""
    parts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "notebooks").glob("*.ipynb"))]
    parts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "release").rglob("*.ipynb"))]
    parts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "src").rglob("*.py"))]
    parts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data").iterdir())]
    for folder in ("quizzes", "prose"):
        parts += [
            p.read_text(encoding="utf-8") for p in (ROOT / "src/stalin_course" / folder).glob("*")
        ]
    return "\n".join(parts)


def _between(text: str, begin: str, end: str) -> list[str]:
    return [part.split(end, 1)[0] for part in text.split(begin)[1:]]


def teacher_secrets() -> set[str]:
    """Lines and messages only a teacher should hold: solutions, hidden tests and mark
    schemes of source/, the bank's 'correct' and wrong-name messages, the exam's
    indicative content; less anything the lessons or the package show anyway."""
    import tomllib

    from stalin_course.bank import teacher_bank

    found: set[str] = set()
    for path in sorted((ROOT / "source").rglob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            for begin, end in (("### BEGIN SOLUTION", "### END SOLUTION"),
                               ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"),
                               ("### BEGIN MARK SCHEME", "### END MARK SCHEME")):  # fmt: skip
                for block in _between(cell.source, begin, end):
                    found |= {line.strip() for line in block.splitlines()}
    for question in teacher_bank().questions.values():
        found |= {question.correct, *question.named.values()}
    indicative = tomllib.loads((ROOT / "src/stalin_course/exam/indicative.toml").read_text())

    def strings(item: object) -> list[str]:
        if isinstance(item, dict):
            return [s for v in item.values() for s in strings(v)]
        if isinstance(item, list):
            return [s for v in item for s in strings(v)]
        return [item] if isinstance(item, str) else []

    found |= set(strings(indicative))
    public = _public_text()
    return {s for s in found if len(s) >= 16 and s not in public}


def shipped_text(folder: Path) -> str:
    """Every file under ``folder`` as text, and every object of its git repository (if
    any) decompressed, as a clone would carry them."""
    parts = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and ".git" not in path.relative_to(folder).parts:
            parts.append(path.read_bytes().decode("utf-8", errors="replace"))
    if (folder / ".git").exists():
        objects = subprocess.run(
            ["git", "cat-file", "--batch-all-objects", "--batch", "--unordered"],
            cwd=folder, capture_output=True, check=True,
        ).stdout  # fmt: skip
        parts.append(objects.decode("utf-8", errors="replace"))
    return "\n".join(parts)
