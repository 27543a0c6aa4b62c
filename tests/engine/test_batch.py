"""Batch solving: every row equals the one-phase exact solution and one-by-one allocate()."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import finsam_opt as fo
from finsam_opt.engine.damping import Phase, allocation_at, solve_exact

POLICIES = ("raise-limit", "scale-protection", "scale-gains")


def _random_phases(seed: int, variants: int, n: int) -> tuple[np.ndarray, ...]:
    """Phases built constructively: lo ≤ hi, some weights 0, some lo = hi, and an
    amount available drawn around the reachable range (so some rows fit at λ = 0
    and some cannot fit at all)."""
    rng = np.random.default_rng(seed)
    hi = rng.uniform(0.0, 10.0, (variants, n)) * (rng.random((variants, n)) < 0.9)
    lo = hi * rng.uniform(0.0, 1.0, (variants, n)) * (rng.random((variants, n)) < 0.8)
    lo = np.where(rng.random((variants, n)) < 0.1, hi, lo)
    weight = rng.uniform(0.0, 3.0, (variants, n)) * (rng.random((variants, n)) < 0.7)
    lowest, highest = lo.sum(axis=1), hi.sum(axis=1)
    available = lowest + (highest - lowest) * rng.uniform(-0.2, 1.2, variants)
    return hi, lo, weight, np.maximum(available, 0.0)


@given(
    seed=st.integers(0, 2**32 - 1),
    variants=st.integers(1, 30),
    n=st.integers(1, 60),
)
def test_solve_batch_equals_solve_exact_row_by_row(seed: int, variants: int, n: int) -> None:
    """Property: every row of solve_batch is solve_exact of that row's phase (NaN for
    None), and that rate is the least λ whose allocation fits."""
    hi, lo, weight, available = _random_phases(seed, variants, n)
    rates = fo.solve_batch(hi, lo, weight, available)
    for v in range(variants):
        phase = Phase(hi[v], lo[v], weight[v])
        exact = solve_exact(phase, float(available[v]))
        if exact is None:
            assert np.isnan(rates[v])
            continue
        assert rates[v] == pytest.approx(exact, rel=1e-9, abs=1e-12)
        spent = allocation_at(phase, rates[v]).sum()
        slack = 1e-9 * max(available[v], 1.0)
        assert spent <= available[v] + slack
        if rates[v] > 1e-9:  # minimal: a slightly smaller rate overspends
            assert allocation_at(phase, rates[v] * (1 - 1e-6)).sum() > available[v] - slack


def test_solve_batch_rejects_mismatched_shapes() -> None:
    with pytest.raises(fo.InputError, match=r"one shape \(variants, units\)"):
        fo.solve_batch(np.ones((2, 3)), np.zeros((2, 3)), np.ones((2, 4)), np.ones(2))


@pytest.mark.parametrize(
    ("hi", "lo", "weight", "available", "message"),
    [
        # lo above hi: was clipped to hi, so the row could not fit and came back NaN.
        ([[1.0]], [[2.0]], [[1.0]], [0.5], r"row 0, unit 0: lo must not exceed hi, got hi 1\.0"),
        ([[3.0, 1.0]], [[0.0, 1.5]], [[1.0, 1.0]], [4.0], r"row 0, unit 1: lo must not exceed"),
        # A NaN upper bound: came back as a rate of 0.
        ([[np.nan]], [[0.0]], [[1.0]], [0.5], r"row 0, unit 0: hi, lo and weight must be finite"),
        ([[1.0]], [[0.0]], [[-1.0]], [0.5], r"row 0, unit 0: weight must be ≥ 0"),
        ([[1.0], [1.0]], [[0.0], [0.0]], [[1.0], [1.0]], [0.5, np.inf], r"row 1: available"),
    ],
)
def test_solve_batch_refuses_what_a_phase_refuses(
    hi: list, lo: list, weight: list, available: list, message: str
) -> None:
    with pytest.raises(fo.InputError, match=message):
        fo.solve_batch(np.array(hi), np.array(lo), np.array(weight), np.array(available))
    if np.isfinite(available).all():  # and Phase refuses the same row
        v = 0 if len(hi) == 1 else 1
        with pytest.raises(fo.InputError):
            Phase(np.array(hi[v]), np.array(lo[v]), np.array(weight[v]))


def test_solve_batch_is_nan_only_where_the_lower_bounds_do_not_fit() -> None:
    hi, lo, w = np.array([[3.0, 1.0]] * 3), np.array([[1.0, 1.0]] * 3), np.ones((3, 2))
    rates = fo.solve_batch(hi, lo, w, np.array([4.0, 3.0, 1.5]))
    assert rates[:2].tolist() == [0.0, 1.0] and np.isnan(rates[2])
    assert solve_exact(Phase(hi[2], lo[2], w[2]), 1.5) is None
    empty = np.zeros((2, 0))  # no units: was an IndexError
    assert np.array_equal(
        fo.solve_batch(empty, empty, empty, np.array([1.0, -1.0])), [0.0, np.nan], equal_nan=True
    )


def test_the_batch_refuses_amounts_in_tkr_as_allocate_does() -> None:
    """allocate_batch validated with a base amount of 0 and so computed what allocate
    refuses: contributions whose median is below 1/100 of the base amount (tkr)."""
    units = fo.example_units()
    units[["municipal_match", "regional_match"]] = (
        units[["municipal_match", "regional_match"]] / 1000
    )
    variants = [fo.Parameters(budget=20e6, base_amount=b) for b in (100_000.0, 400_000.0)]
    with pytest.raises(fo.InputError, match="below 1/100 of the base amount") as one:
        fo.allocate(units, variants[1])
    with pytest.raises(fo.InputError, match="below 1/100 of the base amount") as many:
        fo.allocate_batch(units, variants)
    assert str(many.value) == str(one.value)


def _assert_same_as_one_by_one(
    units: pd.DataFrame, variants: list[fo.Parameters], policy: str | fo.Policy
) -> fo.BatchAllocation:
    batch = fo.allocate_batch(units, variants, policy)
    for v, params in enumerate(variants):
        single = fo.allocate(units, params, policy=policy)
        np.testing.assert_allclose(
            batch.allocation[v], single.allocation.to_numpy(), rtol=0, atol=1e-6
        )
        assert batch.scenario[v] is single.scenario
        assert batch.phase[v] == (single.phase or 0)
        assert batch.rate[v] == pytest.approx(single.balancing_scalar, rel=1e-9, abs=1e-12)
        if single.decrease_limit is None:
            assert np.isnan(batch.decrease_limit[v])
        else:
            assert batch.decrease_limit[v] == pytest.approx(single.decrease_limit, rel=1e-9)
        # The batch has no rounding: what its exact allocations leave (allocate() reports
        # what the rounded ones leave, within one krona per unit of it).
        exact_left = 0.0 if single.phase else params.budget - single.allocation.sum()
        assert batch.unallocated[v] == pytest.approx(exact_left, abs=1e-3)
        assert abs(batch.unallocated[v] - single.unallocated) < len(units) + 1
    return batch


@given(
    seed=st.integers(0, 10_000),
    n=st.integers(2, 120),
    scenario=st.sampled_from(["surplus", "mild-deficit", "severe-deficit"]),
    policy=st.sampled_from(POLICIES),
)
def test_allocate_batch_equals_allocate_one_by_one(
    seed: int, n: int, scenario: str, policy: str
) -> None:
    """Property: for random budgets around a synthetic year, each row of allocate_batch
    is the allocation (to 1e-6 kr), scenario, phase, rate and limit of allocate()."""
    case = fo.synthetic_units(n, seed=seed, scenario=scenario)
    rng = np.random.default_rng(seed)
    budgets = case.params.budget * rng.uniform(0.7, 1.3, 8)
    budgets = np.maximum(budgets, n * case.params.base_amount)
    _assert_same_as_one_by_one(
        case.units, [fo.Parameters(budget=float(b)) for b in budgets], policy
    )


@pytest.mark.parametrize("policy", POLICIES)
def test_every_phase_is_reached_and_matches(policy: str) -> None:
    case = fo.synthetic_units(80, seed=4, scenario="mild-deficit")
    budgets = case.params.budget * np.linspace(0.6, 1.3, 40)
    batch = _assert_same_as_one_by_one(
        case.units, [fo.Parameters(budget=float(b)) for b in budgets], policy
    )
    assert {fo.Scenario.DEFICIT, fo.Scenario.SURPLUS} <= set(batch.scenario)
    if policy == "scale-gains":
        assert {0, 1, 2} <= set(batch.phase.tolist())  # including phase 2's fallback


def test_the_worked_example_for_every_policy() -> None:
    expected = {
        "raise-limit": [8_794.737, 4_518.421, 2_500, 1_865.789, 2_321.053],
        "scale-protection": [8_794.737, 4_352.021, 2_500, 1_865.789, 2_487.452],
        "scale-gains": [8_389.403, 5_400, 2_500, 1_010.597, 2_700],
    }
    for policy, tkr in expected.items():
        batch = fo.allocate_batch(fo.example_units(), np.array([20e6, 20e6]), policy)
        np.testing.assert_allclose(batch.allocation / 1000, [tkr, tkr], atol=5e-4)
    assert fo.allocate_batch(fo.example_units(), [20e6]).decrease_limit[0] == pytest.approx(
        0.24693, abs=1e-5
    )


def test_parameter_variants_other_than_the_budget() -> None:
    case = fo.synthetic_units(60, seed=9, scenario="mild-deficit")
    b = case.params.budget
    variants = [
        fo.Parameters(budget=b),
        fo.Parameters(budget=b, decrease_limit=0.05),
        fo.Parameters(budget=b, base_amount=1_000_000),
        fo.Parameters(budget=b * 0.9, weight_support=0.5, weight_population=0.5),
        fo.Parameters(budget=b, decrease_limit=0.3),
    ]
    for policy in POLICIES:
        _assert_same_as_one_by_one(case.units, variants, policy)


def test_small_base_amounts_allow_small_budgets() -> None:
    units = fo.example_units()
    variants = [fo.Parameters(budget=1_500_000, base_amount=100_000), fo.Parameters(budget=2e7)]
    _assert_same_as_one_by_one(units, variants, "raise-limit")


def test_a_budget_array_takes_its_constants_from_params() -> None:
    case = fo.synthetic_units(30, seed=2, scenario="mild-deficit")
    template = fo.Parameters(budget=0.0, decrease_limit=0.2)
    budgets = case.params.budget * np.array([0.95, 1.0, 1.05])
    batch = fo.allocate_batch(case.units, budgets, params=template)
    for v, b in enumerate(budgets):
        single = fo.allocate(case.units, fo.Parameters(budget=float(b), decrease_limit=0.2))
        np.testing.assert_allclose(batch.allocation[v], single.allocation, atol=1e-6)
    frame = batch.to_frame()
    assert frame.shape == (3, 30) and list(frame.columns) == list(case.units.index)


def test_a_custom_policy_is_built_per_variant() -> None:
    def keep_half(q, previous):
        return fo.Phase(hi=q.target, lo=(q.capped + q.target) / 2, weight=q.target - q.capped)

    policy = fo.Policy("keep-half", (fo.PhaseRule("keep half of the protection", keep_half),))
    case = fo.synthetic_units(40, seed=6, scenario="mild-deficit")
    grid = case.params.budget * np.linspace(0.98, 1.03, 11)

    def fits(budget: float) -> bool:
        try:
            fo.allocate(case.units, fo.Parameters(budget=budget), policy=policy)
        except fo.SolverError:
            return False
        return True

    ok = [float(b) for b in grid if fits(float(b))]
    too_small = [float(b) for b in grid if not fits(float(b))]
    assert len(ok) >= 3 and too_small
    _assert_same_as_one_by_one(case.units, [fo.Parameters(budget=b) for b in ok], policy)
    with pytest.raises(fo.SolverError, match=r"not even its last phase .* variant\(s\) \[1\]"):
        fo.allocate_batch(case.units, np.array([ok[-1], too_small[0]]), policy)


@pytest.mark.parametrize(
    ("variants", "message"),
    [
        (
            np.array([3e6, 1e6]),
            "variant(s) [1]: budget must be at least the number of units × base_amount, "
            "got 1,000,000 kr < 5 × 400,000 kr",
        ),
        (np.array([3e6, np.nan]), "variant(s) [1]: budget must be finite and ≥ 0, got nan"),
        (np.array([]), "there are no variants to allocate"),
        (["a"], "variants must be a sequence of Parameters or an array of budgets"),
    ],
)
def test_bad_variants_are_named(variants: object, message: str) -> None:
    with pytest.raises(fo.InputError) as error:
        fo.allocate_batch(fo.example_units(), variants)
    assert str(error.value) == message


def test_bad_units_go_through_the_same_gate_as_allocate() -> None:
    units = fo.example_units().assign(population=[1, -1, 1, 1, 1])
    with pytest.raises(fo.InputError, match="unit 'B': population must be ≥ 0, got -1"):
        fo.allocate_batch(units, [20e6])


def test_variants_with_different_staircases_are_refused() -> None:
    units = fo.example_units().assign(equity=0.0, turnover=1e6)
    variants = [
        fo.Parameters(budget=20e6, staircase=fo.EXAMPLE_STAIRCASE),
        fo.Parameters(budget=20e6, staircase=fo.EXAMPLE_STAIRCASE, equity_floor="always"),
    ]
    with pytest.raises(fo.InputError, match=r"variant\(s\) \[1\]: allocate_batch needs one"):
        fo.allocate_batch(units, variants)


@pytest.mark.parametrize("unanswered", ["previous", "no-limit"])
def test_the_batch_reads_unanswered_units_as_allocate_does(unanswered: str) -> None:
    # Before: allocate_batch validated with fresh Parameters that dropped `unanswered`, so
    # it refused a unit without answers and told the user to set the option already set.
    units = fo.example_units()
    units.loc["E", ["municipal_match", "regional_match"]] = np.nan
    params = fo.Parameters(budget=20e6, unanswered=unanswered)
    batch = fo.allocate_batch(units, [params, dataclasses.replace(params, budget=25e6)])
    for row, budget in enumerate((20e6, 25e6)):
        alone = fo.allocate(units, dataclasses.replace(params, budget=budget))
        np.testing.assert_allclose(batch.allocation[row], alone.exact, rtol=1e-12, atol=1e-6)
    curve = fo.balancing_curve(units, params, [20e6])
    assert curve["error"].isna().all()


def test_variants_must_share_how_unanswered_units_are_read() -> None:
    first, second = fo.Parameters(budget=20e6), fo.Parameters(budget=20e6, unanswered="no-limit")
    with pytest.raises(fo.InputError, match=r"variant\(s\) \[1\].*one unanswered"):
        fo.allocate_batch(fo.example_units(), [first, second])


_DECLARED = fo.policy_from_toml(
    'name = "limit-20"\n[[phase]]\nkind = "raise-limit"\nat_most = 0.2\n'
    '[[phase]]\nkind = "scale-gains"\n[[phase]]\nkind = "relax-floors"\n'
)


def _small_year(seed: int) -> tuple[pd.DataFrame, list[fo.Parameters]]:
    """A few units with blanks, caps, no limits and (sometimes) equity, and four budgets
    from almost nothing to more than every target."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 6))
    population = rng.integers(1, 100, n).astype(float)
    units = pd.DataFrame(
        {"population": population, "support_measure": population * rng.uniform(0.5, 2, n)},
        index=[f"U{i}" for i in range(n)],
    )
    previous = np.round(rng.uniform(0, 3e6, n))
    units["previous_allocation"] = np.where(rng.random(n) < 0.2, np.nan, previous)
    if rng.random() < 0.6:
        units["requested"] = np.where(
            rng.random(n) < 0.4, np.nan, np.round(rng.uniform(5e4, 4e6, n))
        )
        for column in ("municipal_match", "regional_match"):
            units[column] = np.where(
                rng.random(n) < 0.3, np.inf, np.round(rng.uniform(5e4, 2e6, n))
            )
    staircase = None
    if rng.random() < 0.4:
        staircase = fo.Staircase((1e6, float("inf")), (0.3, 0.1))
        units["equity"] = np.round(rng.uniform(0, 3e6, n))
        units["turnover"] = np.round(rng.uniform(1e5, 4e6, n))
    base = float(rng.choice([0.0, 1e5, 4e5]))
    equity_floor = str(rng.choice(["deficit", "always", "never"]))
    budgets = np.round(rng.uniform(max(n * base, 1.0), 3e6 * n, 4))
    return units, [
        fo.Parameters(
            budget=float(b), base_amount=base, staircase=staircase, equity_floor=equity_floor
        )
        for b in budgets
    ]


