"""The command line, in-process and once as a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import finsam_opt
from bad_files import BAD_FILES
from finsam_opt.cli.app import EXAMPLE_OUTPUT, main
from finsam_opt.datasets.national import data_file
from finsam_opt.io import read_decision_table, read_units


def national_args() -> list[str]:
    return [
        "--municipalities", str(data_file("national_municipalities.csv")),
        "--memberships", str(data_file("national_memberships.csv")),
        "--unit-data", str(data_file("national_units.csv")),
    ]  # fmt: skip


def test_example_writes_default_file(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["example"]) == 0
    out = capsys.readouterr().out
    assert "79 förbund · överskott · princip höjd spärr" in out
    assert "idealfördelning 52, tak (matchning) 13, golv (spärren) 10, nytt förbund 4" in out
    assert "ofördelat 13 963 080 kr · effektiv spärr 10,00 %" in out
    table = read_decision_table(tmp_path / EXAMPLE_OUTPUT)
    assert len(table) == 79


def test_yearly_round_trip_through_the_cli(tmp_path: Path, capsys) -> None:
    units_file = tmp_path / "forbund.xlsx"
    assert main(["allocate", *national_args(), "-o", str(units_file)]) == 0
    assert main(["ideal", str(units_file), "-o", str(tmp_path / "juni.csv")]) == 0
    assert (tmp_path / "juni.csv").read_text(encoding="utf-8-sig").startswith("Förbund;")
    templates = tmp_path / "svar"
    assert main(["template", str(units_file), "-d", str(templates)]) == 0
    assert len(list(templates.glob("svarsmall_*.xlsx"))) == 79
    merged = tmp_path / "forbund_svar.csv"
    assert main(["answers", str(templates), "--units", str(units_file), "-o", str(merged)]) == 0
    assert "svar från 0 av 79 förbund" in capsys.readouterr().out  # templates sent back blank
    units = read_units(units_file)
    for path in sorted(templates.glob("svarsmall_*.xlsx"))[:2]:  # two förbund answer
        book = openpyxl.load_workbook(path)
        sheet = book["Svar"]
        row = units.loc[sheet["A2"].value]
        sheet["E2"], sheet["F2"], sheet["G2"] = (
            int(row[c]) for c in ("requested", "municipal_match", "regional_match")
        )
        book.save(path)
    assert main(["answers", str(templates), "--units", str(units_file), "-o", str(merged)]) == 0
    printed = capsys.readouterr().out
    assert "svar från 2 av 79 förbund" in printed and "inget svar från: " in printed
    decision = tmp_path / "beslut.xlsx"
    args = ["allocate", str(units_file), "--answers", str(templates), "--budget", "339 Mkr"]
    assert main([*args, "-o", str(decision)]) == 0
    assert read_decision_table(decision)["allocation_rounded"].sum() == 325_036_920
    assert len(read_units(merged)) == 79


def test_english_and_csv(tmp_path: Path) -> None:
    out = tmp_path / "d.csv"
    assert main(["example", "--language", "en", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8-sig").startswith("Unit,")
    assert (tmp_path / "d_parameters.csv").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["example", "--budget", "tre"], "argumentet --budget: inget belopp: 'tre'"),
        (["allocate", "-o", "x.xlsx"], "inga förbund: ange en förbundstabell"),
        (["allocate", "BAD/units_negative_previous.csv", "-o", "OUT.xlsx"],
         "units_negative_previous.csv, rad 3, kolumn 'Föregående års tilldelning'"),
        (["ideal", "BAD/units_zip_bomb.xlsx", "-o", "OUT.xlsx"], "packas upp till 210 000 000"),
        (["example", "--budget", "10 kr", "-o", "OUT.xlsx"], "budgeten (10 kr) måste vara minst"),
        (["nonsense"], "ogiltigt val: 'nonsense'"),
    ],
)  # fmt: skip
def test_bad_input_one_line_exit_2(
    argv, message, tmp_path, tmp_path_factory, monkeypatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    argv = [_bad_file(a[4:], tmp_path_factory) if a.startswith("BAD/") else a for a in argv]
    with pytest.raises(SystemExit) if argv[0] == "nonsense" or "tre" in argv else _none():
        assert main(argv) == 2
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("finsam-opt")]
    assert len(errors) == 1  # one line; anything else on stderr is progress ("reading ...")
    assert message in errors[0]
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []  # nothing written


class _none:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return False


def test_help_has_examples(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["allocate", "--help"])
    assert info.value.code == 0
    assert "finsam-opt allocate forbund_svar.xlsx" in capsys.readouterr().out


def _bad_file(name: str, factory: pytest.TempPathFactory) -> str:
    """One file of the generated corpus (tests/bad_files.py), outside the test's own folder."""
    path = factory.mktemp("bad") / name
    BAD_FILES[name](path)
    return str(path)


