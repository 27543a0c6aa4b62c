"""Policies side by side: every figure is what allocate, simulate and forecast say."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import finsam_opt as fo
from finsam_opt.analysis.diagnostics import population_weighted_gini

LIMIT_20 = (
    'name = "limit-20"\n[[phase]]\nkind = "raise-limit"\nat_most = 0.20\n'
    '[[phase]]\nkind = "scale-gains"\n[[phase]]\nkind = "relax-floors"\n'
)


def test_each_figure_is_the_allocations_own(tmp_path) -> None:
    path = tmp_path / "limit-20.toml"
    path.write_text(LIMIT_20, encoding="utf-8")
    units, params = fo.example_units(), fo.Parameters(budget=20_000_000)
    policies = ["raise-limit", "scale-protection", "scale-gains", str(path)]
    t = fo.policy_table(units, params, policies, budgets=[20e6, 21e6], years=5)
    assert t.table["policy"].tolist() == [
        "raise-limit", "scale-protection", "scale-gains", "limit-20"
    ] * 2  # fmt: skip
    for row in t.table.itertuples():
        result = fo.allocate(
            units,
            replace(params, budget=row.budget),
            row.policy if row.policy != "limit-20" else str(path),
        )
        base = fo.allocate(units, replace(params, budget=row.budget)).table
        x = result.table["allocation_rounded"]
        assert row.balancing_scalar == pytest.approx(result.balancing_scalar, abs=1e-12)
        assert row.on_floor == int((result.table["binding"] == "floor").sum())
        previous = result.table["previous_allocation"]
        fall = (previous - x).where(previous > 0, 0.0)
        assert row.largest_cut == fall.max()
        assert row.largest_cut_rate == pytest.approx((fall / previous).max())
        expected_gini = population_weighted_gini(
            result.table["allocation"].to_numpy(), result.table["ideal"].to_numpy()
        )
        assert row.gini_from_ideal == pytest.approx(expected_gini)
        assert row.winners == int((x > base["allocation_rounded"]).sum())
        assert row.losers == int((x < base["allocation_rounded"]).sum())
        policy = row.policy if row.policy != "limit-20" else str(path)
        sim = fo.simulate(units, replace(params, budget=row.budget), years=5, policy=policy)
        reached = sim.reached_ideal  # the year each unit settles at its ideal, NaN if not
        everyone = np.nan if reached.isna().any() else reached.max()
        expected = everyone - 1 if not np.isnan(everyone) else np.nan
        assert row.years_to_ideal == pytest.approx(expected, nan_ok=True)


def test_uncertain_futures_give_the_median_years_to_the_ideal() -> None:
    units, params = fo.example_units(), fo.Parameters(budget=20_000_000)
    t = fo.policy_table(
        units, params, ["raise-limit"], years=5,
        futures={"scenarios": 200, "seed": 3, "support": fo.Drift(0.0, 0.02)},
    )  # fmt: skip
    run = t.forecasts[("raise-limit", 20e6)]
    assert run.futures == 200
    assert t.table.loc[0, "years_to_ideal"] in (2.0, 3.0, 4.0)


def test_bad_tables_are_refused() -> None:
    units, params = fo.example_units(), fo.Parameters(budget=20_000_000)
    with pytest.raises(fo.InputError, match="two policies have the same name"):
        fo.policy_table(units, params, ["raise-limit", "raise-limit"])
    with pytest.raises(fo.InputError, match="futures cannot set 'policy'"):
        fo.policy_table(units, params, futures={"policy": "scale-gains"})


def test_bad_tables_are_refused_in_swedish() -> None:
    units, params = fo.example_units(), fo.Parameters(budget=20_000_000)
    with pytest.raises(fo.InputError) as caught:
        fo.policy_table(units, params, ["raise-limit", "raise-limit"])
    assert caught.value.text("sv") == "två principer har samma namn: höjd spärr, höjd spärr"
    with pytest.raises(fo.InputError) as caught:
        fo.policy_table(units, params, futures={"policy": "scale-gains"})
    assert caught.value.text("sv") == (
        "futures kan inte ange 'policy'; den bestäms av tabellen själv"
    )


def test_one_plot_panel_per_figure() -> None:
    t = fo.policy_table(fo.example_units(), fo.Parameters(budget=20_000_000), years=3)
    figure = fo.plot_policy_table(t, lang="en")
    assert [ax.get_title() for ax in figure.axes][:2] == [
        "Balancing scalar λ", "Units on the floor"
    ]  # fmt: skip
    assert len(figure.axes[1].patches) == 3  # one bar per policy at one budget
