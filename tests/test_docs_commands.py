"""The forecast and explorer commands shown in the analysis pages run as written."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import openpyxl
import pytest

import finsam_opt as fo
from finsam_opt.cli import main

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES = (DOCS / "analysis.md", DOCS / "sv" / "planering.md")


def _commands(page: Path) -> list[list[str]]:
    blocks = re.findall(r"```bash\n(.*?)```", page.read_text(encoding="utf-8"), re.DOTALL)
    lines = " ".join(blocks).replace("\\\n", " ")
    found = re.findall(r"finsam-opt (?:forecast|explore) [^\n]+", lines)
    return [shlex.split(command)[1:] for command in found]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_the_pages_commands_run(page: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    units = fo.national_example().units
    for name in ("units.xlsx", "förbund.xlsx"):
        units.to_excel(name)
    rows = [("Förbund", "År", "Försörjningsmått"), ("Samordningsförbundet Uppsala", 2028, "-3 %")]
    Path("tillväxt.csv").write_text(
        "\n".join(";".join(str(c) for c in row) for row in rows) + "\n", encoding="utf-8"
    )
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(list(row))
    book.save("tillväxt.xlsx")
    commands = _commands(page)
    assert commands, f"{page.name} shows no forecast or explore command"
    for arguments in commands:
        assert main(arguments) == 0, arguments
        if "-o" in arguments:
            assert Path(arguments[arguments.index("-o") + 1]).exists()
        if "--letters" in arguments:
            assert len(list(Path(arguments[arguments.index("--letters") + 1]).iterdir())) == 79
