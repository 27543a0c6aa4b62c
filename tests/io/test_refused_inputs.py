"""Inputs that used to change money silently and are now refused (docs/data.md)."""

from pathlib import Path

import pytest

from finsam_opt.errors import InputError
from finsam_opt.io import read_units

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
    with pytest.raises(InputError, match=r"förbund\.csv, row 4.*remove the totals row"):
        read_units(path)


@pytest.mark.parametrize("label", ["Totalt", "Summa", " summa ", "Total"])
def test_a_totals_row_named_exactly_is_still_skipped(tmp_path: Path, label: str) -> None:
    path = tmp_path / "förbund.csv"
    path.write_text(_HEADER + _ROWS + f"{label};;156682;4158130000;8910891\n")
    assert len(read_units(path)) == 2


def test_a_name_that_only_starts_with_the_letters_is_a_unit(tmp_path: Path) -> None:
    path = tmp_path / "förbund.csv"
    path.write_text(_HEADER + _ROWS.replace("Samordningsförbundet Alfa", "Sumpan"))
    assert "Sumpan" in read_units(path).index
