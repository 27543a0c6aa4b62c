"""simulate(): the same numbers as allocate() year by year, glide paths in closed form, changes."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import finsam_opt as fo
from strategies import instances

UNITS = fo.example_units()
PARAMS = fo.Parameters(budget=20_000_000)


def _surplus_units(ratio: float) -> tuple[pd.DataFrame, fo.Parameters, float]:
    """Unit A starts at ``ratio`` × its ideal; B and C ask for far less than theirs (surplus)."""
    params = fo.Parameters(budget=30_000_000)
    units = pd.DataFrame(
        {
            "population": [20_000.0, 100_000.0, 100_000.0],
            "support_measure": [1.0e8, 5.0e8, 5.0e8],
            "requested": [np.nan, 2_000_000.0, 2_000_000.0],
        },
        index=pd.Index(["A", "B", "C"], name="unit"),
    )
    ideal = float(fo.ideal_allocation(units, params)["A"])
    units["previous_allocation"] = [round(ratio * ideal), 2_000_000.0, 2_000_000.0]
    return units, params, ideal


def test_every_year_is_exactly_allocate_on_the_carried_table() -> None:
    growth = pd.Series({"A": 0.02, "B": -0.01})
    budgets = [20_000_000, 19_000_000, 21_000_000]
    sim = fo.simulate(
        UNITS, PARAMS, years=3, population_growth=growth, support_growth=0.03,
        budget_path=budgets, policy="scale-protection", progress=False,
    )  # fmt: skip
    table = UNITS.copy()
    last = None
    for year, budget in zip([1, 2, 3], budgets, strict=True):
        if last is not None:
            table["previous_allocation"] = last.table["allocation_rounded"].astype(float)
            table["population"] = table["population"] * (1 + growth.reindex(table.index).fillna(0))
            table["support_measure"] = table["support_measure"] * 1.03
        last = fo.allocate(table, replace(PARAMS, budget=budget), "scale-protection")
        rows = sim.trajectories[sim.trajectories["year"] == year].set_index("unit")
        assert rows["allocation"].tolist() == last.table["allocation"].tolist()
        assert rows["allocation_rounded"].tolist() == last.table["allocation_rounded"].tolist()
        assert rows["previous_allocation"].tolist() == pytest.approx(
            last.table["previous_allocation"].tolist(), nan_ok=True
        )
        assert sim.years.loc[year, "budget"] == budget
        assert sim.years.loc[year, "floor_cost"] == pytest.approx(fo.diagnose(last).floor_cost)
        assert sim.years.loc[year, "allocated_rounded"] == last.rounded_total
    assert sim.policy == "scale-protection" and sim.carry == "rounded"


def test_carry_exact_uses_the_unrounded_amounts() -> None:
    sim = fo.simulate(UNITS, PARAMS, years=2, carry="exact", progress=False)
    year2 = sim.trajectories[sim.trajectories["year"] == 2].set_index("unit")
    assert year2["previous_allocation"].tolist() == sim.results[0].table["allocation"].tolist()


def test_deficit_and_balance_years_spend_the_budget_exactly() -> None:
    budgets = [20_000_000, 17_000_000, 15_000_000, 14_000_000]  # falling: deficits
    sim = fo.simulate(UNITS, PARAMS, years=4, budget_path=budgets, progress=False)
    assert (sim.years["scenario"] == "deficit").all()
    assert sim.years["allocated_rounded"].tolist() == budgets
    # Units already at their ideal, no caps: a balance every year.
    at_ideal = UNITS.drop(columns=["municipal_match", "regional_match"])
    at_ideal["previous_allocation"] = fo.ideal_allocation(at_ideal, PARAMS).round()
    sim = fo.simulate(at_ideal, PARAMS, years=3, progress=False)
    assert (sim.years["scenario"] == "balance").all()
    assert (sim.years["allocated_rounded"] == PARAMS.budget).all()
    assert sim.reached_ideal.tolist() == [1.0] * 5


@pytest.mark.parametrize("carry", ["rounded", "exact"])
def test_a_unit_above_its_ideal_glides_down_by_the_limit(carry: str) -> None:
    units, params, ideal = _surplus_units(ratio=2.0)
    sim = fo.simulate(units, params, years=10, carry=carry, progress=False)
    assert (sim.years["scenario"] == "surplus").all()
    a = sim.by_year("allocation_rounded").loc["A"].to_numpy(dtype=float)
    previous = np.concatenate(([units.loc["A", "previous_allocation"]], a[:-1]))
    assert (a <= previous).all()
    assert (a >= (1 - params.decrease_limit) * previous - 1.0).all()  # 1 kr of rounding
    expected = math.ceil(math.log(ideal / (2.0 * ideal)) / math.log(1 - params.decrease_limit))
    assert expected == 7
    assert sim.reached_ideal["A"] == expected
    assert a[expected - 1] == pytest.approx(ideal, abs=1.0)
    assert (a[expected - 1 :] == a[expected - 1]).all()  # and stays there
    assert sim.reached_ideal[["B", "C"]].tolist() == [1.0, 1.0]  # held at their requests


@given(
    steps=st.integers(min_value=1, max_value=8),
    fraction=st.floats(min_value=0.05, max_value=0.95),
    limit=st.floats(min_value=0.03, max_value=0.3),
    carry=st.sampled_from(["rounded", "exact"]),
)
def test_the_glide_path_has_the_closed_form_length(
    steps: int, fraction: float, limit: float, carry: str
) -> None:
    """Property: from prev = I/(1−d)^(k−1+f) a unit needs k = ⌈log(I/prev)/log(1−d)⌉ years."""
    units, params, ideal = _surplus_units(ratio=1.0)
    params = replace(params, decrease_limit=limit)
    start = ideal / (1 - limit) ** (steps - 1 + fraction)
    units.loc["A", "previous_allocation"] = round(start)
    expected = math.ceil(math.log(ideal / round(start)) / math.log(1 - limit))
    assert expected == steps
    sim = fo.simulate(units, params, years=steps + 1, carry=carry, progress=False)
    assert (sim.years["scenario"] != "deficit").all()
    assert sim.reached_ideal["A"] == steps


def test_a_unit_that_never_reaches_its_ideal_is_nan() -> None:
    units, params, _ = _surplus_units(ratio=3.0)
    sim = fo.simulate(units, params, years=3, progress=False)
    assert math.isnan(sim.reached_ideal["A"])


def test_joins_merges_leaves_and_updates() -> None:
    joining = pd.DataFrame(
        {"population": [15_000.0], "support_measure": [120_000.0]}, index=["F"]
    ).assign(municipal_match=np.inf, regional_match=np.inf)  # no limit, said explicitly
    changes = [
        fo.Join(2, joining),
        fo.Merge(3, "BE", ("B", "E")),
        fo.Leave(4, "F"),
        fo.Update(4, pd.DataFrame({"municipal_match": [2_000_000.0]}, index=["C"])),
    ]
    sim = fo.simulate(UNITS, PARAMS, years=4, changes=changes, progress=False)
    ids = {y: sim.trajectories[sim.trajectories["year"] == y]["unit"].tolist() for y in range(1, 5)}
    assert ids[1] == ["A", "B", "C", "D", "E"]
    assert ids[2] == ["A", "B", "C", "D", "E", "F"]
    assert ids[3] == ["A", "C", "D", "F", "BE"]
    assert ids[4] == ["A", "C", "D", "BE"]
    year2 = sim.results[1].table
    assert year2.loc["F", "new"] and year2.loc["F", "binding"] == "new"
    year3 = sim.results[2].table
    assert year3.loc["BE", "previous_allocation"] == (
        year2.loc["B", "allocation_rounded"] + year2.loc["E", "allocation_rounded"]
    )
    assert year3.loc["BE", "population"] == 50_000 + 25_000
    assert year3.loc["BE", "support_measure"] == 300_000 + 200_000
    # C's cap was 2 × min(1.25, 1.25) Mkr; from year 4 the municipalities offer 2 Mkr.
    assert sim.results[3].table.loc["C", "cap"] == 2_500_000
    assert sim.results[3].table.loc["C", "municipal_match"] == 2_000_000
    assert set(sim.reached_ideal.index) == {"A", "B", "C", "D", "E", "F", "BE"}
    assert math.isnan(sim.reached_ideal["B"])  # B merged before it reached its ideal


def test_changes_from_a_table() -> None:
    frame = pd.DataFrame(
        {
            "year": [2, 3, 3],
            "action": ["join", "merge", "update"],
            "unit": ["F", "BE", "A"],
            "members": [None, "B; E", None],
            "population": [15_000.0, np.nan, 110_000.0],
            "support_measure": [120_000.0, np.nan, np.nan],
            "municipal_match": [np.inf, np.nan, np.nan],
            "regional_match": [np.inf, np.nan, np.nan],
        }
    )
    join, merge, update = fo.analysis.changes_from_frame(frame)
    assert isinstance(join, fo.Join) and join.units.loc["F", "population"] == 15_000
    assert merge == fo.Merge(3, "BE", ("B", "E"))
    assert isinstance(update, fo.Update) and update.units.loc["A", "population"] == 110_000
    sim = fo.simulate(UNITS, PARAMS, years=3, changes=[join, merge, update], progress=False)
    assert sim.results[2].table.loc["A", "population"] == 110_000
    assert sim.results[2].table.loc["A", "support_measure"] == 900_000


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (
            pd.DataFrame({"year": [2], "unit": ["A"]}),
            "the changes table lacks required column 'action'",
        ),
        (
            pd.DataFrame({"year": [2], "action": ["split"], "unit": ["A"]}),
            "changes row 1: action must be",
        ),
        (
            pd.DataFrame({"year": [2], "action": ["merge"], "unit": ["AB"]}),
            "changes row 1: a merge into 'AB' needs",
        ),
        (
            pd.DataFrame({"year": [2.5], "action": ["leave"], "unit": ["A"]}),
            "changes row 1: year must be a whole",
        ),
    ],
)
def test_bad_change_tables_are_refused(frame: pd.DataFrame, message: str) -> None:
    with pytest.raises(fo.InputError) as caught:
        fo.analysis.changes_from_frame(frame)
    assert str(caught.value).startswith(message)


F = pd.DataFrame({"population": [1.0], "support_measure": [1.0]}, index=["F"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"years": 0}, "parameter years must be a whole number ≥ 1, got 0"),
        ({"first_year": 2026.5}, "parameter first_year must be a whole number, got 2026.5"),
        ({"carry": "floor"}, "parameter carry must be 'rounded' or 'exact', got 'floor'"),
        ({"population_growth": -1.0}, "parameter population_growth must be finite and > −1"),
        ({"support_growth": pd.Series({"Q": 0.1})}, "support_growth: unit 'Q' never in the"),
        ({"support_growth": {"A": float("inf")}}, "support_growth: unit 'A': growth rate must"),
        ({"budget_path": [20e6, 20e6]}, "budget_path must give 3 budgets (one per year), got 2"),
        ({"budget_path": {7: 20e6}}, "budget_path: year 7 is not simulated (1–3)"),
        ({"budget_path": [20e6, -1, 20e6]}, "parameter budget must be finite and ≥ 0, got -1"),
        ({"budget_path": [20e6, 1e6, 20e6]}, "year 2: budget (1,000,000 kr) must be at least"),
        ({"changes": [fo.Leave(4, "A")]}, "Leave in year 4: the simulation runs years 1–3"),
        ({"changes": [fo.Leave(2, "Q")]}, "Leave in year 2: unit 'Q' not in the model that year"),
        (
            {"changes": [fo.Join(2, F.rename(index={"F": "A"}))]},
            "Join in year 2: unit 'A' already in",
        ),
        (
            {"changes": [fo.Join(2, F[["population"]])]},
            "Join in year 2: joining units need column 'support_measure'",
        ),
        (
            {"changes": [fo.Join(2, F.assign(population=-1.0))]},
            "Join in year 2: unit 'F': population must be a finite number ≥ 0",
        ),
        (
            {"changes": [fo.Join(2, F.rename(columns={"population": "populaton"}))]},
            "Join in year 2: unknown column 'populaton' (did you mean 'population'?)",
        ),
        ({"changes": [fo.Merge(2, "AB", ("A",))]}, "Merge in year 2: a merge needs two or more"),
        (
            {"changes": [fo.Merge(2, "C", ("A", "B"))]},
            "Merge in year 2: unit 'C' already in the model",
        ),
        (
            {"changes": [fo.Leave(2, "B"), fo.Merge(3, "AB", ("A", "B"))]},
            "Merge in year 3: unit 'B' not in",
        ),
        ({"changes": ["leave A"]}, "a change must be a Join, Leave, Merge or Update, got str"),
        ({"solver": "gurobi"}, "unknown solver 'gurobi'"),
    ],
)
def test_bad_arguments_are_refused_before_any_year_runs(kwargs: dict, message: str) -> None:
    with pytest.raises(fo.InputError) as caught:
        fo.simulate(UNITS, PARAMS, years=kwargs.pop("years", 3), progress=False, **kwargs)
    assert str(caught.value).startswith(message)


def test_progress_bar_only_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    fo.simulate(UNITS, PARAMS, years=2, progress=True)
    assert "finsam-opt simulate" in capsys.readouterr().err
    fo.simulate(UNITS, PARAMS, years=2, progress=False)
    fo.simulate(UNITS, PARAMS, years=2)  # not a terminal here: tqdm stays silent
    assert capsys.readouterr().err == ""


def test_first_year_labels_the_years() -> None:
    sim = fo.simulate(UNITS, PARAMS, years=2, first_year=2026, budget_path={2027: 21e6})
    assert sim.year_labels == (2026, 2027)
    assert sim.years["budget"].tolist() == [20e6, 21e6]
    assert sim.by_year().columns.tolist() == [2026, 2027]


def test_a_unit_pushed_off_its_ideal_counts_from_when_it_is_back_for_good() -> None:
    # 17 Mkr from year 3: A's ideal falls more than 10 %, so its floor lifts it off its
    # ideal in year 3; from year 4 it is at its ideal again.
    sim = fo.simulate(UNITS, PARAMS, years=5, budget_path={3: 17e6, 4: 17e6, 5: 17e6})
    a = sim.trajectories[sim.trajectories["unit"] == "A"].set_index("year")
    at_ideal = ((a["allocation"] - a["capped"]).abs() <= 1.0).tolist()
    assert at_ideal == [True, True, False, True, True]
    assert sim.reached_ideal["A"] == 4


@given(instances(), st.sampled_from(list(fo.DEFICIT_POLICIES)), st.floats(-0.05, 0.05))
def test_every_simulated_year_is_allocate_on_the_carried_data(
    case: tuple[pd.DataFrame, fo.Parameters], policy: str, growth: float
) -> None:
    """Property: year y is allocate() on year y−1's decided amounts and grown data; deficit
    and balance years spend the budget to the krona; floors hold outside a deficit."""
    units, params = case
    sim = fo.simulate(units, params, years=3, policy=policy, support_growth=growth, progress=False)
    table = units
    for year, result in zip(sim.year_labels, sim.results, strict=True):
        if year > 1:
            last = sim.results[year - 2].table
            table = table.assign(
                previous_allocation=last["allocation_rounded"].astype(float),
                support_measure=table["support_measure"] * (1 + growth),
            )
        direct = fo.allocate(table, params, policy)
        assert (
            result.table["allocation_rounded"].tolist()
            == direct.table["allocation_rounded"].tolist()
        )
        t = result.table
        if result.scenario is not fo.Scenario.SURPLUS:
            assert result.rounded_total == round(params.budget)
        if result.scenario is not fo.Scenario.DEFICIT:
            floor = np.minimum((1 - params.decrease_limit) * t["previous_allocation"], t["cap"])
            assert (t["allocation_rounded"] >= floor.fillna(0) - 1).all()


def _unanswered() -> pd.DataFrame:
    """The worked example; B's region and all of E's answers are missing (MODEL.md §4a)."""
    units = fo.example_units()
    units.loc["B", "regional_match"] = np.nan
    units.loc["E", ["municipal_match", "regional_match"]] = np.nan
    return units


def test_trajectories_and_years_name_the_assumed_contributions_every_year() -> None:
    """MODEL.md §9.11: every output names a unit whose contribution was assumed."""
    params = fo.Parameters(budget=20_000_000, unanswered="previous")
    sim = fo.simulate(_unanswered(), params, years=3, first_year=2026)
    t = sim.trajectories.set_index(["year", "unit"])
    assert t["regional_match_assumed"].xs("B", level="unit").tolist() == [True] * 3
    assert t["municipal_match_assumed"].xs("B", level="unit").tolist() == [False] * 3
    assert t.xs("E", level="unit")[["municipal_match_assumed", "regional_match_assumed"]].all(
        axis=None
    )
    assert not t.xs("A", level="unit")[["municipal_match_assumed", "regional_match_assumed"]].any(
        axis=None
    )
    # Re-assumed every year from that year's previous allocation (kronor), no limit as inf.
    b = t.xs("B", level="unit")
    assert b["regional_match"].tolist() == (b["previous_allocation"] / 2).tolist()
    assert np.isinf(b["municipal_match"]).all()
    assert sim.years["matching_status"].tolist() == ["collected"] * 3
    assert sim.years["assumed_units"].tolist() == [2, 2, 2]
    assert sim.matching == fo.Matching.COLLECTED
    assert sim.assumed.groupby("year").size().tolist() == [3, 3, 3]  # B's region, E's two
    for (year, unit), row in t.iterrows():
        result = sim.results[year - 2026]
        for party in ("municipal_match", "regional_match"):
            flagged = bool(result.table.loc[unit].get(f"{party}_assumed", False))
            assert row[f"{party}_assumed"] == flagged


def test_a_joiner_is_assumed_from_its_year_and_an_answer_ends_the_assumption() -> None:
    joiner = pd.DataFrame(
        {"population": [30_000.0], "support_measure": [200_000.0],
         "municipal_match": [np.nan], "regional_match": [np.nan]},
        index=["F"],
    )  # fmt: skip
    answer = pd.DataFrame({"regional_match": [4e6]}, index=["B"])
    units = fo.example_units()
    units.loc["B", "regional_match"] = np.nan
    sim = fo.simulate(
        units, fo.Parameters(budget=20_000_000, unanswered="previous"), years=3,
        changes=[fo.Join(2, joiner), fo.Update(3, answer)],
    )  # fmt: skip
    assert sim.years["assumed_units"].tolist() == [1, 2, 1]
    flags = sim.by_year("regional_match_assumed")
    assert flags.loc["B"].tolist() == [True, True, False]
    assert flags.loc["F"].tolist()[1:] == [True, True]
    assert sim.by_year("regional_match").loc["F"].tolist()[1:] == [0.0, 0.0]  # new: 0 assumed


def test_without_contribution_columns_matching_is_not_collected_every_year() -> None:
    units = fo.example_units().drop(columns=["municipal_match", "regional_match"])
    sim = fo.simulate(units, PARAMS, years=2)
    assert sim.matching == fo.Matching.NOT_COLLECTED
    assert "regional_match_assumed" not in sim.trajectories.columns
    assert sim.years["matching_status"].tolist() == ["not collected"] * 2
    assert sim.years["assumed_units"].tolist() == [0, 0]
    assert sim.assumed.empty
