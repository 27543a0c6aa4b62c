"""The decision table (*beslutsunderlag*) as .xlsx or CSV, and reading it back.

One row per unit with the columns of ``Allocation.table`` under Swedish
(default) or English headers, the allocation also in tkr, a totals row, and
the parameters, scenario and effective decrease limit on a second sheet (a
second file ``<name>_parametrar.csv`` for CSV).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from finsam_opt.domain.parameters import Parameters
from finsam_opt.domain.units import MATCH_COLUMNS, Matching
from finsam_opt.engine.result import Allocation
from finsam_opt.errors import InputError
from finsam_opt.io.columns import normalize_header
from finsam_opt.io.numbers import NumberProblem, parse_number
from finsam_opt.io.raw import ErrorValue, Uncomputed, read_cells, refuse_hidden
from finsam_opt.io.safe import atomic_outputs, restore
from finsam_opt.io.workbook import Column, Kind, Sheet, kronor_kind, write_csv, write_workbook
from finsam_opt.language.words import DECISION_HEADERS, TERMS, say, swedish_order, term

__all__ = [
    "DECISION_HEADERS",
    "decision_frame",
    "model_parameter_rows",
    "parameter_rows",
    "read_decision_table",
    "sort_units",
    "table_sheet",
    "write_decision_table",
    "write_table",
]


_TOTALLED = frozenset(
    {
        "municipalities", "population", "support_measure", "previous_allocation", "requested",
        "municipal_match", "regional_match", "share_population", "share_support", "key", "ideal",
        "floor", "capped", "target", "allocation", "allocation_rounded", "allocation_tkr",
        "change", "ideal_tkr", "amount", "amount_tkr", "previous_round",
        "change_from_previous_round", "entitled", "difference_from_entitled",
        "difference_from_budget", "application", "municipal_extra", "regional_extra",
        "excess_equity", "equity_cut", "decided", "returned", "granted", "granted_rounded",
        "granted_tkr", "equity", "turnover",
    }
)  # fmt: skip
_UNLIMITED = frozenset({"cap", "matching_cap"})  # a blank cell here means "no limit"
# Contributions are inputs: a blank one reads back as "not answered", so no limit is in words.
_CONTRIBUTIONS = ("municipal_match", "regional_match", "municipal_extra", "regional_extra")
_TOTAL = {"sv": "Totalt", "en": "Total"}
_SOURCE = {
    "sv": "Försäkringskassans modell för fördelning av statliga medel till samordningsförbund "
    "(beräknad med finsam_opt)",
    "en": "Försäkringskassan's model for allocating state funds to the samordningsförbund "
    "(computed with finsam_opt)",
}
_NAMED = ("binding", "policy", "scenario", "synthetic", "matching_status")  # codes, in words

_CHANGE_NOTE = {
    "sv": "Förändringen: summan utan {n} nya förbund (utan föregående års tilldelning)",
    "en": "Change: the total leaves out {n} new units (no previous allocation)",
}
_YES_NO = {"sv": ("ja", "nej"), "en": ("yes", "no")}
_NO_LIMIT = {"sv": "ingen gräns", "en": "no limit"}
_SHEETS = {"sv": ("Beslutsunderlag", "Parametrar"), "en": ("Decision table", "Parameters")}


def _check_language(language: str) -> None:
    if language not in ("sv", "en"):
        raise InputError(
            f"language must be 'sv' or 'en', got {language!r}",
            sv=f"språket måste vara 'sv' eller 'en', inte {language!r}",
            column="language",
        )


def decision_frame(result: Allocation, units: pd.DataFrame | None = None) -> pd.DataFrame:
    """The decision table as a DataFrame with canonical columns, unit as a column.

    ``units`` may add ``region`` and ``municipalities`` from the input table.
    Rows are sorted as Försäkringskassan lists the förbund: by region, then name.

    The contributions are the answers as given (docs/model.md), so that the table
    reads back as the same units: ``inf`` for no limit (written *ingen gräns*), blank
    where the party has not answered (the assumed amount is in ``explain()`` and
    ``Allocation.assumed``; the ``*_assumed`` columns say which), and no contribution
    columns at all when matching was not collected.
    """
    table = result.table.copy()
    for party in MATCH_COLUMNS:
        if result.matching is Matching.NOT_COLLECTED:
            table = table.drop(columns=[party])
            continue
        answered = table[party].fillna(np.inf)  # the table shows no limit as NaN
        assumed = table.get(f"{party}_assumed", pd.Series(False, index=table.index))
        table[party] = answered.mask(assumed.astype(bool))
    table.insert(
        table.columns.get_loc("allocation_rounded") + 1,
        "allocation_tkr",
        table["allocation_rounded"] / 1000,
    )
    if units is not None:
        for column in ("municipalities", "region"):
            if column in units.columns:
                table.insert(0, column, units[column].reindex(table.index))
        if "synthetic" in units.columns:  # the national example says what is invented
            table["synthetic"] = units["synthetic"].reindex(table.index)
    return sort_units(table.rename_axis("unit").reset_index())


def sort_units(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (a ``unit`` column, maybe ``region``) sorted by region, then unit name."""
    keys = [c for c in ("region", "unit") if c in frame.columns]
    if not keys:
        return frame
    order = frame[keys].apply(swedish_order)
    return frame.iloc[order.sort_values(keys, kind="stable").index].reset_index(drop=True)


