"""Property tests for the invariants of MODEL.md §9 (1–5, 7, 8) on random instances."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import finsam_opt as fo
from strategies import ill_scaled_instances, instances

POLICIES = list(fo.DEFICIT_POLICIES)
Instance = tuple[pd.DataFrame, fo.Parameters]


@given(instances(), st.floats(min_value=0.01, max_value=100.0))
def test_ideal_shares_sum_to_one_and_ignore_scale(case: Instance, factor: float) -> None:
    """Property: Σ key = 1, Σ I = B, I ≥ b; scaling all P or all F leaves I unchanged (inv. 1)."""
    units, params = case
    table = fo.allocate(units, params).table
    assert table["key"].sum() == pytest.approx(1.0, abs=1e-12)
    assert table["ideal"].sum() == pytest.approx(params.budget, rel=1e-12)
    assert (table["ideal"] >= params.base_amount - 1e-6).all()
    for column in ("population", "support_measure"):
        scaled = units.assign(**{column: units[column] * factor})
        ideal = fo.ideal_allocation(scaled, params)
        assert ideal.tolist() == pytest.approx(table["ideal"].tolist(), rel=1e-9)


@given(instances(), st.sampled_from(POLICIES), st.randoms(use_true_random=False))
def test_permuting_units_permutes_every_output(case: Instance, policy: str, random) -> None:
    """Property: the result does not depend on row order (inv. 1)."""
    units, params = case
    order = list(units.index)
    random.shuffle(order)
    straight = fo.allocate(units, params, policy).table
    shuffled = fo.allocate(units.loc[order], params, policy).table.loc[units.index]
    assert shuffled["allocation"].tolist() == pytest.approx(
        straight["allocation"].tolist(), abs=1e-6
    )
    assert shuffled["allocation_rounded"].tolist() == straight["allocation_rounded"].tolist()
    assert shuffled["binding"].tolist() == straight["binding"].tolist()


@given(instances(), st.sampled_from(POLICIES))
def test_matching_law_and_budget_always_hold(case: Instance, policy: str) -> None:
    """Property: x ≤ u, Σ x ≤ B, a deficit spends exactly B, outside it x = t (inv. 2–4)."""
    units, params = case
    result = fo.allocate(units, params, policy)
    table = result.table
    assert (table["allocation"] <= table["cap"]).all()
    assert (table["allocation_rounded"] <= table["cap"]).all()
    assert table["allocation"].sum() <= params.budget * (1 + 1e-12)
    if result.scenario is fo.Scenario.DEFICIT:
        assert table["allocation"].sum() == pytest.approx(params.budget, rel=1e-6)
        assert result.unallocated == pytest.approx(0.0, abs=params.budget * 1e-6)
    else:
        assert table["allocation"].tolist() == pytest.approx(table["target"].tolist(), abs=1e-6)
        assert result.balancing_scalar == 0.0
        assert result.decrease_limit == params.decrease_limit


@given(instances("deficit"))
def test_raise_limit_uses_the_least_raise_that_fits(case: Instance) -> None:
    """Property: under raise-limit m ≤ x ≤ t, x ≥ l − λ*·prev, and any smaller λ overspends (4)."""
    units, params = case
    result = fo.allocate(units, params, "raise-limit")
    assert result.scenario is fo.Scenario.DEFICIT
    t = result.table
    lam = result.balancing_scalar
    assert (t["allocation"] >= t["capped"] - 1e-6).all()
    assert (t["allocation"] <= t["target"] + 1e-6).all()
    previous = t["previous_allocation"].fillna(0.0)
    assert (t["allocation"] >= t["floor"] - lam * previous - 1e-6).all()
    assert result.decrease_limit == pytest.approx(params.decrease_limit + lam)
    smaller = lam * (1 - 1e-6)
    cut = np.where(t["protected"], previous, 0.0)
    spent = np.maximum(t["capped"], t["target"] - smaller * cut).sum()
    assert spent > params.budget


@given(
    instances("deficit"),
    st.sampled_from(["raise-limit", "scale-protection"]),
    st.floats(min_value=0.0, max_value=0.5),
)
def test_a_larger_budget_never_lowers_an_allocation(
    case: Instance, policy: str, raise_by: float
) -> None:
    """Property: raising B never lowers any unit's allocation (inv. 5)."""
    units, params = case
    lower = fo.allocate(units, params, policy).table["allocation"]
    larger = fo.Parameters(budget=params.budget * (1 + raise_by))
    higher = fo.allocate(units, larger, policy).table["allocation"]
    assert (higher >= lower - 1e-4).all()


@given(instances(), st.sampled_from(POLICIES))
def test_rounded_amounts_sum_to_the_rounded_total(case: Instance, policy: str) -> None:
    """Property: Σ rounded = rounded Σ exact; each within one krona (inv. 8)."""
    units, params = case
    t = fo.allocate(units, params, policy).table
    assert t["allocation_rounded"].sum() == math.floor(round(math.fsum(t["allocation"]), 6) + 0.5)
    assert (np.abs(t["allocation_rounded"] - t["allocation"]) < 1).all()


@settings(max_examples=25)
@given(instances(max_units=200), st.sampled_from(POLICIES))
def test_every_solver_gives_the_same_allocation(case: Instance, policy: str) -> None:
    """Property: fast, HiGHS, CBC and scipy agree within 1 kr, rounded amounts too (inv. 7)."""
    units, params = case
    results = {s: fo.allocate(units, params, policy, s).table for s in fo.SOLVERS}
    fast = results["fast"]
    for solver, table in results.items():
        gap = np.abs(table["allocation"] - fast["allocation"]).max()
        assert gap <= 1.0, f"{solver} differs from fast by {gap:.3f} kr"
        rounded_gap = np.abs(table["allocation_rounded"] - fast["allocation_rounded"]).max()
        assert rounded_gap <= 1, f"{solver}'s rounded amounts differ by {rounded_gap} kr"


@settings(max_examples=15)
@given(ill_scaled_instances(), st.sampled_from(POLICIES))
def test_every_solver_agrees_on_ill_scaled_instances(case: Instance, policy: str) -> None:
    """Property: one unit 1000× the others and λ at its largest breakpoint (issue 14
    item 4): every LP backend's own point passes its check, and all agree within 1 kr."""
    units, params = case
    results = {s: fo.allocate(units, params, policy, s) for s in fo.SOLVERS}
    assert results["fast"].scenario is fo.Scenario.DEFICIT
    for solver, result in results.items():
        gap = np.abs(result.exact - results["fast"].exact).max()
        assert gap <= 1.0, f"{solver} differs from fast by {gap:.3f} kr"
        assert np.abs(result.rounded - results["fast"].rounded).max() <= 1


@pytest.mark.parametrize("scenario", ["balance", "surplus", "deficit"])
@given(data=st.data())
def test_each_scenario_arises_as_built(scenario: str, data: st.DataObject) -> None:
    """Property: the strategies give the scenario they are asked for (so the tests cover all)."""
    units, params = data.draw(instances(scenario))
    assert fo.allocate(units, params).scenario == scenario
