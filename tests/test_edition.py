"""The student edition: what `stalin-course student-edition` builds holds no solution,
hidden test, mark scheme or readable key, in its files or in its git history."""

from __future__ import annotations

import fnmatch
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, shipped_text, teacher_secrets

from stalin_course.edition import FORBIDDEN, MARKER


def _build(out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "stalin_course", "student-edition", str(out), *args],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("edition") / "stalin-course-student"
    done = _build(out)
    assert done.returncode == 0, done.stderr
    assert "student edition in" in done.stdout and "own repository" in done.stdout
    return out


def _files(folder: Path) -> list[str]:
    return sorted(
        str(p.relative_to(folder)) for p in folder.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(folder).parts
    )  # fmt: skip


def test_it_holds_what_a_student_needs(edition: Path) -> None:
    names = _files(edition)
    for needed in ("README.md", "LICENSE", "CITATION.cff", "binder/postBuild",
                   "binder/requirements.txt", "notebooks/00_start_here.ipynb",
                   "release/01_power_struggle/01_power_struggle.ipynb", "data/README.md",
                   "src/stalin_course/bank/key.dat", "pyproject.toml", "setup.py"):  # fmt: skip
        assert needed in names, needed
    lessons = {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert {p.name for p in (edition / "notebooks").glob("*.ipynb")} == lessons


def test_it_holds_nothing_a_teacher_keeps_back(edition: Path) -> None:
    for name in _files(edition):
        assert not any(fnmatch.fnmatch(name, pattern) for pattern in FORBIDDEN), name
    assert not (edition / "source").exists() and not (edition / "tests").exists()
    assert not list((edition / "src/stalin_course/bank").glob("*.toml"))
    assert not (edition / "src/stalin_course/exam/indicative.toml").exists()


def test_no_solution_or_mark_scheme_in_its_files_or_history(edition: Path) -> None:
    secrets = teacher_secrets()
    assert len(secrets) > 300  # solutions, hidden tests, schemes, messages, exam ideas
    shipped = shipped_text(edition)
    leaked = sorted(s for s in secrets if s in shipped)
    assert leaked == []


def test_its_history_is_one_commit_with_no_source(edition: Path) -> None:
    log = subprocess.run(["git", "log", "--all", "--format=%H"], cwd=edition,
                         capture_output=True, text=True, check=True)  # fmt: skip
    assert len(log.stdout.split()) == 1
    show = subprocess.run(
        ["git", "show", "HEAD:source/01_power_struggle/01_power_struggle.ipynb"],
        cwd=edition, capture_output=True, text=True,
    )  # fmt: skip
    assert show.returncode != 0
    status = subprocess.run(["git", "status", "--porcelain"], cwd=edition,
                            capture_output=True, text=True, check=True)  # fmt: skip
    assert status.stdout == ""  # everything it holds is committed


def test_its_readme_says_what_the_key_protects(edition: Path) -> None:
    readme = (edition / "README.md").read_text(encoding="utf-8")
    assert "no solutions" in readme.lower() and "hashes" in readme
    assert "does **not** protect" in readme and "stalin-course-student" in readme


def test_it_rebuilds_over_itself_but_never_over_other_work(edition: Path, tmp_path: Path) -> None:
    assert (edition / MARKER).is_file()
    again = _build(edition)
    assert again.returncode == 0, again.stderr
    other = tmp_path / "my-work"
    other.mkdir()
    (other / "essay.txt").write_text("mine")
    refused = _build(other)
    assert refused.returncode == 2 and "not empty" in refused.stderr
    assert (other / "essay.txt").read_text() == "mine"
    inside = _build(ROOT / "edition-here")
    assert inside.returncode == 2 and "outside" in inside.stderr
    assert not (ROOT / "edition-here").exists()


def test_a_plain_folder_without_git(tmp_path: Path) -> None:
    done = _build(tmp_path / "plain", "--no-git")
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "plain" / ".git").exists()
    assert (tmp_path / "plain" / "src/stalin_course/bank/key.dat").is_file()
