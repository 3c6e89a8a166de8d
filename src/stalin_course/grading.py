"""nbgrader hooks that make autograding safe for plain-text answer cells, and fast."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode
from nbgrader.nbgraderformat import ValidationError
from nbgrader.nbgraderformat.common import (
    BaseMetadataValidator,
    SchemaTooNewError,
    SchemaTooOldError,
)
from nbgrader.nbgraderformat.v3 import MetadataValidatorV3
from nbgrader.preprocessors import CheckCellMetadata

from .bank import code_for

__all__ = ["SecureAnswerCells", "ValidateCellMetadata", "secure_notebook"]

ADDED_CELL_NOTE = "# Cell added by the student; not run during grading.\n"


def _is_answer_cell(cell: NotebookNode) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.cell_type == "code" and meta.get("solution", False) and "grade_id" in meta


def secure_source(grade_id: str, source: str) -> str:
    """The answer cell's source with its first line forced to ``%%answer <code>``, the
    code of the question whose ``grade_id`` the cell has (whatever the student changed).

    >>> secure_source("power-trotsky", "%%answer power-nep\\nTrotsky")
    '%%answer q-ef923\\nTrotsky'
    >>> secure_source("power-trotsky", "import os")
    '%%answer q-ef923\\nimport os'
    """
    body = source.lstrip("\n")
    if body.startswith("%%answer"):
        body = body.split("\n", 1)[1] if "\n" in body else ""
    return f"%%answer {code_for(grade_id)}\n{body}"


def secure_notebook(nb: NotebookNode) -> NotebookNode:
    """Make every answer cell plain text and turn cells a student added into raw cells."""
    for index, cell in enumerate(nb.cells):
        if _is_answer_cell(cell):
            cell.source = secure_source(cell.metadata.nbgrader["grade_id"], cell.source)
        elif cell.cell_type == "code" and "nbgrader" not in cell.get("metadata", {}):
            nb.cells[index] = NotebookNode(
                cell_type="raw",
                id=cell.get("id", f"added-{index}"),
                metadata={},
                source=ADDED_CELL_NOTE + cell.source,
            )
    return nb


class SecureAnswerCells(Preprocessor):
    """nbgrader sanitize step: answer text is never executed as Python during grading."""

    enabled = True  # nbconvert skips preprocessors that are not enabled

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        return secure_notebook(nb), resources


class _CompiledSchema(BaseMetadataValidator):
    """The schema check of nbgrader's metadata validator, with the JSON schema compiled
    once: ``jsonschema.validate`` re-checks the schema itself on every call, which made
    metadata checks the slowest step of grading a class."""

    _compiled: dict[int, Any] = {}  # by schema version
    #: Metadata already found valid, as (schema, canonical JSON): a class's copies of
    #: one assignment share their metadata, so each distinct cell is checked once.
    _valid: set[tuple[int, str]] = set()

    def validate_cell(self, cell: NotebookNode) -> None:
        if "nbgrader" not in cell.metadata:
            return
        version = cell.metadata["nbgrader"].get("schema_version", 0)
        if version < self.schema_version:
            raise SchemaTooOldError(
                f"Outdated schema version: {version}", version, self.schema_version
            )
        if version > self.schema_version:
            raise SchemaTooNewError(
                f"Schema version is too new: {version}", version, self.schema_version
            )
        key = self.schema_version  # each validator loads its own copy of the schema
        seen = (key, json.dumps(cell.metadata["nbgrader"], sort_keys=True, default=repr))
        if seen in self._valid:
            return
        if key not in self._compiled:
            self._compiled[key] = jsonschema.validators.validator_for(self.schema)(self.schema)
        error = jsonschema.exceptions.best_match(
            self._compiled[key].iter_errors(cell.metadata["nbgrader"])
        )
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
