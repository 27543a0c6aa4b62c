"""The damping phase: exact breakpoint solution, Newton polish, and every backend's LP."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import finsam_opt as fo
from finsam_opt.engine import damping
from finsam_opt.engine.damping import Phase, allocation_at, lowest_total, polish, solve_exact
from finsam_opt.engine.solvers import get_solver


@st.composite
def phases(draw: st.DrawFn) -> tuple[Phase, float]:
    """A phase with lo ≤ hi, some zero weights and ties, and an amount in [lowest, Σ hi]."""
    n = draw(st.integers(min_value=1, max_value=40))
    rng = np.random.default_rng(draw(st.integers(min_value=0, max_value=2**32 - 1)))
    hi = rng.choice([1e5, 5e5, 2e6, 3.3e6], n) * rng.uniform(0.5, 2.0, n)
    lo = hi * rng.choice([0.0, 0.5, 0.9, 1.0], n)
    weight = rng.choice([0.0, 1e6, 3e6], n) * rng.choice([1.0, 1.0, rng.uniform(0.1, 1)], n)
    phase = Phase(hi=hi, lo=lo, weight=weight)
    share = draw(st.floats(min_value=0.0, max_value=1.0))
    available = lowest_total(phase) + share * (hi.sum() - lowest_total(phase))
    return phase, available


def bisect(phase: Phase, available: float) -> float:
    """λ* by bisection: an independent reference for the exact solution."""
    low, high = 0.0, 1.0
    while allocation_at(phase, high).sum() > available:
        high *= 2
    for _ in range(200):
        middle = (low + high) / 2
        low, high = (
            (middle, high) if allocation_at(phase, middle).sum() > available else (low, middle)
        )
    return high


@given(phases())
def test_exact_rate_is_the_least_that_fits(case: tuple[Phase, float]) -> None:
    """Property: solve_exact gives the least λ whose allocation fits, as bisection does."""
    phase, available = case
    rate = solve_exact(phase, available)
    assert rate is not None
    total = allocation_at(phase, rate).sum()
    assert total <= available + 1e-6
    assert rate == pytest.approx(bisect(phase, available), rel=1e-9, abs=1e-12)
    if rate > 0:
        assert total == pytest.approx(available, abs=1e-6)


@given(phases(), st.floats(min_value=0.0, max_value=50.0))
def test_polish_reaches_the_exact_rate_from_any_guess(
    case: tuple[Phase, float], guess: float
) -> None:
    """Property: Newton polish from any guess lands on the exact λ*."""
    phase, available = case
    exact = solve_exact(phase, available)
    assert polish(phase, available, guess) == pytest.approx(exact, rel=1e-9, abs=1e-12)


def test_a_phase_that_cannot_fit_says_so() -> None:
    phase = Phase(hi=np.array([5.0, 5.0]), lo=np.array([4.0, 4.0]), weight=np.array([1.0, 1.0]))
    assert solve_exact(phase, 7.0) is None
    with pytest.raises(fo.InputError, match="cannot fit"):
        polish(phase, 7.0, 0.5)


def test_units_with_zero_weight_keep_their_upper_bound() -> None:
    phase = Phase(hi=np.array([5.0, 5.0]), lo=np.array([0.0, 0.0]), weight=np.array([0.0, 2.0]))
    rate = solve_exact(phase, 6.0)
    assert rate == pytest.approx(2.0)
    assert allocation_at(phase, rate).tolist() == pytest.approx([5.0, 1.0])


@pytest.mark.parametrize(
    ("hi", "lo", "weight", "message"),
    [
        ([1.0, 2.0], [0.0], [1.0, 1.0], r"one shape"),
        ([1.0, np.nan], [0.0, 0.0], [1.0, 1.0], r"must be finite"),
        ([1.0, 2.0], [0.0, 0.0], [1.0, -1.0], r"weights must be ≥ 0"),
        ([1.0, 2.0], [0.0, 3.0], [1.0, 1.0], r"lower bounds must not exceed"),
    ],
)
def test_malformed_phases_are_refused(
    hi: list[float], lo: list[float], weight: list[float], message: str
) -> None:
    with pytest.raises(fo.InputError, match=message):
        Phase(hi=np.array(hi), lo=np.array(lo), weight=np.array(weight))


@pytest.mark.parametrize("solver", fo.SOLVERS)
@given(case=phases())
def test_every_backend_finds_the_exact_rate(solver: str, case: tuple[Phase, float]) -> None:
    """Property: each backend's λ, polished, is the exact λ*; its own point is close."""
    phase, available = case
    solution = get_solver(solver)(phase, available)
    exact = solve_exact(phase, available)
    assert polish(phase, available, solution.rate) == pytest.approx(exact, rel=1e-9, abs=1e-12)
    assert np.abs(solution.allocation - allocation_at(phase, exact)).max() <= 1e-6 * available


@st.composite
def large_phases(draw: st.DrawFn) -> tuple[Phase, float]:
    """A damping phase big enough for the selection kernel, and an amount it can fit.

    Kinds: random breakpoints; all breakpoints equal (every unit cut to the same
    fraction); few distinct breakpoints (ties); sorted input; most units fixed.
    """
    kind = draw(st.sampled_from(["random", "equal", "ties", "sorted", "mostly-fixed"]))
    # Above 4 samples' worth the selection runs rounds; below it sorts the lot.
    n = draw(st.integers(min_value=damping.SELECTION_FROM, max_value=12 * damping._SAMPLE))
    rng = np.random.default_rng(draw(st.integers(min_value=0, max_value=2**32 - 1)))
    hi = rng.uniform(1e5, 1e7, n)
    lo = hi * rng.uniform(0.0, 1.0, n)
    weight = rng.uniform(0.0, 2e6, n)
    if kind == "equal":
        weight = hi - lo
    elif kind == "ties":
        weight = rng.integers(0, 4, n) * 1e6
        lo = hi - rng.integers(0, 4, n) * 1e5
    elif kind == "sorted":
        order = np.argsort((hi - lo) / np.maximum(weight, 1e-9))
        hi, lo, weight = hi[order], lo[order], weight[order]
    elif kind == "mostly-fixed":
        weight[rng.random(n) < 0.9] = 0.0
    phase = Phase(hi, lo, weight)
    low = float(np.where(phase.movable, phase.lo, phase.hi).sum())
    available = low + draw(st.floats(min_value=0.0, max_value=1.0)) * (float(hi.sum()) - low)
    return phase, available


@settings(max_examples=25)
@given(large_phases())
def test_selection_finds_the_rate_the_sort_finds(case: tuple[Phase, float]) -> None:
    """Property: the O(n) selection kernel and the sorting kernel give the same λ* and
    the same allocation (to a millionth of a krona), which spends the amount."""
    phase, available = case
    by_selection = solve_exact(phase, available)
    with patch.object(damping, "SELECTION_FROM", 10**12):
        by_sorting = solve_exact(phase, available)
    assert by_selection is not None and by_sorting is not None
    gap = np.abs(allocation_at(phase, by_selection) - allocation_at(phase, by_sorting))
    assert gap.max() <= 1e-6 * max(1.0, float(phase.hi.max()) / 1e6)
    spent = float(allocation_at(phase, by_selection).sum())
    assert spent <= available * (1 + 1e-12) + 1e-6
    assert by_selection == 0.0 or spent >= available * (1 - 1e-9)
