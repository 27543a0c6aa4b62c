"""One writer for every table a person reads: Excel workbooks and CSV files.

A table is a :class:`Sheet`: a frame with canonical columns, each with a
header and a :class:`Kind` that decides how its cells are rounded and shown.
Amount cells hold numbers rounded as shown (whole kronor, no ``-0``), a total
row adds up the values as printed, and an infinite amount ("no limit") is an
empty cell with a note. Workbooks are streamed (openpyxl's write-only mode), so
writing is linear in the number of rows, and printable: frozen wrapping
headers, widths fitting the longest value, one sans font, A4 landscape fitted
to one page wide with the header row and the name column repeated.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from finsam_opt._compat import StrEnum
from finsam_opt.io.safe import FORMULA_PREFIXES, neutralise
from finsam_opt.language.numbers import has_ore

__all__ = ["Column", "Kind", "Sheet", "kronor_kind", "write_csv", "write_workbook"]


class Kind(StrEnum):
    """How a column's cells are rounded and shown."""

    TEXT = "text"
    KRONOR = "kr"
    EXACT = "exact"
    TKR = "tkr"
    COUNT = "count"
    SHARE = "share"
    PERCENT = "percent"
    BOOL = "bool"
    NUMBER = "number"


def kronor_kind(amount: float) -> Kind:
    """``KRONOR``, or ``EXACT`` (öre shown) for an amount with öre: a budget or base amount
    as given, and what is left of it (``format_kronor(..., ore=True)``'s rule)."""
    return Kind.EXACT if has_ore(float(amount)) else Kind.KRONOR


# kind → (decimals kept in the cell, Excel number format)
_FORMAT: dict[Kind, tuple[int, str]] = {
    Kind.KRONOR: (0, "#,##0"),
    Kind.COUNT: (0, "#,##0"),
    Kind.EXACT: (2, "#,##0.00"),
    Kind.TKR: (3, "#,##0.000"),
    Kind.SHARE: (6, "0.0000%"),
    Kind.PERCENT: (4, "0.00%"),
    Kind.NUMBER: (6, "0.000000"),
}
FONT = "Arial"
"""The one font of every workbook (a sans font every spreadsheet program has or maps)."""

