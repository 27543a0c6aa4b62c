"""The output checks and the decision table's reader refuse in Swedish too (English kept)."""

from __future__ import annotations

from pathlib import Path

import pytest

import finsam_opt as fo
from finsam_opt.cli.outputs import TABLES, check_output
from finsam_opt.io.decision import read_decision_table, write_decision_table, write_table


def test_a_wrong_output_extension_in_swedish(tmp_path: Path) -> None:
    with pytest.raises(fo.InputError) as caught:
        check_output(str(tmp_path / "beslut.ods"), TABLES)
    error = caught.value
    assert error.text("sv") == f"-o {tmp_path / 'beslut.ods'}: filändelsen avgör formatet; " + (
        "skriv .xlsx eller .csv"
    )
    assert str(error) == f"-o {tmp_path / 'beslut.ods'}: the extension picks the format; " + (
        "write .xlsx, .csv"
    )


def test_a_missing_folder_in_swedish(tmp_path: Path) -> None:
    with pytest.raises(fo.InputError) as caught:
        check_output(str(tmp_path / "saknas" / "b.xlsx"), TABLES, "--output")
    assert caught.value.text("sv").endswith(f"mappen {tmp_path / 'saknas'} finns inte")


def test_a_table_written_as_ods_is_refused_in_swedish(tmp_path: Path) -> None:
    with pytest.raises(fo.InputError) as caught:
        write_table(fo.example_units(), tmp_path / "t.ods")
    assert caught.value.text("sv") == (
        "t.ods: tabeller skrivs som .xlsx eller .csv; välj en av de filändelserna"
    )


def test_a_decision_table_with_a_word_for_an_amount_names_the_cell_in_swedish(
    tmp_path: Path,
) -> None:
    path = tmp_path / "beslut.csv"
    result = fo.allocate(fo.example_units(), fo.Parameters(budget=20_000_000))
    write_decision_table(result, path)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    cells = lines[1].split(";")
    header = lines[0].split(";")
    column = next(k for k, h in enumerate(header) if h.startswith("Idealfördelning"))
    cells[column] = "mycket"
    path.write_text("\n".join([lines[0], ";".join(cells), *lines[2:]]), encoding="utf-8")
    with pytest.raises(fo.InputError) as caught:
        read_decision_table(path)
    assert caught.value.text("sv") == (
        f"beslut.csv, rad 2, kolumn '{header[column]}': inte ett tal: 'mycket' (inget tal)"
    )
