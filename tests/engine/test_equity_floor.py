"""Equity only when needed (MODEL.md §4, §5 phase E; invariant 9): ``equity_floor``."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import finsam_opt as fo
from strategies import instances

EQUITY = [0.0, 5_000_000.0, 0.0, 0.0, 0.0]  # B: 3.2 Mkr above 15 % of its 12 Mkr turnover
TURNOVER = [18e6, 12e6, 7e6, 3e6, 6e6]
STAIRS = fo.EXAMPLE_STAIRCASE


def _units() -> pd.DataFrame:
    return fo.example_units().assign(equity=EQUITY, turnover=TURNOVER)


def _params(budget: float, equity_floor: str = "deficit") -> fo.Parameters:
    return fo.Parameters(budget=budget, staircase=STAIRS, equity_floor=equity_floor)


def test_the_default_is_deficit_and_a_bad_value_is_refused():
    assert fo.Parameters(budget=1e6).equity_floor is fo.EquityFloor.DEFICIT
    with pytest.raises(
        fo.InputError,
        match="parameter equity_floor must be one of 'deficit', 'always', 'never', got 'sometimes'",
    ):
        fo.Parameters(budget=1e6, equity_floor="sometimes")


def test_equity_changes_nothing_on_the_national_example():
    """With the example staircase 8 förbund used to lose their floor in a surplus, and
    the unallocated amount grew from 13.96 to 15.91 Mkr; now equity waits for a deficit."""
    example = fo.national_example()
    plain = fo.allocate(example.units, example.parameters)
    result = fo.allocate(example.units, replace(example.parameters, staircase=STAIRS))
    assert result.scenario == "surplus"
    assert round(result.unallocated) == round(plain.unallocated) == 13_963_080
    assert (result.table["binding"] == "floor").sum() == 10
    assert (result.table["binding"] != "no-floor-equity").all()
    assert result.equity_rate is None
    pd.testing.assert_series_equal(result.allocation, plain.allocation)
    always = fo.allocate(example.units, replace(result.parameters, equity_floor="always"))
    assert round(always.unallocated) == 15_910_865  # the 2015 rule, still available


@pytest.mark.parametrize("solver", fo.SOLVERS)
def test_phase_e_closes_the_deficit_without_relaxing_any_floor(solver):
    """Σ t = 21 260 526.32 kr against 20 Mkr. B's floor lifts it 1 868 421.05 kr above its
    ideal, all within its 3.2 Mkr excess, so phase E takes 1 260 526.32 kr of it:
    λ = 1 260 526.32 / 1 868 421.05 = 0.674648, and nobody else moves."""
    result = fo.allocate(_units(), _params(20e6), solver=solver)
    table = result.table
    assert result.phase == 0
    assert result.equity_rate == pytest.approx(1_260_526.316 / 1_868_421.053, abs=1e-9)
    assert result.decrease_limit == 0.1
    assert result.table["allocation"].tolist() == pytest.approx(
        [8_794_736.842, 4_139_473.684, 2_500_000, 1_865_789.474, 2_700_000], abs=0.01
    )
    assert table.loc["B", "equity_cut"] == pytest.approx(1_260_526.316, abs=0.01)
    assert table["binding"].tolist() == ["ideal", "equity", "cap", "new", "floor"]
    assert result.rounded_total == 20_000_000
    assert "excess equity first" in result.phase_description
    assert "phase E took 1,260,526 kr of its protection (67.46%" in result.explain("B", "en")
    assert "fas E tog 1 260 526 kr av dess skydd (67,46 %" in result.explain("B")


@pytest.mark.parametrize("solver", fo.SOLVERS)
@pytest.mark.parametrize("policy", ["raise-limit", "scale-protection"])
def test_when_phase_e_cannot_fit_the_policy_runs_on_what_is_left(policy, solver):
    """At 17.5 Mkr taking all of B's protection is not enough. B's excess covers its whole
    protection, so it keeps its capped ideal and the policy relaxes the others: as if B
    had no floor (``always``)."""
    result = fo.allocate(_units(), _params(17.5e6), policy, solver)
    without_floor = fo.allocate(_units(), _params(17.5e6, "always"), policy, solver)
    table = result.table
    assert result.phase == 1
    assert result.equity_rate == 1.0
    assert table.loc["B", "equity_cut"] == pytest.approx(
        table.loc["B", "target"] - table.loc["B", "capped"]
    )
    assert table.loc["B", "binding"] == "equity"
    np.testing.assert_allclose(table["allocation"], without_floor.table["allocation"], atol=1e-6)
    assert result.decrease_limit == without_floor.decrease_limit
    assert result.rounded_total == 17_500_000


@pytest.mark.parametrize("solver", fo.SOLVERS)
def test_after_phase_e_scale_gains_keeps_what_phase_e_left(solver):
    """Under ``scale-gains`` the floors hold; B's is what phase E left, its capped ideal
    (3 096 637.43 kr at 17.5 Mkr), so only D, the one unit with a gain, is scaled."""
    result = fo.allocate(_units(), _params(17.5e6), "scale-gains", solver)
    table = result.table
    assert result.phase == 1 and result.equity_rate == 1.0 and result.decrease_limit == 0.1
    assert table["allocation"].tolist() == pytest.approx(
        [8_100_000, 3_096_637.427, 2_500_000, 1_103_362.573, 2_700_000], abs=0.01
    )
    assert table["binding"].tolist() == ["floor", "equity", "cap", "scaled", "floor"]


def test_a_custom_policy_runs_after_phase_e():
    def keep_half(q, previous):
        return fo.Phase(hi=q.target, lo=(q.capped + q.target) / 2, weight=q.target - q.capped)

    policy = fo.Policy("keep-half", (fo.PhaseRule("keep half of the protection", keep_half),))
    enough = fo.allocate(_units(), _params(20e6), policy)
    assert enough.phase == 0 and enough.policy == "keep-half"
    short = fo.allocate(_units(), _params(18e6), policy)
    assert short.phase == 1 and short.equity_rate == 1.0
    # B's protection is gone before the policy starts: half of nothing is nothing.
    assert short.table.loc["B", "allocation"] == pytest.approx(short.table.loc["B", "capped"])


@pytest.mark.parametrize("policy", list(fo.DEFICIT_POLICIES))
@pytest.mark.parametrize("equity_floor", list(fo.EquityFloor))
def test_the_batch_solver_runs_phase_e_like_allocate(policy, equity_floor):
    budgets = np.linspace(17e6, 24e6, 29)
    batch = fo.allocate_batch(_units(), budgets, policy, params=_params(20e6, equity_floor))
    for v, budget in enumerate(budgets):
        single = fo.allocate(_units(), _params(budget, equity_floor), policy)
        np.testing.assert_allclose(batch.allocation[v], single.allocation, rtol=0, atol=1e-6)
        assert batch.phase[v] == (single.phase or 0)
        rate = np.nan if single.equity_rate is None else single.equity_rate
        np.testing.assert_allclose(batch.equity_rate[v], rate, rtol=0, atol=1e-12)
    closed_by_equity = (batch.scenario == "deficit") & (batch.phase == 0)
    assert closed_by_equity.any() == (equity_floor == "deficit")


def test_a_year_saved_with_the_old_exemption_loads_as_always(tmp_path):
    year = fo.AllocationYear(2027, _units(), _params(20e6)).final()
    folder = year.save(tmp_path / "year")
    state = json.loads((folder / "process.json").read_text(encoding="utf-8"))
    assert state["parameters"]["equity_floor"] == "deficit"
    for entry in (state["parameters"], *(r["parameters"] for r in state["rounds"])):
        del entry["equity_floor"]
        entry["exempt_excess_equity"] = True
    (folder / "process.json").write_text(json.dumps(state), encoding="utf-8")
    assert fo.AllocationYear.load(folder).parameters.equity_floor == "always"


@st.composite
def _with_equity(draw: st.DrawFn, scenario: str) -> tuple[pd.DataFrame, fo.Parameters]:
    units, params = draw(instances(scenario, max_units=40))
    rng = np.random.default_rng(draw(st.integers(min_value=0, max_value=2**32 - 1)))
    turnover = np.round(rng.uniform(1e6, 40e6, len(units)))
    equity = np.round(turnover * rng.uniform(0.0, 0.6, len(units)))
    return units.assign(equity=equity, turnover=turnover), replace(params, staircase=STAIRS)


@given(_with_equity("surplus") | _with_equity("balance"))
def test_equity_changes_nothing_outside_a_deficit(case) -> None:
    """Property: with ``equity_floor='deficit'`` equity changes nothing outside a deficit
    (inv. 9)."""
    units, params = case
    result = fo.allocate(units, params)
    plain = fo.allocate(units, replace(params, staircase=None))
    assert result.scenario == plain.scenario != "deficit"
    np.testing.assert_array_equal(result.allocation, plain.allocation)
    assert result.equity_rate is None


@settings(max_examples=25)
@given(_with_equity("deficit"), st.sampled_from(list(fo.DEFICIT_POLICIES)))
def test_no_floor_is_relaxed_while_phase_e_fits(case, policy) -> None:
    """Property: in a deficit, while phase E fits nobody but units with excess equity moves
    and the decrease limit holds; a policy runs only when all of ``min(E, t − m)`` cannot
    close the gap. Every solver agrees within 1 kr (inv. 9, inv. 7)."""
    units, params = case
    results = {s: fo.allocate(units, params, policy, s) for s in fo.SOLVERS}
    fast = results["fast"]
    t = fast.table
    assert fast.scenario == "deficit"
    e = np.minimum(t["excess_equity"], t["target"] - t["capped"]).to_numpy()
    tol = 1e-6 * params.budget
    if fast.phase == 0:
        event("phase E closed the deficit")
        assert fast.decrease_limit == params.decrease_limit
        untouched = e == 0
        np.testing.assert_allclose(
            t["allocation"][untouched], t["target"][untouched], rtol=0, atol=tol
        )
        assert (t["allocation"] >= t["target"] - e - tol).all()
    else:
        event("a policy phase ran")
        assert (t["target"] - e).sum() > params.budget
        assert fast.equity_rate in (None, 1.0)
    for solver, result in results.items():
        gap = np.abs(result.allocation - fast.allocation).max()
        assert gap <= 1.0, f"{solver} differs from fast by {gap:.3f} kr"
        assert result.phase == fast.phase
