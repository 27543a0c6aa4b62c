from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from finsam_opt.errors import InputError
from finsam_opt.io import raw, read_memberships, read_municipalities, read_units
from finsam_opt.io.numbers import parse_number


def test_swedish_csv_with_units_and_totals(tmp_path: Path) -> None:
    path = tmp_path / "förbund.csv"
    path.write_text(
        "Förbund;Invånare 16–64;Försörjningsmått (tkr);Föregående års tilldelning\n"
        "Roslagen;1 234;2 700,5;3,0 Mkr\n"
        "\n"
        "Södertälje;100;5;2 700 tkr\n"
        "Totalt;1 334;2 705,5;5,7 Mkr\n",
        encoding="cp1252",
    )
    units = read_units(path)
    assert units.index.tolist() == ["Roslagen", "Södertälje"]
    assert units.loc["Roslagen"].tolist() == [1234.0, 2_700_500.0, 3_000_000.0]
    assert units.loc["Södertälje", "previous_allocation"] == 2_700_000.0


def test_english_csv(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text("unit,population,support_measure,requested\nA,10,100.5,\nB,20,200,7\n")
    units = read_units(path)
    assert units["support_measure"].tolist() == [100.5, 200.0]
    assert pd.isna(units.loc["A", "requested"])


def test_xlsx_with_title_rows_and_lost_leading_zero(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Kommuner"
    sheet.append(["Statistik 2025"])
    sheet.append([])
    sheet.append(["Kommunkod", "Kommun", "Län", "Invånare 16-64", "Försörjningsmått (kr)"])
    sheet.append([114, "Upplands Väsby", "Stockholms län", 30_000, "1 000 000"])
    sheet.append(["0115", "Vallentuna", "Stockholms län", 20_000.0, 5e5])
    book.save(tmp_path / "k.xlsx")
    municipalities = read_municipalities(tmp_path / "k.xlsx", sheet="Kommuner")
    assert municipalities.index.tolist() == ["0114", "0115"]
    assert municipalities["support_measure"].tolist() == [1_000_000.0, 500_000.0]


def test_memberships_with_year(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("Kommunkod;Förbund;År\n0114;A;2025\n0115;A;\n")
    members = read_memberships(path)
    assert members["municipality_code"].tolist() == ["0114", "0115"]
    assert members["year"].tolist()[0] == 2025


def test_unit_in_cell_wins_over_header(tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_text("Förbund;Invånare 16-64;Försörjningsmått (tkr)\nA;10;100 kr\nB;10;1,5 Mkr\n")
    assert read_units(path)["support_measure"].tolist() == [100.0, 1_500_000.0]


def test_error_row_is_the_excel_row_after_title_rows(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Förbundens uppgifter 2027"])
    sheet.append([])
    sheet.append(["Förbund", "Invånare 16-64", "Försörjningsmått"])
    sheet.append(["A", 10, 100])
    sheet.append([])
    sheet.append(["B", "tio", 100])
    book.save(tmp_path / "u.xlsx")
    with pytest.raises(InputError, match=r"u.xlsx, sheet 'Sheet', row 6, column 'Invånare 16-64'"):
        read_units(tmp_path / "u.xlsx")


def test_too_large_file_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(raw, "MAX_FILE_BYTES", 100)
    path = tmp_path / "big.csv"
    path.write_text("Förbund;Invånare 16-64;Försörjningsmått\n" + "A;1;1\n" * 30, encoding="utf-8")
    with pytest.raises(
        InputError, match=r"big.csv: file is 225 bytes, larger than the limit of 100 bytes"
    ):
        read_units(path)


def test_xlsx_parsing_is_hardened() -> None:
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML  # openpyxl parses through defusedxml


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=99))
def test_swedish_format_round_trip(whole: int, cents: int) -> None:
    """Property: a number written the Swedish way reads back exactly."""
    grouped = f"{whole:,}".replace(",", "\u00a0")
    text = f"{grouped},{cents:02d}"
    value, unit = parse_number(text)
    assert unit is None
    assert value == Decimal(whole) + Decimal(cents) / 100


def test_comma_csv_with_title_line(tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_text("Förbundens uppgifter\nunit,population,support_measure\nA,10,100.5\n")
    assert read_units(path)["support_measure"].tolist() == [100.5]


def test_every_number_problem_has_its_swedish() -> None:
    import ast

    from finsam_opt.io import numbers

    source = ast.parse(Path(numbers.__file__).read_text(encoding="utf-8"))
    raised = [
        node.exc
        for node in ast.walk(source)
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
    ]
    assert len(raised) == 7
    assert all(getattr(call.func, "id", None) == "NumberProblem" for call in raised)
    assert all(len(call.args) == 2 for call in raised)  # English and Swedish
