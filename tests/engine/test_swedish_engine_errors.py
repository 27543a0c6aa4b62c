"""The most common errors of the engine layer, as a Swedish user reads them."""

from __future__ import annotations

import pytest

import finsam_opt as fo

MKR = 1_000_000.0


def _refused(call, *args, **kwargs) -> fo.InputError:
    with pytest.raises(fo.InputError) as error:
        call(*args, **kwargs)
    return error.value


def test_a_return_above_the_decided_amount_is_refused_in_swedish() -> None:
    result = fo.allocate(fo.example_units(), fo.Parameters(budget=30 * MKR))
    error = _refused(
        fo.redistribute, {"A": MKR}, result, result.parameters, returned={"C": 3 * MKR}
    )
    assert error.text("sv") == (
        "förbundet 'C': återlämnat belopp 3 000 000 kr är mer än förbundets beslutade "
        "tilldelning på 2 500 000 kr"
    )
    assert str(error).startswith("unit 'C': returned 3,000,000 kr exceeds")


def test_an_application_above_its_matching_is_refused_in_swedish() -> None:
    error = _refused(
        fo.redistribute, {"A": 5 * MKR}, 1 * MKR, fo.Parameters(budget=30 * MKR),
        municipal_extra={"A": MKR}, regional_extra={"A": 2 * MKR},
    )  # fmt: skip
    assert error.text("sv") == (
        "förbundet 'A': Ansökan ofördelade medel 5 000 000 kr är mer än 2 × min(Kommunernas "
        "extra bidrag, Regionens extra bidrag) = 2 000 000 kr (staten betalar högst dubbelt så "
        "mycket som det minsta av kommunernas och regionens extra bidrag)"
    )


def test_an_equity_policy_without_a_staircase_names_the_policies_in_swedish() -> None:
    error = _refused(
        fo.redistribute, {"A": MKR}, 1 * MKR, fo.Parameters(budget=30 * MKR), "equity-first"
    )
    assert error.text("sv") == (
        "principen eget kapital först minskar efter överskjutande eget kapital, som kräver "
        "trappan för rimligt eget kapital (parameters.staircase); ange en trappa, eller välj "
        "'proportional' (proportionellt) eller 'by-key' (enligt nyckeln)"
    )


def test_a_policy_file_that_cannot_always_place_the_budget_is_refused_in_swedish() -> None:
    text = 'name = "gains"\n[[phase]]\nkind = "scale-gains"\n'
    error = _refused(fo.policy_from_toml, text)
    assert error.text("sv") == (
        "policy: rad 3: den sista fasen, skalade ökningar ('scale-gains'), håller några förbund "
        "över sitt ideal inom taket eller sitt golv, så principen kan inte alltid fördela "
        "budgeten; avsluta med höjd spärr ('raise-limit') utan at_most, skalat skydd "
        "('scale-protection') med keep = 0, eller sänkta golv ('relax-floors')"
    )
