"""The installed package, as `pip install .` gives it, works from any folder.

The wheel is built from a copy of the repository's files, installed (without its
dependencies, which this environment already has) into a fresh virtual environment, and
run from an empty temporary folder with no course files above it: it loads every data
file, draws every chart, checks answers from the scrambled key, and the commands that need
the course repository say so plainly instead of printing a traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import copy_repository

from stalin_course.schemas import SCHEMAS

pytestmark = pytest.mark.slow


@dataclass
class Installed:
    wheel: Path
    python: Path
    script: Path  # the stalin-course console script
    cwd: Path  # an empty folder, far from any course files
    env: dict[str, str]

    def run(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(a) for a in args], cwd=self.cwd, env=self.env, capture_output=True,
            text=True, timeout=300,
        )  # fmt: skip


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    repo, dist, venv, cwd = base / "repo", base / "dist", base / "venv", base / "elsewhere"
    copy_repository(repo)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--no-build-isolation",
         "--quiet", "--disable-pip-version-check", "-w", str(dist)],
        cwd=repo, check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = dist.glob("stalin_course-*.whl")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
    )  # fmt: skip
    # The dependencies come from this environment's site-packages, added as a plain path so
    # that its editable install of the course (a .pth file) is not switched on.
    (purelib / "_course_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run(
        [python, "-m", "pip", "install", "--no-deps", "--quiet", "--no-compile",
         "--disable-pip-version-check", str(wheel)],
        check=True, capture_output=True,
    )  # fmt: skip
    cwd.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STALIN_", "PYTHON"))}
    env.update(HOME=str(base), MPLBACKEND="Agg", MPLCONFIGDIR=str(base / "mpl"))
    return Installed(wheel, python, venv / "bin" / "stalin-course", cwd, env)


def test_the_wheel_carries_the_data_and_the_licences_but_no_bank_sources(
    installed: Installed,
) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    for table in SCHEMAS:
        assert f"stalin_course/course_data/{table}.csv" in names, table
    assert "stalin_course/course_data/README.md" in names
    assert "stalin_course/bank/key.dat" in names
    assert not [n for n in names if n.startswith("stalin_course/bank/") and n.endswith(".toml")]
    # the exam's indicative content is the teacher's: students get the sealed self-check
    assert "stalin_course/exam/self_check.dat" in names
    assert "stalin_course/exam/indicative.toml" not in names
    licences = {Path(n).name for n in names if ".dist-info/licenses/" in n}
    assert {"LICENSE", "CC-BY-4.0.txt"} <= licences, licences


def test_installed_package_loads_data_and_draws_every_chart_from_any_folder(
    installed: Installed,
) -> None:
    script = textwrap.dedent(
        """
        from pathlib import Path
        import stalin_course
        from stalin_course import charts, data, lessons
        from stalin_course.checking import check
        here = Path(stalin_course.__file__).resolve()
        assert "venv" in here.parts, here  # the wheel's copy, not the repository's
        folder = data.data_dir()
        assert folder == here.parent / "course_data", folder
        for name in data.SCHEMAS:
            assert len(data.load(name)) > 0, name
        drawn = 0
        for lesson in lessons.LESSONS:
            for name in lesson.charts:
                chart = getattr(charts, name)()
                assert chart.summary, name
                drawn += 1
        assert check("power-lenin-death", "He died in 1924").status == "correct"
        assert check("power-lenin-death", "1925").status != "correct"
        print("charts", drawn)
        """
    )
    done = installed.run(installed.python, "-c", script)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.split()[-1]) >= 10, done.stdout


def test_installed_check_command_works_from_any_folder(installed: Installed) -> None:
    done = installed.run(installed.script, "check", "power-lenin-death", "1924")
    assert done.returncode == 0, done.stderr
    assert '"status": "correct"' in done.stdout


@pytest.mark.parametrize("command", ["release", "build-key"])
def test_commands_that_need_the_repository_say_so_without_a_traceback(
    installed: Installed, command: str
) -> None:
    done = installed.run(installed.script, command)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    assert "needs the course repository" in done.stderr, done.stderr
    assert "pip install -e ." in done.stderr, done.stderr
