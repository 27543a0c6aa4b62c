"""finsam-opt forecast: the workbook, one letter per förbund, a growth file, Swedish console."""

from __future__ import annotations

from pathlib import Path

import openpyxl

import finsam_opt as fo
from finsam_opt.cli import main


def test_forecast_writes_the_workbook_and_a_letter_per_förbund(tmp_path: Path, capsys) -> None:
    units = tmp_path / "units.csv"
    fo.example_units().to_csv(units)
    growth = tmp_path / "tillväxt.csv"
    growth.write_text("Förbund;År;Försörjningsmått\nB;2028;10 %\n", encoding="utf-8")
    workbook, letters = tmp_path / "prognos.xlsx", tmp_path / "brev"
    arguments = [
        "forecast", str(units), "--budget", "20 Mkr", "--years", "3", "--first-year", "2027",
        "--futures", "50", "--support-sd", "2 %", "--growth", str(growth),
        "-o", str(workbook), "--letters", str(letters),
    ]  # fmt: skip
    assert main(arguments) == 0
    out = capsys.readouterr().out
    assert "5 förbund · 50 framtider · år 2027–2029 · princip höjd spärr" in out
    assert "raise-limit" not in out
    assert openpyxl.load_workbook(workbook).sheetnames == [
        "Prognos",
        "A",
        "B",
        "C",
        "D",
        "E",
        "Parametrar",
    ]
    assert sorted(p.name for p in letters.iterdir()) == [f"{u}.html" for u in "ABCDE"]
    expected = fo.forecast(
        fo.example_units(), fo.Parameters(budget=20_000_000), 3, scenarios=50, first_year=2027,
        support=fo.Drift(fo.io.read_growth(growth).support_measure, 0.02),
    )  # fmt: skip
    rows = list(openpyxl.load_workbook(workbook)["Prognos"].iter_rows(values_only=True))[1:16]
    assert [r[3] for r in rows] == [round(m) for m in expected.bands["median"]]


def test_simulate_takes_a_growth_file(tmp_path: Path, capsys) -> None:
    units = tmp_path / "units.csv"
    fo.example_units().to_csv(units)
    growth = tmp_path / "growth.csv"
    growth.write_text("unit,year,support_measure\nB,2,0.5\n", encoding="utf-8")
    output = tmp_path / "paths.csv"
    arguments = ["simulate", str(units), "--budget", "20 Mkr", "--years", "2", "--no-progress"]
    assert main([*arguments, "--growth", str(growth), "--output", str(output)]) == 0
    expected = fo.simulate(
        fo.example_units(), fo.Parameters(budget=20e6), years=2, support_growth={"B": 0.5}
    )
    written = output.read_text(encoding="utf-8")
    assert str(expected.by_year().loc["B", 2]) in written


def test_explore_writes_one_page_with_every_policy_given(tmp_path: Path, capsys) -> None:
    units = tmp_path / "units.csv"
    fo.example_units().to_csv(units)
    declared = tmp_path / "hälften.toml"
    declared.write_text(
        'name = "hälften"\n[[phase]]\nkind = "scale-protection"\nkeep = 0.5\n'
        '[[phase]]\nkind = "raise-limit"\n',
        encoding="utf-8",
    )
    page = tmp_path / "utforskare.html"
    arguments = ["explore", str(units), "--budget", "20 Mkr", "-o", str(page)]
    assert main([*arguments, "--policy", "raise-limit", "--policy", str(declared)]) == 0
    assert f"skrev {page}" in capsys.readouterr().out
    text = page.read_text(encoding="utf-8")
    assert '"policies":["raise-limit","hälften"]' in text
    data = fo.explorer_data(
        fo.example_units(), fo.Parameters(budget=20e6), ["raise-limit", str(declared)]
    )
    assert f'"amounts":{data.amounts.tolist()}'.replace(" ", "") in text


def test_compare_writes_the_policies_side_by_side(tmp_path: Path, capsys) -> None:
    units = tmp_path / "units.csv"
    fo.example_units().to_csv(units)
    declared = tmp_path / "limit-20.toml"
    declared.write_text(
        'name = "limit-20"\n[[phase]]\nkind = "raise-limit"\nat_most = 0.2\n'
        '[[phase]]\nkind = "scale-gains"\n[[phase]]\nkind = "relax-floors"\n',
        encoding="utf-8",
    )
    figures, plot = tmp_path / "nyckeltal.xlsx", tmp_path / "nyckeltal.png"
    arguments = ["compare", str(units), "--budget", "20 Mkr", "--budget", "21 Mkr",
                 "--policy", "raise-limit", "--policy", str(declared), "--years", "4",
                 "--figures", str(figures), "--figures-plot", str(plot)]  # fmt: skip
    assert main(arguments) == 0
    assert plot.stat().st_size > 0
    rows = list(openpyxl.load_workbook(figures).worksheets[0].iter_rows(values_only=True))
    header = rows[0]
    assert "Gini mot idealets andelar" in header and "År tills alla når idealet" in header
    expected = fo.policy_table(
        fo.example_units(), fo.Parameters(budget=20e6), ["raise-limit", str(declared)],
        [20e6, 21e6], years=4,
    ).table  # fmt: skip
    assert [r[header.index("Princip")] for r in rows[1:5]] == [
        "höjd spärr", "limit-20", "höjd spärr", "limit-20"
    ]  # fmt: skip
    losers = [r[header.index("Förlorare")] for r in rows[1:5]]
    assert losers == expected["losers"].tolist()


