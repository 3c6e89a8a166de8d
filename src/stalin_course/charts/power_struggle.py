"""Charts for lesson 01: the Politburo during the power struggle, 1924-1930."""

from __future__ import annotations

import re
import textwrap

import pandas as pd

from .. import data
from .style import OKABE_ITO, Chart, house_style, label_axes, new_figure, sources_of
from .view import View

__all__ = [
    "FACTION_COLOURS",
    "PolitburoView",
    "politburo_members",
    "politburo_summary",
    "politburo_timeline",
]

#: Colour and hatch pattern (a second cue besides colour) for each faction.
FACTION_COLOURS: dict[str, tuple[str, str, str]] = {
    "Stalin": (OKABE_ITO["vermillion"], "", "Stalin"),
    "Left": (OKABE_ITO["blue"], "//", "Left (Trotsky, Zinoviev, Kamenev)"),
    "Right": (OKABE_ITO["bluish green"], "..", "Right (Bukharin, Rykov, Tomsky)"),
    "": (OKABE_ITO["grey"], "xx", "No faction"),
}


def _politburo(frame: pd.DataFrame | None) -> pd.DataFrame:
    frame = data.load("politburo_1924") if frame is None else frame
    return frame.assign(faction=frame["faction"].fillna("").astype(str))


def politburo_members(year: int, frame: pd.DataFrame | None = None) -> list[str]:
    """Names of the 1924 Politburo still members at the end of ``year``, first to leave first.

    A member counts if they joined in or before ``year`` and left after it.

    >>> politburo_members(1930)
    ['Stalin']
    """
    frame = _politburo(frame).sort_values("left_politburo", kind="stable")
    inside = (frame["joined_politburo"] <= year) & (frame["left_politburo"] > year)
    return [str(name) for name in frame.loc[inside.fillna(False), "name"]]


def _short_fate(fate: str, year: int, width: int = 44) -> str:
    """The last step of a fate, with its year, on at most two lines.

    >>> print(_short_fate("expelled from the party; shot after the first Moscow show trial", 1936))
    shot after the first Moscow show trial
    (1936)
    """
    last = re.split(r"; |, then ", fate)[-1]
    lines = textwrap.wrap(f"{last} ({year})", width=width)
    if len(lines) > 2:
        short = textwrap.shorten(last, width=2 * width - 12, placeholder="…")
        lines = textwrap.wrap(f"{short} ({year})", width=width)
    return "\n".join(lines)


def _join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def politburo_summary(year: int, frame: pd.DataFrame | None = None) -> str:
    """One sentence on who was still in the Politburo at the end of ``year``.

    >>> politburo_summary(1930)
    'At the end of 1930, 1 of the 8 men in the 1924 Politburo was still a member: Stalin.'
    """
    frame = _politburo(frame)
    names = politburo_members(year, frame)
    verb = "was still a member" if len(names) == 1 else "were still members"
    return (
        f"At the end of {year}, {len(names)} of the {len(frame)} men in the 1924 Politburo "
        f"{verb}: {_join_names(names) or 'none'}."
    )


class PolitburoView(View):
    """The 1924 Politburo as a timeline, one bar per man, coloured by faction; the key is a
    year (or None), marked by a dashed line that moves without redrawing the rest.

    Bars run from the year a man joined to the year he left (bars touching the
    left edge began before ``start``; an arrow means he stayed after ``end``).
    A black cross marks a fate (such as death) inside the years shown.
    """

    def __init__(
        self, frame: pd.DataFrame | None = None, start: int = 1924, end: int = 1930
    ) -> None:
        self.frame = frame = _politburo(frame).sort_values("left_politburo", kind="stable")
        self.end = end
        source = sources_of(frame)
        left_edge, right_edge = start - 0.5, end + 1
        with house_style():
            figure, ax = new_figure(10, 5.8, source)
            seen: set[str] = set()
            rows = list(frame.itertuples(index=False))
            for row_number, row in enumerate(rows):
                y = len(rows) - 1 - row_number
                colour, hatch, label = FACTION_COLOURS.get(row.faction, FACTION_COLOURS[""])
                begin = max(float(row.joined_politburo), left_edge)
                finish = min(float(row.left_politburo), right_edge)
                (bar,) = ax.barh(
                    y,
                    max(finish - begin, 0),
                    left=begin,
                    height=0.6,
                    color=colour,
                    hatch=hatch,
                    edgecolor="white",
                    label=None if label in seen else label,
                )
                bar.set_gid(str(row.name))
                seen.add(label)
                if row.left_politburo > end:
                    ax.plot(right_edge, y, marker=">", color=colour, markersize=9)
                if start <= row.fate_year <= end:
                    ax.plot(row.fate_year, y, marker="X", color="black", markersize=10)
                ax.annotate(
                    _short_fate(str(row.fate), int(row.fate_year)),
                    (right_edge + 0.25, y),
                    va="center",
                    fontsize=8,
                    linespacing=1.1,
                    annotation_clip=False,
                )
            ax.set_yticks(range(len(rows)), [str(r.name) for r in reversed(rows)])
            ax.set_ylim(-0.6, len(rows) + 0.1)
            ax.set_xlim(left_edge, right_edge + 0.1)
            ax.set_xticks([y + 0.5 for y in range(start, end + 1)], range(start, end + 1))
            ax.tick_params(axis="x", length=0)
            for boundary in range(start, end + 2):
                ax.axvline(boundary, color="#dddddd", linewidth=0.8, zorder=0)
            label_axes(
                ax,
                f"Who stayed? The 1924 Politburo, {start}–{end}",
                "Year (a bar covers each year that a man was still a member at its end)",
                "Member of the 1924 Politburo",
            )
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=len(seen), fontsize=9)
            self.line = ax.axvline(0, color="black", linestyle="--", linewidth=1.5, gid="year")
            self.label = ax.text(
                0, len(rows) - 0.45, "", fontweight="bold", va="center", gid="year-label"
            )
        self.line.set_visible(False)
        self.label.set_visible(False)
        super().__init__(figure, source, [self.line, self.label])

    def apply(self, year: int | None) -> str:
        """Put the dashed line in the middle of ``year`` (none if None)."""
        self.line.set_visible(year is not None)
        self.label.set_visible(year is not None)
        if year is None:
            return politburo_summary(self.end, self.frame)
        self.line.set_xdata([year + 0.5, year + 0.5])
        self.label.set_x(year + 0.5)
        self.label.set_text(f" {year}")
        return politburo_summary(year, self.frame)


def politburo_timeline(
    year: int | None = None,
    frame: pd.DataFrame | None = None,
    start: int = 1924,
    end: int = 1930,
) -> Chart:
    """Draw the 1924 Politburo as a timeline (see :class:`PolitburoView`). If ``year`` is
    given, a dashed line marks the middle of that year and the summary lists who was still
    a member at its end; ``chart.at(year)`` moves it on the same figure."""
    return PolitburoView(frame, start, end).chart(year)
