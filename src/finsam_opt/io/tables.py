"""Reading unit, municipality, membership and answer tables from CSV or Excel.

One validation gate per table: every cell is parsed and checked before a
DataFrame is built, and the first problem is raised as an :class:`InputError`
naming the file, the sheet, the row as the user sees it (1-based, counting the
header) and the column as written in the file. Nothing is returned half.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from finsam_opt.errors import InputError
from finsam_opt.io.columns import (
    AMOUNT_COLUMNS,
    COUNT_COLUMNS,
    SWEDISH_HEADERS,
    Header,
    known_headers,
    normalize_header,
    parse_header,
)
from finsam_opt.io.numbers import AMOUNT_UNITS, parse_number
from finsam_opt.io.raw import Sheet, read_cells
from finsam_opt.io.safe import restore

__all__ = [
    "SCHEMAS",
    "TOTAL_LABELS",
    "Schema",
    "read_answers_table",
    "read_applications",
    "read_memberships",
    "read_municipalities",
    "read_table",
    "read_units",
]

TOTAL_LABELS = frozenset({"totalt", "summa", "total", "sum"})
"""A row whose id cell says this is a totals row and is skipped."""

_HEADER_SEARCH_ROWS = 20
_NEAR_MISS_CUTOFF = 0.85
_CODE = re.compile(r"^\d{4}$")
_TEXT_COLUMNS = frozenset({"unit", "municipality_code", "municipality_name", "region", "comment"})


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
        "answers", "unit", (), ("requested", "municipal_match", "regional_match", "comment")
    ),
    "applications": Schema(
        "applications",
        "unit",
        ("application",),
        ("municipal_extra", "regional_extra", "comment"),
    ),
}
"""The table kinds :func:`read_table` knows."""


def _shown(name: str) -> str:
    return f"'{SWEDISH_HEADERS[name]}' ({name})"


def read_table(path: str | Path, kind: str, sheet: str | None = None) -> pd.DataFrame:
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

    Returns
    -------
    pandas.DataFrame
        Canonical English column names; amounts in kronor (float); indexed by
        the id column (``unit`` or ``municipality_code``) when the kind has one.

    Raises
    ------
    InputError
        The first problem, naming file, sheet, row and column.
    """
    if kind not in SCHEMAS:
        raise InputError(f"unknown table kind {kind!r}; one of {sorted(SCHEMAS)}")
    schema = SCHEMAS[kind]
    cells = read_cells(path, sheet)
    header_index, headers = _find_header(cells, schema)
    columns = _map_columns(cells, header_index, headers, schema)
    return _build(cells, header_index, headers, columns, schema)


def read_units(path: str | Path, sheet: str | None = None) -> pd.DataFrame:
    """Read a unit table (one row per förbund); see :func:`read_table`."""
    return read_table(path, "units", sheet)


def read_municipalities(path: str | Path, sheet: str | None = None) -> pd.DataFrame:
    """Read municipality statistics (one row per kommun); see :func:`read_table`."""
    return read_table(path, "municipalities", sheet)


def read_memberships(path: str | Path, sheet: str | None = None) -> pd.DataFrame:
    """Read a membership table (kommun → förbund, optionally per year)."""
    return read_table(path, "memberships", sheet)


def read_answers_table(path: str | Path, sheet: str | None = None) -> pd.DataFrame:
    """Read a filled-in answer template (svarsmall); see :func:`read_table`."""
    return read_table(path, "answers", sheet)


def read_applications(path: str | Path, sheet: str | None = None) -> pd.DataFrame:
    """Read applications for ofördelade medel (one row per förbund that applies).

    Column ``application`` (``Ansökan ofördelade medel``) is required;
    ``municipal_extra`` and ``regional_extra`` (the additional matching) are
    optional. See :func:`read_table`.
    """
    return read_table(path, "applications", sheet)


def _find_header(cells: Sheet, schema: Schema) -> tuple[int, list[Header]]:
    if not any(any(c is not None for c in row) for row in cells.rows):
        raise InputError(f"{cells.where}: the file is empty")
    for index, row in enumerate(cells.rows[:_HEADER_SEARCH_ROWS]):
        headers = [parse_header(str(c)) if c is not None else Header("", None, None) for c in row]
        names = {h.name for h in headers}
        key = schema.id_column or schema.required[0]
        if key in names:
            return index, headers
    expected = ", ".join(_shown(c) for c in (schema.id_column, *schema.required) if c)
    raise InputError(
        f"{cells.where}: no header row found in the first {_HEADER_SEARCH_ROWS} rows; "
        f"expected the column(s) {expected}"
    )


