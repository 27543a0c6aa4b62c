"""The corpus of malformed input files, generated: each maker says in code what is wrong.

``make_bad_files(folder)`` writes every file of :data:`BAD_FILES` into ``folder``;
the tests (tests/io/test_bad_files.py, tests/cli/test_cli.py) read them from there.
"""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl

UNITS = "Förbund;Invånare 16-64;Försörjningsmått\n"
MUNIS = "Kommunkod;Kommun;Län;Invånare 16-64;Försörjningsmått\n"
UNPACKED_BOMB_BYTES = 210_000_000


def _text(text: str) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(text.encode("utf-8"))


def _bytes(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def _xlsx(title: str, *rows: list[object]) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        book = openpyxl.Workbook()
        book.active.title = title
        for row in rows:
            book.active.append(row)
        book.save(path)

    return make


def _xml_entities(path: Path) -> None:
    """A workbook whose sheet declares XML entities (the start of a billion-laughs file)."""
    _xlsx("Sheet", ["Förbund", "Invånare 16-64", "Försörjningsmått"], ["A", 10, 100])(path)
    declaration = b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
    with zipfile.ZipFile(path.with_suffix(".tmp"), "w") as target:
        with zipfile.ZipFile(path) as source:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "xl/worksheets/sheet1.xml":
                    declaration = (
                        b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
                    )
                    data = data.replace(b"<worksheet", declaration + b"<worksheet", 1)
                target.writestr(item, data)
    path.with_suffix(".tmp").replace(path)


def _zip_bomb(path: Path) -> None:
    """200 kB that unpack to 210 MB of zeros."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(UNPACKED_BOMB_BYTES // len(chunk)):
                member.write(chunk)
            member.write(b"\0" * (UNPACKED_BOMB_BYTES % len(chunk)))


BAD_FILES: dict[str, Callable[[Path], None]] = {
    "answers_negative_request.csv": _text(
        "Förbund;Ansökt belopp (kr);Kommunernas bidrag (kr);Regionens bidrag (kr)\nA;-1;2;3\n"
    ),
    "answers_no_amount_columns.csv": _text("Förbund;Kommentar\nA;ok\n"),
    "applications_missing_application.csv": _text(
        "Förbund;Ansökt belopp;Kommunernas extra bidrag\nA;1 000 000;500 000\n"
    ),
    "applications_negative_application.csv": _text(
        "Förbund;Ansökan ofördelade medel;Regionens extra bidrag\n"
        "A;1 000 000;500 000\nB;-200 000;100 000\n"
    ),
    "members_bad_year.csv": _text("Kommunkod;Förbund;År\n0114;A;twenty\n"),
    "members_missing_unit.csv": _text("Kommunkod;År\n0114;2025\n"),
    "munis_bad_code.csv": _text(
        MUNIS + "0114;Upplands Väsby;Stockholms län;30000;100\n11A;X;Stockholms län;1;1\n"
    ),
    "munis_duplicate_code.csv": _text(
        MUNIS + "0114;Upplands Väsby;Stockholms län;30000;100\n0114;Vallentuna;Stockholms län;1;1\n"
    ),
    "munis_missing_region.csv": _text(
        "Kommunkod;Kommun;Invånare 16-64;Försörjningsmått\n0114;Upplands Väsby;30000;100\n"
    ),
    "units_ambiguous_separators.csv": _text(UNITS + "A;10;1.234,5\n"),
    "units_csv_sheet_given.csv": _text(UNITS + "A;10;100\n"),
    "units_date_cell.xlsx": _xlsx(
        "Sheet",
        ["Förbund", "Invånare 16-64", "Försörjningsmått"],
        ["A", datetime.datetime(2025, 1, 1), 100],
    ),
    "units_duplicate_column.csv": _text(
        "Förbund;Invånare 16-64;Försörjningsmått;Population\nA;10;100;5\n"
    ),
    "units_duplicate_unit.csv": _text(UNITS + "A;10;100\nB;10;100\nA;5;5\n"),
    "units_empty_file.csv": _bytes(b""),
    "units_empty_population.csv": _text(UNITS + "A;10;100\nB;;100\n"),
    "units_empty_unit_name.csv": _text(UNITS + "A;10;100\n;10;100\n"),
    "units_header_only.csv": _text(UNITS),
    "units_missing_population.csv": _text("Förbund;Försörjningsmått\nA;100\n"),
    "units_missing_sheet.xlsx": _xlsx(
        "Data", ["Förbund", "Invånare 16-64", "Försörjningsmått"], ["A", 10, 100]
    ),
    "units_misspelt_column.csv": _text(
        "Förbund;Invånare 16-64;Försörjningsmått;Föregånde års tilldelning\nA;10;100;5\n"
    ),
    "units_nan_text.csv": _text(UNITS + "A;10;inf\n"),
    "units_negative_previous.csv": _text(
        "Förbund;Invånare 16-64;Försörjningsmått;Föregående års tilldelning\n"
        "A;10;100;5\nB;10;100;-5\n"
    ),
    "units_negative_support.xlsx": _xlsx(
        "Svar", ["Förbund", "Invånare 16-64", "Försörjningsmått"], ["A", 10, 100], ["B", 5, -3]
    ),
    "units_negative_tkr.csv": _text(
        "Förbund;Invånare 16-64;Försörjningsmått;Föregående års tilldelning (tkr)\n"
        "A;10;100;5 kr\nB;10;100;\u22122 tkr\n"
    ),
    "units_no_header.csv": _text("A;10;100\nB;20;200\n"),
    "units_not_a_zip.xlsx": _text("this is a csv renamed to xlsx\n"),
    "units_nul_bytes.csv": _bytes("Förbund;Invånare 16-64\0;Försörjningsmått\nA;1;1\n".encode()),
    "units_old_excel.xls": _bytes(b"not really"),
    "units_population_header_tkr.csv": _text(
        "Förbund;Invånare 16-64 (tkr);Försörjningsmått\nA;10;100\n"
    ),
    "units_population_in_kr.csv": _text(UNITS + "A;10 tkr;100\n"),
    "units_text_in_number.csv": _text(UNITS + "A;10;100\nB;tio;100\n"),
    "units_two_commas.csv": _text(UNITS + "A;10;1,234,567\n"),
    "units_wrong_suffix.ods": _bytes(b"not really"),
    "units_xml_entities.xlsx": _xml_entities,
    "units_zip_bomb.xlsx": _zip_bomb,
}
"""Every malformed file by name; the prefix says which table kind it is read as."""


def make_bad_files(folder: Path) -> Path:
    """Write every file of :data:`BAD_FILES` into ``folder`` and return it."""
    for name, make in BAD_FILES.items():
        make(folder / name)
    return folder
