"""The plain-text answer cell used by every assignment.

A set-up cell runs ``answers.start()``. After that, a code cell whose first
line is ``%%answer QUESTION-ID`` records everything below that line as the
student's answer: plain text, never run as Python. A check cell then calls
``answers.feedback(QUESTION-ID)`` (kind, specific feedback for the student)
and, in hidden tests, ``answers.marks(QUESTION-ID)`` (points for nbgrader).

Nothing a student types can stop later cells from running: an empty cell,
the placeholder left unchanged, a deleted first line or an unknown question
ID each print a short message instead of raising an error.

>>> record("power-lenin-death", "It was 1924")
'Saved your answer. Run the check cell below it to see feedback.'
>>> marks("power-lenin-death")
1.0
>>> from stalin_course.bank import code_for
>>> marks(code_for("power-lenin-death"))  # the code students see works the same way
1.0
"""

from __future__ import annotations

import ast
import builtins
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .bank import BankError, code_for, load_bank, teacher_bank
from .checking import NOT_ANSWERED, UnknownQuestion, check

__all__ = [
    "AnswerCell",
    "AnswerSheet",
    "answer_text",
    "feedback",
    "finish",
    "in_class",
    "later",
    "marks",
    "parse_cell",
    "record",
    "recorded",
    "start",
]

_SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")

#: The first line of every answer cell: ``%%answer`` and the question's code.
HEADER = "%%answer"

MISSING_HEADER = (
    "This looks like an answer, but the cell's first line is missing. "
    "Put back the first line, %%answer followed by the question's ID (for example "
    "%%answer power-gensec), then run the cell again."
)


def answer_text(cell_body: str) -> str:
    """The student's answer from the lines below the header (nbgrader markers removed).

    >>> answer_text("### BEGIN SOLUTION\\nTrotsky\\n### END SOLUTION")
    'Trotsky'
    """
    lines = [line for line in cell_body.splitlines() if line.strip() not in _SOLUTION_MARKERS]
    return "\n".join(lines).strip()


@dataclass(frozen=True)
class AnswerCell:
    """An answer cell's text: the name in its ``%%answer`` header (a question's code or
    ID as written, ``""`` if the header names none) and every line below the header.

    This and :func:`parse_cell` are the one place the answer-cell format is written and
    read (by the kernel's guard, the rebuild of a submission, marking and feedback).

    >>> AnswerCell.for_question("power-gensec", "General Secretary").source
    '%%answer q-e1111\\nGeneral Secretary'
    >>> AnswerCell("", "Trotsky").source  # a header that names no question
    '%%answer\\nTrotsky'
    """

    name: str
    body: str

    @classmethod
    def for_question(cls, question_id: str, body: str) -> AnswerCell:
        """The cell for the question ``question_id``, named by the code students see."""
        return cls(code_for(question_id), body)

    @classmethod
    def read(cls, source: str) -> AnswerCell:
        """An answer cell's text as marking reads it: a cell whose header was lost names
        no question (recording it asks for the first line back) and is all body.

        >>> AnswerCell.read("Trotsky")
        AnswerCell(name='', body='Trotsky')
        """
        return parse_cell(source) or cls("", source)

    @property
    def source(self) -> str:
        """The cell's text: its header line, then its body."""
        header = f"{HEADER} {self.name}" if self.name else HEADER
        return f"{header}\n{self.body}"

    @property
    def answer(self) -> str:
        """The student's answer: the body without nbgrader's solution markers."""
        return answer_text(self.body)


def parse_cell(source: str) -> AnswerCell | None:
    """The answer cell written in ``source``, or None if its first line (after any
    blank lines) is not an ``%%answer`` header. The name is what follows ``%%answer``
    on that line, stripped; the body is everything after that line, as it is.

    >>> parse_cell("%%answer q-e1111\\nGeneral Secretary")
    AnswerCell(name='q-e1111', body='General Secretary')
    >>> parse_cell("\\n%%answer   q-e1111  \\nGeneral Secretary\\n")
    AnswerCell(name='q-e1111', body='General Secretary\\n')
    >>> parse_cell("%%answer")
    AnswerCell(name='', body='')
    >>> parse_cell("General Secretary") is None
    True
    >>> parse_cell("%%ANSWER q-e1111\\nGeneral Secretary") is None  # the magic is lower case
    True
    """
    first, _, rest = source.lstrip("\n").partition("\n")
    if not first.startswith(HEADER):
        return None
    return AnswerCell(first[len(HEADER) :].strip(), rest)


