"""Known answers: the seed examples (MODEL.md §4) and the worked example (§5), on every solver.

A solver that is not installed fails these tests; nothing is skipped.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import finsam_opt as fo

MKR = 1_000_000


def two_units(ideal_a_share: int, **columns: list[float]) -> pd.DataFrame:
    """Two units whose keys are ideal_a_share/92 and the rest (budget 10 Mkr → I_A exact)."""
    frame = pd.DataFrame(
        {
            "population": [ideal_a_share, 92 - ideal_a_share],
            "support_measure": [ideal_a_share, 92 - ideal_a_share],
        },
        index=pd.Index(["A", "B"], name="unit"),
    )
    for name, values in columns.items():
        frame[name] = values
    return frame


@pytest.mark.parametrize("solver", fo.SOLVERS)
def test_seed_example_1_floor_lifts_the_unit_to_90_percent(solver: str) -> None:
    # Prev 3.0 Mkr, ideal 2.0 Mkr, municipalities and region 1.5 Mkr each → 2.7 Mkr.
    units = two_units(
        16,
        previous_allocation=[3.0 * MKR, 8.0 * MKR],
        municipal_match=[1.5 * MKR, np.inf],
        regional_match=[1.5 * MKR, np.inf],
        requested=[np.nan, 7.3 * MKR],
    )
    result = fo.allocate(units, fo.Parameters(budget=10 * MKR), solver=solver)
    row = result.table.loc["A"]
    assert row["ideal"] == pytest.approx(2.0 * MKR, abs=1e-6)
    assert row["cap"] == 3.0 * MKR
    assert row["floor"] == pytest.approx(2.7 * MKR, abs=1e-6)
    assert row["allocation_rounded"] == 2_700_000
    assert row["binding"] == "floor"
    assert result.scenario is fo.Scenario.BALANCE


@pytest.mark.parametrize("solver", fo.SOLVERS)
def test_seed_example_2_matching_caps_the_unit_at_6_mkr(solver: str) -> None:
    # Prev 5 Mkr, ideal 8 Mkr, 3 Mkr each from municipalities and region → 6 Mkr.
    units = two_units(
        76,
        previous_allocation=[5.0 * MKR, 2.0 * MKR],
        municipal_match=[3.0 * MKR, np.inf],
        regional_match=[3.0 * MKR, np.inf],
    )
    result = fo.allocate(units, fo.Parameters(budget=10 * MKR), solver=solver)
    row = result.table.loc["A"]
    assert row["ideal"] == pytest.approx(8.0 * MKR, abs=1e-6)
    assert row["cap"] == 6.0 * MKR
    assert row["allocation_rounded"] == 6_000_000
    assert row["binding"] == "cap"
    assert result.scenario is fo.Scenario.SURPLUS
    assert result.unallocated == pytest.approx(2.0 * MKR, abs=1e-6)


# MODEL.md §5, in tkr: ideal, floor and target per unit, then each policy's allocation.
WORKED_IDEAL = {"A": 8794.737, "B": 3531.579, "C": 3486.842, "D": 1865.789, "E": 2321.053}
WORKED_FLOOR = {"A": 8100, "B": 5400, "C": 2500, "D": 0, "E": 2700}
WORKED_TARGET = {"A": 8794.737, "B": 5400, "C": 2500, "D": 1865.789, "E": 2700}
WORKED = {
    "raise-limit": (
        {"A": 8794.737, "B": 4518.421, "C": 2500, "D": 1865.789, "E": 2321.053},
        {"A": "ideal", "B": "relaxed-floor", "C": "cap", "D": "new", "E": "ideal"},
        0.24693,
    ),
    "scale-protection": (
        {"A": 8794.737, "B": 4352.021, "C": 2500, "D": 1865.789, "E": 2487.452},
        {"A": "ideal", "B": "relaxed-floor", "C": "cap", "D": "new", "E": "relaxed-floor"},
        None,
    ),
    "scale-gains": (
        {"A": 8389.403, "B": 5400, "C": 2500, "D": 1010.597, "E": 2700},
        {"A": "scaled", "B": "floor", "C": "cap", "D": "scaled", "E": "floor"},
        0.10,
    ),
}


def tkr(values: dict[str, float]) -> list[float]:
    return [values[u] * 1000 for u in "ABCDE"]


def test_worked_example_model_quantities() -> None:
    result = fo.allocate(fo.example_units(), fo.Parameters(budget=20 * MKR))
    table = result.table
    assert table["ideal"].tolist() == pytest.approx(tkr(WORKED_IDEAL), abs=0.5)
    assert table["floor"].tolist() == pytest.approx(tkr(WORKED_FLOOR), abs=0.5)
    assert table["target"].tolist() == pytest.approx(tkr(WORKED_TARGET), abs=0.5)
    assert table["target"].sum() == pytest.approx(21_260_526.3, abs=1)
    assert table["protected"].tolist() == [False, True, False, False, True]
    assert result.scenario is fo.Scenario.DEFICIT


@pytest.mark.parametrize("solver", fo.SOLVERS)
@pytest.mark.parametrize("policy", list(WORKED))
def test_worked_example_every_policy_on_every_solver(policy: str, solver: str) -> None:
    expected, binding, limit = WORKED[policy]
    result = fo.allocate(fo.example_units(), fo.Parameters(budget=20 * MKR), policy, solver)
    table = result.table
    assert table["allocation"].tolist() == pytest.approx(tkr(expected), abs=0.5)
    assert table["binding"].to_dict() == binding
    assert table["allocation"].sum() == pytest.approx(20 * MKR, abs=1e-6)
    assert table["allocation_rounded"].sum() == 20 * MKR
    assert result.unallocated == pytest.approx(0, abs=1e-6)
    if limit is None:
        assert result.decrease_limit is None
    else:
        assert result.decrease_limit == pytest.approx(limit, abs=5e-6)
    assert result.solver == solver and result.policy == policy and result.phase == 1


@pytest.mark.parametrize("solver", fo.SOLVERS)
def test_scale_gains_relaxes_floors_when_floors_alone_exceed_the_budget(solver: str) -> None:
    # Floors alone: 8 100 + 5 400 + 2 500 + 2 700 + base 400 = 19 100 tkr > 18 000 tkr.
    result = fo.allocate(fo.example_units(), fo.Parameters(budget=18 * MKR), "scale-gains", solver)
    table = result.table
    assert result.phase == 2
    assert result.decrease_limit is None
    assert table["allocation"].sum() == pytest.approx(18 * MKR, abs=1e-6)
    # Phase 2 cuts every unit above its base amount by the same share of last year's amount.
    previous = table["previous_allocation"]
    lam = result.balancing_scalar
    relaxed = table.index[table["binding"] == "relaxed-floor"]
    phase1_lo = np.maximum(table["floor"], np.minimum(400_000, table["cap"]))
    assert len(relaxed) > 0
    expected = (phase1_lo[relaxed] - lam * previous[relaxed]).tolist()
    assert table.loc[relaxed, "allocation"].tolist() == pytest.approx(expected)
    assert table.loc["D", "allocation"] == pytest.approx(400_000)
    assert table.loc["D", "binding"] == "base"
