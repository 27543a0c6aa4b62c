"""Decision tables and answer templates: round-trips to the krona, safety."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import finsam_opt as fo
from finsam_opt.errors import InputError
from finsam_opt.io import (
    DECISION_HEADERS,
    merge_answers,
    read_answers,
    read_decision_table,
    read_units,
    write_decision_table,
    write_redistribution,
    write_templates,
)
from finsam_opt.io.columns import normalize_header


@pytest.fixture(scope="module")
def national() -> tuple[fo.NationalExample, fo.Allocation]:
    example = fo.national_example()
    return example, fo.allocate(example.units, example.parameters)


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_decision_table_round_trip(national, tmp_path: Path, language: str, suffix: str) -> None:
    example, result = national
    files = write_decision_table(
        result, tmp_path / f"beslut{suffix}", language=language, units=example.units
    )
    back = read_decision_table(files[0])
    assert sorted(back.index) == sorted(result.table.index)
    table = result.table.loc[back.index]
    assert back["allocation_rounded"].astype(np.int64).tolist() == (
        table["allocation_rounded"].tolist()
    )
    # Cells hold what they show: exact amounts to the öre, other amounts in whole kronor.
    np.testing.assert_allclose(back["allocation"], table["allocation"], rtol=0, atol=0.005)
    np.testing.assert_allclose(back["allocation_tkr"] * 1000, table["allocation_rounded"])
    np.testing.assert_allclose(back["ideal"], table["ideal"], rtol=0, atol=0.5)
    assert back["new"].tolist() == table["new"].tolist()
    assert back["binding"].tolist() == table["binding"].tolist()
    assert np.isinf(back["cap"]).tolist() == np.isinf(table["cap"]).tolist()
    assert back["region"].tolist() == example.units["region"].loc[back.index].tolist()


def test_xlsx_has_totals_and_parameters(national, tmp_path: Path) -> None:
    _, result = national
    write_decision_table(result, tmp_path / "b.xlsx")
    book = openpyxl.load_workbook(tmp_path / "b.xlsx")
    assert book.sheetnames == ["Beslutsunderlag", "Parametrar"]
    rows = list(book["Beslutsunderlag"].values)
    header, last = rows[0], rows[-1]
    assert last[0] == "Totalt"
    assert last[header.index("Tilldelning (kr)")] == result.rounded_total
    parameters = dict(book["Parametrar"].values)
    assert parameters["Budget (kr)"] == 339_000_000
    assert parameters["Scenario"] == "överskott"
    assert parameters["Effektiv spärr"] == pytest.approx(0.10)


def test_csv_writes_parameter_file(national, tmp_path: Path) -> None:
    _, result = national
    files = write_decision_table(result, tmp_path / "b.csv", language="en")
    assert [f.name for f in files] == ["b.csv", "b_parameters.csv"]
    assert "Budget (kr),339000000" in files[1].read_text(encoding="utf-8-sig")


def test_formula_injection_neutralised(tmp_path: Path) -> None:
    names = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "Vanligt"]
    units = pd.DataFrame(
        {"population": [1.0] * 5, "support_measure": [1.0] * 5}, index=pd.Index(names)
    )
    result = fo.allocate(units, fo.Parameters(budget=5_000_000))
    write_decision_table(result, tmp_path / "b.xlsx")
    files = write_decision_table(result, tmp_path / "b.csv")
    sheet = openpyxl.load_workbook(tmp_path / "b.xlsx")["Beslutsunderlag"]
    cells = [sheet.cell(row, 1) for row in range(2, 7)]
    assert all(c.data_type == "s" for c in cells)
    assert [c.value for c in cells] == sorted(names, key=str.casefold)
    assert cells[0].quotePrefix
    text = files[0].read_text(encoding="utf-8-sig")
    assert "\n'=HYPERLINK" in text.replace('"', "")
    assert "\n'+1;" in text and "\n'@SUM" in text
    for path in (tmp_path / "b.xlsx", files[0]):
        assert sorted(read_decision_table(path).index) == sorted(names)


def test_write_is_all_or_nothing(national, tmp_path: Path) -> None:
    _, result = national
    with pytest.raises(InputError, match=r"folder .* does not exist"):
        write_decision_table(result, tmp_path / "missing" / "b.xlsx")
    with pytest.raises(InputError, match=r"written as \.xlsx or \.csv"):
        write_decision_table(result, tmp_path / "b.ods")
    assert list(tmp_path.iterdir()) == []


def test_templates_round_trip_per_unit(national, tmp_path: Path) -> None:
    example, result = national
    units = example.units
    files = write_templates(units, tmp_path, preliminary=result.table["ideal"])
    assert len(files) == len(units)
    for path in files:  # every förbund fills in its three amounts
        book = openpyxl.load_workbook(path)
        sheet = book["Svar"]
        unit = units.loc[sheet["A2"].value]
        sheet["E2"], sheet["F2"], sheet["G2"] = (
            float(unit[c]) for c in ("requested", "municipal_match", "regional_match")
        )
        book.save(path)
    answers = read_answers(tmp_path, units=units.index)
    assert sorted(answers.index) == sorted(units.index)
    merged = merge_answers(units.drop(columns=["requested"]), answers)
    for column in ("requested", "municipal_match", "regional_match"):
        assert merged.units[column].equals(units[column].astype(float))
    assert merged.unanswered == ()


def test_filled_in_template_is_read_and_merged(tmp_path: Path) -> None:
    units = pd.DataFrame(
        {"population": [10.0, 20.0], "support_measure": [5.0, 5.0], "region": ["X", "X"]},
        index=pd.Index(["A", "B"], name="unit"),
    )
    (path,) = write_templates(units, tmp_path, combined=True)
    book = openpyxl.load_workbook(path)
    sheet = book["Svar"]
    sheet["E2"], sheet["F2"], sheet["G2"], sheet["H2"] = "2 700 tkr", "1,5 Mkr", 1_400_000, "ok"
    book.save(path)
    answers = read_answers(path)
    assert answers.loc["A", ["requested", "municipal_match", "regional_match"]].tolist() == [
        2_700_000.0, 1_500_000.0, 1_400_000.0,
    ]  # fmt: skip
    merged = merge_answers(units, answers)
    assert merged.units.loc["A", "requested"] == 2_700_000
    assert np.isnan(merged.units.loc["B", "requested"])
    assert merged.answered == ("A",) and merged.unanswered == ("B",)  # B's row left blank
    assert "requested" not in units.columns  # not mutated


def test_answer_errors(tmp_path: Path) -> None:
    units = pd.DataFrame({"population": [1.0], "support_measure": [1.0]}, index=["A"])
    (path,) = write_templates(units, tmp_path)
    book = openpyxl.load_workbook(path)
    book["Svar"]["E2"] = 5
    book.save(path)
    (tmp_path / "svarsmall_copy.csv").write_text("Förbund;Ansökt belopp\nA;5\n")
    with pytest.raises(InputError, match=r"svarsmall_copy.csv: unit 'A' is answered twice"):
        read_answers(tmp_path)
    (tmp_path / "svarsmall_copy.csv").write_text("Förbund;Ansökt belopp\nQ;5\n")
    with pytest.raises(InputError, match=r"answer for unit 'Q', which is not in the unit"):
        read_answers(tmp_path, units=["A"])
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="no answer files"):
        read_answers(empty)


def test_decision_table_can_be_read_as_units(national, tmp_path: Path) -> None:
    _, result = national
    write_decision_table(result, tmp_path / "b.csv")
    units = read_units(tmp_path / "b.csv")
    assert sorted(units.index) == sorted(result.table.index)
    expected = result.table["support_measure"].loc[units.index]
    np.testing.assert_allclose(units["support_measure"], expected, rtol=0, atol=0.5)


@pytest.mark.parametrize("language", [0, 1])
def test_decision_headers_are_unique(language: int) -> None:
    headers = [normalize_header(names[language]) for names in DECISION_HEADERS.values()]
    assert len(headers) == len(set(headers))  # a header read back means one column


@pytest.mark.parametrize(("language", "suffix"), [("sv", ".xlsx"), ("en", ".csv")])
def test_surplus_table_round_trip(national, tmp_path: Path, language: str, suffix: str) -> None:
    example, result = national
    applying = example.units.index[[0, 10, 20]]
    extra = fo.redistribute(
        pd.Series([9e6, 5e6, 3e6], index=applying),
        result,
        example.parameters,
        policy="by-key",
        units=example.units,
    )
    files = write_redistribution(
        extra, tmp_path / f"ofordelade{suffix}", language=language, units=example.units
    )
    back = read_decision_table(files[0])
    assert sorted(back.index) == sorted(extra.table.index)
    table = extra.table.loc[back.index]
    assert back["granted_rounded"].astype(np.int64).tolist() == table["granted_rounded"].tolist()
    np.testing.assert_allclose(back["granted"], table["granted"], rtol=0, atol=0.005)
    assert back["binding"].tolist() == table["binding"].tolist()
    assert back["region"].tolist() == example.units["region"].loc[back.index].tolist()
    assert np.isinf(back["matching_cap"]).all()  # no extra matching given: "ingen gräns"
    if suffix == ".csv":
        assert "Policy,by-key" in files[1].read_text(encoding="utf-8-sig")
    else:
        assert openpyxl.load_workbook(files[0]).sheetnames == ["Ofördelade medel", "Parametrar"]


@pytest.mark.parametrize(
    ("rule", "swedish"),
    [("error", "fel: beräknas inte"), ("previous", "föregående års tilldelning / 2"),
     ("no-limit", "ingen gräns")],
)  # fmt: skip
def test_parameters_sheet_names_the_unanswered_rule_in_swedish(
    tmp_path: Path, rule: str, swedish: str
) -> None:
    """The rule for a blank contribution (MODEL.md §4a) is recorded with the decision, in
    Swedish words on a Swedish sheet and as its code on an English one."""
    units = fo.example_units()
    if rule != "error":
        units.loc["B", "regional_match"] = np.nan  # B's region has not answered
    result = fo.allocate(units, fo.Parameters(budget=20e6, unanswered=rule))
    write_decision_table(result, tmp_path / "b.xlsx")
    parameters = dict(openpyxl.load_workbook(tmp_path / "b.xlsx")["Parametrar"].values)
    assert parameters["Obesvarat bidrag tas som"] == swedish
    files = write_decision_table(result, tmp_path / "b.csv", language="en")
    assert f"Unanswered contribution taken as,{rule}" in files[1].read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_decision_table_reads_back_with_the_same_answers(
    tmp_path: Path, language: str, suffix: str
) -> None:
    """MODEL.md §4a: a blank is no answer. Before, a contribution without a limit was
    written as a blank cell, so the decision table read back as units that had not
    answered: allocate refused it (or, with unanswered='previous', capped them)."""
    units = fo.example_units()  # A, B, D and E answered "no limit"
    units.loc["B", "regional_match"] = np.nan  # B's region has not answered
    params = fo.Parameters(budget=20e6, unanswered="previous")
    result = fo.allocate(units, params)
    path = tmp_path / f"b{suffix}"
    write_decision_table(result, path, language=language)
    back = read_units(path)
    for party in ("municipal_match", "regional_match"):
        pd.testing.assert_series_equal(
            back[party].astype(float), units[party].astype(float), check_names=False
        )
    again = fo.allocate(back, params)
    assert again.rounded.tolist() == result.rounded.tolist()
    assert again.assumed["unit"].tolist() == ["B"]


def test_a_decision_table_without_collected_matching_has_no_contribution_columns(
    tmp_path: Path,
) -> None:
    units = fo.example_units().drop(columns=["municipal_match", "regional_match"])
    result = fo.allocate(units, fo.Parameters(budget=20e6))
    write_decision_table(result, tmp_path / "b.csv")
    header = (tmp_path / "b.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert "bidrag" not in header
    assert fo.allocate(read_units(tmp_path / "b.csv"), fo.Parameters(budget=20e6)).matching == (
        fo.Matching.NOT_COLLECTED
    )
