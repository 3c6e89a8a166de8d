"""Exam practice for AQA GCSE History (8145) Paper 1, Section A: the period-study questions.

- :mod:`.content` loads the course's interpretations (``interpretations.toml``) and the
  indicative content of each question (``indicative.toml``), both written for the course.
- :mod:`.coverage` lists which key ideas and evidence an answer mentions and which it could
  add. It never gives a mark or a level.
- :mod:`.planner` holds the widgets: a planning scaffold for the 8- and 12-mark questions
  and a "check my coverage" box.

Notebooks write ``exam.planner("worked-q6")`` or ``exam.coverage_checker("exam-q5")``.
"""

from .content import *  # noqa: F403
from .content import __all__ as _content
from .coverage import *  # noqa: F403
from .coverage import __all__ as _coverage
from .planner import *  # noqa: F403
from .planner import __all__ as _planner

__all__ = [*_content, *_coverage, *_planner]
