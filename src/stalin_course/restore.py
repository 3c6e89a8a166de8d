"""Rebuild a submitted notebook from the teacher's assignment, trusting nothing in it.

Every cell's role (answer, test, locked text or code, task, answer box) and every mark
it can carry come from the assignment in the gradebook and its released notebook,
matched by nbgrader ``grade_id``; the submitted file supplies only the students' text.
So whatever a student edits in a cell's settings (its nbgrader flags, points, type or
``grade_id``), deletes, adds, pastes or reorders, the rebuilt notebook is the teacher's
notebook with the student's answers in it:

- locked cells (instructions, set-up, check cells with their hidden tests) are the
  teacher's, whatever the file holds;
- an answer cell holds the student's text under its own ``%%answer`` header, found by
  its ``grade_id``, else its cell id, else its header (never by trying several texts);
- a cell the assignment does not have, or a second cell claiming an answer's
  ``grade_id``, is kept for the teacher to read, as text that is never run or marked;
- outputs and notebook settings (kernel, language, nbformat version) are dropped.

Each thing that was put right is a :class:`Finding` in words a teacher understands.
"""

from __future__ import annotations

import codecs
import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from .answers import AnswerCell, parse_cell
from .bank import load_bank
from .cells import grade_id_of, has_nbgrader_meta, nbgrader_meta

__all__ = [
    "ADDED_CELL_NOTE",
    "MAX_NOTEBOOK_BYTES",
    "Blueprint",
    "Finding",
    "Role",
    "Unreadable",
    "Rebuilt",
    "as_shown_text",
    "read_notebook",
    "rebuild",
    "shown_text",
    "summary",
]

#: The first line of a code cell the student added, kept as text.
ADDED_CELL_NOTE = "# Cell added by the student: kept as text, never run.\n"

#: How a student's own text (a written answer, a cell they added) is kept in the graded
#: copy: a markdown cell holding one ``<pre>`` of the text with every HTML character
#: escaped. formgrader, nbgrader's pages and JupyterLab then show exactly what was typed;
#: no HTML, link, image, script or formula in it is ever live (MathJax skips ``<pre>``).
_SHOWN = '<pre class="student-text" style="white-space: pre-wrap">', "</pre>"


def as_shown_text(text: str) -> str:
    """A markdown cell's source that shows ``text`` as plain text, nothing live.

    >>> as_shown_text("<img src=x onerror=alert(1)> [a](javascript:b)")
    '<pre class="student-text" style="white-space: pre-wrap">&lt;img src=x onerror=alert(1)&gt; [a](javascript:b)</pre>'
    """
    return f"{_SHOWN[0]}{html.escape(text)}{_SHOWN[1]}"


def shown_text(source: str) -> str:
    """The text :func:`as_shown_text` shows (any other source as it is).

    >>> shown_text(as_shown_text("a < b & c"))
    'a < b & c'
    """
    if source.startswith(_SHOWN[0]) and source.endswith(_SHOWN[1]):
        return html.unescape(source[len(_SHOWN[0]) : -len(_SHOWN[1])])
    return source


#: Longest text kept from one student cell (an essay is a few thousand characters).
MAX_CELL_CHARS = 200_000

#: Larger files are not read (a real submission, outputs and all, is well under this).
MAX_NOTEBOOK_BYTES = 256 * 1024 * 1024

_FLAGS = ("solution", "grade", "locked", "task")


class Unreadable(ValueError):
    """A submitted file that is not a notebook; the message says why, for the teacher."""


