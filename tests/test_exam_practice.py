"""Exam practice: the Section A practice paper, its data, the coverage helper and the lesson."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, execute, make_course, nbgrader, text_of

from stalin_course import exam
from stalin_course.exam.content import (
    ExamDataError,
    _read,
    parse_indicative,
    parse_interpretations,
)

ASSIGNMENT = "10_exam_practice"
SOURCE = ROOT / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
RELEASE = ROOT / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
LESSON = ROOT / "notebooks" / f"{ASSIGNMENT}.ipynb"
COURSE_ID = "stalin-consolidation"
SCHEME = re.compile(r"### BEGIN MARK SCHEME\n(.*?)\n### END MARK SCHEME", re.S)
#: A mark or level in a coverage report would look like one of these.
GRADE_LIKE = re.compile(r"\blevel\s*\d|\d+\s*(?:/|out of)\s*\d+|\d+\s*marks?\b", re.I)


def _tasks(path: Path) -> list[nbformat.NotebookNode]:
    nb = nbformat.read(path, as_version=4)
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("task")]


# --- the practice paper ---------------------------------------------------------------


def test_paper_has_six_task_questions_worth_40() -> None:
    tasks = _tasks(SOURCE)
    ids = [c.metadata.nbgrader.grade_id for c in tasks]
    assert ids == [f"exam-q{n}" for n in range(1, 7)]
    points = [c.metadata.nbgrader.points for c in tasks]
    assert points == [4, 4, 8, 4, 8, 12]
    assert sum(points) == 40
    for cell in tasks:
        meta = cell.metadata.nbgrader
        assert cell.cell_type == "markdown"
        assert (meta.grade, meta.solution, meta.locked, meta.schema_version) == (
            False,
            False,
            True,
            3,
        )
        assert f"**[{meta.points} marks]**" in cell.source


def test_each_question_is_followed_by_a_plain_answer_cell() -> None:
    nb = nbformat.read(SOURCE, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.metadata.get("nbgrader", {}).get("task"):
            answer = nb.cells[i + 1]
            assert answer.cell_type == "markdown"
            assert "nbgrader" not in answer.metadata
            assert answer.source == "Write your answer here (double-click to edit)."


def test_paper_states_total_and_timing_and_uses_the_interpretations() -> None:
    nb = nbformat.read(SOURCE, as_version=4)
    intro = nb.cells[0]
    assert intro.metadata.nbgrader.locked
    assert "Total: 40 marks. Time: 1 hour." in intro.source
    assert "2 hours" in intro.source and "Section B" in intro.source
    booklet = nb.cells[1].source
    pair = exam.load_interpretations()["paper"]
    for item in (pair.a, pair.b):
        assert item.text in booklet and item.provenance in booklet
    assert "written for this course" in booklet.lower()


def test_every_mark_scheme_has_levels_and_indicative_content() -> None:
    for cell in _tasks(SOURCE):
        schemes = SCHEME.findall(cell.source)
        assert len(schemes) == 1, cell.metadata.nbgrader.grade_id
        assert "| Level 1 |" in schemes[0] and "Indicative content" in schemes[0]


def test_no_mark_scheme_text_reaches_release() -> None:
    released = RELEASE.read_text(encoding="utf-8")
    assert "MARK SCHEME" not in released
    for cell in _tasks(SOURCE):
        for line in SCHEME.findall(cell.source)[0].splitlines():
            line = line.strip()
            if len(line) >= 25:
                assert line not in released, line
        # the question itself does reach students
        question = cell.source.split("### BEGIN MARK SCHEME")[0].strip()
        assert question.splitlines()[0] in released


def _env(exchange: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env["PATH"]
    env["STALIN_COURSE_EXCHANGE"] = str(exchange)
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


@pytest.mark.slow
def test_paper_generates_releases_and_collects(tmp_path: Path) -> None:
    course = make_course(tmp_path)
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    env = _env(exchange)
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    generated = course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert "MARK SCHEME" not in generated.read_text(encoding="utf-8")
    _run(["release_assignment", ASSIGNMENT, "--force"], course, env)

    student = tmp_path / "student"
    student.mkdir()
    flags = ["--student", "pupil1", "--course", COURSE_ID, f"--Exchange.root={exchange}"]
    _run(["fetch_assignment", ASSIGNMENT, *flags], student, env)
    fetched = student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(fetched, as_version=4)
    for cell in nb.cells:
        if cell.source.startswith("Write your answer here"):
            cell.source = "Stalin planned it, whereas Interpretation B says it ran out of control."
    nbformat.write(nb, fetched)
    _run(["submit", ASSIGNMENT, *flags], student, env)
    _run(["collect", ASSIGNMENT], course, env)
    collected = course / "submitted" / "pupil1" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert collected.exists()
    assert "ran out of control" in collected.read_text(encoding="utf-8")

    # the gradebook knows the paper is worth 40 marks
    from nbgrader.api import Gradebook

    _run(["db", "assignment", "list"], course, env)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        assert gb.find_assignment(ASSIGNMENT).max_score == 40


# --- the data -------------------------------------------------------------------------


def test_interpretations_load_and_are_labelled_as_written_for_the_course() -> None:
    sets = exam.load_interpretations()
    assert set(sets) == {"paper", "paper2", "paper3", "worked"}
    for pair in sets.values():
        assert "written for this course" in pair.note.lower()
        for item in (pair.a, pair.b):
            assert item.provenance.startswith("Adapted from")
            assert item.author.split()[-1] in item.provenance
            assert str(item.year) in item.provenance and str(item.year) in item.work
            assert item.school and item.kind in ("historian", "contemporary")
            assert 40 <= len(item.text.split()) <= 120
    paper = sets["paper"]
    assert "totalitarian" in paper.a.school and "revisionist" in paper.b.school
    assert "Conquest" in paper.a.work and "Getty" in paper.b.work


def test_indicative_content_loads_for_every_question() -> None:
    items = exam.load_indicative()
    for n, marks in enumerate([4, 4, 8, 4, 8, 12], start=1):
        assert items[f"exam-q{n}"].marks == marks
    for qid in ("worked-q3", "worked-q5", "worked-q6", "extra-terror", "extra-narrative"):
        assert qid in items
    for item in items.values():
        assert len(item.ideas) >= 4
        assert {idea.kind for idea in item.ideas} <= {"idea", "evidence", "structure"}


@pytest.mark.parametrize(
    ("name", "change", "message"),
    [
        ("interpretations", lambda raw: raw.update(note="Some texts."), "written for this course"),
        ("interpretations", lambda raw: raw["sets"]["paper"]["A"].pop("text"), "'text'"),
        (
            "interpretations",
            lambda raw: raw["sets"]["paper"]["B"].update(provenance="By Getty."),
            "Adapted from",
        ),
        (
            "interpretations",
            lambda raw: raw["sets"]["paper2"]["B"].update(
                provenance="Adapted from a speech, 1937."
            ),
            "'Trotsky'",
        ),
        ("interpretations", lambda raw: raw["sets"]["paper3"]["A"].update(year="1956"), "year"),
        ("interpretations", lambda raw: raw["sets"]["worked"]["A"].update(kind="poet"), "kind"),
        ("interpretations", lambda raw: raw["sets"].pop("paper2"), "paper2"),
        ("indicative", lambda raw: raw["questions"]["exam-q1"].update(marks="four"), "marks"),
        (
            "indicative",
            lambda raw: raw["questions"]["exam-q1"]["ideas"][0].update(kind="fact"),
            "kind",
        ),
        (
            "indicative",
            lambda raw: raw["questions"]["exam-q1"]["ideas"][0].update(phrases=[]),
            "phrases",
        ),
    ],
)
def test_malformed_data_is_rejected(name, change, message) -> None:
    raw = _read(f"{name}.toml")
    change(raw)
    parse = parse_interpretations if name == "interpretations" else parse_indicative
    with pytest.raises(ExamDataError, match=message):
        parse(raw)


# --- the coverage helper --------------------------------------------------------------

GOOD_Q6 = """The NKVD was the more important reason. Its informers watched people and opened
their letters, and arrests came at night. In 1937-38 about 1.5 million people were arrested and
about 680,000 were shot, and Order 00447 set quotas for each region. Fear of the Gulag, and of
punishment for their families, stopped people speaking out. Censorship mattered too: Glavlit
checked everything printed, the Writers' Union and socialist realism controlled writers, and
Pravda attacked Shostakovich. The Short Course rewrote history and Yezhov was removed from
photographs. People heard only one version, so there was no alternative to rally round. The two
worked together, which meant that silence was safest. Overall, the NKVD was more important."""

GOOD_Q5 = """The Terror filled people's lives with fear. About 1.5 million people were arrested in
1937-38 and about 680,000 were shot. Order 00447 set quotas, so people were arrested to fill
numbers. Neighbours denounced each other, families of enemies of the people were punished, and
many were sent to Gulag camps. The national operations targeted Poles and Germans, and managers
were accused of wrecking."""

OFF_TOPIC = "The weather in Moscow is cold in winter and the Volga is a long river."


@pytest.mark.parametrize(("qid", "answer"), [("exam-q6", GOOD_Q6), ("exam-q5", GOOD_Q5)])
def test_coverage_finds_the_ideas_an_answer_explains(qid: str, answer: str) -> None:
    result = exam.coverage(qid, answer)
    all_ids = {idea.id for idea in exam.load_indicative()[qid].ideas}
    assert {idea.id for idea in result.found} == all_ids
    assert result.could_add == ()


@pytest.mark.parametrize("qid", sorted(exam.load_indicative()))
def test_coverage_claims_nothing_for_an_answer_that_never_mentions_the_ideas(qid: str) -> None:
    for answer in (OFF_TOPIC, "", "Type your answer here"):
        result = exam.coverage(qid, answer)
        assert result.found == (), (qid, answer, [i.id for i in result.found])
        assert len(result.could_add) == len(exam.load_indicative()[qid].ideas)


def test_coverage_lists_what_an_answer_could_add() -> None:
    result = exam.coverage("exam-q6", "The NKVD had informers in every factory.")
    assert [idea.id for idea in result.found] == ["nkvd-methods"]
    assert "judgement" in {idea.id for idea in result.could_add}


def test_coverage_does_not_count_a_denied_idea() -> None:
    result = exam.coverage("exam-q1", "Neither interpretation says the Terror was planned.")
    assert "a-planned" not in {idea.id for idea in result.found}


@pytest.mark.parametrize("answer", [GOOD_Q6, OFF_TOPIC, ""])
def test_coverage_report_gives_no_mark_or_level(answer: str) -> None:
    report = exam.coverage("exam-q6", answer).report()
    assert exam.NOT_A_MARK in report
    without_disclaimer = report.replace(exam.NOT_A_MARK, "")
    assert not GRADE_LIKE.search(without_disclaimer), without_disclaimer
    assert "mark" not in without_disclaimer.lower()
    assert "level" not in without_disclaimer.lower()


# --- the widgets ----------------------------------------------------------------------


def test_planner_assembles_the_plan_as_text() -> None:
    planner = exam.planner("worked-q6")
    labels = [box.description for box in planner.boxes.values()]
    assert labels == ["Factor", "Evidence", "Explanation", "Link", "Judgement"]
    planner.boxes["factor"].value = "The Great Terror"
    planner.boxes["evidence"].value = "Show trials 1936-38;\nOrder 00447"
    planner.boxes["judgement"].value = "The Terror mattered more."
    text = planner.build()
    assert text.startswith("PLAN: Which of the following")
    assert "Factor: The Great Terror" in text
    assert "Evidence: Show trials 1936-38; Order 00447" in text
    assert "Link: (not planned yet)" in text
    assert "Judgement: The Terror mattered more." in text
    assert planner.button.description == "Build my plan"


def test_coverage_checker_widget_reports_without_a_mark() -> None:
    checker = exam.coverage_checker("worked-q5")
    assert checker.answer.description == "Your answer"
    checker.answer.value = "Tukhachevsky was shot and the party lost its Old Bolsheviks."
    report = checker.check()
    assert "Your answer mentions words linked to" in report and exam.ONLY_WORDS in report
    assert "could add" not in report
    assert checker.button.description == "Check my coverage"


def test_no_coverage_check_for_a_paper_the_teacher_marks() -> None:
    checker = exam.coverage_checker("exam-q5")
    checker.answer.value = GOOD_Q5
    report = checker.check()
    assert report == exam.NO_SELF_CHECK and "00447" not in report


# --- the lesson -----------------------------------------------------------------------


def test_lesson_follows_the_course_skeleton() -> None:
    nb = nbformat.read(LESSON, as_version=4)
    assert nb.metadata.kernelspec.name == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].source == "from stalin_course import answers, charts, widgets\n\nanswers.start()"
    for cell in code:
        assert not cell.outputs and cell.execution_count is None
        lines = [line for line in cell.source.splitlines() if line.strip()]
        assert 1 <= len(lines) <= 3, cell.source
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for phrase in ("Explain how Stalin used the Great Terror to consolidate his power",
                   "Write a narrative account of Stalin's rise to power, 1924–1929",
                   "outside the exam's format", "no SPaG marks in Section A"):  # fmt: skip
        assert phrase in text, phrase
    worked = exam.load_interpretations()["worked"]
    assert worked.a.text in text and worked.b.text in text
    for level in ("Level 1", "Level 2", "Level 4"):
        assert level in text


@pytest.mark.slow
def test_lesson_runs_headless() -> None:
    nb = execute(LESSON)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert all(o["output_type"] != "error" for o in cell.outputs), cell.source
            assert "Traceback" not in text_of(cell)
