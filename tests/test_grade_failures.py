"""`stalin-course grade` and kernels: none for the course's own notebooks; for a check
cell that is real code, one retry on a fresh kernel, then an honest status.

Kernels are really killed (SIGKILL) before use and cells really time out; nothing is
mocked but the moment at which a kernel is lost.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import nbformat
import pytest
from conftest import assignment_totals, make_course, nbgrader
from test_autograde import ALL_CORRECT, ASSIGNMENT, student_copy, submit

from stalin_course import autograde

pytestmark = pytest.mark.slow


def with_code_check(course: Path, code: str) -> Path:
    """Make one check cell of the course's assignment real code (so it needs a kernel)."""
    source = course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(source, as_version=4)
    check = next(
        c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "power-gensec-test"
    )
    check.source = code + "\n" + check.source
    nbformat.write(nb, source)
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    return course


def test_the_course_notebooks_are_graded_without_any_kernel(tmp_path: Path) -> None:
    course = make_course(tmp_path)
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    submit(course, "alice", student_copy(ALL_CORRECT))

    def no_kernels(*args, **kwargs):
        raise AssertionError("a kernel was started")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(autograde, "KernelPool", no_kernels)
        (outcome,) = autograde.grade_assignment(ASSIGNMENT, course, progress=lambda *_: None)
    assert (outcome.status, outcome.score) == ("graded", 11), outcome


@pytest.fixture(scope="module")
def lost_kernels(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """Three correct submissions graded one at a time; some kernels die before use.

    Kernels are handed out in order: alice loses her first (and is run again), bob
    loses both of his, carol keeps hers.
    """
    course = with_code_check(make_course(tmp_path_factory.mktemp("lost")), "import math")
    for student in ("alice", "bob", "carol"):
        submit(course, student, student_copy(ALL_CORRECT, course))
    kills = iter([True, False, True, True, False])
    take = autograde.KernelPool.take

    def take_and_maybe_kill(pool: autograde.KernelPool):
        manager = take(pool)
        if next(kills, False):
            os.kill(manager.provisioner.pid, signal.SIGKILL)
            manager.provisioner.process.wait(timeout=10)
        return manager

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(autograde.KernelPool, "take", take_and_maybe_kill)
        outcomes = autograde.grade_assignment(ASSIGNMENT, course, jobs=1, progress=lambda *_: None)
    return course, {o.student: o for o in outcomes}


def test_a_kernel_lost_once_is_run_again(lost_kernels) -> None:
    course, outcomes = lost_kernels
    alice = outcomes["alice"]
    assert (alice.status, alice.score) == ("graded", 11), alice
    assert "ran again on a fresh kernel" in alice.reason
    assert assignment_totals(course, ASSIGNMENT)["alice"] == 11


def test_a_kernel_lost_twice_is_reported_and_scored_zero(lost_kernels) -> None:
    course, outcomes = lost_kernels
    bob = outcomes["bob"]
    assert (bob.status, bob.score) == ("kernel died", 0.0), bob
    assert "run 2 failed too" in bob.reason and "run 1 failed" in bob.reason
    assert assignment_totals(course, ASSIGNMENT)["bob"] == 0
    assert not (course / "autograded" / "bob").exists()


def test_the_batch_goes_on_after_a_lost_kernel(lost_kernels) -> None:
    course, outcomes = lost_kernels
    carol = outcomes["carol"]
    assert (carol.status, carol.score, carol.reason) == ("graded", 11, ""), carol
    assert assignment_totals(course, ASSIGNMENT)["carol"] == 11


def test_a_cell_that_runs_too_long_is_timed_out(tmp_path: Path) -> None:
    course = make_course(tmp_path)
    with (course / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write("\nc.Execute.timeout = 2\n")
    with_code_check(course, "import time\ntime.sleep(30)")
    submit(course, "alice", student_copy(ALL_CORRECT, course))
    (outcome,) = autograde.grade_assignment(ASSIGNMENT, course, jobs=1, progress=lambda *_: None)
    assert outcome.status == "timed out", outcome
    assert "power-gensec-test" in outcome.reason and "2 s" in outcome.reason
