"""Forecasts: every future is a simulation; invariants hold in every future; seeded."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import finsam_opt as fo
from finsam_opt.engine.rounding import round_largest_remainder
from strategies import instances

Instance = tuple[pd.DataFrame, fo.Parameters]
POLICIES = sorted(fo.DEFICIT_POLICIES)


@settings(max_examples=25)
@given(
    instances(max_units=25),
    st.sampled_from(POLICIES),
    st.floats(-0.05, 0.05),
    st.floats(-0.05, 0.05),
    st.sampled_from(["rounded", "exact"]),
    st.floats(-0.04, 0.04),
)
def test_a_forecast_without_uncertainty_is_the_simulation(
    case: Instance, policy: str, population: float, support: float, carry: str, budget: float
) -> None:
    """Property: with zero spread every future equals simulate() to the krona, year by year,
    and so do the years the units reach their ideal."""
    units, params = case
    path = [params.budget * (1 + budget) ** k for k in range(4)]
    f = fo.forecast(
        units,
        params,
        years=4,
        scenarios=3,
        policy=policy,
        budget=path,
        population=fo.Drift(population),
        support=fo.Drift(support),
        carry=carry,
    )
    sim = fo.simulate(
        units,
        params,
        years=4,
        policy=policy,
        budget_path=path,
        population_growth=population,
        support_growth=support,
        carry=carry,
    )
    expected = sim.by_year()
    for outcome in f.outcomes:
        decided = pd.DataFrame(outcome.decided, columns=outcome.ids)
        for future in range(3):
            row = decided.loc[future]
            assert row.tolist() == expected.loc[row.index, outcome.year].tolist()
    pd.testing.assert_series_equal(
        f.reached_ideal["expected_year"], sim.reached_ideal, check_names=False
    )


def test_joins_merges_and_leaves_happen_as_in_the_simulation() -> None:
    units = fo.example_units()
    params = fo.Parameters(budget=20_000_000)
    joining = pd.DataFrame(
        {"population": [40_000], "support_measure": [250_000]}, index=["F"]
    ).assign(municipal_match=np.inf, regional_match=np.inf)  # a blank would be no answer
    changes = [fo.Join(2, joining), fo.Merge(3, "BE", ("B", "E")), fo.Leave(4, "C")]
    f = fo.forecast(units, params, years=5, scenarios=2, changes=changes, matching=fo.Drift(0.03))
    sim = fo.simulate(units, params, years=5, changes=changes)
    growth = fo.simulate(units, params, years=1).by_year()  # year 1 is as given
    assert f.amounts(1).loc[0].tolist() == growth[1].tolist()
    for outcome in f.outcomes:
        assert list(outcome.ids) == list(sim.results[outcome.year - 1].table.index)
    no_matching = fo.forecast(units, params, years=5, scenarios=2, changes=changes)
    for outcome in no_matching.outcomes:
        assert (
            no_matching.amounts(outcome.year).loc[1].tolist()
            == sim.by_year()[outcome.year].dropna().loc[outcome.ids].tolist()
        )


def _uncertain(case: Instance, policy: str, seed: int) -> tuple[fo.Forecast, fo.Parameters]:
    units, params = case
    room = params.budget > 2 * len(units) * params.base_amount  # no future falls below N·b
    f = fo.forecast(
        units,
        params,
        years=4,
        scenarios=40,
        seed=seed,
        policy=policy,
        budget=fo.Drift(-0.02, 0.05) if room else None,
        population=fo.Drift(0.0, 0.05),
        support=fo.Drift(0.01, 0.10),
        matching=fo.Drift(0.0, 0.10),
    )
    return f, params


@settings(max_examples=20)
@given(instances(max_units=30), st.sampled_from(POLICIES), st.integers(0, 1000))
def test_every_future_keeps_the_models_invariants(case: Instance, policy: str, seed: int) -> None:
    """Property: in every future and year the decided amounts never exceed the budget or a
    cap, a deficit spends its budget, outside a deficit nobody is below its floor, and the
    decided amounts are the engine's rounding of the exact ones."""
    f, params = _uncertain(case, policy, seed)
    for o in f.outcomes:
        total = o.decided.sum(axis=1)
        assert (total <= o.budget).all()
        assert (o.decided <= np.floor(o.cap)).all()
        assert (o.exact <= o.cap + 1e-6).all()
        assert (o.exact >= -1e-6).all()
        deficit = np.maximum(o.capped, o.floor).sum(axis=1) > o.budget * (1 + 1e-12)
        assert np.allclose(o.exact[deficit].sum(axis=1), o.budget[deficit], rtol=1e-9)
        outside = np.broadcast_to(~deficit[:, None], o.exact.shape)
        assert (o.exact[outside] >= o.floor[outside] - 1e-6).all()
        # Where the year has a unit of slack per förbund, rounding keeps every ⌈floor⌉ that a
        # multiple of the rounding unit below the cap allows (the total rises to pay them).
        unit = params.rounding_unit
        slack = o.budget - o.exact.sum(axis=1) >= o.exact.shape[1] * unit
        room = np.ceil(o.floor / unit) * unit <= np.floor(o.cap)
        kept = outside & slack[:, None] & room
        assert (o.decided[kept] >= np.ceil(o.floor[kept] - 1e-6)).all()
        # The decided amounts are the engine's rounding of the exact ones, row by row, with
        # the floor raise-limit reports where it relaxed floors: λ*·prev below the floor.
        for row in (0, len(o.budget) - 1):
            floor = o.floor[row]
            if policy == "raise-limit" and deficit[row]:
                rate = o.decrease_limit[row] - params.decrease_limit
                relaxed = floor - rate * o.previous[row]
                floor = np.where(o.exact[row] >= floor, floor, np.minimum(relaxed, o.exact[row]))
            alone = round_largest_remainder(
                o.exact[row],
                params.rounding_unit,
                limit=o.budget[row],
                cap=o.cap[row],
                floor=floor,
                ids=pd.Index(o.ids),
            )
            assert o.decided[row].tolist() == alone.tolist()
        # Less than one unit, or two for an amount that paid for another's floor (MODEL.md §8).
        assert (np.abs(o.decided - o.exact) < 2 * params.rounding_unit).all()


