"""Membership changes between years (MODEL.md §11): the floor follows the people."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import finsam_opt as fo
from finsam_opt.analysis.changes import apply_change

MKR = 1_000_000.0


def _municipalities() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region": ["Län"] * 5,
            "population": [30_000.0, 10_000.0, 20_000.0, 5_000.0, 15_000.0],
            "support_measure": [6e8, 1e8, 4e8, 1e8, 3e8],
        },
        index=["0101", "0102", "0103", "0104", "0105"],
    )


def _memberships(this_year: dict[str, str]) -> pd.DataFrame:
    last = {"0101": "X", "0102": "X", "0103": "Y", "0104": "Z", "0105": "Y"}
    rows = [(code, unit, 2026) for code, unit in last.items()]
    rows += [(code, unit, 2027) for code, unit in this_year.items()]
    return pd.DataFrame(rows, columns=["municipality_code", "unit", "year"])


UNIT_DATA = pd.DataFrame(
    {"previous_allocation": [4 * MKR, 3 * MKR, 1 * MKR]}, index=pd.Index(["X", "Y", "Z"])
)


def test_a_moving_municipality_carries_its_share_of_the_previous_allocation():
    """0102 is a quarter of X's population and a seventh of its support measure:
    0.25 × 1/4 + 0.75 × 1/7 of X's 4 Mkr = 678 571.43 kr moves to Y. Before, Y's floor
    ignored it and X kept all of its 4 Mkr."""
    members = _memberships({"0101": "X", "0102": "Y", "0103": "Y", "0104": "Z", "0105": "Y"})
    result = fo.aggregate_municipalities(_municipalities(), members, 2027, UNIT_DATA)
    share = 0.25 * 10 / 40 + 0.75 * 1 / 7
    previous = result.units["previous_allocation"]
    assert previous["X"] == pytest.approx(4 * MKR * (1 - share))
    assert previous["Y"] == pytest.approx(3 * MKR + 4 * MKR * share)
    assert previous.sum() == pytest.approx(8 * MKR)
    assert result.carried.to_dict("records") == [
        {"municipality_code": "0102", "from_unit": "X", "to_unit": "Y",
         "amount": pytest.approx(4 * MKR * share)}
    ]  # fmt: skip
    assert "municipality 0102 moved from 'X' to 'Y', carrying 678,571 kr" in str(result.notes[0])


def test_carry_previous_false_keeps_the_old_behaviour_and_says_so():
    members = _memberships({"0101": "X", "0102": "Y", "0103": "Y", "0104": "Z", "0105": "Y"})
    result = fo.aggregate_municipalities(
        _municipalities(), members, 2027, UNIT_DATA, carry_previous=False
    )
    assert result.units["previous_allocation"].to_dict() == {"X": 4 * MKR, "Y": 3 * MKR, "Z": MKR}
    assert "not carried with them (carry_previous=False)" in str(result.notes[0])


def test_a_unit_whose_municipalities_all_left_is_dropped_with_a_note():
    """Before, a förbund whose municipalities had all left was an error."""
    members = _memberships({"0101": "X", "0102": "X", "0103": "Y", "0104": "Y", "0105": "Y"})
    result = fo.aggregate_municipalities(_municipalities(), members, 2027, UNIT_DATA)
    assert list(result.units.index) == ["X", "Y"]
    assert result.units.loc["Y", "previous_allocation"] == pytest.approx(4 * MKR)
    assert "unit 'Z' is dropped: all its municipalities have left" in map(str, result.notes)
    assert "förbundet 'Z' tas bort: alla dess kommuner har lämnat" in [
        note.text("sv") for note in result.notes
    ]


def test_a_merger_sums_previous_allocation_equity_turnover_and_answers():
    """Before, the merged unit kept the first member's equity and turnover."""
    units = fo.example_units().assign(equity=[1e6, 2e6, 0, 0, 3e6], turnover=[5e6, 6e6, 1, 1, 7e6])
    merged = apply_change(units, fo.Merge(2, "BE", ("B", "E")))
    row = merged.loc["BE"]
    assert row["equity"] == 5e6 and row["turnover"] == 13e6
    assert row["previous_allocation"] == 9e6
    assert np.isinf(row["municipal_match"])  # both said "no limit"
    members = _memberships({"0101": "X", "0102": "X", "0103": "YZ", "0104": "YZ", "0105": "YZ"})
    result = fo.aggregate_municipalities(_municipalities(), members, 2027, UNIT_DATA)
    assert result.units.loc["YZ", "previous_allocation"] == pytest.approx(4 * MKR)