class AnswerSheet:
    """The answers recorded in one notebook, and what each check-cell call prints or
    returns. A kernel has one (the module-level functions below use it); grading keeps
    one per notebook, so no student's answers can reach another's."""

    def __init__(self) -> None:
        self.recorded: dict[str, str] = {}
        self.finished = False  # a student studying alone has asked for their work marked

    def record(self, name: str, text: str) -> str:
        """Store ``text`` as the answer to the question ``name`` (its ID or its code, as
        in the cell's first line) and return a short message."""
        name = name.strip()
        if not name:
            return MISSING_HEADER
        question_id = load_bank().resolve(name)
        if question_id is None:
            return (
                f"There is no question called {name!r}. The first line of this cell "
                "should stay exactly as it was given to you; undo your change to it."
            )
        self.recorded[question_id] = text
        if check(question_id, text).status == "unanswered":
            return NOT_ANSWERED
        return "Saved your answer. Run the check cell below it to see feedback."

    def answer(self, name: str) -> str | None:
        """The answer recorded for a question (by ID or code), if any."""
        question_id = load_bank().resolve(name)
        return self.recorded.get(question_id) if question_id else None

    def feedback(self, name: str) -> str:
        """Kind, specific feedback on the recorded answer (never the answer itself)."""
        question_id = load_bank().resolve(name)
        if question_id is None:
            return f"Cannot check this: there is no question called {name!r}."
        answer = self.recorded.get(question_id)
        if answer is None:
            return "Not answered yet: run the answer cell above first (click it, then Shift+Enter)."
        result = check(question_id, answer)
        symbol = {
            "correct": "✔",
            "partial": "◑",
            "incorrect": "✘",
            "unanswered": "…",
            "review": "?",
        }
        return f"{symbol.get(result.status, '')} {result.feedback}".strip()

    def status(self, name: str) -> str | None:
        """The checker's status for the recorded answer (``review`` when it could be read
        two ways), or None when there is no such question or no answer."""
        question_id = load_bank().resolve(name)
        answer = self.recorded.get(question_id) if question_id else None
        return None if answer is None else check(question_id, answer).status

    def later(self, name: str) -> str:
        """For a question checked only at the end: whether an answer is saved (and, once a
        student studying alone has marked their work, the feedback)."""
        if self.finished and not in_class():
            return self.feedback(name)
        when = (
            "Your teacher will check this answer after you submit."
            if in_class()
            else "You will find out whether it is right when you mark your work in the "
            "last cell of this notebook."
        )
        if self.status(name) in (None, "unanswered"):
            return f"{NOT_ANSWERED} {when}"
        return f"Answer saved. {when}"

    def report(self) -> str:
        """Every recorded question marked and explained, for a student studying alone; in
        a class (or while nbgrader runs the notebook) only how the work is marked."""
        if in_class():
            return (
                "Your teacher marks this work. When you have finished, save the notebook and "
                "submit it; your marks and your teacher's comments come back as feedback."
            )
        answered = [q for q, text in self.recorded.items() if check(q, text).status != "unanswered"]
        if not answered:
            return (
                "There is nothing to mark yet: answer the questions above (type under the "
                "first line of each answer cell and run it), then run this cell again."
            )
        self.finished = True
        bank = load_bank()
        lines, got, total = [], 0.0, 0
        for number, (question_id, answer) in enumerate(self.recorded.items(), start=1):
            question = bank.questions[question_id]
            result = check(question_id, answer)
            points = round(result.score * question.points, 2)
            got, total = got + points, total + question.points
            lines.append(f"Question {number}. {question.text}")
            shown = " ".join(answer.split()) or "(no answer)"
            lines.append(f"  Your answer: {shown}")
            lines.append(f"  {self.feedback(question_id)}  [{points:g} of {question.points}]")
            explained = _the_answer(question_id)
            if result.status not in ("correct", "unanswered") and explained:
                lines.append(f"  The answer: {explained}")
            lines.append("")
        lines.append(
            f"Total for the questions the computer marks: {got:g} out of {total}. Longer "
            "written answers in this notebook are marked by a teacher, not by the computer."
        )
        if _the_answer(next(iter(self.recorded))) is None:
            lines.append(SEALED_NOTE)
        return "\n".join(lines)

    def marks(self, name: str) -> float:
        """Points earned by the recorded answer, for nbgrader's partial credit."""
        bank = load_bank()
        question_id = bank.resolve(name)
        if question_id is None:
            raise UnknownQuestion(name)
        answer = self.recorded.get(question_id)
        if answer is None:
            return 0.0
        return round(check(question_id, answer).score * bank.questions[question_id].points, 4)