def model_parameter_rows(
    params: Parameters, language: str = "sv"
) -> list[tuple[str, object, Kind]]:
    """(label, value, kind) rows of the model's parameters, for a ``Parametrar`` sheet."""
    sv = language == "sv"
    return [
        ("Budget (kr)", params.budget, kronor_kind(params.budget)),
        ("Grundtilldelning (kr)" if sv else "Base amount (kr)", params.base_amount,
         kronor_kind(params.base_amount)),
        ("Vikt försörjningsmått" if sv else "Weight support measure", params.weight_support,
         Kind.PERCENT),
        ("Vikt invånare 16-64" if sv else "Weight population 16-64", params.weight_population,
         Kind.PERCENT),
        ("Högsta minskning (spärr)" if sv else "Decrease limit", params.decrease_limit,
         Kind.PERCENT),
        ("Avrundningsenhet (kr)" if sv else "Rounding unit (kr)", params.rounding_unit,
         Kind.KRONOR),
        ("Obesvarat bidrag tas som" if sv else "Unanswered contribution taken as",
         str(term(str(params.unanswered), language)), Kind.TEXT),
        ("Källa" if sv else "Source", _SOURCE[language], Kind.TEXT),
    ]  # fmt: skip


def parameter_rows(result: Allocation, language: str = "sv") -> list[tuple[str, object, Kind]]:
    """(label, value, kind) rows of the parameters sheet: the model's, then the outcome's."""
    sv = language == "sv"
    return [
        *model_parameter_rows(result.parameters, language),
        ("Effektiv spärr" if sv else "Effective decrease limit", result.decrease_limit,
         Kind.PERCENT),
        ("Scenario", term(str(result.scenario), language), Kind.TEXT),
        ("Princip" if sv else "Policy", term(result.policy, language), Kind.TEXT),
        ("Lösare" if sv else "Solver", term(result.solver, language), Kind.TEXT),
        ("Fördelat (kr)" if sv else "Allocated (kr)", result.rounded_total, Kind.KRONOR),
        ("Ofördelade medel (kr)" if sv else "Unallocated (kr)", result.unallocated,
         kronor_kind(result.unallocated)),
        ("Antal förbund" if sv else "Units", len(result.table), Kind.COUNT),
    ]  # fmt: skip


def write_decision_table(
    result: Allocation,
    path: str | Path,
    *,
    language: str = "sv",
    units: pd.DataFrame | None = None,
) -> list[Path]:
    """Write the decision table to ``.xlsx`` (two sheets) or ``.csv`` (two files).

    Rows are sorted by region, then name; every amount is rounded as shown and
    the total row adds up the printed rows. The workbook prints on A4
    landscape, one page wide, with the header row and the names repeated.

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

    Examples
    --------
    >>> import tempfile, pathlib, finsam_opt as fo
    >>> result = fo.allocate(fo.example_units(), fo.Parameters(budget=20_000_000))
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "beslut.xlsx"
    >>> [p.name for p in write_decision_table(result, path)]
    ['beslut.xlsx']
    """
    frame = decision_frame(result, units)
    rows = parameter_rows(result, language)
    if "synthetic" in frame.columns and frame["synthetic"].notna().any():
        marked = int(frame["synthetic"].notna().sum())
        note = say("synthetic_note", language, n=marked, total=len(frame))
        rows.append(("Syntetiska uppgifter" if language == "sv" else "Synthetic data", note,
                     Kind.TEXT))  # fmt: skip
    return write_table(frame, path, rows, language=language)


def write_table(
    frame: pd.DataFrame,
    path: str | Path,
    parameters: Sequence[tuple[str, object, Kind]] | None = None,
    *,
    language: str = "sv",
    sheet: str | None = None,
    total: bool = True,
) -> list[Path]:
    """Write any table with canonical columns (``unit`` first) like a decision table.

    Known columns get the headers of :data:`DECISION_HEADERS`; a totals row is
    added unless ``total`` is False (a long table of several budgets or years);
    ``parameters`` go to a second sheet (or ``<stem>_parametrar.csv``).
    ``sheet`` names the table's sheet (default: the decision table's name).
    """
    _check_language(language)
    path = Path(path)
    parameters = list(parameters or [])
    table = table_sheet(frame, language, sheet or _SHEETS[language][0], total=total)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        extra = (_SHEETS[language][1], parameters) if parameters else None
        with atomic_outputs([path]) as (temporary,):
            write_workbook(temporary, [table], extra, yes_no=_YES_NO[language])
        return [path]
    if suffix == ".csv":
        extra_path = path.with_name(
            path.stem + ("_parametrar" if language == "sv" else "_parameters") + ".csv"
        )
        targets = [path, extra_path] if parameters else [path]
        with atomic_outputs(targets) as temporaries:
            write_csv(temporaries, table, parameters, language, _YES_NO[language])
        return targets
    raise InputError(
        f"{path.name}: tables are written as .xlsx or .csv",
        sv=f"{path.name}: tabeller skrivs som .xlsx eller .csv; välj en av de filändelserna",
    )


