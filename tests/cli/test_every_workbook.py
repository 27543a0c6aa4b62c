"""Every workbook every command writes, opened as a person would (openpyxl).

The commands run on the national example through ``scripts/render_workbooks.py``
(the script that also prints them with LibreOffice). Each workbook must be
Swedish only, hold whole kronor as numbers, add up, print on A4 landscape one
page wide with titles repeated, and each template must have blank, unlocked,
validated answer cells on a protected sheet.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import openpyxl
import pytest

from workbook_checks import (
    check_amounts_whole,
    check_print_setup,
    check_swedish_only,
    check_template,
    check_totals_add_up,
)

_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "render_workbooks.py"
_NOT_TABLES = ("Parametrar", "Instruktioner")


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    spec = importlib.util.spec_from_file_location("render_workbooks", _SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_workbooks(tmp_path_factory.mktemp("workbooks"))


def test_every_command_wrote_its_workbook(workbooks: list[Path]) -> None:
    names = {p.name for p in workbooks}
    assert {"beslutsunderlag.xlsx", "forbund.xlsx", "preliminar.xlsx", "svar.xlsx",
            "ofordelade_medel.xlsx", "jamforelse.xlsx", "jamforelse_utfall.xlsx",
            "simulering.xlsx", "simulering_ar.xlsx", "syntetiska.xlsx", "prognos.xlsx",
            "svarsmall_alla.xlsx"} <= names  # fmt: skip


def test_every_workbook_is_swedish_whole_printable_and_adds_up(workbooks: list[Path]) -> None:
    for path in workbooks:
        book = openpyxl.load_workbook(path)
        check_swedish_only(book)
        assert "Parametrar" in book.sheetnames, f"{path.name}: no Parametrar sheet"
        for sheet in book.worksheets:
            if sheet.title in _NOT_TABLES:
                continue
            check_print_setup(sheet)
            check_amounts_whole(sheet)
            if sheet.cell(sheet.max_row, 1).value == "Totalt":
                check_totals_add_up(sheet, "Totalt")
        parameters = book["Parametrar"]
        for label, value in parameters.iter_rows(values_only=True):
            if str(label).endswith("(kr)"):
                assert isinstance(value, int), f"{path.name} Parametrar {label}: {value!r}"


def test_decision_tables_have_totals(workbooks: list[Path]) -> None:
    for name in ("beslutsunderlag.xlsx", "forbund.xlsx", "preliminar.xlsx",
                 "ofordelade_medel.xlsx"):  # fmt: skip
        sheet = openpyxl.load_workbook(next(p for p in workbooks if p.name == name)).worksheets[0]
        assert sheet.cell(sheet.max_row, 1).value == "Totalt", name


def test_templates_are_protected_with_blank_answer_cells(workbooks: list[Path]) -> None:
    templates = [p for p in workbooks if p.name.startswith("svarsmall_")]
    assert templates
    for path in templates:
        check_template(openpyxl.load_workbook(path)["Svar"])


def test_sheet_names_say_what_they_hold(workbooks: list[Path]) -> None:
    expected = {
        "beslutsunderlag.xlsx": "Beslutsunderlag",
        "preliminar.xlsx": "Preliminär fördelning",
        "svar.xlsx": "Förbund med svar",
        "ofordelade_medel.xlsx": "Ofördelade medel",
        "jamforelse.xlsx": "Jämförelse per förbund",
        "jamforelse_utfall.xlsx": "Utfall per princip",
        "simulering.xlsx": "Tilldelning per år",
        "simulering_ar.xlsx": "År för år",
        "syntetiska.xlsx": "Syntetiska förbund",
    }
    for path in workbooks:
        if path.name in expected:
            assert openpyxl.load_workbook(path).sheetnames[0] == expected[path.name], path.name
