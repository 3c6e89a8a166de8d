"""Autograde a whole class in parallel, safely, with a clear status for every submission.

``stalin-course grade ASSIGNMENT --jobs N`` does what ``nbgrader autograde`` does,
with nbgrader's own preprocessors and gradebook API, but:

- notebooks run in parallel on kernels started ahead of time (a small pool),
  so kernel start-up overlaps with grading;
- every database read and write happens in one thread, one submission at a
  time, so the SQLite gradebook never sees two writers;
- a notebook whose run fails (a slow kernel, a lost message) is run once more on a
  fresh kernel before it is reported;
- one bad submission never stops the batch: each gets a status (graded, not
  submitted, unreadable notebook, wrong assignment, kernel died, timed out,
  tampered) and a one-line reason naming the student and notebook;
- a submission that cannot be graded has its automatic scores set to zero, so no
  stale score from an earlier run survives; manual grades are never touched.
"""

from __future__ import annotations

import asyncio
import copy
import importlib
import itertools
import os
import queue
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellTimeoutError
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import (
    AssignLatePenalties,
    ClearOutput,
    DeduplicateIds,
    Execute,
    IgnorePattern,
    LimitOutput,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)
from nbgrader.utils import compute_checksum
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SAWarning
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from .bank import code_for
from .grading import SecureAnswerCells, ValidateCellMetadata

__all__ = ["Outcome", "KernelPool", "grade_assignment", "load_course", "write_status", "STATUSES"]

STATUSES = (
    "graded",
    "tampered",
    "timed out",
    "kernel died",
    "unreadable notebook",
    "wrong assignment",
    "not submitted",
)


_TIMEOUT_ERRORS = ("CellTimeoutError", "KeyboardInterrupt")

#: Kernels use local (IPC) sockets where the system has them; Windows has not.
_LOCAL_SOCKETS = os.name == "posix"

#: How many times a notebook is run before its failure is reported.
_RUNS = 2

#: Files nbgrader keeps beside a submission; release_feedback needs both.
_KEPT_FILES = ("timestamp.txt", "submission_secret.txt")


@dataclass
class Outcome:
    """What happened to one student's notebook."""

    student: str
    notebook: str
    status: str
    reason: str = ""
    score: float | None = None
    max_score: float = 0.0
    seconds: float = 0.0

    def line(self) -> str:
        """One clear line for the teacher."""
        score = "" if self.score is None else f" {self.score:g}/{self.max_score:g}"
        reason = f": {self.reason}" if self.reason else ""
        return f"{self.student} / {self.notebook}.ipynb: {self.status}{score}{reason}"


@dataclass
class Course:
    """A course directory and its nbgrader configuration."""

    root: Path
    config: Config
    coursedir: CourseDirectory = field(init=False)

    def __post_init__(self) -> None:
        self.coursedir = CourseDirectory(config=self.config)
        self.coursedir.root = str(self.root)

    @property
    def db_url(self) -> str:
        return self.coursedir.db_url

    def folder(self, kind: str, student: str, assignment: str) -> Path:
        """``submitted``/``autograded``/``feedback`` folder of one student's assignment."""
        directory = getattr(self.coursedir, f"{kind}_directory")
        return Path(self.coursedir.format_path(directory, student, assignment))


def load_course(root: Path | str = ".") -> Course:
    """Read ``nbgrader_config.py`` in ``root`` (as nbgrader does)."""
    root = Path(root).resolve()
    config = Config()
    if (root / "nbgrader_config.py").is_file():
        config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    return Course(root, config)


