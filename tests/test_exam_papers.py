"""The three practice papers, the one wording of the levels, the model answers of paper 3
and the mark-it-yourself box (timer, level, then models)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT
from rapidfuzz import fuzz

from stalin_course import exam, lessons
from stalin_course.exam import papers
from stalin_course.exam.content import ExamDataError, _read
from stalin_course.exam.self_assess import CHOOSE_FIRST, TIME_UP, Timer

LESSON = ROOT / "notebooks" / "10_exam_practice.ipynb"
SCHEME = re.compile(r"### BEGIN MARK SCHEME\n(.*?)\n### END MARK SCHEME", re.S)
SET_PAPERS = [p for p in papers.load_papers().values() if p.assignment]


def _cells(path: Path) -> list[nbformat.NotebookNode]:
    return nbformat.read(path, as_version=4).cells


def _source(paper: papers.Paper) -> Path:
    return ROOT / "source" / paper.assignment / f"{paper.assignment}.ipynb"


# --- the papers -----------------------------------------------------------------------


def test_three_papers_of_six_questions_worth_40_each() -> None:
    found = papers.load_papers()
    assert sorted(found) == ["paper1", "paper2", "paper3"]
    for paper in found.values():
        assert [q.marks for q in paper.questions] == [4, 4, 8, 4, 8, 12]
        assert [q.number for q in paper.questions] == [1, 2, 3, 4, 5, 6]
        assert paper.interpretations in exam.load_interpretations()
    assert len({q.id for p in found.values() for q in p.questions}) == 18
    assert len({p.interpretations for p in found.values()}) == 3
    set_papers = [p.assignment for p in found.values() if p.assignment]
    assert list(lessons.by_slug("exam_practice").assignments) == set_papers


@pytest.mark.parametrize("paper", SET_PAPERS, ids=lambda p: p.key)
def test_an_assignment_prints_its_papers_questions_and_one_wording_of_the_levels(
    paper: papers.Paper,
) -> None:
    cells = _cells(_source(paper))
    tasks = [c for c in cells if c.metadata.get("nbgrader", {}).get("task")]
    assert [c.metadata.nbgrader.grade_id for c in tasks] == [q.id for q in paper.questions]
    for cell, question in zip(tasks, paper.questions, strict=True):
        assert cell.metadata.nbgrader.points == question.marks
        shown, scheme = cell.source.split("\n\n### BEGIN MARK SCHEME\n\n")
        assert shown == papers.question_markdown(question)
        table = papers.levels_table(question.type, "Descriptor", zero=True)
        assert table in scheme, question.id
        assert papers.load_levels()[question.type].target in scheme
        assert "Indicative content" in scheme
    booklet = next(
        c for c in cells if c.metadata.get("nbgrader", {}).get("grade_id") == "interpretations"
    )
    assert exam.interpretations_markdown(paper.interpretations) in booklet.source


@pytest.mark.parametrize("paper", SET_PAPERS, ids=lambda p: p.key)
def test_no_mark_scheme_of_a_paper_reaches_release(paper: papers.Paper) -> None:
    released = (ROOT / "release" / paper.assignment / f"{paper.assignment}.ipynb").read_text(
        encoding="utf-8"
    )
    assert "MARK SCHEME" not in released and "Indicative content" not in released
    for cell in _cells(_source(paper)):
        for scheme in SCHEME.findall(cell.source):
            for line in scheme.splitlines():
                if len(line.strip()) >= 25:
                    assert line.strip() not in released, line
    for question in paper.questions:
        assert question.stem in released


def _stem_of(text: str) -> str:
    """The first line of a question that is not a heading, mark or instruction."""
    for line in text.splitlines():
        line = line.strip().strip("*").strip()
        if re.match(r"(How does|Why might|Which|Describe two|In what ways)", line):
            return line
    return ""


def _other_questions() -> dict[str, str]:
    """Every question stem in the assignments' tasks and the lessons (bold questions)."""
    found = {}
    for path in sorted((ROOT / "source").glob("*/*.ipynb")):
        for cell in _cells(path):
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("task") or (meta.get("solution") and cell.cell_type == "markdown"):
                stem = _stem_of(cell.source.split("### BEGIN MARK SCHEME")[0])
                if stem and meta.get("grade_id", "") not in _paper_ids():
                    found[f"{path.parent.name}:{meta['grade_id']}"] = stem
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for n, cell in enumerate(_cells(path)):
            if cell.cell_type == "markdown":
                for bold in re.findall(r"\*\*([^*]{20,}?)\*\*", cell.source):
                    stem = _stem_of(" ".join(bold.split()))
                    if stem and stem not in _paper_stems():
                        found[f"{path.stem}:{n}:{stem[:20]}"] = stem
            if cell.cell_type == "markdown":
                for frame, examples in _EXAMPLE.findall(cell.source):
                    for n_ex, example in enumerate(re.split(r",? or ", " ".join(examples.split()))):
                        example = re.sub(r"^(describe|in what ways (did|were|was))\s+", "", example)
                        found[f"{path.stem}:example:{frame}:{n_ex}"] = f"{frame} {example}"
    return found