@settings(max_examples=20)
@given(instances(max_units=30), st.integers(0, 1000))
def test_a_unit_held_by_the_limit_never_falls_more_than_the_relaxed_limit(
    case: Instance, seed: int
) -> None:
    """Property: under raise-limit a unit held up by the floor falls at most the year's
    (relaxed) decrease limit below last year, unless its cap or capped ideal is lower."""
    f, _ = _uncertain(case, "raise-limit", seed)
    floor_code = list(fo.Reason).index(fo.Reason.FLOOR)
    for o in f.outcomes:
        limit = o.decrease_limit[:, None]
        allowed = np.maximum(np.minimum((1 - limit) * o.previous, o.cap), o.capped)
        held = o.reason == floor_code
        assert (o.exact[held] >= allowed[held] - 1e-6 * np.maximum(allowed[held], 1)).all()
        assert (o.exact <= np.maximum(o.capped, o.floor) + 1e-6).all()


def test_the_same_seed_gives_the_same_forecast_and_another_seed_another() -> None:
    example = fo.national_example()
    kwargs = dict(years=3, scenarios=50, support=fo.Drift(0.0, 0.05))
    a = fo.forecast(example.units, example.parameters, seed=3, **kwargs)
    b = fo.forecast(example.units, example.parameters, seed=3, **kwargs)
    c = fo.forecast(example.units, example.parameters, seed=4, **kwargs)
    pd.testing.assert_frame_equal(a.bands, b.bands)
    assert not a.bands["p90"].equals(c.bands["p90"])
    last = a.outcomes[-1]
    assert (a.bands.query("year == 3")["p10"] <= a.bands.query("year == 3")["p90"]).all()
    assert last.decided.shape == (50, len(example.units))


def test_bands_name_the_reason_and_the_floor_probability() -> None:
    f = fo.forecast(fo.example_units(), fo.Parameters(budget=20_000_000), years=4, scenarios=5)
    b = f.bands.set_index(["year", "unit"])
    assert b.loc[(1, "B"), "reason"] == "floor" and b.loc[(1, "B"), "on_floor"] == 1.0
    assert b.loc[(1, "C"), "reason"] == "matching" and b.loc[(1, "C"), "at_cap"] == 1.0
    assert b.loc[(4, "B"), "reason"] == "ideal"
    assert f.reached_ideal.loc["B", "expected_year"] == 4.0


def test_a_per_unit_and_year_growth_table_is_used_year_by_year() -> None:
    units, params = fo.example_units(), fo.Parameters(budget=20_000_000)
    table = pd.DataFrame({2: [0.10, 0.0], 3: [0.0, 0.2]}, index=["A", "D"])
    f = fo.forecast(units, params, years=3, scenarios=1, population=fo.Drift(table))
    growth = {"A": 0.10, "D": 0.0}
    step = fo.simulate(units, params, years=2, population_growth=growth).by_year()
    assert f.amounts(2).loc[0].tolist() == step[2].tolist()


