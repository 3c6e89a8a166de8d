"""One accessible house style for every chart in the course, and each lesson's charts.

Every chart function returns a :class:`Chart`: a matplotlib figure, a
one-sentence plain-text summary for screen readers, and the source printed
under the chart. ``style`` holds the house style and the generic charts; each
lesson's own charts sit in a module named after its topic, all re-exported here
so notebooks write ``charts.politburo_timeline()``.
"""

from .censorship import *  # noqa: F403
from .censorship import __all__ as _censorship
from .dates import *  # noqa: F403
from .dates import __all__ as _dates
from .great_terror import *  # noqa: F403
from .great_terror import __all__ as _terror
from .gulag import *  # noqa: F403
from .gulag import __all__ as _gulag
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
from .style import *  # noqa: F403
from .style import __all__ as _style
from .view import *  # noqa: F403
from .view import __all__ as _view

__all__ = [
    *_style,
    *_view,
    *_dates,
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
