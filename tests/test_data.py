"""Checks on the course's sourced data files in ``data/``.

Every file must have a column contract in ``stalin_course.schemas``, load
through ``stalin_course.data.load``, name a source on every row and keep its
dates inside the period it covers. Dataset-specific checks follow.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

from stalin_course.data import DataError, data_dir, load, load_file
from stalin_course.lessons import timeline_sections
from stalin_course.schemas import SCHEMAS

DATA = data_dir()
CSV_NAMES = sorted(path.stem for path in DATA.glob("*.csv"))


def _date_key(text: str) -> tuple[int, int, int]:
    """Sort key for ISO dates that may lack a month or day (missing parts sort first)."""
    parts = [int(part) for part in text.split("-")]
    return tuple(parts + [0] * (3 - len(parts)))  # type: ignore[return-value]


def _year(text: str) -> int:
    return int(text.split("-")[0])


# --- every file --------------------------------------------------------------


def test_there_are_data_files():
    assert CSV_NAMES, f"no CSV files in {DATA}"


@pytest.mark.parametrize("name", CSV_NAMES)
def test_every_file_has_a_schema(name):
    assert name in SCHEMAS, f"data/{name}.csv has no entry in stalin_course.schemas.SCHEMAS"


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_schema_has_a_file(name):
    assert (DATA / f"{name}.csv").is_file(), f"schema {name!r} has no data/{name}.csv"


@pytest.mark.parametrize("name", CSV_NAMES)
def test_every_file_loads(name):
    frame = load(name)
    assert len(frame) > 0
    for column in SCHEMAS[name]:
        if column.required:
            assert column.name in frame.columns, f"{name}: missing column {column.name}"


@pytest.mark.parametrize("name", CSV_NAMES)
def test_every_row_names_a_source(name):
    frame = load(name)
    assert "source" in frame.columns, f"{name}: no source column"
    empty = frame["source"].isna() | (frame["source"].astype(str).str.strip().str.len() < 10)
    assert not empty.any(), f"{name}: rows without a usable source: {list(frame.index[empty] + 2)}"


@pytest.mark.parametrize("name", CSV_NAMES)
def test_source_urls_are_web_addresses(name):
    frame = load(name)
    if "source_url" not in frame.columns:
        pytest.skip("no source_url column")
    urls = frame["source_url"].dropna()
    bad = urls[~urls.str.startswith(("http://", "https://"))]
    assert bad.empty, f"{name}: not web addresses: {list(bad)}"


@pytest.mark.parametrize("name", CSV_NAMES)
def test_no_thousands_separators_in_numbers(name):
    """Numbers must be plain digits; the loader tolerates commas but the files must not use them."""
    frame = pd.read_csv(DATA / f"{name}.csv", dtype=str, keep_default_na=False)
    for column in SCHEMAS[name]:
        if column.kind in ("int", "year", "float") and column.name in frame:
            with_comma = frame[frame[column.name].str.contains(",")]
            assert with_comma.empty, f"{name}.{column.name} has thousands separators"


@pytest.mark.parametrize("name", CSV_NAMES)
def test_full_dates_are_real_calendar_dates(name):
    frame = load(name)
    for column in SCHEMAS[name]:
        if column.kind != "date" or column.name not in frame:
            continue
        for value in frame[column.name].dropna():
            if len(value) == 10:
                dt.date.fromisoformat(value)  # raises on 1937-02-30 and the like


# Sites that host full copies of copyrighted books without the publisher. A row cites the
# book itself (author, title, year, page), never a copy of it. Legal shops (LitRes) are fine.
SHADOW_LIBRARY = re.compile(
    r"trantor\.is|bibliboba|rulit\.me|libgen|z-lib|z-library|zlibrary|\bb-ok\.|annas-archive"
    r"|\b1lib\.|chitka\.online|studmed\.ru|dokumen\.pub|ebin\.pub|vdoc\.pub",
    re.IGNORECASE,
)
# Wording that points students at notes they do not have, or looks unfinished.
UNFINISHED_SOURCE = re.compile(r"history-facts|research notes|not yet been traced", re.IGNORECASE)


@pytest.mark.parametrize("name", CSV_NAMES)
def test_no_shadow_library_links(name):
    frame = pd.read_csv(DATA / f"{name}.csv", dtype=str, keep_default_na=False)
    hits = [
        f"line {line}, {column}: {SHADOW_LIBRARY.search(value).group(0)}"
        for line, row in zip(range(2, len(frame) + 2), frame.to_dict("records"), strict=True)
        for column, value in row.items()
        if SHADOW_LIBRARY.search(value)
    ]
    assert not hits, f"{name}.csv links to shadow-library copies: {hits}"


def test_readme_has_no_shadow_library_links():
    text = (DATA / "README.md").read_text(encoding="utf-8")
    found = sorted({match.group(0) for match in SHADOW_LIBRARY.finditer(text)})
    assert not found, f"data/README.md names shadow libraries: {found}"


@pytest.mark.parametrize("name", CSV_NAMES)
def test_sources_name_published_works(name):
    """Captions print the source column: it must not cite private notes or look unfinished."""
    frame = pd.read_csv(DATA / f"{name}.csv", dtype=str, keep_default_na=False)
    bad = [
        f"line {line}: {source[:60]}"
        for line, source in zip(range(2, len(frame) + 2), frame["source"], strict=True)
        if UNFINISHED_SOURCE.search(source)
    ]
    assert not bad, f"{name}.csv sources cite unpublished notes or untraced figures: {bad}"


# Period each file covers: every year or date must fall inside it.
YEAR_RANGES: dict[str, tuple[int, int]] = {
    "politburo_1924": (1917, 1953),
    "alliances": (1923, 1941),
    "timeline": (1922, 1941),
    "repression_by_year": (1921, 1953),
    "show_trials": (1936, 1938),
    "nkvd_chiefs": (1934, 1953),
    "military_discharges": (1935, 1941),
    "gulag_population": (1930, 1941),
    "gulag_deaths": (1930, 1941),
    "party_membership": (1917, 1941),
    "party_purges": (1919, 1941),
    "komsomol_membership": (1918, 1941),
    "military_reinstatements": (1940, 1941),
}


@pytest.mark.parametrize("name", [n for n in CSV_NAMES if n in YEAR_RANGES])
def test_years_and_dates_in_range(name):
    low, high = YEAR_RANGES[name]
    frame = load(name)
    for column in SCHEMAS[name]:
        if column.name not in frame or column.kind not in ("year", "date"):
            continue
        for value in frame[column.name].dropna():
            year = int(value) if column.kind == "year" else _year(value)
            assert low <= year <= high, f"{name}.{column.name}: {value} outside {low}-{high}"


# --- the loader's error messages ----------------------------------------------


def test_loader_error_names_file_and_line(tmp_path: Path):
    text = (DATA / "timeline.csv").read_text(encoding="utf-8").splitlines()
    header, first, second = text[0], text[1], text[2]
    broken_row = second.replace(second.split(",")[0], "21 January 1924", 1)
    broken = tmp_path / "timeline.csv"
    broken.write_text("\n".join([header, first, broken_row]) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_file(broken, "timeline")
    message = str(info.value)
    assert "timeline.csv" in message
    assert "line 3" in message
    assert "date" in message


def test_loader_error_for_bad_number(tmp_path: Path):
    text = (DATA / "politburo_1924.csv").read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "politburo_1924.csv"
    row = text[2].replace(",1919,", ",nineteen nineteen,", 1)
    assert row != text[2]
    broken.write_text("\n".join([text[0], text[1], row]) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"politburo_1924\.csv, line 3"):
        load_file(broken, "politburo_1924")


def test_loader_error_for_missing_source(tmp_path: Path):
    frame = pd.read_csv(DATA / "alliances.csv", dtype=str, keep_default_na=False)
    frame.loc[1, "source"] = ""
    broken = tmp_path / "alliances.csv"
    frame.to_csv(broken, index=False)
    with pytest.raises(DataError, match=r"alliances\.csv, line 3: column 'source' is empty"):
        load_file(broken, "alliances")


# --- politburo_1924 --------------------------------------------------------------


def test_politburo_has_the_eight_members():
    names = set(load("politburo_1924")["name"])
    expected = {"Lenin", "Trotsky", "Stalin", "Zinoviev", "Kamenev", "Bukharin", "Rykov", "Tomsky"}
    assert names == expected


def test_politburo_membership_years_make_sense():
    frame = load("politburo_1924")
    assert (frame["left_politburo"] >= frame["joined_politburo"]).all()
    assert (frame["fate_year"] >= frame["left_politburo"]).all()
    # everyone was a full member in 1924 (Bukharin from June 1924)
    assert (frame["joined_politburo"] <= 1924).all() and (frame["left_politburo"] >= 1924).all()


def test_politburo_factions():
    frame = load("politburo_1924").set_index("name")
    assert set(frame["faction"].dropna()) <= {"Stalin", "Left", "Right"}
    assert pd.isna(frame.loc["Lenin", "faction"])
    left = {n for n in frame.index if frame.loc[n, "faction"] == "Left"}
    right = {n for n in frame.index if frame.loc[n, "faction"] == "Right"}
    assert left == {"Trotsky", "Zinoviev", "Kamenev"}
    assert right == {"Bukharin", "Rykov", "Tomsky"}


def test_politburo_records_the_source_conflicts():
    frame = load("politburo_1924").set_index("name")
    assert "candidate" in frame.loc["Kamenev", "note"]
    assert "CONFLICT" in frame.loc["Bukharin", "note"]


# --- alliances ---------------------------------------------------------------


@pytest.mark.parametrize("year", range(1924, 1930))
def test_alliances_cover_every_year(year):
    frame = load("alliances")
    held = frame[(frame["start_year"] <= year) & (frame["end_year"] >= year)]
    assert len(held) >= 1, f"no alliance covers {year}"


def test_alliance_phases_are_ordered():
    frame = load("alliances")
    assert (frame["end_year"] >= frame["start_year"]).all()
    assert list(frame["start_year"]) == sorted(frame["start_year"])


def test_alliance_names_use_semicolons():
    frame = load("alliances")
    for column in ("stalin_allies", "opponents"):
        for value in frame[column]:
            assert "," not in value, f"{column} should separate names with '; ': {value}"


# --- timeline ----------------------------------------------------------------


def test_timeline_has_enough_events():
    assert len(load("timeline")) >= 40


def test_timeline_is_sorted():
    keys = [_date_key(d) for d in load("timeline")["date"]]
    assert keys == sorted(keys)


def test_timeline_covers_every_section():
    assert set(load("timeline")["section"]) == set(timeline_sections())


@pytest.mark.parametrize(
    "date",
    [
        "1922-04-03",
        "1924-01-21",
        "1929-11-17",
        "1933-08-02",
        "1934-07-10",
        "1934-12-01",
        "1936-08-19",
        "1937-06-12",
        "1937-07-30",
        "1940-02-04",
        "1940-08-21",
        "1941-06-22",
    ],
)
def test_timeline_has_key_dates(date):
    assert date in set(load("timeline")["date"])


# --- priority 2 files (checked only when present) ----------------------------------


def _need(name: str) -> pd.DataFrame:
    if name not in CSV_NAMES:
        pytest.skip(f"data/{name}.csv not written yet")
    return load(name)


def test_repression_totals():
    frame = _need("repression_by_year").set_index("year")
    assert frame.loc[1937, "executed"] + frame.loc[1938, "executed"] == 681692
    assert frame.loc[1937, "convicted"] + frame.loc[1938, "convicted"] == 1344923
    assert frame.loc[1932, "executed"] == 2728
    assert frame.loc[1948, "convicted"] == 73269
    assert frame["convicted"].sum() == 4060306
    # 1941's printed 8,011 executions is a misprint for 8,001: only 8,001 makes the row's
    # parts add up to its total (75,411) and the column add up to its printed 799,455.
    assert frame.loc[1941, "executed"] == 8001
    assert frame["executed"].sum() == 799455
    assert "8,011" in frame.loc[1941, "note"] and "75,411" in frame.loc[1941, "note"]
    assert frame.loc[1937, "arrests"] == 936750 and frame.loc[1938, "arrests"] == 638509
    assert list(frame.index) == list(range(1921, 1954))
    half = frame["half_year"].fillna("")
    assert half.loc[1953] != "" and (half.drop(1953) == "").all()
    assert (frame["executed"] <= frame["convicted"]).all()


def test_show_trials():
    frame = _need("show_trials")
    assert len(frame) == 4
    assert (frame["death_sentences"] <= frame["defendants"]).all()
    assert (frame["end_date"].map(_date_key) >= frame["start_date"].map(_date_key)).all()
    assert sorted(frame["defendants"]) == [8, 16, 17, 21]


def test_nkvd_chiefs():
    frame = _need("nkvd_chiefs")
    assert list(frame["name"]) == ["Genrikh Yagoda", "Nikolai Yezhov", "Lavrentiy Beria"]
    assert (frame["end"].map(_date_key) >= frame["start"].map(_date_key)).all()


def test_military_purge():
    frame = _need("military_purge")
    assert (frame["purged"] <= frame["total"]).all()
    assert (frame["purged"] >= 0).all()
    marshals = frame.set_index("rank").loc["Marshals"]
    assert (marshals["purged"], marshals["total"]) == (3, 5)


def test_military_discharges():
    frame = _need("military_discharges").set_index("year")
    assert frame.loc[1937, "discharged"] + frame.loc[1938, "discharged"] == 35020


def test_gulag_series_are_named():
    for name in ("gulag_population", "gulag_deaths"):
        frame = _need(name)
        assert frame["series"].notna().all()
        value = "prisoners" if name == "gulag_population" else "deaths"
        assert (frame[value] > 0).all()


def test_party_membership():
    frame = _need("party_membership")
    assert (frame["members"] > 0).all()
    assert (frame["candidates"].dropna() >= 0).all()


def test_party_purges_shares():
    frame = _need("party_purges")
    assert ((frame["share_expelled_pct"] > 0) & (frame["share_expelled_pct"] < 100)).all()


def test_military_reinstatements():
    frame = _need("military_reinstatements").set_index("as_of")
    assert frame.loc["1940-05-01", "reinstated"] == 12461


def test_order_00447_quotas_add_up():
    frame = _need("order_00447").set_index("measure")
    values = frame["value"]
    first = values[values.index.str.startswith("first category")].iloc[0]
    second = values[values.index.str.startswith("second category")].iloc[0]
    total = values[values.index.str.startswith("total")].iloc[0]
    assert (first, second, total) == (75950, 193000, 268950)
    assert first + second == total


def test_komsomol_grows():
    frame = _need("komsomol_membership")
    assert list(frame["members"]) == sorted(frame["members"])
