"""GrowthTable per förbund and year from a file: the yearly rates of a simulation or forecast.

One row per förbund and year; the columns are the förbund, the year and one
rate per quantity that changes (population 16–64, support measure, matching),
with Swedish or English headers::

    Förbund;År;Invånare 16-64;Försörjningsmått;Matchning
    Samordningsförbundet Uppsala;2028;1,2 %;-0,5 %;0,02

A rate is a fraction (``0.02``, ``0,02``) or a percentage (``2 %``); it is the
change from the year before to this year. A blank cell is an error, never 0: a
förbund that does not change in a year is either left out of the file or has 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from finsam_opt.errors import InputError
from finsam_opt.io.numbers import NumberProblem, parse_number
from finsam_opt.io.tables import read_plain_table
from finsam_opt.language.words import SWEDISH_HEADERS

__all__ = ["GROWTH_HEADERS", "GrowthTable", "read_growth", "read_history"]

GROWTH_HEADERS: dict[str, tuple[str, ...]] = {
    "unit": ("unit", "förbund", "samordningsförbund"),
    "year": ("year", "år"),
    "population": ("population", "invånare 16-64", "invånare"),
    "support_measure": ("support_measure", "support measure", "försörjningsmått"),
    "matching": ("matching", "matchning"),
}
"""Accepted headers (any case) of each column of a growth file."""

_RATES = ("population", "support_measure", "matching")

_SV = {
    **{c: SWEDISH_HEADERS[c] for c in ("unit", "year", "population", "support_measure")},
    "matching": "Matchning",
}
"""The Swedish header of each column of a growth file, for messages."""


@dataclass(frozen=True)
class GrowthTable:
    """Yearly rates per förbund, read from a file: one table (förbund × year) per quantity.

    Attributes
    ----------
    population, support_measure, matching : pandas.DataFrame or None
        Rates (0.02 is +2 %), förbund as rows and years as columns; a förbund or
        year not in the file does not change. None when the file has no such column.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from finsam_opt.io import read_growth
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "tillväxt.csv"
    >>> _ = path.write_text("Förbund;År;Försörjningsmått\\nB;2;10 %\\nB;3;-0,05\\n",
    ...                     encoding="utf-8")
    >>> read_growth(path).support_measure.loc["B"].tolist()
    [0.1, -0.05]
    """

    population: pd.DataFrame | None = None
    support_measure: pd.DataFrame | None = None
    matching: pd.DataFrame | None = None


def read_growth(path: str | Path, sheet: str | None = None) -> GrowthTable:
    """Read a growth file (CSV or xlsx, Swedish or English headers).

    Parameters
    ----------
    path : str or pathlib.Path
        The ``.csv`` or ``.xlsx`` file: one row per förbund and year.
    sheet : str, optional
        The sheet of an .xlsx file; the first by default.

    Returns
    -------
    GrowthTable

    Raises
    ------
    InputError
        An unknown or missing column, a blank or non-numeric rate, a rate at or
        below −100 %, a year that is not a whole number, or a förbund and year given
        twice; the message names the file, the row, the förbund and the column.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from finsam_opt.io import read_growth
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "growth.csv"
    >>> _ = path.write_text("unit,year,population\\nA,2,0.01\\n", encoding="utf-8")
    >>> read_growth(path).population
         2
    A  0.01
    """
    path = Path(path)
    frame = read_plain_table(path, sheet)
    names = {}
    for column in frame.columns:
        canonical = _canonical(str(column))
        if canonical is None:
            known = ", ".join(f"'{h[0]}'/'{h[1]}'" for h in GROWTH_HEADERS.values())
            raise InputError(
                f"{path.name}: unknown column '{column}'; a growth file has {known}",
                sv=f"{path.name}: okänd kolumn '{column}'; en tillväxtfil har kolumnerna "
                f"{', '.join(repr(h) for h in _SV.values())}",
                column=str(column),
            )
        names[column] = canonical
    frame = frame.rename(columns=names)
    for required in ("unit", "year"):
        if required not in frame.columns:
            raise InputError(
                f"{path.name}: the column '{required}' is missing",
                sv=f"{path.name}: kolumnen '{_SV[required]}' saknas",
                column=required,
            )
    rates = [c for c in _RATES if c in frame.columns]
    if not rates:
        raise InputError(
            f"{path.name}: no rate column; give population, support_measure or matching",
            sv=f"{path.name}: ingen kolumn med tillväxttakt; ange '{_SV['population']}', "
            f"'{_SV['support_measure']}' eller '{_SV['matching']}'",
            column="growth",
        )
    rows = []
    for number, record in enumerate(frame.to_dict("records"), start=1):
        unit = record["unit"]
        where = f"{path.name}, data row {number}, unit {unit!r}"
        var = f"{path.name}, datarad {number}, förbundet {unit!r}"
        if unit is None or (isinstance(unit, float) and math.isnan(unit)):
            raise InputError(
                f"{path.name}, data row {number}: the unit is blank",
                sv=f"{path.name}, datarad {number}: kolumnen '{_SV['unit']}' är tom",
                column="unit",
            )
        year = _year(record["year"], where, var)
        rows.append(
            {
                "unit": unit,
                "year": year,
                **{
                    c: _rate(record[c], f"{where}, column '{c}'", f"{var}, kolumnen '{_SV[c]}'", c)
                    for c in rates
                },
            }
        )
    table = pd.DataFrame(rows)
    twice = table.duplicated(["unit", "year"])
    if twice.any():
        first = table[twice].iloc[0]
        raise InputError(
            f"{path.name}: unit {first['unit']!r}, year {first['year']} is given twice",
            sv=f"{path.name}: förbundet {first['unit']!r}, år {first['year']} finns två gånger",
            column="year",
            units=[first["unit"]],
        )
    tables = {
        c: table.pivot(index="unit", columns="year", values=c)
        .rename_axis(None)
        .rename_axis(None, axis=1)
        for c in rates
    }
    return GrowthTable(**tables)


def _canonical(header: str) -> str | None:
    text = " ".join(header.strip().lower().split())
    for canonical, aliases in GROWTH_HEADERS.items():
        if text in aliases:
            return canonical
    return None


def _year(value: object, where: str, var: str) -> int:
    """``value`` as a year; ``where`` names the cell in English, ``var`` in Swedish."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
        raise InputError(
            f"{where}, column 'year': a year is a whole number, got {value!r}",
            sv=f"{var}, kolumnen '{_SV['year']}': ett år är ett heltal, inte {value!r}",
            column="year",
        )
    return int(value)