#: The lessons' lists of "questions this lesson helps with": a frame and its examples.
_EXAMPLE = re.compile(
    r"\*\*(Describe|In what ways)[^*]*\*\* \(\d+ marks\): for example, (.*?)[.?]\n(?! )", re.S
)


def _paper_ids() -> set[str]:
    return {q.id for p in papers.load_papers().values() for q in p.questions}


def _paper_stems() -> set[str]:
    return {q.stem for p in papers.load_papers().values() for q in p.questions}


_FRAME = re.compile(
    r"^(describe two (ways in which|features of|methods)|in what ways (were|was)|which of the "
    r"following was the more important reason why|how does interpretation b differ from "
    r"interpretation a about|why might the authors of interpretations a and b have a different "
    r"interpretation about|which interpretation gives the more convincing opinion about)\s*",
    re.I,
)


#: Words every question on this topic shares, which say nothing about what it asks.
_COMMON = {"the", "of", "in", "a", "an", "to", "by", "and", "stalin", "stalin's", "soviet", "ussr"}


def _topic(stem: str) -> str:
    """What a question is about: its stem without the question type's frame and the
    words every question on the topic shares."""
    words = _FRAME.sub("", stem.lower()).strip(" ?.:").split()
    return " ".join(w.strip(",:;?") for w in words if w.strip(",:;?") not in _COMMON)


def _kind(stem: str) -> str:
    """The question type a stem's frame shows ('describe two', 'in what ways', …)."""
    found = re.match(
        r"(describe two|in what ways|which of the following|how does|why might|which "
        r"interpretation)",
        stem.lower(),
    )
    return found.group(0) if found else ""


def test_no_paper_repeats_a_question_of_another_paper_an_assignment_or_a_lesson() -> None:
    others = _other_questions()
    assert len(others) >= 10  # the assignments' tasks and the lesson's worked examples
    stems = [q for p in papers.load_papers().values() for q in p.questions]
    topics = [_topic(q.stem) for q in stems]
    assert len(set(topics)) == len(topics) - 6  # Q1–Q3 of a paper share their focus
    for question in stems:
        for where, other in others.items():
            if _kind(other) != _kind(question.stem):
                continue  # one topic may come up in different kinds of question, as in AQA's
            mine, theirs = _topic(question.stem), _topic(other)
            if ":example:" in where:  # a short example: is it inside the paper's question?
                score = fuzz.token_set_ratio(mine, theirs)
                assert score < 80, (question.id, where, other, score)
            else:
                score = fuzz.token_sort_ratio(mine, theirs)
                assert score < 70, (question.id, where, other, score)


def test_papers_cover_different_topics_from_the_lessons_worked_examples() -> None:
    focus = {p: exam.load_interpretations()[p].focus for p in ("paper", "paper2", "paper3")}
    worked = exam.load_interpretations()["worked"].focus
    assert len({*focus.values(), worked}) == 4
    for question in (q for p in papers.load_papers().values() for q in p.questions):
        assert "struggle for power" not in question.stem and "won the power" not in question.stem


def test_the_interpretations_name_their_authors_and_leave_the_inference_to_the_student() -> None:
    sets = exam.load_interpretations()
    kinds = {(s.a.kind, s.b.kind) for s in sets.values()}
    assert ("contemporary", "contemporary") in kinds and ("contemporary", "historian") in kinds
    authors = {item.author for s in sets.values() for item in (s.a, s.b)}
    for name in ("Leon Trotsky", "Nikita Khrushchev", "Robert Conquest", "J. Arch Getty"):
        assert name in authors
    for item in (i for s in sets.values() for i in (s.a, s.b)):
        for judging in ("bias", "reliab", "trustworth", "wanted to", "in order to", "cold war"):
            assert judging not in item.provenance.lower(), (item.author, judging)