def _map_columns(
    cells: Sheet, header_index: int, headers: list[Header], schema: Schema
) -> dict[str, int]:
    row = cells.first_row + header_index
    columns: dict[str, int] = {}
    for position, header in enumerate(headers):
        if header.name is None:
            if header.text:
                _reject_near_miss(cells, row, header.text)
            continue
        if header.name not in schema.columns:
            continue  # a known column that this kind of table does not use
        if header.name in columns:
            first = headers[columns[header.name]].text
            raise InputError(
                f"{cells.where}, row {row}: columns '{first}' and '{header.text}' "
                f"both mean {header.name}",
                column=header.name,
            )
        if header.unit is not None and header.name not in AMOUNT_COLUMNS:
            raise InputError(
                f"{cells.where}, row {row}, column '{header.text}': {header.name} is not "
                f"an amount and cannot be in {header.unit}",
                column=header.name,
            )
        columns[header.name] = position
    missing = [c for c in (schema.id_column, *schema.required) if c and c not in columns]
    if missing:
        listed = ", ".join(_shown(c) for c in missing)
        raise InputError(f"{cells.where}: missing required column(s) {listed}", column=missing[0])
    if schema.kind == "answers" and not set(columns) & AMOUNT_COLUMNS:
        raise InputError(
            f"{cells.where}: an answer table needs at least one of the columns "
            f"{_shown('requested')}, {_shown('municipal_match')}, {_shown('regional_match')}"
        )
    return columns


def _reject_near_miss(cells: Sheet, row: int, text: str) -> None:
    close = difflib.get_close_matches(
        normalize_header(text), known_headers(), n=1, cutoff=_NEAR_MISS_CUTOFF
    )
    if close:
        raise InputError(
            f"{cells.where}, row {row}: unknown column '{text}' (did you mean '{close[0]}'?)"
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
    for offset, row in enumerate(cells.rows[header_index + 1 :], start=header_index + 1):
        number = cells.first_row + offset
        if all(c is None for c in row):
            continue
        if id_position is not None:
            label = row[id_position] if id_position < len(row) else None
            if isinstance(label, str) and label.strip().casefold() in TOTAL_LABELS:
                continue
        for name, position in columns.items():
            value = row[position] if position < len(row) else None
            where = f"{cells.where}, row {number}, column '{headers[position].text}'"
            data[name].append(_convert(value, name, headers[position], where))
        rows_seen.append(number)
    if not rows_seen:
        raise InputError(f"{cells.where}: the table has a header but no rows")
    frame = pd.DataFrame(data)
    _check_ids(frame, schema, cells, headers, columns, rows_seen)
    for name in frame.columns:
        if name not in _TEXT_COLUMNS and name != "year":
            frame[name] = frame[name].astype(float)
    if schema.id_column:
        frame = frame.set_index(schema.id_column)
    return frame


def _convert(value: object, name: str, header: Header, where: str) -> object:
    if name in _TEXT_COLUMNS:
        return _text(value, name, where)
    if name == "year":
        return _year(value, where)
    return _number(value, name, header, where)


def _text(value: object, name: str, where: str) -> str | None:
    if value is None:
        return None
    if name == "municipality_code":
        return _code(value, where)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return restore(str(value).strip())


def _code(value: object, where: str) -> str:
    # Excel drops the leading zero of 0114; a whole number below 10 000 is padded back.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = f"{value:04d}" if isinstance(value, int) and 0 <= value < 10_000 else str(value).strip()
    if not _CODE.match(text):
        raise InputError(f"{where}: a municipality code has four digits (e.g. 0114), got {value!r}")
    return text


def _year(value: object, where: str) -> int | None:
    if value is None:
        return None
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if not re.fullmatch(r"\s*(19|20)\d\d\s*", text):
        raise InputError(f"{where}: a year has four digits (e.g. 2025), got {value!r}")
    return int(text)


def _number(value: object, name: str, header: Header, where: str) -> float:
    if value is None:
        return math.nan
    factor = Decimal(AMOUNT_UNITS[header.unit]) if header.unit else Decimal(1)
    if isinstance(value, (int, float)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if isinstance(value, float) and not math.isfinite(value):
            raise InputError(f"{where}: must be a finite number, got {value}")
    else:
        try:
            number, unit = parse_number(str(value))
        except ValueError as error:
            raise InputError(f"{where}: {name} must be a number, got {value!r} ({error})") from None
        if unit is not None:
            if name in COUNT_COLUMNS:
                raise InputError(
                    f"{where}: {name} is a number of inhabitants, not an amount in {unit}; "
                    f"got {value!r}"
                )
            # The unit typed in the cell is explicit and wins over the header's.
            factor = Decimal(AMOUNT_UNITS[unit])
    if not number.is_finite():
        raise InputError(f"{where}: must be a finite number, got {value!r}")
    if number < 0:
        raise InputError(f"{where}: {name} must be ≥ 0, got {value!r}")
    return float(number * factor)


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
            row = rows[int(np.flatnonzero(missing)[0])]
            raise InputError(
                f"{cells.where}, row {row}, column '{headers[columns[name]].text}': "
                f"{name} must be given, the cell is empty",
                column=name,
            )
    if schema.id_column:
        duplicated = frame[schema.id_column].duplicated().to_numpy()
        if duplicated.any():
            at = int(np.flatnonzero(duplicated)[0])
            value = frame[schema.id_column].iloc[at]
            first = rows[int(np.flatnonzero((frame[schema.id_column] == value).to_numpy())[0])]
            raise InputError(
                f"{cells.where}, row {rows[at]}, column "
                f"'{headers[columns[schema.id_column]].text}': '{value}' appears twice "
                f"(also in row {first})",
                column=schema.id_column,
                units=[value],
            )
