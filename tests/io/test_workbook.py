"""The decision table as a workbook a person can send: sorted, whole kronor, printable."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import finsam_opt as fo
from finsam_opt.io import read_units, write_decision_table
from finsam_opt.io.decision import write_table
from workbook_checks import (
    check_amounts_whole,
    check_print_setup,
    check_swedish_only,
    check_totals_add_up,
)


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    example = fo.national_example()
    result = fo.allocate(example.units, example.parameters)
    path = tmp_path_factory.mktemp("wb") / "beslut.xlsx"
    write_decision_table(result, path, units=example.units)
    return openpyxl.load_workbook(path)


def test_rows_are_sorted_by_region_then_name(book: openpyxl.Workbook) -> None:
    sheet = book["Beslutsunderlag"]
    header = [c.value for c in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))[:-1]
    keys = [(r[header.index("Region")], r[0]) for r in rows]
    order = str.maketrans({"å": "{", "ä": "|", "ö": "}"})
    assert keys == sorted(keys, key=lambda k: (k[0].lower().translate(order), k[1].lower()))
    assert keys[0][0] == "Blekinge län" and keys[-1][0] == "Östergötlands län"


def test_amounts_are_whole_kronor_and_totals_add_up_as_printed(book: openpyxl.Workbook) -> None:
    sheet = book["Beslutsunderlag"]
    check_amounts_whole(sheet)
    check_totals_add_up(sheet, "Totalt")
    header = [c.value for c in sheet[1]]
    total = list(sheet.iter_rows(values_only=True))[-1]
    assert total[header.index("Tilldelning (kr)")] == 325_036_920
    # Shares are stored as printed (4 decimals of a percent) and add up to their total.
    shares = [r[header.index("Nyckeltal viktad")] for r in sheet.iter_rows(min_row=2,
              max_row=sheet.max_row - 1, values_only=True)]  # fmt: skip
    assert all(round(s, 6) == s for s in shares)
    assert total[header.index("Nyckeltal viktad")] == pytest.approx(sum(shares), abs=1e-12)


def test_no_limit_is_an_empty_cell_with_a_note(tmp_path: Path) -> None:
    result = fo.allocate(fo.example_units(), fo.Parameters(budget=20_000_000))
    path = write_decision_table(result, tmp_path / "d.xlsx")[0]
    sheet = openpyxl.load_workbook(path)["Beslutsunderlag"]
    header = [c.value for c in sheet[1]]
    column = header.index("Tak enligt matchning (kr)") + 1
    cells = [sheet.cell(row, column) for row in range(2, sheet.max_row)]
    empty = [c for c in cells if c.value is None]
    assert len(empty) == 4  # A, B, D and E have no matching answers: no cap
    assert all(c.comment is not None and c.comment.text == "ingen gräns" for c in empty)
    assert all(isinstance(c.value, int) for c in cells if c.value is not None)


def test_the_total_row_says_that_change_leaves_out_new_units(book: openpyxl.Workbook) -> None:
    sheet = book["Beslutsunderlag"]
    total = list(sheet.iter_rows(values_only=True))[-1]
    assert total[0] == "Totalt"
    assert any("Förändringen: summan utan 4 nya förbund" in str(cell) for cell in total)
    assert "förbunds uppgifter är syntetiska" in total[-1]  # the national example is marked


def test_swedish_rule_names_and_print_setup(book: openpyxl.Workbook) -> None:
    sheet = book["Beslutsunderlag"]
    check_print_setup(sheet)
    check_swedish_only(book)
    header = [c.value for c in sheet[1]]
    rules = {r[header.index("Avgörande regel")] for r in sheet.iter_rows(min_row=2,
             max_row=sheet.max_row - 1, values_only=True)}  # fmt: skip
    assert rules == {"idealfördelning", "tak (matchning)", "golv (spärren)", "nytt förbund"}


def test_columns_fit_their_longest_value(book: openpyxl.Workbook) -> None:
    sheet = book["Beslutsunderlag"]
    longest = max(len(str(c.value)) for c in sheet["A"][1:])
    assert sheet.column_dimensions["A"].width >= longest
    for column in sheet.iter_cols(min_row=2):
        letter = column[0].column_letter
        shown = [len(f"{c.value:,.0f}") for c in column if isinstance(c.value, int)]
        assert sheet.column_dimensions[letter].width >= max(shown, default=0)


def test_english_workbook_has_english_words(tmp_path: Path) -> None:
    result = fo.allocate(fo.example_units(), fo.Parameters(budget=18_000_000))
    path = write_decision_table(result, tmp_path / "d.xlsx", language="en")[0]
    sheet = openpyxl.load_workbook(path)["Decision table"]
    header = [c.value for c in sheet[1]]
    rules = {r[header.index("Binding rule")] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert "relaxed-floor" in rules


def test_a_unit_table_with_no_limit_reads_back_as_it_was_written(tmp_path: Path) -> None:
    """A contribution without a limit is written in words: a blank would be no answer."""
    units = fo.example_units()  # A, B, D and E give no limit (inf), C 1.25 Mkr each
    frame = units.rename_axis("unit").reset_index()
    for suffix in (".xlsx", ".csv"):
        path = write_table(frame, tmp_path / f"forbund{suffix}")[0]
        back = read_units(path)
        assert back.loc["A", "municipal_match"] == float("inf")
        again = fo.allocate(back, fo.Parameters(budget=20_000_000))
        assert again.rounded_total == 20_000_000
        assert (again.allocation.round() == fo.allocate(units, fo.Parameters(budget=20e6))
                .allocation.round()).all()  # fmt: skip