def test_a_drift_fitted_to_history_gives_each_unit_its_mean_and_spread() -> None:
    history = pd.DataFrame(
        {2020: [100.0, 10.0], 2021: [110.0, 10.0], 2022: [121.0, 10.0]}, index=["A", "B"]
    )
    drift = fo.Drift.fit(history)
    assert drift.mean.tolist() == pytest.approx([0.10, 0.0])
    assert drift.sd.tolist() == pytest.approx([0.0, 0.0], abs=1e-12)
    with pytest.raises(
        fo.InputError, match=r"unit 'B', year 2020: a level must be a number > 0, got 'x'"
    ):
        fo.Drift.fit(history.astype(object).where(history != 10.0, "x"))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scenarios": 0}, "scenarios must be a whole number ≥ 1"),
        ({"years": 0}, "years must be a whole number ≥ 1"),
        ({"support": fo.Drift(0.0, -0.1)}, "support drift: sd must be finite and ≥ 0"),
        ({"population": fo.Drift(-1.0)}, "population drift: mean must be finite and > −1"),
        ({"population": fo.Drift(pd.Series({"Z": 0.1}))}, "unit 'Z' never in the forecast"),
        ({"budget": [20e6]}, "a budget path must give 3 budgets"),
        ({"budget": fo.Drift(pd.Series({"A": 0.1}))}, "the budget's drift has one mean"),
        ({"carry": "up"}, "carry must be 'rounded' or 'exact'"),
    ],
)
def test_bad_forecast_input_is_refused_before_anything_is_computed(kwargs, message) -> None:
    arguments = {"years": 3, **kwargs}
    with pytest.raises(fo.InputError, match=message):
        fo.forecast(fo.example_units(), fo.Parameters(budget=20_000_000), **arguments)


def test_a_future_whose_budget_falls_too_low_is_named() -> None:
    with pytest.raises(
        fo.InputError, match=r"year 2: the budget of future\(s\) \[0, 1, 2, 3, 4\] \(1,050,000 kr\)"
    ):
        fo.forecast(
            fo.example_units(),
            fo.Parameters(budget=2_100_000),
            years=3,
            scenarios=5,
            budget=fo.Drift(-0.5),
        )


@pytest.mark.parametrize("drifting", ["budget", "population"])
def test_drift_beyond_exact_sums_is_an_error(drifting: str) -> None:
    # Before: a budget drifting by ×10⁶ a year wrapped int64 (−9.2e18 kr decided), with only
    # numpy warnings.
    with pytest.raises(fo.InputError, match=rf"drift takes {drifting} of future\(s\) \[0, 1\]"):
        fo.forecast(
            fo.example_units(),
            fo.Parameters(budget=20e6),
            years=4,
            scenarios=2,
            **{drifting: fo.Drift(1e6, 0.0)},
        )


def _silent() -> pd.DataFrame:
    """The worked example; B's region and all of D's answers (D is new) are missing."""
    units = fo.example_units()
    units.loc["B", "regional_match"] = np.nan
    units.loc["D", ["municipal_match", "regional_match"]] = np.nan
    return units


def _same_as_simulate(f: fo.Forecast, sim: fo.Simulation) -> None:
    expected = sim.by_year()
    for outcome in f.outcomes:
        decided = pd.DataFrame(outcome.decided, columns=outcome.ids)
        for future in decided.index:
            row = decided.loc[future]
            assert row.tolist() == expected.loc[row.index, outcome.year].tolist(), outcome.year


def test_an_assumed_contribution_follows_each_years_previous_allocation() -> None:
    """MODEL.md §4a: under unanswered='previous' a missing contribution is half of *that
    year's* previous allocation. Before, forecast fixed it at year 1's (B's region at 3 Mkr
    for good) and drifted it, so from the budget rise in year 3 B got 5 271 345 kr where
    simulate gives 4 860 000 kr (its cap, last year's amount)."""
    params = fo.Parameters(budget=20e6, unanswered="previous")
    path = [20e6, 24e6, 30e6, 30e6]
    sim = fo.simulate(_silent(), params, years=4, budget_path=path)
    f = fo.forecast(_silent(), params, years=4, scenarios=1, budget=path)
    assert f.amounts(3).loc[0, "B"] == 4_860_000
    _same_as_simulate(f, sim)
    assert f.assumed["amount"].tolist() == sim.assumed["amount"].tolist()


def test_joiners_answers_and_mergers_change_what_is_assumed_as_in_the_simulation() -> None:
    joiner = pd.DataFrame(
        {"population": [40_000.0], "support_measure": [250_000.0]}, index=["F"]
    )  # no contribution columns: F has not answered (the others have them)
    answer = pd.DataFrame({"regional_match": [2e6]}, index=["B"])
    changes = [fo.Join(2, joiner), fo.Update(3, answer), fo.Merge(4, "DE", ("D", "E"))]
    for rule in ("previous", "no-limit"):
        params = fo.Parameters(budget=20e6, unanswered=rule)
        path = [20e6, 23e6, 26e6, 30e6, 30e6]
        sim = fo.simulate(_silent(), params, years=5, budget_path=path, changes=changes)
        f = fo.forecast(_silent(), params, years=5, scenarios=2, budget=path, changes=changes)
        _same_as_simulate(f, sim)
        pd.testing.assert_frame_equal(f.assumed.drop(columns="amount"),
                                      sim.assumed.drop(columns="amount"))  # fmt: skip
    bands = f.bands.set_index(["year", "unit"])
    assert bands["regional_match_assumed"].xs("B", level="unit").tolist() == [
        True, True, False, False, False]  # fmt: skip
    assert bands.loc[(5, "DE"), "municipal_match_assumed"]  # D had not answered
    assert bands.loc[(2, "F"), ["municipal_match_assumed", "regional_match_assumed"]].all()
    assert not bands.loc[(1, "A"), ["municipal_match_assumed", "regional_match_assumed"]].any()
    assert f.matching == fo.Matching.COLLECTED


