"""Planning letters: the sources' planning cases, in Swedish and English, as HTML and xlsx."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import finsam_opt as fo


@pytest.fixture(scope="module")
def forecast() -> fo.Forecast:
    units = fo.example_units()
    units["municipal_match"] = [9e6, 5e6, 1.25e6, 3e6, 3e6]  # C is held at its matching cap
    units["regional_match"] = [9e6, 5e6, 2e6, 3e6, 3e6]
    return fo.forecast(
        units,
        fo.Parameters(budget=21_000_000),
        years=4,
        scenarios=200,
        first_year=2027,
        seed=5,
        support=fo.Drift(0.0, 0.03),
        matching=fo.Drift(0.05),
    )


def test_each_förbund_gets_the_planning_case_the_sources_give_it(forecast) -> None:
    reasons = forecast.bands.query("year == 2027").set_index("unit")["reason"]
    assert reasons.to_dict() == {
        "A": "ideal", "B": "floor", "C": "matching", "D": "ideal", "E": "floor"
    }  # fmt: skip
    floor = fo.planning_letter(forecast, "B")
    assert "10 procents spärren slagit in" in floor.paragraphs[0]
    assert "Minskningen ska maximalt vara på 10 % per år" in floor.paragraphs[0]
    assert "når sin idealfördelning troligen år" in floor.paragraphs[1]
    matching = fo.planning_letter(forecast, "C")
    assert "signalerar att de kan matcha med ett högre belopp" in matching.paragraphs[0]
    ideal = fo.planning_letter(forecast, "A")
    assert "i ungefär samma storlek" in ideal.paragraphs[0]
    assert all("Förändringar i invånarantal" in x.paragraphs[-1] for x in (floor, matching))


def test_a_letters_numbers_are_the_forecasts(forecast) -> None:
    letter = fo.planning_letter(forecast, "B")
    bands = forecast.bands.query("unit == 'B'")
    assert letter.table["median"].tolist() == bands["median"].tolist()
    first = bands.iloc[0]
    assert f"{first['median'] / 1e6:.2f}".replace(".", ",") + " Mkr år 2027" in letter.paragraphs[0]
    year = forecast.reached_ideal.loc["B", "median_year"]
    assert f"år {year:.0f}" in letter.paragraphs[1]


def test_an_english_letter_has_no_swedish_case_text(forecast) -> None:
    letter = fo.planning_letter(forecast, "B", lang="en")
    assert letter.title == "Planning letter for B, 2027–2030"
    assert "because the 10 % limit applied" in letter.paragraphs[0]
    assert "spärr" not in " ".join(letter.paragraphs)
    assert "the floor (10 % limit)" in letter.table["reason"].tolist()


def test_letters_are_written_as_html_pages_with_a_fan_chart(forecast, tmp_path: Path) -> None:
    paths = fo.write_letters(forecast, tmp_path / "brev")
    assert sorted(p.name for p in paths) == [f"{u}.html" for u in "ABCDE"]
    page = (tmp_path / "brev" / "B.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="sv">' in page
    assert "data:image/png;base64," in page and "Planeringsbrev för B" in page
    assert "http" not in page  # nothing to fetch


def test_the_forecast_workbook_has_the_bands_and_a_letter_sheet_each(forecast, tmp_path) -> None:
    path = fo.write_forecast(forecast, tmp_path / "prognos.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Prognos", "A", "B", "C", "D", "E", "Parametrar"]
    rows = list(book["Prognos"].iter_rows(values_only=True))
    header = rows[0]
    assert header[:5] == ("Förbund", "År", "Låg (10 %)", "Median", "Hög (90 %)")
    bands = forecast.bands
    assert [r[3] for r in rows[1 : len(bands) + 1]] == [round(m) for m in bands["median"]]
    letter = [r[0] for r in book["B"].iter_rows(values_only=True)]
    assert letter[1] == "Planeringsbrev för B, 2027–2030"
    assert letter[2] == fo.planning_letter(forecast, "B").paragraphs[0]


def test_long_names_get_short_distinct_sheet_names(tmp_path: Path) -> None:
    units = fo.example_units().rename(
        index={"A": "Samordningsförbundet " + "X" * 40, "B": "Samordningsförbundet " + "X" * 41}
    )
    f = fo.forecast(units, fo.Parameters(budget=20_000_000), years=2, scenarios=2)
    book = openpyxl.load_workbook(fo.write_forecast(f, tmp_path / "p.xlsx"))
    names = book.sheetnames[1:3]
    assert names == ["X" * 31, "X" * 27 + " (2)"]


def test_a_letter_for_an_unknown_förbund_is_an_input_error(forecast) -> None:
    with pytest.raises(fo.InputError, match="unit 'Z' is not in this forecast"):
        fo.planning_letter(forecast, "Z")
    with pytest.raises(fo.InputError, match=r"is written as \.xlsx"):
        fo.write_forecast(forecast, "prognos.csv")


def test_the_fan_chart_draws_a_band_and_the_median(forecast) -> None:
    figure = fo.plot_forecast(forecast, ["B", "C"], lang="en")
    assert [ax.get_title() for ax in figure.axes] == ["B", "C"]
    assert len(figure.axes[0].collections) == 1  # the 10-90 % band
    median = figure.axes[0].lines[0].get_ydata()
    expected = forecast.bands.query("unit == 'B'")["median"] / 1e6
    assert list(median) == pytest.approx(expected.tolist())
    with pytest.raises(fo.InputError, match="unit 'Z'"):
        fo.plot_forecast(forecast, ["Z"])
    assert isinstance(forecast.bands, pd.DataFrame)


def test_a_förbund_that_never_reaches_its_ideal_is_told_so_in_a_sentence() -> None:
    """Before: "Förbundet når sin idealfördelning troligen år inte inom perioden (i 0 % …)"."""
    f = fo.forecast(fo.example_units(), fo.Parameters(budget=20_000_000), years=2, scenarios=5,
                    first_year=2027)  # fmt: skip
    assert np.isnan(f.reached_ideal.loc["B", "median_year"])  # held by the limit to the end
    sv = fo.planning_letter(f, "B").paragraphs
    never = "Förbundet når inte sin idealfördelning till år 2028 i någon av prognosens framtider."
    assert never in sv
    assert not any("år inte inom perioden" in p for p in sv)
    en = fo.planning_letter(f, "B", lang="en").paragraphs
    assert "It does not reach its ideal by 2028 in any of the forecast's futures." in en