@dataclass(frozen=True)
class Role:
    """One cell of the teacher's notebook, as the gradebook and the release give it."""

    cell_id: str
    cell_type: str
    source: str  # what the graded notebook holds (for locked cells, the teacher's source)
    released: str  # what the student was given
    grade_id: str | None = None  # None for a cell without nbgrader settings (an answer box)
    locked: bool = False
    solution: bool = False
    grade: bool = False
    task: bool = False
    points: float | None = None
    checksum: str | None = None

    @property
    def released_answer(self) -> AnswerCell | None:
        """The answer cell the student was given, if this is an answer cell of the
        course's plain-text kind (``%%answer`` header); None for any other cell."""
        return parse_cell(self.released) if self.solution else None

    @property
    def is_text_answer(self) -> bool:
        """An answer cell of the course's plain-text kind (``%%answer`` header)."""
        return self.released_answer is not None

    @property
    def name(self) -> str:
        """How a teacher knows the cell: its ``grade_id``, or its cell id."""
        return self.grade_id or self.cell_id

    def metadata(self) -> dict[str, Any]:
        """The cell's metadata in the graded notebook: the teacher's settings only."""
        if self.grade_id is None:
            return {}
        meta: dict[str, Any] = {
            "grade": self.grade,
            "grade_id": self.grade_id,
            "locked": self.locked,
            "schema_version": 3,
            "solution": self.solution,
        }
        if self.task:
            meta["task"] = True
        if self.points is not None:
            meta["points"] = self.points
        if self.checksum is not None:
            meta["checksum"] = self.checksum
        meta["cell_type"] = self.cell_type
        outer: dict[str, Any] = {"nbgrader": meta, "deletable": False}
        if self.locked:
            outer["editable"] = False
        return outer

    def flags(self) -> dict[str, Any]:
        """The settings a student could edit, to compare with the submitted cell's."""
        flags: dict[str, Any] = {flag: getattr(self, flag) for flag in _FLAGS}
        flags["points"] = self.points if (self.grade or self.task) else None
        return flags


@dataclass(frozen=True)
class Blueprint:
    """The teacher's version of one notebook of an assignment: its cells, in order."""

    assignment: str
    notebook: str
    roles: tuple[Role, ...]
    metadata: dict[str, Any]
    #: grade_id -> assignment, for the course's other assignments (to name a wrong one)
    elsewhere: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_gradebook(
        cls, gradebook: Any, assignment: str, notebook: str, released: Path | None
    ) -> Blueprint:
        """The blueprint from nbgrader's gradebook (roles, points, locked sources) and the
        released notebook (order, answer boxes, placeholders), both the teacher's."""
        found = gradebook.find_notebook(notebook, assignment)
        sources = {cell.name: cell for cell in found.source_cells}
        points = {cell.name: float(cell.max_score) for cell in found.grade_cells}
        tasks = {cell.name: float(cell.max_score) for cell in found.task_cells}
        solutions = {cell.name for cell in found.solution_cells}
        release: dict[str, Any] = {}
        if released is not None and released.is_file():
            release = json.loads(released.read_text(encoding="utf-8"))
        roles: list[Role] = []

        def role(grade_id: str, cell_id: str, given: str | None) -> Role:
            cell = sources[grade_id]
            source = cell.source or ""
            return Role(
                cell_id=cell_id,
                cell_type=cell.cell_type,
                source=source if cell.locked else (given if given is not None else source),
                released=given if given is not None else source,
                grade_id=grade_id,
                locked=bool(cell.locked),
                solution=grade_id in solutions,
                grade=grade_id in points,
                task=grade_id in tasks,
                points=points.get(grade_id, tasks.get(grade_id)),
                checksum=cell.checksum,
            )

        placed = set()
        for index, cell in enumerate(release.get("cells", [])):
            text = _text(cell.get("source", ""))
            grade_id = nbgrader_meta(cell).get("grade_id")
            cell_id = cell.get("id") or f"cell-{index}"
            if grade_id in sources:
                roles.append(role(grade_id, cell_id, text))
                placed.add(grade_id)
            elif grade_id is None:
                kind = cell.get("cell_type", "markdown")
                roles.append(Role(cell_id, kind, text, text))
        for grade_id in sources:  # in the gradebook but not in the release: at the end
            if grade_id not in placed:
                roles.append(role(grade_id, grade_id, None))
        metadata = release.get("metadata") or {}
        if not metadata and found.kernelspec:
            metadata = {"kernelspec": json.loads(found.kernelspec)}
        elsewhere = {
            cell.name: other.name
            for other in gradebook.assignments
            if other.name != assignment
            for nb in other.notebooks
            for cell in nb.source_cells
        }
        return cls(assignment, notebook, tuple(roles), dict(metadata), elsewhere)

    def role(self, grade_id: str) -> Role | None:
        """The teacher's cell with this ``grade_id``, if any."""
        return next((role for role in self.roles if role.grade_id == grade_id), None)


