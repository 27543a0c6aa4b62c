"""Raw cells from CSV and Excel files, with the size and safety checks.

Every reader in :mod:`finsam_opt.io` goes through :func:`read_cells`, which
returns the rows of one sheet as lists of cell values (str, int, float, None,
:class:`Uncomputed` or :class:`ErrorValue`) with the row number the user sees in Excel or a text
editor (1-based). Only regular files are read, never more than
:data:`MAX_FILE_BYTES` bytes, whatever the file system says about the size.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import stat
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import defusedxml
import openpyxl
import openpyxl.xml
from openpyxl.utils import get_column_letter

from finsam_opt.errors import InputError
from finsam_opt.language.numbers import format_number

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "ErrorValue",
    "Place",
    "Sheet",
    "Uncomputed",
    "read_bytes",
    "read_cells",
    "refuse_hidden",
]

MAX_FILE_BYTES = 20_000_000
"""Larger input files are refused: a year's data for 290 municipalities is ~50 kB."""

MAX_UNPACKED_BYTES = 200_000_000
"""An .xlsx whose parts unpack to more than this is refused (a zip bomb)."""

MAX_ROWS = 100_000
"""More rows than this is not a table of municipalities or förbund."""


@dataclass(frozen=True)
class Uncomputed:
    """A formula cell saved without its computed value (written by a script, not Excel).

    Reading it as empty would turn an amount into "no limit" or "new unit", so
    the table reader refuses it where the cell is used.
    """

    cell: str  # "D5"
    formula: str  # "=B5*2"


@dataclass(frozen=True)
class ErrorValue:
    """A cell holding an Excel error (``#REF!``, ``#N/A``, ``#DIV/0!``): not a value to read."""

    cell: str  # "A3"
    error: str  # "#REF!"


Cell = str | int | float | Uncomputed | ErrorValue | None

# A formula element, also with a namespace prefix (<x:f>) as some libraries write it.
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_MERGE_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?ref=\"([A-Z]+\d+:[A-Z]+\d+)\"")
# <row r="5" hidden="1"> and <col min="5" max="6" hidden="1"/>: what read-only mode drops.
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\s([^>]*)>")
_COL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?col\s([^>]*)>")
_HIDDEN = re.compile(rb'(?:^|\s)hidden="(?:1|true)"')


@dataclass(frozen=True)
class Place:
    """Where in a file a message points: file, sheet, row and column, in English and Swedish.

    Examples
    --------
    >>> from finsam_opt.io.raw import Place
    >>> place = Place("forbund.xlsx", "Förbund").at(3, "Försörjningsmått")
    >>> print(place.en)
    forbund.xlsx, sheet 'Förbund', row 3, column 'Försörjningsmått'
    >>> print(place.sv)
    forbund.xlsx, flik 'Förbund', rad 3, kolumn 'Försörjningsmått'
    >>> print(place.cell("D5", "sv"))
    forbund.xlsx, flik 'Förbund', cell D5 (kolumn 'Försörjningsmått')
    """

    file: str  # "forbund.xlsx"
    sheet: str | None = None  # the sheet of an .xlsx file; None for a CSV file
    row: int | None = None  # as the user sees it (1-based)
    column: str | None = None  # the header as written in the file

    def at(self, row: int, column: str | None = None) -> Place:
        """The place of row ``row`` (and ``column``) of this file and sheet."""
        return replace(self, row=row, column=column)

    @property
    def en(self) -> str:
        """``file.xlsx, sheet 'S', row 3, column 'X'``."""
        return self._text(("sheet", "row", "column"))

    @property
    def sv(self) -> str:
        """``file.xlsx, flik 'S', rad 3, kolumn 'X'``."""
        return self._text(("flik", "rad", "kolumn"))

    def cell(self, coordinate: str, language: str = "en") -> str:
        """``file.xlsx, sheet 'S', cell D5 (column 'X')``: a cell named by its coordinate."""
        sheet, column = ("flik", "kolumn") if language == "sv" else ("sheet", "column")
        where = self.file if self.sheet is None else f"{self.file}, {sheet} '{self.sheet}'"
        named = f" ({column} '{self.column}')" if self.column is not None else ""
        return f"{where}, cell {coordinate}{named}"

    def _text(self, words: tuple[str, str, str]) -> str:
        parts = [self.file]
        if self.sheet is not None:
            parts.append(f"{words[0]} '{self.sheet}'")
        if self.row is not None:
            parts.append(f"{words[1]} {self.row}")
        if self.column is not None:
            parts.append(f"{words[2]} '{self.column}'")
        return ", ".join(parts)


