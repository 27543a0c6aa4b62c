"""Reading unit, municipality, membership and answer tables from CSV or Excel.

One validation gate per table: every cell is parsed and checked before a
DataFrame is built, and the first problem is raised as an :class:`InputError`
naming the file, the sheet, the row as the user sees it (1-based, counting the
header) and the column as written in the file. Nothing is returned half.

What the gate refuses rather than guesses (docs/data.md, docs/data.md): a CSV
row with more or fewer fields than its header; a formula saved without its
computed value; a control or invisible character, or more than
:data:`MAX_TEXT_CHARS` characters, in a text cell; an amount above
:data:`MAX_AMOUNT`; two names that differ only in case, spaces or Unicode
form; a population header for another age band than the one declared.
Names are stored in Unicode NFC with single spaces.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl.utils.cell import coordinate_to_tuple

from finsam_opt.domain.parameters import MAX_AMOUNT
from finsam_opt.domain.staircase import Staircase
from finsam_opt.domain.units import name_key, text_problem
from finsam_opt.errors import InputError, describe_units
from finsam_opt.io.columns import (
    AGE_BANDS,
    AMOUNT_COLUMNS,
    COUNT_COLUMNS,
    INFORMATION_HEADERS,
    SWEDISH_HEADERS,
    Header,
    accepted_headers,
    known_headers,
    normalize_header,
    parse_header,
)
from finsam_opt.io.numbers import AMOUNT_UNITS, NumberProblem, parse_date, parse_number
from finsam_opt.io.raw import ErrorValue, Place, Sheet, Uncomputed, read_cells, refuse_hidden
from finsam_opt.io.safe import restore
from finsam_opt.language.numbers import format_number

__all__ = [
    "SCHEMAS",
    "TOTAL_LABELS",
    "Schema",
    "name_key",
    "read_answers_table",
    "read_applications",
    "read_memberships",
    "read_municipalities",
    "read_plain_table",
    "read_staircase",
    "read_table",
    "read_units",
    "with_unit_names",
]

NO_LIMIT_WORDS: frozenset[str] = frozenset({"ingen gräns", "no limit", "inf"})
"""How a file says "no limit" in a limit column (a blank cell is no answer, docs/model.md)."""

_LIMIT_COLUMNS = frozenset(
    {"requested", "municipal_match", "regional_match", "municipal_extra", "regional_extra"}
)

TOTAL_LABELS = frozenset({"totalt", "summa", "total", "sum"})
"""A row whose id cell says exactly this is a totals row and is skipped."""

_TOTAL_LIKE = re.compile(r"^(?:summa|s:a|totalsumma|totalt?|sum)(?![a-zåäö0-9])")
"""A row whose id cell starts like a (sub)total ("Summa:", "S:a", "Summa Stockholms län")."""

_HEADER_SEARCH_ROWS = 20
_THOUSANDS_OR_DECIMAL = re.compile(r"^\s*[+-]?\d{1,3}[,.]\d{3}\s*(?:kr\.?)?\s*$", re.IGNORECASE)
_NEAR_MISS_CUTOFF = 0.85
_CODE = re.compile(r"^\d{4}$")
_TEXT_COLUMNS = frozenset({"unit", "municipality_code", "municipality_name", "region", "comment"})
_NAME_COLUMNS = frozenset({"unit", "municipality_name", "region"})
_DATE_COLUMN = "answered_on"  # when an answer or application came in (docs/process.md)
_ID_SV = {"unit": "ett förbund", "municipality_code": "en kommunkod"}  # "not a unit"

_EXCEL_ERRORS_SV = {
    "#REF!": "#REFERENS!",
    "#N/A": "#SAKNAS!",
    "#DIV/0!": "#DIVISION/0!",
    "#VALUE!": "#VÄRDEFEL!",
    "#NAME?": "#NAMN?",
    "#NUM!": "#OGILTIGT!",
    "#NULL!": "#SKÄRNING!",
}
"""What Swedish Excel shows for the error a file stores (in English, whatever the language)."""


@dataclass(frozen=True)
class Schema:
    """What a table of one kind must and may contain."""

    kind: str
    id_column: str | None
    required: tuple[str, ...]
    optional: tuple[str, ...]
    nonnegative: bool = True

    @property
    def columns(self) -> tuple[str, ...]:
        return ((self.id_column,) if self.id_column else ()) + self.required + self.optional


SCHEMAS: dict[str, Schema] = {
    "units": Schema(
        "units",
        "unit",
        ("population", "support_measure"),
        (
            "previous_allocation",
            "requested",
            "municipal_match",
            "regional_match",
            "equity",
            "turnover",
            "region",
        ),
    ),
    "municipalities": Schema(
        "municipalities",
        "municipality_code",
        ("region", "population", "support_measure"),
        ("municipality_name",),
    ),
    "unit_data": Schema(
        "unit_data",
        "unit",
        (),
        (
            "previous_allocation",
            "requested",
            "municipal_match",
            "regional_match",
            "equity",
            "turnover",
        ),
    ),
    "memberships": Schema("memberships", None, ("municipality_code", "unit"), ("year",)),
    "answers": Schema(
        "answers",
        "unit",
        (),
        ("requested", "municipal_match", "regional_match", "comment", "answered_on"),
    ),
    "returns": Schema("returns", "unit", ("returned",), ("comment",)),
    "applications": Schema(
        "applications",
        "unit",
        ("application",),
        ("municipal_extra", "regional_extra", "comment", "answered_on"),
    ),
}
"""The table kinds :func:`read_table` knows."""


def _shown(name: str) -> str:
    return f"'{SWEDISH_HEADERS[name]}' ({name})"


def _listed_sv(names: Iterable[str]) -> str:
    """``'A', 'B' och 'C'``: the Swedish headers of canonical columns."""
    quoted = [f"'{SWEDISH_HEADERS[n]}'" for n in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} och {quoted[-1]}"


def _columns_sv(names: list[str]) -> str:
    """``kolumnen 'A'`` or ``kolumnerna 'A' och 'B'``."""
    return f"{'kolumnen' if len(names) == 1 else 'kolumnerna'} {_listed_sv(names)}"


def read_table(
    path: str | Path, kind: str, sheet: str | None = None, *, age_band: str = "16-64"
) -> pd.DataFrame:
    """Read and validate a table of the given kind from a CSV or .xlsx file.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` (``;``, ``,`` or tab separated, UTF-8 or Windows-1252) or ``.xlsx``.
    kind : str
        ``'units'``, ``'municipalities'``, ``'memberships'``, ``'answers'``,
        ``'applications'`` (the spring call for ofördelade medel) or
        ``'unit_data'`` (per-unit amounts without statistics, to be joined to
        municipality data).
    sheet : str, optional
        The sheet of an .xlsx file; the first sheet by default.
    age_band : str
        The age band the population column counts, ``'16-64'`` (the model's)
        or ``'16-65'`` (SCB's later order). A header naming another band
        (``'Invånare 16-65'`` when 16–64 is declared) is an error.

    Returns
    -------
    pandas.DataFrame
        Canonical English column names; amounts in kronor (float); indexed by
        the id column (``unit`` or ``municipality_code``) when the kind has one.

    Raises
    ------
    InputError
        The first problem, naming file, sheet, row and column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from finsam_opt.io import read_table
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> path = folder / "förbund.csv"
    >>> _ = path.write_text("Förbund,Invånare 16-64,Försörjningsmått\\nAlfa,120000,2100000000,5\\n")
    >>> try:
    ...     read_table(path, "units")
    ... except Exception as error:
    ...     print(error)  # doctest: +ELLIPSIS
    förbund.csv, line 2: 4 fields, but the header (line 1) has 3; ...
    """
    if kind not in SCHEMAS:
        raise InputError(
            f"unknown table kind {kind!r}; one of {sorted(SCHEMAS)}",
            sv=f"okänd tabelltyp {kind!r}; en av {sorted(SCHEMAS)}",
        )
    if age_band not in AGE_BANDS:
        raise InputError(
            f"unknown age band {age_band!r}; one of {', '.join(AGE_BANDS)}",
            sv=f"okänt åldersintervall {age_band!r}; ett av {', '.join(AGE_BANDS)}",
            column="population",
        )
    schema = SCHEMAS[kind]
    cells = read_cells(path, sheet)
    header_index, headers = _find_header(cells, schema)
    columns = _map_columns(cells, header_index, headers, schema, age_band)
    _refuse_merged(cells, header_index, headers, columns)
    refuse_hidden(cells, header_index, columns.values())
    return _build(cells, header_index, headers, columns, schema)


def read_units(
    path: str | Path, sheet: str | None = None, *, age_band: str = "16-64"
) -> pd.DataFrame:
    """Read a unit table (one row per förbund); see :func:`read_table`."""
    return read_table(path, "units", sheet, age_band=age_band)


def read_municipalities(
    path: str | Path, sheet: str | None = None, *, age_band: str = "16-64"
) -> pd.DataFrame:
    """Read municipality statistics (one row per kommun); see :func:`read_table`."""
    return read_table(path, "municipalities", sheet, age_band=age_band)


def read_memberships(path: str | Path, sheet: str | None = None) -> pd.DataFrame:
    """Read a membership table (kommun → förbund, optionally per year)."""
    return read_table(path, "memberships", sheet)


def read_answers_table(path: str | Path, sheet: str | None = None) -> pd.DataFrame:
    """Read a filled-in answer template (svarsmall); see :func:`read_table`."""
    return read_table(path, "answers", sheet)


def read_applications(
    path: str | Path, sheet: str | None = None, *, units: Iterable[object] | None = None
) -> pd.DataFrame:
    """Read applications for ofördelade medel (one row per förbund that applies).

    Column ``application`` (``Ansökan ofördelade medel``) is required;
    ``municipal_extra`` and ``regional_extra`` (the additional matching) are
    optional columns; a blank cell in them is refused (no answer; ``ingen
    gräns`` says no limit). With ``units`` (the unit table's ids), a förbund whose name
    differs only in case, spaces or Unicode form is named as in the unit
    table (docs/data.md). See :func:`read_table`.
    """
    table = read_table(path, "applications", sheet)
    for name in ("municipal_extra", "regional_extra"):
        blank = table[name].isna().to_numpy() if name in table.columns else np.array([])
        if blank.any():
            ids = list(table.index[blank])
            raise InputError(
                f"{Path(path).name}: {describe_units(ids)}: column '{SWEDISH_HEADERS[name]}' "
                "is empty, and a blank is no answer, not 'no limit' (MODEL.md §4a); write the "
                "amount, or 'ingen gräns' for no limit",
                sv=f"{Path(path).name}: {describe_units(ids, 'sv')}: kolumnen "
                f"'{SWEDISH_HEADERS[name]}' är tom, och en tom cell är inget svar, inte 'ingen "
                "gräns' (MODEL.md §4a); skriv beloppet, eller 'ingen gräns' om det inte finns "
                "någon gräns",
                column=name,
                units=ids,
            )
    return table if units is None else with_unit_names(table, units)


def with_unit_names(table: pd.DataFrame, units: Iterable[object]) -> pd.DataFrame:
    """``table`` indexed by the unit table's spelling of each name (same :func:`name_key`).

    Names that match no unit are kept as written, for the caller to report.

    Parameters
    ----------
    table : pandas.DataFrame
        Indexed by unit name, as read from a file.
    units : iterable
        The unit table's ids.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> import pandas as pd
    >>> from finsam_opt.io.tables import with_unit_names
    >>> answers = pd.DataFrame({"requested": [1e6]}, index=["  ÅRE "])
    >>> with_unit_names(answers, ["Åre", "Berg"]).index.tolist()
    ['Åre']
    """
    known = {name_key(u): u for u in units}
    renamed = table.copy()
    renamed.index = pd.Index(
        [known.get(name_key(u), u) for u in table.index], name=table.index.name
    )
    return renamed


def read_plain_table(path: str | Path, sheet: str | None = None) -> pd.DataFrame:
    """A table whose first non-empty row is its header, through the same checks as every reader.

    For tables with their own columns (a staircase, membership changes): the
    file limits, ragged rows, formulas without values and control characters
    are refused as in :func:`read_table`; a column whose every cell is a number
    is numeric, any other column is text (blank cells are NaN).

    Parameters
    ----------
    path : str or Path
        A ``.csv`` or ``.xlsx`` file.
    sheet : str, optional
        The sheet of an .xlsx file; the first sheet by default.

    Returns
    -------
    pandas.DataFrame
        The header's texts as column names, one row per non-empty row.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from finsam_opt.io import read_plain_table
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = path.write_text("year;action;unit\\n2;leave;A\\n")
    >>> read_plain_table(path).to_dict("records")
    [{'year': 2, 'action': 'leave', 'unit': 'A'}]
    """
    cells = read_cells(path, sheet)
    filled = [k for k, row in enumerate(cells.rows) if any(c is not None for c in row)]
    if not filled:
        raise _empty(cells)
    header_index = filled[0]
    refuse_hidden(cells, header_index)
    names = [str(c).strip() if c is not None else "" for c in cells.rows[header_index]]
    width = len(names)
    records: list[list[object]] = []
    for offset in filled[1:]:
        row = cells.rows[offset]
        if cells.lines is not None and len(row) != width:
            _refuse_ragged(cells, header_index, offset, len(row), width)
        record: list[object] = []
        for position, name in enumerate(names):
            value = row[position] if position < len(row) else None
            where = cells.place.at(cells.line(offset), name)
            header = Header(name, None, None)
            if isinstance(value, (Uncomputed, ErrorValue)):
                _convert(value, "comment", header, where)
            if isinstance(value, str):
                value = unicodedata.normalize("NFC", restore(value.strip()))
                _check_characters(value, "comment", where)
            record.append(value)
        records.append(record)
    frame = pd.DataFrame(records, columns=names, dtype=object)
    for name in frame.columns:
        numeric = pd.to_numeric(frame[name], errors="coerce")
        if (numeric.notna() | frame[name].isna()).all():
            frame[name] = numeric
    return frame


def read_staircase(path: str | Path, sheet: str | None = None) -> Staircase:
    """Read an equity staircase (columns of :meth:`Staircase.from_frame`) from CSV or .xlsx.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` or ``.xlsx`` file with the columns ``turnover_upper_bound``
        and ``allowed_fraction``; an empty last bound is open-ended.
    sheet : str, optional
        The sheet of an .xlsx file; the first sheet by default.

    Returns
    -------
    Staircase

    Raises
    ------
    InputError
        A file problem (as :func:`read_table`) or a staircase rule broken,
        with the file's name.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import finsam_opt as fo
    >>> from finsam_opt.io import read_staircase
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "trappa.csv"
    >>> _ = path.write_text("turnover_upper_bound,allowed_fraction\\n5000000,0.2\\n,0.1\\n")
    >>> read_staircase(path) == fo.Staircase((5e6, float("inf")), (0.2, 0.1))
    True
    """
    frame = read_plain_table(path, sheet)
    try:
        return Staircase.from_frame(frame)
    except InputError as error:
        raise error.within(Path(path).name) from error


def _find_header(cells: Sheet, schema: Schema) -> tuple[int, list[Header]]:
    if not any(any(c is not None for c in row) for row in cells.rows):
        raise _empty(cells)
    for index, row in enumerate(cells.rows[:_HEADER_SEARCH_ROWS]):
        headers = [parse_header(str(c)) if c is not None else Header("", None, None) for c in row]
        names = {h.name for h in headers}
        key = schema.id_column or schema.required[0]
        if key in names:
            return index, headers
    needed = [c for c in (schema.id_column, *schema.required) if c]
    expected = ", ".join(_shown(c) for c in needed)
    raise InputError(
        f"{cells.where}: no header row found in the first {_HEADER_SEARCH_ROWS} rows; "
        f"expected the column(s) {expected}",
        sv=f"{cells.place.sv}: ingen rubrikrad bland de {_HEADER_SEARCH_ROWS} första raderna; "
        f"rubrikraden ska ha {_columns_sv(needed)}",
    )


def _empty(cells: Sheet) -> InputError:
    return InputError(f"{cells.where}: the file is empty", sv=f"{cells.place.sv}: filen är tom")


def _map_columns(
    cells: Sheet, header_index: int, headers: list[Header], schema: Schema, age_band: str
) -> dict[str, int]:
    row = cells.line(header_index)
    columns: dict[str, int] = {}
    unknown: list[str] = []
    for position, header in enumerate(headers):
        if header.name is None:
            if header.text and normalize_header(header.text) not in INFORMATION_HEADERS:
                _reject_near_miss(cells, row, header.text)
                unknown.append(header.text)
            continue
        if header.name not in schema.columns:
            continue  # a known column that this kind of table does not use
        where = cells.place.at(row, header.text)
        if header.name in columns:
            first = headers[columns[header.name]].text
            raise InputError(
                f"{cells.where}, row {row}: columns '{first}' and '{header.text}' "
                f"both mean {header.name}",
                sv=f"{cells.place.at(row).sv}: kolumnerna '{first}' och '{header.text}' är "
                f"båda kolumnen '{SWEDISH_HEADERS[header.name]}'; ta bort den ena",
                column=header.name,
            )
        if header.band is not None and header.band != age_band:
            raise InputError(
                f"{where.en}: counts inhabitants aged "
                f"{header.band}, but the age band declared is {age_band} (docs/model.md); "
                f"declare it to use this column (age_band='{header.band}', "
                f"--age-band {header.band}) or give the population aged {age_band}",
                sv=f"{where.sv}: räknar invånare i åldern {header.band}, men det angivna "
                f"åldersintervallet är {age_band} (docs/model.md); ange {header.band} för att "
                f"använda kolumnen (age_band='{header.band}', --age-band {header.band}) eller "
                f"ge antalet invånare i åldern {age_band}",
                column=header.name,
            )
        if header.unit is not None and header.name not in AMOUNT_COLUMNS:
            raise InputError(
                f"{where.en}: {header.name} is not an amount and cannot be in {header.unit}",
                sv=f"{where.sv}: '{SWEDISH_HEADERS[header.name]}' är inget belopp och kan inte "
                f"anges i {header.unit}",
                column=header.name,
            )
        columns[header.name] = position
    if unknown:
        _refuse_unknown(cells, row, unknown[0], [c for c in schema.columns if c not in columns])
    missing = [c for c in (schema.id_column, *schema.required) if c and c not in columns]
    if missing:
        listed = ", ".join(_shown(c) for c in missing)
        raise InputError(
            f"{cells.where}: missing required column(s) {listed}",
            sv=f"{cells.place.sv}: {_columns_sv(missing)} saknas men krävs",
            column=missing[0],
        )
    if schema.kind == "answers" and not set(columns) & AMOUNT_COLUMNS:
        amounts = ["requested", "municipal_match", "regional_match"]
        raise InputError(
            f"{cells.where}: an answer table needs at least one of the columns "
            f"{_shown('requested')}, {_shown('municipal_match')}, {_shown('regional_match')}",
            sv=f"{cells.place.sv}: en svarstabell behöver minst en av kolumnerna "
            f"{_listed_sv(amounts)}",
        )
    return columns


def _refuse_unknown(cells: Sheet, row: int, text: str, missing: list[str]) -> None:
    # An ignored column could be the floor's or the cap's amounts under another name.
    def accepted(shown: dict[str, str]) -> str:
        return "; ".join(
            f"{shown[name]}: " + ", ".join(f"'{a}'" for a in accepted_headers(name))
            for name in missing
        )

    english = accepted({name: name for name in missing})
    swedish = accepted({name: f"'{SWEDISH_HEADERS[name]}'" for name in missing})
    raise InputError(
        f"{cells.where}, row {row}: unknown column '{text}'; rename it to the column it "
        f"holds, or to 'Kommentar' if it is only information. Accepted headers for the "
        f"columns not in the file: {english or 'none (every column is there)'}",
        sv=f"{cells.place.at(row).sv}: okänd kolumn '{text}'; byt rubriken till namnet på "
        "kolumnen den innehåller, eller till 'Kommentar' om den bara är information. "
        "Godkända rubriker för "
        f"kolumnerna som inte finns i filen: {swedish or 'inga (alla kolumner finns)'}",
    )


def _refuse_merged(
    cells: Sheet, header_index: int, headers: list[Header], columns: dict[str, int]
) -> None:
    # Excel keeps a merged range's value in its first cell only: the others read as blank.
    used = set(columns.values())
    for merged in cells.merged:
        first, last = (coordinate_to_tuple(c) for c in merged.split(":"))
        rows = range(first[0], last[0] + 1)
        touched = [p for p in range(first[1] - 1, last[1]) if p in used]
        if touched and rows[-1] > cells.line(header_index):
            raise InputError(
                f"{cells.where}, cells {merged}, column '{headers[touched[0]].text}': merged "
                "cells hold their value in the first cell only, so the other rows would read "
                "as blank; unmerge the cells and write the value in every row",
                sv=f"{cells.place.sv}, cellerna {merged}, kolumn '{headers[touched[0]].text}': "
                "sammanfogade celler har sitt värde bara i den första cellen, så de andra raderna "
                "skulle läsas som tomma; dela upp de sammanfogade cellerna och skriv värdet på "
                "varje rad",
                column=next(n for n, p in columns.items() if p == touched[0]),
            )


def _reject_near_miss(cells: Sheet, row: int, text: str) -> None:
    close = difflib.get_close_matches(
        normalize_header(text), known_headers(), n=1, cutoff=_NEAR_MISS_CUTOFF
    )
    if close:
        raise InputError(
            f"{cells.where}, row {row}: unknown column '{text}' (did you mean '{close[0]}'?)",
            sv=f"{cells.place.at(row).sv}: okänd kolumn '{text}' (menade du '{close[0]}'?)",
        )


def _build(
    cells: Sheet,
    header_index: int,
    headers: list[Header],
    columns: dict[str, int],
    schema: Schema,
) -> pd.DataFrame:
    data: dict[str, list[object]] = {name: [] for name in columns}
    rows_seen: list[int] = []
    id_position = columns.get(schema.id_column) if schema.id_column else None
    width = len(cells.rows[header_index])
    for offset, row in enumerate(cells.rows[header_index + 1 :], start=header_index + 1):
        number = cells.line(offset)
        if all(c is None for c in row):
            continue
        if cells.lines is not None and len(row) != width:
            _refuse_ragged(cells, header_index, offset, len(row), width)
        if id_position is not None:
            label = row[id_position] if id_position < len(row) else None
            if isinstance(label, str) and label.strip().casefold() in TOTAL_LABELS:
                continue
            if isinstance(label, str) and _TOTAL_LIKE.match(" ".join(label.split()).casefold()):
                at = cells.place.at(number, headers[id_position].text)
                raise InputError(
                    f"{at.en}: '{label.strip()}' looks like a totals or subtotal row, not a "
                    f"{schema.id_column}; remove the totals row (only a row named exactly "
                    "'Totalt', 'Summa', 'Total' or 'Sum' is skipped)",
                    sv=f"{at.sv}: '{label.strip()}' ser ut som en summarad eller delsumma, inte "
                    f"{_ID_SV[str(schema.id_column)]}; ta bort summaraden (bara en rad som heter "
                    "exakt 'Totalt', 'Summa', 'Total' eller 'Sum' hoppas över)",
                    column=schema.id_column,
                )
        for name, position in columns.items():
            value = row[position] if position < len(row) else None
            where = cells.place.at(number, headers[position].text)
            if (offset, position) in cells.percent and name not in _TEXT_COLUMNS:
                # Excel stores 50 % as 0.5: read as an amount it would be half a krona.
                raise InputError(
                    f"{where.en}: the cell is formatted as a percentage (it holds {value!r}), "
                    "not an amount or a count; write the number in "
                    "kronor (or persons) in a cell with a number format",
                    sv=f"{where.sv}: cellen är formaterad som procent (den innehåller "
                    f"{value!r}), inte som belopp eller antal; skriv talet i kronor (eller "
                    "personer) i en cell med talformat",
                    column=name,
                )
            data[name].append(_convert(value, name, headers[position], where))
        rows_seen.append(number)
    if not rows_seen:
        raise InputError(
            f"{cells.where}: the table has a header but no rows",
            sv=f"{cells.place.sv}: tabellen har en rubrikrad men inga rader",
        )
    frame = pd.DataFrame(data)
    _check_ids(frame, schema, cells, headers, columns, rows_seen)
    for name in frame.columns:
        if name not in _TEXT_COLUMNS and name not in ("year", _DATE_COLUMN):
            frame[name] = frame[name].astype(float)
    if schema.id_column:
        frame = frame.set_index(schema.id_column)
    return frame


def _refuse_ragged(cells: Sheet, header_index: int, offset: int, fields: int, width: int) -> None:
    # A decimal comma in a comma-separated file adds a field and shifts every value after it.
    raise InputError(
        f"{cells.where}, line {cells.line(offset)}: {fields} fields, but the header "
        f"(line {cells.line(header_index)}) has {width}; the values would shift into the "
        "wrong columns. A number with a decimal comma in a comma-separated file must be "
        "quoted (\"9500000,5\"), or save the file with ';' as separator",
        sv=f"{cells.place.sv}, rad {cells.line(offset)}: {fields} fält, men rubrikraden "
        f"(rad {cells.line(header_index)}) har {width}; värdena skulle hamna i fel kolumner. "
        "Ett tal med decimalkomma i en kommaavgränsad fil måste stå inom citattecken "
        "(\"9500000,5\"), eller spara filen med ';' som avgränsare",
    )


def _convert(value: object, name: str, header: Header, where: Place) -> object:
    if isinstance(value, Uncomputed):
        raise InputError(
            f"{where.cell(value.cell)}: the formula "
            f"{value.formula} was saved without its computed value (the file was written by a "
            "program, not saved in Excel); open the file in Excel and save it, or write the "
            "values instead of formulas",
            sv=f"{where.cell(value.cell, 'sv')}: formeln {value.formula} sparades utan sitt "
            "beräknade värde (filen skrevs av ett program, den sparades inte i Excel); öppna "
            "filen i Excel och spara den, eller skriv värdena i stället för formler",
            column=name,
        )
    if isinstance(value, ErrorValue):
        swedish = _EXCEL_ERRORS_SV.get(value.error)
        shown = value.error if swedish is None else f"{swedish} ({value.error})"
        raise InputError(
            f"{where.cell(value.cell)}: holds the "
            f"Excel error {value.error}, not a value; correct the formula in Excel",
            sv=f"{where.cell(value.cell, 'sv')}: innehåller Excel-felet {shown}, inget värde; "
            "rätta formeln i Excel",
            column=name,
        )
    if name in _TEXT_COLUMNS:
        return _text(value, name, where)
    if name == _DATE_COLUMN:
        return _date(value, where)
    if name == "year":
        return _year(value, where)
    return _number(value, name, header, where)


def _text(value: object, name: str, where: Place) -> str | None:
    if value is None:
        return None
    if name == "municipality_code":
        return _code(value, where)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", restore(str(value).strip()))
    _check_characters(text, name, where)
    # A name is an identifier: one space between words, as the duplicate check compares.
    return " ".join(text.split()) if name in _NAME_COLUMNS else text


def _date(value: object, where: Place) -> dt.date | None:
    """A date cell: an Excel date, or a text written ``2026-09-04`` (the Swedish way)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    day = parse_date(value) if isinstance(value, str) else None
    if day is not None:  # an Excel date cell reaches here as its text, "2026-09-04 00:00:00"
        return day
    number = isinstance(value, (int, float))
    raise InputError(
        f"{where.en}: not a date: {value!r}; write it as 2026-09-04"
        + ("; format the cell as a date in Excel" if number else " (year-month-day)"),
        sv=f"{where.sv}: inget datum: {value!r}; skriv det som 2026-09-04"
        + ("; formatera cellen som datum i Excel" if number else " (år-månad-dag)"),
        column=_DATE_COLUMN,
    )


