"""One accessible house style for every chart in the course, and each lesson's charts.

Every chart function returns a :class:`Chart`: a matplotlib figure, a
one-sentence plain-text summary for screen readers, and the source printed
under the chart. ``style`` holds the house style and the generic charts; each
lesson's own charts sit in a module named after its topic, all re-exported here
so notebooks write ``charts.politburo_timeline()``.
"""

from .power import *  # noqa: F403
from .power import __all__ as _power
from .style import *  # noqa: F403
from .style import __all__ as _style

__all__ = [*_style, *_power]
