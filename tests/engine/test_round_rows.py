"""Rounding many rows at once gives every row what the one-row rule gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from finsam_opt.engine.rounding import round_largest_remainder, round_rows


@given(
    st.integers(1, 30),
    st.integers(1, 12),
    st.sampled_from([1, 1000]),
    st.integers(0, 2**32 - 1),
    st.booleans(),
)
def test_every_row_is_rounded_as_on_its_own(
    n: int, rows: int, unit: int, seed: int, halves: bool
) -> None:
    """Property: round_rows equals round_largest_remainder on every row, ties, caps, floors
    and fractional limits included."""
    rng = np.random.default_rng(seed)
    amounts = rng.uniform(0, 5e6, (rows, n))
    if halves:  # exact halves and repeated remainders make ties
        amounts = np.round(amounts / unit * 2) / 2 * unit
    cap = np.where(rng.random((rows, n)) < 0.3, np.floor(amounts), np.inf)
    floor = np.where(rng.random((rows, n)) < 0.3, amounts - rng.uniform(0, unit, (rows, n)), 0)
    tiebreak = rng.permutation(n)
    ids = pd.Index([f"u{rank:03d}" for rank in tiebreak])  # sorted in the order of the ranks
    limit = amounts.sum(axis=1) + rng.uniform(-0.4, 2.0, rows) * unit  # fractional
    together = round_rows(amounts, unit, limit=limit, cap=cap, floor=floor, tiebreak=tiebreak)
    for r in range(rows):
        expected = round_largest_remainder(
            amounts[r], unit, limit=limit[r], cap=cap[r], floor=floor[r], ids=ids
        )
        assert together[r].tolist() == expected.tolist()
