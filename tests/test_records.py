"""Small parts of the teacher's records: where "download my work" puts its zip (never in
an assignment's folder, which is handed in whole), and the export's command line."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

from conftest import make_course

from stalin_course.saving import zip_my_work


def test_the_zip_is_never_made_inside_a_fetched_assignment(tmp_path: Path) -> None:
    """A student's home on a school server: ~/02_party_control/02_party_control.ipynb."""
    folder = tmp_path / "02_party_control"
    folder.mkdir()
    (folder / "02_party_control.ipynb").write_text("{}", encoding="utf-8")
    path = zip_my_work(folder, today=date(2026, 12, 4))
    assert path == tmp_path / "my_work_2026-12-04.zip"
    assert sorted(p.name for p in folder.iterdir()) == ["02_party_control.ipynb"]
    assert zipfile.ZipFile(path).namelist() == ["02_party_control.ipynb"]


def test_in_the_course_the_zip_goes_to_its_top_folder(tmp_path: Path) -> None:
    folder = tmp_path / "release" / "01_power_struggle"
    folder.mkdir(parents=True)
    (folder / "01_power_struggle.ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / "notebooks").mkdir()
    assert zip_my_work(folder, today=date(2026, 1, 2)).parent == tmp_path
    assert zip_my_work(tmp_path / "notebooks").parent == tmp_path / "notebooks"


def test_export_names_an_unknown_assignment_without_a_traceback(tmp_path: Path) -> None:
    course = make_course(tmp_path)
    env = {"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "stalin_course", "export", "no_such_assignment"],
        cwd=course, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2
    assert "no assignment no_such_assignment" in done.stderr and "Traceback" not in done.stderr


def test_grading_outside_a_course_folder_says_so(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "stalin_course", "report", "01_power_struggle"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2 and "not a course folder" in done.stderr
    assert not (tmp_path / "gradebook.db").exists()
