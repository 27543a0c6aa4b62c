"""The synthetic national generator: reproducible, valid, in the asked scenario, plausible."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import finsam_opt as fo
from finsam_opt.datasets.synthetic import (
    LOG_POPULATION_MEAN,
    LOG_POPULATION_SD,
    SCENARIOS,
    municipality_populations,
    national_budget,
)

EXPECTED = {
    "balance": fo.Scenario.BALANCE,
    "surplus": fo.Scenario.SURPLUS,
    "mild-deficit": fo.Scenario.DEFICIT,
    "severe-deficit": fo.Scenario.DEFICIT,
}


def test_same_seed_gives_the_same_case() -> None:
    a = fo.synthetic_units(500, seed=7, scenario="mild-deficit")
    b = fo.synthetic_units(500, seed=7, scenario="mild-deficit")
    pd.testing.assert_frame_equal(a.units, b.units)
    assert a.params == b.params
    np.testing.assert_array_equal(a.municipalities, b.municipalities)


def test_another_seed_gives_another_case() -> None:
    a = fo.synthetic_units(50, seed=1).units
    b = fo.synthetic_units(50, seed=2).units
    assert not np.allclose(a["population"], b["population"])


def test_canonical_columns_and_ids() -> None:
    case = fo.synthetic_units(12, seed=0)
    assert list(case.units.columns) == [
        "population",
        "support_measure",
        "previous_allocation",
        "requested",
        "municipal_match",
        "regional_match",
    ]
    assert case.units.index[:2].tolist() == ["U000001", "U000002"]
    assert case.units.index.is_unique
    assert len(fo.synthetic_units(1_234_567, seed=0).units.index[-1]) == 8


@pytest.mark.parametrize("n", [10, 80, 1_000, 10_000])
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_valid_and_in_the_asked_scenario(n: int, scenario: str) -> None:
    case = fo.synthetic_units(n, seed=n, scenario=scenario)
    result = fo.allocate(case.units, case.params)
    assert result.scenario is EXPECTED[scenario]
    excess = result.table["target"].sum() / case.params.budget - 1
    if scenario == "mild-deficit":
        assert excess == pytest.approx(0.01, abs=1e-9)
    if scenario == "severe-deficit":
        assert excess == pytest.approx(0.20, abs=1e-9)


@pytest.mark.parametrize("seed", range(5))
def test_severe_deficit_floors_alone_exceed_the_budget(seed: int) -> None:
    case = fo.synthetic_units(80, seed=seed, scenario="severe-deficit")
    result = fo.allocate(case.units, case.params, policy="scale-gains")
    assert result.table["floor"].sum() > case.params.budget
    assert result.phase == 2
    mild = fo.synthetic_units(80, seed=seed, scenario="mild-deficit")
    assert fo.allocate(mild.units, mild.params, policy="scale-gains").phase == 1


def test_budget_scales_with_the_number_of_units() -> None:
    assert fo.synthetic_units(80).params.budget == 339_000_000
    assert national_budget(8_000) == 33_900_000_000
    for n in (1, 10, 79):
        case = fo.synthetic_units(n)
        assert case.params.budget >= n * case.params.base_amount


def test_an_explicit_budget_is_used() -> None:
    case = fo.synthetic_units(80, seed=3, scenario="mild-deficit", budget=280_000_000)
    assert case.params.budget == 280_000_000
    assert fo.allocate(case.units, case.params).scenario is fo.Scenario.DEFICIT


@pytest.mark.parametrize("n", [1_000, 10_000])
def test_marginals_are_plausible(n: int) -> None:
    case = fo.synthetic_units(n, seed=11, scenario="surplus")
    units, table = case.units, fo.allocate(case.units, case.params).table
    per_inhabitant = units["support_measure"] / units["population"]
    assert 2 <= per_inhabitant.max() / per_inhabitant.min() <= 6
    assert case.municipalities.min() >= 1 and case.municipalities.max() <= 10
    assert 3.0 < case.municipalities.mean() < 4.2
    working_share = units["population"].to_numpy() / case.population_total
    assert 0.5 <= working_share.min() and working_share.max() <= 0.7
    new = units["previous_allocation"].isna().mean()
    assert 0.005 < new < 0.08
    short = (table["cap"] < table["ideal"]).mean()
    assert 0.08 < short < 0.25
    old = table[~table["new"]]
    history = old["previous_allocation"] / old["ideal"]
    assert abs(np.median(history) - 1) < 0.05
    assert 0.02 < history.std() < 0.15
    # A few very large units, many small: mean well above the median.
    assert units["population"].mean() > 1.2 * units["population"].median()


def test_municipality_populations_look_like_swedens() -> None:
    logs = np.log(municipality_populations(200_000, np.random.default_rng(0)))
    # The skew-normal keeps the real log populations' mean, spread and right skew.
    assert logs.mean() == pytest.approx(LOG_POPULATION_MEAN, abs=0.03)
    assert logs.std() == pytest.approx(LOG_POPULATION_SD, abs=0.03)
    assert 0.3 < ((logs - logs.mean()) ** 3).mean() / logs.std() ** 3 < 0.8
    assert np.exp(np.median(logs)) == pytest.approx(17_400, rel=0.05)


def test_write_synthetic_round_trips(tmp_path) -> None:
    path = tmp_path / "units.csv"
    case = fo.write_synthetic(path, 40, seed=5, scenario="surplus")
    back = pd.read_csv(path, index_col="unit")
    pd.testing.assert_frame_equal(back, case.units, check_exact=False, rtol=1e-12)
    assert fo.allocate(back, case.params).scenario is fo.Scenario.SURPLUS


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_units": 0}, "n_units must be a whole number ≥ 1, got 0"),
        ({"n_units": 2.5}, "n_units must be a whole number ≥ 1, got 2.5"),
        ({"n_units": 5, "seed": -1}, "seed must be a whole number ≥ 0, got -1"),
        (
            {"n_units": 5, "scenario": "deficit"},
            "unknown scenario 'deficit'; choose one of 'balance', 'surplus', "
            "'mild-deficit', 'severe-deficit'",
        ),
        (
            {"n_units": 5, "budget": 1_000_000},
            "budget (1,000,000 kr) must be at least n_units × base_amount (5 × 400,000 kr)",
        ),
    ],
)
def test_bad_arguments_are_named(kwargs: dict, message: str) -> None:
    with pytest.raises(fo.InputError) as error:
        fo.synthetic_units(**kwargs)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("kwargs", "swedish"),
    [
        ({"n_units": 0}, "n_units måste vara ett heltal ≥ 1, inte 0"),
        ({"n_units": 10**9}, "n_units får vara högst 10 000 000, inte 1 000 000 000"),
        ({"n_units": 5, "seed": -1}, "seed (fröet) måste vara ett heltal ≥ 0, inte -1"),
        (
            {"n_units": 5, "scenario": "deficit"},
            "okänt scenario 'deficit'; välj 'balance' (balans), 'surplus' (överskott), "
            "'mild-deficit' (litet underskott) eller 'severe-deficit' (stort underskott)",
        ),
        (
            {"n_units": 5, "budget": 1_000_000},
            "budgeten (1 000 000 kr) måste vara minst antalet förbund × grundtilldelningen "
            "(5 × 400 000 kr)",
        ),
    ],
)
def test_bad_arguments_are_named_in_swedish(kwargs: dict, swedish: str) -> None:
    with pytest.raises(fo.InputError) as error:
        fo.synthetic_units(**kwargs)
    assert error.value.text("sv") == swedish
