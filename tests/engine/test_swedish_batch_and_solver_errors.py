"""Errors of batches, solvers, policies, explain() and the parameters in Swedish (English kept)."""

from __future__ import annotations

import numpy as np
import pytest

import finsam_opt as fo
from finsam_opt.engine.solvers import get_solver, pulp_lp


def test_a_batch_budget_below_n_times_the_base_amount_in_swedish() -> None:
    with pytest.raises(fo.InputError) as caught:
        fo.allocate_batch(fo.example_units(), np.array([3e6, 1_000_000.5]))
    assert caught.value.text("sv") == (
        "variant(erna) [1]: budgeten måste vara minst antalet förbund × grundtilldelningen, "
        "men 1 000 000,50 kr < 5 × 400 000 kr"
    )
    assert str(caught.value).startswith("variant(s) [1]: budget must be at least")


def test_an_unknown_solver_in_swedish() -> None:
    with pytest.raises(fo.InputError) as caught:
        get_solver("gurobi")
    assert caught.value.text("sv") == (
        "okänd lösare 'gurobi'; välj en av 'fast', 'highs', 'cbc', 'scipy'"
    )


def test_a_missing_solver_in_swedish(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pulp_lp.pulp.PULP_CBC_CMD, "available", lambda self: False)
    with pytest.raises(fo.SolverError) as caught:
        get_solver("cbc")
    assert caught.value.text("sv") == (
        "lösaren 'cbc' finns inte installerad (PuLP hittar inte PULP_CBC_CMD)"
    )
    assert str(caught.value) == "solver 'cbc' is not available (PuLP cannot find PULP_CBC_CMD)"


def test_an_unknown_policy_is_named_in_swedish_with_the_names_to_write() -> None:
    with pytest.raises(fo.InputError) as caught:
        fo.allocate(fo.example_units(), fo.Parameters(budget=20_000_000), "cut-all")
    swedish = caught.value.text("sv")
    assert swedish.startswith(
        "okänd princip för underskott 'cut-all'; välj en av höjd spärr "
        "('raise-limit'), skalat skydd ('scale-protection')"
    )
    assert "scale-gains" in swedish and "skalade ökningar" in swedish


@pytest.mark.parametrize(
    ("given", "swedish"),
    [
        ({"budget": -1}, "parametern budget måste vara ändlig och ≥ 0, inte -1"),
        (
            {"budget": 1e20},
            "parametern budget får vara högst 10 000 000 000 000 kr, inte "
            "100 000 000 000 000 000 000: större belopp än så kan inte summeras exakt på öret",
        ),
        (
            {"budget": 1e7, "decrease_limit": 1.5},
            "parametern decrease_limit (spärren) måste ligga i [0, 1), inte 1.5",
        ),
        (
            {"budget": 1e7, "equity_floor": "sometimes"},
            "parametern equity_floor måste vara en av 'deficit', 'always', 'never', "
            "inte 'sometimes'",
        ),
    ],
)
def test_parameters_are_refused_in_swedish(given: dict, swedish: str) -> None:
    with pytest.raises(fo.InputError) as caught:
        fo.Parameters(**given)
    assert caught.value.text("sv") == swedish


def test_explain_of_a_unit_not_in_the_allocation_in_swedish() -> None:
    result = fo.allocate(fo.example_units(), fo.Parameters(budget=20_000_000))
    with pytest.raises(fo.InputError) as caught:
        result.explain("Z")
    assert caught.value.text("sv") == "förbundet 'Z' finns inte i den här tilldelningen"