class SharedGradebook(Gradebook):
    """One gradebook connection for a whole grading run, used by nbgrader's own
    preprocessors in place of the new connection each opens per notebook. What is the
    same for every student (the assignment's notebooks and source cells) is looked up
    once; a student's grades and comments are fetched together, once per notebook."""

    def __init__(self, db_url: str, course_id: str) -> None:
        super().__init__(db_url, course_id)
        # nbgrader commits once per cell; expiring every cached row at each commit made
        # each commit slower as the run went on. Scores are refreshed where they are read.
        self.db().expire_on_commit = False
        self._static: dict[tuple, Any] = {}
        self._rows: dict[tuple, dict[str, dict[str, Any]]] = {}

    def close(self) -> None:  # a preprocessor's `with gradebook:` must not close it
        pass

    def really_close(self) -> None:
        super().close()

    def forget(self, notebook: str, assignment: str, student: str) -> None:
        """Drop a submission's cached rows (after it is re-created or zeroed)."""
        self._rows.pop((notebook, assignment, student), None)

    def _memo(self, method: Callable[..., Any], *key: str) -> Any:
        cache_key = (method.__name__, *key)
        if cache_key not in self._static:
            self._static[cache_key] = method(*key)
        return self._static[cache_key]

    def find_notebook(self, name: str, assignment: str) -> Any:
        return self._memo(super().find_notebook, name, assignment)

    def find_source_cell(self, name: str, notebook: str, assignment: str) -> Any:
        return self._memo(super().find_source_cell, name, notebook, assignment)

    def find_graded_cell(self, name: str, notebook: str, assignment: str) -> Any:
        return self._memo(super().find_graded_cell, name, notebook, assignment)

    def _submission_rows(self, notebook: str, assignment: str, student: str) -> dict:
        key = (notebook, assignment, student)
        if key not in self._rows:
            submitted = self.find_submission_notebook(notebook, assignment, student)
            self._rows[key] = {
                "grades": {grade.name: grade for grade in submitted.grades},
                "comments": {comment.name: comment for comment in submitted.comments},
            }
        return self._rows[key]

    def find_grade(self, grade_cell: str, notebook: str, assignment: str, student: str) -> Any:
        grades = self._submission_rows(notebook, assignment, student)["grades"]
        if grade_cell not in grades:
            return super().find_grade(grade_cell, notebook, assignment, student)
        return grades[grade_cell]

    def find_comment(self, solution_cell: str, notebook: str, assignment: str, student: str) -> Any:
        comments = self._submission_rows(notebook, assignment, student)["comments"]
        if solution_cell not in comments:
            return super().find_comment(solution_cell, notebook, assignment, student)
        return comments[solution_cell]


#: nbgrader's preprocessors that open a gradebook of their own for every notebook.
_PREPROCESSOR_MODULES = (
    "overwritecells",
    "overwritekernelspec",
    "saveautogrades",
    "latesubmissions",
)


@contextmanager
def _shared(gradebook: SharedGradebook) -> Iterator[None]:
    """Let nbgrader's preprocessors use ``gradebook`` instead of opening their own."""
    modules = [
        importlib.import_module(f"nbgrader.preprocessors.{name}") for name in _PREPROCESSOR_MODULES
    ]
    originals = [module.Gradebook for module in modules]
    for module in modules:
        module.Gradebook = lambda *args, **kwargs: gradebook
    try:
        yield
    finally:
        for module, original in zip(modules, originals, strict=True):
            module.Gradebook = original


@contextmanager
def _one_transaction(gradebook: Gradebook) -> Iterator[None]:
    """Store a notebook's grades in one transaction.

    nbgrader's SaveAutoGrades commits after every cell; here those commits only flush,
    and the notebook's grades are committed together at the end (or not at all).
    """
    session = gradebook.db
    session.commit = session.flush  # an instance attribute hides the method
    try:
        yield
    finally:
        del session.commit
    session.commit()


