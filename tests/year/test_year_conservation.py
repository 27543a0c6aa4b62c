"""Money is conserved through every round of an allocation year (MODEL.md §6, §9 invariant 10)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
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


def test_a_return_in_ore_is_refused() -> None:
    # Before: 500 000.4 kr handed back grew the pool by the öre but the whole-krona amounts
    # did not fall by it: the spring round created 0.8 kr.
    units, params = fo.example_units(), fo.Parameters(budget=25_000_000)
    year = fo.AllocationYear(2027, units, params).final()
    with pytest.raises(fo.InputError, match="unit 'E': a return must be whole kronor"):
        year.surplus(pd.Series({"A": 3e5}), returned={"E": 500_000.4, "D": 0.0})
    spring = year.surplus(pd.Series({"A": 3e5}), returned={"E": 500_000}).round("surplus")
    assert spring.table["amount"].sum() + spring.summary["unallocated"] == 25_000_000
