"""The most common input errors of the domain layer, as a Swedish user reads them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import finsam_opt as fo


def _refused(call, *args, **kwargs) -> fo.InputError:
    with pytest.raises(fo.InputError) as error:
        call(*args, **kwargs)
    return error.value


def test_unanswered_matching_is_explained_in_swedish() -> None:
    units = fo.example_units()
    units.loc["B", "regional_match"] = np.nan
    units.loc["E", ["municipal_match", "regional_match"]] = np.nan
    error = _refused(fo.allocate, units, fo.Parameters(budget=20e6))
    assert error.text("sv") == (
        "2 förbund har inte svarat om matchningen (tomt bidrag): 'B' (Regionens bidrag); "
        "'E' (Kommunernas bidrag, Regionens bidrag). Tomt betyder inte ingen gräns: fyll i "
        "beloppet, skriv inf (ingen gräns) om det inte finns någon gräns, eller välj med "
        "--unanswered (Parameters(unanswered=...) i Python) vad ett obesvarat bidrag antas "
        "vara: previous (föregående års tilldelning / 2) eller no-limit (ingen gräns)"
    )
    assert str(error).startswith("2 unit(s) have not answered on matching")


def test_a_municipality_in_two_units_is_refused_in_swedish() -> None:
    municipalities = pd.DataFrame(
        {
            "municipality_name": ["Upplands Väsby", "Vallentuna"],
            "region": ["Stockholms län"] * 2,
            "population": [30_000, 20_000],
            "support_measure": [3e8, 2e8],
        },
        index=["0114", "0115"],
    )
    members = pd.DataFrame(
        {"municipality_code": ["0114", "0114", "0115"], "unit": ["A", "B", "B"], "year": 2027}
    )
    error = _refused(fo.aggregate_municipalities, municipalities, members, 2027)
    assert error.text("sv") == (
        "kommunen 0114 (Upplands Väsby) är med i mer än ett förbund år 2027: 'A' och 'B'; "
        "en kommun hör till högst ett förbund"
    )
    assert error.units == ("A", "B")


def test_a_wrong_amount_names_the_swedish_header_and_swedish_numbers() -> None:
    units = fo.example_units().astype({"support_measure": float})
    units.loc["B", "support_measure"] = -1.5
    error = _refused(fo.allocate, units, fo.Parameters(budget=20e6))
    assert error.text("sv") == "förbundet 'B': Försörjningsmått måste vara ≥ 0, inte -1,5"
    assert str(error) == "unit 'B': support_measure must be ≥ 0, got -1.5"


def test_a_budget_below_the_base_amounts_is_in_swedish_kronor() -> None:
    error = _refused(fo.allocate, fo.example_units(), fo.Parameters(budget=1_000_000))
    assert error.text("sv") == (
        "budgeten (1 000 000 kr) måste vara minst antalet förbund × grundtilldelningen "
        "(5 × 400 000 kr = 2 000 000 kr)"
    )


def test_a_staircase_out_of_order_is_refused_in_swedish() -> None:
    error = _refused(fo.Staircase, (5e6, 2.5e6, float("inf")), (0.2, 0.15, 0.1))
    assert error.text("sv") == (
        "trappan, rad 2: omsättningens övre gräns (turnover_upper_bound) måste vara större än "
        "på raden före (5 000 000), inte 2 500 000"
    )