# --- the levels -----------------------------------------------------------------------


def test_levels_run_from_one_to_the_questions_marks_without_overlap() -> None:
    for kind, scheme in papers.load_levels().items():
        levels = sorted(scheme.levels, key=lambda lv: lv.level)
        assert levels[0].lowest == 1 and levels[-1].highest == papers.MARKS[kind]
        names = [" ".join(lv.descriptor.split()[:2]).rstrip(":") for lv in levels]
        assert len(set(names)) == len(names), names  # no two levels share a heading
        if len(levels) == 4:
            assert "sustained" in levels[-1].descriptor or kind == "ways"
            assert all("sustained" not in lv.descriptor for lv in levels[:-1])


def test_the_assignments_describe_two_tasks_use_the_same_level_names() -> None:
    describe = {lv.level: lv for lv in papers.load_levels()["describe"].levels}
    seen = 0
    for path in sorted((ROOT / "source").glob("0*/*.ipynb")):
        for cell in _cells(path):
            if cell.metadata.get("nbgrader", {}).get("task") and "Describe two" in cell.source:
                for number, band, name in re.findall(
                    r"\*\*Level (\d) \(([\d–]+) marks\): ([a-z ]+)\.\*\*", cell.source
                ):
                    level = describe[int(number)]
                    assert band == level.marks, path
                    assert name == " ".join(level.descriptor.split()[:2]).lower(), path
                    seen += 1
    assert seen >= 14  # two levels in each of seven assignments


def test_the_lesson_prints_the_same_level_tables() -> None:
    text = "\n".join(c.source for c in _cells(LESSON) if c.cell_type == "markdown")
    tables = re.findall(
        r"\| Level \| Marks \| What the examiner looks for \|\n(?:\|.*\|\n?)+", text
    )
    expected = {papers.levels_table(kind) for kind in papers.MARKS}
    assert tables and {t.strip() for t in tables} <= expected
    assert {t.strip() for t in tables} == expected  # every type is shown at least once


def test_one_timing_rule_in_the_lesson_and_on_both_set_papers() -> None:
    assert papers.MINUTES == {4: 5, 8: 10, 12: 20}
    rule = ("5 minutes on each\n   4-mark question, 10 minutes on each 8-mark question and 20 "
            "minutes on the 12-mark question")  # fmt: skip
    for paper in SET_PAPERS:
        intro = _cells(_source(paper))[0].source
        assert " ".join(rule.split()) in " ".join(intro.split())
    lesson = " ".join(c.source for c in _cells(LESSON))
    for marks, minutes in papers.MINUTES.items():
        assert f"| {marks} | **" in lesson and f"| {minutes} minutes |" in lesson
    assert "minute a mark" not in lesson


# --- paper 3: models and the mark-it-yourself box -------------------------------------


def test_every_question_of_paper_3_has_a_model_at_every_level() -> None:
    models = papers.load_models()
    for question in papers.load_papers()["paper3"].questions:
        levels = papers.load_levels()[question.type].levels
        mine = [m for m in models if m.question == question.id]
        assert sorted(m.level for m in mine) == sorted(lv.level for lv in levels), question.id
        for model in mine:
            band = next(lv for lv in levels if lv.level == model.level)
            assert band.lowest <= model.mark <= band.highest
            assert len(model.comment.split()) >= 15
        lengths = [len(m.answer.split()) for m in sorted(mine, key=lambda m: m.level)]
        assert lengths == sorted(lengths), (question.id, lengths)  # higher levels say more


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw: raw["models"][0].update(mark=4), "band"),
        (lambda raw: raw["models"][0].update(level=3), "no level"),
        (lambda raw: raw["models"][0].update(question="p9-q1"), "p9-q1"),
        (lambda raw: raw["models"][0].update(answer=" "), "answer"),
    ],
)
def test_malformed_models_are_rejected(change, message) -> None:
    raw = _read("models.toml")
    change(raw)
    with pytest.raises((ExamDataError, KeyError), match=message):
        papers._models(raw)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw: raw["types"]["ways"]["levels"][0].update(marks="6–8"), "meet"),
        (lambda raw: raw["types"]["describe"]["levels"][0].update(marks="3–5"), "1 to 4"),
        (lambda raw: raw["types"].pop("differ"), "types"),
    ],
)
def test_malformed_levels_are_rejected(change, message) -> None:
    raw = _read("levels.toml")
    change(raw)
    with pytest.raises(ExamDataError, match=message):
        papers._levels(raw)


