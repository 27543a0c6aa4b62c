"""The equity staircase, excess equity, the equity columns and the floor exemption."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import finsam_opt as fo
from finsam_opt.io import read_staircase

INF = math.inf


def test_example_staircase_is_valid_and_open_ended():
    stairs = fo.EXAMPLE_STAIRCASE
    assert math.isinf(stairs.upper_bounds[-1])
    assert all(0 <= f <= 1 for f in stairs.fractions)


def test_fraction_bands_include_their_upper_bound():
    stairs = fo.Staircase((5e6, 15e6, INF), (0.2, 0.15, 0.1))
    assert stairs.fraction([0, 5e6, 5e6 + 1, 15e6, 1e9]).tolist() == [0.2, 0.2, 0.15, 0.15, 0.1]
    assert stairs.allowed([4e6, 10e6, 20e6]).tolist() == [800_000.0, 1_500_000.0, 2_000_000.0]


def test_excess_equity_is_equity_above_the_level_or_zero():
    units = pd.DataFrame(
        {"equity": [3e6, 1e6, 0.0], "turnover": [10e6, 10e6, 0.0]}, index=["A", "B", "C"]
    )
    excess = fo.excess_equity(units, fo.Staircase((INF,), (0.15,)))
    assert excess.name == "excess_equity"
    assert excess.tolist() == [1_500_000.0, 0.0, 0.0]
    assert list(excess.index) == ["A", "B", "C"]


def test_from_frame_and_csv_read_an_empty_last_bound_as_open_ended(tmp_path):
    path = tmp_path / "trappa.csv"
    path.write_text("turnover_upper_bound,allowed_fraction\n5000000,0.2\n,0.1\n")
    stairs = read_staircase(path)
    assert stairs == fo.Staircase((5e6, INF), (0.2, 0.1))
    assert fo.Staircase.from_frame(stairs.to_frame()) == stairs


@pytest.mark.parametrize(
    ("bounds", "fractions", "message"),
    [
        ((), (), "at least one row"),
        ((5e6, INF), (0.2,), "one allowed_fraction per turnover_upper_bound"),
        ((5e6, 5e6, INF), (0.2, 0.1, 0.1), r"row 2: turnover_upper_bound must be greater"),
        ((5e6, INF), (0.2, 1.5), r"row 2: allowed_fraction must be in \[0, 1\], got 1.5"),
        ((5e6, INF), (-0.1, 0.1), r"row 1: allowed_fraction must be in \[0, 1\]"),
        ((5e6, 15e6), (0.2, 0.1), r"row 2: the last turnover_upper_bound must be inf"),
        ((0.0, INF), (0.2, 0.1), r"row 1: turnover_upper_bound must be > 0"),
        (("a", INF), (0.2, 0.1), "staircase column turnover_upper_bound must hold numbers"),
    ],
)
def test_bad_staircase_rows_are_refused(bounds, fractions, message):
    with pytest.raises(fo.InputError, match=message):
        fo.Staircase(bounds, fractions)


def test_staircase_table_without_its_columns_is_refused():
    with pytest.raises(fo.InputError, match="needs the column"):
        fo.Staircase.from_frame(pd.DataFrame({"bound": [INF], "allowed_fraction": [0.1]}))


def test_parameters_refuse_a_staircase_that_is_not_one():
    with pytest.raises(fo.InputError, match="parameter staircase must be a Staircase"):
        fo.Parameters(budget=1e9, staircase=[(INF, 0.1)])  # type: ignore[arg-type]


def _units(**extra):
    units = fo.example_units()
    for name, values in extra.items():
        units[name] = values
    return units


EQUITY = [0.0, 5e6, 0.0, 0.0, 0.0]
TURNOVER = [18e6, 12e6, 7e6, 3e6, 6e6]


def test_staircase_without_turnover_is_refused():
    params = fo.Parameters(budget=20e6, staircase=fo.EXAMPLE_STAIRCASE)
    with pytest.raises(fo.InputError, match="lacks column 'turnover', required"):
        fo.allocate(_units(equity=EQUITY), params)


def test_staircase_without_equity_is_refused():
    params = fo.Parameters(budget=20e6, staircase=fo.EXAMPLE_STAIRCASE)
    with pytest.raises(fo.InputError, match="lacks column 'equity', required"):
        fo.allocate(_units(turnover=TURNOVER), params)


def test_staircase_with_a_missing_equity_value_names_the_unit():
    params = fo.Parameters(budget=20e6, staircase=fo.EXAMPLE_STAIRCASE)
    equity = [0.0, np.nan, 0.0, 0.0, 0.0]
    with pytest.raises(
        fo.InputError, match=r"unit 'B': equity must be given when parameters\.staircase is set"
    ):
        fo.allocate(_units(equity=equity, turnover=TURNOVER), params)


def test_excess_equity_with_a_missing_turnover_names_the_unit():
    units = pd.DataFrame({"equity": [1.0, 2.0], "turnover": [3.0, np.nan]}, index=["A", "B"])
    with pytest.raises(fo.InputError, match="unit 'B': turnover must be given for excess"):
        fo.excess_equity(units, fo.EXAMPLE_STAIRCASE)


def test_misspelt_equity_column_is_refused():
    with pytest.raises(fo.InputError, match="did you mean 'turnover'"):
        fo.allocate(_units(turnovr=TURNOVER), fo.Parameters(budget=20e6))


def test_equity_columns_are_ignored_without_a_staircase():
    plain = fo.allocate(fo.example_units(), fo.Parameters(budget=20e6))
    with_columns = fo.allocate(_units(equity=EQUITY, turnover=TURNOVER), fo.Parameters(budget=20e6))
    pd.testing.assert_frame_equal(plain.table, with_columns.table)
    assert "excess_equity" not in plain.table


@pytest.mark.parametrize("solver", fo.SOLVERS)
def test_under_always_excess_equity_removes_the_floor(solver):
    """B (prev 6 Mkr, ideal 3.5 Mkr) would be lifted to its 5.4 Mkr floor; its excess
    equity of 3.2 Mkr (5 Mkr against 15 % of 12 Mkr) removes the floor (the 2015 rule)."""
    units = _units(equity=EQUITY, turnover=TURNOVER)
    params = fo.Parameters(budget=20e6, staircase=fo.EXAMPLE_STAIRCASE, equity_floor="always")
    result = fo.allocate(units, params, solver=solver)
    table = result.table
    assert table.loc["B", "excess_equity"] == pytest.approx(3_200_000)
    assert table.loc["B", "floor"] == 0
    assert table.loc["B", "binding"] == "no-floor-equity"
    assert table.loc["B", "allocation"] == pytest.approx(3_531_578.947, abs=0.01)
    assert (table.loc[["A", "C", "D", "E"], "excess_equity"] == 0).all()
    assert "no-floor-equity" in fo.BINDING_RULES
    assert "floor: none (equity" in result.explain("B", language="en")
    assert "golv: inget (eget kapital 3 200 000 kr över trappans nivå)" in result.explain("B")


def test_under_never_equity_changes_nothing():
    units = _units(equity=EQUITY, turnover=TURNOVER)
    params = fo.Parameters(budget=20e6, staircase=fo.EXAMPLE_STAIRCASE, equity_floor="never")
    result = fo.allocate(units, params)
    table = result.table
    plain = fo.allocate(fo.example_units(), fo.Parameters(budget=20e6)).table
    assert table.loc["B", "floor"] == 5_400_000
    assert (table["binding"] != "no-floor-equity").all()
    assert result.equity_rate is None
    np.testing.assert_allclose(table["allocation"], plain["allocation"])
    assert "never touches the floor" in result.explain("B", "en")


def test_an_exempt_unit_that_needs_no_floor_is_labelled_as_before():
    equity = [20e6, 0.0, 0.0, 0.0, 0.0]  # A sits at its ideal anyway
    units = _units(equity=equity, turnover=TURNOVER)
    params = fo.Parameters(budget=25e6, staircase=fo.EXAMPLE_STAIRCASE, equity_floor="always")
    table = fo.allocate(units, params).table
    assert table.loc["A", "excess_equity"] > 0
    assert table.loc["A", "binding"] == "ideal"
