"""Grade a whole class safely and fast, with a clear status for every submission.

``stalin-course grade ASSIGNMENT...`` does what ``nbgrader autograde`` does, with
nbgrader's gradebook API and its own SaveAutoGrades, but:

- each submitted file is read as text and rebuilt on the teacher's notebook
  (:mod:`stalin_course.restore`): cell roles, points and locked cells come from the
  gradebook, only the answers from the file, so no edit to a cell's settings can gain
  a mark, and a link, a renamed file or a file in another encoding is handled;
- answers are marked in this process (:mod:`stalin_course.marking`): no kernel is
  started and no student text is ever run. Only a notebook whose check cells are real
  code (none of the course's) is run on a kernel, with one retry on a fresh kernel;
- every database read and write happens in one thread, one notebook per
  transaction, so the SQLite gradebook never sees two writers;
- one bad submission never stops the batch: each gets a status (graded, tampered,
  set aside, timed out, kernel died, unreadable notebook, wrong assignment, not
  submitted) and a reason in plain words;
- a submission that cannot be graded has its automatic scores set to zero, so no
  stale score from an earlier run survives; manual grades are never touched, and
  other students (or notebooks) are untouched when some are re-graded.
"""

from __future__ import annotations

import asyncio
import copy
import csv
import importlib
import itertools
import json
import os
import queue
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

from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellTimeoutError
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import (
    AssignLatePenalties,
    Execute,
    IgnorePattern,
    LimitOutput,
    SaveAutoGrades,
)
from nbgrader.utils import parse_utc
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SAWarning
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from .bank import grading_bank
from .cells import nbgrader_meta
from .graded_parts import marked_parts
from .grading import (
    FlagChangedAnswers,
    FlagReview,
    NoteChangedAnswers,
    ValidateCellMetadata,
)
from .marking import mark, needs_kernel, review_cells
from .records import late_by
from .release import CourseFolderError
from .restore import Blueprint, Finding, Unreadable, read_notebook, rebuild, summary

__all__ = [
    "KEPT_FILES",
    "STATUSES",
    "TIMESTAMP_FILE",
    "KernelPool",
    "copy_kept_files",
    "Outcome",
    "grade_assignment",
    "load_course",
    "put_aside",
    "set_aside",
    "write_status",
]

