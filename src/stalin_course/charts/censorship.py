"""Charts for lesson 07: diagrams of doctored photographs ("the commissar vanishes").

Nothing here shows a photograph. Each photograph in ``vanishing_commissars.csv``
is drawn as a *diagram*: one simple figure (a head and shoulders) per person,
with a name label, in the order they stand. A person "vanishes" (turns into a
dashed grey outline) from the year they were purged, that is expelled or
arrested, never to return; after that, censors cut them out of pictures.

>>> vanishing_summary("sverdlov-1920", 1938)
'By 1938, 2 of the 3 people in this picture had been removed: Trotsky and Kamenev.'
>>> vanishing_summary("canal-1937", 1938)
'By 1938, none of the 4 people in this picture had been removed.'
"""

from __future__ import annotations

import textwrap

import pandas as pd
from matplotlib.artist import Artist
from matplotlib.patches import Circle, FancyBboxPatch, Patch, Rectangle

from .. import data
from .dates import date_in_words
from .style import OKABE_ITO, Chart, house_style, label_axes, new_figure, sources_of
from .view import View

__all__ = [
    "PictureView",
    "photo_year",
    "prepare_vanishing_pictures",
    "vanished",
    "vanishing_photos",
    "vanishing_picture",
    "vanishing_summary",
]

SPACING = 1.2  # distance between two people in the diagram
PRESENT = OKABE_ITO["blue"]
GONE = OKABE_ITO["grey"]