def test_a_joiner_with_answers_where_none_were_collected_is_as_in_the_simulation() -> None:
    units = fo.example_units().drop(columns=["municipal_match", "regional_match"])
    joiner = pd.DataFrame(
        {"population": [40_000.0], "support_measure": [250_000.0],
         "municipal_match": [1e6], "regional_match": [1e6]},
        index=["F"],
    )  # fmt: skip
    changes = [fo.Join(2, joiner)]
    with pytest.raises(fo.InputError, match="year 2: the change brings the first matching"):
        fo.forecast(units, fo.Parameters(budget=20e6), years=2, scenarios=1, changes=changes)
    params = fo.Parameters(budget=20e6, unanswered="previous")
    sim = fo.simulate(units, params, years=3, changes=changes)
    f = fo.forecast(units, params, years=3, scenarios=1, changes=changes)
    _same_as_simulate(f, sim)
    assert f.assumed.groupby("year").size().to_dict() == {2: 10, 3: 10}  # A–E, both parties
    assert "municipal_match_assumed" in f.bands.columns
    offer = [fo.Update(2, pd.DataFrame({"municipal_match": [1e6]}, index=["A"]))]
    sim = fo.simulate(units, params, years=3, changes=offer)
    f = fo.forecast(units, params, years=3, scenarios=1, changes=offer)
    _same_as_simulate(f, sim)
    pd.testing.assert_frame_equal(f.assumed, sim.assumed)  # A's region, B–E both parties
    assert len(f.assumed) == 2 * 9
    without = fo.forecast(units, params, years=1, scenarios=1)
    assert without.matching == fo.Matching.NOT_COLLECTED
    assert "municipal_match_assumed" not in without.bands.columns and without.assumed.empty


@settings(max_examples=25)
@given(
    instances(max_units=20),
    st.sampled_from(["previous", "no-limit"]),
    st.sampled_from(["rounded", "exact"]),
    st.floats(0.0, 0.1),  # a budget that grows: no future falls below N × base
    st.integers(0, 2**32 - 1),
)
def test_a_forecast_with_unanswered_units_is_the_simulation(
    case: Instance, rule: str, carry: str, budget: float, seed: int
) -> None:
    """Property: with blank contributions and zero spread every future equals simulate()
    to the krona, and both name the same assumed contributions (MODEL.md §9.11)."""
    units, params = case
    rng = np.random.default_rng(seed)
    blank = rng.random((len(units), 2)) < 0.3
    for j, party in enumerate(("municipal_match", "regional_match")):
        units.loc[blank[:, j], party] = np.nan
    params = fo.Parameters(budget=params.budget, base_amount=params.base_amount,
                           unanswered=rule)  # fmt: skip
    path = [params.budget * (1 + budget) ** k for k in range(4)]
    f = fo.forecast(units, params, years=4, scenarios=2, budget=path, carry=carry,
                    matching=fo.Drift(0.02))  # fmt: skip
    sim = fo.simulate(units, params, years=4, budget_path=path, carry=carry,
                      matching_growth=0.02)  # fmt: skip
    _same_as_simulate(f, sim)
    pd.testing.assert_frame_equal(f.assumed, sim.assumed, check_dtype=False)
    flags = ["municipal_match_assumed", "regional_match_assumed"]
    assert f.bands[flags].to_numpy().tolist() == sim.trajectories[flags].to_numpy().tolist()


def test_the_first_answers_in_a_change_are_refused_in_swedish_too() -> None:
    units = fo.example_units().drop(columns=["municipal_match", "regional_match"])
    offer = [fo.Update(2, pd.DataFrame({"municipal_match": [1e6]}, index=["A"]))]
    with pytest.raises(fo.InputError) as error:
        fo.forecast(units, fo.Parameters(budget=20e6), years=2, scenarios=1, changes=offer)
    assert error.value.text("sv").startswith(
        "år 2: ändringen för med de första svaren om matchningen, och före den hade förbunden "
        "'A', 'B', 'C', 'D', 'E' inga"
    )