def _check_characters(text: str, name: str, where: Place) -> None:
    problem = text_problem(text, comment=name == "comment")
    if problem is not None:
        swedish = text_problem(text, comment=name == "comment", language="sv")
        raise InputError(f"{where.en}: {problem}", sv=f"{where.sv}: {swedish}", column=name)


def _code(value: object, where: Place) -> str:
    # Excel and CSV tools drop the leading zero of 0114; three digits get it back.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, Uncomputed):  # pragma: no cover - refused by _convert
        raise TypeError(value)
    text = str(value).strip()
    if re.fullmatch(r"\d{3}", text):
        text = "0" + text
    if not _CODE.match(text):
        raise InputError(
            f"{where.en}: a municipality code has four digits (e.g. 0114), got {value!r}",
            sv=f"{where.sv}: en kommunkod har fyra siffror (till exempel 0114), inte {value!r}",
        )
    return text


def _year(value: object, where: Place) -> int | None:
    if value is None:
        return None
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if not re.fullmatch(r"\s*(19|20)\d\d\s*", text):
        raise InputError(
            f"{where.en}: a year has four digits (e.g. 2025), got {value!r}",
            sv=f"{where.sv}: ett år har fyra siffror (till exempel 2025), inte {value!r}",
        )
    return int(text)