def _people(photo_id: str, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    frame = data.load("vanishing_commissars") if frame is None else frame
    rows = frame[frame["photo_id"] == photo_id].sort_values("position")
    if rows.empty:
        known = ", ".join(dict.fromkeys(frame["photo_id"]))
        raise ValueError(f"no photograph called {photo_id!r}; known: {known}")
    return rows


def vanishing_photos(frame: pd.DataFrame | None = None) -> dict[str, str]:
    """Photograph ids mapped to a short label (title and date), oldest first.

    >>> list(vanishing_photos())[:2]
    ['union-1897', 'sverdlov-1920']
    """
    frame = data.load("vanishing_commissars") if frame is None else frame
    first = frame.drop_duplicates("photo_id").sort_values("photo_date", kind="stable")
    return {
        str(row.photo_id): f"{row.photo} ({str(row.photo_date)[:4]})"
        for row in first.itertuples(index=False)
    }


def photo_year(photo_id: str, frame: pd.DataFrame | None = None) -> int:
    """The year the photograph was taken.

    >>> photo_year("canal-1937")
    1937
    """
    return int(str(_people(photo_id, frame).iloc[0]["photo_date"])[:4])


def vanished(photo_id: str, year: int, frame: pd.DataFrame | None = None) -> list[str]:
    """Names of the people purged by the end of ``year``, left to right.

    >>> vanished("sverdlov-1920", 1930)
    ['Trotsky']
    """
    rows = _people(photo_id, frame)
    gone = rows["purged_year"].notna() & (rows["purged_year"].fillna(9999) <= year)
    return [str(name) for name in rows.loc[gone, "name"]]


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def vanishing_summary(photo_id: str, year: int, frame: pd.DataFrame | None = None) -> str:
    """The caption: how many of the people had been removed by ``year``, and who.

    >>> vanishing_summary("leningrad-1926", 1937)
    'By 1937, 1 of the 4 people in this picture had been removed: Antipov.'
    """
    total = len(_people(photo_id, frame))
    names = vanished(photo_id, year, frame)
    if not names:
        return f"By {year}, none of the {total} people in this picture had been removed."
    return (
        f"By {year}, {len(names)} of the {total} people in this picture had been removed: "
        f"{_join(names)}."
    )


def _person(ax, x: float, row, gone: bool) -> list[Artist]:  # noqa: ANN001
    """The artists of one person: head, shoulders, name and role (two looks)."""
    style = (
        {"facecolor": "none", "edgecolor": GONE, "linestyle": "--", "linewidth": 1.5}
        if gone
        else {"facecolor": PRESENT, "edgecolor": "black", "linewidth": 1}
    )
    head = Circle((x, 1.25), 0.22, **style)
    body = FancyBboxPatch(
        (x - 0.33, 0.1), 0.66, 0.8, boxstyle="round,pad=0,rounding_size=0.25", **style
    )
    colour = GONE if gone else "black"
    artists: list[Artist] = [ax.add_patch(head), ax.add_patch(body)]
    artists.append(
        ax.text(x, -0.12, str(row.name), ha="center", va="top", fontsize=9.5, color=colour,
                fontweight="normal" if gone else "bold", fontstyle="italic" if gone else "normal")
    )  # fmt: skip
    role = textwrap.fill(str(row.role), 16)
    artists.append(
        ax.text(x, -0.42, role, ha="center", va="top", fontsize=7, color=colour, linespacing=1.1)
    )
    if gone:
        artists.append(
            ax.text(x, 1.6, f"cut out\n(purged {int(row.purged_year)})", ha="center",
                    va="bottom", fontsize=8, color="#555555", fontstyle="italic")
        )  # fmt: skip
    for artist in artists:
        artist.set_gid(f"{'gone' if gone else 'present'}:{row.name}")
    return artists


class PictureView(View):
    """The diagram of one photograph, drawn once with every person in both looks; the key
    is a year, and each person who vanishes is shown present or cut out for it."""

    def __init__(self, photo_id: str, frame: pd.DataFrame | None = None) -> None:
        self.photo_id = photo_id
        self.rows = rows = _people(photo_id, frame)
        first = rows.iloc[0]
        source = sources_of(rows)
        count = len(rows)
        width = max(count, 6) * SPACING + 0.8
        self.looks: dict[tuple[str, str], list[Artist]] = {}
        with house_style():
            figure, ax = new_figure(9, 4.6, source)
            ax.add_patch(
                Rectangle(
                    (0.05, -1.75), width - 0.1, 3.95, facecolor="#f4efe6", edgecolor="#8c7b63"
                )
            )
            ax.text(0.15, 2.1, "A diagram of the photograph, not the photograph itself",
                    va="top", fontsize=8, fontstyle="italic", color="#555555")  # fmt: skip
            for index, row in enumerate(rows.itertuples(index=False)):
                x = width / 2 + (index - (count - 1) / 2) * SPACING
                present = _person(ax, x, row, gone=False)
                if pd.notna(row.purged_year):  # only people who vanish need switching
                    self.looks[("present", row.name)] = present
                    self.looks[("gone", row.name)] = _person(ax, x, row, gone=True)
            ax.set_xlim(0, width)
            ax.set_ylim(-1.8, 2.25)
            ax.set_aspect("equal")
            ax.set_yticks([])
            ax.set_xticks([])
            for side in ("left", "bottom"):
                ax.spines[side].set_visible(False)
            ax.legend(
                handles=[
                    Patch(facecolor=PRESENT, edgecolor="black", label="Still in the picture"),
                    Patch(facecolor="none", edgecolor=GONE, linestyle="--",
                          label="Cut out after being purged"),
                ],
                loc="lower center",
                ncols=2,
                fontsize=9,
            )  # fmt: skip
            label_axes(
                ax,
                f"{first.photo}\n{first.place}, {date_in_words(str(first.photo_date))}",
                "People in the photograph, from left to right",
                "",
            )
            self.year_label = ax.text(width - 0.15, 2.1, "", ha="right", va="top", fontsize=14,
                                      fontweight="bold", color=OKABE_ITO["vermillion"],
                                      gid="year")  # fmt: skip
        dynamic = [artist for artists in self.looks.values() for artist in artists]
        super().__init__(figure, source, [*dynamic, self.year_label])

    def apply(self, year: int) -> str:
        """Show each person as they stood at the end of ``year``; label the year."""
        gone = set(vanished(self.photo_id, year, self.rows))
        for (look, name), artists in self.looks.items():
            for artist in artists:
                artist.set_visible((look == "gone") == (name in gone))
        self.year_label.set_text(f"By {year}")
        return vanishing_summary(self.photo_id, year, self.rows)


def prepare_vanishing_pictures() -> None:
    """Draw every photograph's diagram ahead of time (run in a background thread), so
    that choosing another photograph only re-shows what is already drawn."""
    for photo_id in vanishing_photos():
        PictureView.shared(photo_id).prepare((photo_year(photo_id),))


def vanishing_picture(
    photo_id: str = "sverdlov-1920", year: int = 1941, frame: pd.DataFrame | None = None
) -> Chart:
    """The diagram of one doctored photograph as it stood at the end of ``year``.

    People purged by then are drawn as dashed grey outlines marked "cut out";
    the others are solid blue figures. Each photograph's figure is drawn once
    and reused, so moving through the years is fast.
    """
    view = PictureView.shared(photo_id) if frame is None else PictureView(photo_id, frame)
    return view.chart(year)
