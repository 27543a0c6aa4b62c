"""The validation gate's vectorised paths agree with the column-by-column ones."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import finsam_opt as fo
from finsam_opt.domain.units import (
    _KNOWN_COLUMNS,
    _name_keys,
    _numbers_at_once,
    _numeric_column,
    name_key,
)

# Names with the troubles name_key removes: case, runs of (unusual) whitespace, NFD forms.
names = st.lists(
    st.text(
        alphabet=st.sampled_from(list("aAåÅeé\u0301 \t\u3000\x1fxZ-1")), min_size=0, max_size=6
    ),
    min_size=1,
    max_size=30,
)


@given(names)
def test_name_keys_at_once_are_name_key_of_each(ids: list[str]) -> None:
    """Property: the joined-text keys equal name_key of every id."""
    assert _name_keys(pd.Index(ids, dtype=object)) == [name_key(i) for i in ids]


def test_ids_holding_the_separator_are_keyed_one_by_one() -> None:
    ids = pd.Index(["a\x00b", "A\x00B "], dtype=object)
    assert _name_keys(ids) == ["a\x00b", "a\x00b"]


@given(st.integers(1, 40), st.integers(0, 2**32 - 1), st.booleans())
def test_numbers_at_once_equal_the_columns_read_one_by_one(
    n: int, seed: int, extra_column: bool
) -> None:
    """Property: a numeric table read at once gives the same arrays as column by column
    (integer and float columns, NaN in optional ones, an unknown text column)."""
    rng = np.random.default_rng(seed)
    units = pd.DataFrame(
        {
            "population": rng.integers(1, 10**6, n),
            "support_measure": rng.uniform(1, 1e9, n),
            "previous_allocation": np.where(rng.random(n) < 0.3, np.nan, rng.uniform(0, 1e7, n)),
            "requested": rng.integers(0, 10**7, n),
        }
    )
    if extra_column:
        units["note"] = "x"
    required = ("population", "support_measure")
    at_once = _numbers_at_once(units, required)
    assert at_once is not None
    for name in _KNOWN_COLUMNS:
        one = _numeric_column(units, name, required=name in required)
        np.testing.assert_array_equal(at_once[name], one)


def test_a_broken_value_goes_column_by_column_for_its_message() -> None:
    units = pd.DataFrame({"population": [1.0, 2.0], "support_measure": [1.0, -5.0]})
    assert _numbers_at_once(units, ("population", "support_measure")) is None
    try:
        fo.allocate(units.set_axis(["A", "B"]), fo.Parameters(budget=1e6))
    except fo.InputError as error:
        assert "unit 'B': support_measure must be ≥ 0, got -5" in str(error)
    else:
        raise AssertionError("a negative support measure was accepted")
