"""Synthetic data is marked where it is shown (issue 13, item 8)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

import finsam_opt as fo
from finsam_opt.cli.app import main
from finsam_opt.io.decision import write_decision_table


def test_every_förbund_of_the_national_example_says_what_is_synthetic():
    marks = fo.national_example().units["synthetic"]
    assert marks.value_counts().to_dict() == {"amounts-grouping": 66, "amounts": 13}
    assert marks["Samordningsförbundet Gotland"] == "amounts-grouping"


def test_the_example_workbook_has_the_column_and_a_note_on_both_sheets(tmp_path: Path):
    """Before, only the docs said the national example's figures are invented."""
    out = tmp_path / "exempel.xlsx"
    assert main(["example", "-o", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    table, parameters = book.worksheets[0], book.worksheets[1]
    rows = list(table.iter_rows(values_only=True))
    column = rows[0].index("Syntetiska uppgifter")
    assert {r[column] for r in rows[1:-1]} == {
        "belopp och försörjningsmått syntetiska",
        "belopp, försörjningsmått och indelning syntetiska",
    }
    note = "Exempeldata: 79 av 79 förbunds uppgifter är syntetiska, inte fakta"
    assert rows[-1][column] == note
    assert ("Syntetiska uppgifter", note) in list(parameters.iter_rows(values_only=True))


def test_english_and_csv_say_the_same(tmp_path: Path):
    example = fo.national_example()
    result = fo.allocate(example.units, example.parameters)
    out = tmp_path / "example.csv"
    write_decision_table(result, out, language="en", units=example.units)
    table = pd.read_csv(out)
    assert "Synthetic data" in table.columns
    assert table["Synthetic data"].iloc[0].endswith("synthetic")
    assert "79 of 79 units' figures are synthetic" in out.with_name(
        "example_parameters.csv"
    ).read_text(encoding="utf-8")


def test_a_users_own_table_is_not_marked(tmp_path: Path):
    result = fo.allocate(fo.example_units(), fo.Parameters(budget=20e6))
    out = tmp_path / "beslut.xlsx"
    write_decision_table(result, out, units=fo.example_units())
    header = next(openpyxl.load_workbook(out).worksheets[0].iter_rows(values_only=True))
    assert "Syntetiska uppgifter" not in header


def test_the_rounds_of_a_year_on_the_national_example_are_marked():
    example = fo.national_example()
    year = fo.AllocationYear(2027, example.units, example.parameters).final()
    assert year.round("final").table["synthetic"].notna().all()
