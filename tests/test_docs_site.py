"""The documentation site builds with ``mkdocs build --strict`` (every warning is an error)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_site_builds_strictly(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    reference = (tmp_path / "reference" / "index.html").read_text(encoding="utf-8")
    assert "Allocate the budget among the units" in reference  # docstrings were rendered
    assert ":func:" not in reference and ":class:" not in reference  # roles shown as code
    cli_page = (tmp_path / "cli" / "index.html").read_text(encoding="utf-8")
    assert "usage: finsam-opt" in cli_page  # the CLI help was generated into the page
    assert "$ finsam-opt example -o exempel.xlsx" in cli_page  # and a session with its output
    assert "79 förbund · överskott · princip höjd spärr" in cli_page
    assert "-o beslut.txt: filändelsen avgör formatet" in cli_page  # a failure, exit 2
    swedish = (tmp_path / "sv" / "kommandorad" / "index.html").read_text(encoding="utf-8")
    assert "$ finsam-opt surplus ansokningar.csv" in swedish
    assert (tmp_path / "sv" / "modell" / "index.html").exists()
