""" "Berättigade till": every round after June compares with June's amounts (MODEL.md §6b)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import finsam_opt as fo

MKR = 1_000_000.0


def _two_units(share_a: int, **columns: list[float]) -> pd.DataFrame:
    """Keys share_a/92 and the rest: at 10 Mkr, A's ideal is share_a/92 × 9.2 Mkr + 0.4 Mkr."""
    frame = pd.DataFrame(
        {"population": [share_a, 92 - share_a], "support_measure": [share_a, 92 - share_a]},
        index=pd.Index(["A", "B"], name="unit"),
    )
    return frame.assign(**columns)


def _example_1() -> pd.DataFrame:
    # Prev 3.0 Mkr, ideal 2.0 Mkr, municipalities and region 1.5 Mkr each.
    return _two_units(
        16,
        previous_allocation=[3 * MKR, 8 * MKR],
        municipal_match=[1.5 * MKR, np.inf],
        regional_match=[1.5 * MKR, np.inf],
        requested=[np.nan, 7.3 * MKR],
    )


def _example_2() -> pd.DataFrame:
    # Prev 5 Mkr, ideal 8 Mkr, 3 Mkr each from municipalities and region.
    return _two_units(
        76,
        previous_allocation=[5 * MKR, 2 * MKR],
        municipal_match=[3 * MKR, np.inf],
        regional_match=[3 * MKR, np.inf],
    )


def _final(units: pd.DataFrame, budget: float | None = None) -> fo.Round:
    year = fo.AllocationYear(2027, units, fo.Parameters(budget=10 * MKR)).preliminary()
    return year.second_preliminary().final(budget=budget).round("final")


def test_seed_example_1_got_0_7_mkr_more_than_it_was_entitled_to_by_its_floor():
    row = _final(_example_1()).table.loc["A"]
    assert row["entitled"] == 2_000_000
    assert row["amount"] == 2_700_000
    assert row["difference_from_entitled"] == 700_000
    assert row["difference_from_budget"] == 0
    assert row["binding"] == "floor"


def test_seed_example_2_got_2_0_mkr_less_than_it_was_entitled_to_by_its_matching():
    row = _final(_example_2()).table.loc["A"]
    assert row["entitled"] == 8_000_000
    assert row["amount"] == 6_000_000
    assert row["difference_from_entitled"] == -2_000_000
    assert row["binding"] == "cap"


def test_every_round_after_june_shows_it_and_the_totals():
    year = fo.AllocationYear(2027, _example_1(), fo.Parameters(budget=10 * MKR))
    year = year.preliminary().second_preliminary().final()
    assert "entitled" not in year.round("preliminary").table
    for name in ("second_preliminary", "final"):
        item = year.round(name)
        assert item.table["entitled"].tolist() == [2_000_000, 8_000_000]
        assert item.summary["entitled"] == 10 * MKR
        assert item.summary["difference_from_entitled"] == 0  # +0.7 Mkr for A, −0.7 for B


def test_june_stays_as_sent_when_the_budget_changes_and_the_budget_part_is_shown_apart():
    final = _final(_example_2(), budget=11 * MKR).table
    assert final["entitled"].tolist() == [8_000_000, 2_000_000]  # June's, at 10 Mkr
    # B is at its ideal: all of its difference is the larger budget.
    assert final.loc["B", "difference_from_entitled"] == final.loc["B", "difference_from_budget"]
    assert final.loc["B", "difference_from_budget"] == 173_913
    # A is held at its cap: the budget would have given it more, the matching took it.
    assert final.loc["A", "difference_from_budget"] == 826_087
    assert final.loc["A", "difference_from_entitled"] == -2_000_000


def test_without_a_june_round_entitled_is_the_ideal_at_the_years_budget():
    year = fo.AllocationYear(2027, _example_1(), fo.Parameters(budget=10 * MKR)).final()
    assert year.entitled.tolist() == [2_000_000, 8_000_000]
    assert year.round("final").table.loc["A", "difference_from_entitled"] == 700_000


def test_the_spring_round_and_the_saved_workbook_show_it(tmp_path: Path):
    example = fo.national_example()
    year = fo.AllocationYear(2027, example.units, example.parameters).preliminary().final()
    applying = example.units.index[:2]
    year = year.surplus(pd.Series(1 * MKR, index=applying))
    spring = year.round("surplus").table
    assert (spring["difference_from_entitled"] == spring["amount"] - spring["entitled"]).all()
    folder = year.save(tmp_path / "year")
    loaded = fo.AllocationYear.load(folder)
    pd.testing.assert_series_equal(loaded.entitled, year.entitled, check_dtype=False)
    sheet = openpyxl.load_workbook(folder / "3_surplus.xlsx").worksheets[0]
    headers = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    assert "Berättigad till (kr)" in headers and "Skillnad mot berättigad (kr)" in headers


@pytest.mark.parametrize("units", [_example_1(), _example_2()])
def test_the_difference_is_the_budget_part_plus_the_rule(units):
    final = _final(units, budget=12 * MKR).table
    rule = final["amount"] - final["entitled"] - final["difference_from_budget"]
    at_ideal = final["binding"].isin(["ideal", "new"])
    assert (rule[at_ideal] == 0).all()
