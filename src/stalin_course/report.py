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

from .autograde import load_course
from .charts.style import OKABE_ITO, Chart, house_style, label_axes, new_figure
from .checking import is_unanswered
from .feedback import notebook_results
from .normalise import clean

__all__ = ["QuestionStats", "class_statistics", "write_report"]


@dataclass(frozen=True)
class QuestionStats:
    """How the class did on one question."""

    question_id: str
    max_score: float
    answered: int
    unanswered: int
    share_correct: float
    mean_score: float
    common_wrong: tuple[tuple[str, int], ...]


def class_statistics(assignment: str, root: Path | str = ".") -> list[QuestionStats]:
    """Statistics for every question of ``assignment`` over all graded students."""
    course = load_course(root)
    scores: dict[str, list[float]] = defaultdict(list)
    maxima: dict[str, float] = {}
    wrong: dict[str, Counter] = defaultdict(Counter)
    blank: Counter = Counter()
    graded = course.root / course.coursedir.autograded_directory
    with Gradebook(course.db_url, course.coursedir.course_id) as gradebook:
        for path in sorted(graded.glob(f"*/{assignment}/*.ipynb")):
            student, notebook = path.parent.parent.name, path.stem
            nb = nbformat.read(path, as_version=4)
            for result in notebook_results(nb, gradebook, assignment, notebook, student):
                scores[result.question_id].append(result.score)
                maxima[result.question_id] = result.max_score
                if is_unanswered(result.answer):
                    blank[result.question_id] += 1
                elif result.score < result.max_score:
                    wrong[result.question_id][clean(result.answer)[:60]] += 1
    stats = []
    for question, values in scores.items():
        full = maxima[question]
        stats.append(
            QuestionStats(
                question_id=question,
                max_score=full,
                answered=len(values),
                unanswered=blank[question],
                share_correct=sum(v >= full for v in values) / len(values) if full else 0.0,
                mean_score=sum(values) / len(values),
                common_wrong=tuple(wrong[question].most_common(3)),
            )
        )
    return stats


def chart(assignment: str, stats: list[QuestionStats]) -> Chart:
    """Share of the class fully correct on each question, as a horizontal bar chart."""
    source = f"Gradebook of this course: autograded submissions of {assignment}"
    with house_style():
        figure, ax = new_figure(8, 1.2 + 0.4 * max(len(stats), 1), source)
        labels = [s.question_id for s in stats][::-1]
        shares = [100 * s.share_correct for s in stats][::-1]
        colours = [OKABE_ITO["vermillion"] if v < 50 else OKABE_ITO["blue"] for v in shares]
        hatches = ["//" if v < 50 else "" for v in shares]
        bars = ax.barh(labels, shares, color=colours, edgecolor="white")
        for bar, hatch in zip(bars, hatches, strict=True):
            bar.set_hatch(hatch)
        ax.set_xlim(0, 100)
        label_axes(
            ax,
            f"{assignment}: share of the class fully correct",
            "Per cent of students",
            "Question",
        )
    weakest = min(stats, key=lambda s: s.share_correct) if stats else None
    summary = (
        f"The question answered worst was {weakest.question_id}, fully correct for "
        f"{weakest.share_correct:.0%} of {weakest.answered} students."
        if weakest
        else "No graded submissions yet."
    )
    return Chart(figure, summary, source)


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
                "question",
                "max_score",
                "students",
                "not_answered",
                "share_correct",
                "mean_score",
                "common_wrong_answers",
            ]
        )
        for s in stats:
            wrong = "; ".join(f"{text} ({count})" for text, count in s.common_wrong)
            writer.writerow(
                [
                    s.question_id,
                    s.max_score,
                    s.answered,
                    s.unanswered,
                    f"{s.share_correct:.3f}",
                    f"{s.mean_score:.3f}",
                    wrong,
                ]
            )
    picture = folder / "questions.png"
    picture.write_bytes(chart(assignment, stats).png())
    return table, picture
