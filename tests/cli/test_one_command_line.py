"""One command line (issue 16): shared options, one writer by extension, failures before work."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import finsam_opt as fo
from finsam_opt.cli.app import build_parser, main
from finsam_opt.cli.outputs import widest_budget

UNIT_COMMANDS = ("ideal", "allocate", "template", "compare", "simulate", "report")


@pytest.fixture
def units(tmp_path: Path) -> Path:
    path = tmp_path / "forbund.csv"
    fo.example_units().to_csv(path, index_label="unit")
    return path


def _options(command: str) -> set[str]:
    parser = build_parser()
    sub = parser._subparsers._group_actions[0].choices[command]  # type: ignore[union-attr]
    return {option for action in sub._actions for option in action.option_strings}


@pytest.mark.parametrize(
    "command", [*UNIT_COMMANDS, "example", "answers", "surplus", "synthetic", "forecast"]
)
def test_every_command_shares_the_vocabulary(command: str) -> None:
    options = _options(command)
    assert "--language" in options and "--lang" not in options
    if command != "template":
        assert {"-o", "--output"} <= options
    if command in UNIT_COMMANDS:
        assert {"--sheet", "--municipalities", "--memberships", "--year"} <= options
    if command in ("example", "allocate", "compare", "simulate", "report", "surplus"):
        assert {"--solver"} <= options and "--policy" in options


def test_help_explains_the_policies_and_gives_an_example(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["simulate", "--language", "en", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "raise-limit: the decrease limit is raised by the same amount" in text
    assert "scale-gains: floors kept" in text
    assert "fast: the exact breakpoint solver" in text
    assert "example: finsam-opt simulate forbund.xlsx --years 5 -o fem_ar.xlsx" in text


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith("finsam-opt ")


@pytest.mark.parametrize(
    ("argv", "suffix"),
    [
        (["compare", "{units}", "--budget", "19 Mkr", "--budget", "20 Mkr"], ".xlsx"),
        (["simulate", "{units}", "--budget", "20 Mkr", "--years", "2", "--no-progress"], ".xlsx"),
        (["synthetic", "20"], ".xlsx"),
        (["allocate", "{units}", "--budget", "20 Mkr"], ".xlsx"),
    ],
)
def test_xlsx_is_real_excel_for_every_command(argv, suffix, units: Path, tmp_path: Path) -> None:
    out = tmp_path / f"ut{suffix}"
    assert main([a.format(units=units) for a in argv] + ["-o", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[-1] == "Parametrar"
    assert book.worksheets[0]["A1"].value in ("Förbund", "Budget (kr)", "År")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_csv_follows_the_language_for_every_command(units: Path, tmp_path: Path, language) -> None:
    separator = ";" if language == "sv" else ","
    for argv in (
        ["compare", str(units), "--budget", "19 Mkr"],
        ["simulate", str(units), "--budget", "20 Mkr", "--years", "2", "--no-progress"],
        ["synthetic", "20"],
        ["allocate", str(units), "--budget", "20 Mkr"],
    ):
        out = tmp_path / f"{argv[0]}.csv"
        assert main([*argv, "--language", language, "-o", str(out)]) == 0
        header = out.read_text(encoding="utf-8-sig").splitlines()[0]
        assert separator in header and (";" not in header if language == "en" else True)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["report", "{units}", "-o", "r.html", "--plot", "r.txt"], "--plot r.txt: filändelsen"),
        (["compare", "{units}", "--output", "nodir/c.csv"], "mappen nodir finns inte"),
        (["allocate", "{units}", "-o", "x.txt"], "-o x.txt: filändelsen avgör formatet"),
        (["surplus", "{units}", "--available", "1 Mkr", "-o", "s.html"], "skriv .xlsx eller .csv"),
        (["synthetic", "20", "-o", "s.ods"], "skriv .xlsx eller .csv"),
        (["allocate", "{units}", "--year", "2027", "-o", "x.xlsx"],
         "en förbundstabell har inga år"),
        (["template", "{units}", "-d", "forbund.csv"], "är en fil, inte en mapp"),
        (["allocate", "{units}", "--budget", "0", "-o", "x.xlsx"], "budgeten (0 kr)"),
        (["allocate", "{units}", "-o", "{units}"], "är en fil som kommandot läser"),
        (["compare", "{units}", "-o", "c.csv", "--summary", "{units}"], "--summary"),
    ],
)  # fmt: skip
def test_failures_are_one_line_exit_2_before_any_work(
    argv, message, units: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    before = sorted(tmp_path.iterdir())
    assert main([a.format(units=units) for a in argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # nothing computed, nothing printed
    errors = captured.err.splitlines()  # the error alone: no "reading …" line before it
    assert len(errors) == 1 and errors[0].startswith("finsam-opt") and message in errors[0]
    assert sorted(tmp_path.iterdir()) == before  # nothing written


def test_synthetic_refuses_fewer_than_ten_units(tmp_path: Path, capsys) -> None:
    assert main(["synthetic", "5", "-o", str(tmp_path / "x.csv")]) == 2
    assert "antalet förbund (n_units) måste vara minst 10, inte 5" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_the_console_speaks_the_language(units: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "b.xlsx"
    assert main(["allocate", str(units), "--budget", "20 Mkr", "-o", str(out)]) == 0
    swedish = capsys.readouterr().out
    assert "5 förbund · underskott · princip höjd spärr" in swedish
    assert "budget 20 000 000 kr · fördelat 20 000 000 kr · ofördelat 0 kr" in swedish
    assert "effektiv spärr 24,69 %" in swedish and "sänkt golv 1" in swedish
    for english in ("deficit", "raise-limit", "relaxed-floor", "allocated", "wrote"):
        assert english not in swedish
    assert main(["allocate", str(units), "--budget", "20 Mkr", "--language", "en", "-o",
                 str(out)]) == 0  # fmt: skip
    english = capsys.readouterr().out
    assert "5 units · deficit · policy raise-limit" in english
    assert "budget 20,000,000 kr · allocated 20,000,000 kr" in english


def test_a_report_plot_and_table_are_chosen_by_extension(units: Path, tmp_path: Path) -> None:
    for suffix in (".html", ".png", ".csv", ".xlsx"):
        out = tmp_path / f"fordelning{suffix}"
        assert main(["allocate", str(units), "--budget", "20 Mkr", "-o", str(out)]) == 0
    assert (tmp_path / "fordelning.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (tmp_path / "fordelning.png").read_bytes().startswith(b"\x89PNG")


def test_the_comparison_plot_shows_the_budget_where_policies_differ() -> None:
    """The docs' compare --plot once drew the first budget, where every policy agreed."""
    example = fo.national_example()
    comparison = fo.compare(example.units, example.parameters, budgets=[339e6, 300e6])
    assert widest_budget(comparison) == 300e6
    agreeing = fo.compare(example.units, example.parameters, budgets=[339e6, 345e6])
    assert widest_budget(agreeing) == 339e6  # no budget differs: the first one


@pytest.mark.parametrize("option", ["-o", "--summary", "--report"])
def test_no_output_may_name_an_input(option: str, units: Path, tmp_path: Path, capsys) -> None:
    # `allocate base.csv -o base.csv` once replaced the unit table with the decision table.
    before = units.read_bytes()
    argv = ["simulate", str(units), option, str(units)]
    if option != "-o":
        argv += ["-o", str(tmp_path / "t.csv")]
    assert main(argv) == 2
    assert f"{option} {units}: är en fil som kommandot läser" in capsys.readouterr().err
    assert units.read_bytes() == before
