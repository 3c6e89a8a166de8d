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

from .lessons import timeline_sections

Kind = Literal["int", "float", "text", "date", "year"]


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

#: What kind of count a party membership row is: the chart marks each bar with it,
#: because a start-of-year count, the number represented at a congress and a rounded
#: figure are not quite the same thing.
COUNT_TYPES = ("start of year", "at a congress", "rounded", "untraced estimate")

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
        Column("section", choices=timeline_sections()),
        SOURCE,
        NOTE,
        SOURCE_URL,
    ),
    "repression_by_year": (
        Column("year", "year"),
        Column("convicted", "int"),
        Column("executed", "int"),
        Column("arrests", "int", required=False),
        Column("half_year", required=False),
        SOURCE,
        NOTE,
        SOURCE_URL,
    ),
    "show_trials": (
        Column("trial"),
        Column("start_date", "date"),
        Column("end_date", "date"),
        Column("defendants", "int"),
        Column("death_sentences", "int"),
        Column("main_defendants"),
        Column("public", required=False, choices=("yes", "no")),
        SOURCE,
        NOTE,
        SOURCE_URL,
    ),
    "nkvd_chiefs": (
        Column("name"),
        Column("start", "date"),
        Column("end", "date"),
        Column("fate"),
        Column("fate_date", "date"),
        SOURCE,
        NOTE,
        SOURCE_URL,
    ),
    "military_purge": (
        Column("rank"),
        Column("total", "int"),
        Column("purged", "int"),
        SOURCE,
        NOTE,
    ),
    "military_discharges": (
        Column("year", "year"),
        Column("discharged", "int"),
        Column("discharged_political", "int", required=False),
        Column("arrested", "int", required=False),
        # arrests a source gives only for this year and the year before together
        Column("arrested_two_years", "int", required=False),
        SOURCE,
        NOTE,
    ),
    "military_reinstatements": (
        Column("as_of", "date"),
        Column("reinstated", "int"),
        Column("out_of", "int", required=False),
        Column("reinstated_political", "int", required=False),
        Column("political_not_reinstated", "int", required=False),
        SOURCE,
        NOTE,
    ),
    "gulag_population": (
        Column("year", "year"),
        Column("as_of", "date", required=False),
        Column("prisoners", "int"),
        Column("series", choices=("camps (ITL)", "camps and colonies", "prisons")),
        SOURCE,
        NOTE,
        SOURCE_URL,
    ),
    "gulag_deaths": (
        Column("year", "year"),
        Column("deaths", "int"),
        Column("series"),
        SOURCE,
        NOTE,
    ),
    "party_membership": (
        Column("year", "year"),
        Column("as_of", "date", required=False),
        Column("members", "int"),
        Column("candidates", "int", required=False),
        Column("count_type", choices=COUNT_TYPES),
        SOURCE,
        NOTE,
        SOURCE_URL,
    ),
    "party_purges": (
        Column("year", "year"),
        Column("purge"),
        Column("share_expelled_pct", "float"),
        Column("share_high_pct", "float", required=False),
        SOURCE,
        NOTE,
    ),
    "komsomol_membership": (
        Column("year", "year"),
        Column("as_of", "date", required=False),
        Column("members", "int"),
        SOURCE,
        NOTE,
        SOURCE_URL,
    ),
    "order_00447": (
        Column("measure"),
        Column("value", "int"),
        Column("value_high", "int", required=False),
        Column("approximate", choices=("yes", "no")),
        SOURCE,
        NOTE,
        SOURCE_URL,
    ),
    "vanishing_commissars": (
        Column("photo_id"),
        Column("photo"),
        Column("photo_date", "date"),
        Column("place"),
        Column("position", "int"),
        Column("name"),
        Column("role"),
        Column("purged_year", "year", required=False),
        Column("fate", required=False),
        Column("removed", choices=("yes", "no")),
        SOURCE,
        NOTE,
        SOURCE_URL,
    ),
}
