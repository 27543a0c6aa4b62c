"""The explorer page: precomputed exactly as allocate, self-contained, checked in a browser."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import finsam_opt as fo
from finsam_opt.language.words import label
from headless import chromium


def test_every_precomputed_budget_is_allocate_at_that_budget() -> None:
    units, params = fo.example_units(), fo.Parameters(budget=20_000_000)
    data = fo.explorer_data(units, params)
    assert data.budgets[0] == 14_000_000 and data.budgets[-1] == 26_000_000
    assert np.diff(data.budgets).tolist() == [500_000] * (len(data.budgets) - 1)
    for k, policy in enumerate(data.policies):
        for i in range(0, len(data.budgets), 3):
            result = fo.allocate(units, replace(params, budget=float(data.budgets[i])), policy)
            assert data.amounts[k, i].tolist() == result.table["allocation_rounded"].tolist()
            assert data.rate[k, i] == pytest.approx(result.balancing_scalar, abs=1e-12)


def test_a_policy_that_cannot_place_a_budget_is_marked_not_placed() -> None:
    floors_kept = fo.policy_from_toml(
        '[[phase]]\nkind = "scale-gains"\n[[phase]]\nkind = "relax-floors"\n', name="gains"
    )
    only_floors = fo.Policy("floors-kept", floors_kept.phases[:1])
    data = fo.explorer_data(
        fo.example_units(), fo.Parameters(budget=20_000_000), ["raise-limit", only_floors]
    )
    placed = (data.amounts[1] >= 0).all(axis=1)
    assert (data.amounts[1][~placed] == -1).all() and placed.any() and not placed.all()
    for i, budget in enumerate(data.budgets):
        params = fo.Parameters(budget=float(budget))
        if placed[i]:
            expected = fo.allocate(fo.example_units(), params, only_floors)
            assert data.amounts[1, i].tolist() == expected.table["allocation_rounded"].tolist()
        else:
            with pytest.raises(fo.SolverError, match="not even its last phase fits"):
                fo.allocate(fo.example_units(), params, only_floors)


def test_bad_slider_settings_are_refused() -> None:
    units, params = fo.example_units(), fo.Parameters(budget=20_000_000)
    with pytest.raises(fo.InputError, match="span must be from 0 up to 1"):
        fo.explorer_data(units, params, span=1.5)
    with pytest.raises(fo.InputError, match="step must be > 0 kronor"):
        fo.explorer_data(units, params, step=0)
    with pytest.raises(fo.InputError, match="too many for one page"):
        fo.explorer_data(units, params, step=1_000)
    with pytest.raises(fo.InputError, match=r"is written as \.html"):
        fo.write_explorer(units, params, "utforskare.xlsx")


def test_bad_slider_settings_are_refused_in_swedish(tmp_path: Path) -> None:
    units, params = fo.example_units(), fo.Parameters(budget=20_000_000)
    with pytest.raises(fo.InputError) as caught:
        fo.explorer_data(units, params, span=1.5)
    assert caught.value.text("sv") == "span måste vara från 0 upp till 1, inte 1.5"
    with pytest.raises(fo.InputError) as caught:
        fo.explorer_data(units, params, step=1_000)
    assert caught.value.text("sv") == (
        "12001 budgetar är för många för en sida (högst 2001); ta ett större steg (step)"
    )
    with pytest.raises(fo.InputError) as caught:
        fo.write_explorer(units, params, tmp_path / "utforskare.xlsx")
    assert caught.value.text("sv") == "utforskare.xlsx: utforskaren skrivs som .html"
    assert list(tmp_path.iterdir()) == []


def test_the_page_is_one_file_that_needs_no_network(tmp_path: Path) -> None:
    page = fo.write_explorer(
        fo.example_units(), fo.Parameters(budget=20_000_000), tmp_path / "utforskare.html"
    )
    text = page.read_text(encoding="utf-8")
    assert re.search(r"<(script|link|img)[^>]+(src|href)=", text) is None
    assert "http://" not in text and "https://" not in text
    assert "höjd spärr" in text and '<html lang="sv">' in text


def _read_page(page: Path, fragment: str, profile: Path) -> tuple[float, dict[int, int], str]:
    dom = chromium(
        "--virtual-time-budget=10000",
        "--dump-dom",
        f"{page.as_uri()}#{fragment}",
        profile=profile,
    ).stdout
    budget = float(re.search(r'id="budget-value" data-budget="([0-9.]+)"', dom).group(1))
    amounts = {
        int(unit): int(amount)
        for unit, amount in re.findall(
            r'<tr data-unit="(\d+)"><td>[^<]*</td><td class="num" '
            r'data-amount="(-?\d+)"',
            dom,
        )
    }
    heading = re.search(r'<h1 data-word="explorer_title">([^<]*)</h1>', dom).group(1)
    return budget, amounts, heading


def test_moving_the_slider_in_a_browser_shows_allocate_at_that_budget(tmp_path: Path) -> None:
    example = fo.national_example()
    page = fo.write_explorer(example.units, example.parameters, tmp_path / "utforskare.html")
    cases = [
        ("raise-limit", 300_000_000, "sv"),
        ("scale-gains", 281_500_000, "en"),
        ("scale-protection", 372_000_000, "sv"),
    ]
    for policy, budget, lang in cases:
        shown_budget, amounts, heading = _read_page(
            page, f"budget={budget}&policy={policy}&lang={lang}", tmp_path / policy
        )
        assert shown_budget == budget
        expected = fo.allocate(example.units, replace(example.parameters, budget=budget), policy)
        assert [amounts[i] for i in range(len(example.units))] == expected.table[
            "allocation_rounded"
        ].tolist()
        assert heading == label("explorer_title", lang)


def test_the_page_names_the_assumed_contributions(tmp_path: Path) -> None:
    """MODEL.md §9.11: a förbund whose region has not answered is named on the page."""
    units = fo.example_units()
    units.loc["B", "regional_match"] = np.nan
    params = fo.Parameters(budget=20e6, unanswered="previous")
    data = fo.explorer_data(units, params, span=0.1, step=1e6)
    assert data.assumed.to_dict("records") == fo.allocate(units, params).assumed.to_dict("records")
    assert data.matching == fo.Matching.COLLECTED
    text = fo.write_explorer(units, params, tmp_path / "u.html", span=0.1, step=1e6).read_text(
        encoding="utf-8"
    )
    assert '<p class="note" data-word="matching"></p>' in text
    assert (
        '"matching":["matchning: insamlad; antagen (föregående års tilldelning / 2, ej besvarad) '
        'för 1 förbund: B (regionens bidrag)"' in text
    )
    assert fo.explorer_data(fo.example_units(), params, span=0.1, step=1e6).assumed.empty