@dataclass(frozen=True)
class Sheet:
    """The rows of one sheet; ``rows[k]`` is row ``first_row + k`` in the file.

    ``lines[k]`` is the line of a CSV file where row ``k`` starts (a quoted cell
    may span lines); ``fields`` says that every row of a CSV file had to have
    as many fields as its header (Excel rows have their columns, not fields).
    """

    place: Place  # the file and, in an .xlsx file, the sheet
    rows: tuple[tuple[Cell, ...], ...]
    first_row: int = 1
    lines: tuple[int, ...] | None = None
    merged: tuple[str, ...] = ()  # merged ranges of an .xlsx sheet, e.g. ("E2:E3",)
    percent: frozenset[tuple[int, int]] = frozenset()  # (row index, column) of "0%" cells
    hidden_rows: frozenset[int] = frozenset()  # row numbers (as in Excel) hidden in an .xlsx
    hidden_columns: frozenset[int] = frozenset()  # column positions (0 is A) hidden in an .xlsx

    @property
    def where(self) -> str:
        """``file.xlsx, sheet 'Svar'`` or ``file.csv``, for an English message."""
        return self.place.en

    def line(self, index: int) -> int:
        """The row or line number the user sees for ``rows[index]``."""
        return self.lines[index] if self.lines is not None else self.first_row + index


def read_cells(path: str | Path, sheet: str | None = None) -> Sheet:
    """Read the cells of a CSV file or one sheet of an .xlsx file.

    Raises
    ------
    InputError
        The file is missing, too large, of an unknown format, or unreadable.
    """
    path = Path(path)
    _check_file(path)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        if sheet is not None:
            raise InputError(
                f"{path.name}: a CSV file has no sheets (asked for sheet '{sheet}')",
                sv=f"{path.name}: en CSV-fil har inga flikar (fliken '{sheet}' angavs)",
            )
        return _read_csv(path, read_bytes(path))
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, read_bytes(path), sheet)
    if suffix == ".xls":
        raise InputError(
            f"{path.name}: the old Excel format .xls is not supported; "
            "save the file as .xlsx (Excel-arbetsbok) or CSV",
            sv=f"{path.name}: det gamla Excel-formatet .xls stöds inte; spara filen som "
            "Excel-arbetsbok (.xlsx) eller som 'CSV UTF-8 (kommaavgränsad)'",
        )
    raise InputError(
        f"{path.name}: unknown file type '{suffix}'; use .xlsx or .csv",
        sv=f"{path.name}: okänd filtyp '{suffix}'; använd .xlsx eller .csv",
    )


def read_bytes(path: str | Path) -> bytes:
    """The bytes of a regular file of at most :data:`MAX_FILE_BYTES` bytes.

    Raises
    ------
    InputError
        The path is missing, a folder, a pipe or device, unreadable or too large.

    Examples
    --------
    >>> import tempfile
    >>> from finsam_opt.io.raw import read_bytes
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     try:
    ...         read_bytes(folder)
    ...     except Exception as error:
    ...         print(type(error).__name__, str(error).split(": ", 1)[1])
    InputError is a folder, not a file; give the path of a .xlsx or .csv file
    """
    path = Path(path)
    _check_file(path)
    try:
        # O_NONBLOCK: a file swapped for a pipe after the check must not hang the open.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise _cannot_read(path, error) from None
    if len(data) > MAX_FILE_BYTES:  # the file grew, or its size was not what stat said
        raise _too_large(path, None)
    return data


def _check_file(path: Path) -> None:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(
            f"{path.name}: file not found ({path})",
            sv=f"{path.name}: filen finns inte ({path})",
        ) from None
    except OSError as error:
        raise _cannot_read(path, error) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(
            f"{path.name}: is a folder, not a file; give the path of a .xlsx or .csv file",
            sv=f"{path.name}: är en mapp, inte en fil; ange sökvägen till en .xlsx- eller .csv-fil",
        )
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            f"{path.name}: is not a regular file (a pipe, socket or device); "
            "save the data to a file and give that file's path",
            sv=f"{path.name}: är ingen vanlig fil (utan en pipe, en socket eller en enhet); "
            "spara data i en fil och ange den filens sökväg",
        )
    if info.st_size > MAX_FILE_BYTES:
        raise _too_large(path, info.st_size)


def _cannot_read(path: Path, error: OSError) -> InputError:
    return InputError(
        f"{path.name}: cannot be read ({error.strerror})",
        sv=f"{path.name}: kan inte läsas ({error.strerror})",
    )


