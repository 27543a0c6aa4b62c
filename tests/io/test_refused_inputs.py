"""Inputs that used to change money silently and are now refused (docs/data.md)."""

from pathlib import Path

import openpyxl
import pytest

from finsam_opt.errors import InputError
from finsam_opt.io import read_applications, read_units

_HEADER = "Förbund;Region;Invånare 16-64;Försörjningsmått;Föregående års tilldelning\n"
_ROWS = (
    "Samordningsförbundet Alfa;Stockholms län;91196;2519255000;5059672\n"
    "Samordningsförbundet Beta;Stockholms län;65486;1638875000;3851219\n"
)


@pytest.mark.parametrize(
    "label",
    [
        "Summa:",
        "S:a",
        "Summa totalt",
        "Totalsumma",
        "Totalt alla förbund",
        "Summa Stockholms län",
        "SUMMA.",
        "totalt:",
    ],
)
def test_a_totals_row_not_named_exactly_is_refused(tmp_path: Path, label: str) -> None:
    path = tmp_path / "förbund.csv"
    path.write_text(_HEADER + _ROWS + f"{label};Stockholms län;156682;4158130000;8910891\n")
    with pytest.raises(InputError, match=r"förbund\.csv, row 4.*remove the totals row") as info:
        read_units(path)
    assert info.value.text("sv") == (
        f"förbund.csv, rad 4, kolumn 'Förbund': '{label}' ser ut som en summarad eller delsumma, "
        "inte ett förbund; ta bort summaraden (bara en rad som heter exakt 'Totalt', 'Summa', "
        "'Total' eller 'Sum' hoppas över)"
    )


@pytest.mark.parametrize("label", ["Totalt", "Summa", " summa ", "Total"])
def test_a_totals_row_named_exactly_is_still_skipped(tmp_path: Path, label: str) -> None:
    path = tmp_path / "förbund.csv"
    path.write_text(_HEADER + _ROWS + f"{label};;156682;4158130000;8910891\n")
    assert len(read_units(path)) == 2


def test_a_name_that_only_starts_with_the_letters_is_a_unit(tmp_path: Path) -> None:
    path = tmp_path / "förbund.csv"
    path.write_text(_HEADER + _ROWS.replace("Samordningsförbundet Alfa", "Sumpan"))
    assert "Sumpan" in read_units(path).index


@pytest.mark.parametrize(
    "header",
    [
        "Tilldelning 2026",
        "Förra årets tilldelning",
        "Ansökt belopp 2027",
        "Kommunernas insats",
        "Landstingets bidrag",
    ],
)
def test_an_unknown_column_is_refused_with_the_accepted_headers(
    tmp_path: Path, header: str
) -> None:
    path = tmp_path / "förbund.csv"
    path.write_text((_HEADER + _ROWS).replace("Föregående års tilldelning", header))
    with pytest.raises(InputError) as info:
        read_units(path)
    message = str(info.value)
    assert message.startswith(f"förbund.csv, row 1: unknown column '{header}'")
    assert "requested: 'requested', 'ansökt belopp'" in message
    assert "previous_allocation: 'previous_allocation', 'föregående års tilldelning'" in message
    swedish = info.value.text("sv")
    assert swedish.startswith(
        f"förbund.csv, rad 1: okänd kolumn '{header}'; byt rubriken till namnet på "
        "kolumnen den innehåller, eller till 'Kommentar' om den bara är information. "
        "Godkända rubriker för "
        "kolumnerna som inte finns i filen: "
    )
    assert "'Ansökt belopp': 'requested', 'ansökt belopp'" in swedish
    assert "'Föregående års tilldelning': 'previous_allocation', 'föregående års" in swedish


def test_information_columns_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "förbund.csv"
    rows = _ROWS.replace("\n", ";ok;5\n")
    path.write_text(_HEADER.replace("\n", ";Kommentar;Idealfördelning (kr)\n") + rows)
    units = read_units(path)
    assert list(units.columns) == ["region", "population", "support_measure", "previous_allocation"]