def _rate(value: object, where: str, var: str, column: str) -> float:
    """``value`` as a rate; ``where`` names the cell in English, ``var`` in Swedish."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise InputError(
            f"{where}: the rate is blank; write 0 for no change",
            sv=f"{var}: tillväxttakten är tom; skriv 0 för ingen förändring",
            column=column,
        )
    how = "skriv en andel (0,02) eller en procentsats (2 %)"
    if isinstance(value, bool):
        raise InputError(
            f"{where}: not a rate: {value!r}",
            sv=f"{var}: ingen tillväxttakt: {value!r}; {how}",
            column=column,
        )
    if isinstance(value, (int, float)):
        rate = float(value)
    else:
        text = str(value).strip()
        percent = text.endswith("%")
        try:
            number, unit = parse_number(text.rstrip("%").strip())
        except NumberProblem as error:
            raise InputError(
                f"{where}: not a rate: {value!r} ({error})",
                sv=f"{var}: ingen tillväxttakt: {value!r} ({error.swedish}); {how}",
                column=column,
            ) from None
        if unit is not None:
            raise InputError(
                f"{where}: a rate has no amount unit, got {value!r}",
                sv=f"{var}: en tillväxttakt har ingen beloppsenhet, inte {value!r}; {how}",
                column=column,
            )
        rate = float(number) / (100 if percent else 1)
    if not math.isfinite(rate) or rate <= -1:
        raise InputError(
            f"{where}: a rate must be finite and > −100 %, got {value!r}",
            sv=f"{var}: en tillväxttakt måste vara ändlig och större än −100 %, inte {value!r}",
            column=column,
        )
    return rate


def read_history(path: str | Path, sheet: str | None = None) -> pd.DataFrame:
    """Read a history of levels: one row per förbund, one column per year (CSV or xlsx).

    The first column names the förbund (``Förbund`` or ``unit``); every other
    header is a year. The levels (a population or a support measure) are what
    :meth:`finsam_opt.Drift.fit` fits a drift to; a blank or non-positive level
    is refused there, naming the förbund and year.

    Parameters
    ----------
    path : str or pathlib.Path
        The ``.csv`` or ``.xlsx`` file.
    sheet : str, optional
        The sheet of an .xlsx file; the first by default.

    Returns
    -------
    pandas.DataFrame
        Levels, förbund as rows and years (int) as columns, in the file's order.

    Raises
    ------
    InputError
        The first column is not the förbund, a header is not a year, a year is
        given twice, or a förbund twice.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from finsam_opt.io import read_history
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "historik.csv"
    >>> _ = path.write_text("Förbund;2022;2023;2024\\nB;100;104;107\\n", encoding="utf-8")
    >>> read_history(path).loc["B"].tolist()
    [100, 104, 107]
    """
    path = Path(path)
    frame = read_plain_table(path, sheet)
    first = str(frame.columns[0])
    if _canonical(first) != "unit":
        raise InputError(
            f"{path.name}: the first column must name the förbund ('Förbund' or 'unit'), "
            f"got '{first}'",
            sv=f"{path.name}: den första kolumnen ska ange förbundet ('Förbund' eller 'unit'), "
            f"inte '{first}'",
            column=first,
        )
    years = []
    for header in frame.columns[1:]:
        text = str(header).strip()
        if not text.isdigit():
            raise InputError(
                f"{path.name}: column '{header}' is not a year; a history has one column per year",
                sv=f"{path.name}: kolumnen '{header}' är inget år; en historik har en kolumn "
                "per år",
                column=text,
            )
        years.append(int(text))
    if len(set(years)) != len(years):
        raise InputError(
            f"{path.name}: a year is given twice",
            sv=f"{path.name}: ett år finns två gånger",
            column="year",
        )
    units = frame.iloc[:, 0]
    twice = units[units.duplicated()]
    if len(twice):
        raise InputError(
            f"{path.name}: unit {twice.iloc[0]!r} is given twice",
            sv=f"{path.name}: förbundet {twice.iloc[0]!r} finns två gånger",
            column=first,
            units=[twice.iloc[0]],
        )
    levels = frame.iloc[:, 1:].set_axis(years, axis=1)
    return levels.set_axis(pd.Index(units.tolist()), axis=0)
