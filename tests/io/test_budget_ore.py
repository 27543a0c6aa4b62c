"""A budget with öre is shown to the öre, alike on the console and in the Parametrar sheet,
and the sheet's amounts add up (adversarial finding F8: 15 000 001 kr on the console,
15 000 000 kr in the workbook)."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

import finsam_opt as fo
from finsam_opt.cli.app import main

BASE = (
    "Förbund;Invånare 16-64;Försörjningsmått;Föregående års tilldelning;Ansökt belopp\n"
    "Alfa;91196;2519255000;5059672;6250000\n"
    "Beta;65486;1638875000;3851219;3890000\n"
    "Gamma;33709;852229000;2124842;2440000\n"
    "Delta;57106;1512514000;3709972;2670000\n"
)


def _parameters(path: Path) -> dict[str, tuple[object, str]]:
    sheet = openpyxl.load_workbook(path)["Parametrar"]
    return {str(a.value): (b.value, b.number_format) for a, b in sheet.iter_rows()}


@pytest.mark.parametrize(
    ("given", "budget", "shown", "left"),
    [
        ("15 000 000,60", 15_000_000.6, "15 000 000,60 kr", "ofördelat 833 338,60 kr"),  # surplus
        ("15 000 000,50", 15_000_000.5, "15 000 000,50 kr", "ofördelat 833 338,50 kr"),
        ("12 000 000,50", 12_000_000.5, "12 000 000,50 kr", "ofördelat 0,50 kr"),  # deficit
        ("12 000 000", 12_000_000, "12 000 000 kr", "ofördelat 0 kr"),
    ],
)
def test_console_and_workbook_show_the_budget_as_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], given: str, budget: float, shown: str,
    left: str,
) -> None:  # fmt: skip
    units = tmp_path / "förbund.csv"
    units.write_text(BASE, encoding="utf-8")
    out = tmp_path / "beslut.xlsx"
    assert main(["allocate", str(units), "--budget", given, "-o", str(out)]) == 0
    console = capsys.readouterr().out
    assert f"budget {shown} · " in console and left in console
    rows = _parameters(out)
    assert rows["Budget (kr)"][0] == pytest.approx(budget, abs=1e-9)
    allocated, unallocated = rows["Fördelat (kr)"][0], rows["Ofördelade medel (kr)"][0]
    assert allocated + unallocated == pytest.approx(budget, abs=1e-6)  # the sheet adds up
    whole = float(budget).is_integer()
    assert rows["Budget (kr)"][1] == ("#,##0" if whole else "#,##0.00")
    # The console's numbers are the sheet's numbers.
    numbers = re.findall(r"(\d[\d ]*(?:,\d\d)?) kr", console.splitlines()[1])
    as_float = [float(n.replace(" ", "").replace(",", ".")) for n in numbers]
    assert as_float == pytest.approx([budget, allocated, unallocated], abs=1e-9)


def test_the_python_summary_shows_the_ore() -> None:
    result = fo.allocate(fo.example_units(), fo.Parameters(budget=30_000_000.25))
    assert "of 30,000,000.25 kr" in repr(result)
    assert "30 000 000,25 kr" in result._repr_html_()
    whole = fo.allocate(fo.example_units(), fo.Parameters(budget=30_000_000))
    assert repr(whole).endswith("of 30,000,000 kr)")
