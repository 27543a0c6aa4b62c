"""The calendar of an allocation year (MODEL.md §12): dates, deadlines, a revised round."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

import finsam_opt as fo

D = dt.date


@pytest.fixture(scope="module")
def example() -> fo.NationalExample:
    return fo.national_example()


def test_the_rounds_and_their_deadlines_for_2027():
    expected = {
        "preliminary": (D(2026, 6, 30), None),
        "second_preliminary": (D(2026, 9, 30), D(2026, 8, 31)),
        "revised": (D(2026, 10, 31), D(2026, 10, 16)),  # after week 42 (Fri 16 October)
        "final": (D(2026, 12, 31), D(2026, 10, 16)),
        "surplus": (D(2027, 6, 30), D(2027, 5, 31)),
    }
    for name, (due, input_due) in expected.items():
        assert fo.round_dates(name, 2027) == fo.RoundDates(due, input_due)
    assert fo.round_dates("revised", 2027).input_due.isocalendar()[1] == 42
    with pytest.raises(fo.InputError, match="round 'spring' has no place in the calendar"):
        fo.round_dates("spring", 2027)


def test_every_round_knows_its_dates_and_a_revised_round_follows_week_42(example):
    year = fo.AllocationYear(2027, example.units, example.parameters)
    year = year.preliminary().second_preliminary().revised().final()
    assert [r.name for r in year.rounds] == [
        "preliminary",
        "second_preliminary",
        "revised",
        "final",
    ]
    revised = year.round("revised")
    assert (revised.date, revised.due, revised.input_due) == (
        D(2026, 10, 31),
        D(2026, 10, 31),
        D(2026, 10, 16),
    )
    assert all(r.late == () for r in year.rounds)


def test_answers_dated_past_the_deadline_and_a_late_round_are_reported(example):
    answers = example.units[["requested", "municipal_match", "regional_match"]].iloc[:3].copy()
    answers["answered_on"] = ["2026-08-30", "2026-09-02", None]
    year = fo.AllocationYear(2027, example.units, example.parameters).preliminary()
    year = year.second_preliminary(answers, date="2026-10-05")
    late = year.round("second_preliminary").late
    assert late == (
        fo.Late("second_preliminary", D(2026, 10, 5), D(2026, 9, 30)),
        fo.Late("second_preliminary", D(2026, 9, 2), D(2026, 8, 31), answers.index[1]),
    )
    assert [item.text("sv") for item in late] == [
        "andra preliminära fördelningen kördes 2026-10-05, 5 dagar efter sista dag 2026-09-30",
        f"{answers.index[1]}: svaret är daterat 2026-09-02, 2 dagar efter sista dag 2026-08-31 "
        "(andra preliminära fördelningen)",
    ]
    assert late[0].text("en") == (
        "second preliminary allocation run on 2026-10-05, 5 days after its due date 2026-09-30"
    )
    spring_apps = pd.DataFrame(
        {"application": [1e6], "answered_on": [D(2027, 6, 2)]}, index=example.units.index[:1]
    )
    spring = year.final().surplus(spring_apps).round("surplus")
    assert spring.late == (
        fo.Late("surplus", D(2027, 6, 2), D(2027, 5, 31), example.units.index[0]),
    )
    assert spring.late[0].text("sv") == (
        f"{example.units.index[0]}: ansökan är daterad 2027-06-02, 2 dagar efter sista dag "
        "2027-05-31 (ofördelade medel)"
    )
    assert spring.late[0].text("en").startswith(f"{example.units.index[0]}: application dated")
    with pytest.raises(fo.InputError, match="date must be a date"):
        year.final(date="last Tuesday")


def test_a_saved_year_records_its_dates(example, tmp_path: Path):
    year = fo.AllocationYear(2027, example.units, example.parameters)
    year = year.preliminary(date=D(2026, 6, 12)).final(date="2027-01-10")
    folder = year.save(tmp_path / "2027")
    state = json.loads((folder / "process.json").read_text(encoding="utf-8"))
    assert state["rounds"][0]["date"] == "2026-06-12"
    final = state["rounds"][1]
    assert (final["date"], final["due"], final["input_due"]) == (
        "2027-01-10",
        "2026-12-31",
        "2026-10-16",
    )
    assert state["rounds"][1]["late"] == [
        {"round": "final", "day": "2027-01-10", "deadline": "2026-12-31", "unit": None}
    ]
    loaded = fo.AllocationYear.load(folder)
    assert [(r.date, r.late) for r in loaded.rounds] == [(r.date, r.late) for r in year.rounds]


def test_one_day_late_is_said_in_the_singular():
    late = fo.Late("final", D(2027, 1, 1), D(2026, 12, 31))
    assert (
        late.text("sv")
        == "slutliga fördelningen kördes 2027-01-01, 1 dag efter sista dag 2026-12-31"
    )
    assert (
        late.text("en") == "final allocation run on 2027-01-01, 1 day after its due date 2026-12-31"
    )


def test_a_saved_late_record_that_is_not_one_names_the_file(example, tmp_path: Path):
    year = fo.AllocationYear(2027, example.units, example.parameters).preliminary(date="2026-07-02")
    folder = year.save(tmp_path / "2027")
    state_file = folder / "process.json"
    state = json.loads(state_file.read_text(encoding="utf-8"))
    state["rounds"][0]["late"] = ["round 'preliminary' run on 2026-07-02, after its due date"]
    state_file.write_text(json.dumps(state), encoding="utf-8")
    with pytest.raises(
        fo.InputError, match=r"process.json: a damaged saved year .*run the round again"
    ):
        fo.AllocationYear.load(folder)