@dataclass(frozen=True)
class Finding:
    """One thing found in a submission and put right."""

    tampered: bool  # an edit to the assignment itself, not a slip in an answer
    what: str  # a phrase with {} where the cells' names go
    cell: str = ""


def summary(findings: Iterable[Finding]) -> str:
    """The findings as one line: each kind once, with the cells it concerns.

    >>> summary([Finding(True, "edited, restored: {}", "a"), Finding(True, "edited, restored: {}", "b")])
    'edited, restored: a, b'
    """
    grouped: dict[str, list[str]] = {}
    for finding in findings:
        names = grouped.setdefault(_printable(finding.what), [])
        name = _printable(finding.cell)[:64]
        if name and name not in names:
            names.append(name)
    parts = []
    for what, names in grouped.items():
        shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
        parts.append(what.replace("{}", shown, 1))
    return "; ".join(parts)


def _printable(text: str) -> str:
    """Text from a student's file made safe for a terminal or a table: no control
    characters (such as the escape codes that could fake a line of the table)."""
    return "".join(ch if ch.isprintable() else " " for ch in text)


#: Half of a UTF-16 pair on its own (a browser saves a half-deleted emoji so): no UTF-8
#: file can hold it, so it is kept as U+FFFD, the replacement character.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(source: Any) -> str:
    """A cell's source as one string (nbformat allows a list of lines), writable as UTF-8."""
    if isinstance(source, list):
        source = "".join(part for part in source if isinstance(part, str))
    return _LONE_SURROGATE.sub("\ufffd", source) if isinstance(source, str) else ""


