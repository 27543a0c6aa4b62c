"""Hypothesis strategies that build valid unit tables constructively.

The scenario is chosen first and the data derived from it: previous allocations
well above the ideal make a deficit, caps below the ideal make a surplus, and
previous allocations at the ideal with no caps make a balance.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import strategies as st

import finsam_opt as fo

BASE = 400_000.0


@st.composite
def instances(
    draw: st.DrawFn, scenario: str | None = None, max_units: int = 60
) -> tuple[pd.DataFrame, fo.Parameters]:
    """A unit table and parameters; ``scenario`` steers which case arises."""
    scenario = scenario or draw(st.sampled_from(["balance", "surplus", "deficit"]))
    n = draw(st.integers(min_value=1, max_value=max_units))
    seed = draw(st.integers(min_value=0, max_value=2**32 - 1))
    rng = np.random.default_rng(seed)
    budget = float(draw(st.integers(min_value=1, max_value=30))) * n * BASE + 1_000.0 * draw(
        st.integers(min_value=0, max_value=999)
    )
    population = rng.integers(1_000, 1_000_000, n).astype(float)
    support = population * rng.uniform(2_000, 6_000, n)
    ideal = fo.ideal_allocation(_frame(population, support), fo.Parameters(budget=budget))
    ideal = ideal.to_numpy()
    previous = ideal.copy()
    requested = np.full(n, np.nan)
    municipal = np.full(n, np.inf)  # "no limit", said explicitly (a blank is no answer)
    regional = np.full(n, np.inf)
    new = rng.random(n) < 0.1
    if scenario == "deficit":
        # Caps may cut units below their ideal; unit 0's floor is lifted by more than
        # all such cuts together, so the targets always overspend the budget.
        previous = ideal * rng.uniform(0.4, 2.5, n)
        capped = rng.random(n) < 0.25
        capped[0] = new[0] = False
        cap = ideal[capped] * rng.uniform(0.5, 1.5, capped.sum())
        municipal[capped] = cap / 2
        regional[capped] = cap / 2 * rng.uniform(1.0, 3.0, capped.sum())
        shortfall = np.maximum(ideal[capped] - cap, 0).sum()
        previous[0] = (1.5 * ideal[0] + shortfall) / 0.9 * 1.01
    elif scenario == "surplus":
        previous = ideal * rng.uniform(0.3, 1.0, n)
        requested = ideal * rng.uniform(0.5, 0.95, n)
    previous[new] = np.nan
    frame = _frame(population, support)
    frame["previous_allocation"] = np.round(previous)
    frame["requested"] = np.round(requested)
    frame["municipal_match"] = np.round(municipal)
    frame["regional_match"] = np.round(regional)
    return frame, fo.Parameters(budget=budget)


def _frame(population: np.ndarray, support: np.ndarray) -> pd.DataFrame:
    ids = [f"U{i:03d}" for i in range(len(population))]
    return pd.DataFrame(
        {"population": population, "support_measure": support}, index=pd.Index(ids, name="unit")
    )


@st.composite
def ill_scaled_instances(
    draw: st.DrawFn, max_units: int = 60
) -> tuple[pd.DataFrame, fo.Parameters]:
    """A deficit with one unit 1000× the others and no caps (issue 14 item 4).

    Without caps the capped ideals sum to the budget, so every policy cuts to
    its limit: λ sits at its largest breakpoint (the LPs' rate at 1), and the
    large unit's amount is three orders above the others'.
    """
    n = draw(st.integers(min_value=2, max_value=max_units))
    rng = np.random.default_rng(draw(st.integers(min_value=0, max_value=2**32 - 1)))
    big = draw(st.integers(min_value=0, max_value=n - 1))
    population = rng.integers(1_000, 100_000, n).astype(float)
    support = population * rng.uniform(2_000, 6_000, n)
    population[big] *= 1000
    support[big] *= 1000
    budget = float(draw(st.integers(min_value=2, max_value=30))) * n * BASE
    frame = _frame(population, support)
    ideal = fo.ideal_allocation(frame, fo.Parameters(budget=budget)).to_numpy()
    previous = ideal * rng.uniform(0.5, 2.0, n)
    previous[big] = ideal[big] * 1.5  # protected: the deficit is real
    frame["previous_allocation"] = np.round(previous)
    return frame, fo.Parameters(budget=budget)
