"""Largest-remainder rounding (MODEL.md §8)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from finsam_opt.engine.rounding import round_largest_remainder

amounts = st.lists(
    st.floats(min_value=0, max_value=5e8, allow_nan=False), min_size=1, max_size=50
).map(np.array)


def rounded(values: np.ndarray, unit: int = 1, **bounds: np.ndarray) -> np.ndarray:
    n = len(values)
    return round_largest_remainder(
        values,
        unit,
        cap=bounds.get("cap", np.full(n, np.inf)),
        floor=bounds.get("floor", np.zeros(n)),
        tiebreak=np.arange(n),
    )


@given(amounts, st.sampled_from([1, 1000]))
def test_rounded_amounts_sum_to_the_rounded_total(values: np.ndarray, unit: int) -> None:
    """Property: Σ rounded = the rounded exact total; each moves by less than one unit."""
    result = rounded(values, unit)
    assert result.sum() == unit * math.floor(round(math.fsum(values / unit), 6) + 0.5)
    assert (np.abs(result - values) < unit).all()
    assert (result % unit == 0).all()


@given(amounts)
def test_integer_caps_are_never_exceeded(values: np.ndarray) -> None:
    """Property: an amount at or below a whole-krona cap stays at or below it."""
    cap = np.ceil(values)
    assert (rounded(values, cap=cap) <= cap).all()


def test_a_cap_that_blocks_rounding_up_wins_over_the_total() -> None:
    values = np.array([1_234_567.0, 1_234_567.0])
    result = rounded(values, 1000, cap=values)
    assert result.tolist() == [1_234_000, 1_234_000]


def test_an_amount_at_its_floor_is_not_rounded_below_it() -> None:
    # 0.3 + 0.3 + 0.4 = 1 unit to hand out; unit 0 sits exactly on a fractional floor.
    values = np.array([2_999_999.3, 10.3, 20.4])
    result = rounded(values, floor=np.array([2_999_999.3, 0, 0]))
    assert result.tolist() == [3_000_000, 10, 20]


def test_equal_remainders_are_broken_by_the_tiebreak_not_by_position() -> None:
    values = np.array([10.5, 20.5])
    first = round_largest_remainder(
        values, 1, cap=np.full(2, np.inf), floor=np.zeros(2), tiebreak=np.array([1, 0])
    )
    assert first.tolist() == [10, 21]
