"""allocate(): the result's shape, custom policies, explanations, and the re-check."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

import finsam_opt as fo
from finsam_opt.domain.units import validate_units
from finsam_opt.engine.damping import Phase
from finsam_opt.engine.model import compute_quantities
from finsam_opt.engine.solvers.base import PhaseSolution
from finsam_opt.engine.verify import check_allocation

PARAMS = fo.Parameters(budget=20_000_000)


def test_the_table_keeps_the_input_index_and_order() -> None:
    units = fo.example_units().loc[["E", "C", "A", "D", "B"]]
    table = fo.allocate(units, PARAMS).table
    assert table.index.tolist() == ["E", "C", "A", "D", "B"]
    for column in (
        "share_population",
        "share_support",
        "key",
        "ideal",
        "cap",
        "floor",
        "target",
        "allocation",
        "allocation_rounded",
        "binding",
    ):
        assert column in table
    assert table["allocation_rounded"].dtype == np.int64
    assert set(table["binding"]) <= set(fo.BINDING_RULES)


def test_ideal_allocation_is_the_tables_ideal() -> None:
    ideal = fo.ideal_allocation(fo.example_units(), PARAMS)
    assert ideal.tolist() == fo.allocate(fo.example_units(), PARAMS).table["ideal"].tolist()
    assert ideal.sum() == pytest.approx(20_000_000)


def test_rounding_to_thousands_keeps_the_total() -> None:
    params = fo.Parameters(budget=20_000_000, rounding_unit=1000)
    table = fo.allocate(fo.example_units(), params).table
    assert (table["allocation_rounded"] % 1000 == 0).all()
    assert table["allocation_rounded"].sum() == 20_000_000
    assert table.loc["C", "allocation_rounded"] <= table.loc["C", "cap"]


def test_a_custom_policy_is_a_list_of_phases() -> None:
    def cut_everyone(q, previous):  # every unit cut in proportion to its target, down to base
        return Phase(hi=q.target, lo=q.base, weight=q.target)

    policy = fo.Policy("cut-everyone", (fo.PhaseRule("all cut alike", cut_everyone),))
    results = [fo.allocate(fo.example_units(), PARAMS, policy, s) for s in fo.SOLVERS]
    table = results[0].table
    factor = 20_000_000 / table["target"].sum()
    assert table["allocation"].tolist() == pytest.approx((table["target"] * factor).tolist())
    assert results[0].decrease_limit is None and results[0].policy == "cut-everyone"
    for other in results[1:]:
        assert np.abs(other.table["allocation"] - table["allocation"]).max() < 1


def test_a_policy_without_phases_is_refused() -> None:
    with pytest.raises(fo.InputError, match="policy 'empty' has no phases"):
        fo.Policy("empty", ())


def test_a_policy_whose_phases_cannot_fit_is_an_error() -> None:
    def keep_all(q, previous):
        return Phase(hi=q.target, lo=q.target, weight=q.target)

    policy = fo.Policy("keep-all", (fo.PhaseRule("nothing moves", keep_all),))
    with pytest.raises(fo.SolverError, match="not even its last phase fits the budget"):
        fo.allocate(fo.example_units(), PARAMS, policy)


def test_explain_tells_one_units_story() -> None:
    text = fo.allocate(fo.example_units(), PARAMS).explain("B", language="en")
    assert "floor 5,400,000 kr = (1 − 10%) × last year's 6,000,000 kr" in text
    assert "allocation 4,518,422 kr: below its floor: the decrease limit was raised to 24.69%" in (
        text
    )
    capped = fo.allocate(fo.example_units(), PARAMS).explain("C", language="en")
    assert "cap 2,500,000 kr" in capped
    swedish = fo.allocate(fo.example_units(), PARAMS).explain("B")
    assert "golv 5 400 000 kr = (1 − 10 %) × föregående års 6 000 000 kr" in swedish
    assert "tilldelning 4 518 422 kr: under golvet: spärren höjdes till 24,69 %" in swedish
    for english in ("floor", "allocation", "policy", "raise-limit", "deficit"):
        assert english not in swedish
    with pytest.raises(fo.InputError, match="unit 'Z' is not in this allocation"):
        fo.allocate(fo.example_units(), PARAMS).explain("Z")


def test_the_recheck_refuses_an_allocation_over_its_cap() -> None:
    table = validate_units(fo.example_units(), PARAMS)
    q = compute_quantities(table, PARAMS)
    broken = q.target.copy()
    broken[2] += 1.0  # unit C one krona above its matching cap
    with pytest.raises(fo.VerificationError, match="unit 'C': the allocation exceeds the matching"):
        check_allocation(broken, q, PARAMS.budget, fo.Scenario.BALANCE, None, table.ids)


def test_a_solver_point_far_from_its_rate_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    def wrong(phase, available):
        return PhaseSolution(rate=0.1, allocation=phase.hi)

    module = importlib.import_module("finsam_opt.engine.allocate")
    monkeypatch.setattr(module, "get_solver", lambda name: wrong)
    with pytest.raises(fo.VerificationError, match="solver 'fast' returned a point that differs"):
        fo.allocate(fo.example_units(), PARAMS)


def test_a_solver_that_is_not_optimal_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import pulp

    monkeypatch.setattr(pulp.LpProblem, "solve", lambda self, solver=None: 0)
    monkeypatch.setattr(pulp.LpProblem, "status", pulp.LpStatusNotSolved, raising=False)
    with pytest.raises(fo.SolverError, match="solver 'highs' did not solve the phase: status"):
        fo.allocate(fo.example_units(), PARAMS, solver="highs")


def test_weights_far_from_kronor_scale_still_agree_on_every_solver() -> None:
    # Weights of 1 against amounts of ~1e7 kr make λ ~ 1e6; the LPs solve λ as a fraction
    # of the largest breakpoint, so they stay well scaled.
    def flat_cut(q, previous):
        return Phase(hi=q.target, lo=q.base, weight=np.ones_like(q.target))

    policy = fo.Policy("flat-cut", (fo.PhaseRule("every unit loses the same kronor", flat_cut),))
    tables = [fo.allocate(fo.example_units(), PARAMS, policy, s).table for s in fo.SOLVERS]
    cut = tables[0]["target"] - tables[0]["allocation"]
    assert cut.tolist() == pytest.approx([cut.iloc[0]] * 5)
    for table in tables[1:]:
        assert np.abs(table["allocation"] - tables[0]["allocation"]).max() < 1


def test_explain_shows_the_tables_rounded_amount_and_a_key_that_checks_by_hand() -> None:
    """explain() once said 2 130 558 kr where the table said 2 130 559, with a 4-digit key."""
    example = fo.national_example()
    result = fo.allocate(example.units, example.parameters)
    table = result.table
    p = result.parameters
    rest = p.budget - len(table) * p.base_amount
    differs = table.index[table["allocation"].round() != table["allocation_rounded"]]
    assert len(differs) > 0  # largest-remainder rounding moves some units up
    for unit in [*differs[:5], *table.index[:20]]:
        text = result.explain(unit, language="en")
        amount = f"{table.loc[unit, 'allocation_rounded']:,} kr"
        assert f"  allocation {amount}:" in text
        key = float(text.split(" × key ")[1].splitlines()[0])
        by_hand = p.base_amount + rest * key
        shown = int(text.split("ideal ")[1].split(" kr")[0].replace(",", ""))
        assert abs(by_hand - shown) < 1, (unit, by_hand, shown)  # checks to the krona
        assert shown == round(table.loc[unit, "ideal"])


def test_the_decision_table_is_built_on_first_access_and_kept() -> None:
    result = fo.allocate(fo.example_units(), PARAMS)
    assert "table" not in vars(result)  # allocate() built no DataFrame
    assert result.rounded_total == 20_000_000
    assert result.allocation.round().tolist() == [8794737, 4518421, 2500000, 1865789, 2321053]
    assert "table" not in vars(result)
    table = result.table
    assert result.table is table
    assert table["allocation_rounded"].tolist() == result.rounded.tolist()


def test_binding_is_a_categorical_of_every_rule_with_the_tables_labels() -> None:
    result = fo.allocate(fo.example_units(), PARAMS)
    assert result.binding.categories.tolist() == list(fo.BINDING_RULES)
    assert result.binding.codes.dtype == np.int8
    assert list(result.binding) == result.table["binding"].tolist()
    assert result.table["binding"].value_counts().to_dict() == {
        "ideal": 2,
        "relaxed-floor": 1,
        "cap": 1,
        "new": 1,
    }