STATUSES = (
    "graded",
    "set aside",
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

#: The hand-in time nbgrader writes beside a submission (on the student's side).
TIMESTAMP_FILE = "timestamp.txt"

#: Files nbgrader keeps beside a submission; release_feedback needs both.
KEPT_FILES = (TIMESTAMP_FILE, "submission_secret.txt")


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
    #: when the student handed it in (as nbgrader recorded it), and how late
    submitted_at: str = ""
    late_by: str = ""

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
    if not (root / "nbgrader_config.py").is_file():
        raise CourseFolderError(
            f"{root} is not a course folder (it has no nbgrader_config.py): run this in "
            "the course's top folder, or give it with --course"
        )
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
    ] + [importlib.import_module("stalin_course.grading")]
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

    nbgrader's SaveAutoGrades commits after every cell; here those commits do nothing,
    and the notebook's grades are flushed and committed together at the end (or not at
    all, if anything fails on the way).
    """
    session = gradebook.db
    session.commit = lambda: None  # an instance attribute hides the method
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
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # about the grading run itself
    wrong: str | None = None  # why the file is not this assignment's notebook
    tampered: bool = False  # the student edited the assignment itself
    ran: bool = False  # run on a kernel (rather than marked as text)
    started: float = 0.0

    @property
    def reason(self) -> str:
        return "; ".join(filter(None, [self.wrong, summary(self.findings), *self.notes]))


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


def _score(grade: Any) -> float:
    """A grade's score as nbgrader's database computes it (manual, else automatic, plus
    any extra credit), without asking the database."""
    extra = grade.extra_credit or 0.0
    if grade.manual_score is not None:
        return float(grade.manual_score) + extra
    return float(grade.auto_score) + extra if grade.auto_score is not None else 0.0


def _write_notebook(nb: Any, path: Path) -> None:
    """Write a notebook the grader built (valid by construction) as nbformat does."""
    text = json.dumps(nb, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")


def _timestamp(folder: Path) -> tuple[Any, list[Finding]]:
    """When a submission was handed in, from its :data:`TIMESTAMP_FILE` (which the
    student's side writes, so it is read with care: never through a link, never a large
    file)."""
    path = folder / TIMESTAMP_FILE
    if not (path.exists() or path.is_symlink()):
        return None, []
    unusable = [
        Finding(
            False, f"its {TIMESTAMP_FILE} was not a plain date, so no hand-in time was recorded"
        )
    ]
    if path.is_symlink() or not path.is_file() or path.stat().st_size > 200:
        return None, unusable
    try:
        return parse_utc(path.read_text(encoding="utf-8").strip()), []
    except Exception:  # any text that is not a date
        return None, unusable


def copy_kept_files(source: Path, target: Path) -> None:
    """Copy the files nbgrader keeps beside a submission (release_feedback needs them),
    each only if it is a small regular file: never through a link, so no student can
    have another file copied out to them."""
    for name in KEPT_FILES:
        path = source / name
        if path.is_file() and not path.is_symlink() and path.stat().st_size < 4096:
            (target / name).write_bytes(path.read_bytes())


class _Grader:
    """Grades one assignment: each file is read as text and rebuilt on the teacher's
    notebook; answers are marked in this process, and a kernel is started only for a
    notebook whose check cells are real code. All database work happens here, in one
    thread; kernel runs (if any) happen on worker threads."""

    def __init__(
        self, course: Course, assignment: str, jobs: int, only: list[str] | None = None
    ) -> None:
        self.course, self.assignment, self.jobs, self.only = course, assignment, jobs, only
        self.aside = set_aside(assignment, course.root)
        config = course.config
        self.finish = [
            NoteChangedAnswers(config=config),
            SaveAutoGrades(config=config),
            FlagReview(config=config),
            FlagChangedAnswers(config=config),
            AssignLatePenalties(config=config),
        ]
        self.finish_run = [
            IgnorePattern(config=config),
            LimitOutput(config=config),
            *self.finish,
            ValidateCellMetadata(config=config),
        ]
        self.executor_config = config
        probe = Execute(config=config)
        self.timeout = probe.timeout
        self._kernel_arguments = probe.extra_arguments or ["--HistoryManager.hist_file=:memory:"]
        self._pool: KernelPool | None = None
        self._blueprints: dict[str, Blueprint] = {}
        self._notes: list[Finding] = []  # about the student being graded, for each notebook

    @property
    def pool(self) -> KernelPool:
        """Kernels, started the first time a notebook needs one (none of the course's do)."""
        if self._pool is None:
            env = {**os.environ, "NBGRADER_EXECUTION": "autograde"}
            self._pool = KernelPool(self.jobs + 1, env, self._kernel_arguments)
        return self._pool

    # --- database side (main thread only) ------------------------------------------
    def notebooks(self, gradebook: Gradebook) -> list[str]:
        return [nb.name for nb in gradebook.find_assignment(self.assignment).notebooks]

    def blueprint(self, gradebook: Gradebook, notebook: str) -> Blueprint:
        """The teacher's version of a notebook, read once per run."""
        if notebook not in self._blueprints:
            released = Path(
                self.course.coursedir.format_path(
                    self.course.coursedir.release_directory, ".", self.assignment
                )
            )
            self._blueprints[notebook] = Blueprint.from_gradebook(
                gradebook, self.assignment, notebook, released / f"{notebook}.ipynb"
            )
        return self._blueprints[notebook]

    def max_score(self, gradebook: Gradebook, notebook: str) -> float:
        """The marks a notebook is worth, from the teacher's copy in the gradebook."""
        return float(gradebook.find_notebook(notebook, self.assignment).max_score)

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

    def locate(self, student: str, notebook: str, names: list[str]) -> tuple[Path, list[Finding]]:
        """The submitted file for one notebook (it may have been renamed); raises
        Unreadable if there is none, or if the submission is not a plain folder."""
        root = (self.course.root / self.course.coursedir.submitted_directory).resolve()
        folder = self.course.folder("submitted", student, self.assignment)
        if (
            folder.is_symlink()
            or folder.parent.is_symlink()
            or root not in folder.resolve().parents
        ):
            raise Unreadable("the submission folder is a link to another place; it was not read")
        path = folder / f"{notebook}.ipynb"
        others = sorted(
            p for p in folder.glob("*.ipynb") if p.stem not in names and not p.is_symlink()
        )
        if path.exists() or path.is_symlink():
            notes = [Finding(False, "another notebook was also handed in ({}); not graded", p.name)
                     for p in others]  # fmt: skip
            return path, notes
        if not others:
            raise FileNotFoundError(f"no {notebook}.ipynb in {folder.name}/")
        if len(others) == 1 or len(names) == 1:
            chosen = self._best_match(others, notebook)
            notes = [
                Finding(
                    False, f"the notebook was handed in as {{}}; graded as {notebook}", chosen.name
                )
            ]
            notes += [Finding(False, "another notebook was also handed in ({}); not graded", p.name)
                      for p in others if p != chosen]  # fmt: skip
            return chosen, notes
        raise FileNotFoundError(
            f"no {notebook}.ipynb in {folder.name}/ (found {', '.join(p.name for p in others)})"
        )

    def _best_match(self, paths: list[Path], notebook: str) -> Path:
        """Of several files, the one holding most of this notebook's cells."""
        if len(paths) == 1:
            return paths[0]
        blueprint = self._blueprints[notebook]

        def found(path: Path) -> int:
            try:
                return rebuild(read_notebook(path)[0], blueprint).own_cells
            except Unreadable:
                return -1

        return max(paths, key=found)

    def prepare(self, gradebook: Gradebook, student: str, notebook: str) -> _Job | Outcome:
        """Read one submitted notebook as text and rebuild it on the teacher's; an
        Outcome if there is nothing to grade."""
        blueprint = self.blueprint(gradebook, notebook)
        try:
            path, located = self.locate(student, notebook, self.notebooks(gradebook))
        except FileNotFoundError as missing:
            return Outcome(student, notebook, "not submitted", str(missing))
        except Unreadable as error:
            return Outcome(student, notebook, "unreadable notebook", str(error))
        try:
            data, read = read_notebook(path)
            rebuilt = rebuild(data, blueprint)
        except Unreadable as error:
            return Outcome(student, notebook, "unreadable notebook", str(error))
        job = _Job(student, notebook, path, rebuilt.nb)
        job.findings = [*self._notes, *located, *read, *rebuilt.findings]
        job.tampered = rebuilt.tampered
        wrong = rebuilt.wrong_assignment()
        if wrong:
            job.wrong = f"{wrong}, not {self.assignment}; nothing in it was marked"
        job.resources = _resources(self.course, self.assignment, student, notebook, path)
        return job

    def status(self, job: _Job) -> str:
        if job.wrong:
            return "wrong assignment"
        return "tampered" if job.tampered else "graded"

    def save(self, gradebook: Gradebook, job: _Job, error: BaseException | None) -> Outcome:
        """Store the grades of a marked (or executed) notebook; write the graded copy."""
        elapsed = time.perf_counter() - job.started
        if error is not None:
            self.zero(gradebook, job.student, job.notebook)
            status = "timed out" if isinstance(error, CellTimeoutError) else "kernel died"
            detail = f"{type(error).__name__}: {str(error).strip()[:120]}"
            job.notes.append(f"run {_RUNS} failed too ({detail})")
            return Outcome(
                job.student, job.notebook, status, job.reason, 0.0,
                self.max_score(gradebook, job.notebook),
            )  # fmt: skip
        timed_out = [
            nbgrader_meta(cell).get("grade_id", "a cell")
            for cell in job.nb.cells
            if any(o.get("ename") in _TIMEOUT_ERRORS for o in cell.get("outputs", []))
        ]
        with _one_transaction(gradebook):
            nb = _run(self.finish_run if job.ran else self.finish, job.nb, job.resources)
        changed = job.resources["nbgrader"].get("answers_to_review", [])
        if changed:
            labels = {p.grade_name: f"Q{n}" for n, p in enumerate(marked_parts(nb), start=1)}
            named = ", ".join(f"{labels.get(name, name)} ({name})" for name in changed)
            job.notes.append(f"changed since you marked it, check your mark in formgrader: {named}")
        to_confirm = review_cells(nb)
        if to_confirm:
            job.notes.append(
                f"{len(to_confirm)} answer{'s' * (len(to_confirm) > 1)} could be read two ways: "
                f"confirm in formgrader ({', '.join(to_confirm)})"
            )
        out_dir = self.course.folder("autograded", job.student, self.assignment)
        out_dir.mkdir(parents=True, exist_ok=True)
        _write_notebook(nb, out_dir / f"{job.notebook}.ipynb")
        copy_kept_files(job.path.parent, out_dir)
        grades = gradebook._submission_rows(job.notebook, self.assignment, job.student)["grades"]
        outcome = Outcome(
            job.student, job.notebook, self.status(job), job.reason,
            sum(_score(grade) for grade in grades.values()),
            sum(float(grade.max_score) for grade in grades.values()), elapsed,
        )  # fmt: skip
        if timed_out:
            outcome.status = "timed out"
            outcome.reason = f"stopped after {self.timeout} s in {', '.join(timed_out)}"
        return outcome

    # --- worker side -------------------------------------------------------------
    def execute(self, job: _Job) -> None:
        """Run the notebook; if the run fails, run it once more on a fresh kernel.

        Only a notebook with check cells that are real code gets here. Answer cells
        are text and locked cells are the teacher's, so a failed run is nearly always
        the machine (a slow start, a lost message), not the student: a second run on a
        new kernel keeps a busy batch from marking a sound submission 0. A second
        failure is reported as it is.
        """
        job.ran = True
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
            if self.only is not None:
                unknown = sorted(set(self.only) - set(notebooks))
                if unknown:
                    raise ValueError(f"{self.assignment} has no notebook {', '.join(unknown)}")
                notebooks = [name for name in notebooks if name in self.only]
            total = len(students) * len(notebooks)
            handed: dict[str, tuple[str, str]] = {}
            pending: dict[Future, _Job] = {}
            with ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="grade") as workers:
                for student in students:
                    timestamp, notes = _timestamp(
                        self.course.folder("submitted", student, self.assignment)
                    )
                    self._notes = notes
                    aside = self.aside.get(student)
                    if aside is not None and aside["timestamp"] in ("", str(timestamp or "")):
                        for notebook in notebooks:
                            reason = aside["reason"] or "set aside by the teacher"
                            outcome = Outcome(student, notebook, "set aside", reason)
                            outcomes.append(outcome)
                            progress(outcome, len(outcomes), total)
                        continue
                    try:
                        gradebook.update_or_create_student(student)
                        if timestamp:
                            gradebook.update_or_create_submission(
                                self.assignment, student, timestamp=timestamp
                            )
                        else:
                            gradebook.update_or_create_submission(self.assignment, student)
                    except Exception as error:  # the batch goes on without this student
                        gradebook.db.rollback()
                        for notebook in notebooks:
                            outcome = Outcome(
                                student, notebook, "unreadable notebook",
                                f"the submission could not be recorded ({type(error).__name__})",
                            )  # fmt: skip
                            outcomes.append(outcome)
                            progress(outcome, len(outcomes), total)
                        continue
                    handed[student] = self.handed_in(gradebook, student)
                    for notebook in notebooks:
                        gradebook.forget(notebook, self.assignment, student)
                        prepared = self.prepare(gradebook, student, notebook)
                        if isinstance(prepared, Outcome):
                            self.zero(gradebook, student, notebook)
                            prepared.score = 0.0
                            prepared.max_score = self.max_score(gradebook, notebook)
                            outcomes.append(prepared)
                            progress(prepared, len(outcomes), total)
                            continue
                        prepared.started = time.perf_counter()
                        if not needs_kernel(prepared.nb):
                            mark(prepared.nb)
                            self._finish(gradebook, prepared, None, outcomes, progress, total)
                            continue
                        pending[workers.submit(self.execute, prepared)] = prepared
                        while len(pending) > self.jobs * 2:
                            self._collect(gradebook, pending, outcomes, progress, total)
                while pending:
                    self._collect(gradebook, pending, outcomes, progress, total)
        gradebook.really_close()
        for outcome in outcomes:
            outcome.submitted_at, outcome.late_by = handed.get(outcome.student, ("", ""))
        return outcomes

    def handed_in(self, gradebook: Gradebook, student: str) -> tuple[str, str]:
        """When the student's submission was handed in, and how late (from nbgrader's
        record of it and the assignment's due date)."""
        try:
            submission = gradebook.find_submission(self.assignment, student)
        except MissingEntry:
            return "", ""
        when = (
            submission.timestamp.isoformat(sep=" ", timespec="seconds")
            if (submission.timestamp)
            else ""
        )
        return when, late_by(submission.total_seconds_late)

    def _collect(self, gradebook, pending, outcomes, progress, total) -> None:
        from concurrent.futures import FIRST_COMPLETED, wait

        done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
        for future in done:
            job = pending.pop(future)
            self._finish(gradebook, job, future.exception(), outcomes, progress, total)

    def _finish(self, gradebook, job, error, outcomes, progress, total) -> None:
        try:
            outcome = self.save(gradebook, job, error)
        except Exception as failure:  # keep the batch going, and the gradebook consistent
            gradebook.db.rollback()
            self.zero(gradebook, job.student, job.notebook)
            detail = f"{type(failure).__name__}: {str(failure)[:120]}"
            outcome = Outcome(
                job.student, job.notebook, "unreadable notebook",
                f"could not be graded ({detail})", 0.0, self.max_score(gradebook, job.notebook),
            )  # fmt: skip
        outcomes.append(outcome)
        progress(outcome, len(outcomes), total)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()


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
    notebooks: list[str] | None = None,
) -> list[Outcome]:
    """Autograde every collected submission of ``assignment`` (or only those of
    ``students``, or only ``notebooks``); return one Outcome each. Other students' and
    notebooks' grades are not touched; submissions set aside are left as they are.

    Raises ``ValueError`` if the assignment is not in the gradebook (run
    ``nbgrader generate_assignment`` first).
    """
    if not event.contains(Engine, "connect", _fast_safe_sqlite):
        event.listen(Engine, "connect", _fast_safe_sqlite)
    course = load_course(root)  # a school's settings may name the full key (KEY_ENV)
    grading_bank()  # never mark with a class key
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
    grader = _Grader(course, assignment, max(1, jobs), notebooks)
    try:
        with warnings.catch_warnings():
            # nbgrader's add_submission builds rows that SQLAlchemy 2 warns about; the
            # rows are saved all the same (their parent's cascade adds them), so the
            # warning is noise on the teacher's screen.
            warnings.filterwarnings("ignore", ".*not in session, add operation", SAWarning)
            return grader.run(students, progress)
    finally:
        grader.close()


