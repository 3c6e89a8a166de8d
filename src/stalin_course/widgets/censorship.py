"""Widgets for lesson 07: the vanishing commissars.

Choose a doctored photograph and move the year slider: people disappear from
the diagram of the photograph in the year they were purged, and the caption
counts how many had been removed. All text comes from plain functions
(:func:`~stalin_course.charts.vanishing_summary`, :func:`people_details`), so
it can be tested without a browser.

>>> "Trotsky" in people_details("sverdlov-1920", 1930)
True
"""

from __future__ import annotations

import html
import threading

import ipywidgets as w
import pandas as pd

from .. import charts, data
from .kit import Panel, _status

__all__ = ["VanishingCommissars", "people_details", "vanishing_commissars"]

FIRST_YEAR, LAST_YEAR = 1924, 1941


def people_details(photo_id: str, year: int, frame: pd.DataFrame | None = None) -> str:
    """HTML list of everyone in the photograph: in or cut out by ``year``, and their fate."""
    frame = data.load("vanishing_commissars") if frame is None else frame
    rows = frame[frame["photo_id"] == photo_id].sort_values("position")
    gone = set(charts.vanished(photo_id, year, frame))
    items = []
    for row in rows.itertuples(index=False):
        if row.name in gone:
            status = f"<b>cut out</b> (purged in {int(row.purged_year)})"
        elif row.removed == "yes":
            status = "still in the picture by this year (but see the note)"
        else:
            status = "still in the picture"
        fate = f" Fate: {html.escape(str(row.fate))}." if isinstance(row.fate, str) else ""
        note = ""
        if isinstance(row.note, str) and (row.name in gone or row.removed == "yes"):
            note = f" <i>Note: {html.escape(row.note)}</i>"
        items.append(
            f"<li><b>{html.escape(str(row.name))}</b>, {html.escape(str(row.role))}: "
            f"{status}.{fate}{note}</li>"
        )
    return (
        "<p><b>The people in this photograph, from left to right</b> "
        "(a diagram of the photograph, not the photograph itself):</p>"
        f"<ul>{''.join(items)}</ul>"
    )


class VanishingCommissars(Panel):
    """A photograph chooser and a year slider over the diagram of a doctored photograph.

    The other photographs' diagrams are drawn in a background thread
    (``self.preparing``) once the first picture is shown.
    """

    def __init__(self, photo_id: str = "sverdlov-1920", year: int | None = None) -> None:
        photos = charts.vanishing_photos()
        style = {"description_width": "initial"}
        self.photo = w.Dropdown(
            options=[(label, key) for key, label in photos.items()],
            value=photo_id,
            description="Photograph",
            style=style,
            layout=w.Layout(width="max-content"),
        )
        start = self._first_year(photo_id)
        self.year = w.IntSlider(
            value=start if year is None else year,
            min=start,
            max=LAST_YEAR,
            description="Year",
            continuous_update=False,
            style=style,
        )
        self.image = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self.summary = w.HTML()
        self.details = w.HTML()
        self._cache: dict[tuple[str, int], tuple[bytes, str, str]] = {}
        self._busy = False
        self.photo.observe(lambda _change: self._new_photo(), names="value")
        self.year.observe(lambda _change: self.redraw(), names="value")
        super().__init__([self.photo, self.year, self.image, self.summary, self.details])
        self.redraw()
        # the other photographs are drawn in the background, so choosing one is quick
        self.preparing = threading.Thread(target=charts.prepare_vanishing_pictures, daemon=True)
        self.preparing.start()

    @staticmethod
    def _first_year(photo_id: str) -> int:
        return max(FIRST_YEAR, charts.photo_year(photo_id))

    def _new_photo(self) -> None:
        self._busy = True  # changing the slider's range must not redraw twice
        start = self._first_year(self.photo.value)
        self.year.min = FIRST_YEAR
        self.year.value = max(self.year.value, start)
        self.year.min = start
        self._busy = False
        self.redraw()

    def redraw(self) -> None:
        """Show the diagram, caption and list for the chosen photograph and year."""
        if self._busy:
            return
        key = (self.photo.value, self.year.value)
        if key not in self._cache:
            chart = charts.vanishing_picture(*key)
            self._cache[key] = (chart.png(), chart.summary, people_details(*key))
        png, summary, details = self._cache[key]
        self.image.value = png
        self.summary.value = _status(summary)
        self.details.value = details

    @property
    def summary_text(self) -> str:
        """The caption now shown, as plain text."""
        return self._cache[(self.photo.value, self.year.value)][1]


def vanishing_commissars(
    photo_id: str = "sverdlov-1920", year: int | None = None
) -> VanishingCommissars:
    """Show the vanishing-commissars diagram with its photograph chooser and year slider."""
    return VanishingCommissars(photo_id, year)
