"""Load the course's sourced CSV files and check them against their contracts.

>>> politburo = load("politburo_1924")
>>> "Trotsky" in set(politburo["name"])
True
>>> load("no_such_file")
Traceback (most recent call last):
...
stalin_course.data.DataError: no data file called 'no_such_file'; known files: ...
"""

from __future__ import annotations

import csv
import os
import re
from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd

from .schemas import SCHEMAS, Column

__all__ = ["DataError", "data_dir", "load", "load_file"]

_ISO_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_INT = re.compile(r"^-?\d+$")
_FLOAT = re.compile(r"^-?\d+(\.\d+)?$")


class DataError(ValueError):
    """A data file is missing, or breaks its column contract (names file and line)."""


def _is_data_folder(folder: Path) -> bool:
    """A folder is the course's data only if it holds every file the schemas name."""
    return (folder / "README.md").is_file() and all(
        (folder / f"{name}.csv").is_file() for name in SCHEMAS
    )


def data_dir() -> Path:
    """Return the folder holding the course's CSV files.

    ``STALIN_COURSE_DATA`` wins if set; then the ``data/`` folder of the repository this
    package runs from (an editable install), the nearest course ``data/`` folder at or
    above the current directory (a teacher's own copy), and last the copy a wheel carries
    inside the package (``stalin_course/course_data``, made by ``setup.py``).
    """
    env = os.environ.get("STALIN_COURSE_DATA")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    cwd = Path.cwd().resolve()
    candidates = [here.parents[1] / "data"]
    candidates += [folder / "data" for folder in (cwd, *cwd.parents)]
    candidates.append(here / "course_data")
    for folder in candidates:
        if _is_data_folder(folder):
            return folder
    raise DataError(
        "cannot find the course's data/ folder (the package has no copy of it and none was "
        "found above this folder); set STALIN_COURSE_DATA to its path"
    )


def _convert(value: str, column: Column, where: str) -> object:
    """Convert one cell's text to the column's kind, or raise DataError."""
    if value == "":
        if column.required:
            raise DataError(f"{where}: column '{column.name}' is empty but must be filled")
        return None
    if column.choices is not None and value not in column.choices:
        raise DataError(
            f"{where}: column '{column.name}' has {value!r}; expected one of "
            + ", ".join(column.choices)
        )
    if column.kind in ("int", "year"):
        if not _INT.match(value):
            raise DataError(
                f"{where}: column '{column.name}' must be a whole number in plain digits "
                f"(no commas), got {value!r}"
            )
        number = int(value)
        if column.kind == "year" and not 1850 <= number <= 2000:
            raise DataError(f"{where}: column '{column.name}' has an unlikely year {number}")
        return number
    if column.kind == "float":
        if not _FLOAT.match(value):
            raise DataError(f"{where}: column '{column.name}' must be a number, got {value!r}")
        return float(value)
    if column.kind == "date" and not _is_date(value):
        raise DataError(
            f"{where}: column '{column.name}' must be a real ISO date between 1850 and 2000 "
            f"such as 1924-01-21 (or 1924-01, or 1924), got {value!r}"
        )
    return value


def _is_date(value: str) -> bool:
    """True for a real calendar date written as YYYY, YYYY-MM or YYYY-MM-DD."""
    if not _ISO_DATE.match(value) or not 1850 <= int(value[:4]) <= 2000:
        return False
    try:
        date.fromisoformat(value if len(value) == 10 else (value + "-01-01")[:10])
    except ValueError:
        return False
    return True


def load_file(path: Path | str, name: str | None = None) -> pd.DataFrame:
    """Read one CSV file and check it against the schema called ``name``.

    ``name`` defaults to the file's stem. Errors name the file and line.
    """
    path = Path(path)
    name = name or path.stem
    if name not in SCHEMAS:
        raise DataError(f"{path.name}: no schema called {name!r} in stalin_course.schemas")
    schema = SCHEMAS[name]
    label = f"data/{path.name}"
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
    except FileNotFoundError:
        raise DataError(f"{label}: file not found at {path}") from None
    except UnicodeDecodeError as error:
        raise DataError(f"{label}: not UTF-8 text ({error.reason})") from None
    if not rows:
        raise DataError(f"{label}: the file is empty")
    header = [cell.strip() for cell in rows[0]]
    by_name = {column.name: column for column in schema}
    missing = [c.name for c in schema if c.required and c.name not in header]
    if missing:
        raise DataError(f"{label}, line 1: missing column(s) {', '.join(missing)}")
    if len(set(header)) != len(header):
        raise DataError(f"{label}, line 1: a column name appears twice")
    records = []
    for line_number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = f"{label}, line {line_number}"
        if len(row) != len(header):
            raise DataError(f"{where}: has {len(row)} fields but the header has {len(header)}")
        record = {}
        for column_name, value in zip(header, row, strict=True):
            column = by_name.get(column_name, Column(column_name, required=False))
            record[column_name] = _convert(value.strip(), column, where)
        records.append(record)
    if not records:
        raise DataError(f"{label}: has a header but no rows")
    frame = pd.DataFrame.from_records(records, columns=header)
    for column in schema:
        if column.name in frame and column.kind in ("int", "year"):
            frame[column.name] = frame[column.name].astype("Int64")
        elif column.name in frame and column.kind == "float":
            frame[column.name] = frame[column.name].astype("Float64")
    frame.attrs["source_file"] = label
    return frame


@cache
def _load_cached(name: str, folder: str) -> pd.DataFrame:
    return load_file(Path(folder) / f"{name}.csv", name)


def load(name: str) -> pd.DataFrame:
    """Load ``data/<name>.csv`` as a checked DataFrame (a fresh copy each call)."""
    if name not in SCHEMAS:
        known = ", ".join(sorted(SCHEMAS))
        raise DataError(f"no data file called {name!r}; known files: {known}")
    return _load_cached(name, str(data_dir())).copy()
