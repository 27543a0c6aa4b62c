"""Matching is required for every krona (MODEL.md §4a, invariant 11): a blank is no answer."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import finsam_opt as fo
from finsam_opt.cli.app import main
from finsam_opt.io import merge_answers, read_units
from strategies import instances

MKR = 1_000_000.0


def _units() -> pd.DataFrame:
    """The worked example; B's region and all of E's answers are missing."""
    units = fo.example_units()
    units.loc["B", "regional_match"] = np.nan
    units.loc["E", ["municipal_match", "regional_match"]] = np.nan
    return units


def test_a_blank_contribution_is_refused_naming_every_unit_and_party():
    """Before, a blank regional cell meant "no limit" and E, which never answered, got its
    whole ideal."""
    with pytest.raises(fo.InputError) as error:
        fo.allocate(_units(), fo.Parameters(budget=20e6))
    message = str(error.value)
    assert message.startswith(
        "2 unit(s) have not answered on matching (a blank contribution): 'B' (regional_match); "
        "'E' (municipal_match, regional_match). A blank is not 'no limit'"
    )
    assert "unanswered 'previous' or 'no-limit' (--unanswered on the command line" in message
    assert list(error.value.units) == ["B", "E"]
    assert error.value.column == "municipal_match"


def test_previous_assumes_half_of_last_years_allocation_for_each_missing_party():
    result = fo.allocate(_units(), fo.Parameters(budget=25e6, unanswered="previous"))
    table = result.table
    assert result.matching == "collected"
    # E answered nothing: u = 2 × min(3.0/2, 3.0/2) Mkr = its previous allocation.
    assert table.loc["E", "cap"] == 3 * MKR
    # B's municipalities said "no limit"; its region is assumed at 6.0/2 Mkr.
    assert table.loc["B", "cap"] == 6 * MKR
    assert table.loc["B", "regional_match_assumed"]
    assert not table.loc["B", "municipal_match_assumed"]
    assert (table["allocation"] <= table["cap"]).all()
    assert result.assumed.to_dict("records") == [
        {"unit": "B", "party": "regional_match", "assumed_as": "previous", "amount": 3 * MKR},
        {"unit": "E", "party": "municipal_match", "assumed_as": "previous", "amount": 1.5 * MKR},
        {"unit": "E", "party": "regional_match", "assumed_as": "previous", "amount": 1.5 * MKR},
    ]
    assert "regional_match assumed, not answered: 3,000,000 kr" in result.explain("B", "en")
    assert "regionens bidrag antaget, ej besvarat: 3 000 000 kr" in result.explain("B")


def test_a_given_contribution_still_limits_when_the_other_is_assumed():
    units = _units()
    units.loc["E", "municipal_match"] = 0.5 * MKR  # the region is still missing
    table = fo.allocate(units, fo.Parameters(budget=25e6, unanswered="no-limit")).table
    assert table.loc["E", "cap"] == 1 * MKR
    assert table.loc["E", "allocation"] == 1 * MKR
    assert table.loc["E", "binding"] == "cap"


def test_a_new_unit_without_an_answer_is_assumed_at_zero_under_previous():
    units = _units()
    units.loc["D", ["municipal_match", "regional_match"]] = np.nan  # D is new
    table = fo.allocate(units, fo.Parameters(budget=25e6, unanswered="previous")).table
    assert table.loc["D", "cap"] == 0 and table.loc["D", "allocation"] == 0


def test_no_limit_assumes_no_limit_and_says_so():
    result = fo.allocate(_units(), fo.Parameters(budget=20e6, unanswered="no-limit"))
    explicit = fo.allocate(fo.example_units(), fo.Parameters(budget=20e6))
    np.testing.assert_array_equal(result.allocation, explicit.allocation)
    assert set(result.assumed["unit"]) == {"B", "E"}
    assert explicit.assumed.empty
    assert "not answered: no limit" in result.explain("E", "en")
    assert "kommunernas bidrag antaget, ej besvarat: ingen gräns" in result.explain("E")


def test_without_contribution_columns_matching_is_not_collected():
    units = fo.example_units().drop(columns=["municipal_match", "regional_match"])
    result = fo.allocate(units, fo.Parameters(budget=20e6))
    assert result.matching == fo.Matching.NOT_COLLECTED
    assert np.isinf(result.table["cap"]).all()
    assert result.assumed.empty
    assert "cap: none (matching not collected)" in result.explain("A", "en")
    assert "tak: inget (matchningen är inte insamlad)" in result.explain("A")
    assert fo.allocate(fo.example_units(), fo.Parameters(budget=20e6)).matching == "collected"


def test_a_file_says_no_limit_in_words_and_a_blank_cell_is_no_answer(tmp_path: Path):
    path = tmp_path / "units.csv"
    path.write_text(
        "unit;population;support_measure;previous_allocation;municipal_match;regional_match\n"
        "A;100;1000;1 000 000;ingen gräns;Ingen  gräns\n"
        "B;100;1000;1 000 000;400 000;\n",
        encoding="utf-8",
    )
    units = read_units(path)
    assert np.isinf(units.loc["A", "municipal_match"]) and np.isinf(
        units.loc["A", "regional_match"]
    )
    assert np.isnan(units.loc["B", "regional_match"])
    with pytest.raises(fo.InputError, match=r"'B' \(regional_match\)"):
        fo.allocate(units, fo.Parameters(budget=3e6))


def test_merged_answers_list_the_contributions_still_blank():
    units = fo.example_units()
    answers = pd.DataFrame({"requested": [3 * MKR], "municipal_match": [2 * MKR]}, index=["C"])
    units.loc["C", "regional_match"] = np.nan
    merged = merge_answers(units, answers)
    assert merged.missing_matching.to_dict("records") == [{"unit": "C", "party": "regional_match"}]


def test_the_cli_refuses_a_blank_and_names_what_it_assumed(tmp_path: Path, capsys):
    path = tmp_path / "units.csv"
    _units().to_csv(path)
    out = tmp_path / "beslut.csv"
    assert main(["allocate", str(path), "--budget", "20e6", "-o", str(out)]) == 2
    assert "'E' (Kommunernas bidrag, Regionens bidrag)" in capsys.readouterr().err
    assert not out.exists()
    args = ["allocate", str(path), "--budget", "20e6", "-o", str(out), "--unanswered", "previous"]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert (
        "matchning: insamlad; antagen (föregående års tilldelning / 2, ej besvarad) för 2 "
        "förbund: B (regionens bidrag); E (kommunernas bidrag, regionens bidrag)" in printed
    )
    header = out.read_text(encoding="utf-8").splitlines()[0]
    assert "Regionens bidrag antaget, ej besvarat" in header
    assert main([*args, "--language", "en"]) == 0
    assert (
        "matching: collected; assumed (previous, not answered) for 2 förbund: "
        "B (regional_match); E (municipal_match, regional_match)" in capsys.readouterr().out
    )


@st.composite
def _with_blanks(draw: st.DrawFn) -> tuple[pd.DataFrame, fo.Parameters, pd.DataFrame]:
    units, params = draw(instances())
    rng = np.random.default_rng(draw(st.integers(min_value=0, max_value=2**32 - 1)))
    blank = pd.DataFrame(
        rng.random((len(units), 2)) < 0.3,
        index=units.index,
        columns=["municipal_match", "regional_match"],
    )
    return units.mask(blank.reindex(columns=units.columns, fill_value=False)), params, blank


@given(_with_blanks(), st.sampled_from(["error", "previous", "no-limit"]))
def test_a_unit_without_an_answer_never_goes_unnamed(case, unanswered) -> None:
    """Property: with ``unanswered='error'`` nothing is computed and every blank is named;
    otherwise the result names exactly the blanks, a unit with no answer at all is never
    capped above last year's allocation under ``'previous'``, and the matching law holds
    (inv. 11, inv. 2)."""
    units, params, blank = case
    params = fo.Parameters(budget=params.budget, unanswered=unanswered)
    expected = {(u, p) for u in blank.index for p in blank.columns if blank.loc[u, p]}
    if unanswered == "error" and expected:
        with pytest.raises(fo.InputError) as error:
            fo.allocate(units, params)
        for unit, party in expected:
            assert f"'{unit}' (" in str(error.value) and party in str(error.value)
        return
    result = fo.allocate(units, params)
    named = set(zip(result.assumed["unit"], result.assumed["party"], strict=True))
    assert named == expected
    table = result.table
    assert (table["allocation"] <= table["cap"] * (1 + 1e-12)).all()
    if unanswered == "previous":
        silent = blank.all(axis=1)
        previous = table["previous_allocation"].fillna(0.0)
        assert (table.loc[silent, "cap"] <= previous[silent] * (1 + 1e-12)).all()


@pytest.mark.parametrize("rule", ["previous", "no-limit"])
def test_the_swedish_explanation_names_the_rule_in_swedish(rule: str):
    """Before, the Swedish line ended "(unanswered 'previous')": an English rule name."""
    text = fo.allocate(_units(), fo.Parameters(budget=25e6, unanswered=rule)).explain("B")
    assert "unanswered" not in text and rule not in text
    expected = {
        "previous": "regionens bidrag antaget, ej besvarat: 3 000 000 kr "
        "(föregående års tilldelning / 2)",
        "no-limit": "regionens bidrag antaget, ej besvarat: ingen gräns\n",
    }[rule]
    assert expected in text
    english = fo.allocate(_units(), fo.Parameters(budget=25e6, unanswered=rule)).explain("B", "en")
    assert f"(unanswered '{rule}')" in english