SEALED_NOTE = (
    "This copy of the course keeps no answers it could show you: its key can only tell "
    "whether an answer is right. Where yours is not right yet, follow the hint back to "
    "the lesson, change your answer and mark your work again."
)


def _the_answer(question_id: str) -> str | None:
    """The explained answer, where the bank's readable sources are installed (the course
    repository); None in the student edition, whose key holds no answers."""
    try:
        question = teacher_bank().questions[question_id]
    except (BankError, KeyError):
        return None
    return re.sub(r"^(Yes|Correct|Right)\b[.!,]?\s*", "", question.correct)


#: The answers recorded in this kernel.
_SHEET = AnswerSheet()


def record(name: str, text: str) -> str:
    """Store ``text`` as the answer to the question ``name`` (its ID or its code, as in
    the cell's first line) and return a short message."""
    return _SHEET.record(name, text)


def recorded(name: str) -> str | None:
    """The answer recorded for a question (by ID or code) in this kernel, if any."""
    return _SHEET.answer(name)


def feedback(name: str) -> None:
    """Print kind, specific feedback on the recorded answer (never the model answer),
    naming the answer it checked, so that feedback on an answer changed since but not run
    again can never pass for feedback on the new one."""
    text = _SHEET.answer(name)
    if text is not None and text.strip():
        shown = " ".join(text.split())
        shown = shown if len(shown) <= 80 else shown[:77].rstrip() + "…"
        checked = (
            f"Checking the answer you last ran: “{shown}”\n"
            "(If you have changed it since, run its cell again first.)\n"
        )
    else:
        checked = ""
    say(checked + _SHEET.feedback(name))


class Message:
    """Text the course shows a student: plain text, and HTML that wraps between words
    (JupyterLab breaks printed text anywhere, even mid-word, on a narrow screen). The text
    is escaped: what a student typed is never shown as live HTML."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        return (
            '<div class="stalin-message" style="white-space: pre-wrap; word-break: normal; '
            f'overflow-wrap: break-word">{html.escape(self.text)}</div>'
        )


def say(text: str) -> None:
    """Show ``text`` under the cell: as a :class:`Message` in a notebook, printed elsewhere."""
    from IPython import get_ipython

    if get_ipython() is None:
        print(text)
        return
    from IPython.display import display

    display(Message(text))


def later(name: str) -> None:
    """For a question checked only after submission (where instant feedback would let a
    student guess their way to the answer): say whether an answer is saved."""
    say(_SHEET.later(name))


def marks(name: str) -> float:
    """Points earned by the recorded answer, for nbgrader's partial credit."""
    return _SHEET.marks(name)


def in_class() -> bool:
    """True in a class's copy: while nbgrader runs the notebook, or where the school's
    server sets ``STALIN_COURSE_CLASS=1`` for its students (docs/teacher_guide.md). A
    student studying alone (Binder, their own computer) is not in a class."""
    import os

    return bool(os.environ.get("NBGRADER_EXECUTION")) or os.environ.get(
        "STALIN_COURSE_CLASS", ""
    ).strip() not in ("", "0")