def _reports(root: Path | str, assignment: str) -> Path:
    return Path(root).resolve() / "reports" / assignment


def read_status(assignment: str, root: Path | str = ".") -> dict[tuple[str, str], dict[str, str]]:
    """The saved status table's rows by (student, notebook); empty before any grading."""
    path = _reports(root, assignment) / "grading_status.csv"
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        return {(row["student"], row["notebook"]): row for row in csv.DictReader(handle)}


def write_status(assignment: str, outcomes: list[Outcome], root: Path | str = ".") -> Path:
    """Save the status table as ``reports/<assignment>/grading_status.csv``; return its
    path. Rows of students or notebooks not graded this time are kept from before."""
    path = _reports(root, assignment) / "grading_status.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = [
        "student", "notebook", "status", "score", "max_score", "reason",
        "submitted_at", "late_by", "resubmitted",
    ]  # fmt: skip
    rows: dict[tuple[str, str], list[Any]] = {
        key: [row.get(c, "") for c in columns] for key, row in read_status(assignment, root).items()
    }
    for o in outcomes:
        before = rows.get((o.student, o.notebook))
        # handed in again since the last grading (kept as the time of the hand-in before)
        resubmitted = before[8] if before else ""
        if before and before[6] and o.submitted_at and before[6] != o.submitted_at:
            resubmitted = f"yes (before: {before[6]})"
        rows[(o.student, o.notebook)] = [
            o.student, o.notebook, o.status, o.score, o.max_score, o.reason,
            o.submitted_at, o.late_by, resubmitted,
        ]  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(rows[key] for key in sorted(rows))
    return path


def set_aside(assignment: str, root: Path | str = ".") -> dict[str, dict[str, str]]:
    """Submissions the teacher set aside, by student: their timestamp and the reason."""
    path = _reports(root, assignment) / "set_aside.csv"
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


def put_aside(
    assignment: str, student: str, reason: str = "", root: Path | str = ".", undo: bool = False
) -> Path:
    """Set a student's current submission aside (grading leaves it alone, even after the
    next ``nbgrader collect`` brings it back; a newer submission is graded), or undo it."""
    course = load_course(root)
    aside = set_aside(assignment, course.root)
    if undo:
        aside.pop(student, None)
    else:
        folder = course.folder("submitted", student, assignment)
        timestamp, _ = _timestamp(folder)
        aside[student] = {
            "student": student,
            "timestamp": str(timestamp or ""),
            "reason": reason or "set aside by the teacher",
        }
    path = _reports(course.root, assignment) / "set_aside.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["student", "timestamp", "reason"])
        writer.writeheader()
        writer.writerows(aside[key] for key in sorted(aside))
    return path
