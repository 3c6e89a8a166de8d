"""Build step that pyproject.toml cannot express: the wheel carries the course's data.

The sourced CSV files live once, in the repository's top-level ``data/`` folder. A wheel
(``pip install .``) copies them into the package as ``stalin_course/course_data/``, so an
installed package can load its data and draw every chart from any folder. An editable
install (``pip install -e .``) reads ``data/`` in place instead.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA = Path(__file__).parent / "data"


class BuildPyWithData(build_py):
    """``build_py`` that also copies ``data/*.csv`` and ``data/README.md`` into the package."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "stalin_course" / "course_data"
        target.mkdir(parents=True, exist_ok=True)
        for file in [*sorted(DATA.glob("*.csv")), DATA / "README.md"]:
            self.copy_file(str(file), str(target / file.name))


setup(cmdclass={"build_py": BuildPyWithData})
