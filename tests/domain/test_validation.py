"""The validation gate: every rule broken gives its own message naming unit, column and rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import finsam_opt as fo

PARAMS = fo.Parameters(budget=20_000_000)


def units(**changes: object) -> pd.DataFrame:
    frame = fo.example_units()
    for column, value in changes.items():
        frame[column] = value
    return frame


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (units(population=[1, 2, -5, 4, 5]), r"unit 'C': population must be ≥ 0, got -5"),
        (
            units(previous_allocation=[1e6, -5, 1e6, np.nan, -1]),
            r"units 'B', 'E': previous_allocation must be ≥ 0, got -5",
        ),
        (
            units(support_measure=[1, 2, np.nan, 4, 5]),
            r"unit 'C': support_measure must be given, got NaN",
        ),
        (
            units(previous_allocation=[1, 2, np.inf, 4, 5]),
            r"unit 'C': previous_allocation must be finite, got inf",
        ),
        (
            units(municipal_match=["1", "2", "three", "4", "5"]),
            r"unit 'C': municipal_match must be a number, got 'three'",
        ),
        (
            units(regional_match=[True, False, True, True, True]),
            r"units 'A', 'B', 'C', 'D', 'E': regional_match must be a number, got True",
        ),
        (units(population=0), r"column 'population' must have a positive total over all units"),
        (
            units(support_measure=0.0),
            r"column 'support_measure' must have a positive total over all units",
        ),
        (
            fo.example_units().drop(columns="support_measure"),
            r"the unit table lacks required column\(s\) 'support_measure'",
        ),
        (
            fo.example_units().rename(columns={"previous_allocation": "previous_alocation"}),
            r"unknown column 'previous_alocation' in the unit table "
            r"\(did you mean 'previous_allocation'\?\)",
        ),
        (
            fo.example_units().set_axis(["A", "B", "A", "D", "B"]),
            r"duplicate unit ids: units 'A', 'B' appear more than once",
        ),
        (
            fo.example_units().set_axis(["A", None, "C", "D", "E"]),
            r"unit id is missing in row\(s\) \[2\] of the unit table",
        ),
        (fo.example_units().iloc[:0], r"the unit table has no units"),
    ],
)
def test_each_broken_rule_names_its_unit_column_and_rule(frame: pd.DataFrame, message: str) -> None:
    with pytest.raises(fo.InputError, match=f"^{message}"):
        fo.allocate(frame, PARAMS)


def test_error_carries_the_column_and_units() -> None:
    with pytest.raises(fo.InputError) as caught:
        fo.allocate(units(population=[1, 2, -5, 4, -1]), PARAMS)
    assert caught.value.column == "population"
    assert caught.value.units == ("C", "E")


def test_more_than_five_units_are_summarised() -> None:
    frame = pd.DataFrame(
        {"population": [-1.0] * 8, "support_measure": 1.0}, index=[f"U{i}" for i in range(8)]
    )
    with pytest.raises(fo.InputError, match=r"units 'U0', .*'U4' and 3 more: population"):
        fo.allocate(frame, PARAMS)


def test_units_must_be_a_dataframe() -> None:
    with pytest.raises(fo.InputError, match=r"units must be a pandas DataFrame, got dict"):
        fo.allocate({"population": [1]}, PARAMS)  # type: ignore[arg-type]


def test_budget_must_pay_every_base_amount() -> None:
    with pytest.raises(
        fo.InputError,
        match=r"parameter budget \(1,000,000 kr\) must be at least the number of units × "
        r"base_amount \(5 × 400,000 = 2,000,000 kr\)",
    ):
        fo.allocate(fo.example_units(), fo.Parameters(budget=1_000_000))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"budget": -1}, r"parameter budget must be finite and ≥ 0, got -1"),
        ({"budget": float("nan")}, r"parameter budget must be finite and ≥ 0, got nan"),
        ({"budget": "339"}, r"parameter budget must be a number, got '339'"),
        ({"budget": 1, "base_amount": float("inf")}, r"parameter base_amount must be finite"),
        (
            {"budget": 1, "weight_support": 0.7},
            r"parameters weight_support and weight_population must sum to 1, "
            r"got 0.7 \+ 0.25 = 0.95",
        ),
        ({"budget": 1, "decrease_limit": 1.0}, r"parameter decrease_limit must be in \[0, 1\)"),
        ({"budget": 1, "decrease_limit": -0.1}, r"parameter decrease_limit must be in \[0, 1\)"),
        ({"budget": 1, "rounding_unit": 0}, r"parameter rounding_unit must be a whole number"),
        ({"budget": 1, "rounding_unit": 2.5}, r"parameter rounding_unit must be a whole number"),
    ],
)
def test_parameters_are_checked_when_made(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(fo.InputError, match=f"^{message}"):
        fo.Parameters(**kwargs)  # type: ignore[arg-type]


def test_unknown_solver_and_policy_are_named() -> None:
    with pytest.raises(
        fo.InputError, match=r"^unknown solver 'gurobi'; choose one of 'fast', 'highs', 'cbc'"
    ):
        fo.allocate(fo.example_units(), PARAMS, solver="gurobi")
    with pytest.raises(
        fo.InputError, match=r"^unknown deficit policy 'cut-all'; choose one of 'raise-limit'"
    ):
        fo.allocate(fo.example_units(), PARAMS, policy="cut-all")


def test_missing_optional_values_mean_new_unit_or_no_limit() -> None:
    frame = fo.example_units()[["population", "support_measure"]]
    result = fo.allocate(frame, PARAMS)
    assert result.table["new"].all()
    assert np.isinf(result.table["cap"]).all()
    assert result.scenario is fo.Scenario.BALANCE
    assert (result.table["binding"] == "new").all()


def test_numbers_given_as_text_are_accepted() -> None:
    frame = units(previous_allocation=["9000000", "6000000", "3500000", None, "3000000"])
    result = fo.allocate(frame, PARAMS)
    expected = fo.allocate(fo.example_units(), PARAMS)
    pd.testing.assert_frame_equal(result.table, expected.table)


def test_the_input_is_not_modified() -> None:
    frame = units(previous_allocation=["9000000", "6000000", "3500000", None, "3000000"])
    before = frame.copy()
    fo.allocate(frame, PARAMS)
    pd.testing.assert_frame_equal(frame, before)
