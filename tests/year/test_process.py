"""The yearly process object: rounds, changes between rounds, save and load."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import finsam_opt as fo
from finsam_opt.errors import InputError


@pytest.fixture(scope="module")
def example() -> fo.NationalExample:
    return fo.national_example()


def june_units(example: fo.NationalExample) -> pd.DataFrame:
    """The June table: statistics and last year's allocation, no answers yet."""
    return example.units.drop(columns=["requested", "municipal_match", "regional_match"])


def test_rounds_and_changes(example: fo.NationalExample) -> None:
    year = fo.AllocationYear(2027, june_units(example), example.parameters).preliminary()
    june = year.round("preliminary").table
    assert june["amount"].sum() == 339_000_000
    np.testing.assert_allclose(
        june["change_from_previous_round"],
        june["amount"] - example.units["previous_allocation"],
    )
    answers = example.units[["requested", "municipal_match", "regional_match"]]
    year = year.second_preliminary(answers).final(budget=335_000_000)
    september = year.round("second_preliminary").table
    final = year.round("final").table
    assert (september["previous_round"] == june["amount"]).all()
    assert (final["change_from_previous_round"] == final["amount"] - september["amount"]).all()
    assert year.round("final").parameters.budget == 335_000_000
    assert year.parameters.budget == 339_000_000  # the year's inputs are unchanged
    assert "requested" in year.round("final").units.columns  # answers carried to final


def test_save_and_load(example: fo.NationalExample, tmp_path: Path) -> None:
    year = fo.AllocationYear(2027, example.units, example.parameters).preliminary()
    year.save(tmp_path / "2027")  # June: close the laptop
    loaded = fo.AllocationYear.load(tmp_path / "2027").second_preliminary()
    assert [r.name for r in loaded.rounds] == ["preliminary", "second_preliminary"]
    direct = fo.AllocationYear(2027, example.units, example.parameters)
    direct = direct.preliminary().second_preliminary()
    pd.testing.assert_series_equal(
        loaded.round("second_preliminary").table["amount"],
        direct.round("second_preliminary").table["amount"],
        check_dtype=False,
    )
    loaded.save(tmp_path / "2027")
    again = fo.AllocationYear.load(tmp_path / "2027")
    assert again.round("second_preliminary").summary["scenario"] == "surplus"
    assert (tmp_path / "2027" / "process.json").read_text().count('"name"') == 2
    assert (tmp_path / "2027" / "2_second_preliminary.xlsx").is_file()


def test_rerunning_a_round_drops_later_rounds(example: fo.NationalExample) -> None:
    year = fo.AllocationYear(2027, example.units, example.parameters)
    year = year.preliminary().second_preliminary().final().second_preliminary()
    assert [r.name for r in year.rounds] == ["preliminary", "second_preliminary"]


def test_errors(tmp_path: Path, example: fo.NationalExample) -> None:
    year = fo.AllocationYear(2027, example.units, example.parameters)
    with pytest.raises(InputError, match=r"round 'final' has not been run \(done: none\)"):
        year.round("final")
    with pytest.raises(InputError, match="not a saved allocation year"):
        fo.AllocationYear.load(tmp_path)


def spring_applications(example: fo.NationalExample) -> pd.DataFrame:
    """Five units apply for 4 Mkr each, matched 25/25, more than the leftover of ~14 Mkr."""
    applying = example.units.index[:5]
    return pd.DataFrame(
        {"application": 4e6, "municipal_extra": 2e6, "regional_extra": 2e6}, index=applying
    )


def test_surplus_round_redistributes_the_final_leftover(example: fo.NationalExample) -> None:
    year = fo.AllocationYear(2027, example.units, example.parameters).final()
    final = year.round("final")
    applications = spring_applications(example)
    giver = example.units.index[-1]  # hands 250 000 kr back; it does not apply
    year = year.surplus(applications, returned={giver: 250_000}, policy="proportional")
    spring = year.round("surplus")

    direct = fo.allocate(example.units, example.parameters)
    extra = fo.redistribute(
        applications["application"],
        direct,
        example.parameters,
        policy="proportional",
        units=example.units,
        returned={giver: 250_000},
        municipal_extra=applications["municipal_extra"],
        regional_extra=applications["regional_extra"],
    )
    assert spring.summary["available"] == pytest.approx(direct.unallocated + 250_000)
    assert spring.summary["available"] < applications["application"].sum()  # rationed
    assert (spring.table["granted_rounded"] == extra.table["granted_rounded"]).all()
    handed_back = extra.table["returned"]
    assert handed_back[giver] == 250_000 and handed_back.sum() == 250_000
    change = extra.table["granted_rounded"] - handed_back
    assert (spring.table["amount"] == final.table["amount"] + change).all()
    assert (spring.table["change_from_previous_round"] == change).all()
    assert spring.table["amount"].sum() + spring.summary["unallocated"] == 339_000_000
    assert [r.name for r in year.rounds] == ["final", "surplus"]
    assert list(fo.ROUNDS) == ["preliminary", "second_preliminary", "revised", "final", "surplus"]


def test_surplus_round_needs_the_final_round(example: fo.NationalExample) -> None:
    year = fo.AllocationYear(2027, example.units, example.parameters).preliminary()
    with pytest.raises(InputError, match=r"round 'final' has not been run \(done: preliminary\)"):
        year.surplus(spring_applications(example))
    with pytest.raises(InputError, match="needs the column 'application'"):
        year.final().surplus(pd.DataFrame({"requested": [1.0]}, index=["x"]))


def test_surplus_round_and_staircase_survive_save_and_load(
    example: fo.NationalExample, tmp_path: Path
) -> None:
    params = fo.Parameters(budget=339_000_000, staircase=fo.EXAMPLE_STAIRCASE)
    year = fo.AllocationYear(2027, example.units, params).final()
    year = year.surplus(spring_applications(example))  # equity-first: uses the staircase
    year.save(tmp_path / "2027")
    loaded = fo.AllocationYear.load(tmp_path / "2027")
    assert loaded.parameters.staircase == fo.EXAMPLE_STAIRCASE
    assert loaded.round("surplus").parameters.staircase == fo.EXAMPLE_STAIRCASE
    pd.testing.assert_series_equal(
        loaded.round("surplus").table["amount"],
        year.round("surplus").table["amount"],
        check_dtype=False,
    )
    assert loaded.round("surplus").table["binding"].tolist() == (
        year.round("surplus").table["binding"].tolist()
    )
    # Rerunning the final round from the loaded year gives the same amounts: nothing was lost.
    again = loaded.final().round("final").table["amount"]
    assert (again == year.round("final").table["amount"]).all()