def test_real_subprocess(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    env = dict(os.environ)
    src = str(Path(finsam_opt.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run(
        [sys.executable, "-m", "finsam_opt", "example", "-o", "b.xlsx"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "79 förbund · överskott" in done.stdout
    assert openpyxl.load_workbook(tmp_path / "b.xlsx").sheetnames[1] == "Parametrar"
    old_excel = _bad_file("units_old_excel.xls", tmp_path_factory)
    bad = subprocess.run(
        [sys.executable, "-m", "finsam_opt", "allocate", old_excel,
         "-o", "x.xlsx"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert bad.returncode == 2
    assert bad.stderr.strip().endswith(
        "spara filen som Excel-arbetsbok (.xlsx) eller som 'CSV UTF-8 (kommaavgränsad)'"
    )
    assert "Traceback" not in bad.stderr


def test_decrease_limit_in_swedish(tmp_path: Path, capsys) -> None:
    out = tmp_path / "b.xlsx"
    argv = ["allocate", *national_args(), "--decrease-limit", "5 %", "-o", str(out)]
    assert main(argv) == 0
    parameters = dict(openpyxl.load_workbook(out)["Parametrar"].values)
    assert parameters["Högsta minskning (spärr)"] == pytest.approx(0.05)


def test_municipality_errors_name_the_files(tmp_path: Path, capsys) -> None:
    members = tmp_path / "medlemmar.csv"
    members.write_text("Kommunkod;Förbund\n0114;A\n0114;B\n")
    argv = ["allocate", "--municipalities", str(data_file("national_municipalities.csv")),
            "--memberships", str(members), "-o", str(tmp_path / "x.xlsx")]  # fmt: skip
    assert main(argv) == 2
    assert (
        "medlemmar.csv: kommunen 0114 (Upplands Väsby) är med i mer än ett förbund: 'A' och 'B'"
        in capsys.readouterr().err
    )


def test_synthetic_writes_a_table_that_allocates(tmp_path: Path, capsys) -> None:
    out = tmp_path / "units.csv"
    assert main(["synthetic", "200", "--seed", "3", "--scenario", "mild-deficit",
                     "-o", str(out)]) == 0  # fmt: skip
    assert "200 syntetiska förbund (litet underskott, frö 3); budget 847 500 000 kr" in (
        capsys.readouterr().out
    )
    assert out.read_text(encoding="utf-8-sig").startswith("Förbund;")
    assert main(["allocate", str(out), "--budget", "847,5 Mkr", "-o",
                     str(tmp_path / "d.csv")]) == 0  # fmt: skip
    assert "förbund · underskott" in capsys.readouterr().out


def write_spring_files(tmp_path: Path, matched: str = "2 500") -> tuple[Path, Path, list[str]]:
    """The national unit table and four applications of 5 Mkr, in tkr with Swedish headers."""
    example = finsam_opt.national_example()
    units = tmp_path / "forbund.csv"
    example.units.to_csv(units, index_label="unit")
    names = example.units.index[:4].tolist()
    applications = tmp_path / "ansokningar.csv"
    header = "Förbund;Ansökan ofördelade medel (tkr);Kommunernas extra bidrag (tkr);"
    rows = "".join(f"{name};5 000;{matched};{matched}\n" for name in names)
    applications.write_text(header + "Regionens extra bidrag (tkr)\n" + rows, encoding="utf-8")
    return units, applications, names


@pytest.mark.parametrize(("language", "suffix"), [("sv", ".xlsx"), ("en", ".csv")])
def test_surplus_redistributes_the_leftover(tmp_path: Path, capsys, language, suffix) -> None:
    units, applications, names = write_spring_files(tmp_path)
    out = tmp_path / f"ofordelade{suffix}"
    example = finsam_opt.national_example()
    giver = example.units.index[-1]
    argv = ["surplus", str(applications), "--units", str(units), "--returned", f"{giver}=0,5 Mkr",
            "--policy", "proportional", "--language", language, "-o", str(out)]  # fmt: skip
    assert main(argv) == 0
    printed = capsys.readouterr().out
    direct = finsam_opt.redistribute(
        dict.fromkeys(names, 5e6),
        finsam_opt.allocate(example.units, example.parameters),
        example.parameters,
        policy="proportional",
        units=example.units,
        returned={giver: 500_000},
    )
    assert direct.balancing_scalar is not None  # 20 Mkr applied for, about 14.5 Mkr available
    granted = finsam_opt.language.numbers.format_kronor(direct.rounded_total, language)
    if language == "sv":
        assert "4 ansökningar · princip proportionellt" in printed
        assert f"beviljat {granted}" in printed
    else:
        assert "4 applications · policy proportional" in printed
        assert f"granted {granted}" in printed
    back = read_decision_table(out)
    assert sorted(back.index) == sorted(example.units.index)
    assert back["granted_rounded"].tolist() == (
        direct.table.loc[back.index, "granted_rounded"].tolist()
    )
    assert back.loc[names, "application"].tolist() == [5_000_000] * 4


def test_surplus_with_an_amount_and_no_unit_table(tmp_path: Path, capsys) -> None:
    _, applications, names = write_spring_files(tmp_path)
    out = tmp_path / "ofordelade.xlsx"
    assert main(["surplus", str(applications), "--available", "30 Mkr", "-o", str(out)]) == 0
    assert "ansökningarna ryms: beviljas fullt ut" in capsys.readouterr().out
    back = read_decision_table(out)
    assert back.index.tolist() == sorted(names)  # without a unit table: the applicants only
    assert back["granted_rounded"].tolist() == [5_000_000] * 4


@pytest.mark.parametrize(
    ("extra_argv", "matched", "message"),
    [
        ([], "2 500", "ange --available, eller --units för att fördela budgeten"),
        (["--available", "1 Mkr"], "1 000", "Ansökan ofördelade medel 5 000 000 kr är "
         "mer än 2 × min"),
        (["--available", "1 Mkr", "--staircase", "STAIRS"], "2 500", "trappa.csv: en tabell "
         "med trappan behöver kolumnen/kolumnerna 'turnover_upper_bound'"),
        (["--available", "340 Mkr"], "2 500", "--available 340 000 000 kr är mer än årets "
         "budget (--budget 339 000 000 kr): årets beslut skulle tillsammans bli större än "
         "budgeten"),
        (["--available", "14 Mkr", "--units", "UNITS"], "2 500", "--available 14 000 000 kr är "
         "mer än de ofördelade medel som blir kvar när --budget 339 000 000 kr fördelas till "
         "--units (13 963 080 kr)"),
    ],
)  # fmt: skip
def test_surplus_bad_input_writes_nothing(tmp_path: Path, capsys, extra_argv, matched, message):
    units, applications, _ = write_spring_files(tmp_path, matched)
    stairs = tmp_path / "trappa.csv"
    stairs.write_text("upper;fraction\n1;0.1\n", encoding="utf-8")
    given = {"STAIRS": str(stairs), "UNITS": str(units)}
    extra_argv = [given.get(a, a) for a in extra_argv]
    out = tmp_path / "out" / "ofordelade.xlsx"
    out.parent.mkdir()
    assert main(["surplus", str(applications), *extra_argv, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert list(out.parent.iterdir()) == []


def test_junes_amounts_add_up_to_the_budget(tmp_path: Path, capsys) -> None:
    # Before: the preliminary sheet and the answer templates rounded each ideal on its own
    # (290 000 002 kr sent for a 290 Mkr budget), and two rows' kr and tkr disagreed.
    example = tmp_path / "ex.xlsx"
    assert main(["example", "-o", str(example)]) == 0
    assert main(["ideal", str(example), "--budget", "290 Mkr", "-o", str(tmp_path / "p.xlsx")]) == 0
    rows = list(
        openpyxl.load_workbook(tmp_path / "p.xlsx").worksheets[0].iter_rows(values_only=True)
    )
    header, body = rows[0], [r for r in rows[1:] if r[0] != "Totalt"]
    kr, tkr = header.index("Idealfördelning (kr)"), header.index("Idealfördelning (tkr)")
    assert sum(r[kr] for r in body) == 290_000_000
    assert all(r[kr] == round(r[tkr] * 1000) for r in body)
    folder = tmp_path / "mallar"
    argv = ["template", str(example), "--budget", "290 Mkr", "-d", str(folder), "--combined"]
    assert main(argv) == 0
    combined = next(p for p in folder.iterdir() if "alla" in p.name)
    rows = list(openpyxl.load_workbook(combined).worksheets[0].iter_rows(values_only=True))
    column = rows[0].index("Preliminär tilldelning (kr)")
    assert sum(r[column] for r in rows[1:] if isinstance(r[column], int)) == 290_000_000
