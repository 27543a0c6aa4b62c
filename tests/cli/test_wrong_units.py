"""Amounts in the wrong unit are refused by the command line (MODEL.md §2, docs/data.md)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import finsam_opt
from finsam_opt.cli.app import main

_BASE = (
    "Förbund;Region;Invånare 16-64;Försörjningsmått;Föregående års tilldelning;Ansökt belopp;"
    "Kommunernas bidrag;Regionens bidrag\n"
    "Samordningsförbundet Alfa;Stockholms län;91196;2519255000;5059672;6250000;3080000;2750000\n"
    "Samordningsförbundet Beta;Stockholms län;65486;1638875000;3851219;3890000;2110000;2030000\n"
    "Samordningsförbundet Gamma;Dalarnas län;33709;852229000;2124842;2440000;1200000;1320000\n"
    "Samordningsförbundet Delta;Dalarnas län;57106;1512514000;3709972;2670000;1960000;1950000\n"
    "Samordningsförbundet Epsilon;Gotlands län;35903;710191000;2040655;2120000;1090000;1100000\n"
)


def _refused(capsys, argv: list[str], out: Path, *messages: str) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    for message in messages:
        assert message in err
    assert not out.exists()


def test_the_base_file_is_allocated(tmp_path: Path) -> None:
    units = tmp_path / "base.csv"
    units.write_text(_BASE, encoding="utf-8")
    out = tmp_path / "ut.xlsx"
    assert main(["allocate", str(units), "--budget", "15 Mkr", "-o", str(out)]) == 0


@pytest.mark.parametrize("header", ["Ansökt belopp", "Kommunernas bidrag", "Regionens bidrag"])
def test_kronor_under_a_tkr_header_are_refused(tmp_path: Path, capsys, header: str) -> None:
    units = tmp_path / "base.csv"
    units.write_text(_BASE.replace(f";{header}", f";{header} (tkr)", 1), encoding="utf-8")
    out = tmp_path / "ut.xlsx"
    argv = ["allocate", str(units), "--budget", "15 Mkr", "-o", str(out)]
    _refused(capsys, argv, out, "Samordningsförbundet Alfa", f"{header} ", "mer än hela "
             "budgeten (15 000 000 kr)", "kronor under en rubrik i tkr eller Mkr")  # fmt: skip


def test_a_previous_allocation_far_above_the_ideal_is_refused(tmp_path: Path, capsys) -> None:
    units = finsam_opt.national_example().units
    table = units[["region", "population", "support_measure", "previous_allocation"]].copy()
    name = next(u for u in table.index if "Ödeshög" in u)
    table.loc[name, "previous_allocation"] = 184_253_800  # 1 842 538,00 without its comma
    path = tmp_path / "juni.csv"
    table.rename_axis("unit").to_csv(path)
    out = tmp_path / "z.xlsx"
    argv = ["allocate", str(path), "--policy", "scale-gains", "-o", str(out)]
    _refused(capsys, argv, out, name, "184 253 800 kr är mer än 10 × förbundets ideal",
             "öre eller ett tappat decimalkomma")  # fmt: skip


def _spring(tmp_path: Path, header_unit: str, alfa: str) -> tuple[Path, Path]:
    units = tmp_path / "base.csv"
    units.write_text(_BASE, encoding="utf-8")
    applications = tmp_path / "ans.csv"
    applications.write_text(
        f"Förbund;Ansökan ofördelade medel{header_unit};Kommunernas extra bidrag{header_unit};"
        f"Regionens extra bidrag{header_unit}\n"
        f"Samordningsförbundet Alfa;{alfa}\nSamordningsförbundet Beta;150;75;75\n",
        encoding="utf-8",
    )
    return units, applications


def test_applications_in_tkr_under_a_kronor_header_are_refused(tmp_path: Path, capsys) -> None:
    units, applications = _spring(tmp_path, "", "200;100;100")
    out = tmp_path / "s.xlsx"
    argv = ["surplus", str(applications), "--units", str(units), "--budget", "15 Mkr",
            "-o", str(out)]  # fmt: skip
    _refused(capsys, argv, out, "kolumnen 'Ansökan ofördelade medel': medianbeloppet är "
             "175 kr", "'Ansökan ofördelade medel (tkr)'")  # fmt: skip


def test_applications_in_kronor_under_a_tkr_header_are_refused(tmp_path: Path, capsys) -> None:
    units, applications = _spring(tmp_path, " (tkr)", "200 000;100 000;100 000")
    out = tmp_path / "s.xlsx"
    argv = ["surplus", str(applications), "--units", str(units), "--budget", "15 Mkr",
            "-o", str(out)]  # fmt: skip
    _refused(capsys, argv, out, "Samordningsförbundet Alfa", "200 000 000 kr är mer än hela "
             "budgeten")  # fmt: skip


@pytest.mark.parametrize("command", ["allocate", "answers"])
def test_an_answer_template_filled_in_tkr_is_refused(tmp_path: Path, capsys, command) -> None:
    units = tmp_path / "base.csv"
    units.write_text(_BASE, encoding="utf-8")
    folder = tmp_path / "sm"
    assert main(["template", str(units), "--budget", "15 Mkr", "-d", str(folder)]) == 0
    path = folder / "svarsmall_Samordningsförbundet Alfa.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Svar"]
    sheet["E2"], sheet["F2"], sheet["G2"] = 6000, 3000, 2900
    book.save(path)
    out = tmp_path / "ut.xlsx"
    if command == "allocate":
        argv = ["allocate", str(units), "--answers", str(folder), "--budget", "15 Mkr",
                "--unanswered", "previous", "-o", str(out)]  # fmt: skip
    else:
        argv = ["answers", str(folder), "--units", str(units), "-o", str(out)]
    expected = "Ansökt belopp 6 000 kr är under 1/100 av förbundets tilldelning föregående år"
    _refused(capsys, argv, out, "Samordningsförbundet Alfa", expected, "6 000 000, inte 6 000")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (";2519255000;", ";2519255;", "Försörjningsmått 2 519 255 kr ligger 100 gånger eller "
         "mer från medianen per invånare"),
        (";91196;", ";0;", "Invånare 16-64 0 invånare: ett förbund har invånare"),
    ],
)  # fmt: skip
def test_statistics_out_of_line_are_refused(tmp_path: Path, capsys, old, new, message) -> None:
    units = tmp_path / "base.csv"
    units.write_text(_BASE.replace(old, new), encoding="utf-8")
    out = tmp_path / "ut.xlsx"
    argv = ["allocate", str(units), "--budget", "15 Mkr", "-o", str(out)]
    _refused(capsys, argv, out, "Samordningsförbundet Alfa", message)


def test_a_base_amount_in_tkr_is_refused(tmp_path: Path, capsys) -> None:
    units = tmp_path / "base.csv"
    units.write_text(_BASE, encoding="utf-8")
    out = tmp_path / "ut.xlsx"
    argv = ["allocate", str(units), "--budget", "15 Mkr", "--base-amount", "400", "-o", str(out)]
    _refused(capsys, argv, out, "--base-amount 400 kr är under 1 000 kr", '"400 tkr"')