def finish() -> None:
    """ "I've finished — mark my work": for a student studying alone, every answer in the
    notebook marked and explained, held-back questions included; in a class, how the
    teacher marks it."""
    say(_SHEET.report())


def _answer_magic(line: str, cell: str) -> None:
    say(record(line, answer_text(cell)))


def _looks_like_plain_text(source: str, namespace: dict) -> bool:
    """True when a cell is prose, not Python: it does not parse, or it is only bare
    names, numbers and words that mean nothing in the notebook (e.g. ``Trotsky``)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return True
    if not tree.body or not all(isinstance(node, ast.Expr) for node in tree.body):
        return False
    allowed = (
        *(ast.Expr, ast.Name, ast.Constant, ast.Load, ast.BoolOp, ast.BinOp, ast.UnaryOp),
        *(ast.Compare, ast.Tuple, ast.operator, ast.boolop, ast.unaryop, ast.cmpop),
    )
    nodes = list(ast.walk(ast.Module(body=tree.body, type_ignores=[])))[1:]
    if not all(isinstance(node, allowed) for node in nodes):
        return False
    names = {node.id for node in nodes if isinstance(node, ast.Name)}
    return all(n not in namespace and not hasattr(builtins, n) for n in names)


def _guard(namespace: dict) -> Callable[[list[str]], list[str]]:
    def transform(lines: list[str]) -> list[str]:
        source = "".join(lines)
        cell = parse_cell(source.lstrip())
        if cell is not None and not cell.body.strip():
            # IPython refuses a cell magic with an empty body; record the empty answer.
            return [
                f"__import__('stalin_course.answers').answers._answer_magic({cell.name!r}, '')\n"
            ]
        if source.lstrip().startswith(("%", "!")) or not source.strip():
            return lines
        if _looks_like_plain_text(source, namespace):
            # a header naming no question: recording it asks for the first line back
            return [AnswerCell("", "").source, *lines]
        return lines

    transform.stalin_course_guard = True  # type: ignore[attr-defined]
    return transform


def start(shell: Any = None) -> None:
    """Turn on answer cells in this notebook. The course's IPython extension does this
    when the kernel starts; the set-up cell does it again, which changes nothing."""
    if shell is None:
        from IPython import get_ipython

        shell = get_ipython()
    if shell is None:
        raise RuntimeError("answers.start() works inside a Jupyter notebook only")
    shell.register_magic_function(_answer_magic, magic_kind="cell", magic_name="answer")
    transformers = shell.input_transformers_cleanup
    transformers[:] = [t for t in transformers if not getattr(t, "stalin_course_guard", False)]
    transformers.append(_guard(shell.user_ns))


def load_ipython_extension(shell: Any) -> None:
    """The course's IPython extension (loaded by every kernel of the course's environment,
    see ``ipython-config/``): answer cells work and check cells find ``answers`` in any
    order of running cells, the set-up cell included or not."""
    start(shell)
    for name, value in _notebook_names().items():
        shell.user_ns.setdefault(name, value)


#: The course modules a lesson's set-up cell imports, loaded only when first used.
_LAZY_MODULES = ("charts", "data", "exam", "figures", "widgets")


def _notebook_names() -> dict[str, Any]:
    """The names the set-up cells import, for a kernel whose set-up cell has not run: this
    module at once, the heavier ones (charts, widgets …) only when a cell first uses them."""
    import importlib
    import importlib.util
    import sys

    names: dict[str, Any] = {"answers": sys.modules[__name__]}
    for short in _LAZY_MODULES:
        full = f"stalin_course.{short}"
        module = sys.modules.get(full)
        if module is None:
            spec = importlib.util.find_spec(full)
            if spec is None or spec.loader is None:
                continue
            spec.loader = importlib.util.LazyLoader(spec.loader)
            module = importlib.util.module_from_spec(spec)
            sys.modules[full] = module
            spec.loader.exec_module(module)
        names[short] = module

    def download_my_work(*args: Any, **kwargs: Any) -> Any:
        from .saving import download_my_work as download

        return download(*args, **kwargs)

    names["download_my_work"] = download_my_work
    return names
