"""nbgrader settings for the course (read by every nbgrader command run here)."""

import os
from pathlib import Path

from stalin_course.checking import PLACEHOLDER

c = get_config()  # noqa: F821 (provided by nbgrader)

c.CourseDirectory.course_id = "stalin-consolidation"
c.CourseDirectory.root = str(Path(__file__).resolve().parent)

# Where assignments are released to and collected from. Teachers on a shared
# server set STALIN_COURSE_EXCHANGE (e.g. /srv/nbgrader/exchange); a single
# machine uses a folder inside the course.
c.Exchange.root = os.environ.get(
    "STALIN_COURSE_EXCHANGE", str(Path(__file__).resolve().parent / "exchange")
)

# Never handed in or copied with an assignment: the zip "download my work" makes (it is
# made outside the assignment's folder anyway), with nbgrader's own list.
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "my_work_*.zip", "*.zip.part",
]  # fmt: skip

# Answer cells: what a student sees before answering.
c.ClearSolutions.code_stub = {"python": PLACEHOLDER}

# A few seconds per cell is plenty: no cell does real computing.
c.Execute.timeout = 10
c.Execute.interrupt_on_timeout = True
# After a cell has replied, wait this long for the rest of its output. The default (4 s)
# is too short on a busy machine: a late message there fails the whole notebook.
c.Execute.iopub_timeout = 30
# Stop each kernel at once when its notebook is done (the default waits for a polite
# shutdown, about a second per notebook graded).
c.Execute.shutdown_kernel = "immediate"

# Before anything runs during autograde, each submission is rebuilt on the teacher's
# notebook: cell roles, points and locked cells come from the gradebook, never from the
# submitted file; answer cells keep their text under their own first line (so it is
# never run as Python); cells a student added are kept as text, never run or marked.
c.Autograde.sanitize_preprocessors = [
    "stalin_course.grading.RestoreFromAssignment",
    "stalin_course.grading.ValidateCellMetadata",
]

# nbgrader's own autograde steps, plus two checks: an answer the checker could read two
# ways keeps its provisional points but is marked for the teacher to confirm in
# formgrader; a mark the teacher gave is flagged for review when the answer it was given
# for has changed since (a resubmission), and otherwise stands.
c.Autograde.autograde_preprocessors = [
    "nbgrader.preprocessors.Execute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "stalin_course.grading.NoteChangedAnswers",
    "nbgrader.preprocessors.SaveAutoGrades",
    "stalin_course.grading.FlagReview",
    "stalin_course.grading.FlagChangedAnswers",
    "nbgrader.preprocessors.AssignLatePenalties",
    "stalin_course.grading.ValidateCellMetadata",
]

# Feedback: nbgrader's own generate_feedback (command line and formgrader's button)
# writes the course's safe page (every mark and comment, the student's answers as text;
# no hidden tests, accepted answers or mark schemes), the same as `stalin-course feedback`.
c.GenerateFeedback.exporter_class = "stalin_course.feedback.SafeFeedbackExporter"
c.GenerateFeedback.preprocessors = []

# A school server: deploy/setup_school.py writes school_config.py beside this file (the
# shared exchange outside the course folder, the PostgreSQL gradebook). It is read last,
# so its settings win over the ones above.
if (Path(__file__).resolve().parent / "school_config.py").is_file():
    load_subconfig(str(Path(__file__).resolve().parent / "school_config.py"))  # noqa: F821
