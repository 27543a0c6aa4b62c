"""The corpus of malformed files: each gives its own specific message, nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from bad_files import BAD_FILES, make_bad_files
from finsam_opt.cli import main
from finsam_opt.errors import InputError
from finsam_opt.io import read_table

KINDS = {
    "units": "units",
    "munis": "municipalities",
    "members": "memberships",
    "answers": "answers",
    "applications": "applications",
}

EXPECTED = {
    "applications_missing_application.csv": "missing required column(s) 'Ansökan ofördelade "
    "medel' (application)",
    "applications_negative_application.csv": "row 3, column 'Ansökan ofördelade medel': "
    "application must be ≥ 0, got '-200 000'",
    "answers_negative_request.csv": "row 2, column 'Ansökt belopp (kr)': requested must be "
    "≥ 0, got '-1'",
    "answers_no_amount_columns.csv": "an answer table needs at least one of the columns",
    "members_bad_year.csv": "row 2, column 'År': a year has four digits (e.g. 2025), got 'twenty'",
    "members_missing_unit.csv": "missing required column(s) 'Förbund' (unit)",
    "munis_bad_code.csv": "row 3, column 'Kommunkod': a municipality code has four digits",
    "munis_duplicate_code.csv": "row 3, column 'Kommunkod': '0114' appears twice (also in row 2)",
    "munis_missing_region.csv": "missing required column(s) 'Region' (region)",
    "units_ambiguous_separators.csv": "row 2, column 'Försörjningsmått': support_measure must be "
    "a number, got '1.234,5' (ambiguous separators",
    "units_csv_sheet_given.csv": "a CSV file has no sheets (asked for sheet 'Nope')",
    "units_date_cell.xlsx": "sheet 'Sheet', row 2, column 'Invånare 16-64': population must be "
    "a number, got '2025-01-01",
    "units_duplicate_column.csv": "row 1: columns 'Invånare 16-64' and 'Population' both mean",
    "units_duplicate_unit.csv": "row 4, column 'Förbund': 'A' appears twice (also in row 2)",
    "units_empty_file.csv": "units_empty_file.csv: the file is empty",
    "units_empty_population.csv": "row 3, column 'Invånare 16-64': population must be given",
    "units_empty_unit_name.csv": "row 3, column 'Förbund': unit must be given, the cell is empty",
    "units_header_only.csv": "the table has a header but no rows",
    "units_missing_population.csv": "missing required column(s) 'Invånare 16-64' (population)",
    "units_missing_sheet.xlsx": "no sheet 'Nope' (the sheets are 'Data')",
    "units_misspelt_column.csv": "unknown column 'Föregånde års tilldelning' (did you mean",
    "units_nan_text.csv": "row 2, column 'Försörjningsmått': support_measure must be a number, "
    "got 'inf'",
    "units_negative_previous.csv": "row 3, column 'Föregående års tilldelning': "
    "previous_allocation must be ≥ 0, got '-5'",
    "units_negative_support.xlsx": "sheet 'Svar', row 3, column 'Försörjningsmått': "
    "support_measure must be ≥ 0, got -3",
    "units_no_header.csv": "no header row found",
    "units_not_a_zip.xlsx": "not a valid .xlsx file (not a zip archive)",
    "units_nul_bytes.csv": "not a text file (contains NUL bytes)",
    "units_old_excel.xls": "the old Excel format .xls is not supported",
    "units_population_header_tkr.csv": "column 'Invånare 16-64 (tkr)': population is not an "
    "amount and cannot be in tkr",
    "units_population_in_kr.csv": "population is a number of inhabitants, not an amount in tkr",
    "units_text_in_number.csv": "row 3, column 'Invånare 16-64': population must be a number, "
    "got 'tio'",
    "units_two_commas.csv": "got '1,234,567' (more than one decimal comma",
    "units_negative_tkr.csv": "row 3, column 'Föregående års tilldelning (tkr)': "
    "previous_allocation must be ≥ 0, got '−2 tkr'",
    "units_wrong_suffix.ods": "unknown file type '.ods'",
    "units_xml_entities.xlsx": "refused: the file contains XML entity or DTD declarations",
    "units_zip_bomb.xlsx": "unpacks to 210,000,000 bytes, more than the limit",
}

SWEDISH = {
    "applications_missing_application.csv": "kolumnen 'Ansökan ofördelade medel' saknas men krävs",
    "applications_negative_application.csv": "rad 3, kolumn 'Ansökan ofördelade medel': måste "
    "vara ≥ 0, inte '-200 000'",
    "answers_negative_request.csv": "rad 2, kolumn 'Ansökt belopp (kr)': måste vara ≥ 0, inte '-1'",
    "answers_no_amount_columns.csv": "en svarstabell behöver minst en av kolumnerna 'Ansökt "
    "belopp', 'Kommunernas bidrag' och 'Regionens bidrag'",
    "members_bad_year.csv": "rad 2, kolumn 'År': ett år har fyra siffror (till exempel 2025), "
    "inte 'twenty'",
    "members_missing_unit.csv": "kolumnen 'Förbund' saknas men krävs",
    "munis_bad_code.csv": "rad 3, kolumn 'Kommunkod': en kommunkod har fyra siffror (till exempel "
    "0114), inte '11A'",
    "munis_duplicate_code.csv": "kolumn 'Kommunkod': '0114' finns två gånger (även på rad 2)",
    "munis_missing_region.csv": "kolumnen 'Region' saknas men krävs",
    "units_ambiguous_separators.csv": "rad 2, kolumn 'Försörjningsmått': måste vara ett tal, inte "
    "'1.234,5' (tvetydiga avgränsare: både ',' och '.' (skriv 1 234,5 eller 1234.5))",
    "units_date_cell.xlsx": "flik 'Sheet', rad 2, kolumn 'Invånare 16-64': måste vara ett tal, "
    "inte '2025-01-01",
    "units_duplicate_column.csv": "rad 1: kolumnerna 'Invånare 16-64' och 'Population' är båda "
    "kolumnen 'Invånare 16-64'; ta bort den ena",
    "units_duplicate_unit.csv": "rad 4, kolumn 'Förbund': 'A' finns två gånger (även på rad 2)",
    "units_empty_file.csv": "units_empty_file.csv: filen är tom",
    "units_empty_population.csv": "rad 3, kolumn 'Invånare 16-64': cellen är tom, men kolumnen "
    "måste vara ifylld på varje rad",
    "units_empty_unit_name.csv": "rad 3, kolumn 'Förbund': cellen är tom, men kolumnen måste vara "
    "ifylld på varje rad",
    "units_header_only.csv": "tabellen har en rubrikrad men inga rader",
    "units_missing_population.csv": "kolumnen 'Invånare 16-64' saknas men krävs",
    "units_misspelt_column.csv": "rad 1: okänd kolumn 'Föregånde års tilldelning' (menade du "
    "'föregående års tilldelning'?)",
    "units_nan_text.csv": "rad 2, kolumn 'Försörjningsmått': måste vara ett tal, inte 'inf' "
    "(inget tal)",
    "units_negative_previous.csv": "rad 3, kolumn 'Föregående års tilldelning': måste vara ≥ 0, "
    "inte '-5'",
    "units_negative_support.xlsx": "flik 'Svar', rad 3, kolumn 'Försörjningsmått': måste vara "
    "≥ 0, inte -3",
    "units_negative_tkr.csv": "rad 3, kolumn 'Föregående års tilldelning (tkr)': måste vara ≥ 0, "
    "inte '−2 tkr'",
    "units_no_header.csv": "ingen rubrikrad bland de 20 första raderna; rubrikraden ska ha "
    "kolumnerna 'Förbund', 'Invånare 16-64' och 'Försörjningsmått'",
    "units_population_header_tkr.csv": "kolumn 'Invånare 16-64 (tkr)': 'Invånare 16-64' är inget "
    "belopp och kan inte anges i tkr",
    "units_population_in_kr.csv": "antalet invånare är inget belopp i tkr; cellen innehåller "
    "'10 tkr'",
    "units_text_in_number.csv": "rad 3, kolumn 'Invånare 16-64': måste vara ett tal, inte 'tio' "
    "(inget tal)",
    "units_two_commas.csv": "inte '1,234,567' (mer än ett decimalkomma",
    "units_csv_sheet_given.csv": "en CSV-fil har inga flikar (fliken 'Nope' angavs)",
    "units_missing_sheet.xlsx": "ingen flik 'Nope' (flikarna heter 'Data')",
    "units_not_a_zip.xlsx": "ingen giltig .xlsx-fil (inget zip-arkiv)",
    "units_nul_bytes.csv": "ingen textfil (innehåller NUL-byte)",
    "units_old_excel.xls": "det gamla Excel-formatet .xls stöds inte; spara filen som "
    "Excel-arbetsbok (.xlsx) eller som 'CSV UTF-8 (kommaavgränsad)'",
    "units_wrong_suffix.ods": "okänd filtyp '.ods'; använd .xlsx eller .csv",
    "units_xml_entities.xlsx": "läses inte: filen innehåller XML-entiteter eller DTD-deklarationer",
    "units_zip_bomb.xlsx": "packas upp till 210 000 000 byte, mer än gränsen på 200 000 000",
}
"""The Swedish message each file gives (``error.text('sv')``, the command line's default)."""


@pytest.fixture(scope="module")
def bad(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus, generated afresh for this module."""
    return make_bad_files(tmp_path_factory.mktemp("bad"))


def test_corpus_is_complete(bad: Path) -> None:
    assert sorted(p.name for p in bad.iterdir()) == sorted(EXPECTED) == sorted(BAD_FILES)
    assert sorted(SWEDISH) == sorted(EXPECTED)
    assert len(EXPECTED) >= 25


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_gives_its_message(name: str, bad: Path) -> None:
    path = bad / name
    before = sorted(bad.iterdir())
    sheet = "Nope" if "sheet" in name else None
    with pytest.raises(InputError) as info:
        read_table(path, KINDS[name.split("_")[0]], sheet)
    message = str(info.value)
    assert message.startswith(name)
    assert EXPECTED[name] in message
    assert "\n" not in message
    swedish = info.value.text("sv")
    assert swedish.startswith(name)
    assert SWEDISH[name] in swedish
    assert sorted(bad.iterdir()) == before


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n.startswith("units_")))
def test_cli_writes_nothing_for_a_bad_file(name: str, bad: Path, tmp_path: Path, capsys) -> None:
    if "sheet" in name:
        argv = ["allocate", str(bad / name), "--sheet", "Nope"]
    else:
        argv = ["allocate", str(bad / name)]
    assert main([*argv, "-o", str(tmp_path / "beslut.xlsx")]) == 2
    assert SWEDISH[name] in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
