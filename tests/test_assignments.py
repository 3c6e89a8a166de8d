"""Every assignment in source/, checked against the bank and autograded end to end.

For each assignment with auto-checked questions, ``tests/assignment_answers/<name>.toml``
holds three students' answers (``correct``, ``wrong``, ``partial``) and the exact score
each question must get. The slow tests fill copies of the released notebook, autograde
them with the real nbgrader CLI in one throwaway course, and read the gradebook.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, make_course, nbgrader, question_scores
from nbgrader.api import Gradebook

from stalin_course.bank import code_for, teacher_bank
from stalin_course.checking import PLACEHOLDER, find_entities
from stalin_course.normalise import numbers
from stalin_course.release import assignments

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ANSWERS = Path(__file__).parent / "assignment_answers"
ASSIGNMENTS = assignments()
STUDENTS = ("correct", "wrong", "partial")
TOTAL = re.compile(r"\*\*Total: (\d+) marks?\.")
SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)\n### END SOLUTION", re.S)
FORBIDDEN = ["BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
             "BEGIN MARK SCHEME", "END MARK SCHEME", "answers.marks", "answers.recorded"]  # fmt: skip


def _source(name: str) -> Path:
    return ROOT / "source" / name / f"{name}.ipynb"


def _release(name: str) -> Path:
    return ROOT / "release" / name / f"{name}.ipynb"


def _meta(cell: nbformat.NotebookNode) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _questions(nb: nbformat.NotebookNode) -> dict[str, int]:
    """Auto-checked question IDs and the points of their test cells, in notebook order."""
    return {
        _meta(c)["grade_id"].removesuffix("-test"): _meta(c)["points"]
        for c in nb.cells
        if _meta(c).get("grade") and _meta(c)["grade_id"].endswith("-test")
    }


def _by_id(nb: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    return {_meta(c)["grade_id"]: c for c in nb.cells if "grade_id" in _meta(c)}


AUTO = [name for name in ASSIGNMENTS if _questions(_read(_source(name)))]


def _answers(name: str) -> dict:
    return tomllib.loads((ANSWERS / f"{name}.toml").read_text(encoding="utf-8"))


def _plain(markdown: str) -> str:
    """Markdown as plain words: no bold, code marks or bullets, spaces collapsed."""
    text = re.sub(r"^\s*[-*]\s+", "", markdown, flags=re.M).replace("**", "").replace("`", "")
    return " ".join(text.split())


# --- structure: the assignments agree with the bank ------------------------------------


def test_every_bank_question_is_used_in_exactly_one_assignment() -> None:
    used: dict[str, list[str]] = {}
    for name in ASSIGNMENTS:
        for qid in _questions(_read(_source(name))):
            used.setdefault(qid, []).append(name)
    bank = set(teacher_bank().questions)
    assert set(used) == bank, (sorted(bank - set(used)), sorted(set(used) - bank))
    assert {q: n for q, n in used.items() if len(n) > 1} == {}


@pytest.mark.parametrize("name", AUTO)
def test_questions_points_and_total_match_the_bank(name: str) -> None:
    nb = _read(_source(name))
    cells = _by_id(nb)
    bank = teacher_bank().questions
    questions = _questions(nb)
    assert 5 <= len(questions) <= 10, len(questions)
    for qid, points in questions.items():
        question = bank[qid]
        assert points == question.points, qid
        shown = cells[f"{qid}-question"]
        assert shown.cell_type == "markdown" and _meta(shown)["locked"], qid
        text = _plain(shown.source)
        if question.text not in text:
            # an order question may set its events out as a list (as in 01)
            assert question.kind == "order", (qid, question.text, text)
            items = question.text.split(":", 1)[1].rstrip(".").split(";")
            for item in items:
                assert _plain(item) in text, (qid, item)
        answer = cells[qid]
        assert _meta(answer)["solution"] and not _meta(answer)["grade"], qid
        assert answer.source.startswith(f"%%answer {code_for(qid)}\n### BEGIN SOLUTION\n"), qid
        assert f'answers.marks("{qid}")' in cells[f"{qid}-test"].source, qid
    tasks = [c for c in nb.cells if _meta(c).get("task")]
    intro = nb.cells[0].source
    stated = TOTAL.search(intro)
    assert stated, "the introduction must state **Total: N marks.**"
    assert int(stated.group(1)) == sum(questions.values()) + sum(_meta(t)["points"] for t in tasks)
    assert re.search(r"Time: about \d+ minutes", intro)


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_notebook_shape(name: str) -> None:
    nb = _read(_source(name))
    assert nb.metadata.kernelspec.name == "python3"
    for cell in nb.cells:
        meta = _meta(cell)
        if meta:
            assert cell.id == meta["grade_id"], cell.id
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None
    for task in (c for c in nb.cells if _meta(c).get("task")):
        meta = _meta(task)
        assert task.cell_type == "markdown"
        assert meta["locked"] and not meta["grade"] and not meta["solution"]
        assert 2 <= meta["points"] <= 12
        assert "### BEGIN MARK SCHEME" in task.source and "### END MARK SCHEME" in task.source
        after = nb.cells[nb.cells.index(task) + 1]
        assert after.cell_type == "markdown" and not _meta(after), "an editable cell for the answer"
    if name in AUTO and name != "01_power_struggle":  # 01 predates the written question
        setup = _by_id(nb)["setup"]
        assert "answers.start()" in setup.source and _meta(setup)["locked"]
        explain = [c for c in nb.cells if _meta(c).get("task")]
        assert len(explain) >= 1 and all(2 <= _meta(c)["points"] <= 4 for c in explain)


@pytest.mark.parametrize("name", [n for n in AUTO if n != "01_power_struggle"])
def test_chart_questions_have_a_locked_chart_cell(name: str) -> None:
    """At least two questions read a chart, drawn by a locked cell through ``figures.show``
    (which skips the drawing while nbgrader grades)."""
    from stalin_course import charts

    nb = _read(_source(name))
    calls = [c for c in nb.cells if c.cell_type == "code" and "figures.show(" in c.source]
    assert calls
    for cell in calls:
        assert _meta(cell)["locked"] and not _meta(cell)["solution"]
        for function in re.findall(r'figures\.show\("(\w+)"', cell.source):
            assert function in charts.__all__, function
    chart_questions = [
        c for c in nb.cells if c.id.endswith("-question") and "the chart" in c.source.lower()
    ]
    chart_questions += [c for c in nb.cells if c.id.endswith("-question") and "picture" in c.source]
    assert len(chart_questions) >= 2


@pytest.mark.parametrize("name", AUTO)
def test_guessable_questions_give_no_visible_verdict(name: str) -> None:
    """Year, number, range and order questions: the visible check line only says the
    teacher will check; the verdict and the marks stay in hidden tests."""
    bank = teacher_bank().questions
    released = _by_id(_read(_release(name)))
    for qid in _questions(_read(_source(name))):
        visible = released[f"{qid}-test"].source
        if bank[qid].kind in ("year", "number", "years", "order"):
            assert visible == f'answers.later("{code_for(qid)}")', qid
        else:
            assert visible == f'answers.feedback("{code_for(qid)}")', qid


# --- nothing leaks into release/ -------------------------------------------------------


def _keys(qid: str) -> list[str]:
    """Plain-text forms of a question's accepted answer."""
    bank = teacher_bank()
    question = bank.questions[qid]
    if question.kind == "entity":
        ids = (*question.accept, *question.accept_any)
        return [name for e in ids for name in bank.entities[e].names]
    if question.kind in ("year", "number") and question.value is not None:
        return [str(question.value), f"{question.value:,}"]
    if question.kind == "order":
        return [question.letters, " ".join(question.letters)]
    return []


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_release_leaks_no_key_scheme_solution_or_hidden_test(name: str) -> None:
    source, released = _read(_source(name)), _read(_release(name))
    raw = _release(name).read_text(encoding="utf-8")
    for marker in FORBIDDEN:
        assert marker not in raw, marker
    for task in (c for c in source.cells if _meta(c).get("task")):
        scheme = task.source.split("### BEGIN MARK SCHEME", 1)[1].split("### END MARK SCHEME")[0]
        for line in filter(None, (ln.strip() for ln in scheme.splitlines())):
            assert line not in raw, line
    cells = _by_id(released)
    code = "\n".join(c.source for c in released.cells if c.cell_type == "code")
    for qid in _questions(source):
        model = SOLUTION.search(_by_id(source)[qid].source).group(1)
        assert not re.search(rf"(?<!\w){re.escape(model)}(?!\w)", code, re.I), (qid, model)
        own = cells[f"{qid}-question"].source
        # the question's own wording never contains its key
        keys = set(teacher_bank().questions[qid].accept) | set(
            teacher_bank().questions[qid].accept_any
        )
        assert not keys & set(find_entities(own)), qid
        for key in _keys(qid):
            if key.isdigit() or "," in key:
                assert int(key.replace(",", "")) not in numbers(own), (qid, key)
            else:
                assert f" {key.lower()} " not in f" {_plain(own).lower()} ", (qid, key)
                # no answer or check cell, and no chart call, spells the key out
                assert not re.search(rf"\b{re.escape(key)}\b", code, re.I), (qid, key)
    intro = _plain(released.cells[0].source).lower()
    for qid in _questions(source):
        for key in _keys(qid):
            if not key.replace(",", "").isdigit() and len(key) > 3:
                assert not re.search(rf"\b{re.escape(key.lower())}\b", intro), (qid, key)


