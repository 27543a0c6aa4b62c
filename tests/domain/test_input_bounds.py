"""Bounds and plausibility at the validation gate (issue 14 item 8, issue 13 item 7)."""

from __future__ import annotations

import unicodedata
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import finsam_opt as fo
from finsam_opt.cli import main


def _units(**columns: list[object]) -> pd.DataFrame:
    data = {"population": [10_000.0, 20_000.0], "support_measure": [1e8, 2e8], **columns}
    return pd.DataFrame(data, index=pd.Index(["A", "B"], name="unit"))


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("support_measure", 1e308),
        ("previous_allocation", 1e15),
        ("population", 2e13),
        ("municipal_match", 1e14),
    ],
)
def test_amounts_beyond_exact_sums_are_an_input_error(column: str, value: float) -> None:
    units = _units()
    units[column] = [value, value]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy overflow warning on the way
        with pytest.raises(fo.InputError, match=rf"{column} must be at most 10,000,000,000,000"):
            fo.allocate(units, fo.Parameters(budget=10e6))


@pytest.mark.parametrize("name", ["budget", "base_amount"])
def test_parameters_beyond_exact_sums_are_an_input_error(name: str) -> None:
    with pytest.raises(fo.InputError, match=rf"parameter {name} must be at most 10,000,000,000"):
        fo.Parameters(**{"budget": 339e6, name: 1e20})


def test_a_budget_of_1e13_is_still_allocated_exactly() -> None:
    units = _units(previous_allocation=[4e12, 5e12])
    result = fo.allocate(units, fo.Parameters(budget=1e13))
    assert int(result.table["allocation_rounded"].sum()) == 10**13


@pytest.mark.parametrize("column", ["previous_allocation", "requested", "municipal_match"])
def test_amounts_in_tkr_under_a_kronor_header_are_refused(column: str) -> None:
    units = _units(**{column: [2_700.0, 3_100.0]})  # tkr, not kr
    with pytest.raises(fo.InputError) as info:
        fo.allocate(units, fo.Parameters(budget=10e6))
    assert f"column '{column}': the median amount is 2,900 kr, below 1/100 of the base amount" in (
        str(info.value)
    )
    assert "(tkr)'" in str(info.value)
    assert info.value.column == column


def test_zeros_and_blanks_do_not_count_in_the_median() -> None:
    units = _units(regional_match=[0.0, np.nan], previous_allocation=[3e6, np.nan])
    fo.allocate(units, fo.Parameters(budget=10e6, unanswered="no-limit"))


def test_mixed_id_types_are_an_error() -> None:
    units = _units()
    units.index = pd.Index([1, "1"], dtype=object)
    with pytest.raises(fo.InputError, match=r"unit ids mix text and numbers \(1 are numbers\)"):
        fo.allocate(units, fo.Parameters(budget=10e6))


@pytest.mark.parametrize("other", [unicodedata.normalize("NFD", "Åre"), "åre", " Åre", "ÅRE "])
def test_names_equal_but_for_case_spaces_or_form_are_one_unit(other: str) -> None:
    units = _units()
    units.index = pd.Index(["Åre", other])
    with pytest.raises(fo.InputError, match="are the same unit"):
        fo.allocate(units, fo.Parameters(budget=10e6))


def test_cli_refuses_previous_allocation_above_the_budget(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Kronor under a tkr header: 9 500 000 tkr is 9.5 billion kronor.
    path = tmp_path / "u.csv"
    path.write_text(
        "Förbund;Invånare 16-64;Försörjningsmått;Föregående års tilldelning (tkr)\n"
        "A;10;100;9 500 000\nB;10;100;3 000\n"
    )
    assert main(["allocate", str(path), "-o", str(tmp_path / "b.xlsx")]) == 2
    err = capsys.readouterr().err
    assert (
        "förbundet 'A': Föregående års tilldelning 9 500 000 000 kr är mer än hela budgeten"
    ) in err
    assert not (tmp_path / "b.xlsx").exists()


@pytest.mark.parametrize("application", [1e20, 1e308])
def test_a_surplus_application_beyond_exact_sums_is_an_input_error(application: float) -> None:
    # It was a VerificationError ("the surplus round left ... unallocated") before.
    units = fo.example_units()
    result = fo.allocate(units, fo.Parameters(budget=25_000_000))
    with pytest.raises(fo.InputError, match="application must be at most 10,000,000,000,000 kr"):
        fo.redistribute({"A": application}, result, fo.Parameters(budget=25_000_000), units=units)


def test_an_available_amount_beyond_exact_sums_is_an_input_error() -> None:
    with pytest.raises(fo.InputError, match="available must be at most 10,000,000,000,000 kr"):
        fo.redistribute({"A": 1e6}, 1e20, fo.Parameters(budget=25_000_000))
