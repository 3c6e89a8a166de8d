"""Widgets for lesson 05: the NKVD's chiefs, one at a time."""

from __future__ import annotations

import html

from .. import charts, data
from .kit import Explorer, explore

__all__ = ["CHIEF_EVENTS", "chief_text", "explore_nkvd_chiefs"]

#: What the NKVD did under each chief, in plain words (by surname). ``{arrests_1937}``
#: and ``{arrests_1938}`` are filled in from ``repression_by_year.csv``.
CHIEF_EVENTS: dict[str, str] = {
    "Yagoda": (
        "Before 1934 Yagoda already ran the secret police in practice, as deputy to the OGPU "
        "chief Menzhinsky, and oversaw the labour camps where prisoners built the White "
        "Sea–Baltic Canal (1931–1933). He became the first head of the NKVD in July 1934. "
        "After Kirov's murder in December 1934, a new law let the NKVD rush 'terrorism' "
        "cases through with no defence lawyer and no appeal. Yagoda prepared the first "
        "Moscow show trial (Zinoviev and Kamenev, August 1936). In September 1936 Stalin "
        "complained that the NKVD was 'four years behind' in unmasking enemies, and Yagoda "
        "was replaced."
    ),
    "Yezhov": (
        "Yezhov ran the NKVD in the worst years of the terror, 1937–1938, which Russians "
        "call the 'Yezhovshchina' (Yezhov's time). His NKVD carried out Order 00447 and the "
        "'national operations', prepared the second and third Moscow show trials and purged "
        "the Red Army. NKVD figures record {arrests_1937} arrests in 1937 and {arrests_1938} "
        "in 1938. Interrogators were allowed to beat prisoners to get confessions. In 1938 "
        "Stalin began to turn against him: Beria became his deputy in August, the mass "
        "operations were stopped in November and Yezhov was replaced. After his execution he "
        "was removed from official photographs."
    ),
    "Beria": (
        "Beria, the party boss of Georgia, took over in November 1938, just after the mass "
        "operations had been stopped. Yezhov was blamed for 'excesses', some prisoners were "
        "released and many of Yezhov's NKVD officers were themselves arrested. But arrests "
        "and executions went on on a smaller scale, and the Gulag kept growing. In 1940 the "
        "NKVD shot about 22,000 Polish officers and other prisoners (the Katyn massacre), and "
        "an NKVD agent murdered Trotsky in Mexico. Beria stayed one of Stalin's most powerful "
        "ministers until Stalin died in 1953; he then lost the struggle for power."
    ),
}


def _arrests() -> dict[str, str]:
    years = data.load("repression_by_year").dropna(subset=["arrests"])
    return {f"arrests_{int(row.year)}": f"{int(row.arrests):,}" for row in years.itertuples()}


def chief_text(choice: str) -> str:
    """Plain text for one chief: his time in charge, what happened under him, his fate.

    >>> print(chief_text("Nikolai Yezhov").splitlines()[0])
    In charge: 26 September 1936 to 25 November 1938.
    """
    if choice == charts.ALL_CHIEFS:
        return (
            "Choose a chief from the list to see his time in charge, what the NKVD did under "
            "him and what happened to him.\n"
            "Look for the pattern: every one of the three was later shot, two of them by "
            "their own former police."
        )
    chiefs = data.load("nkvd_chiefs")
    rows = chiefs[chiefs["name"] == choice]
    if rows.empty:
        raise ValueError(f"no NKVD chief called {choice!r}")
    row = rows.iloc[0]
    surname = choice.split()[-1]
    events = CHIEF_EVENTS[surname].format(**_arrests())
    return (
        f"In charge: {charts.date_in_words(row.start)} to {charts.date_in_words(row.end)}.\n"
        f"What happened under him: {events}\n"
        f"His fate: {row.fate} ({charts.date_in_words(row.fate_date)})."
    )


def _details(choice: str) -> str:
    paragraphs = []
    for line in chief_text(choice).splitlines():
        head, sep, rest = line.partition(": ")
        if sep and head in ("In charge", "What happened under him", "His fate"):
            paragraphs.append(f"<p><b>{html.escape(head)}:</b> {html.escape(rest)}</p>")
        else:
            paragraphs.append(f"<p>{html.escape(line)}</p>")
    return "".join(paragraphs)


def explore_nkvd_chiefs(chief: str | None = None) -> Explorer:
    """An "NKVD chief" drop-down over the chiefs' timeline, with each man's story below."""
    view = charts.ChiefsView()
    return explore(
        view.chart,
        [charts.ALL_CHIEFS, *view.names],
        description="NKVD chief",
        value=chief,
        details=_details,
    )
