"""Feedback a student can safely read: every mark, their answers and hints, nothing else.

Each graded notebook becomes one HTML page: every question in order (auto-checked
answers, written answers and tasks your teacher marks), the student's own answer as
text, the mark the gradebook holds for it (the teacher's mark where there is one), the
hint the check cell printed, the teacher's own comment, and the total the gradebook
holds. It never shows a hidden test, an accepted answer or a mark scheme.

There is one way this page is made, used by both routes to it: ``stalin-course
feedback ASSIGNMENT``, and nbgrader's own ``generate_feedback`` (the command line and
formgrader's *Generate Feedback* button), which ``nbgrader_config.py`` points at
:class:`SafeFeedbackExporter` instead of nbgrader's page of the whole notebook. Both
write where ``nbgrader release_feedback`` looks.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mistune
import nbformat
from nbconvert.exporters import Exporter
from nbgrader.api import Gradebook, MissingEntry

from .autograde import copy_kept_files, load_course
from .bank import grading_bank
from .checking import check, is_unanswered
from .graded_parts import marked_parts

__all__ = [
    "QuestionResult",
    "SafeFeedbackExporter",
    "feedback_page",
    "notebook_results",
    "write_feedback",
]


@dataclass(frozen=True)
class QuestionResult:
    """One marked part of one student's graded notebook."""

    question_id: str
    #: "Q1", "Q2", ... in the notebook's order
    label: str
    prompt: str
    answer: str
    feedback: str
    score: float
    max_score: float
    comment: str
    #: "auto" (checked by the course) or "teacher" (marked by hand)
    marker: str
    #: a mark exists (the checker's, or the teacher's); False for a task not yet marked
    marked: bool
    #: the checker's mark waits for the teacher to confirm it
    pending: bool

    @property
    def answered(self) -> bool:
        return not is_unanswered(self.answer)


