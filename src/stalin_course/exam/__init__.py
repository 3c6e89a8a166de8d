"""Exam practice for AQA GCSE History (8145) Paper 1, Section A: the period-study questions.

- :mod:`.content` loads the course's interpretations (``interpretations.toml``) and the
  indicative content of each question (``indicative.toml``), both written for the course.
- :mod:`.coverage` lists which key ideas and evidence an answer mentions and which it could
  add. It never gives a mark or a level.
- :mod:`.planner` holds the widgets: a planning scaffold for the 8- and 12-mark questions
  and a "check my coverage" box.
- :mod:`.papers` loads the three practice papers, the one wording of the levels and the
  model answers (``papers.toml``, ``levels.toml``, ``models.toml``).
- :mod:`.self_assess` holds the mark-it-yourself box for paper 3: a timer, a level to
  choose, then the model answers.

Notebooks write ``exam.planner("worked-q6")``, ``exam.coverage_checker("exam-q5")`` or
``exam.self_assess("p3-q1")``.
"""

from .content import *  # noqa: F403
from .content import __all__ as _content
from .coverage import *  # noqa: F403
from .coverage import __all__ as _coverage
from .papers import *  # noqa: F403
from .papers import __all__ as _papers
from .planner import *  # noqa: F403
from .planner import __all__ as _planner
from .self_assess import *  # noqa: F403
from .self_assess import __all__ as _self_assess

__all__ = [*_content, *_coverage, *_papers, *_planner, *_self_assess]