def test_malformed_papers_are_rejected() -> None:
    raw = _read("papers.toml")
    raw["papers"]["paper2"]["questions"][5].pop("bullets")
    with pytest.raises(ExamDataError, match="2 bullets"):
        papers._papers(raw)
    raw = _read("papers.toml")
    raw["papers"]["paper3"]["questions"].reverse()
    with pytest.raises(ExamDataError, match="order"):
        papers._papers(raw)


def test_models_stay_hidden_until_the_student_chooses_a_level() -> None:
    box = exam.self_assess("p3-q3")
    box.answer.value = "A is more convincing because Stalin edited his biography."
    first = box.reveal()
    assert first == CHOOSE_FIRST
    for model in (m for m in papers.load_models() if m.question == "p3-q3"):
        assert model.answer[:40] not in first
    assert [b.description.split(" (")[0] for b in box.level.buttons] == [
        "Level 4", "Level 3", "Level 2", "Level 1",
    ]  # fmt: skip
    box.level.buttons[2].click()  # Level 2: the request to choose one goes at once
    assert box.shown.startswith("You placed your answer at **Level 2**")
    shown = box.reveal()
    assert shown.startswith("You placed your answer at **Level 2** (3–4 marks).")
    assert "then the Level 3 model" in shown
    for model in (m for m in papers.load_models() if m.question == "p3-q3"):
        assert f"**Level {model.level} ({model.mark} out of 8):**" in shown
        assert model.comment in shown
    assert box.answer.value not in shown  # the student's text is never echoed back
    box.level.buttons[0].click()  # changing the level after seeing the models
    assert box.shown.startswith("You placed your answer at **Level 4** (7–8 marks).")


def test_an_empty_answer_and_the_top_level_are_handled_kindly() -> None:
    text = exam.reveal_text("p3-q6", "4", "")
    assert "You have not typed an answer" in text and "then the Level" not in text
    assert exam.reveal_text("p3-q1", "", "x") == CHOOSE_FIRST
    assert exam.reveal_text("p3-q1", "4", "x") == CHOOSE_FIRST  # Question 1 has two levels
    assert exam.reveal_text("p3-q1", "<b>", "x") == CHOOSE_FIRST
    stray = exam.self_assess("p3-q7<script>")
    assert "There is no paper-3 question" in stray.value and "<script>" not in stray.value


def test_the_timer_counts_down_by_the_timing_rule_and_stops() -> None:
    now = [100.0]
    box = exam.self_assess("p3-q5")
    assert box.timer.minutes == 10 and "10 minutes" in box.timer.button.description
    timer = Timer(5, clock=lambda: now[0], interval=3600)
    timer.button.value = True
    assert "5:00 left" in timer.display.value and timer.button.description == "Stop the timer"
    now[0] += 61
    assert timer.tick() == "3:59 left"
    now[0] += 5 * 60
    assert timer.tick() == TIME_UP and TIME_UP in timer.display.value
    timer.button.value = False
    assert timer.display.value == "" and timer.tick() == ""
    assert timer.button.description == "Time me: 5 minutes"


def test_the_lesson_gives_paper_3_with_a_static_copy_of_its_models() -> None:
    cells = _cells(LESSON)
    text = "\n\n".join(c.source for c in cells)
    assert exam.interpretations_markdown("paper3") in text
    code = [c.source for c in cells if c.cell_type == "code"]
    for question in papers.load_papers()["paper3"].questions:
        assert f'exam.self_assess("{question.id}")' in code
        shown = papers.question_markdown(question) + "\n\n" + papers.levels_table(question.type)
        assert shown in text
    fallback = [c for c in cells if c.source.startswith(papers.FALLBACK_HEADING)]
    assert len(fallback) == 1 and fallback[0].source == papers.models_fallback_markdown("paper3")
    # the static copy comes after every question, and its models are folded away
    assert cells.index(fallback[0]) > max(
        i for i, c in enumerate(cells) if "self_assess" in c.source
    )
    assert fallback[0].source.count("<details>") == 6
