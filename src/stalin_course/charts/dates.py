"""The course's one rule for dates: where an ISO date sits on a year axis, and how it reads.

Dates in ``data/`` are ISO text of three lengths: a day (``"1934-12-01"``), a
month (``"1941-06"``) or a year (``"1953"``). On an axis a date sits in the
**middle of the time it names** — a day at its noon, a month and a year at
their middles — with leap years counted, so a shortened date is never pulled
to the start of its month or year. In words a shortened date stays shortened.

>>> decimal_year("1937"), round(decimal_year("1941-06"), 3), round(decimal_year("1934-12-01"), 3)
(1937.5, 1941.455, 1934.916)
>>> date_in_words("1934-07-10"), date_in_words("1945-12"), date_in_words("1953")
('10 July 1934', 'December 1945', '1953')
"""

from __future__ import annotations

import calendar
import datetime as dt

__all__ = ["date_in_words", "date_span_in_words", "decimal_year", "on_date", "short_month"]

_MONTHS = list(calendar.month_name)[1:]


def _parts(iso: str) -> list[int]:
    """``"1941-06"`` -> ``[1941, 6]``; raises ValueError on anything else."""
    parts = [int(part) for part in str(iso).strip().split("-")]
    if not 1 <= len(parts) <= 3:
        raise ValueError(f"not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {iso!r}")
    dt.date(parts[0], *(parts[1:] + [1, 1])[:2])  # checks month and day
    return parts


def decimal_year(iso: str) -> float:
    """Where ``iso`` (a day, a month or a year) sits on a year axis: the middle of it.

    >>> decimal_year("1936-01-01") == 1936 + 0.5 / 366
    True
    >>> decimal_year("1937-02") == 1937 + (31 + 14) / 365
    True
    """
    parts = _parts(iso)
    year = parts[0]
    length = 366 if calendar.isleap(year) else 365
    if len(parts) == 1:
        return year + 0.5
    before = (dt.date(year, parts[1], 1) - dt.date(year, 1, 1)).days
    if len(parts) == 2:
        return year + (before + calendar.monthrange(year, parts[1])[1] / 2) / length
    return year + (before + parts[2] - 0.5) / length


def date_in_words(iso: str) -> str:
    """``"1930-01-01"`` -> ``"1 January 1930"``; ``"1941-06"`` -> ``"June 1941"``."""
    parts = _parts(iso)
    if len(parts) == 3:
        return f"{parts[2]} {_MONTHS[parts[1] - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{_MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0])


def on_date(iso: str) -> str:
    """The date with its preposition: ``"on 1 January 1930"``, ``"in June 1941"``.

    >>> on_date("1939-01-01"), on_date("1941-06")
    ('on 1 January 1939', 'in June 1941')
    """
    return f"{'on' if len(_parts(iso)) == 3 else 'in'} {date_in_words(iso)}"


def short_month(iso: str) -> str:
    """The month and year in short: ``"1936-08-19"`` -> ``"Aug 1936"``."""
    parts = _parts(iso)
    if len(parts) == 1:
        return str(parts[0])
    return f"{_MONTHS[parts[1] - 1][:3]} {parts[0]}"


def date_span_in_words(start: str, end: str) -> str:
    """Two full dates as one span, naming a shared month or year once.

    >>> date_span_in_words("1936-08-19", "1936-08-24")
    '19–24 August 1936'
    >>> date_span_in_words("1938-03-02", "1938-03-02")
    '2 March 1938'
    >>> date_span_in_words("1937-01-23", "1937-02-28")
    '23 January – 28 February 1937'
    """
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    if first == last:
        return date_in_words(start)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{date_in_words(end)}"
    if first.year == last.year:
        return f"{first.day} {_MONTHS[first.month - 1]} – {date_in_words(end)}"
    return f"{date_in_words(start)} – {date_in_words(end)}"
