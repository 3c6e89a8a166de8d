"""Command line: ``python -m stalin_course`` (also installed as ``stalin-course``).

- ``check QUESTION_ID "ANSWER"``: print the result as one JSON object.
- ``kernel-setup``: make every kernel of this environment load the course's answer cells.
- ``lab-setup``: JupyterLab settings: open on the start page, autosave, no news pop-up.
- ``build-key``: rebuild the sealed answer key (hashes, no answers) from the bank's TOML files.
- ``release``: rebuild the key, then regenerate release/ from source/ with nbgrader.
- ``grade ASSIGNMENT... [--student S] [--notebook N]``: grade collected submissions.
- ``set-aside ASSIGNMENT STUDENT [--reason R] [--undo]``: leave a submission out of grading.
- ``feedback ASSIGNMENT``: feedback pages with answers, scores and hints only.
- ``report ASSIGNMENT``: per-question class statistics (CSV and PNG).
- ``site OUT``: build the static website of the course (lessons, assignments, sources).
- ``student-edition OUT [--no-git]``: build the student edition (no solutions, no readable
  key) in OUT, as a new git repository of one commit.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .checking import UnknownQuestion, check


def _check(args: argparse.Namespace) -> int:
    try:
        result = check(args.question_id, args.answer)
    except UnknownQuestion as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    data = result.to_dict()
    print(json.dumps({k: data[k] for k in ("question", "score", "feedback", "status")}))
    return 0


def _build_key(args: argparse.Namespace) -> int:
    from .bank import write_key
    from .release import course_root

    root = course_root()  # the bank's TOML sources come with the repository, not a wheel
    if getattr(args, "class_key", None):
        from .bank import build_key
        from .release import held_back

        withheld = held_back(root)
        Path(args.class_key).write_bytes(build_key(withhold=withheld))
        print(f"wrote {args.class_key}: a class key without {len(withheld)} held-back questions")
        return 0
    from .exam.coverage import write_self_check

    print(f"wrote {write_key()}")
    print(f"wrote {write_self_check()}")
    return 0


def _student_edition(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .edition import build_edition

    try:
        edition = build_edition(Path(args.out), git=not args.no_git)
    except (FileExistsError, ValueError) as error:
        print(f"stalin-course student-edition: {error}", file=sys.stderr)
        return 2
    commit = f", commit {edition.commit[:12]}" if edition.commit else ""
    print(
        f"student edition in {edition.folder}: {edition.files} files, "
        f"{edition.size_bytes / 1e6:.1f} MB{commit}. Publish it as its own repository "
        "(not a branch of this one) and point the Binder badge at it."
    )
    return 0


def _site(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .site import build_site

    try:
        site = build_site(Path(args.out))
    except FileExistsError as error:
        print(f"stalin-course site: {error}", file=sys.stderr)
        return 2
    print(f"site in {site.folder}: {len(site.pages)} pages; open {site.folder / 'index.html'}")
    return 0


def _kernel_setup(args: argparse.Namespace) -> int:
    from .kernel import install

    print(f"wrote {install()}")
    return 0


def _lab_setup(args: argparse.Namespace) -> int:
    from .lab_setup import install

    for path in install():
        print(f"wrote {path}")
    return 0


def _release(args: argparse.Namespace) -> int:
    from .release import course_root, generate

    root = course_root()
    _build_key(args)
    for path in generate(root / "release", root):
        print(f"wrote {path.relative_to(root)}")
    return 0


def _grade(args: argparse.Namespace) -> int:
    from .autograde import grade_assignment, write_status

    code = 0
    for assignment in args.assignment:
        try:
            outcomes = grade_assignment(
                assignment, args.course, jobs=args.jobs, students=args.student or None,
                notebooks=args.notebook or None,
            )  # fmt: skip
        except ValueError as error:
            print(f"error: {error}", file=sys.stderr)
            code = 2
            continue
        width = max([len(o.student) for o in outcomes] + [7])
        print(f"{'student':<{width}}  {'notebook':<24} {'status':<20} {'score':>7}  reason")
        for o in outcomes:
            score = "" if o.score is None else f"{o.score:g}/{o.max_score:g}"
            reason = "; ".join(
                filter(None, [f"late by {o.late_by}" if o.late_by else "", o.reason])
            )
            print(f"{o.student:<{width}}  {o.notebook:<24} {o.status:<20} {score:>7}  {reason}")
        path = write_status(assignment, outcomes, args.course)
        graded = sum(o.status in ("graded", "tampered", "timed out") for o in outcomes)
        print(f"\n{graded} of {len(outcomes)} notebooks graded; status table saved to {path}\n")
    return code


def _set_aside(args: argparse.Namespace) -> int:
    from .autograde import put_aside

    path = put_aside(args.assignment, args.student, args.reason, args.course, undo=args.undo)
    done = "is graded again from now on" if args.undo else "is set aside: grading leaves it alone"
    print(f"{args.student}'s submission of {args.assignment} {done} (recorded in {path})")
    return 0


def _feedback(args: argparse.Namespace) -> int:
    from .feedback import write_feedback

    written = write_feedback(args.assignment, args.course)
    for path in written:
        print(f"wrote {path}")
    print(
        f"{len(written)} feedback page(s); hand them out with: nbgrader release_feedback {args.assignment}"
    )
    return 0


def _report(args: argparse.Namespace) -> int:
    from .report import counted, write_report

    table, picture = write_report(args.assignment, args.course)
    print(f"wrote {table}\nwrote {picture}\n{counted(args.assignment, args.course)}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from nbgrader.api import Gradebook

    from .autograde import load_course
    from .records import export_marks

    assignments = args.assignment
    if not assignments:
        course = load_course(args.course)
        with Gradebook(course.db_url, course.coursedir.course_id) as gradebook:
            assignments = [a.name for a in gradebook.assignments]
    from nbgrader.api import MissingEntry

    code = 0
    for assignment in assignments:
        try:
            print(f"wrote {export_marks(assignment, args.course)}")
        except MissingEntry:
            print(f"error: the gradebook has no assignment {assignment}", file=sys.stderr)
            code = 2
    return code


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = argparse.ArgumentParser(prog="stalin-course", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    checker = commands.add_parser("check", help="check one answer and print JSON")
    checker.add_argument("question_id")
    checker.add_argument("answer")
    checker.set_defaults(run=_check)
    kernel = commands.add_parser(
        "kernel-setup", help="make every kernel of this environment load the answer cells"
    )
    kernel.set_defaults(run=_kernel_setup)
    lab = commands.add_parser(
        "lab-setup", help="JupyterLab settings: start page, autosave, no news pop-up"
    )
    lab.set_defaults(run=_lab_setup)
    key = commands.add_parser(
        "build-key", help="rebuild the sealed answer key (hashes, no answers) from the bank"
    )
    key.add_argument(
        "--class", dest="class_key", metavar="OUT",
        help="write instead a class key, without the held-back questions, to OUT",
    )  # fmt: skip
    key.set_defaults(run=_build_key)
    release = commands.add_parser(
        "release", help="rebuild the answer key and regenerate release/ from source/"
    )
    release.set_defaults(run=_release)
    edition = commands.add_parser(
        "student-edition", help="build the student edition (no solutions, no readable key)"
    )
    edition.add_argument("out", help="an empty folder outside the repository")
    edition.add_argument("--no-git", action="store_true", help="a plain folder, no git")
    edition.set_defaults(run=_student_edition)
    site = commands.add_parser("site", help="build the static website of the course")
    site.add_argument("out", help="a new folder (or an earlier site, which is replaced)")
    site.set_defaults(run=_site)
    grade = commands.add_parser(
        "grade", help="autograde every collected submission in parallel, with a status table"
    )
    grade.add_argument("assignment", nargs="+", help="one or more assignments")
    grade.add_argument(
        "--student", action="append", help="grade only this student (may be repeated)"
    )
    grade.add_argument(
        "--notebook", action="append", help="grade only this notebook (may be repeated)"
    )
    grade.add_argument(
        "--jobs", type=int, default=2, help="kernels at once, for check cells that need one"
    )
    grade.add_argument("--course", default=".", help="course folder (default: here)")
    grade.set_defaults(run=_grade)
    aside = commands.add_parser(
        "set-aside", help="leave one student's submission out of grading (until --undo)"
    )
    aside.add_argument("assignment")
    aside.add_argument("student")
    aside.add_argument("--reason", default="", help="why (shown in the status table)")
    aside.add_argument("--undo", action="store_true", help="grade it again from now on")
    aside.add_argument("--course", default=".", help="course folder (default: here)")
    aside.set_defaults(run=_set_aside)
    export = commands.add_parser(
        "export", help="marks by question with each submission's status, per assignment"
    )
    export.add_argument("assignment", nargs="*", help="assignments (default: all)")
    export.add_argument("--course", default=".", help="course folder (default: here)")
    export.set_defaults(run=_export)
    for name, run, text in (
        ("feedback", _feedback, "write safe feedback pages (answers, scores, hints; no tests)"),
        ("report", _report, "per-question class statistics as CSV and PNG"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument("assignment")
        command.add_argument("--course", default=".", help="course folder (default: here)")
        command.set_defaults(run=run)
    args = parser.parse_args(argv)
    from .bank import BankError
    from .data import DataError
    from .release import CourseFolderError

    try:
        return args.run(args)
    except (BankError, CourseFolderError, DataError) as error:  # say what is wrong, no traceback
        print(f"stalin-course {args.command}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