@st.composite
def _histories(draw: st.DrawFn):
    n = draw(st.integers(min_value=2, max_value=12))
    rng = np.random.default_rng(draw(st.integers(min_value=0, max_value=2**32 - 1)))
    codes = [f"{i:04d}" for i in range(1, n + 1)]
    municipalities = pd.DataFrame(
        {"population": rng.integers(1_000, 100_000, n).astype(float),
         "support_measure": rng.uniform(1e7, 1e9, n)},
        index=codes,
    )  # fmt: skip
    units = rng.integers(0, max(1, n // 2), n)
    membership = pd.Series([f"U{u}" for u in units], index=codes)
    steps = draw(
        st.lists(
            st.tuples(st.sampled_from(["move", "merge"]), st.integers(0, n - 1),
                      st.integers(0, n - 1)),
            min_size=1, max_size=6,
        )
    )  # fmt: skip
    return municipalities, membership, steps, rng.uniform(1e6, 9e6, len(set(units)))


@given(_histories())
def test_any_sequence_of_moves_and_mergers_conserves_the_previous_allocations(history):
    """Property: Σ previous allocation is the same after any sequence of municipalities
    moving between units and units merging (MODEL.md §11)."""
    municipalities, membership, steps, amounts = history
    previous = pd.Series(amounts, index=list(dict.fromkeys(membership)))
    total = math.fsum(previous)
    for number, (kind, a, b) in enumerate(steps):
        moved = membership.copy()
        if kind == "move":  # municipality a moves to municipality b's unit, or a new one
            moved.iloc[a] = moved.iloc[b] if a != b else f"N{number}"
        else:  # the units of municipalities a and b merge
            both = moved.isin([moved.iloc[a], moved.iloc[b]])
            moved[both] = f"M{number}"
        carried = fo.carry_previous_allocations(municipalities, previous, membership, moved)
        assert set(carried.previous.index) == set(moved)
        assert math.fsum(carried.previous.fillna(0.0)) == pytest.approx(total, rel=1e-12)
        assert not (set(carried.dropped) & set(moved))
        previous, membership = carried.previous.dropna(), moved


def test_a_merger_of_whole_förbund_sums_their_equity_turnover_and_answers():
    data = UNIT_DATA.assign(
        equity=[1e6, 2e6, 0.5e6],
        turnover=[8e6, 6e6, 2e6],
        requested=[4e6, 3e6, 1e6],
        municipal_match=[2e6, np.inf, 0.5e6],
        regional_match=[2e6, 1.5e6, np.nan],  # Z's region has not answered
    )
    members = _memberships({"0101": "X", "0102": "X", "0103": "YZ", "0104": "YZ", "0105": "YZ"})
    result = fo.aggregate_municipalities(_municipalities(), members, 2027, data)
    yz = result.units.loc["YZ"]
    assert (yz["previous_allocation"], yz["equity"], yz["turnover"]) == (4e6, 2.5e6, 8e6)
    assert yz["requested"] == 4e6 and np.isinf(yz["municipal_match"])
    assert np.isnan(yz["regional_match"])  # a member without an answer leaves it unanswered
    assert "unit 'YZ' merges 'Y', 'Z': their equity, turnover, requested" in " ".join(
        map(str, result.notes)
    )
    assert result.units.loc["X", "equity"] == 1e6  # untouched


def test_a_merger_whose_members_allocation_is_not_given_is_refused() -> None:
    # Before: given only this year's units (as the docstring then said), X and Y merged into
    # XY became a new unit without a floor: their 6 Mkr vanished without a note.
    kommuner = pd.DataFrame(
        {"region": ["R"] * 4, "population": [10_000, 8_000, 6_000, 5_000],
         "support_measure": [3e8, 2e8, 1e8, 1e8]},
        index=pd.Index(["0001", "0002", "0003", "0004"], name="municipality_code"),
    )  # fmt: skip
    memberships = pd.DataFrame(
        {"municipality_code": ["0001", "0002", "0003", "0004"] * 2,
         "unit": ["X", "X", "Y", "Z", "XY", "XY", "XY", "Z"], "year": [2026] * 4 + [2027] * 4}
    )  # fmt: skip
    previous = pd.DataFrame({"previous_allocation": [4e6, 2e6, 1.5e6]}, index=["X", "Y", "Z"])
    with pytest.raises(fo.InputError, match=r"0001, 0002, 0003 left units 'X', 'Y'"):
        fo.aggregate_municipalities(kommuner, memberships, year=2027, unit_data=previous.loc[["Z"]])
    given = fo.aggregate_municipalities(kommuner, memberships, year=2027, unit_data=previous)
    assert given.units["previous_allocation"].sum() == pytest.approx(7.5e6)
    assert given.units.loc["XY", "previous_allocation"] == pytest.approx(6e6)


def test_a_moving_municipality_is_named_as_well_as_numbered():
    members = _memberships({"0101": "X", "0102": "Y", "0103": "Y", "0104": "Z", "0105": "Y"})
    named = _municipalities().assign(municipality_name=["Aby", "Bby", "Cby", "Dby", "Eby"])
    result = fo.aggregate_municipalities(named, members, 2027, UNIT_DATA)
    assert result.notes[0].text("sv").startswith("kommun 0102 (Bby) bytte från 'X' till 'Y'")
