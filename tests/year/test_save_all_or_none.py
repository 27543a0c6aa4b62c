"""Saving a year replaces all its files or none (issue 14, item 5)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import finsam_opt as fo


def test_a_failed_save_leaves_the_saved_year_as_it_was(tmp_path: Path) -> None:
    example = fo.national_example()
    year = fo.AllocationYear(2027, example.units, example.parameters).preliminary()
    folder = year.save(tmp_path / "2027")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    (folder / "process.json").chmod(0o444)  # the last file written is read-only
    with pytest.raises(fo.InputError, match=r"process.json: the file is read-only"):
        year.second_preliminary().save(folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_saved_year_is_read_through_the_file_limits(tmp_path: Path) -> None:
    example = fo.national_example()
    folder = fo.AllocationYear(2027, example.units, example.parameters).save(tmp_path / "2027")
    (folder / "units.csv").unlink()
    os.mkfifo(folder / "units.csv")  # pandas would wait on the pipe forever
    with pytest.raises(fo.InputError, match=r"units.csv: is not a regular file"):
        fo.AllocationYear.load(folder)


def test_saving_after_a_round_is_run_again_removes_the_dropped_rounds_files(
    tmp_path: Path,
) -> None:
    """Before, 2_second_preliminary.* and 3_final.* stayed in the folder after the year was
    saved with only June's round, though process.json no longer listed them."""
    example = fo.national_example()
    year = fo.AllocationYear(2027, example.units, example.parameters).preliminary()
    folder = year.second_preliminary().final().save(tmp_path / "2027")
    (folder / "notes.txt").write_text("the analyst's own file", encoding="utf-8")
    year.preliminary(date="2026-06-20").save(folder)
    assert sorted(p.name for p in folder.iterdir()) == [
        "1_preliminary.csv",
        "1_preliminary.xlsx",
        "1_preliminary_units.csv",
        "notes.txt",
        "process.json",
        "units.csv",
    ]


def test_a_failed_save_removes_nothing(tmp_path: Path) -> None:
    example = fo.national_example()
    year = fo.AllocationYear(2027, example.units, example.parameters).preliminary()
    folder = year.second_preliminary().save(tmp_path / "2027")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    (folder / "process.json").chmod(0o444)
    with pytest.raises(fo.InputError, match=r"process.json: the file is read-only"):
        year.save(folder)  # would drop the second round's files
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_saved_rounds_workbook_shows_what_it_placed_and_left(tmp_path: Path) -> None:
    """Before, the round's workbook had no Parametrar sheet: its total (325 036 920 kr)
    could not be checked against the budget on the sheet."""
    import openpyxl

    example = fo.national_example()
    year = fo.AllocationYear(2027, example.units, example.parameters).preliminary()
    folder = year.second_preliminary(date="2026-10-02").save(tmp_path / "2027")
    rows = dict(openpyxl.load_workbook(folder / "2_second_preliminary.xlsx")["Parametrar"].values)
    assert rows["Omgång"] == "andra preliminära fördelningen"
    assert (rows["Kördes"], rows["Sista dag"]) == ("2026-10-02", "2026-09-30")
    assert rows["Fördelat (kr)"] + rows["Ofördelat (kr)"] == 339_000_000
