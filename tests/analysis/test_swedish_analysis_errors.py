"""Forecast, simulation, comparison and letter errors in Swedish (``error.text("sv")``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import finsam_opt as fo

PARAMS = fo.Parameters(budget=20_000_000)


def _refused(call, *args, **kwargs) -> fo.InputError:
    with pytest.raises(fo.InputError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_a_negative_spread_of_a_forecast_drift_in_swedish() -> None:
    error = _refused(
        fo.forecast, fo.example_units(), PARAMS, 3, scenarios=5, population=fo.Drift(0.01, -0.1)
    )
    assert error.text("sv") == (
        "tillväxten för population: spridningen (sd) måste vara ändlig och ≥ 0, inte -0.1"
    )
    assert str(error).startswith("population drift: sd must be finite and ≥ 0, got ")


def test_a_drift_of_a_unit_never_in_the_forecast_in_swedish() -> None:
    drift = fo.Drift(pd.Series({"A": 0.01, "Ö": 0.02}), 0.0)
    error = _refused(fo.forecast, fo.example_units(), PARAMS, 2, scenarios=5, support=drift)
    assert error.text("sv") == "tillväxten för support: förbundet 'Ö' finns aldrig med i prognosen"


def test_a_forecast_budget_that_falls_below_n_times_the_base_amount_in_swedish() -> None:
    error = _refused(
        fo.forecast, fo.example_units(), PARAMS, 2, scenarios=3, budget=[20e6, 1_999_999.5]
    )
    assert error.text("sv") == (
        "år 2: budgeten i framtid(erna) [0, 1, 2] (1 999 999,50 kr) är mindre än antalet "
        "förbund × grundtilldelningen (5 × 400 000 kr)"
    )


def test_a_simulated_year_whose_budget_is_too_small_in_swedish() -> None:
    error = _refused(fo.simulate, fo.example_units(), PARAMS, years=2, budget_path=[20e6, 1e6])
    assert error.text("sv") == (
        "år 2: budgeten (1 000 000 kr) måste vara minst antalet förbund × grundtilldelningen "
        "(5 × 400 000 kr)"
    )


def test_a_compared_policy_named_twice_is_named_in_swedish() -> None:
    error = _refused(fo.compare, fo.example_units(), PARAMS, ["scale-gains", "scale-gains"])
    assert error.text("sv") == "principen 'skalade ökningar' anges mer än en gång"


def test_a_forecast_written_as_csv_is_refused_in_swedish(tmp_path: Path) -> None:
    f = fo.forecast(fo.example_units(), PARAMS, 2, scenarios=3)
    error = _refused(fo.write_forecast, f, tmp_path / "prognos.csv")
    assert error.text("sv") == "prognos.csv: en prognos skrivs som .xlsx; välj den filändelsen"
    assert not any(tmp_path.iterdir())
