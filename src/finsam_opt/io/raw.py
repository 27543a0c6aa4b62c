"""Raw cells from CSV and Excel files, with the size and safety checks.

Every reader in :mod:`finsam_opt.io` goes through :func:`read_cells`, which
returns the rows of one sheet as lists of cell values (str, int, float or None)
with the row number the user sees in Excel or a text editor (1-based).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import defusedxml
import openpyxl
import openpyxl.xml

from finsam_opt.errors import InputError

__all__ = ["MAX_FILE_BYTES", "MAX_ROWS", "MAX_UNPACKED_BYTES", "Sheet", "read_cells"]

MAX_FILE_BYTES = 20_000_000
"""Larger input files are refused: a year's data for 290 municipalities is ~50 kB."""

MAX_UNPACKED_BYTES = 200_000_000
"""An .xlsx whose parts unpack to more than this is refused (a zip bomb)."""

MAX_ROWS = 100_000
"""More rows than this is not a table of municipalities or förbund."""

Cell = str | int | float | None


@dataclass(frozen=True)
class Sheet:
    """The rows of one sheet; ``rows[k]`` is row ``first_row + k`` in the file."""

    where: str  # "file.xlsx, sheet 'Svar'" or "file.csv"
    rows: tuple[tuple[Cell, ...], ...]
    first_row: int = 1


def read_cells(path: str | Path, sheet: str | None = None) -> Sheet:
    """Read the cells of a CSV file or one sheet of an .xlsx file.

    Raises
    ------
    InputError
        The file is missing, too large, of an unknown format, or unreadable.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path.name}: file not found ({path})")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(
            f"{path.name}: file is {size:,} bytes, larger than the limit of "
            f"{MAX_FILE_BYTES:,} bytes; this is not a table of förbund or municipalities"
        )
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        if sheet is not None:
            raise InputError(f"{path.name}: a CSV file has no sheets (asked for sheet '{sheet}')")
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    if suffix == ".xls":
        raise InputError(
            f"{path.name}: the old Excel format .xls is not supported; "
            "save the file as .xlsx (Excel-arbetsbok) or CSV"
        )
    raise InputError(f"{path.name}: unknown file type '{suffix}'; use .xlsx or .csv")


def _decode(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Swedish Excel saves "CSV (semikolonavgränsad)" in Windows-1252.
        return data.decode("cp1252", errors="strict")


def _read_csv(path: Path) -> Sheet:
    try:
        text = _decode(path)
    except UnicodeDecodeError as error:
        raise InputError(
            f"{path.name}: not a text file (neither UTF-8 nor Windows-1252)"
        ) from error
    if "\x00" in text:
        raise InputError(f"{path.name}: not a text file (contains NUL bytes)")
    # The header is the line with the most separators among the first lines; title
    # lines above it have none.
    lines = text.splitlines()[:20]
    delimiter = max(";\t,", key=lambda d: max((line.count(d) for line in lines), default=0))
    rows: list[tuple[Cell, ...]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            if len(rows) >= MAX_ROWS:
                raise InputError(f"{path.name}: more than {MAX_ROWS:,} rows; refused")
            rows.append(tuple(cell if cell.strip() else None for cell in row))
    except csv.Error as error:
        raise InputError(f"{path.name}, row {reader.line_num}: broken CSV ({error})") from error
    return Sheet(path.name, tuple(rows))


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise InputError(f"{path.name}: not a valid .xlsx file (not a zip archive)") from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError(
            f"{path.name}: unpacks to {unpacked:,} bytes, more than the limit of "
            f"{MAX_UNPACKED_BYTES:,}; refused"
        )


def _read_xlsx(path: Path, sheet: str | None) -> Sheet:
    # openpyxl parses with defusedxml when it is installed; refuse to run without it.
    if not openpyxl.xml.DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise InputError("reading .xlsx needs the package defusedxml (pip install defusedxml)")
    _check_zip(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for broken files
        raise _unreadable(path, error) from error
    try:
        if sheet is None:
            chosen = book.worksheets[0]
        elif sheet in book.sheetnames:
            chosen = book[sheet]
        else:
            names = ", ".join(f"'{s}'" for s in book.sheetnames)
            raise InputError(f"{path.name}: no sheet '{sheet}' (the sheets are {names})")
        rows: list[tuple[Cell, ...]] = []
        for row in chosen.iter_rows(values_only=True):
            if len(rows) >= MAX_ROWS:
                raise InputError(
                    f"{path.name}, sheet '{chosen.title}': more than {MAX_ROWS:,} rows; refused"
                )
            rows.append(tuple(_cell(value) for value in row))
        return Sheet(f"{path.name}, sheet '{chosen.title}'", tuple(rows))
    except InputError:
        raise
    except Exception as error:
        raise _unreadable(path, error) from error
    finally:
        book.close()


def _unreadable(path: Path, error: BaseException) -> InputError:
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, defusedxml.DefusedXmlException):
            return InputError(
                f"{path.name}: refused: the file contains XML entity or DTD declarations, "
                "which Excel never writes (possible XML attack)"
            )
        cause = cause.__cause__ or cause.__context__
    first = str(error).splitlines()[0] if str(error) else type(error).__name__
    return InputError(f"{path.name}: not a readable .xlsx file ({first})")


def _cell(value: object) -> Cell:
    if isinstance(value, bool):
        return str(value).upper()
    if value is None or isinstance(value, (str, int, float)):
        if isinstance(value, str) and not value.strip():
            return None
        return value  # type: ignore[return-value]
    # Dates and times are kept as text so the table reader can name them.
    return str(value)
