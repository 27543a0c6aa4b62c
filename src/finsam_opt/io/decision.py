"""The decision table (*beslutsunderlag*) as .xlsx or CSV, and reading it back.

One row per unit with the columns of ``Allocation.table`` under Swedish
(default) or English headers, the allocation also in tkr, a totals row, and
the parameters, scenario and effective decrease limit on a second sheet (a
second file ``<name>_parametrar.csv`` for CSV).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter

from finsam_opt.engine.result import Allocation
from finsam_opt.errors import InputError
from finsam_opt.io.columns import normalize_header
from finsam_opt.io.numbers import parse_number
from finsam_opt.io.raw import read_cells
from finsam_opt.io.safe import neutralise, restore, write_atomically

__all__ = [
    "DECISION_HEADERS",
    "decision_frame",
    "parameter_rows",
    "read_decision_table",
    "write_decision_table",
    "write_table",
]

# canonical column → (Swedish header, English header, kind)
DECISION_HEADERS: dict[str, tuple[str, str, str]] = {
    "unit": ("Förbund", "Unit", "text"),
    "region": ("Region", "Region", "text"),
    "municipalities": ("Antal kommuner", "Municipalities", "count"),
    "population": ("Invånare 16-64", "Population 16-64", "count"),
    "support_measure": ("Försörjningsmått (kr)", "Support measure (kr)", "kr"),
    "previous_allocation": ("Föregående års tilldelning (kr)", "Previous allocation (kr)", "kr"),
    "requested": ("Ansökt belopp (kr)", "Requested (kr)", "kr"),
    "municipal_match": ("Kommunernas bidrag (kr)", "Municipal contribution (kr)", "kr"),
    "regional_match": ("Regionens bidrag (kr)", "Regional contribution (kr)", "kr"),
    "share_population": ("Andel invånare", "Population share", "share"),
    "share_support": ("Andel försörjningsmått", "Support measure share", "share"),
    "key": ("Nyckeltal viktad", "Weighted key", "share"),
    "ideal": ("Idealfördelning (kr)", "Ideal allocation (kr)", "kr"),
    "cap": ("Tak enligt matchning (kr)", "Matching cap (kr)", "kr"),
    "floor": ("Golv enligt spärren (kr)", "Floor (kr)", "kr"),
    "capped": ("Ideal inom taket (kr)", "Capped ideal (kr)", "kr"),
    "target": ("Målbelopp (kr)", "Target (kr)", "kr"),
    "protected": ("Skyddad av spärren", "Protected", "bool"),
    "new": ("Nytt förbund", "New unit", "bool"),
    "allocation": ("Tilldelning exakt (kr)", "Allocation exact (kr)", "exact"),
    "allocation_rounded": ("Tilldelning (kr)", "Allocation (kr)", "kr"),
    "allocation_tkr": ("Tilldelning (tkr)", "Allocation (tkr)", "tkr"),
    "ideal_tkr": ("Idealfördelning (tkr)", "Ideal allocation (tkr)", "tkr"),
    "amount": ("Belopp (kr)", "Amount (kr)", "kr"),
    "amount_tkr": ("Belopp (tkr)", "Amount (tkr)", "tkr"),
    "previous_round": ("Föregående omgång (kr)", "Previous round (kr)", "kr"),
    "change_from_previous_round": (
        "Förändring mot föregående omgång (kr)",
        "Change from previous round (kr)",
        "kr",
    ),
    "equity": ("Eget kapital (kr)", "Equity (kr)", "kr"),
    "turnover": ("Omsättning (kr)", "Turnover (kr)", "kr"),
    "change": ("Förändring mot föregående år (kr)", "Change from last year (kr)", "kr"),
    "change_rate": ("Förändring mot föregående år (%)", "Change from last year (%)", "percent"),
    "binding": ("Avgörande regel", "Binding rule", "text"),
    # The surplus round (ofördelade medel).
    "application": ("Ansökan ofördelade medel (kr)", "Application (kr)", "kr"),
    "municipal_extra": ("Kommunernas extra bidrag (kr)", "Extra municipal contribution (kr)", "kr"),
    "regional_extra": ("Regionens extra bidrag (kr)", "Extra regional contribution (kr)", "kr"),
    "matching_cap": ("Tak enligt extra matchning (kr)", "Extra matching cap (kr)", "kr"),
    "excess_equity": ("Överskjutande eget kapital (kr)", "Excess equity (kr)", "kr"),
    "granted": ("Beviljat exakt (kr)", "Granted exact (kr)", "exact"),
    "granted_rounded": ("Beviljat (kr)", "Granted (kr)", "kr"),
    "granted_tkr": ("Beviljat (tkr)", "Granted (tkr)", "tkr"),
}
"""Headers of the decision table; columns not listed keep their canonical name."""

_SUMMED = (
    "municipalities", "population", "support_measure", "previous_allocation", "share_population",
    "share_support", "key", "ideal", "floor", "capped", "target", "allocation",
    "allocation_rounded", "allocation_tkr", "change", "ideal_tkr", "amount", "amount_tkr",
    "previous_round", "change_from_previous_round", "application", "excess_equity", "granted",
    "granted_rounded", "granted_tkr",
)  # fmt: skip
_TOTAL = {"sv": "Totalt", "en": "Total"}
_YES_NO = {"sv": ("ja", "nej"), "en": ("yes", "no")}
_NO_LIMIT = {"sv": "ingen gräns", "en": "no limit"}
_SCENARIO = {"sv": {"balance": "balans", "surplus": "överskott", "deficit": "underskott"}}
_FORMATS = {
    "kr": "#,##0",
    "exact": "#,##0.00",
    "tkr": "#,##0.000",
    "count": "#,##0",
    "share": "0.0000%",
    "percent": "0.00%",
}
_SHEETS = {"sv": ("Beslutsunderlag", "Parametrar"), "en": ("Decision table", "Parameters")}


def _check_language(language: str) -> None:
    if language not in ("sv", "en"):
        raise InputError(f"language must be 'sv' or 'en', got {language!r}", column="language")


def decision_frame(result: Allocation, units: pd.DataFrame | None = None) -> pd.DataFrame:
    """The decision table as a DataFrame with canonical columns, unit as a column.

    ``units`` may add ``region`` and ``municipalities`` from the input table.
    """
    table = result.table.copy()
    table.insert(
        table.columns.get_loc("allocation_rounded") + 1,
        "allocation_tkr",
        table["allocation_rounded"] / 1000,
    )
    if units is not None:
        for column in ("municipalities", "region"):
            if column in units.columns:
                table.insert(0, column, units[column].reindex(table.index))
    return table.rename_axis("unit").reset_index()


def parameter_rows(result: Allocation, language: str = "sv") -> list[tuple[str, object]]:
    """(label, value) rows of the parameters sheet."""
    p = result.parameters
    sv = language == "sv"
    limit = result.decrease_limit
    scenario = str(result.scenario)
    return [
        ("Budget (kr)", p.budget),
        ("Grundtilldelning (kr)" if sv else "Base amount (kr)", p.base_amount),
        ("Vikt försörjningsmått" if sv else "Weight support measure", p.weight_support),
        ("Vikt invånare 16-64" if sv else "Weight population 16-64", p.weight_population),
        ("Högsta minskning (spärr)" if sv else "Decrease limit", p.decrease_limit),
        (
            "Effektiv spärr" if sv else "Effective decrease limit",
            "" if limit is None else limit,
        ),
        ("Scenario", _SCENARIO["sv"][scenario] if sv else scenario),
        ("Policy", result.policy),
        ("Lösare" if sv else "Solver", result.solver),
        ("Fördelat (kr)" if sv else "Allocated (kr)", result.rounded_total),
        ("Ofördelade medel (kr)" if sv else "Unallocated (kr)", result.unallocated),
        ("Antal förbund" if sv else "Units", len(result.table)),
        ("Avrundningsenhet (kr)" if sv else "Rounding unit (kr)", p.rounding_unit),
    ]


def write_decision_table(
    result: Allocation,
    path: str | Path,
    *,
    language: str = "sv",
    units: pd.DataFrame | None = None,
) -> list[Path]:
    """Write the decision table to ``.xlsx`` (two sheets) or ``.csv`` (two files).

    Parameters
    ----------
    result : Allocation
    path : str or Path
        Ends in ``.xlsx`` or ``.csv``. A CSV also writes ``<stem>_parametrar.csv``
        (``_parameters.csv`` in English).
    language : {'sv', 'en'}
        Swedish (``;``-separated, decimal comma) or English (``,`` and ``.``).
    units : pandas.DataFrame, optional
        The input unit table, to show ``region`` and ``municipalities``.

    Returns
    -------
    list of Path
        The files written. Either all are written or none.
    """
    return write_table(
        decision_frame(result, units), path, parameter_rows(result, language), language=language
    )


def write_table(
    frame: pd.DataFrame,
    path: str | Path,
    parameters: list[tuple[str, object]] | None = None,
    *,
    language: str = "sv",
    sheet: str | None = None,
) -> list[Path]:
    """Write any table with canonical columns (``unit`` first) like a decision table.

    Known columns get the headers of :data:`DECISION_HEADERS`; a totals row is
    added; ``parameters`` go to a second sheet (or ``<stem>_parametrar.csv``).
    ``sheet`` names the table's sheet (default: the decision table's name).
    """
    _check_language(language)
    path = Path(path)
    parameters = parameters or []
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        title = sheet or _SHEETS[language][0]
        write_atomically(
            [path], lambda tmp: _write_xlsx(frame, parameters, tmp[0], language, title)
        )
        return [path]
    if suffix == ".csv":
        extra = path.with_name(path.stem + ("_parametrar" if language == "sv" else "_parameters"))
        targets = [path, extra.with_suffix(".csv")] if parameters else [path]
        write_atomically(targets, lambda tmp: _write_csv(frame, parameters, tmp, language))
        return targets
    raise InputError(f"{path.name}: tables are written as .xlsx or .csv")


def _header(column: str, language: str) -> str:
    names = DECISION_HEADERS.get(column)
    return column if names is None else names[0 if language == "sv" else 1]


def _kind(column: str) -> str:
    return DECISION_HEADERS.get(column, ("", "", "exact"))[2]


def _cell(value: object, kind: str, language: str) -> object:
    if isinstance(value, (bool, np.bool_)):
        return _YES_NO[language][0 if value else 1]
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, (float, np.floating)) and math.isinf(value):
        return _NO_LIMIT[language]
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        # Whole kronor and head counts are shown without a decimal part.
        return int(value) if kind in ("kr", "count") and float(value).is_integer() else float(value)
    return str(value)


def _totals(frame: pd.DataFrame) -> dict[str, object]:
    totals: dict[str, object] = {}
    for column in frame.columns:
        if column in _SUMMED:
            values = pd.to_numeric(frame[column], errors="coerce")
            total = values.sum(min_count=1)
            totals[column] = None if pd.isna(total) else total
    return totals


def _rows(frame: pd.DataFrame, language: str) -> list[list[object]]:
    kinds = [_kind(c) for c in frame.columns]
    rows = [
        [_cell(v, k, language) for v, k in zip(row, kinds, strict=True)]
        for row in frame.itertuples(index=False)
    ]
    totals = _totals(frame)
    total_row = [
        _TOTAL[language] if c == "unit" else _cell(totals.get(c), _kind(c), language)
        for c in frame.columns
    ]
    return [*rows, total_row]


def _write_xlsx(
    frame: pd.DataFrame,
    parameters: list[tuple[str, object]],
    path: Path,
    language: str,
    title: str,
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title, parameter_title = title, _SHEETS[language][1]
    sheet.append([_header(c, language) for c in frame.columns])
    for row in _rows(frame, language):
        sheet.append([None] * len(row))
        for col, value in enumerate(row, start=1):
            _put(sheet.cell(sheet.max_row, col), value)
    for col, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(col)
        sheet.column_dimensions[letter].width = 40 if column == "unit" else 18
        number_format = _FORMATS.get(_kind(column))
        if number_format:
            for cell in sheet[letter][1:]:
                cell.number_format = number_format
    for cell in sheet[sheet.max_row]:
        cell.font = openpyxl.styles.Font(bold=True)
    for cell in sheet[1]:
        cell.font = openpyxl.styles.Font(bold=True)
    sheet.freeze_panes = "B2"
    if not parameters:
        book.save(path)
        return
    second = book.create_sheet(parameter_title)
    second.column_dimensions["A"].width = 32
    second.column_dimensions["B"].width = 20
    for label, value in parameters:
        second.append([label, None])
        cell = second.cell(second.max_row, 2)
        _put(cell, value)
        if label.endswith("(kr)"):
            cell.number_format = _FORMATS["kr"]
        elif isinstance(value, float):
            cell.number_format = _FORMATS["percent"]  # weights and limits
    book.save(path)


def _put(cell: openpyxl.cell.Cell, value: object) -> None:
    if isinstance(value, str):
        # A name like "=HYPERLINK(...)" must stay text: openpyxl would write it as a formula.
        cell.value = value
        cell.data_type = "s"
        if value.startswith(("=", "+", "-", "@")):
            cell.quotePrefix = True
    else:
        cell.value = value


def _write_csv(
    frame: pd.DataFrame,
    parameters: list[tuple[str, object]],
    paths: Sequence[Path],
    language: str,
) -> None:
    delimiter, decimal = (";", ",") if language == "sv" else (",", ".")

    def text(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, str):
            return neutralise(value)
        if isinstance(value, int):
            return str(value)
        return repr(float(value)).replace(".", decimal)  # type: ignore[arg-type]

    with open(paths[0], "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow([_header(c, language) for c in frame.columns])
        writer.writerows([text(v) for v in row] for row in _rows(frame, language))
    if len(paths) < 2:
        return
    with open(paths[1], "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerows([neutralise(label), text(value)] for label, value in parameters)


def read_decision_table(path: str | Path) -> pd.DataFrame:
    """Read a decision table written by :func:`write_decision_table` (either language).

    Returns
    -------
    pandas.DataFrame
        Indexed by unit, canonical column names, without the totals row.
    """
    cells = read_cells(path)
    if not cells.rows:
        raise InputError(f"{cells.where}: empty file")
    lookup = {}
    for column, (swedish, english, kind) in DECISION_HEADERS.items():
        lookup[normalize_header(swedish)] = (column, kind)
        lookup[normalize_header(english)] = (column, kind)
    header = [lookup.get(normalize_header(str(c)), (str(c), "exact")) for c in cells.rows[0]]
    if not header or header[0][0] != "unit":
        raise InputError(f"{cells.where}: not a decision table (first column is not 'Förbund')")
    records = []
    for number, row in enumerate(cells.rows[1:], start=2):
        if not row or row[0] is None:
            continue
        if str(row[0]).casefold() in ("totalt", "total"):
            continue
        record = {}
        for (column, kind), value in zip(header, row, strict=False):
            where = f"{cells.where}, row {number}, column '{column}'"
            record[column] = _read_value(value, kind, where)
        records.append(record)
    frame = pd.DataFrame.from_records(records).set_index("unit")
    for column in frame.columns:
        if DECISION_HEADERS.get(column, ("", "", ""))[2] == "bool":
            frame[column] = frame[column].astype(bool)
    return frame


def _read_value(value: object, kind: str, where: str) -> object:
    if value is None:
        return np.nan if kind not in ("text", "bool") else None
    if kind == "text":
        return restore(str(value))
    if kind == "bool":
        return str(value).casefold() in ("ja", "yes", "true")
    if isinstance(value, (int, float)):
        return value
    if str(value).casefold() in (_NO_LIMIT["sv"], _NO_LIMIT["en"]):
        return math.inf
    try:
        number, _ = parse_number(str(value))
    except ValueError as error:
        raise InputError(f"{where}: not a number: {value!r} ({error})") from None
    return int(number) if number == number.to_integral_value() and kind in (
        "kr", "count") else float(number)  # fmt: skip
