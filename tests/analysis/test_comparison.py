"""compare(): the same numbers as allocate(), failures recorded, winners and losers."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given

import finsam_opt as fo
from strategies import instances

UNITS = fo.example_units()
PARAMS = fo.Parameters(budget=20_000_000)
BUDGETS = [19_000_000, 20_000_000, 21_500_000, 25_000_000]
Instance = tuple[pd.DataFrame, fo.Parameters]


def _never_fits(q, previous):
    return fo.Phase(hi=q.target, lo=q.target, weight=q.target)


def _broken(q, previous):
    raise ZeroDivisionError("a bug in the user's policy")


NEVER_FITS = fo.Policy("never-fits", (fo.PhaseRule("keeps every target", _never_fits),))
BROKEN = fo.Policy("broken", (fo.PhaseRule("raises", _broken),))


def test_every_run_is_exactly_allocate() -> None:
    c = fo.compare(UNITS, PARAMS, budgets=BUDGETS)
    assert c.policies == ("raise-limit", "scale-protection", "scale-gains")
    assert c.budgets == tuple(float(b) for b in BUDGETS)
    assert len(c.table) == len(UNITS) * 3 * len(BUDGETS)
    for budget in BUDGETS:
        base = fo.allocate(UNITS, replace(PARAMS, budget=budget), "raise-limit").table
        for policy in c.policies:
            direct = fo.allocate(UNITS, replace(PARAMS, budget=budget), policy).table
            rows = c.table[(c.table["budget"] == budget) & (c.table["policy"] == policy)]
            rows = rows.set_index("unit")
            assert rows.index.tolist() == UNITS.index.tolist()
            assert rows["allocation"].tolist() == direct["allocation"].tolist()
            assert rows["allocation_rounded"].tolist() == direct["allocation_rounded"].tolist()
            assert rows["binding"].tolist() == direct["binding"].tolist()
            assert rows["ideal"].tolist() == direct["ideal"].tolist()
            expected = direct["allocation"] - base["allocation"]
            assert rows["difference"].tolist() == pytest.approx(expected.tolist(), abs=1e-9)
            summary = c.summary[(c.summary["budget"] == budget) & (c.summary["policy"] == policy)]
            assert len(summary) == 1
            row = summary.iloc[0]
            assert row["error"] is None
            assert row["scenario"] == str(c.results[(policy, float(budget))].scenario)
            direct_result = fo.allocate(UNITS, replace(PARAMS, budget=budget), policy)
            assert row["balancing_scalar"] == direct_result.balancing_scalar
            assert row["floor_cost"] == pytest.approx(fo.diagnose(direct_result).floor_cost)


def test_the_example_matches_model_md() -> None:
    c = fo.compare(UNITS, PARAMS)
    tkr = lambda p: (c.table[c.table["policy"] == p]["allocation"] / 1000).round(3).tolist()  # noqa: E731
    assert tkr("raise-limit") == [8794.737, 4518.421, 2500.0, 1865.789, 2321.053]
    assert tkr("scale-protection") == [8794.737, 4352.021, 2500.0, 1865.789, 2487.452]
    assert tkr("scale-gains") == [8389.403, 5400.0, 2500.0, 1010.597, 2700.0]
    assert c.difference("scale-protection").round(3).to_dict() == {
        "A": 0.0, "B": -166399.606, "C": 0.0, "D": 0.0, "E": 166399.606,
    }  # fmt: skip


def test_winners_and_losers_are_counted_from_the_differences() -> None:
    c = fo.compare(UNITS, PARAMS, budgets=BUDGETS)
    assert "raise-limit" not in set(c.winners_losers["policy"])
    for _, row in c.winners_losers.iterrows():
        diff = c.difference(row["policy"], row["budget"])
        assert row["winners"] == (diff > 0.5).sum()
        assert row["losers"] == (diff < -0.5).sum()
        assert row["moved"] == pytest.approx(diff[diff > 0.5].sum())
        if row["winners"]:
            assert row["largest_gain_unit"] == diff.idxmax()
            assert row["largest_gain"] == pytest.approx(diff.max())
        if row["losers"]:
            assert row["largest_loss_unit"] == diff.idxmin()
    at_20 = c.winners_losers[c.winners_losers["budget"] == 20_000_000].set_index("policy")
    assert at_20.loc["scale-gains", ["winners", "losers"]].tolist() == [2, 2]
    assert at_20.loc["scale-gains", "largest_loss_unit"] == "D"
    # With 25 Mkr there is no deficit: every policy gives the targets, no one wins or loses.
    at_25 = c.winners_losers[c.winners_losers["budget"] == 25_000_000]
    assert (at_25["winners"] == 0).all() and (at_25["losers"] == 0).all()


def test_a_failing_policy_is_recorded_and_the_sweep_goes_on() -> None:
    c = fo.compare(
        UNITS, PARAMS, policies=["raise-limit", NEVER_FITS, BROKEN, "scale-gains"],
        budgets=[20_000_000, 25_000_000],
    )  # fmt: skip
    assert set(c.errors) == {("never-fits", 20_000_000.0), ("broken", 20_000_000.0)}
    assert c.errors[("never-fits", 20e6)].startswith("SolverError: policy 'never-fits'")
    assert c.errors[("broken", 20e6)] == (
        "InputError: policy 'broken', phase 1 ('raises'): ZeroDivisionError: a bug in the "
        "user's policy"
    )
    # At 25 Mkr there is no deficit, so the policies are never asked and nothing fails.
    assert ("broken", 25e6) in c.results
    failed = c.summary[c.summary["error"].notna()]
    assert sorted(failed["policy"]) == ["broken", "never-fits"]
    assert failed["scenario"].isna().all()
    ran = c.table[c.table["budget"] == 20e6]
    assert sorted(set(ran["policy"])) == ["raise-limit", "scale-gains"]
    assert len(c.table) == len(UNITS) * (2 + 4)


def test_the_baseline_is_added_when_not_listed() -> None:
    c = fo.compare(UNITS, PARAMS, policies=["scale-gains"])
    assert c.policies == ("raise-limit", "scale-gains")
    c = fo.compare(UNITS, PARAMS, policies=["scale-gains", "raise-limit"], baseline="scale-gains")
    assert c.difference("scale-gains").abs().max() == 0.0
    assert c.difference("raise-limit")["D"] == pytest.approx(855192.64, abs=0.01)


def test_a_failing_baseline_leaves_differences_empty() -> None:
    c = fo.compare(UNITS, PARAMS, policies=[BROKEN, "raise-limit"], baseline="broken")
    assert c.difference("raise-limit").isna().all()
    assert c.winners_losers.empty


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"policies": ["raise-limit", "lower-everything"]}, "unknown deficit policy 'lower-every"),
        ({"policies": []}, "policies must name at least one policy"),
        ({"policies": ["scale-gains", "scale-gains"]}, "policy 'scale-gains' is named more"),
        ({"baseline": "mine"}, "baseline 'mine' is neither among the policies"),
        ({"budgets": []}, "budgets must hold at least one budget"),
        ({"budgets": [20e6, float("nan")]}, "every budget must be a finite number ≥ 0, got nan"),
        ({"budgets": [20e6, 20e6]}, "budgets must not repeat a budget"),
        ({"budgets": [1_000_000]}, "parameter budget (1,000,000 kr) must be at least"),
        ({"solver": "gurobi"}, "unknown solver 'gurobi'"),
    ],
)  # fmt: skip
def test_bad_arguments_are_refused_before_anything_runs(kwargs: dict, message: str) -> None:
    with pytest.raises(fo.InputError) as caught:
        fo.compare(UNITS, PARAMS, **kwargs)
    assert str(caught.value).startswith(message)


def test_bad_units_are_refused_naming_the_unit() -> None:
    bad = UNITS.assign(previous_allocation=[9e6, -5, 3.5e6, np.nan, 3e6])
    with pytest.raises(fo.InputError, match="unit 'B': previous_allocation must be ≥ 0, got -5"):
        fo.compare(bad, PARAMS)


def test_difference_needs_a_budget_when_there_are_several() -> None:
    c = fo.compare(UNITS, PARAMS, budgets=[20e6, 21e6])
    with pytest.raises(fo.InputError, match="this comparison has 2 budgets; name one"):
        c.difference("scale-gains")
    with pytest.raises(fo.InputError, match="policy 'nope' has no allocation at budget"):
        c.difference("nope", 20e6)


@given(instances())
def test_policies_move_money_between_units_without_creating_any(case: Instance) -> None:
    """Property: at every budget each policy equals allocate() and its differences sum to 0
    in a deficit or balance (all spend the budget) and are 0 everywhere outside a deficit."""
    units, params = case
    c = fo.compare(units, params, budgets=[params.budget, params.budget * 1.1])
    assert not c.errors
    for (policy, budget), result in c.results.items():
        direct = fo.allocate(units, replace(params, budget=budget), policy)
        assert result.table["allocation"].tolist() == direct.table["allocation"].tolist()
        diff = c.difference(policy, budget)
        if result.scenario is fo.Scenario.DEFICIT:
            assert diff.sum() == pytest.approx(0.0, abs=1e-6 * budget)
        else:
            assert diff.abs().max() == pytest.approx(0.0, abs=1e-6)


def test_the_summary_adds_up_to_the_budget_as_decided() -> None:
    # Before: `allocated` (exact) and `unallocated` (what the rounded decision leaves) were
    # shown side by side as if both were exact; with tkr rounding they missed B by 920 kr.
    example = fo.national_example()
    params = replace(example.parameters, rounding_unit=1000)
    summary = fo.compare(example.units, params, budgets=[339e6, 300e6]).summary
    assert (summary["allocated_rounded"] + summary["unallocated"] == summary["budget"]).all()
    direct = fo.allocate(example.units, params)
    row = summary[(summary["budget"] == 339e6) & (summary["policy"] == "raise-limit")].iloc[0]
    assert row["allocated_rounded"] == direct.rounded_total


def test_the_table_flags_the_assumed_contributions_in_every_run() -> None:
    """MODEL.md §9.11: every output names a unit whose contribution was assumed."""
    units = fo.example_units()
    units.loc["B", "regional_match"] = np.nan  # B's region has not answered
    c = fo.compare(units, fo.Parameters(budget=20e6, unanswered="previous"),
                   budgets=[18e6, 20e6])  # fmt: skip
    flagged = c.table[c.table["regional_match_assumed"]]
    assert set(flagged["unit"]) == {"B"} and len(flagged) == len(c.results)
    assert not c.table["municipal_match_assumed"].any()
    plain = fo.compare(units.drop(columns=["municipal_match", "regional_match"]),
                       fo.Parameters(budget=20e6))  # fmt: skip
    assert "regional_match_assumed" not in plain.table.columns