@given(seed=st.integers(0, 2**32 - 1), policy=st.sampled_from([*POLICIES, _DECLARED]))
def test_the_batch_agrees_with_allocate_or_both_refuse(seed: int, policy: str | fo.Policy) -> None:
    """Property: on small years with caps, blanks, new units and equity, every variant of
    allocate_batch is allocate()'s allocation, and when one refuses so does the other,
    with the same error (no NaN, no disagreement)."""
    units, variants = _small_year(seed)
    try:
        batch = fo.allocate_batch(units, variants, policy)
    except fo.FinsamError as error:
        refused = [v for v in variants if _refusal(units, v, policy) is not None]
        assert refused, f"the batch refused what allocate computes: {error}"
        assert type(_refusal(units, refused[0], policy)) is type(error)
        return
    assert np.isfinite(batch.allocation).all() and np.isfinite(batch.rate).all()
    for v, params in enumerate(variants):
        single = fo.allocate(units, params, policy=policy)
        np.testing.assert_allclose(batch.allocation[v], single.allocation.to_numpy(), atol=1e-3)


def _refusal(
    units: pd.DataFrame, params: fo.Parameters, policy: str | fo.Policy
) -> Exception | None:
    try:
        fo.allocate(units, params, policy=policy)
    except fo.FinsamError as error:
        return error
    return None
