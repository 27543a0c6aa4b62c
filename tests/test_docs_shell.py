"""The yearly process page's shell session runs as it stands, with the installed command."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl

import finsam_opt

PAGE = Path(__file__).resolve().parents[1] / "docs" / "process.md"


def test_the_process_pages_commands_run(tmp_path: Path) -> None:
    blocks = re.findall(r"```bash\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.DOTALL)
    assert blocks
    # The installed console script and this interpreter, first on the path.
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    assert shutil.which("finsam-opt", path=env["PATH"]), "finsam-opt is not installed"
    for block in blocks:
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", block],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-2000:]
    granted = openpyxl.load_workbook(tmp_path / "ofordelade_medel.xlsx")["Ofördelade medel"]
    header = [cell.value for cell in next(granted.iter_rows(max_row=1))]
    assert "Beviljat (kr)" in header
    assert (tmp_path / "slutlig.xlsx").is_file() and (tmp_path / "svarsmallar").is_dir()
    # The year in a folder: every round, the late answer, and the spring adds up to the budget.
    year = finsam_opt.AllocationYear.load(tmp_path / "ar2027")
    assert [r.name for r in year.rounds] == list(finsam_opt.ROUNDS)
    assert [late.unit for late in year.round("revised").late] == [
        None,
        "Samordningsförbundet Gotland",
    ]
    for item in year.rounds:
        decided = int(item.table["amount"].sum())
        assert decided + round(float(item.summary["unallocated"])) == 339_000_000, item.name