class KernelPool:
    """Kernels started ahead of time, so a notebook never waits for one to boot."""

    def __init__(self, size: int, env: dict[str, str], arguments: list[str]) -> None:
        self._ready: queue.Queue[AsyncKernelManager | BaseException] = queue.Queue(size)
        self._env, self._arguments = env, arguments
        # Kernels talk over local sockets in a private folder rather than TCP (where the
        # system has them): no open ports, no port clashes, and no "unencrypted TCP"
        # warning on the teacher's screen.
        self._sockets = tempfile.TemporaryDirectory(prefix="stalin-kernels-")
        self._count = itertools.count()
        self._closed = threading.Event()
        self._stoppers = ThreadPoolExecutor(max_workers=2, thread_name_prefix="kernel-stop")
        self._starter = threading.Thread(target=self._fill, name="kernel-start", daemon=True)
        self._starter.start()

    def _fill(self) -> None:
        while not self._closed.is_set():
            try:
                if _LOCAL_SOCKETS:
                    manager = AsyncKernelManager(
                        kernel_name="python3",
                        transport="ipc",
                        ip=os.path.join(self._sockets.name, f"k{next(self._count)}"),
                    )
                else:
                    manager = AsyncKernelManager(kernel_name="python3")
                asyncio.run(manager.start_kernel(env=self._env, extra_arguments=self._arguments))
                item: AsyncKernelManager | BaseException = manager
            except Exception as error:  # reported to whoever takes the next kernel
                item = error
            while not self._closed.is_set():
                try:
                    self._ready.put(item, timeout=0.2)
                    break
                except queue.Full:
                    continue
            else:
                if isinstance(item, AsyncKernelManager):
                    self.discard(item)

    def take(self) -> AsyncKernelManager:
        """A started kernel (waits for one if none is ready)."""
        item = self._ready.get()
        if isinstance(item, BaseException):
            raise item
        return item

    def discard(self, manager: AsyncKernelManager) -> None:
        """Stop a used kernel in the background."""

        def stop() -> None:
            try:
                asyncio.run(manager.shutdown_kernel(now=True))
            except Exception:  # a dead kernel is already stopped
                pass

        self._stoppers.submit(stop)

    def close(self) -> None:
        """Stop every kernel, used or waiting."""
        self._closed.set()
        self._starter.join(timeout=30)
        while not self._ready.empty():
            item = self._ready.get_nowait()
            if isinstance(item, AsyncKernelManager):
                self.discard(item)
        self._stoppers.shutdown(wait=True)
        self._sockets.cleanup()


@dataclass
class _Job:
    student: str
    notebook: str
    path: Path
    nb: Any = None
    resources: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    tampered: list[str] = field(default_factory=list)
    started: float = 0.0


def _resources(course: Course, assignment: str, student: str, notebook: str, path: Path) -> dict:
    return {
        "nbgrader": {
            "student": student,
            "assignment": assignment,
            "notebook": notebook,
            "db_url": course.db_url,
        },
        "metadata": {"path": str(path.parent)},
        "unique_key": notebook,
        "output_files_dir": f"{notebook}_files",
    }


def _run(preprocessors: Iterable[Any], nb: Any, resources: dict) -> Any:
    for preprocessor in preprocessors:
        nb, resources = preprocessor.preprocess(nb, resources)
    return nb


def _changed_locked_cells(nb: Any) -> tuple[set[str], list[str]]:
    """Grade IDs of the locked cells present, and those whose text was edited since
    release (nbgrader's checksum of the released cell no longer matches)."""
    present, edited = set(), []
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("locked") and "grade_id" in meta:
            present.add(meta["grade_id"])
            if "checksum" in meta and compute_checksum(cell) != meta["checksum"]:
                edited.append(meta["grade_id"])
    return present, edited


def _answer_headers(nb: Any) -> dict[str, str]:
    found = {}
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") and "grade_id" in meta:
            found[meta["grade_id"]] = cell.source.lstrip("\n").split("\n", 1)[0]
    return found