def _too_large(path: Path, size: int | None) -> InputError:
    """``size`` bytes (None: more than the limit, read so far) is more than a table holds."""
    limit_en, limit_sv = f"{MAX_FILE_BYTES:,}", format_number(MAX_FILE_BYTES, "sv")
    en = f"more than {limit_en}" if size is None else f"{size:,}"
    sv = f"mer än {limit_sv}" if size is None else format_number(size, "sv")
    return InputError(
        f"{path.name}: file is {en} bytes, larger than the limit of {limit_en} bytes; "
        "this is not a table of förbund or municipalities",
        sv=f"{path.name}: filen är på {sv} byte, mer än gränsen på {limit_sv} byte; det är "
        "ingen tabell över förbund eller kommuner",
    )


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Swedish Excel saves "CSV (semikolonavgränsad)" in Windows-1252.
        return data.decode("cp1252", errors="strict")


def _check_one_encoding(path: Path, data: bytes) -> None:
    """Refuse a file whose lines are UTF-8 except some: two encodings pasted together."""
    utf8 = bad = 0
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad = bad or number
        else:
            utf8 += 1
        if utf8 and bad:
            raise InputError(
                f"{path.name}, line {bad}: not UTF-8, while other lines are: the file mixes "
                "two encodings (rows pasted from another export) and its å, ä and ö would be "
                "garbled; save the file again as 'CSV UTF-8' after correcting that line",
                sv=f"{path.name}, rad {bad}: inte UTF-8, fast andra rader är det: filen blandar "
                "två kodningar (rader inklistrade från en annan export), och dess å, ä och ö "
                "skulle bli fel; rätta raden och spara filen igen som 'CSV UTF-8 "
                "(kommaavgränsad)'",
            )


def _refuse_utf16(path: Path, data: bytes) -> None:
    """Refuse UTF-16, what Excel's "Unicode text" (Unicode-text) saves: with a byte order
    mark, or without one but with every other byte of its first characters NUL."""
    sample = data[:512]
    half = len(sample) // 2
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
        half >= 2 and max(sample[0::2].count(0), sample[1::2].count(0)) > half // 2
    ):
        raise InputError(
            f"{path.name}: the file is UTF-16 (Excel's 'Unicode text'), not a CSV file; "
            "in Excel, save it as 'CSV UTF-8 (kommaavgränsad)' or as an Excel workbook (.xlsx)",
            sv=f"{path.name}: filen är UTF-16 (Excels 'Unicode-text'), inte en CSV-fil; spara "
            "den i Excel som 'CSV UTF-8 (kommaavgränsad)' eller som Excel-arbetsbok (.xlsx)",
        )


def _read_csv(path: Path, data: bytes) -> Sheet:
    _refuse_utf16(path, data)
    _check_one_encoding(path, data)
    try:
        text = _decode(data)
    except UnicodeDecodeError as error:
        raise InputError(
            f"{path.name}: not a text file (neither UTF-8 nor Windows-1252)",
            sv=f"{path.name}: ingen textfil (varken UTF-8 eller Windows-1252)",
        ) from error
    if "\x00" in text:
        raise InputError(
            f"{path.name}: not a text file (contains NUL bytes)",
            sv=f"{path.name}: ingen textfil (innehåller NUL-byte)",
        )
    # The header is the line with the most separators among the first lines; title
    # lines above it have none.
    lines = text.splitlines()[:20]
    delimiter = max(";\t,", key=lambda d: max((line.count(d) for line in lines), default=0))
    rows: list[tuple[Cell, ...]] = []
    starts: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    try:
        while True:
            start = reader.line_num + 1
            row = next(reader, None)
            if row is None:
                break
            if len(rows) >= MAX_ROWS:
                raise _too_many_rows(Place(path.name))
            rows.append(tuple(cell if cell.strip() else None for cell in row))
            starts.append(start)
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            raise InputError(
                f'{path.name}, line {start}: a quote (") opened here is never closed; '
                "close it or remove it",
                sv=f'{path.name}, rad {start}: ett citattecken (") som inleds här avslutas '
                "aldrig; lägg till det avslutande citattecknet eller ta bort det",
            ) from error
        raise InputError(
            f"{path.name}, line {reader.line_num}: broken CSV ({error})",
            sv=f"{path.name}, rad {reader.line_num}: trasig CSV ({error})",
        ) from error
    return Sheet(Place(path.name), tuple(rows), lines=tuple(starts))


def _too_many_rows(place: Place) -> InputError:
    return InputError(
        f"{place.en}: more than {MAX_ROWS:,} rows; refused",
        sv=f"{place.sv}: fler än {format_number(MAX_ROWS, 'sv')} rader; läses inte",
    )