def _printed(cell: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stdout")


def _hint(question_id: str, answer: str, test_cell: nbformat.NotebookNode | None) -> str:
    """What the checker says to this answer (the same words the check cell gives once
    the work is marked); for a check the bank does not hold, what its cell printed."""
    if question_id in grading_bank().questions:  # never a class key
        return check(question_id, answer).feedback
    return _printed(test_cell).strip() if test_cell is not None else ""


def _teacher_comment(gradebook: Gradebook, cell_id: str, *where: str) -> str:
    """The teacher's own comment (nbgrader's automatic "No response." is not one)."""
    try:
        return (gradebook.find_comment(cell_id, *where).manual_comment or "").strip()
    except MissingEntry:
        return ""


def notebook_results(
    nb: nbformat.NotebookNode, gradebook: Gradebook, assignment: str, notebook: str, student: str
) -> list[QuestionResult]:
    """Every marked part of a graded notebook, in order: the student's answer, the mark
    the gradebook holds, the check cell's hint and the teacher's comment."""
    where = (notebook, assignment, student)
    results: list[QuestionResult] = []
    for number, part in enumerate(marked_parts(nb), start=1):
        try:
            grade = gradebook.find_grade(part.grade_name, *where)
        except MissingEntry:
            grade = None
        manual = grade is not None and grade.manual_score is not None
        marked = grade is not None and (manual or grade.auto_score is not None)
        hint = ""
        if part.test is not None and not manual:
            hint = _hint(part.question_id, part.answer, part.test)
        results.append(
            QuestionResult(
                question_id=part.question_id,
                label=f"Q{number}",
                prompt=part.prompt,
                answer=part.answer,
                feedback=hint,
                score=float(grade.score) if grade is not None else 0.0,
                max_score=float(grade.max_score) if grade is not None else part.points,
                comment=_teacher_comment(gradebook, part.question_id, *where),
                marker="teacher" if part.hand_marked or manual else "auto",
                marked=marked,
                pending=marked and not manual and bool(grade.needs_manual_grade),
            )
        )
    return results


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Feedback: {assignment}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; line-height: 1.5;
        color: #111; padding: 0 1rem; }}
section {{ border-top: 1px solid #999; padding: 0.5rem 0; }}
.answer {{ background: #f3f3f3; padding: 0.5rem; white-space: pre-wrap; overflow-wrap: anywhere; }}
.score {{ font-weight: bold; }}
</style></head>
<body>
<h1>Feedback: {assignment}</h1>
<p>Student: {student}. <span class="score">Total: {score:g} out of {max_score:g}.</span>
{waiting}</p>
{sections}
</body></html>
"""

_SECTION = """<section aria-label="{label}">
{prompt}
<p><b>Your answer:</b></p><div class="answer">{answer}</div>
<p class="score">{mark}</p>
{feedback}{comment}
</section>"""


#: The teacher's question texts, as HTML (any HTML in a student's text is escaped).
_MARKDOWN = mistune.create_markdown(escape=True)


def _mark(result: QuestionResult) -> str:
    if not result.marked:
        return f"Not marked yet (out of {result.max_score:g}): your teacher marks this question."
    who = "your teacher's mark" if result.marker == "teacher" else "checked by the computer"
    note = "; your teacher will confirm it" if result.pending else ""
    return f"{result.score:g} out of {result.max_score:g} ({who}{note})"


def render(
    assignment: str, student: str, results: list[QuestionResult], total: tuple[float, float]
) -> str:
    """The feedback page as HTML: the teacher's questions as markdown, everything a
    student wrote escaped as text."""
    sections = []
    for result in results:
        feedback = f"<p>{html.escape(result.feedback)}</p>" if result.feedback else ""
        comment = (
            f"<p><b>Your teacher's comment:</b> {html.escape(result.comment)}</p>"
            if result.comment
            else ""
        )
        sections.append(
            _SECTION.format(
                label=result.label,
                prompt=_MARKDOWN(result.prompt),
                answer=html.escape(result.answer) or "<i>(no answer)</i>",
                mark=html.escape(_mark(result)),
                feedback=feedback,
                comment=comment,
            )
        )
    unmarked = sum(not r.marked for r in results)
    waiting = f"{unmarked} question(s) are still to be marked by your teacher." if unmarked else ""
    return _PAGE.format(
        assignment=html.escape(assignment),
        student=html.escape(student),
        score=total[0],
        max_score=total[1],
        waiting=waiting,
        sections="\n".join(sections),
    )


def _total(
    gradebook: Gradebook, assignment: str, notebook: str, student: str, results: list
) -> tuple[float, float]:
    """The notebook's score and maximum as the gradebook holds them."""
    try:
        submitted = gradebook.find_submission_notebook(notebook, assignment, student)
        return float(submitted.score), float(submitted.max_score)
    except MissingEntry:
        return sum(r.score for r in results), sum(r.max_score for r in results)


def feedback_page(
    nb: nbformat.NotebookNode, gradebook: Gradebook, assignment: str, notebook: str, student: str
) -> str:
    """The safe feedback page of one graded notebook."""
    results = notebook_results(nb, gradebook, assignment, notebook, student)
    total = _total(gradebook, assignment, notebook, student, results)
    return render(assignment, student, results, total)


class SafeFeedbackExporter(Exporter):
    """nbgrader's ``generate_feedback`` writes :func:`feedback_page` with this exporter
    (set in ``nbgrader_config.py``), so the command line and formgrader's button make
    the same safe page as ``stalin-course feedback``."""

    output_mimetype = "text/html"

    def _file_extension_default(self) -> str:
        return ".html"

    def from_notebook_node(
        self, nb: nbformat.NotebookNode, resources: dict | None = None, **kw: Any
    ) -> tuple[str, dict]:
        resources = self._init_resources(resources)
        resources["output_extension"] = ".html"
        ids = resources.get("nbgrader", {})
        converter = self.parent
        course_id = getattr(getattr(converter, "coursedir", None), "course_id", "")
        with Gradebook(ids["db_url"], course_id) as gradebook:
            page = feedback_page(nb, gradebook, ids["assignment"], ids["notebook"], ids["student"])
        return page, resources


def write_feedback(assignment: str, root: Path | str = ".") -> list[Path]:
    """Write a feedback page for every autograded notebook of ``assignment``."""
    course = load_course(root)
    written = []
    graded = course.root / course.coursedir.autograded_directory
    with Gradebook(course.db_url, course.coursedir.course_id) as gradebook:
        for path in sorted(graded.glob(f"*/{assignment}/*.ipynb")):
            student, notebook = path.parent.parent.name, path.stem
            nb = nbformat.read(path, as_version=4)
            out_dir = course.folder("feedback", student, assignment)
            out_dir.mkdir(parents=True, exist_ok=True)
            out = out_dir / f"{notebook}.html"
            out.write_text(
                feedback_page(nb, gradebook, assignment, notebook, student), encoding="utf-8"
            )
            copy_kept_files(path.parent, out_dir)  # for release_feedback
            written.append(out)
    return written
