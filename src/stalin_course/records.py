"""What grading remembers about each hand-in between runs.

Kept in the course's ``reports/<assignment>/`` folder, beside the status table:

- ``answers_seen.json``: a short hash of each marked answer as it was last graded, and
  whether the teacher still has to look at a mark because the answer changed after
  they marked it (a resubmission, ``nbgrader collect --update``).

Hashes only: no answer text is copied here.

:func:`export_marks` writes ``reports/<assignment>/marks.csv`` for the teacher's
records: each submission's status and every question's mark.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import nbformat
from nbgrader.api import Gradebook, MissingEntry

__all__ = ["EXPORT_STATUS", "AnswerLog", "export_marks", "late_by"]


class AnswerLog:
    """Each student's marked answers, as hashes, as they were last graded."""

    def __init__(self, root: Path | str, assignment: str) -> None:
        self.path = Path(root) / "reports" / assignment / "answers_seen.json"

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def get(self, student: str, notebook: str) -> dict[str, dict[str, Any]]:
        """``{grade cell: {"answer": hash, "review": bool}}`` from the last grading."""
        seen = self._load().get(student, {}).get(notebook, {})
        return seen if isinstance(seen, dict) else {}

    def put(self, student: str, notebook: str, parts: dict[str, dict[str, Any]]) -> None:
        """Record this grading's hashes (written whole, so a crash leaves the old file)."""
        data = self._load()
        data.setdefault(student, {})[notebook] = parts
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=self.path.parent, prefix=".answers_seen.")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=1, sort_keys=True)
        os.replace(name, self.path)


def late_by(seconds: float | None) -> str:
    """How late a hand-in was, in words ("" if on time or there is no due date).

    >>> late_by(0), late_by(90), late_by(3 * 3600 + 300), late_by(2 * 86400 + 7200)
    ('', '2 min', '3 h 5 min', '2 days 2 h')
    """
    if not seconds or seconds <= 0:
        return ""
    span = timedelta(seconds=round(seconds))
    days, rest = span.days, span.seconds
    hours, minutes = rest // 3600, (rest % 3600 + 59) // 60
    if minutes == 60:
        hours, minutes = hours + 1, 0
    if days:
        return f"{days} day{'s' * (days > 1)}" + (f" {hours} h" if hours else "")
    if hours:
        return f"{hours} h" + (f" {minutes} min" if minutes else "")
    return f"{max(minutes, 1)} min"


#: How the export names each status of ``stalin-course grade``.
EXPORT_STATUS = {
    "graded": "graded",
    "tampered": "graded (edited)",
    "timed out": "graded (timed out)",
    "unreadable notebook": "unreadable",
    "kernel died": "unreadable",
    "not submitted": "missing",
    "wrong assignment": "wrong assignment",
    "set aside": "set aside",
}


def export_marks(assignment: str, root: Path | str = ".") -> Path:
    """Write ``reports/<assignment>/marks.csv``: one row per student and notebook with
    the submission's status (graded, late, missing, unreadable, ...), when it was
    handed in, how late, the gradebook's total and each question's mark. A question
    with no mark (the submission is missing or unreadable, or the teacher has not marked
    it yet) is left empty, never written as 0."""

    from .autograde import load_course, read_status
    from .feedback import notebook_results

    course = load_course(root)
    statuses = read_status(assignment, course.root)
    graded = course.root / course.coursedir.autograded_directory
    rows, questions = [], {}
    with Gradebook(course.db_url, course.coursedir.course_id) as gradebook:
        notebooks = [nb.name for nb in gradebook.find_assignment(assignment).notebooks]
        maxima = {nb: gradebook.find_notebook(nb, assignment).max_score for nb in notebooks}
        for student in sorted(s.id for s in gradebook.students):
            for notebook in notebooks:
                row = statuses.get((student, notebook), {})
                status = EXPORT_STATUS.get(row.get("status", ""), "")
                if not status:
                    handed = course.folder("submitted", student, assignment).is_dir()
                    status = "not graded yet" if handed else "missing"
                late = row.get("late_by", "")
                if late and status.startswith("graded"):
                    status = "late"
                marks: dict[str, str] = {}
                total = ""
                path = graded / student / assignment / f"{notebook}.ipynb"
                if status in ("graded", "graded (edited)", "graded (timed out)", "late"):
                    if path.is_file():
                        nb = nbformat.read(path, as_version=4)
                        for r in notebook_results(nb, gradebook, assignment, notebook, student):
                            column = f"{r.label} {r.question_id} ({r.max_score:g})"
                            questions.setdefault((notebook, column), None)
                            confirm = " (to confirm)" if r.pending else ""
                            marks[column] = f"{r.score:g}{confirm}" if r.marked else ""
                    try:
                        found = gradebook.find_submission_notebook(notebook, assignment, student)
                        total = f"{found.score:g}"
                    except MissingEntry:
                        pass
                rows.append(
                    {
                        "student": student,
                        "notebook": notebook,
                        "status": status,
                        "submitted_at": row.get("submitted_at", ""),
                        "late_by": late,
                        "resubmitted": row.get("resubmitted", ""),
                        "score": total,
                        "max_score": f"{maxima[notebook]:g}",
                        "reason": row.get("reason", ""),
                        **marks,
                    }
                )
    columns = [
        "student", "notebook", "status", "submitted_at", "late_by", "resubmitted",
        "score", "max_score", *(column for _, column in questions), "reason",
    ]  # fmt: skip
    out = course.root / "reports" / assignment / "marks.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return out
