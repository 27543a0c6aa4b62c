"""``finsam-opt round``: an allocation year run round by round on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import finsam_opt as fo
from finsam_opt.cli.app import main
from finsam_opt.datasets.national import NATIONAL_BUDGET

GOTLAND = "Samordningsförbundet Gotland"
MALMO = "Samordningsförbundet Malmö"
UPPSALA = "Samordningsförbundet Uppsala"
VANSBRO = "Samordningsförbundet Vansbro m.fl."


@pytest.fixture(scope="module")
def units_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("units") / "forbund.csv"
    fo.national_example().units.drop(columns=["synthetic"]).rename_axis("unit").to_csv(path)
    return path


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _state(folder: Path) -> dict:
    return json.loads((folder / "process.json").read_text(encoding="utf-8"))


def _decided(folder: Path, number: int, name: str) -> int:
    return int(pd.read_csv(folder / f"{number}_{name}.csv")["amount"].sum())


def test_a_whole_year_round_by_round(units_file: Path, tmp_path: Path, capsys) -> None:
    year = tmp_path / "ar2027"
    code, out, _ = _run(
        capsys, "round", "preliminary", str(year), str(units_file), "--year", "2027"
    )
    assert code == 0
    assert "År 2027 · första preliminära fördelningen · kördes 2026-06-30" in out
    assert "79 förbund · idealfördelning av 339 000 000 kr" in out
    assert _decided(year, 1, "preliminary") == NATIONAL_BUDGET

    code, out, _ = _run(capsys, "round", "second-preliminary", str(year))
    assert code == 0
    assert "(sista dag 2026-09-30; underlag senast 2026-08-31)" in out
    assert "ofördelat 13 963 080 kr" in out
    assert "berättigade till (juni) 339 000 000 kr" in out
    assert "försenat" not in out

    late_answer = tmp_path / "sena_svar.csv"
    late_answer.write_text(
        "Förbund;Ansökt belopp;Kommunernas bidrag;Regionens bidrag;Svarsdatum\n"
        f"{GOTLAND};3 000 000;1 200 000;1 200 000;2026-10-19\n",
        encoding="utf-8",
    )
    code, out, _ = _run(capsys, "round", "revised", str(year), "--answers", str(late_answer),
                        "--date", "2026-11-02")  # fmt: skip
    assert code == 0
    assert "försenat (2):" in out
    assert "reviderade fördelningen kördes 2026-11-02, 2 dagar efter sista dag 2026-10-31" in out
    assert (
        f"{GOTLAND}: svaret är daterat 2026-10-19, 3 dagar efter sista dag 2026-10-16 "
        "(reviderade fördelningen)" in out
    )
    revised = _state(year)["rounds"][2]
    assert revised["late"][1] == {"round": "revised", "day": "2026-10-19",
                                  "deadline": "2026-10-16", "unit": GOTLAND}  # fmt: skip
    table = pd.read_csv(year / "3_revised_units.csv", index_col="unit")
    assert table.loc[GOTLAND, "municipal_match"] == 1_200_000

    code, out, _ = _run(capsys, "round", "final", str(year), "--budget", "330 Mkr")
    assert code == 0
    assert "budget 330 000 000 kr" in out
    assert "varav av ändrad budget -9 000 000 kr" in out
    final = _state(year)["rounds"][3]["summary"]
    assert _decided(year, 4, "final") + round(final["unallocated"]) == 330_000_000

    applications = tmp_path / "ansokningar.csv"
    applications.write_text(
        "Förbund;Ansökan ofördelade medel (tkr);Kommunernas extra bidrag (tkr);"
        "Regionens extra bidrag (tkr);Svarsdatum\n"
        f"{UPPSALA};9 000;4 500;4 500;2027-05-20\n"
        f"{MALMO};8 000;4 000;4 000;2027-06-03\n",
        encoding="utf-8",
    )
    code, out, _ = _run(capsys, "round", "surplus", str(year), "--applications",
                        str(applications), "--returned", f"{VANSBRO}=0,5 Mkr")  # fmt: skip
    assert code == 0
    assert "varav återlämnat 500 000 kr" in out
    assert f"{MALMO}: ansökan är daterad 2027-06-03, 3 dagar efter sista dag 2027-05-31" in out
    spring = _state(year)["rounds"][4]["summary"]
    # Money is conserved through the year: the spring round ends at the final budget.
    assert _decided(year, 5, "surplus") + round(spring["unallocated"]) == 330_000_000
    assert [r["name"] for r in _state(year)["rounds"]] == list(fo.ROUNDS)
    loaded = fo.AllocationYear.load(year)
    assert loaded.round("surplus").late[0].unit == MALMO


def test_english_on_request(units_file: Path, tmp_path: Path, capsys) -> None:
    year = tmp_path / "y"
    code, out, _ = _run(capsys, "round", "final", str(year), str(units_file), "--year", "2027",
                        "--date", "2027-01-04", "--language", "en")  # fmt: skip
    assert code == 0
    assert "Year 2027 · final allocation · run on 2027-01-04 (due 2026-12-31" in out
    assert "final allocation run on 2027-01-04, 4 days after its due date 2026-12-31" in out
    assert "saved the year in" in out and "(rounds: final allocation)" in out


def test_answers_without_their_own_date_take_answered_on(
    units_file: Path, tmp_path: Path, capsys
) -> None:
    year = tmp_path / "y"
    assert main(["round", "preliminary", str(year), str(units_file), "--year", "2027"]) == 0
    answer = tmp_path / "svar.csv"
    answer.write_text(f"Förbund;Ansökt belopp\n{GOTLAND};3 000 000\n", encoding="utf-8")
    code, out, _ = _run(capsys, "round", "second-preliminary", str(year), "--answers",
                        str(answer), "--answered-on", "2026-09-07")  # fmt: skip
    assert code == 0
    assert f"{GOTLAND}: svaret är daterat 2026-09-07, 7 dagar efter sista dag 2026-08-31" in out


def test_a_round_run_again_needs_again_and_drops_the_later_rounds_files(
    units_file: Path, tmp_path: Path, capsys
) -> None:
    year = tmp_path / "y"
    for argv in (["preliminary", str(year), str(units_file), "--year", "2027"],
                 ["second-preliminary", str(year)], ["final", str(year)]):  # fmt: skip
        assert main(["round", *argv]) == 0
    code, _, err = _run(capsys, "round", "second-preliminary", str(year))
    assert code == 2
    assert "skulle ersätta omgångar som redan körts (second-preliminary, final)" in err
    assert (year / "3_final.csv").exists()
    code, out, _ = _run(capsys, "round", "second-preliminary", str(year), "--again")
    assert code == 0
    assert "tog bort de senare omgångarna: final" in out
    assert [r["name"] for r in _state(year)["rounds"]] == ["preliminary", "second_preliminary"]
    assert not any(year.glob("3_final*"))


def test_a_round_earlier_in_the_calendar_replaces_the_later_ones_only_with_again(
    units_file: Path, tmp_path: Path, capsys
) -> None:
    """Before, revised after the spring round ran with exit 0 and the year listed a
    revised round dated October after the spring round."""
    year = tmp_path / "y"
    assert main(["round", "final", str(year), str(units_file), "--year", "2027"]) == 0
    before = (year / "process.json").read_bytes()
    code, _, err = _run(capsys, "round", "revised", str(year))
    assert code == 2 and "would replace" not in err
    assert "skulle ersätta omgångar som redan körts (final)" in err
    assert (year / "process.json").read_bytes() == before
    assert main(["round", "revised", str(year), "--again"]) == 0
    assert [r["name"] for r in _state(year)["rounds"]] == ["revised"]


def test_a_second_command_on_the_same_folder_is_refused(
    units_file: Path, tmp_path: Path, capsys
) -> None:
    """Before, two runs at once both said they had saved the year; one was lost."""
    from finsam_opt.io.safe import exclusive

    year = tmp_path / "y"
    assert main(["round", "preliminary", str(year), str(units_file), "--year", "2027"]) == 0
    with exclusive(year):  # another command holds the folder
        code, _, err = _run(capsys, "round", "second-preliminary", str(year))
    assert code == 2
    assert "ett annat finsam-opt-kommando arbetar i mappen" in err
    assert [r["name"] for r in _state(year)["rounds"]] == ["preliminary"]


def test_a_file_that_cannot_be_removed_leaves_the_folder_unchanged(
    units_file: Path, tmp_path: Path, capsys, monkeypatch
) -> None:
    """Before, a dropped round's file that could not go (open in Excel, immutable) failed
    after process.json and the other files had been replaced."""
    import finsam_opt.io.safe as safe

    year = tmp_path / "y"
    for argv in (["preliminary", str(year), str(units_file), "--year", "2027"],
                 ["final", str(year)]):  # fmt: skip
        assert main(["round", *argv]) == 0
    before = {p.name: p.read_bytes() for p in year.iterdir()}
    rename = safe.os.rename

    def refuse_final(source, target, *args, **kwargs):
        if Path(source).name == "2_final.xlsx":
            raise PermissionError(1, "Operation not permitted", str(source))
        return rename(source, target, *args, **kwargs)

    monkeypatch.setattr(safe.os, "rename", refuse_final)
    code, _, err = _run(capsys, "round", "preliminary", str(year), "--again")
    assert code == 2
    assert "2_final.xlsx: kunde inte tas bort" in err and "inget ändrades" in err
    assert {p.name: p.read_bytes() for p in year.iterdir()} == before


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["preliminary", "{year}", "{units}"], "starta det med --year"),
        (["preliminary", "{year}", "{units}", "--year", "2027", "--answers", "x.csv"],
         "--answers hör till omgångarna second-preliminary, revised och final"),
        (["surplus", "{year}", "{units}", "--year", "2027"], "behöver --applications"),
        (["final", "{year}", "{units}", "--year", "2027", "--policy", "proportional"],
         "--policy proportional: ingen princip för underskott"),
        (["revised", "{year}", "{units}", "--year", "2027", "--date", "31/10"],
         "--date måste vara ett datum"),
        (["revised", "{year}", "{units}", "--year", "2027", "--date", "20261031"],
         "--date måste vara ett datum"),
        (["second-preliminary", "{year}", "{units}", "--year", "2027", "--date", "2026-05-01"],
         "kan inte köras före 2026-06-01"),
        (["final", "{year}", "{units}", "--year", "2027", "--kappa", "0,5"],
         "--kappa hör till omgången surplus med --policy equity-penalty"),
    ],
)  # fmt: skip
def test_mistakes_are_refused_and_nothing_is_written(
    units_file: Path, tmp_path: Path, capsys, argv: list[str], message: str
) -> None:
    year = tmp_path / "y"
    filled = [a.format(year=year, units=units_file) for a in argv]
    code, _, err = _run(capsys, "round", *filled)
    assert code == 2
    assert message in err
    assert not year.exists()


def test_a_started_year_keeps_its_units_and_parameters(
    units_file: Path, tmp_path: Path, capsys
) -> None:
    year = tmp_path / "y"
    assert main(["round", "preliminary", str(year), str(units_file), "--year", "2027"]) == 0
    before = (year / "process.json").read_bytes()
    for argv, message in [
        ([str(units_file)], "har redan sina förbund"),
        (["--decrease-limit", "5 %"], "--decrease-limit: bestämdes när året 2027 startade"),
        (["--year", "2028"], "innehåller året 2027"),
        (["--budget", "300 Mkr"], "--budget hör till omgången final"),
        (["--age-band", "16-65"], "--age-band anges bara när ett år startar"),
        (["--no-carry-previous"], "--carry-previous anges bara när ett år startar"),
    ]:
        code, _, err = _run(capsys, "round", "second-preliminary", str(year), *argv)
        assert code == 2, argv
        assert message in err
    assert (year / "process.json").read_bytes() == before


def test_a_folder_with_other_files_is_not_taken_for_a_year(
    units_file: Path, tmp_path: Path, capsys
) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    code, _, err = _run(capsys, "round", "preliminary", str(tmp_path), str(units_file),
                        "--year", "2027")  # fmt: skip
    assert code == 2
    assert "ett nytt år behöver en ny eller tom mapp" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_an_unanswered_contribution_is_refused_until_the_rule_is_chosen(
    units_file: Path, tmp_path: Path, capsys
) -> None:
    year = tmp_path / "y"
    assert main(["round", "preliminary", str(year), str(units_file), "--year", "2027"]) == 0
    blank = tmp_path / "svar.csv"
    blank.write_text(f"Förbund;Regionens bidrag\n{GOTLAND};\n", encoding="utf-8")
    units = pd.read_csv(units_file, index_col="unit")
    units.loc[GOTLAND, "regional_match"] = float("nan")
    holes = tmp_path / "forbund_hal.csv"
    units.to_csv(holes)
    year2 = tmp_path / "y2"
    code, _, err = _run(capsys, "round", "second-preliminary", str(year2), str(holes),
                        "--year", "2027")  # fmt: skip
    assert code == 2 and "har inte svarat om matchningen" in err
    assert not year2.exists()
    code, out, _ = _run(capsys, "round", "second-preliminary", str(year2), str(holes),
                        "--year", "2027", "--unanswered", "previous")  # fmt: skip
    assert code == 0
    assert f"antagen (föregående års tilldelning / 2, ej besvarad) för 1 förbund: {GOTLAND}" in out
    assert _state(year2)["rounds"][0]["summary"]["assumed"][0]["unit"] == GOTLAND


@pytest.mark.parametrize(
    ("answered_on", "message"),
    [
        ("2025-08-28", "svarsdatum 2025-08-28 är före årets omgång (2026-06-01)"),
        ("2026-12-24", "svarsdatum 2026-12-24 är efter dagen omgången körs (2026-10-31)"),
    ],
)
def test_an_answer_dated_outside_the_year_or_after_its_round_is_refused(
    units_file: Path, tmp_path: Path, capsys, answered_on: str, message: str
) -> None:
    year = tmp_path / "y"
    assert main(["round", "preliminary", str(year), str(units_file), "--year", "2027"]) == 0
    answer = tmp_path / "svar.csv"
    answer.write_text(f"Förbund;Ansökt belopp;Svarsdatum\n{GOTLAND};3 000 000;{answered_on}\n",
                      encoding="utf-8")  # fmt: skip
    code, _, err = _run(capsys, "round", "revised", str(year), "--answers", str(answer))
    assert code == 2
    assert message in err
    assert [r["name"] for r in _state(year)["rounds"]] == ["preliminary"]


def test_a_returns_table_reads_the_swedish_headers_and_their_unit(
    units_file: Path, tmp_path: Path, capsys
) -> None:
    """Before, only the English headers unit;returned were read, and 500 was 500 kr."""
    year = tmp_path / "y"
    assert main(["round", "final", str(year), str(units_file), "--year", "2027"]) == 0
    applications = tmp_path / "ansokningar.csv"
    applications.write_text(
        f"Förbund;Ansökan ofördelade medel (tkr);Kommunernas extra bidrag (tkr);"
        f"Regionens extra bidrag (tkr)\n{UPPSALA};9 000;4 500;4 500\n",
        encoding="utf-8",
    )
    returns = tmp_path / "aterlamnat.csv"
    returns.write_text(f"Förbund;Återlämnade medel (tkr)\n{VANSBRO};500\n", encoding="utf-8")
    code, out, _ = _run(capsys, "round", "surplus", str(year), "--applications",
                        str(applications), "--returned", str(returns))  # fmt: skip
    assert code == 0
    assert "varav återlämnat 500 000 kr" in out


def test_a_budget_with_ore_leaves_the_ore_unallocated_in_june(
    units_file: Path, tmp_path: Path, capsys
) -> None:
    """Before, June said 339 000 001 kr and left 0,50 kr out of the year's sums."""
    year = tmp_path / "y"
    code, out, _ = _run(capsys, "round", "preliminary", str(year), str(units_file), "--year",
                        "2027", "--budget", "339 000 000,50")  # fmt: skip
    assert code == 0
    assert "idealfördelning av 339 000 000,50 kr" in out
    june = _state(year)["rounds"][0]["summary"]
    assert _decided(year, 1, "preliminary") + june["unallocated"] == 339_000_000.5


