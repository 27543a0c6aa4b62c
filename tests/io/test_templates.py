"""Answer templates: empty answer cells, protected elsewhere, validated, read back honestly."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest

import finsam_opt as fo
from finsam_opt.errors import InputError
from finsam_opt.io import merge_answers, read_answers, write_templates
from workbook_checks import check_template


@pytest.fixture
def written(tmp_path: Path) -> tuple[fo.NationalExample, list[Path]]:
    example = fo.national_example()
    units = example.units.iloc[:12]
    return example, write_templates(units, tmp_path, preliminary=units["previous_allocation"])


def test_a_template_has_empty_unlocked_answer_cells_and_is_protected(written) -> None:
    _, files = written
    book = openpyxl.load_workbook(files[0])
    check_template(book["Svar"])
    assert book.sheetnames == ["Svar", "Instruktioner"]


def test_an_unchanged_template_is_not_an_answer(written) -> None:
    """A blank template once counted as answered ("answers from 12 of 12")."""
    example, files = written
    units = example.units.iloc[:12]
    answers = read_answers(files, units=units.index)
    assert answers.empty
    merged = merge_answers(units, answers)
    assert merged.answered == () and len(merged.unanswered) == 12


def test_filled_in_cells_are_answers(written) -> None:
    example, files = written
    units = example.units.iloc[:12]
    book = openpyxl.load_workbook(files[0])
    sheet = book["Svar"]
    sheet["E2"], sheet["F2"], sheet["G2"] = 3_000_000, 1_500_000, "ingen gräns"
    book.save(files[0])
    only_comment = openpyxl.load_workbook(files[1])
    only_comment["Svar"]["H2"] = "Svar kommer senare"
    only_comment.save(files[1])
    answers = read_answers(files, units=units.index)
    assert answers.index.tolist() == [units.index[0], units.index[1]]
    assert answers.loc[units.index[0], "requested"] == 3_000_000
    assert answers.loc[units.index[0], "regional_match"] == float("inf")  # no limit, in words
    merged = merge_answers(units, answers)
    assert len(merged.answered) == 2 and len(merged.unanswered) == 10


def test_new_templates_never_erase_returned_answers(written, tmp_path: Path) -> None:
    # Before: re-running `template -d` into the folder the answers came back to replaced
    # every filled-in template with an empty one, exit 0.
    example, files = written
    units = example.units.iloc[:12]
    write_templates(units, tmp_path, preliminary=units["previous_allocation"])  # blank: fine
    book = openpyxl.load_workbook(files[0])
    book["Svar"]["E2"] = 3_000_000
    book.save(files[0])
    with pytest.raises(fo.InputError, match=rf"{files[0].name}: already holds answers"):
        write_templates(units, tmp_path, preliminary=units["previous_allocation"])
    assert read_answers(files[0]).loc[units.index[0], "requested"] == 3_000_000


def test_an_answer_may_carry_its_date(tmp_path: Path) -> None:
    (tmp_path / "svarsmall_a.csv").write_text(
        "Förbund;Ansökt belopp;Svarsdatum\nA;1 000 000;2026-09-04\nB;2 000 000;\n",
        encoding="utf-8",
    )
    answers = read_answers(tmp_path)
    assert answers["answered_on"].tolist() == [dt.date(2026, 9, 4), None]


@pytest.mark.parametrize(
    ("cell", "fix"),
    [("4/9", "write it as 2026-09-04 (year-month-day)"), ("2026-09-31", "(year-month-day)")],
)
def test_a_date_that_is_not_one_names_file_row_and_column(
    tmp_path: Path, cell: str, fix: str
) -> None:
    (tmp_path / "svarsmall_a.csv").write_text(
        f"Förbund;Ansökt belopp;Svarsdatum\nA;1 000 000;{cell}\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"svarsmall_a.csv, row 2, column 'Svarsdatum': not a "
                       rf"date: '{cell}'; .*{re.escape(fix)}"):  # fmt: skip
        read_answers(tmp_path)


def test_an_excel_date_cell_is_a_date_and_a_number_is_not(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Förbund", "Ansökt belopp", "Svarsdatum"])
    sheet.append(["A", 1_000_000, dt.datetime(2026, 9, 4)])
    book.save(tmp_path / "svarsmall_a.xlsx")
    assert read_answers(tmp_path)["answered_on"].tolist() == [dt.date(2026, 9, 4)]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Förbund", "Ansökt belopp", "Svarsdatum"])
    sheet.append(["A", 1_000_000, 46269])  # the same day as a serial number, no date format
    book.save(tmp_path / "svarsmall_a.xlsx")
    with pytest.raises(InputError, match="format the cell as a date in Excel"):
        read_answers(tmp_path)


def test_a_template_holding_answers_is_refused_in_swedish(written, tmp_path: Path) -> None:
    example, files = written
    units = example.units.iloc[:12]
    book = openpyxl.load_workbook(files[0])
    book["Svar"]["E2"] = 3_000_000
    book.save(files[0])
    with pytest.raises(fo.InputError) as info:
        write_templates(units, tmp_path, preliminary=units["previous_allocation"])
    assert info.value.text("sv") == (
        f"{files[0].name}: innehåller redan svar (1 förbund); skriv de nya svarsmallarna till "
        "en annan mapp, eller flytta först de besvarade filerna (finsam-opt answers läser dem)"
    )


def test_answers_for_units_not_in_the_table_are_refused_in_swedish(written) -> None:
    example, files = written
    book = openpyxl.load_workbook(files[0])
    book["Svar"]["E2"] = 3_000_000
    book.save(files[0])
    with pytest.raises(fo.InputError) as info:
        read_answers(files[0], units=example.units.index[1:])
    unit = example.units.index[0]
    assert info.value.text("sv") == (
        f"{files[0].name}: svar från förbundet '{unit}', som inte finns i förbundstabellen"
    )


def test_a_folder_without_answers_is_refused_in_swedish(tmp_path: Path) -> None:
    with pytest.raises(fo.InputError) as info:
        read_answers(tmp_path)
    assert info.value.text("sv") == f"{tmp_path}: inga svarsmallar (svarsmall_*.xlsx) i mappen"