_BODY = Font(name=FONT, size=10)
_BOLD = Font(name=FONT, size=10, bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_ANSWER = PatternFill("solid", fgColor="FFF2CC")
_A4 = 9


@dataclass(frozen=True)
class Column:
    """A column of a :class:`Sheet`: canonical name, header, kind, summed in the total row."""

    name: str
    header: str
    kind: Kind
    total: bool = False


@dataclass(frozen=True)
class Sheet:
    """A table to write: a frame with the columns named in ``columns``.

    Attributes
    ----------
    title : str
        The sheet's name (at most 31 characters).
    frame : pandas.DataFrame
        One row per line; its columns are the ``name`` of each :class:`Column`.
    columns : tuple of Column
    total_label : str or None
        Text of the total row's first cell; None: no total row.
    total_notes : tuple of (str, str)
        (column, text): a text for a text column's cell in the total row, e.g.
        what a total leaves out.
    no_limit : str
        The note on an empty cell that stands for an infinite amount.
    answers : tuple of str
        Columns the reader fills in (answer templates): unlocked, highlighted,
        numbers ≥ 0 only; the rest of the sheet is protected.
    invalid : tuple of str
        Title and text of the message a spreadsheet shows for a refused answer.
    no_limit_answers : tuple of str
        Answer columns that also take the text ``no_limit`` (a contribution
        without a limit).
    no_limit_words : tuple of str
        Columns whose infinite amounts are written as the words ``no_limit``
        rather than an empty cell: inputs (a contribution) where a blank would
        read back as "not answered".
    """

    title: str
    frame: pd.DataFrame
    columns: tuple[Column, ...]
    total_label: str | None = None
    total_notes: tuple[tuple[str, str], ...] = ()
    no_limit: str = ""
    answers: tuple[str, ...] = field(default=())
    invalid: tuple[str, str] = ("", "")
    no_limit_answers: tuple[str, ...] = ()
    no_limit_words: tuple[str, ...] = ()


def _as_number(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def cells(values: pd.Series, kind: Kind, yes_no: tuple[str, str]) -> list[object]:
    """The cell values of one column: rounded as shown, ``None`` for blank, ``inf`` kept."""
    if kind is Kind.TEXT:
        return [None if v is None or v is pd.NA or v != v else str(v) for v in values]
    if kind is Kind.BOOL:
        return [None if pd.isna(v) else yes_no[0 if bool(v) else 1] for v in values]
    numbers = np.array([_as_number(v) for v in values], dtype=float)
    decimals = _FORMAT[kind][0]
    rounded = np.round(numbers, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    out: list[object] = []
    for value in rounded.tolist():
        if math.isnan(value):
            out.append(None)
        elif math.isinf(value):
            out.append(value)
        elif decimals == 0:
            out.append(int(value))
        else:
            out.append(value)
    return out


def _infinite(value: object) -> bool:
    return isinstance(value, float) and math.isinf(value)


def total(values: Sequence[object], kind: Kind) -> object:
    """The sum of a column's cells as written (so the printed rows add up to it)."""
    finite = [v for v in values if isinstance(v, (int, float)) and math.isfinite(v)]
    if not finite:
        return None
    decimals = _FORMAT[kind][0]
    if decimals == 0:
        return int(sum(int(v) for v in finite))
    return round(math.fsum(finite), decimals) + 0.0


def _table(sheet: Sheet, yes_no: tuple[str, str]) -> tuple[list[list[object]], list[object]]:
    columns = [cells(sheet.frame[c.name], c.kind, yes_no) for c in sheet.columns]
    for values, spec in zip(columns, sheet.columns, strict=True):
        if spec.name in sheet.no_limit_words:  # input read back: a blank is no answer
            values[:] = [sheet.no_limit if _infinite(v) else v for v in values]
    rows = [list(row) for row in zip(*columns, strict=True)] if columns else []
    totals: list[object] = []
    if sheet.total_label is not None:
        totals = [
            total(v, c.kind) if c.total else None
            for v, c in zip(columns, sheet.columns, strict=True)
        ]
        totals[0] = sheet.total_label
        names = [c.name for c in sheet.columns]
        for column, text in sheet.total_notes:
            totals[names.index(column)] = text
    return rows, totals


def _width(header: str, values: Sequence[object], kind: Kind) -> float:
    """Characters needed for the longest value (and the longest word of the header)."""
    longest_word = max((len(w) for w in header.split()), default=0)
    if kind in (Kind.TEXT, Kind.BOOL):
        longest = max((len(v) for v in values if isinstance(v, str)), default=0)
        return min(max(longest, longest_word, 8) + 2, 70)
    finite = [abs(v) for v in values if isinstance(v, (int, float)) and math.isfinite(v)]
    biggest = max(finite, default=0.0)
    decimals, _ = _FORMAT[kind]
    if kind in (Kind.SHARE, Kind.PERCENT):
        shown = f"{biggest * 100:,.{decimals - 2}f} %"
    else:
        shown = f"{biggest:,.{decimals if kind is not Kind.TKR else 3}f}"
    return max(len(shown) + 3, longest_word + 2, 10)


def write_workbook(
    path: Path,
    sheets: Sequence[Sheet],
    parameters: tuple[str, Sequence[tuple[str, object, Kind]]] | None = None,
    *,
    yes_no: tuple[str, str] = ("ja", "nej"),
    instructions: tuple[str, Sequence[str]] | None = None,
) -> None:
    """Write ``sheets`` (and a parameters sheet ``(title, rows)``) as one ``.xlsx`` file.

    ``instructions`` is a last sheet ``(title, lines)`` of plain text.

    Every row is written once, in order (linear time, little memory).

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> frame = pd.DataFrame({"unit": ["A", "B"], "amount": [1.4, -0.2]})
    >>> columns = (Column("unit", "Förbund", Kind.TEXT),
    ...            Column("amount", "Belopp (kr)", Kind.KRONOR, total=True))
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.xlsx"
    >>> write_workbook(path, [Sheet("Belopp", frame, columns, total_label="Totalt")])
    >>> list(openpyxl.load_workbook(path)["Belopp"].values)
    [('Förbund', 'Belopp (kr)'), ('A', 1), ('B', 0), ('Totalt', 1)]
    """
    book = openpyxl.Workbook(write_only=True)
    for sheet in sheets:
        _write_sheet(book, sheet, yes_no)
    if parameters is not None:
        _write_parameters(book, *parameters)
    if instructions is not None:
        title, lines = instructions
        out = book.create_sheet(title[:31])
        out.column_dimensions["A"].width = max((len(line) for line in lines), default=10) + 2
        for line in lines:
            out.append([_styled(out, line, _BODY, None)])
    book.save(path)


def _styled(sheet: object, value: object, font: Font, number_format: str | None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value)
    cell.font = font
    if number_format:
        cell.number_format = number_format
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text says
        cell.quotePrefix = value.startswith(FORMULA_PREFIXES)
    return cell


def _write_sheet(book: openpyxl.Workbook, sheet: Sheet, yes_no: tuple[str, str]) -> None:
    rows, totals = _table(sheet, yes_no)
    out = book.create_sheet(sheet.title[:31])
    kinds = [c.kind for c in sheet.columns]
    formats = [_FORMAT.get(k, (0, None))[1] for k in kinds]
    widths = []
    for index, column in enumerate(sheet.columns):
        values = [row[index] for row in rows]
        widths.append(
            _width(column.header, [*values, totals[index] if totals else None], column.kind)
        )
        out.column_dimensions[get_column_letter(index + 1)].width = widths[-1]
    lines = max(
        math.ceil(len(c.header) / max(w - 2, 1)) for c, w in zip(sheet.columns, widths, strict=True)
    )
    out.row_dimensions[1].height = 13 * max(lines, 1) + 2
    out.freeze_panes = "B2"
    out.print_title_rows = "1:1"
    out.print_title_cols = "A:A"
    out.page_setup.orientation = "landscape"
    out.page_setup.paperSize = _A4
    out.page_setup.fitToWidth = 1
    out.page_setup.fitToHeight = 0
    out.sheet_properties.pageSetUpPr.fitToPage = True
    answers = {i for i, c in enumerate(sheet.columns) if c.name in sheet.answers}
    if answers:
        _protect(out, sheet, answers, len(rows))

    header = []
    for column in sheet.columns:
        cell = _styled(out, column.header, _BOLD, None)
        cell.alignment = _WRAP
        header.append(cell)
    out.append(header)
    body = [_prototype(out, formats[i], i in answers) for i in range(len(sheet.columns))]
    note = Comment(sheet.no_limit, "finsam_opt")
    for row in rows:
        out.append([_cell(out, v, body[i], note, i in answers) for i, v in enumerate(row)])
    if totals:
        out.append(
            [
                _styled(out, v, _BOLD, formats[i]) if v is not None else None
                for i, v in enumerate(totals)
            ]
        )


def _prototype(out: object, number_format: str | None, answer: bool) -> WriteOnlyCell:
    """A styled cell whose style every cell of its column copies (styling each is slow)."""
    cell = _styled(out, None, _BODY, number_format)
    if answer:
        cell.fill = _ANSWER
        cell.protection = Protection(locked=False)
    return cell


def _cell(
    out: object, value: object, prototype: WriteOnlyCell, note: Comment, answer: bool
) -> WriteOnlyCell | None:
    if value is None and not answer:
        return None
    infinite = isinstance(value, float) and math.isinf(value)
    cell = WriteOnlyCell(out, None if infinite else value)
    cell._style = copy(prototype._style)
    if infinite:
        cell.comment = note  # "no limit": an empty cell with a note
    elif isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text says
        cell.quotePrefix = value.startswith(FORMULA_PREFIXES)
    return cell


def _protect(out: object, sheet: Sheet, answers: set[int], rows: int) -> None:
    """Lock everything but the answer cells, which take numbers ≥ 0 only."""
    out.protection.sheet = True  # type: ignore[attr-defined]
    out.protection.formatColumns = False  # type: ignore[attr-defined]
    out.protection.formatRows = False  # type: ignore[attr-defined]
    numbers = [i for i in sorted(answers) if sheet.columns[i].kind is not Kind.TEXT]
    if not numbers or rows == 0:
        return
    plain = [i for i in numbers if sheet.columns[i].name not in sheet.no_limit_answers]
    words = [i for i in numbers if sheet.columns[i].name in sheet.no_limit_answers]
    for group, allow_words in ((plain, False), (words, True)):
        if not group:
            continue
        first = get_column_letter(group[0] + 1)
        if allow_words:  # a number ≥ 0, or the words for "no limit"
            formula = (
                f'OR(AND(ISNUMBER({first}2),{first}2>=0),LOWER(TRIM({first}2))="{sheet.no_limit}")'
            )
            validation = DataValidation(type="custom", formula1=formula, allow_blank=True)
        else:
            validation = DataValidation(
                type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True
            )
        validation.showErrorMessage = True
        validation.errorTitle, validation.error = sheet.invalid
        for index in group:
            letter = get_column_letter(index + 1)
            validation.add(f"{letter}2:{letter}{rows + 1}")
        out.data_validations.append(validation)  # type: ignore[attr-defined]


def _write_parameters(
    book: openpyxl.Workbook, title: str, rows: Sequence[tuple[str, object, Kind]]
) -> None:
    out = book.create_sheet(title[:31])
    texts = [len(str(value)) for _, value, kind in rows if kind is Kind.TEXT]
    out.column_dimensions["A"].width = max((len(label) for label, _, _ in rows), default=10) + 2
    out.column_dimensions["B"].width = min(max([22, *texts]) + 2, 90)
    out.page_setup.orientation = "portrait"
    out.page_setup.paperSize = _A4
    out.page_setup.fitToWidth = 1
    out.page_setup.fitToHeight = 0
    out.sheet_properties.pageSetUpPr.fitToPage = True
    for label, value, kind in rows:
        (shown,) = cells(pd.Series([value], dtype=object), kind, ("ja", "nej"))
        number_format = _FORMAT.get(kind, (0, None))[1]
        value_cell = _styled(out, shown, _BODY, number_format)
        if kind is Kind.TEXT:
            value_cell.alignment = _WRAP
        out.append([_styled(out, label, _BOLD, None), value_cell])


def write_csv(paths: Sequence[Path], sheet: Sheet, parameters: Sequence[tuple[str, object, Kind]],
              language: str, yes_no: tuple[str, str]) -> None:  # fmt: skip
    """Write ``sheet`` to ``paths[0]`` and, if given, ``parameters`` to ``paths[1]``.

    Swedish: ``;`` and decimal comma (what Swedish Excel opens into columns);
    English: ``,`` and ``.``. Values are rounded as in the workbook.
    """
    delimiter, decimal = (";", ",") if language == "sv" else (",", ".")

    def text(value: object) -> str:
        if value is None or (isinstance(value, float) and math.isinf(value)):
            return ""
        if isinstance(value, str):
            return neutralise(value)
        if isinstance(value, int):
            return str(value)
        return repr(float(value)).replace(".", decimal)  # type: ignore[arg-type]

    rows, totals = _table(sheet, yes_no)
    with open(paths[0], "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow([c.header for c in sheet.columns])
        writer.writerows([text(v) for v in row] for row in rows)
        if totals:
            writer.writerow([text(v) for v in totals])
    if len(paths) < 2:
        return
    with open(paths[1], "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        for label, value, kind in parameters:
            (shown,) = cells(pd.Series([value], dtype=object), kind, yes_no)
            writer.writerow([neutralise(label), text(shown)])
