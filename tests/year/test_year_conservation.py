"""Money is conserved through every round of an allocation year (MODEL.md §6, §9 invariant 10)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import finsam_opt as fo
from strategies import instances


@settings(max_examples=25)
@given(
    instances(max_units=25),
    st.sampled_from([1, 1000]),
    st.floats(min_value=0.8, max_value=1.2),
    st.sampled_from(["proportional", "by-key"]),
    st.integers(min_value=0, max_value=2**32 - 1),
)
def test_every_round_of_a_year_adds_up_to_its_budget(
    instance, unit: int, bill: float, policy: str, seed: int
) -> None:
    """Property (invariant 10): in June, in the final round with the budget bill's amount
    and in the spring round after whole-krona returns, Σ amount + unallocated is the
    round's budget to the krona, and the spring round hands out no more than was left
    plus what came back."""
    units, params = instance
    params = dataclasses.replace(params, rounding_unit=unit)
    n = len(units)
    final_budget = max(round(params.budget * bill), n * params.base_amount)
    year = fo.AllocationYear(2027, units, params).preliminary().final(budget=final_budget)
    june, final = year.round("preliminary"), year.round("final")
    assert june.table["amount"].sum() + june.summary["unallocated"] == params.budget
    assert final.table["amount"].sum() + final.summary["unallocated"] == final_budget

    rng = np.random.default_rng(seed)
    decided = final.table["amount"]
    givers = units.index[rng.random(n) < 0.3]
    returned = {g: int(rng.integers(0, decided[g] + 1)) for g in givers}
    appliers = units.index.difference(givers)
    if len(appliers) == 0:
        return
    applications = pd.Series(rng.uniform(0, 2e6, len(appliers)).round(), index=appliers)
    spring = year.surplus(applications, returned=returned, policy=policy).round("surplus")
    granted = spring.table["amount"].sum() - decided.sum() + sum(returned.values())
    assert spring.table["amount"].sum() + spring.summary["unallocated"] == final_budget
    assert 0 <= granted <= final.summary["unallocated"] + sum(returned.values())
