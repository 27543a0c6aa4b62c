"""Funds handed back per unit, and money conserved through every round (MODEL.md §6, inv. 10)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import finsam_opt as fo
from finsam_opt.cli.app import main
from strategies import instances

MKR = 1_000_000.0


def test_a_bare_amount_handed_back_is_refused():
    """Before, ``surplus(apps, returned=2e6)`` after a final round that placed the whole
    budget granted 2 Mkr that nobody gave back."""
    units = fo.example_units()
    year = fo.AllocationYear(2027, units, fo.Parameters(budget=20 * MKR)).final()
    assert year.round("final").table["amount"].sum() == 20 * MKR  # a deficit: all placed
    with pytest.raises(fo.InputError, match="returned must be a table of unit → kronor"):
        year.surplus(pd.Series({"A": 2 * MKR}), returned=2e6)


def test_money_handed_back_is_all_there_is_to_grant_after_a_deficit():
    units = fo.example_units()
    year = fo.AllocationYear(2027, units, fo.Parameters(budget=20 * MKR)).final()
    year = year.surplus(pd.Series({"A": 2 * MKR}), returned={"C": 0.5 * MKR})
    spring = year.round("surplus")
    assert spring.summary["available"] == 0.5 * MKR
    assert spring.table.loc["A", "change_from_previous_round"] == 0.5 * MKR
    assert spring.table.loc["C", "change_from_previous_round"] == -0.5 * MKR
    assert spring.table["amount"].sum() + spring.summary["unallocated"] == 20 * MKR


def test_a_return_above_the_decided_amount_is_refused():
    units = fo.example_units()
    result = fo.allocate(units, fo.Parameters(budget=30 * MKR))
    with pytest.raises(
        fo.InputError,
        match="unit 'C': returned 3,000,000 kr exceeds the unit's decided allocation of "
        "2,500,000 kr",
    ):
        fo.redistribute({"A": MKR}, result, result.parameters, returned={"C": 3 * MKR})


def test_a_unit_that_hands_money_back_cannot_apply_in_the_same_round():
    result = fo.allocate(fo.example_units(), fo.Parameters(budget=30 * MKR))
    with pytest.raises(fo.InputError, match="unit 'B': hands money back and applies for more"):
        fo.redistribute({"B": MKR}, result, result.parameters, returned={"B": 0.1 * MKR})


def test_returns_need_the_decided_amounts_and_those_must_add_up_to_the_budget():
    params = fo.Parameters(budget=30 * MKR)
    with pytest.raises(fo.InputError, match="returned needs the decided amounts"):
        fo.redistribute({"A": MKR}, 2 * MKR, params, returned={"B": 0.1 * MKR})
    decided = {"A": 20 * MKR, "B": 7 * MKR}
    with pytest.raises(fo.InputError, match="add up to 29,000,000 kr, not the budget"):
        fo.redistribute({"A": MKR}, 2 * MKR, params, returned={"B": 0.1 * MKR}, decided=decided)
    extra = fo.redistribute({"A": MKR}, 3 * MKR, params, returned={"B": 0.1 * MKR}, decided=decided)
    assert extra.available == 3.1 * MKR
    assert extra.table.loc["B", "returned"] == 0.1 * MKR


def test_the_cli_reads_returns_inline_and_from_a_file(tmp_path: Path, capsys):
    units = tmp_path / "units.csv"
    fo.example_units().to_csv(units)
    applications = tmp_path / "apps.csv"
    applications.write_text("unit,application\nA,1000000\n", encoding="utf-8")
    returns = tmp_path / "returns.csv"
    returns.write_text("unit;returned\nC;0,2 Mkr\n", encoding="utf-8")
    out = tmp_path / "spring.csv"
    argv = ["surplus", str(applications), "--units", str(units), "--budget", "30 Mkr",
            "--returned", "E=100 tkr", "--returned", str(returns), "--language", "en",
            "-o", str(out)]  # fmt: skip
    assert main(argv) == 0
    table = pd.read_csv(out, index_col=0)
    assert table.loc["C", "Funds handed back (kr)"] == 200_000
    assert table.loc["E", "Funds handed back (kr)"] == 100_000
    twice = [*argv, "--returned", "E=1 kr"]
    assert main(twice) == 2
    assert "--returned names E more than once" in capsys.readouterr().err


@st.composite
def _rounds(draw: st.DrawFn):
    units, params = draw(instances(max_units=30))
    rng = np.random.default_rng(draw(st.integers(min_value=0, max_value=2**32 - 1)))
    turnover = np.round(rng.uniform(1e6, 40e6, len(units)))
    units = units.assign(turnover=turnover, equity=np.round(turnover * rng.uniform(0, 0.5)))
    params = fo.Parameters(budget=params.budget, staircase=fo.EXAMPLE_STAIRCASE)
    result = fo.allocate(units, params)
    decided = result.table["allocation_rounded"].to_numpy(float)
    gives = rng.random(len(units)) < 0.3
    returned = pd.Series(np.floor(decided * rng.uniform(0, 1, len(units))), index=units.index)
    applications = pd.Series(
        np.round(rng.uniform(0, 2 * MKR, len(units))), index=units.index
    ).where(~gives & (rng.random(len(units)) < 0.6), 0.0)
    return units, params, result, returned[gives], applications


@settings(max_examples=25)
@given(_rounds(), st.sampled_from(sorted(fo.SURPLUS_POLICIES)), st.sampled_from(fo.SOLVERS))
def test_money_is_conserved_through_every_round(case, policy, solver):
    """Property: Σ decided − Σ returned + Σ granted + unallocated = B to the krona, on every
    solver and policy; no unit gives back more than it was decided (inv. 10)."""
    units, params, result, returned, applications = case
    extra = fo.redistribute(
        applications, result, params, policy, units=units, solver=solver, returned=returned
    )
    table = extra.table
    assert (table["returned"] <= table["decided"]).all()
    total = math.fsum(
        [table["decided"].sum(), -table["returned"].sum(), extra.rounded_total, extra.unallocated]
    )
    assert abs(total - params.budget) < 0.01
    assert extra.unallocated >= -1e-6


@pytest.mark.parametrize("policy", ["equity-first", "equity-penalty"])
def test_a_policy_that_uses_equity_without_a_staircase_is_an_error(policy):
    """Before, ``equity-first`` without a staircase silently became proportional (MODEL §7)."""
    with pytest.raises(fo.InputError, match=f"policy '{policy}' cuts by excess equity, which "):
        fo.redistribute({"A": 6e6, "B": 4e6}, 5e6, fo.Parameters(budget=339e6), policy)
    default = fo.redistribute({"A": 6e6, "B": 4e6}, 5e6, fo.Parameters(budget=339e6))
    assert default.policy == "proportional"