def test_the_english_headers_finsam_opt_writes_read_back(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text(
        "Unit,Population 16-64,Support measure (kr),Previous allocation (kr),Requested (kr),"
        "Municipal contribution (kr),Regional contribution (kr),Ideal allocation (kr)\n"
        "A,100,1000000,1000000,1000000,600000,600000,5\n"
    )
    units = read_units(path)
    assert units.loc["A"].to_dict() == {
        "population": 100.0,
        "support_measure": 1e6,
        "previous_allocation": 1e6,
        "requested": 1e6,
        "municipal_match": 6e5,
        "regional_match": 6e5,
    }


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("6,250", "'6,250' is ambiguous"),
        ("150.000", "'150.000' is ambiguous"),
        ("30 80 000", "digits grouped other than in threes"),
        ("2 75 000", "digits grouped other than in threes"),
        ("3080 000kr", "digits grouped other than in threes"),
    ],
)
def test_an_ambiguous_amount_is_refused(tmp_path: Path, cell: str, message: str) -> None:
    path = tmp_path / "förbund.csv"
    path.write_text(_HEADER + _ROWS.replace(";5059672", f";{cell}", 1))
    with pytest.raises(InputError, match=rf"row 2, column 'Föregående års tilldelning'.*{message}"):
        read_units(path)


@pytest.mark.parametrize(
    ("header", "cell", "kronor"),
    [("", "6,250 tkr", 6250.0), (" (tkr)", "6,250", 6250.0), (" (tkr)", "5 059,672", 5059672.0)],
)
def test_three_decimals_in_tkr_are_read(tmp_path: Path, header: str, cell: str, kronor: float):
    path = tmp_path / "förbund.csv"
    rows = _ROWS.replace(";5059672", f";{cell}", 1).replace(";3851219", ";3 851,219 tkr")
    path.write_text(_HEADER.replace("tilldelning", f"tilldelning{header}") + rows)
    assert read_units(path)["previous_allocation"].tolist() == [kronor, 3851219.0]


def test_a_blank_extra_contribution_is_no_answer(tmp_path: Path) -> None:
    path = tmp_path / "ans.csv"
    header = "Förbund;Ansökan ofördelade medel;Kommunernas extra bidrag;Regionens extra bidrag\n"
    path.write_text(header + "Alfa;200 000;100 000;\nBeta;150 000;ingen gräns;ingen gräns\n")
    with pytest.raises(
        InputError, match=r"ans\.csv: unit 'Alfa': column 'Regionens extra bidrag' is empty"
    ) as info:
        read_applications(path)
    assert info.value.text("sv").startswith(
        "ans.csv: förbundet 'Alfa': kolumnen 'Regionens extra bidrag' är tom, och en tom cell är "
        "inget svar, inte 'ingen gräns'"
    )
    path.write_text(header + "Alfa;200 000;100 000;ingen gräns\n")
    assert read_applications(path).loc["Alfa", "regional_extra"] == float("inf")


def _workbook(path: Path) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Förbundstabell 2027"])
    sheet.merge_cells("A1:E1")  # a merged title above the header is fine
    for line in (_HEADER + _ROWS).splitlines():
        sheet.append([int(c) if c.isdigit() else c for c in line.split(";")])
    return book


def test_a_merged_range_in_a_data_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "förbund.xlsx"
    book = _workbook(path)
    book.save(path)
    assert read_units(path).loc["Samordningsförbundet Beta", "previous_allocation"] == 3851219
    book.active["E4"] = None
    book.active.merge_cells("E3:E4")
    book.save(path)
    with pytest.raises(
        InputError, match=r"cells E3:E4, column 'Föregående års tilldelning'.*unmerge"
    ) as info:
        read_units(path)
    assert info.value.text("sv") == (
        "förbund.xlsx, flik 'Sheet', cellerna E3:E4, kolumn 'Föregående års tilldelning': "
        "sammanfogade celler har sitt värde bara i den första cellen, så de andra raderna skulle "
        "läsas som tomma; dela upp de sammanfogade cellerna och skriv värdet på varje rad"
    )


def test_a_percent_formatted_amount_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "förbund.xlsx"
    book = _workbook(path)
    book.active["E3"] = 0.5
    book.active["E3"].number_format = "0%"
    book.save(path)
    with pytest.raises(
        InputError, match=r"row 3, column 'Föregående års tilldelning'.*percentage"
    ) as info:
        read_units(path)
    assert info.value.text("sv").startswith(
        "förbund.xlsx, flik 'Sheet', rad 3, kolumn 'Föregående års tilldelning': cellen är "
        "formaterad som procent (den innehåller 0.5), inte som belopp eller antal"
    )


