"""Deficit policies declared in TOML: equal to the built-ins, exact on every solver, validated."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import instances

import finsam_opt as fo

SOLVERS = ("fast", "highs", "cbc", "scipy")

BUILT_IN_AS_TOML = {
    "raise-limit": '[[phase]]\nkind = "raise-limit"\n',
    "scale-protection": '[[phase]]\nkind = "scale-protection"\n',
    "scale-gains": '[[phase]]\nkind = "scale-gains"\n\n[[phase]]\nkind = "relax-floors"\n',
}

LIMIT_20 = """\
name = "limit-20-then-gains"

[[phase]]
kind = "raise-limit"
at_most = 0.20

[[phase]]
kind = "scale-gains"

[[phase]]
kind = "relax-floors"
"""


@settings(max_examples=15)
@given(instances("deficit", max_units=40), st.sampled_from(sorted(BUILT_IN_AS_TOML)))
def test_a_declared_copy_of_a_built_in_gives_the_same_allocation_on_every_solver(
    case: tuple[pd.DataFrame, fo.Parameters], name: str
) -> None:
    """Property: a declaration equal to a built-in policy allocates as it does, on every solver
    and in the batch solver, to the krona."""
    units, params = case
    declared = fo.policy_from_toml(BUILT_IN_AS_TOML[name], name="copy")
    expected = fo.allocate(units, params, name)
    for solver in SOLVERS:
        result = fo.allocate(units, params, declared, solver)
        gap = np.abs(result.table["allocation"] - expected.table["allocation"]).max()
        assert gap <= 1.0, f"{solver}: {gap:.3f} kr from built-in {name}"
        assert (result.table["allocation_rounded"] == expected.table["allocation_rounded"]).all()
        assert result.phase == expected.phase
        assert result.decrease_limit == pytest.approx(expected.decrease_limit, nan_ok=True)
    batch = fo.allocate_batch(units, [params], declared)
    assert np.abs(batch.allocation[0] - expected.table["allocation"].to_numpy()).max() <= 1e-3


@settings(max_examples=15)
@given(instances("deficit", max_units=40))
def test_a_capped_raise_never_cuts_a_unit_past_its_largest_limit(
    case: tuple[pd.DataFrame, fo.Parameters],
) -> None:
    """Property: while the 20 % phase fits, no protected unit falls more than 20 % below last
    year unless its capped ideal is lower; the reported limit is at most 20 %."""
    units, params = case
    result = fo.allocate(units, params, fo.policy_from_toml(LIMIT_20))
    t = result.table
    if result.phase == 1:
        held = t["protected"].to_numpy()
        lowest = np.maximum(t["capped"], 0.8 * t["previous_allocation"].fillna(0.0))
        assert (t["allocation"][held] >= lowest[held] - 1e-6).all()
        assert result.decrease_limit is not None and result.decrease_limit <= 0.2 + 1e-12
    assert t["allocation"].sum() == pytest.approx(params.budget, rel=1e-9)


@settings(max_examples=15)
@given(instances("deficit", max_units=40))
def test_keep_half_keeps_half_of_every_protection(case: tuple[pd.DataFrame, fo.Parameters]) -> None:
    """Property: with keep = 0.5 every protected unit keeps at least half its protection
    whenever that phase fits, and the same fraction as every other cut unit."""
    units, params = case
    text = '[[phase]]\nkind = "scale-protection"\nkeep = 0.5\n[[phase]]\nkind = "raise-limit"\n'
    result = fo.allocate(units, params, fo.policy_from_toml(text, name="keep-half"))
    t = result.table
    if result.phase == 1:
        protection = (t["target"] - t["capped"])[t["protected"]]
        kept = (t["allocation"] - t["capped"])[t["protected"]]
        assert (kept >= 0.5 * protection - 1e-6).all()
        cut = kept < protection - 1e-6
        share = kept[cut] / protection[cut]
        above_half = share > 0.5 + 1e-9
        if above_half.any():  # those not held at half keep one common fraction
            assert np.ptp(share[above_half]) <= 1e-9


def test_need_weight_cuts_in_proportion_to_the_key() -> None:
    units = fo.example_units()
    policy = fo.policy_from_toml(
        'name = "by-need"\n[[phase]]\nkind = "scale-protection"\nweight = "need"\n'
    )
    result = fo.allocate(units, fo.Parameters(budget=20_500_000), policy)
    t = result.table
    cut = (t["target"] - t["allocation"])[t["protected"]]
    assert (cut > 0).all()
    # E is cut to its capped ideal; B, still above its own, loses λ·key with λ = E's breakpoint
    # or more.
    free = t["allocation"] > t["capped"] + 1e-6
    assert free.sum() == 1 and (t["allocation"] >= t["capped"] - 1e-6).all()
    rate = cut[free].iloc[0] / t.loc[free, "key"].iloc[0]
    assert rate >= cut["E"] / t.loc["E", "key"] - 1e-6
    assert result.table["allocation"].sum() == pytest.approx(20_500_000)


def test_a_policy_file_is_accepted_wherever_a_policy_name_is(tmp_path: Path) -> None:
    path = tmp_path / "gains.toml"
    path.write_text(BUILT_IN_AS_TOML["scale-gains"], encoding="utf-8")
    params = fo.Parameters(budget=20_000_000)
    expected = fo.allocate(fo.example_units(), params, "scale-gains").table["allocation_rounded"]
    for policy in (str(path), path, fo.Policy.from_toml(path)):
        result = fo.allocate(fo.example_units(), params, policy)
        assert result.policy == "gains"
        assert result.table["allocation_rounded"].tolist() == expected.tolist()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[phase]]\nkind = "raise-limit"\nat_most = 0.2\n', "line 2: the last phase"),
        ('[[phase]]\nkind = "relax-floors"\n', "line 2: relax-floors"),
        ('name = "x"\n\n[[phase]]\nkind = "scale-gainz"\n', "line 4: unknown phase kind"),
        ('[[phase]]\nkind = "raise-limit"\n[[phase]]\nat_most = 0.3\n', "line 3: the phase has no"),
        ('[[phase]]\nkind = "raise-limit"\nkeep = 0.5\n', "line 3: raise-limit does not take"),
        ('[[phase]]\nkind = "scale-protection"\nkeep = 1.5\n', "line 3: keep must be"),
        ('[[phase]]\nkind = "raise-limit"\nat_most = "20 %"\n', "line 3: at_most must be"),
        ('[[phase]]\nkind = "scale-protection"\nweight = "size"\n', "line 3: unknown weight"),
        ('name = "x"\nphases = 2\n', "line 2: unknown key 'phases'"),
        ('name = "x"\n', "declares no phase"),
        ("[[phase]]\nkind = raise-limit\n", "not valid TOML"),
        ('name = ""\n[[phase]]\nkind = "raise-limit"\n', "line 1: the policy needs a name"),
    ],
)
def test_every_mistake_in_a_declaration_names_its_line(text: str, message: str) -> None:
    with pytest.raises(fo.InputError, match=message) as caught:
        fo.policy_from_toml(text, name="p", source="p.toml")
    assert str(caught.value).startswith("p.toml")


def test_an_unreadable_policy_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(fo.InputError, match="cannot read the policy file"):
        fo.allocate(fo.example_units(), fo.Parameters(budget=2e7), str(tmp_path / "none.toml"))


def test_the_first_phase_line_is_named_when_the_last_cannot_fit() -> None:
    text = 'name = "floors"\n\n[[phase]]\nkind = "scale-gains"\n'
    with pytest.raises(fo.InputError, match=r"line 4: the last phase \(scale-gains\)"):
        fo.policy_from_toml(text)


def test_every_command_takes_a_policy_file(tmp_path: Path, capsys) -> None:
    from finsam_opt.cli import main

    path = tmp_path / "limit20.toml"
    path.write_text(LIMIT_20, encoding="utf-8")
    out = tmp_path / "beslut.xlsx"
    assert main(["example", "--budget", "300 Mkr", "--policy", str(path), "-o", str(out)]) == 0
    assert "limit-20-then-gains" in capsys.readouterr().out
    units = tmp_path / "units.csv"
    fo.national_example().units.to_csv(units)
    summary = tmp_path / "summary.csv"
    args = ["compare", str(units), "--budget", "300 Mkr", "--summary", str(summary)]
    assert main([*args, "--policy", "raise-limit", "--policy", str(path)]) == 0
    table = pd.read_csv(summary, sep=";")  # Swedish CSV: Swedish headers and policy names
    assert set(table["Princip"]) == {"höjd spärr", "limit-20-then-gains"}


def test_a_broken_policy_file_stops_the_command_with_its_line(tmp_path: Path, capsys) -> None:
    from finsam_opt.cli import main

    path = tmp_path / "bad.toml"
    path.write_text('[[phase]]\nkind = "scale-gains"\n', encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["example", "--policy", str(path)])
    assert "bad.toml: rad 2: den sista fasen" in capsys.readouterr().err  # Swedish by default
    with pytest.raises(SystemExit):
        main(["example", "--policy", str(path), "--language", "en"])
    assert "bad.toml: line 2: the last phase" in capsys.readouterr().err
