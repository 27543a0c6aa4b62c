"""Diagnostics of an allocation, recomputed here independently from the decision table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import finsam_opt as fo
from finsam_opt.analysis.diagnostics import population_weighted_gini
from strategies import instances

DEFICIT = fo.Parameters(budget=20_000_000)
Instance = tuple[pd.DataFrame, fo.Parameters]


def _gini_by_pairs(amounts: np.ndarray, population: np.ndarray) -> float:
    """Gini as the mean absolute difference over all pairs of inhabitants / (2 × mean)."""
    keep = population > 0
    y, w = amounts[keep] / population[keep], population[keep]
    mean = (w * y).sum() / w.sum()
    pairs = (w[:, None] * w[None, :] * np.abs(y[:, None] - y[None, :])).sum()
    return pairs / (2.0 * w.sum() ** 2 * mean)


def test_the_worked_example_under_raise_limit() -> None:
    # MODEL.md §5 in tkr: t − m is 1 868.421 for B and 378.947 for E; B keeps 986.842 of it.
    d = fo.diagnose(fo.allocate(fo.example_units(), DEFICIT, "raise-limit"))
    assert (d.scenario, d.policy, d.units) == ("deficit", "raise-limit", 5)
    assert (d.at_ideal, d.at_cap, d.at_floor, d.relaxed, d.scaled, d.at_base) == (3, 1, 0, 1, 0, 0)
    assert (d.new, d.protected) == (1, 2)
    assert d.below_floor == 2  # B relaxed part-way, E all the way to its ideal ('ideal')
    assert d.floor_cost == pytest.approx(2_247_368.421, abs=1e-3)
    assert d.floor_paid == pytest.approx(986_842.105, abs=1e-3)
    assert d.floor_relaxed == pytest.approx(1_260_526.316, abs=1e-3)  # the deficit S − B
    assert d.cut_below_capped == pytest.approx(0.0, abs=1e-6)
    assert d.balancing_scalar == pytest.approx(0.1469298, abs=1e-7)
    assert d.decrease_limit == pytest.approx(0.2469298, abs=1e-7)
    assert d.deviation_max_unit == "C"  # held at its cap 2 500 below its ideal 3 486.842
    assert d.deviation_max_relative == pytest.approx(1 - 2_500 / 3_486.842105, abs=1e-9)
    assert d.unallocated == pytest.approx(0.0, abs=1e-6)


def test_scale_gains_pays_the_floor_by_cutting_the_others() -> None:
    d = fo.diagnose(fo.allocate(fo.example_units(), DEFICIT, "scale-gains"))
    assert d.floor_paid == pytest.approx(d.floor_cost)
    assert d.floor_relaxed == pytest.approx(0.0, abs=1e-6)
    assert d.cut_below_capped == pytest.approx(1_260_526.316, abs=1e-3)
    assert (d.at_floor, d.scaled, d.at_cap) == (2, 2, 1)
    assert d.decrease_limit == 0.10


def test_to_dict_and_to_frame_agree() -> None:
    d = fo.diagnose(fo.allocate(fo.example_units(), DEFICIT))
    items = d.to_dict()
    assert list(items) == list(d.__dataclass_fields__)
    frame = d.to_frame()
    assert frame.index.tolist() == list(items)
    assert frame.loc["floor_cost", "value"] == items["floor_cost"]


@given(instances(), st.sampled_from(list(fo.DEFICIT_POLICIES)))
def test_diagnostics_match_an_independent_recount(case: Instance, policy: str) -> None:
    """Property: every diagnostic equals its definition recomputed from the decision table."""
    units, params = case
    result = fo.allocate(units, params, policy)
    t = result.table
    d = fo.diagnose(result)
    counts = t["binding"].value_counts()
    assert d.at_ideal == counts.get("ideal", 0) + counts.get("new", 0)
    assert d.at_cap == counts.get("cap", 0)
    assert d.at_floor == counts.get("floor", 0)
    assert d.relaxed == counts.get("relaxed-floor", 0)
    assert d.scaled == counts.get("scaled", 0)
    assert d.at_base == counts.get("base", 0)
    assert d.at_ideal + d.at_cap + d.at_floor + d.relaxed + d.scaled + d.at_base == len(t)
    assert d.new == t["previous_allocation"].isna().sum()
    protected = t[t["target"] > t["capped"]]
    assert d.protected == len(protected)
    assert d.below_floor == (t["allocation"] < t["floor"] - 0.5).sum()
    assert d.floor_cost == pytest.approx(
        (protected["target"] - protected["capped"]).sum(), abs=1e-3
    )
    assert d.floor_paid == pytest.approx(
        (protected["allocation"] - protected["capped"]).sum(), abs=1e-3
    )
    gap = (t["allocation"] - t["ideal"]).abs()
    assert d.deviation_l1 == pytest.approx(gap.sum(), rel=1e-9, abs=1e-3)
    assert d.deviation_max_relative == pytest.approx((gap / t["ideal"]).max(), rel=1e-9)
    assert d.unallocated == pytest.approx(params.budget - t["allocation"].sum(), abs=1e-3)
    gini = _gini_by_pairs(t["allocation"].to_numpy(), t["population"].to_numpy())
    assert d.gini_per_inhabitant == pytest.approx(gini, abs=1e-9)


@given(instances("deficit"), st.sampled_from(list(fo.DEFICIT_POLICIES)))
def test_the_unpaid_floor_and_the_others_cuts_make_the_deficit(case: Instance, policy: str) -> None:
    """Property: in a deficit, floor_relaxed + cut_below_capped = Σ t − B (who paid the gap)."""
    units, params = case
    result = fo.allocate(units, params, policy)
    d = fo.diagnose(result)
    gap = result.table["target"].sum() - params.budget
    assert d.floor_relaxed + d.cut_below_capped == pytest.approx(gap, rel=1e-9, abs=1e-3)


@given(
    st.lists(st.floats(min_value=0.0, max_value=1e7), min_size=1, max_size=12),
    st.data(),
)
def test_gini_is_the_pairwise_definition(amounts: list[float], data: st.DataObject) -> None:
    """Property: the Lorenz-curve Gini equals the all-pairs definition, weighted by population."""
    population = data.draw(
        st.lists(
            st.integers(min_value=0, max_value=100_000),
            min_size=len(amounts),
            max_size=len(amounts),
        ).filter(lambda p: sum(p) > 0)
    )
    x, p = np.array(amounts), np.array(population, dtype=float)
    if (x[p > 0] / p[p > 0]).sum() == 0:
        assert population_weighted_gini(x, p) == 0.0
        return
    assert population_weighted_gini(x, p) == pytest.approx(_gini_by_pairs(x, p), abs=1e-9)


def test_gini_is_zero_when_every_inhabitant_gets_the_same() -> None:
    population = np.array([10.0, 30.0, 60.0])
    assert population_weighted_gini(population * 7.5, population) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize(("budget", "policy"), [(310e6, "raise-limit"), (300e6, "scale-gains")])
def test_a_fully_paid_floor_leaves_exactly_nothing_relaxed(budget: float, policy: str) -> None:
    """Floors paid in full (a surplus; scale-gains' first phase) report 0, not float noise."""
    example = fo.national_example()
    result = fo.allocate(example.units, fo.Parameters(budget=budget), policy)
    d = fo.diagnose(result)
    assert d.protected > 0
    assert d.floor_relaxed == 0.0
    assert d.floor_paid == d.floor_cost
