"""The course's widgets: the generic kit (quizzes, explorers) and each lesson's widgets.

``kit`` holds the quiz and the chart explorer; each lesson's own widgets sit in
a module named after its topic, all re-exported here so notebooks write
``widgets.quiz("power_struggle")`` or ``widgets.explore_politburo()``.
"""

from .kit import *  # noqa: F403
from .kit import __all__ as _kit
from .power import *  # noqa: F403
from .power import __all__ as _power

__all__ = [*_kit, *_power]
