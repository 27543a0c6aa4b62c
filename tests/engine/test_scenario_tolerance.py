"""The scenario tolerance is 1 kr on both sides of the budget (MODEL.md §4a)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import finsam_opt as fo
from finsam_opt.engine.model import scenario_of

BUDGET = 10_000_000.0


def _units(over: float) -> pd.DataFrame:
    """Two equal units (ideal 5 Mkr each): Σ t = B + ``over`` kronor, by A's floor when
    ``over > 0`` and by B's request when ``over < 0``."""
    previous = (5e6 + over) / 0.9 if over > 0 else 5e6
    requested = 5e6 + over if over < 0 else np.inf
    return pd.DataFrame(
        {
            "population": [1.0, 1.0],
            "support_measure": [1.0, 1.0],
            "previous_allocation": [previous, np.nan],
            "requested": [np.inf, requested],
        },
        index=["A", "B"],
    )


@pytest.mark.parametrize(
    ("over", "scenario"),
    [(0.0, "balance"), (0.5, "balance"), (1.0, "balance"), (-1.0, "balance"),
     (-0.5, "balance"), (1.5, "deficit"), (-1.5, "surplus")],
)  # fmt: skip
def test_within_one_krona_either_way_is_a_balance(over, scenario):
    assert scenario_of(BUDGET + over, BUDGET) == scenario


@pytest.mark.parametrize("over", [0.5, -0.5])
def test_half_a_krona_over_or_under_is_a_balance_paid_within_the_budget(over):
    """S = B + 0.5 kr used to be a deficit (the tolerance was one-sided)."""
    result = fo.allocate(_units(over), fo.Parameters(budget=BUDGET))
    table = result.table
    assert table["target"].sum() == pytest.approx(BUDGET + over, abs=1e-6)
    assert result.scenario == "balance"
    np.testing.assert_array_equal(table["allocation"], table["target"])  # x = t
    assert result.rounded_total <= BUDGET
    assert result.unallocated == BUDGET - result.rounded_total >= 0
    batch = fo.allocate_batch(_units(over), [BUDGET])
    assert batch.scenario[0] == "balance"
    np.testing.assert_array_equal(batch.allocation[0], table["allocation"])


@pytest.mark.parametrize("solver", fo.SOLVERS)
def test_more_than_one_krona_over_is_a_deficit_on_every_solver(solver):
    result = fo.allocate(_units(1.5), fo.Parameters(budget=BUDGET), solver=solver)
    assert result.scenario == "deficit"
    assert result.table["allocation"].sum() == pytest.approx(BUDGET, abs=1e-6)
    assert result.rounded_total == BUDGET


def test_more_than_one_krona_under_is_a_surplus():
    result = fo.allocate(_units(-1.5), fo.Parameters(budget=BUDGET))
    assert result.scenario == "surplus"
    assert result.unallocated == pytest.approx(1.5, abs=0.5)
