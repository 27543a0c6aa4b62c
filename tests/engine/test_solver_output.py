"""stdout is for results: no solver writes its banner or log there (adversarial finding F13).

HiGHS prints its banner once per process, so each case runs in a fresh one.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import finsam_opt as fo


def _output_of(code: str) -> str:
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ, check=True
    )
    return run.stdout + run.stderr


@pytest.mark.parametrize("solver", ["highs", "cbc", "scipy"])
def test_a_deficit_solved_by_an_lp_prints_nothing(solver: str) -> None:
    code = (
        "import finsam_opt as fo\n"
        f"r = fo.allocate(fo.example_units(), fo.Parameters(budget=20e6), solver={solver!r})\n"
        "assert r.phase == 1  # the LP ran\n"
    )
    assert _output_of(code) == ""


def test_the_array_built_lp_and_pulps_highs_print_nothing() -> None:
    code = (
        "import numpy as np\n"
        "from finsam_opt.engine.damping import Phase\n"
        "from finsam_opt.engine.solvers import highs_lp, pulp_lp\n"
        "pulp_lp.pulp_solver('highs')\n"
        "n = highs_lp.ARRAYS_FROM\n"
        "phase = Phase(hi=np.full(n, 2.0), lo=np.ones(n), weight=np.ones(n))\n"
        "assert abs(highs_lp.solve(phase, 1.5 * n).rate - 0.5) < 1e-9\n"
    )
    assert _output_of(code) == ""


def test_the_command_line_with_highs_writes_only_its_summary(tmp_path: Path) -> None:
    units = tmp_path / "units.csv"
    fo.example_units().rename_axis("unit").to_csv(units)
    command = [sys.executable, "-m", "finsam_opt", "allocate", str(units), "--budget", "20 Mkr",
               "--solver", "highs", "-o", str(tmp_path / "out.xlsx")]  # fmt: skip
    run = subprocess.run(command, capture_output=True, text=True, env=os.environ, check=True)
    assert "HiGHS" not in run.stdout + run.stderr
    assert run.stdout.splitlines()[0].startswith("5 förbund · underskott")
