"""Growth files: per förbund and year, Swedish or English headers, refused rather than guessed."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import finsam_opt as fo
from finsam_opt.io import read_growth


def _csv(tmp_path: Path, text: str, name: str = "tillväxt.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_swedish_headers_percent_and_decimal_commas(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "Förbund;År;Invånare 16-64;Försörjningsmått;Matchning\n"
        "B;2;1,5 %;-0,05;0\nB;3;0;0;10 %\nC;3;0,01;0;0\n",
    )
    growth = read_growth(path)
    assert growth.population.loc["B"].tolist() == [0.015, 0.0]
    assert growth.support_measure.loc["B", 2] == -0.05
    assert growth.matching.loc["B", 3] == pytest.approx(0.10)
    assert growth.population.loc["C"].isna().tolist() == [True, False]  # not given: no change


def test_an_english_xlsx_is_read_as_the_csv(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["unit", "year", "support_measure"], ["B", 2, 0.1], ["B", 3, -0.05]):
        sheet.append(row)
    book.save(tmp_path / "growth.xlsx")
    growth = read_growth(tmp_path / "growth.xlsx")
    assert growth.support_measure.loc["B"].tolist() == [0.1, -0.05]
    assert growth.population is None and growth.matching is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Förbund;År;Befolkning\nB;2;0,1\n", "unknown column 'Befolkning'"),
        ("Förbund;Försörjningsmått\nB;0,1\n", "the column 'year' is missing"),
        ("Förbund;År\nB;2\n", "no rate column"),
        (
            "Förbund;År;Försörjningsmått\nB;2;\nC;2;0,1\n",
            "data row 1, unit 'B', column "
            "'support_measure': the rate is blank; write 0 for no change",
        ),
        (
            "Förbund;År;Försörjningsmått\nB;2;tio\n",
            "data row 1, unit 'B', column 'support_measure': not a rate",
        ),
        ("Förbund;År;Försörjningsmått\nB;2;-100 %\n", "must be finite and > −100 %"),
        ("Förbund;År;Försörjningsmått\nB;2;5 tkr\n", "a rate has no amount unit"),
        ("Förbund;År;Försörjningsmått\nB;2,5;0\n", "a year is a whole number"),
        ("Förbund;År;Försörjningsmått\nB;2;0\nB;2;0,1\n", "unit 'B', year 2 is given twice"),
    ],
)
def test_a_bad_growth_file_is_refused_naming_row_unit_and_column(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(fo.InputError, match=message):
        read_growth(_csv(tmp_path, text))


def test_simulate_and_forecast_apply_the_file_year_by_year(tmp_path: Path) -> None:
    path = _csv(tmp_path, "Förbund;År;Försörjningsmått\nB;2;50 %\nD;3;-20 %\n")
    growth = read_growth(path)
    units, params = fo.example_units(), fo.Parameters(budget=20_000_000)
    sim = fo.simulate(units, params, years=3, support_growth=growth.support_measure)
    by_hand = fo.simulate(units, params, years=2, support_growth={"B": 0.5}).by_year()
    assert sim.by_year()[2].tolist() == by_hand[2].tolist()
    assert sim.by_year("support_measure").loc["D"].tolist() == [150_000, 150_000, 120_000]
    f = fo.forecast(units, params, years=3, scenarios=2, support=fo.Drift(growth.support_measure))
    for year in (1, 2, 3):
        assert f.amounts(year).loc[1].tolist() == sim.by_year()[year].tolist()


def test_a_history_is_read_as_levels_per_förbund_and_year(tmp_path: Path) -> None:
    path = _csv(tmp_path, "Förbund;2022;2023;2024\nB;100;104;107\nD;50;50;51\n", "historik.csv")
    history = fo.io.read_history(path)
    assert history.columns.tolist() == [2022, 2023, 2024]
    assert history.loc["D"].tolist() == [50, 50, 51]
    drift = fo.Drift.fit(history)
    assert drift.mean.loc["B"] == pytest.approx((0.04 + 3 / 104) / 2)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("År;2022;2023\nB;1;2\n", "the first column must name the förbund"),
        ("Förbund;2022;tjugo\nB;1;2\n", "column 'tjugo' is not a year"),
        ("Förbund;2022;2023\nB;1;2\nB;2;3\n", "unit 'B' is given twice"),
    ],
)
def test_a_bad_history_is_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(fo.InputError, match=message):
        fo.io.read_history(_csv(tmp_path, text, "historik.csv"))


@pytest.mark.parametrize(
    ("text", "swedish"),
    [
        (
            "Förbund;År;Befolkning\nB;2;0,1\n",
            "tillväxt.csv: okänd kolumn 'Befolkning'; en tillväxtfil har kolumnerna 'Förbund', "
            "'År', 'Invånare 16-64', 'Försörjningsmått', 'Matchning'",
        ),
        ("Förbund;Försörjningsmått\nB;0,1\n", "tillväxt.csv: kolumnen 'År' saknas"),
        (
            "Förbund;År;Försörjningsmått\nB;2;\nC;2;0,1\n",
            "tillväxt.csv, datarad 1, förbundet 'B', kolumnen 'Försörjningsmått': "
            "tillväxttakten är tom; skriv 0 för ingen förändring",
        ),
        (
            "Förbund;År;Försörjningsmått\nB;2;tio\n",
            "tillväxt.csv, datarad 1, förbundet 'B', kolumnen 'Försörjningsmått': ingen "
            "tillväxttakt: 'tio' (inget tal); skriv en andel (0,02) eller en procentsats (2 %)",
        ),
        (
            "Förbund;År;Försörjningsmått\nB;2,5;0\n",
            "tillväxt.csv, datarad 1, förbundet 'B', kolumnen 'År': ett år är ett heltal, "
            "inte '2,5'",
        ),
        (
            "Förbund;År;Försörjningsmått\nB;2;0\nB;2;0,1\n",
            "tillväxt.csv: förbundet 'B', år 2 finns två gånger",
        ),
    ],
)
def test_a_bad_growth_file_is_refused_in_swedish(tmp_path: Path, text: str, swedish: str) -> None:
    with pytest.raises(fo.InputError) as info:
        read_growth(_csv(tmp_path, text))
    assert info.value.text("sv") == swedish
