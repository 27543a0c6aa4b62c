"""Files a Swedish Excel user (or a script) really makes: each is refused with its own message.

The files are generated here rather than stored, so each one says in code what is
wrong with it. Every case is one numbered failure of issue 14 or a rule of MODEL.md §2.
"""

from __future__ import annotations

import os
import re
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from finsam_opt.cli import main
from finsam_opt.domain.units import MAX_TEXT_CHARS
from finsam_opt.errors import InputError
from finsam_opt.io import read_staircase, read_table

HEADER_EN = "unit,population,support_measure,previous_allocation,municipal_match,regional_match\n"
HEADER_SV = "Förbund;Invånare 16-64;Försörjningsmått\n"


def _csv(text: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_bytes(text.encode(encoding))

    return write


def _xlsx(*rows: list[object]) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        book.save(path)

    return write


def _folder(path: Path) -> None:
    path.mkdir()


def _fifo(path: Path) -> None:
    os.mkfifo(path)


ARE_NFD = unicodedata.normalize("NFD", "Åre")

# name -> (how to make it, table kind, the message it must give)
CASES: dict[str, tuple[Callable[[Path], None], str, str]] = {
    # 1. An unquoted decimal comma in a comma-separated file adds a field.
    "ragged_decimal_comma.csv": (
        _csv(HEADER_EN + "Alfa,120000,2100000000,9500000,5,,\nBeta,1,1,1,1,1\n"),
        "units",
        "ragged_decimal_comma.csv, line 2: 7 fields, but the header (line 1) has 6",
    ),
    "ragged_short_row.csv": (
        _csv(HEADER_SV + "A;10;100\nB;10\n"),
        "units",
        "ragged_short_row.csv, line 3: 2 fields, but the header (line 1) has 3",
    ),
    "ragged_after_quoted_newline.csv": (
        _csv('Förbund;Ansökt belopp;Kommentar\nA;100000;"rad ett\nrad två"\nB;100;x;7\n'),
        "answers",
        "line 4: 4 fields, but the header (line 1) has 3",
    ),
    # 2. A formula saved without its computed value (a script wrote the file).
    "formula_without_value.xlsx": (
        _xlsx(
            ["Förbund", "Invånare 16-64", "Försörjningsmått", "Kommunernas bidrag"],
            ["A", 10, 100, 5_000_000],
            ["B", 10, 100, "=D2*2"],
        ),
        "units",
        "formula_without_value.xlsx, sheet 'Sheet', cell D3 (column 'Kommunernas bidrag'): "
        "the formula =D2*2 was saved without its computed value",
    ),
    "formula_without_value_in_name.xlsx": (
        _xlsx(["Förbund", "Invånare 16-64", "Försörjningsmått"], ['=CONCAT("A","B")', 1, 1]),
        "units",
        'cell A2 (column \'Förbund\'): the formula =CONCAT("A","B") was saved without',
    ),
    # 6. Control and invisible characters.
    "control_character.csv": (
        _csv(HEADER_SV + "Alfa\x07;10;100\n"),
        "units",
        "row 2, column 'Förbund': contains the invisible character U+0007",
    ),
    "zero_width_space.csv": (
        _csv(HEADER_SV + "Alfa\u200b;10;100\nAlfa;10;100\n"),
        "units",
        "contains the invisible character U+200B (ZERO WIDTH SPACE) at position 5",
    ),
    "control_character_region.csv": (
        _csv("Kommunkod;Län;Invånare 16-64;Försörjningsmått\n0114;Stock\x1bholm;1;1\n"),
        "municipalities",
        "column 'Län': contains the invisible character U+001B",
    ),
    "tab_in_answer_name.csv": (
        _csv("Förbund;Ansökt belopp\nA\tB;100000\n"),
        "answers",
        "column 'Förbund': contains the invisible character U+0009",
    ),
    # 9. Names: longer than Excel holds; NFC/NFD, case and spaces are the same name.
    "long_name.csv": (
        _csv(HEADER_SV + "A" * 100_000 + ";10;100\n"),
        "units",
        f"row 2, column 'Förbund': 100,000 characters, more than an Excel cell holds "
        f"({MAX_TEXT_CHARS:,})",
    ),
    "nfc_and_nfd.csv": (
        _csv(HEADER_SV + "Åre;10;100\n" + ARE_NFD + ";10;100\n"),
        "units",
        "row 3, column 'Förbund': 'Åre' appears twice (also in row 2)",
    ),
    "case_and_spaces.csv": (
        _csv(
            HEADER_SV + "Samordningsförbundet Ockelbo m.fl.;10;100\n"
            " SAMORDNINGSFÖRBUNDET  OCKELBO M.FL. ;10;100\n"
        ),
        "units",
        "row 3, column 'Förbund': 'SAMORDNINGSFÖRBUNDET OCKELBO M.FL.' appears twice (also in "
        "row 2 as 'Samordningsförbundet Ockelbo m.fl.') (names that differ only in case",
    ),
    "id_number_and_text.xlsx": (
        _xlsx(["Förbund", "Invånare 16-64", "Försörjningsmått"], [1, 10, 100], ["1", 10, 100]),
        "units",
        "row 3, column 'Förbund': '1' appears twice (also in row 2)",
    ),
    "duplicate_application_case.csv": (
        _csv("Förbund;Ansökan ofördelade medel\nUppsala;100000\nuppsala;5\n"),
        "applications",
        "'uppsala' appears twice (also in row 2 as 'Uppsala')",
    ),
    # 8. Amounts beyond exact float sums.
    "amount_1e308.csv": (
        _csv(HEADER_SV + "A;10;1e308\nB;10;1e308\n"),
        "units",
        "row 2, column 'Försörjningsmått': support_measure is '1e308', more than "
        "10,000,000,000,000",
    ),
    "previous_1e15_mkr.csv": (
        _csv(
            "Förbund;Invånare 16-64;Försörjningsmått;Föregående års tilldelning (Mkr)\n"
            "A;10;100;1 000 000 000\n"
        ),
        "units",
        "previous_allocation is '1 000 000 000', more than 10,000,000,000,000",
    ),
    # Issue 13: a population header for another age band than the one declared.
    "age_band_16_65.csv": (
        _csv("Förbund;Invånare 16-65;Försörjningsmått\nA;10;100\n"),
        "units",
        "column 'Invånare 16-65': counts inhabitants aged 16-65, but the age band declared is "
        "16-64 (docs/model.md); declare it to use this column (age_band='16-65', --age-band 16-65)",
    ),
    # Not a file.
    "folder.csv": (_folder, "units", "folder.csv: is a folder, not a file"),
    "fifo.csv": (_fifo, "units", "fifo.csv: is not a regular file (a pipe, socket or device)"),
    "missing.csv": (lambda path: None, "units", "missing.csv: file not found"),
}

SWEDISH = {
    "ragged_decimal_comma.csv": "ragged_decimal_comma.csv, rad 2: 7 fält, men rubrikraden (rad 1) "
    "har 6; värdena skulle hamna i fel kolumner. Ett tal med decimalkomma i en kommaavgränsad "
    "fil måste stå inom citattecken (\"9500000,5\"), eller spara filen med ';' som avgränsare",
    "ragged_short_row.csv": "ragged_short_row.csv, rad 3: 2 fält, men rubrikraden (rad 1) har 3",
    "ragged_after_quoted_newline.csv": "rad 4: 4 fält, men rubrikraden (rad 1) har 3",
    "formula_without_value.xlsx": "formula_without_value.xlsx, flik 'Sheet', cell D3 (kolumn "
    "'Kommunernas bidrag'): formeln =D2*2 sparades utan sitt beräknade värde (filen skrevs av ett "
    "program, den sparades inte i Excel); öppna filen i Excel och spara den, eller skriv värdena "
    "i stället för formler",
    "formula_without_value_in_name.xlsx": "cell A2 (kolumn 'Förbund'): formeln "
    '=CONCAT("A","B") sparades utan',
    "control_character.csv": "rad 2, kolumn 'Förbund': innehåller det osynliga tecknet U+0007",
    "zero_width_space.csv": "innehåller det osynliga tecknet U+200B (ZERO WIDTH SPACE) på plats 5",
    "control_character_region.csv": "kolumn 'Län': innehåller det osynliga tecknet U+001B",
    "tab_in_answer_name.csv": "kolumn 'Förbund': innehåller det osynliga tecknet U+0009",
    "long_name.csv": "rad 2, kolumn 'Förbund': 100 000 tecken, fler än en cell i Excel rymmer "
    "(32 767)",
    "nfc_and_nfd.csv": "rad 3, kolumn 'Förbund': 'Åre' finns två gånger (även på rad 2)",
    "case_and_spaces.csv": "rad 3, kolumn 'Förbund': 'SAMORDNINGSFÖRBUNDET OCKELBO M.FL.' finns "
    "två gånger (även på rad 2 som 'Samordningsförbundet Ockelbo m.fl.') (namn som bara skiljer "
    "sig i stora och små bokstäver, mellanslag eller Unicode-form)",
    "id_number_and_text.xlsx": "flik 'Sheet', rad 3, kolumn 'Förbund': '1' finns två gånger "
    "(även på rad 2)",
    "duplicate_application_case.csv": "'uppsala' finns två gånger (även på rad 2 som 'Uppsala')",
    "amount_1e308.csv": "rad 2, kolumn 'Försörjningsmått': '1e308' är mer än 10 000 000 000 000, "
    "det största belopp eller antal som räknas exakt på öret; kontrollera enheten",
    "previous_1e15_mkr.csv": "kolumn 'Föregående års tilldelning (Mkr)': '1 000 000 000' är mer "
    "än 10 000 000 000 000",
    "age_band_16_65.csv": "rad 1, kolumn 'Invånare 16-65': räknar invånare i åldern 16-65, men det "
    "angivna åldersintervallet är 16-64 (docs/model.md); ange 16-65 för att använda kolumnen "
    "(age_band='16-65', --age-band 16-65)",
    "folder.csv": "folder.csv: är en mapp, inte en fil; ange sökvägen till en .xlsx- eller",
    "fifo.csv": "fifo.csv: är ingen vanlig fil (utan en pipe, en socket eller en enhet)",
    "missing.csv": "missing.csv: filen finns inte",
}
"""The Swedish message each file gives (``error.text('sv')``, the command line's default)."""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for name, (make, _, _) in CASES.items():
        make(folder / name)
    return folder


def test_every_file_has_its_swedish_message() -> None:
    assert sorted(SWEDISH) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file_gives_its_message(name: str, corpus: Path) -> None:
    _, kind, expected = CASES[name]
    with pytest.raises(InputError) as info:
        read_table(corpus / name, kind)
    message = str(info.value)
    assert message.startswith(name)
    assert expected in message
    assert "\n" not in message
    assert SWEDISH[name] in info.value.text("sv")


@pytest.mark.parametrize("name", sorted(n for n, case in CASES.items() if case[1] == "units"))
def test_cli_refuses_hostile_file_and_writes_nothing(
    name: str, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["allocate", str(corpus / name), "-o", str(tmp_path / "beslut.xlsx")]) == 2
    assert SWEDISH[name] in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_device_is_not_read(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"zero: is not a regular file"):
        read_table("/dev/zero", "units")


def test_lost_leading_zero_restored_in_csv(tmp_path: Path) -> None:
    path = tmp_path / "k.csv"
    path.write_text("Kommunkod;Län;Invånare 16-64;Försörjningsmått\n114;AB;1;1\n0115;AB;1;1\n")
    assert read_table(path, "municipalities").index.tolist() == ["0114", "0115"]
    members = tmp_path / "m.csv"
    members.write_text("Kommunkod;Förbund\n114;A\n")
    assert read_table(members, "memberships")["municipality_code"].tolist() == ["0114"]


@pytest.mark.parametrize("code", ["11", "1", "11145", "0114.5"])
def test_codes_that_are_not_a_lost_zero_are_refused(code: str, tmp_path: Path) -> None:
    path = tmp_path / "k.csv"
    path.write_text(f"Kommunkod;Län;Invånare 16-64;Försörjningsmått\n{code};AB;1;1\n")
    with pytest.raises(InputError, match="a municipality code has four digits"):
        read_table(path, "municipalities")


def test_names_are_stored_in_nfc_with_single_spaces(tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_text(HEADER_SV + ARE_NFD + "  m.fl.;10;100\n")
    (name,) = read_table(path, "units").index
    assert name == "Åre m.fl."
    assert unicodedata.is_normalized("NFC", name)


def test_declared_age_band_reads_the_16_65_column(tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_text("Förbund;Invånare 16–65 år;Försörjningsmått\nA;10;100\n")
    assert read_table(path, "units", age_band="16-65")["population"].tolist() == [10.0]
    other = tmp_path / "v.csv"
    other.write_text("Förbund;Invånare 16-64;Försörjningsmått\nA;1;1\n")
    with pytest.raises(InputError, match="counts inhabitants aged 16-64, but the age band "):
        read_table(other, "units", age_band="16-65")


def test_comment_keeps_its_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text('Förbund;Ansökt belopp;Kommentar\nA;100000;"rad ett\nrad två"\n')
    assert read_table(path, "answers")["comment"].tolist() == ["rad ett\nrad två"]


def test_formula_with_a_cached_value_is_read(tmp_path: Path) -> None:
    # An .xlsx saved by Excel holds the formula and its value: the value is read.
    path = tmp_path / "u.xlsx"
    _xlsx(["Förbund", "Invånare 16-64", "Försörjningsmått"], ["A", 10, "=1+1"])(path)
    text = _inject_cached_value(path, "C2", "2")
    assert read_table(text, "units")["support_measure"].tolist() == [2.0]


def _inject_cached_value(path: Path, cell: str, value: str) -> Path:
    import zipfile

    out = path.with_name("cached.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start = text.index(f'<c r="{cell}"')
                end = text.index("</c>", start)
                text = (
                    text[:start] + text[start:end].replace("<v />", f"<v>{value}</v>") + text[end:]
                )
                data = text.encode()
            target.writestr(item, data)
    return out


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (_csv("turnover_upper_bound,allowed_fraction\n5000000,0,2\n,0.1\n"), "line 2: 3 fields"),
        (_folder, "is a folder, not a file"),
        (_fifo, "is not a regular file"),
        (
            _xlsx(["turnover_upper_bound", "allowed_fraction"], [5e6, "=0.1*2"], [None, 0.1]),
            "cell B2 (column 'allowed_fraction'): the formula =0.1*2 was saved without",
        ),
    ],
)
def test_staircase_goes_through_the_same_limits(make, expected: str, tmp_path: Path) -> None:
    suffix = ".xlsx" if "cell" in expected else ".csv"
    path = tmp_path / f"trappa{suffix}"
    make(path)
    with pytest.raises(InputError, match=re.escape(expected)):
        read_staircase(path)


def test_staircase_from_a_device_is_refused_not_read() -> None:
    # /dev/zero was read until memory ran out (issue 14, item 9).
    with pytest.raises(InputError, match="zero: is not a regular file"):
        read_staircase("/dev/zero")


def test_cli_staircase_and_changes_use_the_readers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stairs = tmp_path / "trappa.csv"
    stairs.write_text("turnover_upper_bound,allowed_fraction\n5000000,0,2\n,0.1\n")
    applications = tmp_path / "a.csv"
    applications.write_text("Förbund;Ansökan ofördelade medel\nA;100000\n")
    argv = ["surplus", str(applications), "--available", "1000000", "--staircase", str(stairs)]
    assert main([*argv, "-o", str(tmp_path / "b.xlsx")]) == 2
    assert "trappa.csv, rad 2: 3 fält, men rubrikraden (rad 1) har 2" in capsys.readouterr().err
    changes = tmp_path / "changes.csv"
    changes.write_text("year,action,unit\n2,leave,A,x\n")
    units = tmp_path / "u.csv"
    units.write_text("Förbund;Invånare 16-64;Försörjningsmått\nA;1;1\nB;1;1\n")
    assert main(["simulate", str(units), "--years", "2", "--changes", str(changes)]) == 2
    assert "changes.csv, rad 2: 4 fält, men rubrikraden (rad 1) har 3" in capsys.readouterr().err


def test_synthetic_beyond_the_limit_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["synthetic", "100000000", "-o", str(tmp_path / "s.csv")]) == 2
    assert "n_units får vara högst 10 000 000, inte 100 000 000" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_cli_reads_16_65_only_with_age_band(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    units = tmp_path / "u.csv"
    units.write_text("Förbund;Invånare 16-65;Försörjningsmått\nA;10;100\nB;20;100\n")
    argv = ["allocate", str(units), "--budget", "1e6", "-o", str(tmp_path / "b.csv")]
    assert main(argv) == 2
    assert "--age-band 16-65" in capsys.readouterr().err
    assert main([*argv, "--age-band", "16-65"]) == 0
    assert (tmp_path / "b.csv").exists()


def test_decision_table_with_a_formula_without_value_is_refused(tmp_path: Path) -> None:
    from finsam_opt.io import read_decision_table

    path = tmp_path / "beslut.xlsx"
    _xlsx(["Förbund", "Tilldelning"], ["A", "=1+1"])(path)
    with pytest.raises(InputError, match=r"the formula =1\+1 in cell B2 was saved without"):
        read_decision_table(path)


def test_excel_error_values_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "u.xlsx"
    _xlsx(["Förbund", "Invånare 16-64", "Försörjningsmått"], ["Alfa", 10, 100])(path)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(tmp_path / "e.xlsx", "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                old = b'<c r="A2" t="inlineStr"><is><t>Alfa</t></is></c>'
                assert old in data
                data = data.replace(old, b'<c r="A2" t="e"><v>#REF!</v></c>')
            target.writestr(item, data)
    with pytest.raises(
        InputError, match=r"cell A2 \(column 'Förbund'\): holds the Excel error #REF!"
    ) as info:
        read_table(tmp_path / "e.xlsx", "units")
    # Swedish Excel shows #REF! as #REFERENS!: both are named.
    assert info.value.text("sv") == (
        "e.xlsx, flik 'Sheet', cell A2 (kolumn 'Förbund'): innehåller Excel-felet #REFERENS! "
        "(#REF!), inget värde; rätta formeln i Excel"
    )


def test_a_population_that_is_not_whole_is_refused(tmp_path: Path) -> None:
    # "120.000" typed with a dot as thousands separator would otherwise be 120 people.
    path = tmp_path / "u.csv"
    path.write_text("Förbund;Invånare 16-64;Försörjningsmått\nAlfa;120.500;100\n")
    with pytest.raises(InputError, match=r"population is a number of people, got '120\.500'"):
        read_table(path, "units")


@pytest.mark.parametrize(
    ("unit", "message"),
    [("Alfa\x07", "contains the invisible character U+0007"), ("A" * 40_000, "40,000 characters")],
    ids=["control-character", "40000-characters"],
)
def test_the_api_gate_refuses_names_a_workbook_cannot_hold(unit: str, message: str) -> None:
    # Such a name passed the gate and crashed (or was cut by) the xlsx writer (issue 14, 6 and 9).
    import finsam_opt as fo

    units = fo.example_units().rename(index={"A": unit})
    with pytest.raises(InputError, match=re.escape(message)):
        fo.allocate(units, fo.Parameters(budget=20_000_000))


def test_an_answer_spelt_differently_is_the_units_answer(tmp_path: Path) -> None:
    from finsam_opt.io import read_answers

    units = ["Samordningsförbundet Ockelbo m.fl.", "Åre"]
    first = tmp_path / "svar1.csv"
    first.write_text("Förbund;Ansökt belopp\n SAMORDNINGSFÖRBUNDET  OCKELBO M.FL. ;3 000 000\n")
    answers = read_answers([first], units=units)
    assert answers.index.tolist() == ["Samordningsförbundet Ockelbo m.fl."]
    second = tmp_path / "svar2.csv"
    second.write_text("Förbund;Ansökt belopp\nsamordningsförbundet ockelbo m.fl.;1 000 000\n")
    with pytest.raises(InputError, match="is answered twice"):
        read_answers([first, second], units=units)


def test_cli_policy_file_goes_through_the_same_limits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    units = tmp_path / "u.csv"
    units.write_text("Förbund;Invånare 16-64;Försörjningsmått\nA;10;100\nB;20;100\n")
    os.mkfifo(tmp_path / "policy.toml")  # would block the reader forever
    argv = ["allocate", str(units), "--budget", "1e6", "--policy", str(tmp_path / "policy.toml")]
    argv += ["--language", "en"]  # the reader's own words, in English
    with pytest.raises(SystemExit):
        main([*argv, "-o", str(tmp_path / "b.xlsx")])
    assert "policy.toml: is not a regular file" in capsys.readouterr().err


def test_a_formula_written_with_a_namespace_prefix_is_still_found(tmp_path: Path) -> None:
    # Some libraries write <x:f> instead of <f>: the formula check must not be skipped for them.
    path = tmp_path / "u.xlsx"
    _xlsx(["Förbund", "Invånare 16-64", "Försörjningsmått"], ["Alfa", 10, "=5*20"])(path)
    prefixed = tmp_path / "prefixed.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(prefixed, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                main = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
                data = data.replace(b"<worksheet ", b'<worksheet xmlns:x="' + main + b'" ', 1)
                data = data.replace(b"<f>", b"<x:f>").replace(b"</f>", b"</x:f>")
            target.writestr(item, data)
    with pytest.raises(InputError, match=r"cell C2 .*the formula =5\*20 was saved without"):
        read_table(prefixed, "units")


def test_cli_surplus_names_applications_as_the_unit_table_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    units = tmp_path / "u.csv"
    units.write_text(
        "Förbund;Invånare 16-64;Försörjningsmått;Föregående års tilldelning;"
        "Kommunernas bidrag;Regionens bidrag\n"
        "Åre;10000;100000000;3000000;5000000;5000000\n"
        "Berg;20000;200000000;4000000;5000000;5000000\n"
    )
    applications = tmp_path / "a.csv"
    applications.write_text(
        "Förbund;Ansökan ofördelade medel\n" + unicodedata.normalize("NFD", " ÅRE ") + ";100000\n"
    )
    out = tmp_path / "s.csv"
    argv = ["surplus", str(applications), "--units", str(units), "--budget", "10e6"]
    assert main([*argv, "-o", str(out)]) == 0, capsys.readouterr().err
    assert "Åre;" in out.read_text(encoding="utf-8-sig")
