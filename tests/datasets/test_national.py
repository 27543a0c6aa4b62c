"""The shipped national example: real where it says so, every model case present."""

from __future__ import annotations

import finsam_opt as fo


def test_real_municipalities_and_memberships() -> None:
    example = fo.national_example()
    municipalities = example.municipalities
    assert len(municipalities) == 290
    assert municipalities.loc["0180", "municipality_name"] == "Stockholm"
    assert municipalities.loc["2021", "region"] == "Dalarnas län"  # Vansbro
    outside = set(example.outside["municipality_name"])
    assert {"Ekerö", "Järfälla", "Upplands-Bro", "Nykvarn", "Solna", "Lidingö"} <= outside
    assert 15 <= len(outside) <= 30
    members = example.memberships.groupby("unit")["municipality_code"].apply(set)
    assert members["Samordningsförbundet Västra Mälardalen"] == {"1983", "1984", "1960"}
    assert members["Samordningsförbundet Stockholms stad"] == {"0180"}
    assert 70 <= len(example.units) <= 85
    assert example.parameters.budget == 339_000_000


def test_population_is_the_stated_share() -> None:
    import pandas as pd

    from finsam_opt.datasets.national import data_file

    raw = pd.read_csv(data_file("national_municipalities.csv"), dtype={"municipality_code": str})
    assert raw["population_total"].sum() == 10_605_520
    share = raw["population"] / raw["population_total"]
    assert share.between(0.549, 0.631).all()


def test_every_model_case_is_shown() -> None:
    example = fo.national_example()
    result = fo.allocate(example.units, example.parameters)
    counts = result.table["binding"].value_counts()
    assert {"ideal", "cap", "floor", "new"} <= set(counts.index)
    assert str(result.scenario) == "surplus"
    assert result.table["new"].sum() == 4