def _number(value: object, name: str, header: Header, where: Place) -> float:
    if value is None:
        return math.nan
    if name in _LIMIT_COLUMNS and _says_no_limit(value):
        return math.inf
    factor = Decimal(AMOUNT_UNITS[header.unit]) if header.unit else Decimal(1)
    if isinstance(value, (int, float)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if isinstance(value, float) and not math.isfinite(value):
            raise InputError(
                f"{where.en}: must be a finite number, got {value}",
                sv=f"{where.sv}: måste vara ett ändligt tal, inte {value}",
            )
    else:
        try:
            number, unit = parse_number(str(value))
        except NumberProblem as error:
            raise InputError(
                f"{where.en}: {name} must be a number, got {value!r} ({error})",
                sv=f"{where.sv}: måste vara ett tal, inte {value!r} ({error.swedish})",
            ) from None
        if unit is not None:
            if name in COUNT_COLUMNS:
                raise InputError(
                    f"{where.en}: {name} is a number of inhabitants, not an amount in {unit}; "
                    f"got {value!r}",
                    sv=f"{where.sv}: antalet invånare är inget belopp i {unit}; cellen "
                    f"innehåller {value!r}",
                )
            # The unit typed in the cell is explicit and wins over the header's.
            factor = Decimal(AMOUNT_UNITS[unit])
        if factor == 1 and name in AMOUNT_COLUMNS and _THOUSANDS_OR_DECIMAL.match(str(value)):
            # Kronor have two decimals (öre): '6,250' is 6 250 in English, or a tkr amount.
            raise InputError(
                f"{where.en}: {value!r} is ambiguous: one ',' or '.' before three digits is a "
                "thousands separator in English, and kronor have at most two decimals; write "
                "6 250 (kronor), or declare tkr in the header or the cell (6,250 tkr)",
                sv=f"{where.sv}: {value!r} är tvetydigt: ett ',' eller '.' före tre siffror "
                "skiljer tusental på engelska, och kronor har högst två decimaler; skriv 6 250 "
                "(kronor), eller ange tkr i rubriken eller i cellen (6,250 tkr)",
                column=name,
            )
    if not number.is_finite():
        raise InputError(
            f"{where.en}: must be a finite number, got {value!r}",
            sv=f"{where.sv}: måste vara ett ändligt tal, inte {value!r}",
        )
    if number < 0:
        raise InputError(
            f"{where.en}: {name} must be ≥ 0, got {value!r}",
            sv=f"{where.sv}: måste vara ≥ 0, inte {value!r}",
        )
    if name in COUNT_COLUMNS and number != number.to_integral_value():
        # "120.000" is 120 000 people where a dot groups digits, 120 where it is a decimal point.
        raise InputError(
            f"{where.en}: {name} is a number of people, got {value!r}, not a whole number; "
            "write it without decimals (group digits with spaces: 120 000)",
            sv=f"{where.sv}: ett antal personer måste vara ett heltal, inte {value!r}; skriv det "
            "utan decimaler (gruppera siffrorna med mellanslag: 120 000)",
            column=name,
        )
    amount = number * factor
    if amount > Decimal(MAX_AMOUNT):
        raise InputError(
            f"{where.en}: {name} is {value!r}, more than {MAX_AMOUNT:,.0f}, the largest "
            "amount or count computed exactly to the öre; check the unit",
            sv=f"{where.sv}: {value!r} är mer än {format_number(MAX_AMOUNT, 'sv')}, det största "
            "belopp eller antal som räknas exakt på öret; kontrollera enheten",
            column=name,
        )
    return float(amount)


def _says_no_limit(value: object) -> bool:
    if isinstance(value, float):
        return value == math.inf
    return isinstance(value, str) and " ".join(value.split()).casefold() in NO_LIMIT_WORDS


def _check_ids(
    frame: pd.DataFrame,
    schema: Schema,
    cells: Sheet,
    headers: list[Header],
    columns: dict[str, int],
    rows: list[int],
) -> None:
    required = [c for c in (schema.id_column, *schema.required) if c]
    for name in required:
        missing = frame[name].isna().to_numpy()
        if missing.any():
            blank = cells.place.at(
                rows[int(np.flatnonzero(missing)[0])], headers[columns[name]].text
            )
            raise InputError(
                f"{blank.en}: {name} must be given, the cell is empty",
                sv=f"{blank.sv}: cellen är tom, men kolumnen måste vara ifylld på varje rad",
                column=name,
            )
    if schema.id_column:
        ids = frame[schema.id_column]
        keys = ids.map(name_key) if schema.id_column == "unit" else ids
        duplicated = keys.duplicated().to_numpy()
        if duplicated.any():
            at = int(np.flatnonzero(duplicated)[0])
            value = ids.iloc[at]
            earlier = int(np.flatnonzero((keys == keys.iloc[at]).to_numpy())[0])
            differs = ids.iloc[earlier] != value
            same = f" as '{ids.iloc[earlier]}'" if differs else ""
            how = " (names that differ only in case, spaces or Unicode form)" if differs else ""
            where = cells.place.at(rows[at], headers[columns[schema.id_column]].text)
            raise InputError(
                f"{where.en}: '{value}' appears twice (also in row {rows[earlier]}{same}){how}",
                sv=f"{where.sv}: '{value}' finns två gånger (även på rad {rows[earlier]}"
                + (
                    f" som '{ids.iloc[earlier]}') (namn som bara skiljer sig i stora och små "
                    "bokstäver, mellanslag eller Unicode-form)"
                    if differs
                    else ")"
                ),
                column=schema.id_column,
                units=[value],
            )
