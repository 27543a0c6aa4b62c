"""The compare, simulate and report commands, run through the real command line."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
import pytest

import finsam_opt as fo
from finsam_opt import cli
from finsam_opt.cli.arguments import kronor
from finsam_opt.io import read_units


def _run(*argv: str) -> int:
    return cli.main(list(argv))


@pytest.fixture
def units_csv(tmp_path: Path) -> Path:
    path = tmp_path / "units.csv"
    fo.example_units().rename(index={"A": "0180"}).to_csv(path)
    return path


def test_units_csv_keeps_ids_as_text(units_csv: Path) -> None:
    units = read_units(units_csv)
    assert units.index.tolist() == ["0180", "B", "C", "D", "E"]
    expected = fo.example_units().rename(index={"A": "0180"})
    pd.testing.assert_frame_equal(units, expected, check_dtype=False, check_index_type=False)


def test_compare_writes_what_it_is_asked_for(
    units_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = _run(
        "compare", str(units_csv), "--budget", "20 000 000", "--budget", "21e6",
        "--output", f"{out}.csv", "--summary", f"{out}-summary.csv",
        "--report", f"{out}.html", "--plot", f"{out}.svg", "--language", "en",
    )  # fmt: skip
    assert code == 0
    printed = capsys.readouterr().out
    assert "scale-protection" in printed and "deficit" in printed
    assert "20,000,000" in printed and "21,000,000" in printed  # budgets in kronor, not 2e+07
    table = pd.read_csv(f"{out}.csv", dtype={"Unit": str})
    direct = fo.compare(read_units(units_csv), fo.Parameters(budget=20e6), budgets=[20e6, 21e6])
    assert table["Allocation (kr)"].tolist() == direct.table["allocation_rounded"].tolist()
    assert len(pd.read_csv(f"{out}-summary.csv")) == 6
    assert "<img" in Path(f"{out}.html").read_text(encoding="utf-8")
    assert Path(f"{out}.svg").read_text(encoding="utf-8").startswith("<?xml")


def test_simulate_writes_trajectories_and_reads_changes(
    units_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changes = tmp_path / "changes.csv"
    changes.write_text("year,action,unit,members\n3,merge,BE,B;E\n", encoding="utf-8")
    out = tmp_path / "sim"
    code = _run(
        "simulate", str(units_csv), "--years", "4", "--budget-path", "20e6,20e6,19e6,19e6",
        "--changes", str(changes), "--population-growth", "0.01", "--no-progress",
        "--output", f"{out}.csv", "--summary", f"{out}-years.csv", "--report", f"{out}.html",
        "--plot", f"{out}.png",
    )  # fmt: skip
    assert code == 0
    assert "förbund som når sin idealfördelning till år 4" in capsys.readouterr().out
    trajectories = pd.read_csv(f"{out}.csv", sep=";", decimal=",", dtype={"Förbund": str})
    fourth = trajectories[trajectories["År"] == 4]
    assert sorted(set(fourth["Förbund"])) == ["0180", "BE", "C", "D"]
    years = pd.read_csv(f"{out}-years.csv", sep=";", decimal=",", index_col="År")
    assert years["Budget (kr)"].tolist() == [20e6, 20e6, 19e6, 19e6]
    assert Path(f"{out}.png").read_bytes().startswith(b"\x89PNG")
    assert Path(f"{out}.html").stat().st_size > 10_000


def test_report_writes_one_allocation(units_csv: Path, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    assert _run("report", str(units_csv), "--budget", "20e6", "--output", str(page)) == 0
    assert "Beslutsunderlag" in page.read_text(encoding="utf-8")


def test_bad_input_gives_exit_code_2_and_a_message(
    units_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run("report", str(units_csv), "--budget", "1e6", "--output", "x.html") == 2
    err = capsys.readouterr().err
    assert "finsam-opt report: budgeten (1 000 000 kr) måste vara minst" in err
    assert _run("compare", str(tmp_path / "missing.csv")) == 2
    assert "missing.csv: filen finns inte" in capsys.readouterr().err
    assert _run("simulate", str(units_csv), "--budget-path", "20e6,lots", "--no-progress") == 2
    assert "--budget-path: inget belopp: 'lots' (skriv budgetarna år för år" in (
        capsys.readouterr().err
    )
    broken = tmp_path / "changes.csv"
    broken.write_text('year,action,unit\n2,"join\n', encoding="utf-8")  # an unclosed quote
    argv = ["simulate", str(units_csv), "--changes", str(broken), "--no-progress"]
    assert _run(*argv) == 2
    err = capsys.readouterr().err
    assert 'simulate: changes.csv, rad 2: ett citattecken (") som inleds här avslutas aldrig' in err
    assert "Traceback" not in err


def test_amounts_accept_spaces_and_exponents() -> None:
    assert kronor("339 000 000") == kronor("339e6") == kronor("339 Mkr") == 339e6
    with pytest.raises(argparse.ArgumentTypeError, match="inget belopp: 'x'"):
        kronor("x")


def test_simulate_names_the_assumed_contributions_in_its_files_and_console(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """MODEL.md §9.11: the console, the trajectories, the years and the report name them."""
    units = fo.example_units()
    units.loc["B", "regional_match"] = float("nan")  # B's region never answers
    path = tmp_path / "units.csv"
    units.to_csv(path)
    out = tmp_path / "sim"
    code = _run(
        "simulate", str(path), "--years", "3", "--first-year", "2026", "--budget", "20e6",
        "--unanswered", "previous", "--no-progress", "--output", f"{out}.csv",
        "--summary", f"{out}-years.csv", "--report", f"{out}.html",
    )  # fmt: skip
    assert code == 0
    printed = capsys.readouterr().out
    assert (
        "matchning: insamlad; antagen (föregående års tilldelning / 2, ej besvarad) för 1 "
        "förbund: B (regionens bidrag: 2026–2028)" in printed
    )
    assert "Antaget bidrag" in printed
    trajectories = pd.read_csv(f"{out}.csv", sep=";", decimal=",", dtype={"Förbund": str})
    b = trajectories[trajectories["Förbund"] == "B"]
    assert b["Regionens bidrag antaget, ej besvarat"].tolist() == ["ja"] * 3
    assert b["Kommunernas bidrag antaget, ej besvarat"].tolist() == ["nej"] * 3
    assert b["Kommunernas bidrag (kr)"].tolist() == ["ingen gräns"] * 3
    years = pd.read_csv(f"{out}-years.csv", sep=";", decimal=",", index_col="År")
    assert years["Förbund med antaget bidrag, ej besvarat"].tolist() == [1, 1, 1]
    assert years["Matchning"].tolist() == ["insamlad"] * 3
    page = Path(f"{out}.html").read_text(encoding="utf-8")
    assert "B (regionens bidrag: 2026–2028)" in page
    assert _run(
        "simulate", str(path), "--years", "2", "--budget", "20e6", "--unanswered", "no-limit",
        "--no-progress", "--language", "en",
    ) == 0  # fmt: skip
    assert (
        "matching: collected; assumed (no-limit, not answered) for 1 förbund: "
        "B (regional_match: 1–2)" in capsys.readouterr().out
    )


def test_compare_names_the_assumed_contributions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    units = fo.example_units()
    units.loc["B", "regional_match"] = float("nan")
    path = tmp_path / "units.csv"
    units.to_csv(path)
    out = tmp_path / "jamforelse"
    code = _run(
        "compare", str(path), "--budget", "20e6", "--unanswered", "previous",
        "-o", f"{out}.csv", "--report", f"{out}.html",
    )  # fmt: skip
    assert code == 0
    line = (
        "matchning: insamlad; antagen (föregående års tilldelning / 2, ej besvarad) för 1 "
        "förbund: B (regionens bidrag)"
    )
    assert line in capsys.readouterr().out
    table = pd.read_csv(f"{out}.csv", sep=";", decimal=",", dtype={"Förbund": str})
    b = table[table["Förbund"] == "B"]
    assert set(b["Regionens bidrag antaget, ej besvarat"]) == {"ja"}
    assert line in Path(f"{out}.html").read_text(encoding="utf-8")


def test_simulate_reads_growth_the_swedish_way(tmp_path: Path) -> None:
    """Before, --population-growth took only "0.01" (a float): "0,01" and "1 %" were refused."""
    units = tmp_path / "forbund.csv"
    fo.example_units().rename_axis("unit").to_csv(units)
    base = ["simulate", str(units), "--years", "2", "--budget", "20 Mkr"]
    written = {}
    for growth in ("0,01", "1 %", "0.01"):
        out = tmp_path / f"fem_ar_{len(written)}.csv"
        assert cli.main([*base, "--population-growth", growth, "-o", str(out)]) == 0
        written[growth] = out.read_bytes()
    assert len(set(written.values())) == 1  # the same growth, however written
