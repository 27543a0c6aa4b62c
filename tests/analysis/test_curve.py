"""The balancing curve: many budgets at once, each row equal to its allocate() call."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import finsam_opt as fo
from finsam_opt.errors import InputError


@pytest.fixture(scope="module")
def example() -> fo.NationalExample:
    return fo.national_example()


def test_the_curve_equals_the_comparison_at_the_same_budgets(example: fo.NationalExample) -> None:
    budgets = [339e6, 310e6, 300e6, 290e6, 280e6, 270e6]  # surplus, deficits, scale-gains phase 2
    curve = fo.balancing_curve(example.units, example.parameters, budgets)
    summary = fo.compare(example.units, example.parameters, budgets=budgets).summary
    assert list(curve.columns) == list(fo.analysis.curve.CURVE_COLUMNS)
    assert curve[["budget", "policy", "scenario"]].equals(summary[["budget", "policy", "scenario"]])
    assert set(curve["phase"].dropna()) == {1, 2}
    for column in ("balancing_scalar", "decrease_limit", "phase"):
        np.testing.assert_allclose(curve[column], summary[column].astype(float), rtol=1e-12)
    np.testing.assert_allclose(curve["unallocated"], summary["unallocated"], atol=1e-6)
    assert curve["error"].isna().all()


def test_a_dense_curve_is_monotone_in_the_budget(example: fo.NationalExample) -> None:
    budgets = np.linspace(340e6, 270e6, 141)  # given from high to low: order kept
    curve = fo.balancing_curve(example.units, example.parameters, budgets, ["raise-limit"])
    assert curve["budget"].tolist() == budgets.tolist()
    limit = curve["decrease_limit"].to_numpy()
    assert (np.diff(limit) >= -1e-12).all()  # less money, a higher effective limit
    assert limit[0] == pytest.approx(0.10) and limit[-1] > 0.24
    direct = fo.allocate(example.units, fo.Parameters(budget=float(budgets[100])))
    assert limit[100] == pytest.approx(direct.decrease_limit, rel=1e-12)


def test_a_policy_that_cannot_fit_is_recorded_budget_by_budget(example) -> None:
    # scale-gains' first phase keeps every floor: it cannot fit 280 Mkr (the floors and the
    # new units' base amounts need 280.2 Mkr), so the built-in policy moves on to phase 2.
    first_phase_only = fo.Policy("gains-only", fo.DEFICIT_POLICIES["scale-gains"].phases[:1])
    budgets = [339e6, 280e6]
    curve = fo.balancing_curve(example.units, example.parameters, budgets, [first_phase_only])
    assert curve["error"].iloc[0] is None
    assert curve["error"].iloc[1].startswith("SolverError: ")
    assert np.isnan(curve["balancing_scalar"].iloc[1])


def test_a_staircase_is_applied(example: fo.NationalExample) -> None:
    params = fo.Parameters(budget=339e6, staircase=fo.EXAMPLE_STAIRCASE)
    budgets = [339e6, 300e6, 290e6]
    curve = fo.balancing_curve(example.units, params, budgets)
    summary = fo.compare(example.units, params, budgets=budgets).summary
    np.testing.assert_allclose(curve["balancing_scalar"], summary["balancing_scalar"], rtol=1e-12)
    np.testing.assert_allclose(curve["unallocated"], summary["unallocated"], atol=1e-6)
    plain = fo.balancing_curve(example.units, example.parameters, budgets)
    assert not np.allclose(curve["balancing_scalar"], plain["balancing_scalar"])  # it mattered


@pytest.mark.parametrize(
    ("budgets", "policies", "message"),
    [
        ([300e6, 300e6], None, "budgets must not repeat a budget"),
        ([], None, "budgets must hold at least one budget"),
        ([np.inf], None, "every budget must be a finite number"),
        ([300e6], ["nope"], "nope"),
        ([1e6], None, "budget"),
    ],
)
def test_bad_input_is_refused(example, budgets, policies, message) -> None:
    with pytest.raises(InputError, match=message):
        fo.balancing_curve(example.units, example.parameters, budgets, policies)


def test_the_plot_draws_a_curve(example: fo.NationalExample) -> None:
    budgets = np.linspace(270e6, 340e6, 71)
    curve = fo.balancing_curve(example.units, example.parameters, budgets)
    top = fo.plot_balancing(curve, lang="en").axes[0]
    assert [t.get_text() for t in top.get_legend().get_texts()] == list(fo.DEFICIT_POLICIES)
    assert [t.get_text() for t in top.texts] == ["phase 2"]  # scale-gains, once
    assert isinstance(curve, pd.DataFrame)
