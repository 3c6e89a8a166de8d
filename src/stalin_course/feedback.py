"""Feedback a student can safely read: their answers, scores and hints, nothing else.

nbgrader's own ``generate_feedback`` renders the whole autograded notebook,
including the restored hidden tests. ``stalin-course feedback ASSIGNMENT``
writes instead, for each graded student, an HTML page per notebook with each
question, the student's own answer, the marks earned and the kind feedback
the check cell printed, plus any comment the teacher left in the formgrader.
It is written where ``nbgrader release_feedback`` looks for it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbconvert.filters.markdown import markdown2html
from nbgrader.api import Gradebook, MissingEntry

from .answers import AnswerCell
from .autograde import copy_kept_files, load_course
from .cells import nbgrader_meta

__all__ = ["QuestionResult", "notebook_results", "write_feedback"]


@dataclass(frozen=True)
class QuestionResult:
    """One question of one student's graded notebook."""

    question_id: str
    prompt: str
    answer: str
    feedback: str
    score: float
    max_score: float
    comment: str


def _printed(cell: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stdout")


def notebook_results(
    nb: nbformat.NotebookNode, gradebook: Gradebook, assignment: str, notebook: str, student: str
) -> list[QuestionResult]:
    """The student's answer, score and feedback for each question of a graded notebook."""
    by_id = {
        nbgrader_meta(cell)["grade_id"]: (index, cell)
        for index, cell in enumerate(nb.cells)
        if "grade_id" in nbgrader_meta(cell)
    }
    results = []
    for grade_id, (index, cell) in by_id.items():
        meta = nbgrader_meta(cell)
        if meta.get("solution") and cell.cell_type == "code":
            test = by_id.get(f"{grade_id}-test")
            grade_cell = test[1] if test else cell
            grade_name = f"{grade_id}-test" if test else grade_id
        elif meta.get("solution") and meta.get("grade"):
            grade_cell, grade_name = cell, grade_id  # a manually graded written answer
        else:
            continue
        prompt = next(  # the teacher's question: a locked cell, never a student's text
            (
                c.source
                for c in reversed(nb.cells[:index])
                if c.cell_type == "markdown" and nbgrader_meta(c).get("locked")
            ),
            "",
        )
        try:
            grade = gradebook.find_grade(grade_name, notebook, assignment, student)
            score, max_score = float(grade.score), float(grade.max_score)
        except MissingEntry:
            score, max_score = 0.0, float(nbgrader_meta(grade_cell).get("points", 0))
        try:
            comment = gradebook.find_comment(grade_id, notebook, assignment, student).comment or ""
        except MissingEntry:
            comment = ""
        answer = AnswerCell.read(cell.source).answer if cell.cell_type == "code" else cell.source
        feedback = _printed(grade_cell).strip() if grade_cell is not cell else ""
        results.append(
            QuestionResult(grade_id, prompt, answer, feedback, score, max_score, comment)
        )
    return results


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Feedback: {assignment}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; line-height: 1.5;
        color: #111; padding: 0 1rem; }}
section {{ border-top: 1px solid #999; padding: 0.5rem 0; }}
.answer {{ background: #f3f3f3; padding: 0.5rem; white-space: pre-wrap; }}
.score {{ font-weight: bold; }}
</style></head>
<body>
<h1>Feedback: {assignment}</h1>
<p>Student: {student}. <span class="score">Total: {score:g} out of {max_score:g}.</span></p>
{sections}
</body></html>
"""

_SECTION = """<section>
{prompt}
<p><b>Your answer:</b></p><div class="answer">{answer}</div>
<p class="score">{score:g} out of {max_score:g}</p>
{feedback}{comment}
</section>"""


def render(assignment: str, student: str, results: list[QuestionResult]) -> str:
    """The feedback page as HTML (every student-provided text is escaped)."""
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
                prompt=markdown2html(result.prompt),
                answer=html.escape(result.answer) or "<i>(no answer)</i>",
                score=result.score,
                max_score=result.max_score,
                feedback=feedback,
                comment=comment,
            )
        )
    return _PAGE.format(
        assignment=html.escape(assignment),
        student=html.escape(student),
        score=sum(r.score for r in results),
        max_score=sum(r.max_score for r in results),
        sections="\n".join(sections),
    )


def write_feedback(assignment: str, root: Path | str = ".") -> list[Path]:
    """Write a feedback page for every autograded notebook of ``assignment``."""
    course = load_course(root)
    written = []
    graded = course.root / course.coursedir.autograded_directory
    with Gradebook(course.db_url, course.coursedir.course_id) as gradebook:
        for path in sorted(graded.glob(f"*/{assignment}/*.ipynb")):
            student, notebook = path.parent.parent.name, path.stem
            nb = nbformat.read(path, as_version=4)
            results = notebook_results(nb, gradebook, assignment, notebook, student)
            out_dir = course.folder("feedback", student, assignment)
            out_dir.mkdir(parents=True, exist_ok=True)
            out = out_dir / f"{notebook}.html"
            out.write_text(render(assignment, student, results), encoding="utf-8")
            copy_kept_files(path.parent, out_dir)  # for release_feedback
            written.append(out)
    return written
