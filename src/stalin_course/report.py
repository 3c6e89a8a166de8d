"""Per-question class statistics, so a teacher sees at a glance what to reteach.

``stalin-course report ASSIGNMENT`` reads the gradebook and the autograded
notebooks and writes ``reports/<assignment>/questions.csv`` (one row per
question: share fully correct, mean score, the most common wrong answers) and
``reports/<assignment>/questions.png`` (share correct per question, in the
course's accessible chart style).
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from .autograde import load_course, read_status
from .charts.style import OKABE_ITO, Chart, house_style, label_axes, new_figure
from .feedback import QuestionResult, notebook_results
from .normalise import clean

__all__ = ["QuestionStats", "class_statistics", "write_report"]


@dataclass(frozen=True)
class QuestionStats:
    """How the class did on one question."""

    question_id: str
    #: "Q1", "Q2", ... in the assignment's order
    label: str
    max_score: float
    #: students whose graded notebook was counted
    answered: int
    unanswered: int
    share_correct: float
    mean_score: float
    common_wrong: tuple[tuple[str, int], ...]
    #: "computer" or "teacher"
    marked_by: str = "computer"
    #: teacher-marked questions not yet marked (left out of the share and the mean)
    not_marked: int = 0


#: Statuses of ``stalin-course grade`` whose marks the report counts.
COUNTED = ("graded", "tampered", "timed out")


def class_statistics(assignment: str, root: Path | str = ".") -> list[QuestionStats]:
    """Statistics for every question of ``assignment`` (auto-checked and teacher-marked)
    over all graded students; a question the teacher has not marked for a student
    counts as not marked, never as zero."""
    course = load_course(root)
    statuses = {key: row["status"] for key, row in read_status(assignment, course.root).items()}
    scores: dict[str, list[float]] = defaultdict(list)
    first: dict[str, QuestionResult] = {}
    wrong: dict[str, Counter] = defaultdict(Counter)
    blank: Counter = Counter()
    not_marked: Counter = Counter()
    graded = course.root / course.coursedir.autograded_directory
    with Gradebook(course.db_url, course.coursedir.course_id) as gradebook:
        for path in sorted(graded.glob(f"*/{assignment}/*.ipynb")):
            student, notebook = path.parent.parent.name, path.stem
            if statuses and statuses.get((student, notebook)) not in COUNTED:
                continue  # a wrong assignment, or a copy left from before
            nb = nbformat.read(path, as_version=4)
            for result in notebook_results(nb, gradebook, assignment, notebook, student):
                question = result.question_id
                first.setdefault(question, result)
                if not result.answered:
                    blank[question] += 1
                if not result.marked:
                    not_marked[question] += 1
                    continue
                scores[question].append(result.score)
                if result.answered and result.score < result.max_score:
                    if result.marker == "auto":
                        wrong[question][clean(result.answer)[:60]] += 1
    stats = []
    for question, result in first.items():
        values, full = scores[question], result.max_score
        stats.append(
            QuestionStats(
                question_id=question,
                label=result.label,
                max_score=full,
                answered=len(values) + not_marked[question],
                unanswered=blank[question],
                share_correct=sum(v >= full for v in values) / len(values)
                if full and values
                else 0.0,
                mean_score=sum(values) / len(values) if values else 0.0,
                common_wrong=tuple(wrong[question].most_common(3)),
                marked_by="teacher" if result.marker == "teacher" else "computer",
                not_marked=not_marked[question],
            )
        )
    return stats


def chart(assignment: str, stats: list[QuestionStats]) -> Chart:
    """Share of the class fully correct on each question, as a horizontal bar chart."""
    source = f"Gradebook of this course: autograded submissions of {assignment}"
    with house_style():
        figure, ax = new_figure(8, 1.2 + 0.4 * max(len(stats), 1), source)
        labels = [s.label for s in stats][::-1]
        shares = [100 * s.share_correct for s in stats][::-1]
        colours = [OKABE_ITO["vermillion"] if v < 50 else OKABE_ITO["blue"] for v in shares]
        hatches = ["//" if v < 50 else "" for v in shares]
        bars = ax.barh(labels, shares, color=colours, edgecolor="white")
        for bar, hatch in zip(bars, hatches, strict=True):
            bar.set_hatch(hatch)
        ax.set_xlim(0, 100)
        counted = max((s.answered for s in stats), default=0)
        label_axes(
            ax,
            f"{assignment}: share of the class fully correct ({counted} students)",
            "Per cent of students",
            "Question",
        )
    weakest = min(stats, key=lambda s: s.share_correct) if stats else None
    summary = (
        f"The question answered worst was {weakest.label} ({weakest.question_id}), fully "
        f"correct for {weakest.share_correct:.0%} of {weakest.answered} students."
        if weakest
        else "No graded submissions yet."
    )
    return Chart(figure, summary, source)


def counted(assignment: str, root: Path | str = ".") -> str:
    """Which submissions the report counts, and which it leaves out and why (from the
    status table ``stalin-course grade`` saves)."""
    statuses = Counter(row["status"] for row in read_status(assignment, root).values())
    if not statuses:
        return "No status table yet: run stalin-course grade first."
    counted_here = sum(statuses.pop(s, 0) for s in COUNTED)
    left = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
    return f"Counted {counted_here} graded notebook(s)" + (
        f"; not counted: {left} (see grading_status.csv)." if left else "."
    )


def write_report(assignment: str, root: Path | str = ".") -> tuple[Path, Path]:
    """Write the CSV and PNG report; return their paths."""
    stats = class_statistics(assignment, root)
    folder = Path(root).resolve() / "reports" / assignment
    folder.mkdir(parents=True, exist_ok=True)
    table = folder / "questions.csv"
    with table.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "label",
                "question",
                "max_score",
                "students",
                "not_answered",
                "share_correct",
                "mean_score",
                "common_wrong_answers",
                "marked_by",
                "not_marked_yet",
            ]
        )
        for s in stats:
            wrong = "; ".join(f"{text} ({count})" for text, count in s.common_wrong)
            writer.writerow(
                [
                    s.label,
                    s.question_id,
                    s.max_score,
                    s.answered,
                    s.unanswered,
                    f"{s.share_correct:.3f}",
                    f"{s.mean_score:.3f}",
                    wrong,
                    s.marked_by,
                    s.not_marked,
                ]
            )
    picture = folder / "questions.png"
    picture.write_bytes(chart(assignment, stats).png())
    return table, picture