def test_a_return_names_its_forbund_as_an_answer_does(
    units_file: Path, tmp_path: Path, capsys
) -> None:
    """Before, --returned matched names exactly while --answers ignored case and spaces."""
    year = tmp_path / "y"
    assert main(["round", "final", str(year), str(units_file), "--year", "2027"]) == 0
    applications = tmp_path / "ansokningar.csv"
    applications.write_text(f"Förbund;Ansökan ofördelade medel\n{UPPSALA};1 000 000\n",
                            encoding="utf-8")  # fmt: skip
    shouted = "  " + VANSBRO.upper() + " "
    code, _, err = _run(capsys, "round", "surplus", str(year), "--applications",
                        str(applications), "--returned", f"{shouted}=0,5 Mkr")  # fmt: skip
    assert code == 0, err
    spring = pd.read_csv(year / "2_surplus.csv", index_col="unit")
    assert spring.loc[VANSBRO, "returned"] == 500_000


def test_skrev_is_said_only_once_the_files_are_in_place(
    units_file: Path, tmp_path: Path, capsys, monkeypatch
) -> None:
    """Before, "sparade året …" and "skrev …" were printed before the files were put in
    place, so a failure at that last step followed a line saying they had been written."""
    import finsam_opt.io.safe as safe

    def fail(self) -> None:
        raise OSError(28, "No space left on device", str(tmp_path / "y" / "process.json"))

    monkeypatch.setattr(safe._OutputSet, "commit", fail)
    code, out, err = _run(capsys, "round", "preliminary", str(tmp_path / "y"), str(units_file),
                          "--year", "2027")  # fmt: skip
    assert code == 2 and "No space left on device" in err
    assert "79 förbund · idealfördelning" in out  # the result itself is still shown
    assert "sparade året" not in out
    code, out, _ = _run(capsys, "allocate", str(units_file), "-o", str(tmp_path / "b.xlsx"))
    assert code == 2 and "skrev" not in out
    monkeypatch.undo()
    code, out, _ = _run(capsys, "allocate", str(units_file), "-o", str(tmp_path / "b.xlsx"))
    assert code == 0 and out.rstrip().endswith(f"skrev {tmp_path / 'b.xlsx'}")