# --- end to end: nbgrader autograde of filled-in copies --------------------------------


def _filled(name: str, answers: dict[str, str]) -> nbformat.NotebookNode:
    nb = _read(_release(name))
    for cell in nb.cells:
        grade_id = _meta(cell).get("grade_id")
        if grade_id in answers:
            assert cell.source == f"%%answer {code_for(grade_id)}\n{PLACEHOLDER}"
            cell.source = f"%%answer {code_for(grade_id)}\n{answers[grade_id]}"
    return nb


def test_every_assignment_with_questions_has_an_answer_file() -> None:
    assert sorted(p.stem for p in ANSWERS.glob("*.toml")) == AUTO


@pytest.mark.parametrize("name", AUTO)
def test_answer_file_covers_every_question(name: str) -> None:
    questions = _questions(_read(_source(name)))
    data = _answers(name)
    assert sorted(data) == sorted(STUDENTS)
    for student in STUDENTS:
        assert set(data[student]["answers"]) == set(questions), student
        assert set(data[student]["scores"]) == set(questions), student
    assert data["correct"]["scores"] == {q: float(p) for q, p in questions.items()}
    assert set(data["wrong"]["scores"].values()) == {0.0}
    partial = data["partial"]["scores"]
    assert 0 < sum(partial.values()) < sum(questions.values())


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One course in which three students' copies of every assignment were autograded."""
    course = make_course(tmp_path_factory.mktemp("assignments"))
    for name in AUTO:
        nbgrader(course, "generate_assignment", name, "--force")
        data = _answers(name)
        for student in STUDENTS:
            folder = course / "submitted" / student / name
            folder.mkdir(parents=True)
            nbformat.write(_filled(name, data[student]["answers"]), folder / f"{name}.ipynb")
        nbgrader(course, "autograde", name)
    return course