def read_notebook(path: Path) -> tuple[dict[str, Any], list[Finding]]:
    """A submitted file as notebook JSON, read as text and never run; raises
    :class:`Unreadable` with a reason a teacher understands. A link is never followed."""
    if path.is_symlink():
        raise Unreadable("the submitted file is a link to another place; it was not read")
    if not path.is_file():
        raise Unreadable("the submitted file is not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise Unreadable("the file is empty (0 bytes)")
    if size > MAX_NOTEBOOK_BYTES:
        raise Unreadable(f"the file is too large to be a notebook ({size // 2**20} MB)")
    raw = path.read_bytes()
    notes: list[Finding] = []
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            notes.append(Finding(False, f"the file was saved as {encoding.upper()}; read as text"))
            break
    else:
        encoding = "utf-8"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        raise Unreadable("the file is not text (it may be a picture, a zip or damaged)") from None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise Unreadable(
            "the file is not a notebook (its contents are not notebook JSON)"
        ) from None
    if isinstance(data, dict) and "cells" not in data and "worksheets" in data:
        try:  # an nbformat 3 notebook
            data = nbformat.reads(text, as_version=4)
        except Exception:
            raise Unreadable("the file is an old notebook that could not be read") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise Unreadable("the file is not a notebook (it has no list of cells)")
    if size > 20 * 2**20:
        notes.append(
            Finding(False, f"the file was very large ({size // 2**20} MB, outputs dropped)")
        )
    return data, notes


@dataclass
class _Cell:
    """A cell of the submitted file, as text: its settings are only evidence."""

    index: int
    cell_type: str
    source: str
    grade_id: str | None
    cell_id: str | None
    nbgrader: dict[str, Any] | None
    attachments: dict[str, Any] | None = None
    outputs: list[Any] = field(default_factory=list)


def _cells(data: dict[str, Any]) -> list[_Cell]:
    cells = []
    for index, raw in enumerate(data.get("cells", [])):
        if not isinstance(raw, dict):
            continue
        meta = nbgrader_meta(raw) if has_nbgrader_meta(raw) else None
        cell_id = raw.get("id")
        attachments = raw.get("attachments")
        cells.append(
            _Cell(
                index,
                raw.get("cell_type") if raw.get("cell_type") in ("code", "markdown") else "raw",
                _text(raw.get("source", "")),
                grade_id_of(raw),
                cell_id if isinstance(cell_id, str) else None,
                meta,
                attachments if isinstance(attachments, dict) else None,
                raw["outputs"] if isinstance(raw.get("outputs"), list) else [],
            )
        )
    return cells


def _settings(data: dict[str, Any], cells: list[_Cell], blueprint: Blueprint) -> list[Finding]:
    """What was changed in the notebook's own settings (kernel, cell ids)."""
    found = []
    meta = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    given = meta.get("kernelspec") if isinstance(meta.get("kernelspec"), dict) else {}
    want = blueprint.metadata.get("kernelspec") or {}
    language = (
        (meta.get("language_info") or {}) if isinstance(meta.get("language_info"), dict) else {}
    )
    changed = [
        str(value)
        for value, expected in (
            (given.get("name"), want.get("name")),
            (given.get("language"), want.get("language")),
            (language.get("name"), (blueprint.metadata.get("language_info") or {}).get("name")),
        )
        if value is not None and expected is not None and value != expected
    ]
    if changed:
        found.append(
            Finding(
                False,
                "the notebook's kernel was changed (to {}); the assignment's was used",
                ", ".join(dict.fromkeys(changed)),
            )
        )
    ids = [c.cell_id for c in cells]
    minor = data.get("nbformat_minor") if isinstance(data.get("nbformat_minor"), int) else 5
    if minor >= 5 and None in ids:
        found.append(Finding(False, "some cells had lost their cell ids (given back)"))
    present = [i for i in ids if i]
    if len(set(present)) < len(present):
        found.append(Finding(False, "several cells shared one cell id (each given its own)"))
    return found


def _claim(
    blueprint: Blueprint, cells: list[_Cell]
) -> tuple[dict[int, _Cell], dict[int, list[_Cell]], list[Finding]]:
    """Which submitted cell stands for each of the teacher's cells (by role index), and,
    for an answer split or copied into several cells, all of them."""
    findings: list[Finding] = []
    claimed: dict[int, _Cell] = {}
    joined: dict[int, list[_Cell]] = {}
    taken: set[int] = set()
    known = {role.grade_id for role in blueprint.roles if role.grade_id}
    by_grade_id: dict[str, list[_Cell]] = {}
    for cell in cells:
        if cell.grade_id:
            by_grade_id.setdefault(cell.grade_id, []).append(cell)

    def take(index: int, cell: _Cell) -> None:
        claimed[index] = cell
        taken.add(cell.index)

    for index, role in enumerate(blueprint.roles):  # 1. by grade_id
        if role.grade_id is None or role.grade_id not in by_grade_id:
            continue
        candidates = by_grade_id[role.grade_id]
        if len(candidates) > 1 and role.is_text_answer:
            # JupyterLab keeps a cell's settings when it is split or copied: one answer,
            # read as one text (a second guess in a copy cancels the first, as in a list)
            take(index, candidates[0])
            joined[index] = candidates
            taken.update(c.index for c in candidates)
            findings.append(
                Finding(
                    False,
                    "answer cells split or copied (their parts read as one answer): {}",
                    role.name,
                )
            )
            continue
        take(index, next((c for c in candidates if c.cell_id == role.cell_id), candidates[0]))
        if len(candidates) > 1:
            findings.append(
                Finding(
                    True, "second copies of locked cells (kept as text, not marked): {}", role.name
                )
            )

    def unclaimed() -> list[_Cell]:
        return [c for c in cells if c.index not in taken and c.grade_id not in known]

    def found_by_place(index: int, role: Role, cell: _Cell) -> None:
        take(index, cell)
        if role.grade_id is None:
            return
        if cell.grade_id:
            findings.append(
                Finding(
                    True,
                    "nbgrader IDs changed (cells found by their place): {}",
                    role.name,
                )
            )
        else:  # settings dropped (by a tool such as nbstripout, or by hand): gains nothing
            findings.append(
                Finding(
                    False,
                    "nbgrader settings lost, restored from the assignment: {}",
                    role.name,
                )
            )

    for index, role in enumerate(blueprint.roles):  # 2. by cell id
        if index not in claimed:
            match = next((c for c in unclaimed() if c.cell_id and c.cell_id == role.cell_id), None)
            if match is not None:
                found_by_place(index, role, match)
    for index, role in enumerate(blueprint.roles):  # 3. by header, 4. by the teacher's text
        if index in claimed or role.grade_id is None:
            continue
        given = role.released_answer
        if given is not None:
            match = next((c for c in unclaimed() if _header_name(c.source) == given.name), None)
        elif role.locked:
            text = role.released.strip()
            match = next((c for c in unclaimed() if c.source.strip() == text), None)
        else:
            match = None
        if match is not None:
            found_by_place(index, role, match)
    for index, role in enumerate(blueprint.roles):  # 5. an answer box: the cell under its task
        if index in claimed or role.grade_id is not None or index == 0 or index - 1 not in claimed:
            continue
        above = claimed[index - 1].index
        match = next((c for c in cells if c.index == above + 1), None)
        if match is not None and match.index not in taken and match.grade_id not in known:
            if match.cell_type != "code":
                found_by_place(index, role, match)
    return claimed, joined, findings


def _compare(role: Role, cell: _Cell) -> list[Finding]:
    """What the student changed in one of the teacher's cells."""
    found = []
    if role.grade_id is None:
        return found
    if cell.nbgrader is None:  # settings dropped altogether: reported when it was found
        given = None
    else:
        given = {flag: bool(cell.nbgrader.get(flag, False)) for flag in _FLAGS}
    points = (cell.nbgrader or {}).get("points")
    flags = role.flags()
    try:
        points_changed = flags["points"] is not None and float(points) != flags["points"]
    except (TypeError, ValueError, OverflowError):
        points_changed = flags["points"] is not None
    if given is not None and (any(given[f] != flags[f] for f in _FLAGS) or points_changed):
        found.append(
            Finding(True, "nbgrader settings edited, restored from the assignment: {}", role.name)
        )
    if cell.cell_type != role.cell_type:
        found.append(
            Finding(True, "cell type changed, restored from the assignment: {}", role.name)
        )
    if role.locked and cell.source.strip() != role.released.strip():
        found.append(Finding(True, "edited, restored from the assignment: {}", role.name))
    return found


def _answer(
    role: Role, cells: list[_Cell], teacher_lines: frozenset[str]
) -> tuple[str, list[Finding]]:
    """The answer cell's source in the graded notebook, and what was put right. ``cells``
    are the submitted cells holding this answer (more than one if it was split)."""
    if not cells:
        return role.released, [
            Finding(True, "answer cells deleted (marked as unanswered): {}", role.name)
        ]
    given = role.released_answer
    if given is None:
        return cells[0].source, []
    found = []
    placeholder = given.body.strip()
    parts = []
    for number, cell in enumerate(cells):
        written = parse_cell(cell.source)
        name, body = (written.name, written.body) if written else (None, cell.source)
        if number == 0 and name is None:
            found.append(
                Finding(
                    False, "answer cells that had lost their first line (restored): {}", role.name
                )
            )
        elif name is not None and load_bank().resolve(name) != load_bank().resolve(given.name):
            found.append(
                Finding(True, "first line of an answer cell changed, restored: {}", role.name)
            )
        lines = body.splitlines()
        kept = [line for line in lines if line.strip() not in teacher_lines]
        if len(kept) < len(lines):  # merged with a check cell: its lines are the teacher's
            found.append(
                Finding(
                    False,
                    "answer cells merged with another cell (the assignment's lines removed): {}",
                    role.name,
                )
            )
        text = "\n".join(kept)
        if text.strip() and (text.strip() != placeholder or len(cells) == 1):
            parts.append(text)
    text = _capped("\n".join(parts), role.name, found)
    return AnswerCell.for_question(role.grade_id or "", text).source, found


def _header_name(source: str) -> str | None:
    """The name in a cell's ``%%answer`` header, or None if it has no such header."""
    written = parse_cell(source)
    return written.name if written else None


#: Pictures a student may paste into a written answer (never SVG, which can hold script).
_IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif")
#: Largest picture kept, as base64 (about 7 MB of image).
_MAX_IMAGE_CHARS = 10_000_000


def _pasted_images(attachments: dict[str, Any] | None) -> dict[str, Any]:
    """The pictures pasted into an answer box, by a plain file name; nothing else."""
    kept = {}
    for name, bundle in (attachments or {}).items():
        # an ASCII file name: markdown would %-encode any other, and the picture be lost
        if not (isinstance(name, str) and re.fullmatch(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}", name)):
            continue
        if isinstance(bundle, dict):
            image = {
                kind: data
                for kind, data in bundle.items()
                if kind in _IMAGE_TYPES
                and isinstance(data, str)
                and len(data) <= _MAX_IMAGE_CHARS
                and re.fullmatch(r"[A-Za-z0-9+/=\s]+", data)
            }
            if image:
                kept[name] = image
    return kept


def _capped(text: str, name: str, found: list[Finding]) -> str:
    """A student's text, cut to :data:`MAX_CELL_CHARS` (no real answer is near it)."""
    if len(text) <= MAX_CELL_CHARS:
        return text
    found.append(Finding(False, "very long cells cut short: {}", name))
    return text[:MAX_CELL_CHARS]


def _node(
    cell_id: str, cell_type: str, source: str, metadata: dict, attachments=None
) -> NotebookNode:
    cell: dict[str, Any] = {
        "id": cell_id,
        "cell_type": cell_type,
        "metadata": metadata,
        "source": source,
    }
    if cell_type == "code":
        cell.update(execution_count=None, outputs=[])
    if attachments and cell_type == "markdown":
        cell["attachments"] = attachments
    return nbformat.from_dict(cell)


def _extra(cell: _Cell, number: int, blueprint: Blueprint) -> tuple[NotebookNode, Finding | None]:
    """A cell the assignment does not have: text for the teacher, never run or marked."""
    finding = None
    if cell.grade_id and blueprint.role(cell.grade_id) is None:
        other = blueprint.elsewhere.get(cell.grade_id)
        what = (
            f"cells from {other} (kept as text, not marked): {{}}"
            if other
            else "cells claiming nbgrader IDs the assignment does not have (kept as text, not marked): {}"
        )
        finding = Finding(True, what, cell.grade_id)
    notes: list[Finding] = []
    text = _capped(cell.source, f"student-{number}", notes)
    if cell.cell_type == "code":
        finding = finding or Finding(True, "added code cells were kept as text, not run")
        text = ADDED_CELL_NOTE + text
    # kept as text: what a student writes is never rendered as live HTML
    node = _node(f"student-{number}", "markdown", as_shown_text(text), {})
    return node, finding or (notes[0] if notes else None)


@dataclass
class Rebuilt:
    """A submission rebuilt on the teacher's notebook."""

    nb: NotebookNode
    findings: list[Finding]
    #: how many of the teacher's answer, check and task cells were found in the file
    own_cells: int
    #: other assignments whose cells the file holds
    foreign: set[str]

    @property
    def tampered(self) -> bool:
        """Whether the student edited the assignment itself (not just their answers)."""
        return any(finding.tampered for finding in self.findings)

    def wrong_assignment(self) -> str | None:
        """Why this file is not this assignment's notebook, or None if it is."""
        if self.own_cells:
            return None
        if self.foreign:
            return f"its questions belong to {', '.join(sorted(self.foreign))}"
        return "none of its questions belong to this assignment"


def rebuild(data: dict[str, Any], blueprint: Blueprint) -> Rebuilt:
    """The teacher's notebook with this submission's answers in it, and what was found.

    ``data`` is the submitted notebook's JSON (from :func:`read_notebook`, or any
    nbformat notebook); it is read as text only.
    """
    cells = _cells(data)
    claimed, joined, findings = _claim(blueprint, cells)
    findings.extend(_settings(data, cells, blueprint))
    role_ids = {role.cell_id for role in blueprint.roles}
    anchors = sorted(claimed.values(), key=lambda c: c.index)
    anchor_of: dict[int, int | None] = {}  # extra cell index -> index of the anchor above it
    parts = {c.index for group in joined.values() for c in group}
    extras = [c for c in cells if c not in anchors and c.index not in parts]
    teacher_lines = frozenset(
        line.strip()
        for role in blueprint.roles
        if role.locked and role.cell_type == "code"
        for line in role.released.splitlines()
        if line.strip()
    )
    for cell in extras:
        above = [a.index for a in anchors if a.index < cell.index]
        anchor_of[cell.index] = above[-1] if above else None
    following: dict[int | None, list[_Cell]] = {}
    for cell in extras:
        following.setdefault(anchor_of[cell.index], []).append(cell)

    out: list[NotebookNode] = []
    added = [0]

    def emit_extras(anchor: int | None) -> None:
        for cell in following.get(anchor, []):
            added[0] += 1
            node, finding = _extra(cell, added[0], blueprint)
            out.append(node)
            if finding is not None:
                findings.append(finding)

    emit_extras(None)
    order = []
    for index, role in enumerate(blueprint.roles):
        cell = claimed.get(index)
        if cell is not None:
            order.append(cell.index)
            findings.extend(_compare(role, cell))
            if cell.cell_id and cell.cell_id != role.cell_id and cell.cell_id in role_ids:
                findings.append(Finding(False, "cell ids had been changed (put back)"))
            if (
                role.grade
                and role.locked
                and any(
                    isinstance(o, dict) and o.get("output_type") == "execute_result"
                    for o in cell.outputs
                )
            ):  # run by a student, a check cell only prints (or fails, if run too early)
                findings.append(
                    Finding(True, "results typed into check cells (ignored): {}", role.name)
                )
            if role.grade_id is None and cell.nbgrader:
                findings.append(
                    Finding(True, "answer boxes given nbgrader settings (ignored): {}", role.name)
                )
        if role.grade_id is None:  # an answer box: the student's text, shown as text
            if cell is not None:
                text = _capped(cell.source, role.cell_id, findings)
            else:
                findings.append(Finding(False, "answer boxes deleted: {}", role.cell_id))
                text = role.released
            images = _pasted_images(cell.attachments if cell is not None else None)
            source = as_shown_text(text) + "".join(
                f"\n\n![pasted image](attachment:{name})" for name in images
            )
            out.append(_node(role.cell_id, "markdown", source, {}, images))
        elif role.locked:
            if (
                cell is None
                and role.released.strip()
                and any(role.released.strip() in other.source for other in cells)
            ):  # merged into a neighbouring cell, as JupyterLab's Merge does
                findings.append(
                    Finding(
                        False,
                        "merged into another cell, restored from the assignment: {}",
                        role.name,
                    )
                )
            elif cell is None:
                findings.append(
                    Finding(True, "deleted, restored from the assignment: {}", role.name)
                )
            out.append(_node(role.cell_id, role.cell_type, role.source, role.metadata()))
        else:
            source, found = _answer(
                role, joined.get(index, [cell] if cell is not None else []), teacher_lines
            )
            findings.extend(found)
            if role.cell_type != "code":  # a written answer: the student's text, as text
                source = as_shown_text(source)
            out.append(_node(role.cell_id, role.cell_type, source, role.metadata()))
        if cell is not None:
            emit_extras(cell.index)
    if order != sorted(order):
        findings.append(Finding(False, "cells had been moved; put back in the assignment's order"))
    nb = nbformat.from_dict(
        {"nbformat": 4, "nbformat_minor": 5, "metadata": blueprint.metadata, "cells": out}
    )
    own = sum(
        1
        for index, role in enumerate(blueprint.roles)
        if index in claimed and (role.solution or role.grade or role.task)
    )
    foreign = {
        blueprint.elsewhere[c.grade_id]
        for c in cells
        if c.grade_id and blueprint.role(c.grade_id) is None and c.grade_id in blueprint.elsewhere
    }
    return Rebuilt(nb, findings, own, foreign)
