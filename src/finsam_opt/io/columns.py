"""Column names: canonical English names and the Swedish headers users write.

A header is matched case- and whitespace-insensitively, with en dashes read as
hyphens, after an amount unit in brackets or after a comma has been split off:
``"Föregående års tilldelning (tkr)"`` is ``previous_allocation`` in thousands
of kronor. A population header may name its age band (``"Invånare 16-65"``);
the reader accepts it only when that band is the one declared (docs/model.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from finsam_opt.io.numbers import AMOUNT_UNITS
from finsam_opt.language.words import DECISION_HEADERS, SWEDISH_HEADERS

__all__ = [
    "AGE_BANDS",
    "AMOUNT_COLUMNS",
    "COUNT_COLUMNS",
    "INFORMATION_HEADERS",
    "SWEDISH_HEADERS",
    "Header",
    "canonical_name",
    "normalize_header",
    "parse_header",
]

_ALIASES: dict[str, tuple[str, ...]] = {
    "unit": ("samordningsförbund", "forbund", "unit_id"),
    "municipality_code": ("kommunnummer", "kommun kod"),
    "municipality_name": ("kommunnamn",),
    "region": ("län", "lan", "county", "county_name"),
    "year": ("ar",),
    "population": ("invånare", "befolkning"),
    "support_measure": ("forsorjningsmatt",),
    "previous_allocation": ("föregående tilldelning", "tilldelning föregående år"),
    "requested": ("ansökt statligt belopp", "önskad statlig tilldelning"),
    "municipal_match": ("kommunens bidrag", "bidrag från kommunerna"),
    "regional_match": ("bidrag från regionen",),
    "equity": (),
    "turnover": (),
    "application": ("ansökt tilläggsbelopp", "ansökan", "ansökt extra belopp"),
    "municipal_extra": ("kommunernas tilläggsbidrag", "extra bidrag från kommunerna"),
    "regional_extra": ("regionens tilläggsbidrag", "extra bidrag från regionen"),
    "comment": ("kommentarer", "anmärkning", "anmärkningar", "comments", "note", "notes"),
    "returned": (
        "återlämnat",
        "återbetalt",
        "återbetalda medel",
        "återlämnade",
        "funds handed back",
    ),
    "answered_on": ("inkom", "inkom den", "inkommet", "ankomstdatum", "svarsdag", "date answered"),
}

AMOUNT_COLUMNS: frozenset[str] = frozenset(
    {
        "support_measure",
        "previous_allocation",
        "requested",
        "municipal_match",
        "regional_match",
        "equity",
        "turnover",
        "application",
        "municipal_extra",
        "regional_extra",
        "returned",
    }
)
"""Columns in kronor: a ``kr``/``tkr``/``Mkr`` unit in header or cell is applied."""

COUNT_COLUMNS: frozenset[str] = frozenset({"population"})
"""Numeric columns that are counts: an amount unit there is an error."""

AGE_BANDS: tuple[str, ...] = ("16-64", "16-65")
"""The age bands a population column may count: the model's 16–64 and SCB's later 16–65."""

_AGE_BAND = re.compile(
    r"^(?:invånare|invanare|befolkning|inv\.?|population|folkmängd)\s*(?:i åldern\s*)?"
    r"(?P<band>\d{1,2}-\d{1,2})(?:\s*år)?$"
)

_UNIT_IN_HEADER = re.compile(r"^(?P<name>.*?)\s*(?:\((?P<b>[a-z]+)\)|,\s*(?P<c>[a-z]+))$")


def normalize_header(text: str) -> str:
    """Casefold, read dashes as hyphens and collapse whitespace."""
    text = str(text).replace("\u2013", "-").replace("\u2014", "-").replace("\u2212", "-")
    text = re.sub(r"\s*-\s*", "-", text)
    return " ".join(text.replace("\u00a0", " ").split()).casefold()


def _without_unit(text: str) -> str:
    match = _UNIT_IN_HEADER.match(normalize_header(text))
    return match.group("name") if match else normalize_header(text)


_LOOKUP: dict[str, str] = {}
for _name, _swedish in SWEDISH_HEADERS.items():
    # The headers finsam_opt writes itself (both languages) read back as their column.
    _written = DECISION_HEADERS[_name][:2] if _name in DECISION_HEADERS else ()
    for _alias in (_name, _swedish, *_ALIASES[_name], *map(_without_unit, _written)):
        _LOOKUP[normalize_header(_alias)] = _name

INFORMATION_HEADERS: frozenset[str] = frozenset(
    normalize_header(text)
    for name, (swedish, english, _kind) in DECISION_HEADERS.items()
    if name not in SWEDISH_HEADERS
    for text in (name, swedish, english)
) | {
    # The answer template's preliminary amount; the shipped national data's own columns.
    normalize_header(text)
    for text in ("Preliminär tilldelning (kr)", "population_total", "source", "membership_source")
}
"""Headers of columns finsam_opt computes and writes (decision tables, answer templates).

A reader skips them: they are information, not input. Any other header that
names no column is an error (docs/data.md).
"""


@dataclass(frozen=True)
class Header:
    """A parsed header: the canonical column (None if unknown) and its unit."""

    text: str
    name: str | None
    unit: str | None
    band: str | None = None  # the age band a population header names, e.g. "16-65"


def canonical_name(text: str) -> str | None:
    """The canonical column a header means, ignoring a unit suffix; None if unknown."""
    return parse_header(text).name


def parse_header(text: str) -> Header:
    """Split ``'Ansökt belopp (tkr)'`` into ``Header(name='requested', unit='tkr')``.

    ``'Invånare 16-65'`` is ``Header(name='population', band='16-65')``.
    """
    normal = normalize_header(text)
    band = _AGE_BAND.match(normal)
    if band:
        return Header(str(text), "population", None, band.group("band"))
    if normal in _LOOKUP:
        return Header(str(text), _LOOKUP[normal], None)
    match = _UNIT_IN_HEADER.match(normal)
    if match:
        unit = match.group("b") or match.group("c")
        if unit in AMOUNT_UNITS:
            return Header(str(text), _LOOKUP.get(match.group("name")), unit)
    return Header(str(text), None, None)


def known_headers() -> list[str]:
    """Every normalized header text that names a column (for near-miss hints)."""
    return list(_LOOKUP)


def accepted_headers(name: str) -> list[str]:
    """The normalized headers that name the canonical column ``name``."""
    return [text for text, column in _LOOKUP.items() if column == name]