@pytest.mark.slow
@pytest.mark.parametrize("student", STUDENTS)
@pytest.mark.parametrize("name", AUTO)
def test_autograde_scores_every_question_exactly(graded: Path, name: str, student: str) -> None:
    assert question_scores(graded, name, student) == _answers(name)[student]["scores"]


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in AUTO if n != "01_power_struggle"])
def test_written_answer_waits_for_the_teacher(graded: Path, name: str) -> None:
    """The task cell is in the gradebook for manual marking, with no automatic score."""
    with Gradebook(f"sqlite:///{graded / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook(name, name, "correct")
        tasks = [g for g in notebook.grades if g.name.endswith("-explain")]
        assert tasks and all(g.auto_score is None and g.manual_score is None for g in tasks)
        assert notebook.needs_manual_grade


# --- nbgrader validate: read its report, never its exit code ---------------------------


def _validate(course: Path, nb: nbformat.NotebookNode, path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    done = nbgrader(course, "validate", str(path))
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def plain_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_course(tmp_path_factory.mktemp("validate"))


@pytest.mark.slow
@pytest.mark.parametrize("name", AUTO)
def test_validate_reports_pass_and_failure(plain_course: Path, name: str) -> None:
    graded = plain_course
    folder = graded / "validate" / name
    correct = _answers(name)["correct"]["answers"]
    questions = _questions(_read(_source(name)))
    # the student's copy, every answer right: a pass
    report = _validate(graded, _filled(name, correct), folder / "release-correct.ipynb")
    assert "Success! Your notebook passes all the tests." in report, report
    assert "VALIDATION FAILED" not in report and "Traceback" not in report, report
    # the teacher's copy (hidden tests kept) left unanswered: one failure per question
    teacher = _read(_source(name))
    for cell in teacher.cells:
        if _meta(cell).get("solution") and cell.cell_type == "code":
            cell.source = f"%%answer {code_for(_meta(cell)['grade_id'])}\n{PLACEHOLDER}"
    report = _validate(graded, teacher, folder / "source-unanswered.ipynb")
    assert f"VALIDATION FAILED ON {len(questions)} CELL(S)" in " ".join(report.split()), report
    assert "Success!" not in report
    # The student's copy has no hidden tests, so validate cannot tell a blank copy from a
    # right one: it "passes" too. This is why validate is not trusted for marks.
    report = _validate(graded, _read(_release(name)), folder / "release-blank.ipynb")
    assert "Success! Your notebook passes all the tests." in report, report


def test_students_never_see_a_question_id() -> None:
    """Some IDs name their own answer (military-tukhachevsky, economy-kulaks), so what
    students see names each question by its code (military-0254), never by its ID."""
    spelled_out = []
    for name in AUTO:
        # what a student sees: the cells' text (nbgrader keeps the ID in hidden metadata)
        raw = "\n".join(c.source for c in _read(_release(name)).cells)
        for qid in _questions(_read(_source(name))):
            if f" {qid.split('-', 1)[1].replace('-', ' ')} " in " ".join(
                f" {key.lower()} " for key in _keys(qid)
            ):
                spelled_out.append(qid)
            assert f'"{qid}' not in raw and f"%%answer {qid}" not in raw, qid
            assert code_for(qid) in raw, qid
    assert spelled_out, "the test should cover IDs that spell out their answer"


def test_answer_files_parse_as_json_safe_text() -> None:
    """Answers are plain strings (no TOML numbers), as a student would type them."""
    for name in AUTO:
        for student in STUDENTS:
            answers = _answers(name)[student]["answers"]
            assert all(isinstance(a, str) for a in answers.values()), (name, student)
            json.dumps(answers)
