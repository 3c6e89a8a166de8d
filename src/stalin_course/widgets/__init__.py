"""The course's widgets: the generic kit (quizzes, explorers) and each lesson's widgets.

``kit`` holds the quiz and the chart explorer; each lesson's own widgets sit in
a module named after its topic, all re-exported here so notebooks write
``widgets.quiz("power_struggle")`` or ``widgets.explore_politburo()``.
"""

from .censorship import *  # noqa: F403
from .censorship import __all__ as _censorship
from .great_terror import *  # noqa: F403
from .great_terror import __all__ as _terror
from .gulag import *  # noqa: F403
from .gulag import __all__ as _gulag
from .kit import *  # noqa: F403
from .kit import __all__ as _kit
from .military_purge import *  # noqa: F403
from .military_purge import __all__ as _military
from .nkvd import *  # noqa: F403
from .nkvd import __all__ as _nkvd
from .party_control import *  # noqa: F403
from .party_control import __all__ as _party
from .power_struggle import *  # noqa: F403
from .power_struggle import __all__ as _power
from .propaganda_and_cult import *  # noqa: F403
from .propaganda_and_cult import __all__ as _propaganda
from .review import *  # noqa: F403
from .review import __all__ as _review

__all__ = [
    *_kit,
    *_power,
    *_party,
    *_terror,
    *_military,
    *_nkvd,
    *_gulag,
    *_censorship,
    *_propaganda,
    *_review,
]