def test_forecast_applies_a_changes_table_in_every_future(tmp_path: Path, capsys) -> None:
    units = tmp_path / "units.csv"
    fo.example_units().to_csv(units)
    changes = tmp_path / "changes.csv"
    changes.write_text("year,action,unit,members\n2,merge,BE,B;E\n", encoding="utf-8")
    workbook = tmp_path / "prognos.xlsx"
    arguments = ["forecast", str(units), "--budget", "20 Mkr", "--years", "3", "--futures", "5",
                 "--changes", str(changes), "-o", str(workbook)]  # fmt: skip
    assert main(arguments) == 0
    sheets = openpyxl.load_workbook(workbook).sheetnames
    assert sheets == ["Prognos", "A", "B", "C", "D", "E", "Parametrar"]  # letters: first year
    rows = list(openpyxl.load_workbook(workbook)["Prognos"].iter_rows(values_only=True))[1:]
    merged = [r for r in rows if r[0] == "BE"]
    simulation = fo.simulate(
        fo.example_units(), fo.Parameters(budget=20e6), years=3,
        changes=[fo.Merge(2, "BE", ("B", "E"))],
    )  # fmt: skip
    assert [r[3] for r in merged] == simulation.by_year().loc["BE", [2, 3]].tolist()


def test_forecast_fits_a_drift_to_a_history_file(tmp_path: Path) -> None:
    units = tmp_path / "units.csv"
    fo.example_units().to_csv(units)
    history = tmp_path / "historik.csv"
    history.write_text(
        "Förbund;2021;2022;2023\nB;300000;330000;346500\nD;150000;140000;150000\n",
        encoding="utf-8",
    )
    workbook = tmp_path / "prognos.xlsx"
    arguments = ["forecast", str(units), "--budget", "20 Mkr", "--years", "3", "--futures", "40",
                 "--seed", "4", "--support-history", str(history), "-o", str(workbook)]  # fmt: skip
    assert main(arguments) == 0
    expected = fo.forecast(
        fo.example_units(), fo.Parameters(budget=20e6), 3, scenarios=40, seed=4,
        support=fo.Drift.fit(fo.io.read_history(history)),
    )  # fmt: skip
    rows = list(openpyxl.load_workbook(workbook)["Prognos"].iter_rows(values_only=True))[1:16]
    assert [r[3] for r in rows] == [round(m) for m in expected.bands["median"]]


def test_forecast_names_the_assumed_contributions_in_console_workbook_and_letters(
    tmp_path: Path, capsys
) -> None:
    """MODEL.md §9.11: a förbund whose region has not answered is named everywhere."""
    table = fo.example_units()
    table.loc["B", "regional_match"] = float("nan")
    units = tmp_path / "units.csv"
    table.to_csv(units)
    workbook, letters = tmp_path / "prognos.xlsx", tmp_path / "brev"
    arguments = [
        "forecast", str(units), "--budget", "20 Mkr", "--years", "3", "--first-year", "2027",
        "--futures", "20", "--unanswered", "previous", "-o", str(workbook),
        "--letters", str(letters),
    ]  # fmt: skip
    assert main(arguments) == 0
    assert (
        "matchning: insamlad; antagen (föregående års tilldelning / 2, ej besvarad) för 1 "
        "förbund: B (regionens bidrag: 2027–2029)" in capsys.readouterr().out
    )
    book = openpyxl.load_workbook(workbook)
    rows = list(book["Prognos"].iter_rows(values_only=True))
    header = rows[0]
    flag = header.index("Regionens bidrag antaget, ej besvarat")
    assert [r[flag] for r in rows[1:] if r[0] == "B"] == ["ja"] * 3
    assert [r[flag] for r in rows[1:] if r[0] == "A"] == ["nej"] * 3
    parameters = dict(book["Parametrar"].values)
    assert parameters["Obesvarat bidrag tas som"] == "föregående års tilldelning / 2"
    letter = (letters / "B.html").read_text(encoding="utf-8")
    assert "B har inte svarat om matchningen (regionens bidrag: 2027–2029)" in letter
    assert "har inte svarat" not in (letters / "A.html").read_text(encoding="utf-8")
    assert main([*arguments[:-4], "--language", "en"]) == 0
    assert "B (regional_match: 2027–2029)" in capsys.readouterr().out


def test_explore_names_the_assumed_contributions_on_the_console(tmp_path: Path, capsys) -> None:
    table = fo.example_units()
    table.loc["B", "regional_match"] = float("nan")
    units = tmp_path / "units.csv"
    table.to_csv(units)
    page = tmp_path / "utforskare.html"
    arguments = ["explore", str(units), "--budget", "20 Mkr", "--unanswered", "no-limit",
                 "-o", str(page)]  # fmt: skip
    assert main(arguments) == 0
    assert (
        "matchning: insamlad; antagen (ingen gräns, ej besvarad) för 1 förbund: "
        "B (regionens bidrag)" in capsys.readouterr().out
    )
