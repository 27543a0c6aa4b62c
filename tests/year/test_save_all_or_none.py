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
