"""Tests for stalin_course.charts, on the real data files."""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest

from stalin_course import charts


def test_no_global_matplotlib_state_changes() -> None:
    before = dict(matplotlib.rcParams)
    backend = matplotlib.get_backend()
    charts.politburo_timeline(1925)
    charts.bar_chart(
        pd.DataFrame({"x": ["a", "b"], "y": [1, 2], "source": ["S", "S"]}),
        "x",
        "y",
        title="t",
        xlabel="x",
        ylabel="y",
    )
    assert dict(matplotlib.rcParams) == before
    assert matplotlib.get_backend() == backend


def test_line_chart_with_range_band() -> None:
    frame = pd.DataFrame(
        {
            "year": [1937, 1938],
            "value": [10, 20],
            "low": [8, 15],
            "high": [12, 30],
            "source": ["A", "B"],
        }
    )
    chart = charts.line_chart(
        frame, "year", "value", low="low", high="high", title="T", xlabel="Year", ylabel="N"
    )
    (ax,) = chart.figure.axes
    (line,) = ax.get_lines()
    assert list(line.get_ydata()) == [10.0, 20.0]
    assert len(ax.collections) == 1  # the low–high band
    assert chart.source == "A; B"
    assert chart.summary == "The highest value of value is 20 in 1938; the lowest is 10 in 1937."


# --- the one date rule (charts/dates.py) -------------------------------------------


@pytest.mark.parametrize(
    ("iso", "expected"),
    [
        ("1937", 1937.5),
        ("1936", 1936.5),
        ("1937-01", 1937 + 15.5 / 365),
        ("1936-02", 1936 + (31 + 14.5) / 366),  # a leap year's February has 29 days
        ("1937-02", 1937 + (31 + 14) / 365),
        ("1937-01-01", 1937 + 0.5 / 365),
        ("1936-12-31", 1936 + 365.5 / 366),
        ("1937-12-31", 1937 + 364.5 / 365),
    ],
)
def test_a_date_sits_in_the_middle_of_the_time_it_names(iso: str, expected: float) -> None:
    assert charts.decimal_year(iso) == pytest.approx(expected)


def test_every_date_stays_inside_its_own_year_and_in_order() -> None:
    days = pd.date_range("1924-01-01", "1941-12-31", freq="D").strftime("%Y-%m-%d")
    places = [charts.decimal_year(day) for day in days]
    assert places == sorted(places)
    assert all(int(place) == int(day[:4]) for place, day in zip(places, days, strict=True))
    for month in pd.period_range("1924-01", "1941-12", freq="M").strftime("%Y-%m"):
        inside = [p for p, d in zip(places, days, strict=True) if d.startswith(month)]
        assert inside[0] < charts.decimal_year(month) < inside[-1]


@pytest.mark.parametrize(
    ("iso", "words", "with_preposition"),
    [
        ("1934-07-10", "10 July 1934", "on 10 July 1934"),
        ("1930-01-01", "1 January 1930", "on 1 January 1930"),
        ("1945-12", "December 1945", "in December 1945"),
        ("1953", "1953", "in 1953"),
    ],
)
def test_one_rule_for_dates_in_words(iso: str, words: str, with_preposition: str) -> None:
    assert charts.date_in_words(iso) == words
    assert charts.on_date(iso) == with_preposition


@pytest.mark.parametrize("bad", ["", "1937-13", "1937-02-30", "37/2/1", "1937-01-01-01"])
def test_a_date_that_is_not_iso_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        charts.decimal_year(bad)
