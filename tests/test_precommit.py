"""The pre-commit hooks run for real: clean on the repository, and they stop a notebook
committed with outputs and a file ruff would reformat."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_repository

pytestmark = pytest.mark.slow


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    base = tmp_path_factory.mktemp("precommit")
    repo = base / "repo"
    copy_repository(repo)
    env = dict(os.environ, PRE_COMMIT_HOME=str(base / "cache"), HOME=str(base))
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    for args in (["git", "init", "-q"], ["git", "add", "-A"]):
        subprocess.run(args, cwd=repo, env=env, check=True)
    return repo, env


def test_hooks_pass_on_the_repository(clone: tuple[Path, dict[str, str]]) -> None:
    repo, env = clone
    done = _run([sys.executable, "-m", "pre_commit", "run", "--all-files"], repo, env)
    assert done.returncode == 0, done.stdout + done.stderr


def test_hooks_stop_outputs_and_unformatted_code(clone: tuple[Path, dict[str, str]]) -> None:
    repo, env = clone
    lesson = repo / "notebooks" / "00_start_here.ipynb"
    nb = json.loads(lesson.read_text(encoding="utf-8"))
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["execution_count"] = 1
    code["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["hello\n"]}]
    lesson.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (repo / "src" / "stalin_course" / "ugly.py").write_text("x  =  [1,2 ,3]\n")
    subprocess.run(["git", "add", "-A"], cwd=repo, env=env, check=True)
    done = _run([sys.executable, "-m", "pre_commit", "run", "--all-files"], repo, env)
    report = done.stdout + done.stderr
    assert done.returncode != 0, report
    assert "would have stripped notebooks/00_start_here.ipynb" in report, report
    assert "ugly.py" in report, report