class _Grader:
    """Grades one assignment: database work here, notebook execution on worker threads."""

    def __init__(self, course: Course, assignment: str, jobs: int) -> None:
        self.course, self.assignment, self.jobs = course, assignment, jobs
        config = course.config
        self.sanitize = [
            ClearOutput(config=config),
            DeduplicateIds(config=config),
            OverwriteKernelspec(config=config),
            OverwriteCells(config=config),
            SecureAnswerCells(config=config),
            ValidateCellMetadata(config=config),
        ]
        self.finish = [
            IgnorePattern(config=config),
            LimitOutput(config=config),
            SaveAutoGrades(config=config),
            AssignLatePenalties(config=config),
            ValidateCellMetadata(config=config),
        ]
        self.executor_config = config
        probe = Execute(config=config)
        self.timeout = probe.timeout
        arguments = probe.extra_arguments or ["--HistoryManager.hist_file=:memory:"]
        env = {**os.environ, "NBGRADER_EXECUTION": "autograde"}
        self.pool = KernelPool(jobs + 1, env, arguments)

    # --- database side (main thread only) ------------------------------------------
    def notebooks(self, gradebook: Gradebook) -> list[str]:
        return [nb.name for nb in gradebook.find_assignment(self.assignment).notebooks]

    def zero(self, gradebook: Gradebook, student: str, notebook: str) -> None:
        """Set a notebook's automatic scores to zero (manual grades are kept) and remove
        its graded copy and feedback page from an earlier run, so nothing stale is left."""
        for kind, suffix in (("autograded", ".ipynb"), ("feedback", ".html")):
            old = self.course.folder(kind, student, self.assignment) / f"{notebook}{suffix}"
            old.unlink(missing_ok=True)
        try:
            submitted = gradebook.find_submission_notebook(notebook, self.assignment, student)
        except MissingEntry:
            return
        for grade in submitted.grades:
            grade.auto_score = 0
            grade.needs_manual_grade = False
        gradebook.db.commit()

    def prepare(self, gradebook: Gradebook, student: str, notebook: str) -> _Job | Outcome:
        """Check and sanitise one submitted notebook; an Outcome if it cannot be run."""
        folder = self.course.folder("submitted", student, self.assignment)
        path = folder / f"{notebook}.ipynb"
        if not path.is_file():
            others = sorted(p.name for p in folder.glob("*.ipynb"))
            reason = f"no {notebook}.ipynb in {folder.name}/"
            if others:
                reason += f" (found {', '.join(others)})"
            return Outcome(student, notebook, "not submitted", reason)
        try:
            nb = nbformat.read(path, as_version=4)
            nbformat.validate(nb)
        except Exception as error:  # any unreadable file, whatever the cause
            kind = type(error).__name__
            detail = str(error).strip().splitlines()[0][:120] if str(error).strip() else ""
            return Outcome(student, notebook, "unreadable notebook", f"{kind}: {detail}")
        expected = {c.name for c in gradebook.find_notebook(notebook, self.assignment).source_cells}
        present = {
            cell.metadata.nbgrader["grade_id"]
            for cell in nb.cells
            if "grade_id" in cell.get("metadata", {}).get("nbgrader", {})
        }
        if present and not present & expected:
            return Outcome(
                student, notebook, "wrong assignment",
                f"none of its questions belong to {self.assignment}",
            )  # fmt: skip
        job = _Job(student, notebook, path)
        present, edited = _changed_locked_cells(nb)
        before_headers = _answer_headers(nb)
        locked = {
            c.name
            for c in gradebook.find_notebook(notebook, self.assignment).source_cells
            if c.locked
        }
        added = [c for c in nb.cells if c.cell_type == "code" and "nbgrader" not in c.metadata]
        resources = _resources(self.course, self.assignment, student, notebook, path)
        nb = _run(self.sanitize, nb, resources)
        for grade_id in sorted(locked - present):
            job.tampered.append(f"locked cell {grade_id} was deleted (restored)")
        for grade_id in edited:
            job.tampered.append(f"locked cell {grade_id} was edited (restored)")
        for grade_id, header in before_headers.items():
            if header.startswith("%%answer") and header.split()[1:] not in (
                [grade_id],
                [code_for(grade_id)],
            ):
                job.tampered.append(f"answer cell {grade_id} had its first line changed")
            elif not header.startswith("%%answer"):
                job.notes.append(f"answer cell {grade_id} had lost its first line (restored)")
        if added:
            job.tampered.append(f"{len(added)} added code cell(s) kept as text, not run")
        job.nb, job.resources = nb, resources
        return job

    def save(self, gradebook: Gradebook, job: _Job, error: BaseException | None) -> Outcome:
        """Store grades of an executed notebook and write the autograded copy."""
        elapsed = time.perf_counter() - job.started
        if error is not None:
            self.zero(gradebook, job.student, job.notebook)
            status = "timed out" if isinstance(error, CellTimeoutError) else "kernel died"
            detail = f"{type(error).__name__}: {str(error).strip()[:120]}"
            reason = "; ".join([*job.notes, f"run {_RUNS} failed too ({detail})"])
            return Outcome(job.student, job.notebook, status, reason, 0.0)
        timed_out = [
            cell.metadata.get("nbgrader", {}).get("grade_id", "a cell")
            for cell in job.nb.cells
            if any(o.get("ename") in _TIMEOUT_ERRORS for o in cell.get("outputs", []))
        ]
        with _one_transaction(gradebook):
            nb = _run(self.finish, job.nb, job.resources)
        out_dir = self.course.folder("autograded", job.student, self.assignment)
        out_dir.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, out_dir / f"{job.notebook}.ipynb")
        for extra in _KEPT_FILES:
            if (job.path.parent / extra).is_file():
                shutil.copy(job.path.parent / extra, out_dir / extra)
        submitted = gradebook.find_submission_notebook(job.notebook, self.assignment, job.student)
        gradebook.db.refresh(submitted)  # its score is computed by the database
        outcome = Outcome(
            job.student, job.notebook, "graded", "; ".join(job.notes),
            float(submitted.score), float(submitted.max_score), elapsed,
        )  # fmt: skip
        if job.tampered:
            outcome.status, outcome.reason = "tampered", "; ".join(job.tampered + job.notes)
        if timed_out:
            outcome.status = "timed out"
            outcome.reason = f"stopped after {self.timeout} s in {', '.join(timed_out)}"
        return outcome

    # --- worker side -------------------------------------------------------------
    def execute(self, job: _Job) -> None:
        """Run the notebook; if the run fails, run it once more on a fresh kernel.

        Answer cells never run as code and locked cells are restored, so a failed
        run is nearly always the machine (a slow start, a lost message), not the
        student: a second run on a new kernel keeps a busy batch from marking a
        sound submission 0. A second failure is reported as it is.
        """
        original = copy.deepcopy(job.nb)
        for attempt in range(1, _RUNS + 1):
            manager = None
            try:
                manager = self.pool.take()
                Execute(config=self.executor_config).preprocess(job.nb, job.resources, km=manager)
                return
            except Exception as error:
                if attempt == _RUNS:
                    raise
                job.notes.append(
                    f"run {attempt} failed ({type(error).__name__}: {str(error).strip()[:80]}); "
                    "ran again on a fresh kernel"
                )
                job.nb = copy.deepcopy(original)
            finally:
                if manager is not None:
                    self.pool.discard(manager)

    # --- the batch ---------------------------------------------------------------
    def run(
        self, students: list[str], progress: Callable[[Outcome, int, int], None]
    ) -> list[Outcome]:
        outcomes: list[Outcome] = []
        gradebook = SharedGradebook(self.course.db_url, self.course.coursedir.course_id)
        with _shared(gradebook):
            notebooks = self.notebooks(gradebook)
            total = len(students) * len(notebooks)
            pending: dict[Future, _Job] = {}
            with ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="grade") as workers:
                for student in students:
                    gradebook.update_or_create_student(student)
                    timestamp = self.course.coursedir.get_existing_timestamp(
                        str(self.course.folder("submitted", student, self.assignment))
                    )
                    if timestamp:
                        gradebook.update_or_create_submission(
                            self.assignment, student, timestamp=timestamp
                        )
                    else:
                        gradebook.update_or_create_submission(self.assignment, student)
                    for notebook in notebooks:
                        gradebook.forget(notebook, self.assignment, student)
                        prepared = self.prepare(gradebook, student, notebook)
                        if isinstance(prepared, Outcome):
                            self.zero(gradebook, student, notebook)
                            prepared.score = 0.0
                            outcomes.append(prepared)
                            progress(prepared, len(outcomes), total)
                            continue
                        prepared.started = time.perf_counter()
                        pending[workers.submit(self.execute, prepared)] = prepared
                        while len(pending) > self.jobs * 2:
                            self._collect(gradebook, pending, outcomes, progress, total, block=True)
                while pending:
                    self._collect(gradebook, pending, outcomes, progress, total, block=True)
        gradebook.really_close()
        return outcomes

    def _collect(self, gradebook, pending, outcomes, progress, total, block: bool) -> None:
        from concurrent.futures import FIRST_COMPLETED, wait

        done, _ = wait(list(pending), return_when=FIRST_COMPLETED, timeout=None if block else 0)
        for future in done:
            job = pending.pop(future)
            error = future.exception()
            try:
                outcome = self.save(gradebook, job, error)
            except Exception as failure:  # keep the batch going, and the gradebook consistent
                gradebook.db.rollback()
                self.zero(gradebook, job.student, job.notebook)
                detail = f"{type(failure).__name__}: {str(failure)[:120]}"
                outcome = Outcome(job.student, job.notebook, "unreadable notebook", detail, 0.0)
            outcomes.append(outcome)
            progress(outcome, len(outcomes), total)

    def close(self) -> None:
        self.pool.close()


