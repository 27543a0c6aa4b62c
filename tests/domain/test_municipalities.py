import numpy as np
import pandas as pd
import pytest

import finsam_opt as fo
from finsam_opt.domain.municipalities import members_in_year
from finsam_opt.errors import InputError


@pytest.fixture
def kommuner() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "municipality_name": ["Upplands Väsby", "Vallentuna", "Österåker", "Enköping"],
            "region": ["Stockholms län"] * 3 + ["Uppsala län"],
            "population": [30_000.0, 20_000.0, 25_000.0, 28_000.0],
            "support_measure": [3e8, 1e8, 2e8, 2.5e8],
        },
        index=pd.Index(["0114", "0115", "0117", "0381"], name="municipality_code"),
    )


def members(*pairs: tuple[str, str], year: int | None = None) -> pd.DataFrame:
    frame = pd.DataFrame(pairs, columns=["municipality_code", "unit"])
    if year is not None:
        frame["year"] = year
    return frame


def test_sums_and_outside(kommuner: pd.DataFrame) -> None:
    result = fo.aggregate_municipalities(
        kommuner, members(("0114", "A"), ("0115", "A"), ("0381", "B"))
    )
    assert result.units.loc["A", "population"] == 50_000
    assert result.units.loc["A", "support_measure"] == 4e8
    assert result.units.loc["B", "region"] == "Uppsala län"
    assert result.outside.index.tolist() == ["0117"]
    assert result.membership["0381"] == "B"


def test_municipality_in_two_units(kommuner: pd.DataFrame) -> None:
    with pytest.raises(
        InputError,
        match=r"municipality 0114 \(Upplands Väsby\) is in more "
        r"than one unit: 'A' and 'B'",
    ):
        fo.aggregate_municipalities(kommuner, members(("0114", "A"), ("0114", "B")))


def test_code_not_in_statistics(kommuner: pd.DataFrame) -> None:
    with pytest.raises(InputError, match=r"municipality code 9999 \(unit 'A'\) is not in"):
        fo.aggregate_municipalities(kommuner, members(("0114", "A"), ("9999", "A")))


def test_unit_spanning_two_regions(kommuner: pd.DataFrame) -> None:
    with pytest.raises(
        InputError,
        match=r"unit 'A' spans more than one region: 'Stockholms län' \(0114\) and "
        r"'Uppsala län' \(0381\); a förbund has exactly one region",
    ):
        fo.aggregate_municipalities(kommuner, members(("0114", "A"), ("0381", "A")))


def test_unit_without_municipalities(kommuner: pd.DataFrame) -> None:
    data = pd.DataFrame({"previous_allocation": [1e6, 2e6]}, index=["A", "Z"])
    with pytest.raises(InputError, match=r"unit 'Z' in the unit data has no municipalities"):
        fo.aggregate_municipalities(kommuner, members(("0114", "A")), unit_data=data)


def test_unit_data_joined_and_new_units_have_no_previous(kommuner: pd.DataFrame) -> None:
    data = pd.DataFrame({"previous_allocation": [1e6]}, index=["A"])
    result = fo.aggregate_municipalities(
        kommuner, members(("0114", "A"), ("0117", "N")), unit_data=data
    )
    assert result.units.loc["A", "previous_allocation"] == 1e6
    assert np.isnan(result.units.loc["N", "previous_allocation"])


def test_memberships_per_year(kommuner: pd.DataFrame) -> None:
    table = pd.concat(
        [
            members(("0114", "A"), year=2024),
            members(("0114", "A"), ("0115", "A"), year=2025),  # Vallentuna joins in 2025
        ]
    )
    assert members_in_year(table, 2024)["municipality_code"].tolist() == ["0114"]
    result = fo.aggregate_municipalities(kommuner, table, year=2025)
    assert result.units.loc["A", "municipalities"] == 2
    with pytest.raises(InputError, match=r"has years \[2024, 2025\]; say which year"):
        fo.aggregate_municipalities(kommuner, table)
    with pytest.raises(InputError, match="no rows for the year 2030"):
        fo.aggregate_municipalities(kommuner, table, year=2030)


def test_merger_new_unit_and_rename() -> None:
    last = pd.Series({"A": 3e6, "B": 2e6, "C": 1e6, "E": 4e6})
    previous = fo.previous_allocations(
        last, ["AB", "C", "D", "E2"], {"AB": ["A", "B"], "E2": ["E"]}
    )
    assert previous.tolist()[:2] == [5e6, 1e6]
    assert np.isnan(previous["D"])
    assert previous["E2"] == 4e6


def test_merged_unit_gets_one_base_amount_and_summed_floor() -> None:
    units = pd.DataFrame(
        {
            "population": [60_000.0, 40_000.0],
            "support_measure": [6e8, 4e8],
            "previous_allocation": [5e6, 5e6],
        },
        index=["AB", "C"],
    )
    result = fo.allocate(units, fo.Parameters(budget=10_000_000))
    assert result.table.loc["AB", "floor"] == pytest.approx(4.5e6)


def test_predecessor_errors() -> None:
    last = pd.Series({"A": 3e6})
    with pytest.raises(InputError, match="predecessor 'Q' had no allocation last year"):
        fo.previous_allocations(last, ["X"], {"X": ["Q"]})
    with pytest.raises(InputError, match="predecessor of both 'X' and 'Y'"):
        fo.previous_allocations(last, ["X", "Y"], {"X": ["A"], "Y": ["A"]})


def test_repeated_membership_counts_once(kommuner: pd.DataFrame) -> None:
    table = pd.concat([members(("0114", "A")), members(("0114", "A"), year=2025)])
    result = fo.aggregate_municipalities(kommuner, table, year=2025)
    assert result.units.loc["A", "population"] == 30_000