def table_sheet(frame: pd.DataFrame, language: str, title: str, total: bool = True) -> Sheet:
    """The :class:`Sheet` of a table with canonical columns, with a total row if ``total``."""
    columns = tuple(
        Column(c, _header(c, language), Kind(_kind(c)), total=c in _TOTALLED) for c in frame.columns
    )
    notes: tuple[tuple[str, str], ...] = ()
    new = int(frame["new"].astype(bool).sum()) if "new" in frame.columns else 0
    if new and "change" in frame.columns and "binding" in frame.columns:
        notes = (("binding", _CHANGE_NOTE[language].format(n=new)),)  # beside the change
    marked = int(frame["synthetic"].notna().sum()) if "synthetic" in frame.columns else 0
    if marked:
        text = say("synthetic_note", language, n=marked, total=len(frame))
        notes = (*notes, ("synthetic", text))
    named = {c: frame[c].map(lambda v: term(v, language)) for c in _NAMED if c in frame.columns}
    values = frame.assign(**named)
    return Sheet(
        title,
        values,
        columns,
        total_label=_TOTAL[language] if total else None,
        total_notes=notes,
        no_limit=_NO_LIMIT[language],
        no_limit_words=_CONTRIBUTIONS,
    )


def _header(column: str, language: str) -> str:
    names = DECISION_HEADERS.get(column)
    return column if names is None else names[0 if language == "sv" else 1]


def _kind(column: str) -> str:
    return DECISION_HEADERS.get(column, ("", "", "number"))[2]


def read_decision_table(path: str | Path) -> pd.DataFrame:
    """Read a decision table written by :func:`write_decision_table` (either language).

    Returns
    -------
    pandas.DataFrame
        Indexed by unit, canonical column names, without the totals row.
    """
    cells = read_cells(path)
    if not cells.rows:
        raise InputError(f"{cells.where}: empty file", sv=f"{cells.place.sv}: filen är tom")
    refuse_hidden(cells, 0)
    lookup = {}
    for column, (swedish, english, kind) in DECISION_HEADERS.items():
        lookup[normalize_header(swedish)] = (column, kind)
        lookup[normalize_header(english)] = (column, kind)
    header = [lookup.get(normalize_header(str(c)), (str(c), "exact")) for c in cells.rows[0]]
    if not header or header[0][0] != "unit":
        raise InputError(
            f"{cells.where}: not a decision table (first column is not 'Förbund')",
            sv=f"{cells.place.sv}: inte ett beslutsunderlag (första kolumnen är inte 'Förbund')",
        )
    records = []
    for number, row in enumerate(cells.rows[1:], start=2):
        if not row or row[0] is None:
            continue
        if str(row[0]).casefold() in ("totalt", "total"):
            continue
        record = {}
        for (column, kind), value in zip(header, row, strict=False):
            header_sv = DECISION_HEADERS.get(column, (column,))[0]
            where = (
                f"{cells.where}, row {number}, column '{column}'",
                f"{cells.place.sv}, rad {number}, kolumn '{header_sv}'",
            )
            record[column] = _read_value(value, kind, where)
            if value is None and column in _UNLIMITED:
                record[column] = math.inf  # written as an empty cell with a note
        records.append(record)
    frame = pd.DataFrame.from_records(records).set_index("unit")
    for column in frame.columns:
        if DECISION_HEADERS.get(column, ("", "", ""))[2] == "bool":
            frame[column] = frame[column].astype(bool)
    if "binding" in frame.columns:
        codes = {name: code for code, names in TERMS.items() for name in names}
        frame["binding"] = frame["binding"].map(lambda name: codes.get(name, name))
    return frame


def _read_value(value: object, kind: str, where: tuple[str, str]) -> object:
    """A cell's value; ``where`` names the cell in English and Swedish."""
    if isinstance(value, Uncomputed):
        raise InputError(
            f"{where[0]}: the formula {value.formula} in cell {value.cell} was saved without its "
            "computed value; open the file in Excel and save it, or write values",
            sv=f"{where[1]}: formeln {value.formula} i cell {value.cell} sparades utan sitt "
            "beräknade värde; öppna filen i Excel och spara den, eller skriv in värden",
        )
    if isinstance(value, ErrorValue):
        raise InputError(
            f"{where[0]}: cell {value.cell} holds the Excel error {value.error}",
            sv=f"{where[1]}: cell {value.cell} innehåller Excel-felet {value.error}",
        )
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
    except NumberProblem as error:
        raise InputError(
            f"{where[0]}: not a number: {value!r} ({error})",
            sv=f"{where[1]}: inte ett tal: {value!r} ({error.swedish})",
        ) from None
    return int(number) if number == number.to_integral_value() and kind in (
        "kr", "count") else float(number)  # fmt: skip
