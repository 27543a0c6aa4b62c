"""``--carry-previous``/``--no-carry-previous``: the floor follows the people (MODEL.md §11)."""

from __future__ import annotations

from pathlib import Path

import pytest

from finsam_opt.cli.app import main
from finsam_opt.io import read_decision_table


@pytest.fixture
def files(tmp_path: Path) -> list[str]:
    """Five municipalities; 0102 moves from X to Y between 2026 and 2027."""
    municipalities = tmp_path / "kommuner.csv"
    municipalities.write_text(
        "Kommunkod;Region;Invånare 16-64;Försörjningsmått\n"
        "0101;Län;30000;600000000\n0102;Län;10000;100000000\n0103;Län;20000;400000000\n"
        "0104;Län;5000;100000000\n0105;Län;15000;300000000\n",
        encoding="utf-8",
    )
    last = {"0101": "X", "0102": "X", "0103": "Y", "0104": "Z", "0105": "Y"}
    now = {**last, "0102": "Y"}
    memberships = tmp_path / "medlemmar.csv"
    rows = [f"{code};{unit};2026" for code, unit in last.items()]
    rows += [f"{code};{unit};2027" for code, unit in now.items()]
    memberships.write_text("Kommunkod;Förbund;År\n" + "\n".join(rows) + "\n", encoding="utf-8")
    unit_data = tmp_path / "forbund.csv"
    unit_data.write_text(
        "Förbund;Föregående års tilldelning;Ansökt belopp;Kommunernas bidrag;Regionens bidrag\n"
        "X;4000000;inf;inf;inf\nY;3000000;inf;inf;inf\nZ;1000000;inf;inf;inf\n",
        encoding="utf-8",
    )
    return ["--municipalities", str(municipalities), "--memberships", str(memberships),
            "--unit-data", str(unit_data), "--year", "2027", "--budget", "8 Mkr"]  # fmt: skip


def test_a_moving_municipality_carries_its_share_and_says_so_in_swedish(
    files: list[str], tmp_path: Path, capsys
) -> None:
    out = tmp_path / "beslut.xlsx"
    assert main(["allocate", *files, "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "kommun 0102 bytte från 'X' till 'Y' och tar med 678 571 kr" in err
    previous = read_decision_table(out)["previous_allocation"]
    assert previous["Y"] == pytest.approx(3_678_571, abs=1)  # the table shows whole kronor
    assert previous.sum() == pytest.approx(8_000_000, abs=1)


def test_no_carry_previous_keeps_each_units_own_and_says_so(
    files: list[str], tmp_path: Path, capsys
) -> None:
    """Before, the command line had no way to choose carry_previous=False."""
    out = tmp_path / "beslut.xlsx"
    assert main(["allocate", *files, "--no-carry-previous", "--language", "en",
                 "-o", str(out)]) == 0  # fmt: skip
    err = capsys.readouterr().err
    assert "1 municipalities changed förbund; previous allocations were not carried" in err
    previous = read_decision_table(out)["previous_allocation"]
    assert previous.to_dict() == {"X": 4_000_000, "Y": 3_000_000, "Z": 1_000_000}
