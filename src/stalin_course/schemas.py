"""Column contracts for every CSV file in ``data/``.

Each file name maps to its columns in order. A column is *required* when
every row must fill it; optional columns may be missing from the file or
left empty on a row. Every file must have a non-empty ``source`` column.
Lessons, assignments and tests rely on these names: change them only with
every caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["int", "float", "text", "date", "year"]

#: Slugs of the course sections, one per lesson notebook.
SECTIONS: tuple[str, ...] = (
    "power_struggle",
    "party_control",
    "great_terror",
    "military_purge",
    "nkvd",
    "gulag",
    "censorship",
    "propaganda",
)


@dataclass(frozen=True)
class Column:
    """One column of a data file: its name, kind and whether it may be empty."""

    name: str
    kind: Kind = "text"
    required: bool = True
    choices: tuple[str, ...] | None = None


SOURCE = Column("source")
NOTE = Column("note", required=False)
SOURCE_URL = Column("source_url", required=False)

SCHEMAS: dict[str, tuple[Column, ...]] = {
    "politburo_1924": (
        Column("name"),
        Column("role_1924"),
        Column("joined_politburo", "year"),
        Column("left_politburo", "year"),
        Column("fate"),
        Column("fate_year", "year"),
        Column("faction", required=False),
        SOURCE,
        NOTE,
        SOURCE_URL,
    ),
    "alliances": (
        Column("start_year", "year"),
        Column("end_year", "year"),
        Column("alliance"),
        Column("stalin_allies"),
        Column("opponents"),
        Column("issue"),
        SOURCE,
        NOTE,
    ),
    "timeline": (
        Column("date", "date"),
        Column("event"),
        Column("section", choices=SECTIONS),
        SOURCE,
        NOTE,
        SOURCE_URL,
    ),
}