def test_a_file_in_two_encodings_is_refused_at_the_line(tmp_path: Path) -> None:
    path = tmp_path / "förbund.csv"
    text = _HEADER + _ROWS
    path.write_bytes(
        text.encode("utf-8") + "Epsilön;Gotlands län;35903;710191000;1\n".encode("cp1252")
    )
    with pytest.raises(
        InputError, match=r"förbund\.csv, line 4: not UTF-8, while other lines are"
    ) as info:
        read_units(path)
    assert info.value.text("sv").startswith(
        "förbund.csv, rad 4: inte UTF-8, fast andra rader är det: filen blandar två kodningar"
    )
    assert info.value.text("sv").endswith("spara filen igen som 'CSV UTF-8 (kommaavgränsad)'")
    path.write_bytes((text + "Epsilön;Gotlands län;35903;710191000;2040655\n").encode("cp1252"))
    assert "Epsilön" in read_units(path).index


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("name", ["förbund.txt", "förbund.csv"])
def test_a_utf16_file_is_refused_saying_how_to_save_it(
    tmp_path: Path, encoding: str, name: str
) -> None:
    # Excel's "Unicode text" (Unicode-text, .txt): UTF-16 with a byte order mark, tabs.
    path = tmp_path / name
    path.write_bytes((_HEADER + _ROWS).replace(";", "\t").encode(encoding))
    with pytest.raises(InputError) as info:
        read_units(path)
    message = str(info.value)
    assert message.startswith(f"{name}: the file is UTF-16 (Excel's 'Unicode text')")
    assert "save it as 'CSV UTF-8 (kommaavgränsad)' or as an Excel workbook (.xlsx)" in message


def test_one_nul_byte_is_not_utf16(tmp_path: Path) -> None:
    path = tmp_path / "förbund.csv"
    path.write_bytes((_HEADER + _ROWS).replace("91196", "91\x00196").encode())
    with pytest.raises(InputError, match=r"förbund\.csv: not a text file \(contains NUL bytes\)"):
        read_units(path)


def test_hidden_rows_with_data_are_refused_naming_them(tmp_path: Path) -> None:
    # A row hidden by hand or by a filter is most often one meant to be left out: never guess.
    path = tmp_path / "förbund.xlsx"
    book = _workbook(path)  # title row 1, header row 2, Alfa row 3, Beta row 4
    book.active.append(["Samordningsförbundet Gamma", "Dalarnas län", 33709, 852229000, 2124842])
    book.active.row_dimensions[3].hidden = True
    book.active.row_dimensions[5].hidden = True
    book.active.row_dimensions[9].hidden = True  # hidden and empty: nothing to misread
    book.save(path)
    with pytest.raises(InputError) as info:
        read_units(path)
    message = str(info.value)
    assert message.startswith("förbund.xlsx, sheet 'Sheet': rows 3 and 5 are hidden")
    assert "unhide them" in message and "delete the rows" in message


def test_a_hidden_title_row_above_the_header_is_no_data(tmp_path: Path) -> None:
    path = tmp_path / "förbund.xlsx"
    book = _workbook(path)
    book.active.row_dimensions[1].hidden = True
    book.save(path)
    assert len(read_units(path)) == 2


def test_a_hidden_data_column_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "förbund.xlsx"
    book = _workbook(path)
    book.active.column_dimensions["E"].hidden = True  # the previous allocations: the floors
    book.active["F2"] = "Kommentar"
    book.active["F3"] = "hidden note"
    book.active.column_dimensions["F"].hidden = True  # not read: no harm
    book.save(path)
    with pytest.raises(InputError) as info:
        read_units(path)
    message = str(info.value)
    assert message.startswith(
        "förbund.xlsx, sheet 'Sheet': column E ('Föregående års tilldelning') is hidden"
    )
    assert "unhide it" in message


def test_a_hidden_first_sheet_is_not_read_unless_named(tmp_path: Path) -> None:
    path = tmp_path / "förbund.xlsx"
    book = _workbook(path)
    book.active.title = "Gammal"
    book.active.sheet_state = "hidden"
    shown = book.create_sheet("Förbund")
    for line in (_HEADER + _ROWS).splitlines():
        shown.append(line.split(";"))
    book.save(path)
    with pytest.raises(InputError, match=r"the first sheet, 'Gammal', is hidden.*--sheet"):
        read_units(path)
    assert len(read_units(path, sheet="Förbund")) == 2
    assert len(read_units(path, sheet="Gammal")) == 2  # named: read as asked


def test_the_command_line_names_the_hidden_rows_in_swedish(tmp_path: Path, capsys) -> None:
    from finsam_opt.cli.app import main

    path = tmp_path / "förbund.xlsx"
    book = _workbook(path)
    book.active.row_dimensions[3].hidden = True
    book.active.row_dimensions[4].hidden = True
    book.save(path)
    assert main(["allocate", str(path), "--budget", "15 Mkr", "-o", str(tmp_path / "ut.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "förbund.xlsx, flik 'Sheet': raderna 3 och 4 är dolda" in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "ut.xlsx").exists()
