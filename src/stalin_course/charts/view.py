"""One redraw engine for every chart a student changes with a control.

A :class:`View` builds its figure **once** and declares the few artists that
change (its ``dynamic`` artists). ``apply(key)`` puts those artists into the
state for ``key`` — a year, a purge, a menu choice — and returns the chart's
one-sentence summary. Rendering then works like a film set: the unchanging
part of the picture (the *background*) is drawn once without the dynamic
artists and kept; each redraw pastes it back and draws only the dynamic
artists that are visible. A view whose background itself changes with the key
(a log scale, say) names that part of the key in :meth:`View.background`, and
keeps one background per value.

``view.chart(key)`` gives a :class:`~.style.Chart` whose ``png()`` takes this
fast path at the figure's own resolution, and a full redraw at any other.

>>> from matplotlib.figure import Figure
>>> class Dot(View):
...     def __init__(self):
...         figure = Figure(figsize=(2, 2))
...         ax = figure.add_subplot()
...         ax.set_xlim(0, 10)
...         (self.dot,) = ax.plot([], [], "o")
...         super().__init__(figure, "made up", [self.dot])
...     def apply(self, key):
...         self.dot.set_data([key], [0.5])
...         return f"The dot is at {key}."
>>> view = Dot()
>>> view.chart(3).summary, view.chart(7).png()[:4] == b"\\x89PNG", view.full_draws
('The dot is at 3.', True, 1)
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Iterable, Sequence
from typing import Any, ClassVar, TypeVar

from matplotlib.artist import Artist
from matplotlib.figure import Figure

from .style import Chart, canvas_png, fixed_canvas

__all__ = ["View"]

V = TypeVar("V", bound="View")


class View:
    """A chart drawn once whose ``dynamic`` artists change with a key.

    A subclass builds its figure in ``__init__``, then calls
    ``super().__init__(figure, source, dynamic)``; it implements :meth:`apply`
    and, if part of the background changes with the key, :meth:`background`.
    The figure's layout is worked out when the view is made and then frozen.
    """

    _shared: ClassVar[dict[tuple[type, tuple[Hashable, ...]], View]] = {}
    _sharing: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, figure: Figure, source: str, dynamic: Sequence[Artist]) -> None:
        self.figure, self.source, self.dynamic = figure, source, list(dynamic)
        self.canvas = fixed_canvas(figure)
        #: How many times the whole figure has been drawn (once per background).
        self.full_draws = 0
        self._backgrounds: dict[Hashable, Any] = {}
        self._lock = threading.RLock()  # a background thread may draw backgrounds ahead

    # --- what a lesson's view says ----------------------------------------------------

    def apply(self, key: Any) -> str:
        """Put the dynamic artists (and anything else that changes) into the state for ``key``;
        return the one-sentence summary of the chart in that state."""
        raise NotImplementedError

    def background(self, key: Any) -> Hashable:
        """Which background ``key`` is drawn on (one for every key unless a view says so)."""
        return None

    # --- what every view does ---------------------------------------------------------

    def chart(self, key: Any = None) -> Chart:
        """The chart for ``key``: same figure, its own summary, drawn fast by :meth:`png`."""
        with self._lock:
            summary = self.apply(key)
        return Chart(self.figure, summary, self.source, key, self)

    def show(self, key: Any) -> None:
        """Put the figure into the state for ``key``, for a full redraw (another resolution)."""
        with self._lock:
            self.apply(key)

    def png(self, key: Any) -> bytes:
        """PNG bytes of the chart for ``key``, drawing only the dynamic artists on the saved
        background (the background itself is drawn the first time it is needed)."""
        with self._lock:
            self.apply(key)
            canvas = self.canvas
            canvas.restore_region(self._background(self.background(key)))
            for artist in self.dynamic:
                if artist.get_visible():
                    self.figure.draw_artist(artist)
            return canvas_png(canvas)

    def prepare(self, keys: Iterable[Any] = (None,)) -> None:
        """Draw the backgrounds of ``keys`` now (the slow part), e.g. in a background thread."""
        for key in keys:
            with self._lock:
                self.apply(key)
                self._background(self.background(key))

    def _background(self, name: Hashable) -> Any:
        if name not in self._backgrounds:
            shown = [artist.get_visible() for artist in self.dynamic]
            for artist in self.dynamic:
                artist.set_visible(False)
            self.canvas.draw()
            self.full_draws += 1
            self._backgrounds[name] = self.canvas.copy_from_bbox(self.figure.bbox)
            for artist, visible in zip(self.dynamic, shown, strict=True):
                artist.set_visible(visible)
        return self._backgrounds[name]

    @classmethod
    def shared(cls: type[V], *args: Hashable) -> V:
        """One view per class and arguments for the whole kernel, so a lesson's chart and its
        explorer share one figure and it is drawn only once."""
        key = (cls, args)
        with View._sharing:
            if key not in View._shared:
                View._shared[key] = cls(*args)
            return View._shared[key]  # type: ignore[return-value]
