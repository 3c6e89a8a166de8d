"""nbgrader hooks: plain ``nbgrader autograde`` grades the teacher's notebook, safely and fast."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import nbformat
from nbformat import NotebookNode
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from nbgrader.nbgraderformat import ValidationError
from nbgrader.nbgraderformat.common import (
    BaseMetadataValidator,
    SchemaTooNewError,
    SchemaTooOldError,
)
from nbgrader.nbgraderformat.v3 import MetadataValidatorV3
from nbgrader.preprocessors import CheckCellMetadata, NbGraderPreprocessor

from .bank import grading_bank
from .graded_parts import fingerprints
from .marking import review_cells
from .records import AnswerLog
from .restore import Blueprint, rebuild, summary

__all__ = [
    "FlagChangedAnswers",
    "FlagReview",
    "NoteChangedAnswers",
    "RestoreFromAssignment",
    "ValidateCellMetadata",
]


class RestoreFromAssignment(NbGraderPreprocessor):
    """nbgrader sanitize step: the submitted notebook rebuilt on the teacher's.

    Every cell's role, points and locked text come from the gradebook and the released
    notebook (see :mod:`stalin_course.restore`); only the students' answers come from
    the file. It replaces nbgrader's ClearOutput, DeduplicateIds, OverwriteKernelspec
    and OverwriteCells, which trust the flags a submitted file gives its cells.
    """

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        grading_bank()  # never mark with a class key
        info = resources["nbgrader"]
        coursedir = CourseDirectory(config=self.config)
        student, assignment = info["student"], info["assignment"]
        submitted = Path(coursedir.format_path(coursedir.submitted_directory, student, assignment))
        released = Path(coursedir.format_path(coursedir.release_directory, ".", assignment))
        with Gradebook(info["db_url"]) as gradebook:
            blueprint = Blueprint.from_gradebook(
                gradebook, assignment, info["notebook"], released / f"{info['notebook']}.ipynb"
            )
        path = submitted / f"{info['notebook']}.ipynb"
        if path.is_symlink() or submitted.is_symlink():
            self.log.warning("%s is a link to another place: not read, graded as blank", path)
            nb = nbformat.from_dict({"cells": [], "metadata": {}, "nbformat": 4})
        rebuilt = rebuild(nb, blueprint)
        for line in filter(None, [rebuilt.wrong_assignment(), summary(rebuilt.findings)]):
            self.log.warning("%s / %s: %s", student, info["notebook"], line)
        return rebuilt.nb, resources


class _CompiledSchema(BaseMetadataValidator):
    """The schema check of nbgrader's metadata validator, with the JSON schema compiled
    once: ``jsonschema.validate`` re-checks the schema itself on every call, which made
    metadata checks the slowest step of grading a class."""

    _compiled: dict[int, Any] = {}  # by schema version
    #: Metadata already found valid, as (schema, canonical JSON): a class's copies of
    #: one assignment share their metadata, so each distinct cell is checked once.
    _valid: set[tuple[int, str]] = set()

    def validate_cell(self, cell: NotebookNode) -> None:
        # The value as the file has it (not cells.nbgrader_meta, which makes a malformed
        # value harmless): settings that are not a mapping must fail here, as in nbgrader.
        if "nbgrader" not in cell.metadata:
            return
        meta = cell.metadata["nbgrader"]
        version = meta.get("schema_version", 0)
        if version < self.schema_version:
            raise SchemaTooOldError(
                f"Outdated schema version: {version}", version, self.schema_version
            )
        if version > self.schema_version:
            raise SchemaTooNewError(
                f"Schema version is too new: {version}", version, self.schema_version
            )
        key = self.schema_version  # each validator loads its own copy of the schema
        seen = (key, json.dumps(meta, sort_keys=True, default=repr))
        if seen in self._valid:
            return
        if key not in self._compiled:
            self._compiled[key] = jsonschema.validators.validator_for(self.schema)(self.schema)
        error = jsonschema.exceptions.best_match(self._compiled[key].iter_errors(meta))
        if error is not None:
            raise error
        if len(self._valid) < 10_000:
            self._valid.add(seen)


class _FastMetadataValidator(MetadataValidatorV3, _CompiledSchema):
    """nbgrader's v3 metadata rules, with the compiled schema check underneath."""


class ValidateCellMetadata(CheckCellMetadata):
    """nbgrader's CheckCellMetadata (same rules, same error), faster."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        try:
            _FastMetadataValidator().validate_nb(nb)
        except ValidationError:
            raise ValidationError(
                "Notebook failed to validate; the nbgrader metadata may be corrupted."
            ) from None
        return nb, resources


class FlagReview(NbGraderPreprocessor):
    """nbgrader autograde step, after SaveAutoGrades: an answer the checker could read two
    ways keeps its provisional points but is marked ``needs_manual_grade``, so that
    formgrader lists it for the teacher to confirm."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        flagged = review_cells(nb)
        if not flagged:
            return nb, resources
        info = resources["nbgrader"]
        gradebook = Gradebook(info["db_url"])
        with gradebook:
            for grade_id in flagged:
                grade = gradebook.find_grade(
                    grade_id, info["notebook"], info["assignment"], info["student"]
                )
                grade.needs_manual_grade = True
            gradebook.db.commit()
        return nb, resources


class NoteChangedAnswers(NbGraderPreprocessor):
    """nbgrader autograde step, before SaveAutoGrades: which of the teacher's own marks
    are on an answer that has changed since it was last graded (a late resubmission,
    ``nbgrader collect --update``), or changed earlier and is not yet looked at again.

    The answers' hashes are kept in :class:`~stalin_course.records.AnswerLog`; the
    names found go to ``resources["nbgrader"]["answers_to_review"]`` for
    :class:`FlagChangedAnswers` and the status table.
    """

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        info = resources["nbgrader"]
        where = (info["notebook"], info["assignment"], info["student"])
        log = AnswerLog(CourseDirectory(config=self.config).root, info["assignment"])
        seen = log.get(info["student"], info["notebook"])
        now = fingerprints(nb)
        review, marked = [], []
        with Gradebook(info["db_url"]) as gradebook:
            for name, digest in now.items():
                try:
                    grade = gradebook.find_grade(name, *where)
                except MissingEntry:
                    continue
                before = seen.get(name)
                if grade.manual_score is None or not isinstance(before, dict):
                    continue
                changed = before.get("answer") != digest
                # flagged before and the teacher has not saved a mark since
                waiting = bool(before.get("review")) and grade.needs_manual_grade
                (review if changed or waiting else marked).append(name)
        log.put(
            info["student"],
            info["notebook"],
            {name: {"answer": digest, "review": name in review} for name, digest in now.items()},
        )
        info["answers_to_review"], info["answers_marked"] = review, marked
        return nb, resources


class FlagChangedAnswers(NbGraderPreprocessor):
    """nbgrader autograde step, after SaveAutoGrades and FlagReview: a teacher's mark on
    an answer that changed is marked ``needs_manual_grade`` (formgrader lists it); one on
    an unchanged answer stands (nbgrader alone asks again about every hand mark on every
    run, whether or not the answer changed)."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        info = resources["nbgrader"]
        where = (info["notebook"], info["assignment"], info["student"])
        decided = [(name, True) for name in info.get("answers_to_review", [])]
        decided += [(name, False) for name in info.get("answers_marked", [])]
        if not decided:
            return nb, resources
        with Gradebook(info["db_url"]) as gradebook:
            for name, again in decided:
                gradebook.find_grade(name, *where).needs_manual_grade = again
            gradebook.db.commit()
        return nb, resources
