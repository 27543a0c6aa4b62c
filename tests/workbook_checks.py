"""What every workbook a person receives must satisfy; shared by the io and CLI tests."""

from __future__ import annotations

import math
import re

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

ENGLISH_WORDS = (
    # binding rules, policies, solvers and scenarios that must not reach a Swedish reader
    "relaxed-floor", "no-floor-equity", "not-applied", "equity-cut", "equity-rationed",
    "rationed", "key-share", "raise-limit", "scale-gains", "proportional", "equity-first",
    "equity-penalty", "by-key", "fast", "highs", "cbc", "scipy", "surplus", "deficit",
    "balance", "ideal", "cap", "floor", "new", "scaled", "base", "full", "no limit", "Total",
    # what a blank contribution is taken as (Parameters.unanswered) and the matching status
    "unanswered", "previous", "no-limit", "error", "collected",
)  # fmt: skip
ANSWER_HEADERS = ("Ansökt belopp (kr)", "Kommunernas bidrag (kr)", "Regionens bidrag (kr)",
                  "Kommentar")  # fmt: skip
_WORD = re.compile(r"[\w-]+|no limit", re.UNICODE)


def amount_columns(sheet: Worksheet) -> list[int]:
    """0-based indices of the columns whose header says kronor."""
    header = [c.value for c in sheet[1]]
    return [i for i, h in enumerate(header) if isinstance(h, str) and h.endswith("(kr)")]


def check_amounts_whole(sheet: Worksheet) -> None:
    """Every amount cell is a whole number (int), never text, never -0."""
    for column in amount_columns(sheet):
        if "exakt" in str(sheet.cell(1, column + 1).value).lower():
            continue
        for row in sheet.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
            value = row[0].value
            where = f"{sheet.title}!{row[0].coordinate}"
            if value == "ingen gräns":  # a contribution without a limit, in words
                assert "bidrag" in str(sheet.cell(1, column + 1).value), where
                continue
            assert value is None or isinstance(value, int), f"{where}: {value!r} is not whole kr"


def check_totals_add_up(sheet: Worksheet, label: str) -> None:
    """The total row's amounts equal the sum of the rows above, as printed."""
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows and rows[-1][0] == label, f"{sheet.title}: no total row '{label}'"
    body, totals = rows[:-1], rows[-1]
    for column in amount_columns(sheet):
        if totals[column] is None:
            continue
        printed = sum(r[column] for r in body if isinstance(r[column], (int, float)))
        assert math.isclose(totals[column], printed, abs_tol=0.0051), (
            f"{sheet.title} column {column + 1}: total {totals[column]} != {printed}"
        )


def check_print_setup(sheet: Worksheet) -> None:
    """A4 landscape, one page wide, header row and name column on every page."""
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == "9"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$1:$1" and sheet.print_title_cols == "$A:$A"
    assert sheet.freeze_panes == "B2"
    assert all(c.alignment.wrap_text for c in sheet[1])
    assert {c.font.name for c in sheet[1]} == {"Arial"}


def check_swedish_only(book: openpyxl.Workbook) -> None:
    """No English rule, policy, solver or scenario name in any text cell of a Swedish book."""
    for sheet in book.worksheets:
        names = sheet.cell(1, 1).value in ("Förbund", "Kommun")
        for row in sheet.iter_rows(min_row=1):
            for cell in row:
                if not isinstance(cell.value, str) or (names and cell.column == 1 and cell.row > 1):
                    continue  # unit names are data
                words = set(_WORD.findall(cell.value))
                english = words.intersection(ENGLISH_WORDS)
                assert not english, f"{sheet.title}!{cell.coordinate}: {cell.value!r} is English"


def check_template(sheet: Worksheet) -> None:
    """Answer cells blank, unlocked and validated (numbers ≥ 0); everything else locked."""
    assert sheet.protection.sheet, f"{sheet.title}: not protected"
    header = [c.value for c in sheet[1]]
    answers = [i for i, h in enumerate(header) if h in ANSWER_HEADERS]
    assert len(answers) == 4, header
    for row in sheet.iter_rows(min_row=2):
        for index, cell in enumerate(row):
            if index in answers:
                assert cell.value is None, f"{cell.coordinate} is pre-filled: {cell.value!r}"
                assert cell.protection.locked is False, f"{cell.coordinate} is locked"
            elif cell.value is not None:
                assert cell.protection.locked is not False, f"{cell.coordinate} is unlocked"
    rules = sheet.data_validations.dataValidation
    requested = [r for r in rules if r.type == "decimal"]
    assert len(requested) == 1 and (requested[0].operator, requested[0].formula1) == (
        "greaterThanOrEqual", "0",
    )  # fmt: skip
    contributions = [r for r in rules if r.type == "custom"]
    assert len(contributions) == 1 and ">=0" in contributions[0].formula1
    for index in answers[:3]:
        rule = requested[0] if index == answers[0] else contributions[0]
        for row in range(2, sheet.max_row + 1):
            coordinate = sheet.cell(row, index + 1).coordinate
            assert coordinate in rule.sqref, f"{coordinate} is not validated"
