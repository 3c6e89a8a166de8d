"""One accessible house style for every chart in the course.

Each function returns a :class:`Chart`: a matplotlib figure (built with
``matplotlib.figure.Figure``, so nothing leaks between calls), a one-sentence
plain-text summary for screen readers, and the source printed under the chart.
A notebook cell that ends with a ``Chart`` shows the picture, the summary and
the source.

>>> import pandas as pd
>>> frame = pd.DataFrame({"year": [1926, 1929], "members": [1.1, 1.5], "source": ["X", "X"]})
>>> chart = bar_chart(frame, "year", "members", title="Members", xlabel="Year",
...                   ylabel="Millions")
>>> chart.summary
'The highest value of members is 1.5 in 1929; the lowest is 1.1 in 1926.'
>>> chart.source
'X'
"""

from __future__ import annotations

import base64
import html
import io
import re
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import matplotlib
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

if TYPE_CHECKING:
    from .view import View

__all__ = [
    "OKABE_ITO",
    "Chart",
    "canvas_png",
    "fixed_canvas",
    "bar_chart",
    "house_style",
    "label_axes",
    "line_chart",
    "new_figure",
    "sources_of",
]

#: The Okabe–Ito palette: distinguishable with the common kinds of colour blindness.
OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "black": "#000000",
    "grey": "#999999",
}

STYLE = {
    "font.size": 11,
    "axes.titlesize": 13,
    "axes.labelsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=list(OKABE_ITO.values())),
    "legend.frameon": False,
}


def fixed_canvas(figure: Figure) -> FigureCanvasAgg:
    """A canvas for fast redraws: the layout is worked out once, then frozen, so a saved
    background stays valid while only the parts that change are drawn on it again."""
    if figure.get_layout_engine() is not None:
        figure.draw_without_rendering()
        figure.set_layout_engine("none")
    return FigureCanvasAgg(figure)


def canvas_png(canvas: FigureCanvasAgg) -> bytes:
    """What a canvas shows now, as PNG bytes (fast compression: redraws must be quick)."""
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(canvas.buffer_rgba())).save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


@dataclass(frozen=True)
class Chart:
    """A figure with its one-sentence text summary and its source.

    A chart made by a :class:`~.view.View` also carries the ``key`` it shows
    and its ``view``: :meth:`png` then redraws only what changes, and
    :meth:`at` gives the same chart for another key (same figure).
    """

    figure: Figure
    summary: str
    source: str
    key: Any = field(default=None, compare=False)
    view: View | None = field(default=None, repr=False, compare=False)

    def at(self, key: Any) -> Chart:
        """This chart for another ``key`` (a year, a choice), on the same figure."""
        if self.view is None:
            raise ValueError("this chart has nothing that changes: it has no view")
        return self.view.chart(key)

    def png(self, dpi: int = 100) -> bytes:
        """Return the figure as PNG bytes (the fast redraw at the figure's own dpi)."""
        if self.view is not None:
            if dpi == self.figure.dpi:
                return self.view.png(self.key)
            self.view.show(self.key)
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=dpi, facecolor="white")
        return buffer.getvalue()

    def __str__(self) -> str:
        return f"{self.summary}\nSource: {self.source}"

    def _repr_html_(self) -> str:
        image = base64.b64encode(self.png()).decode("ascii")
        summary = html.escape(self.summary)
        return (
            f'<figure><img src="data:image/png;base64,{image}" alt="{summary}">'
            f"<figcaption><p>{summary}</p>"
            f"<p><small>Source: {html.escape(self.source)}</small></p></figcaption></figure>"
        )

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


@contextmanager
def house_style() -> Iterator[None]:
    """Apply the course style inside a ``with`` block only (rcParams restored after)."""
    with matplotlib.rc_context(STYLE):
        yield


def sources_of(frame: pd.DataFrame) -> str:
    """Join the distinct sources named in a frame's ``source`` column, in order.

    Details in brackets (pages, dates checked) are left out here, apart from a
    year of publication; the CSV file keeps them. Sources inside one cell are
    separated by "; ".

    >>> sources_of(pd.DataFrame({"source": ["A (p. 3); B (2004)", "B (2004) (1 May; p. 2)", "A"]}))
    'A; B (2004)'
    """
    seen: dict[str, None] = {}
    for cell in frame["source"].dropna():
        text, previous = str(cell), None
        while text != previous:
            previous, text = text, _DETAILS.sub("", text)
        for part in text.split("; "):
            if part.strip():
                seen[part.strip()] = None
    return "; ".join(seen)


_DETAILS = re.compile(r"\s*\((?!\d{4}\))[^()]*\)")


def new_figure(width: float, height: float, source: str) -> tuple[Figure, Axes]:
    """Make a figure with one axes and the source printed along the bottom."""
    lines = textwrap.wrap(f"Source: {source}", width=int(width * 15)) or [""]
    figure = Figure(figsize=(width, height), dpi=100, facecolor="white", layout="constrained")
    bottom = (0.12 + 0.16 * len(lines)) / height
    figure.get_layout_engine().set(rect=(0, bottom, 1, 1 - bottom))
    figure.text(0.01, 0.02, "\n".join(lines), fontsize=8, color="#333333", va="bottom")
    return figure, figure.add_subplot()


def label_axes(ax: Axes, title: str, xlabel: str, ylabel: str) -> None:
    """Give a chart its title (top left, bold) and axis labels."""
    ax.set_title(title, loc="left", fontweight="bold")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)


def _extremes_summary(frame: pd.DataFrame, x: str, y: str) -> str:
    high = frame.loc[frame[y].idxmax()]
    low = frame.loc[frame[y].idxmin()]
    return (
        f"The highest value of {y} is {high[y]:,} in {high[x]}; "
        f"the lowest is {low[y]:,} in {low[x]}."
    )


def bar_chart(
    frame: pd.DataFrame,
    x: str,
    y: str,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    summary: str | None = None,
) -> Chart:
    """Draw one bar per row of ``frame`` (``x`` labels, ``y`` heights)."""
    source = sources_of(frame)
    with house_style():
        figure, ax = new_figure(8, 4.5, source)
        ax.bar(frame[x].astype(str), frame[y].astype(float), color=OKABE_ITO["blue"])
        label_axes(ax, title, xlabel, ylabel)
    return Chart(figure, summary or _extremes_summary(frame, x, y), source)


def line_chart(
    frame: pd.DataFrame,
    x: str,
    y: str,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    low: str | None = None,
    high: str | None = None,
    summary: str | None = None,
) -> Chart:
    """Draw ``y`` against ``x`` as a line, with an optional shaded ``low``–``high`` range."""
    source = sources_of(frame)
    with house_style():
        figure, ax = new_figure(8, 4.5, source)
        xs = frame[x].astype(float)
        if low and high:
            ax.fill_between(
                xs,
                frame[low].astype(float),
                frame[high].astype(float),
                color=OKABE_ITO["sky blue"],
                alpha=0.35,
                label="range of estimates",
            )
        ax.plot(xs, frame[y].astype(float), color=OKABE_ITO["blue"], marker="o", label=y)
        if low and high:
            ax.legend(loc="upper left")
        label_axes(ax, title, xlabel, ylabel)
    return Chart(figure, summary or _extremes_summary(frame, x, y), source)