def _print_progress(outcome: Outcome, done: int, total: int) -> None:
    print(f"[{done:>{len(str(total))}}/{total}] {outcome.line()}", file=sys.stderr, flush=True)


def _fast_safe_sqlite(connection: Any, _record: Any) -> None:
    """Write-ahead logging: commits no longer wait for the disk each time (nbgrader
    commits once per cell), and the gradebook stays consistent after a crash."""
    if isinstance(connection, sqlite3.Connection):
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("PRAGMA busy_timeout=30000")


def grade_assignment(
    assignment: str,
    root: Path | str = ".",
    jobs: int = 2,
    students: list[str] | None = None,
    progress: Callable[[Outcome, int, int], None] = _print_progress,
) -> list[Outcome]:
    """Autograde every collected submission of ``assignment``; return one Outcome each.

    Raises ``ValueError`` if the assignment is not in the gradebook (run
    ``nbgrader generate_assignment`` first).
    """
    if not event.contains(Engine, "connect", _fast_safe_sqlite):
        event.listen(Engine, "connect", _fast_safe_sqlite)
    course = load_course(root)
    submitted = course.root / course.coursedir.submitted_directory
    with Gradebook(course.db_url, course.coursedir.course_id) as gradebook:
        try:
            gradebook.find_assignment(assignment)
        except MissingEntry:
            raise ValueError(
                f"assignment {assignment!r} is not in the gradebook: "
                f"run `nbgrader generate_assignment {assignment}` first"
            ) from None
        known = [s.id for s in gradebook.students]
    if students is None:
        found = [p.parent.name for p in submitted.glob(f"*/{assignment}") if p.is_dir()]
        students = sorted(set(found) | set(known))
    grader = _Grader(course, assignment, max(1, jobs))
    try:
        with warnings.catch_warnings():
            # nbgrader's add_submission builds rows that SQLAlchemy 2 warns about; the
            # rows are saved all the same (their parent's cascade adds them), so the
            # warning is noise on the teacher's screen.
            warnings.filterwarnings("ignore", ".*not in session, add operation", SAWarning)
            return grader.run(students, progress)
    finally:
        grader.close()


def write_status(assignment: str, outcomes: list[Outcome], root: Path | str = ".") -> Path:
    """Save the status table as ``reports/<assignment>/grading_status.csv``; return its path."""
    import csv

    folder = Path(root).resolve() / "reports" / assignment
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "grading_status.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "notebook", "status", "score", "max_score", "reason"])
        for o in outcomes:
            writer.writerow([o.student, o.notebook, o.status, o.score, o.max_score, o.reason])
    return path
