"""Rounding many rows at once gives every row what the one-row rule gives."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from finsam_opt.engine.rounding import round_rows


def _one_row(amounts, unit, cap, floor, tiebreak):
    """The largest-remainder rule of MODEL.md §8 for one row, written out plainly."""
    scaled = amounts / unit
    nearest = np.round(scaled)
    scaled = np.where(np.abs(scaled - nearest) < 1e-6, nearest, scaled)
    down = np.floor(scaled)
    remainder = np.round(scaled - down, 6)
    needed = int(math.floor(round(math.fsum(scaled), 6) + 0.5) - down.sum())
    fraction = remainder > 0
    blocked = fraction & ((down + 1) * unit > cap)
    forced = fraction & ~blocked & (down * unit < floor) & (amounts >= floor)
    candidates = np.flatnonzero(fraction & ~blocked)
    order = np.lexsort((tiebreak[candidates], -remainder[candidates], ~forced[candidates]))
    rounded = down.copy()
    rounded[candidates[order[:needed]]] += 1
    return (rounded * unit).astype(np.int64)


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
    """Property: round_rows equals the one-row rule on every row, ties, caps and floors included."""
    rng = np.random.default_rng(seed)
    amounts = rng.uniform(0, 5e6, (rows, n))
    if halves:  # exact halves and repeated remainders make ties
        amounts = np.round(amounts / unit * 2) / 2 * unit
    cap = np.where(rng.random((rows, n)) < 0.3, np.floor(amounts), np.inf)
    floor = np.where(rng.random((rows, n)) < 0.3, amounts - rng.uniform(0, unit, (rows, n)), 0)
    tiebreak = rng.permutation(n)
    together = round_rows(amounts, unit, cap=cap, floor=floor, tiebreak=tiebreak)
    for r in range(rows):
        expected = _one_row(amounts[r], unit, cap[r], floor[r], tiebreak)
        assert together[r].tolist() == expected.tolist()