def _check_zip(path: Path, data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise InputError(
            f"{path.name}: not a valid .xlsx file (not a zip archive)",
            sv=f"{path.name}: ingen giltig .xlsx-fil (inget zip-arkiv)",
        ) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError(
            f"{path.name}: unpacks to {unpacked:,} bytes, more than the limit of "
            f"{MAX_UNPACKED_BYTES:,}; refused",
            sv=f"{path.name}: packas upp till {format_number(unpacked, 'sv')} byte, mer än "
            f"gränsen på {format_number(MAX_UNPACKED_BYTES, 'sv')}; läses inte",
        )


def _read_xlsx(path: Path, data: bytes, sheet: str | None) -> Sheet:
    # openpyxl parses with defusedxml when it is installed; refuse to run without it.
    if not openpyxl.xml.DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise InputError(
            "reading .xlsx needs the package defusedxml (pip install defusedxml)",
            sv="för att läsa .xlsx behövs paketet defusedxml (pip install defusedxml)",
        )
    _check_zip(path, data)
    try:
        # Values as Excel last computed them, and the formulas, to find cells without a value.
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = (
            openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            if _has_formulas(data)
            else None
        )
    except Exception as error:  # openpyxl raises many types for broken files
        raise _unreadable(path, error) from error
    try:
        if sheet is None:
            chosen = book.worksheets[0]
            if getattr(chosen, "sheet_state", "visible") != "visible":
                raise InputError(
                    f"{path.name}: the first sheet, '{chosen.title}', is hidden, and it is the "
                    "one read when no sheet is named; unhide it in Excel, or name the sheet to "
                    "read (--sheet on the command line, sheet= in Python)",
                    sv=f"{path.name}: första fliken, '{chosen.title}', är dold, och det är den "
                    "som läses när ingen flik anges; ta fram den i Excel, eller ange fliken "
                    "(--sheet på kommandoraden, sheet= i Python)",
                )
        elif sheet in book.sheetnames:
            chosen = book[sheet]
        else:
            names = ", ".join(f"'{s}'" for s in book.sheetnames)
            raise InputError(
                f"{path.name}: no sheet '{sheet}' (the sheets are {names})",
                sv=f"{path.name}: ingen flik '{sheet}' (flikarna heter {names})",
            )
        rows: list[tuple[Cell, ...]] = []
        percent: set[tuple[int, int]] = set()
        place = Place(path.name, chosen.title)
        written = iter(()) if formulas is None else formulas[chosen.title].iter_rows()
        for row in chosen.iter_rows():
            if len(rows) >= MAX_ROWS:
                raise _too_many_rows(place)
            source = {c.coordinate: c.value for c in next(written, ()) if hasattr(c, "coordinate")}
            rows.append(tuple(_cell(cell, source) for cell in row))
            percent.update(
                (len(rows) - 1, position)
                for position, cell in enumerate(row)
                if isinstance(getattr(cell, "value", None), (int, float))
                and "%" in str(getattr(cell, "number_format", ""))
            )
        part = getattr(chosen, "_worksheet_path", "")
        hidden_rows, hidden_columns = _hidden(data, part)
        return Sheet(
            place,
            tuple(rows),
            merged=_merged_ranges(data, part),
            percent=frozenset(percent),
            hidden_rows=hidden_rows,
            hidden_columns=hidden_columns,
        )
    except InputError:
        raise
    except Exception as error:
        raise _unreadable(path, error) from error
    finally:
        book.close()
        if formulas is not None:
            formulas.close()


def _merged_ranges(data: bytes, part: str) -> tuple[str, ...]:
    """The merged ranges (``<mergeCell ref="E2:E3"/>``) of one sheet; read-only mode has none."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if part not in archive.namelist():
            return ()
        return tuple(r.decode() for r in _MERGE_CELL.findall(archive.read(part)))


def _hidden(data: bytes, part: str) -> tuple[frozenset[int], frozenset[int]]:
    """The hidden rows (Excel's numbers) and columns (positions, 0 is A) of one sheet, from
    its XML: read-only mode has no row or column dimensions."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if part not in archive.namelist():
            return frozenset(), frozenset()
        xml = archive.read(part)
    rows: set[int] = set()
    number = 0
    for match in _ROW_TAG.finditer(xml):
        attributes = match.group(1)
        given = re.search(rb'(?:^|\s)r="(\d+)"', attributes)
        number = int(given.group(1)) if given else number + 1  # r may be left out
        if _HIDDEN.search(attributes):
            rows.add(number)
    columns: set[int] = set()
    for match in _COL_TAG.finditer(xml):
        attributes = match.group(1)
        low = re.search(rb'(?:^|\s)min="(\d+)"', attributes)
        high = re.search(rb'(?:^|\s)max="(\d+)"', attributes)
        if _HIDDEN.search(attributes) and low and high:
            # A <col> range may run to column XFD; only columns that can hold cells count.
            columns.update(range(int(low.group(1)) - 1, min(int(high.group(1)), 16_384)))
    return frozenset(rows), frozenset(columns)


def refuse_hidden(sheet: Sheet, header_index: int, used: Iterable[int] | None = None) -> None:
    """Refuse hidden rows that hold data (from the header down) and hidden columns that the
    reader uses (``used`` positions; None: every column with data).

    A hidden row or column is data all the same, so it would be read; but what the
    user sees on screen is not what would be allocated, and a hidden row is most
    often one meant to be left out. Never guess: unhide, or delete.
    """
    filled = [
        sheet.line(k)
        for k in range(header_index, len(sheet.rows))
        if sheet.line(k) in sheet.hidden_rows and any(c is not None for c in sheet.rows[k])
    ]
    if filled:
        shown = _listed([str(r) for r in filled[:10]]) + (" …" if len(filled) > 10 else "")
        noun, verb = ("rows", "are") if len(filled) > 1 else ("row", "is")
        raise InputError(
            f"{sheet.where}: {noun} {shown} {verb} hidden; a hidden row would be read like "
            "any other, though it is not on the screen: unhide them (or clear the filter) "
            "and delete the rows that should be left out",
            sv=f"{sheet.place.sv}: {'raderna' if len(filled) > 1 else 'raden'} "
            f"{shown.replace(' and ', ' och ')} är dold{'a' if len(filled) > 1 else ''}; en "
            "dold rad skulle läsas som alla andra, fast den inte syns: ta fram raderna (eller "
            "ta bort filtret) och radera de rader som inte ska vara med",
        )
    header = sheet.rows[header_index] if sheet.rows else ()
    width = max((len(row) for row in sheet.rows), default=0)
    candidates = range(width) if used is None else used
    for position in sorted(p for p in candidates if p in sheet.hidden_columns):
        column = [row[position] for row in sheet.rows[header_index:] if position < len(row)]
        if any(c is not None for c in column):
            name = header[position] if position < len(header) else None
            label = f" ('{name}')" if name is not None else ""
            letter = get_column_letter(position + 1)
            raise InputError(
                f"{sheet.where}: column {letter}{label} is hidden; it would be read, though it "
                "is not on the screen: unhide it, or delete it if it should not be read",
                sv=f"{sheet.place.sv}: kolumn {letter}{label} är dold; den skulle läsas, "
                "fast den inte syns: ta fram den, eller radera den om den inte ska läsas",
            )


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _has_formulas(data: bytes) -> bool:
    """Whether any sheet holds a formula (``<f>``): only then are the formulas read as well."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return any(
            _FORMULA_TAG.search(archive.read(name))
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        )


def _unreadable(path: Path, error: BaseException) -> InputError:
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, defusedxml.DefusedXmlException):
            return InputError(
                f"{path.name}: refused: the file contains XML entity or DTD declarations, "
                "which Excel never writes (possible XML attack)",
                sv=f"{path.name}: läses inte: filen innehåller XML-entiteter eller "
                "DTD-deklarationer, som Excel aldrig skriver (en möjlig XML-attack)",
            )
        cause = cause.__cause__ or cause.__context__
    first = str(error).splitlines()[0] if str(error) else type(error).__name__
    return InputError(
        f"{path.name}: not a readable .xlsx file ({first})",
        sv=f"{path.name}: ingen läsbar .xlsx-fil ({first})",
    )


def _cell(cell: object, formulas: dict[str, object]) -> Cell:
    value = getattr(cell, "value", None)
    coordinate = getattr(cell, "coordinate", None)
    if value is None and coordinate is not None:
        formula = formulas.get(coordinate)
        if isinstance(formula, str) and formula.startswith("="):
            return Uncomputed(coordinate, formula)
        if formula is not None and not isinstance(formula, (str, int, float)):
            return Uncomputed(coordinate, f"={getattr(formula, 'text', '')}")  # array formula
    if getattr(cell, "data_type", None) == "e" and coordinate is not None:
        return ErrorValue(coordinate, str(value))
    if isinstance(value, bool):
        return str(value).upper()
    if value is None or isinstance(value, (str, int, float)):
        if isinstance(value, str) and not value.strip():
            return None
        return value  # type: ignore[return-value]
    # Dates and times are kept as text so the table reader can name them.
    return str(value)
