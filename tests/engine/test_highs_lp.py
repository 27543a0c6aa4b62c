"""The array-built highspy backend: every algorithm it chooses by size finds λ*."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import finsam_opt as fo
from finsam_opt.engine.damping import Phase, PhaseKind, allocation_at, polish, solve_exact
from finsam_opt.engine.solvers import get_solver, highs_lp


@st.composite
def phases(draw: st.DrawFn) -> tuple[Phase, float]:
    """A damping or fill phase (zero weights, ties, fixed units) and an amount it can fit."""
    n = draw(st.integers(min_value=1, max_value=60))
    rng = np.random.default_rng(draw(st.integers(min_value=0, max_value=2**32 - 1)))
    hi = rng.choice([1e5, 5e5, 2e6, 3.3e6], n) * rng.uniform(0.5, 2.0, n)
    lo = hi * rng.choice([0.0, 0.5, 0.9, 1.0], n)
    weight = rng.choice([0.0, 1e6, 3e6], n) * rng.choice([1.0, rng.uniform(0.1, 1)], n)
    kind = draw(st.sampled_from(list(PhaseKind)))
    phase = Phase(hi=hi, lo=lo, weight=weight, kind=kind)
    if kind is PhaseKind.FILL:
        least, most = lo.sum(), np.where(phase.movable, hi, lo).sum()
    else:
        least, most = np.where(phase.movable, lo, hi).sum(), hi.sum()
    return phase, least + draw(st.floats(min_value=0.0, max_value=1.0)) * (most - least)


@settings(max_examples=30)
@pytest.mark.parametrize("algorithm", ["simplex", "ipm", "pdlp"])
@given(case=phases())
def test_each_algorithm_finds_the_exact_rate(algorithm: str, case: tuple[Phase, float]) -> None:
    """Property: simplex, IPM and PDLP on the array-built LP give a λ that polishes to
    the exact λ*, and their own point is within the check's tolerance of the exact one."""
    phase, available = case
    with patch.object(highs_lp, "algorithm_for", lambda n: algorithm):
        solution = highs_lp.solve(phase, available)
    exact = solve_exact(phase, available)
    assert exact is not None
    assert polish(phase, available, solution.rate) == pytest.approx(exact, rel=1e-9, abs=1e-12)
    assert np.abs(solution.allocation - allocation_at(phase, exact)).max() <= 1e-6 * available


def test_the_algorithm_follows_the_size() -> None:
    assert highs_lp.algorithm_for(highs_lp.IPM_FROM - 1) == "simplex"
    assert highs_lp.algorithm_for(highs_lp.IPM_FROM) == "ipm"
    assert highs_lp.algorithm_for(highs_lp.PDLP_FROM) == "pdlp"


def test_highs_uses_pulp_below_the_crossover_and_arrays_from_it() -> None:
    phase = Phase(hi=np.array([3e6, 2e6, 1e6]), lo=np.zeros(3), weight=np.ones(3))
    solve = get_solver("highs")
    with patch.object(highs_lp, "solve", wraps=highs_lp.solve) as arrays:
        solve(phase, 5e6)
        assert arrays.call_count == 0  # three units: the PuLP reference model
        with patch.object(highs_lp, "ARRAYS_FROM", 3):
            assert solve(phase, 5e6).rate == pytest.approx(1e6 / 3, rel=1e-9)
        assert arrays.call_count == 1


@pytest.mark.parametrize("policy", list(fo.DEFICIT_POLICIES))
def test_highs_on_arrays_agrees_with_fast_to_the_krona(policy: str) -> None:
    case = fo.synthetic_units(highs_lp.ARRAYS_FROM + 200, seed=3, scenario="mild-deficit")
    fast = fo.allocate(case.units, case.params, policy)
    highs = fo.allocate(case.units, case.params, policy, solver="highs")
    assert np.abs(highs.exact - fast.exact).max() <= 1.0
    assert np.abs(highs.rounded - fast.rounded).max() <= 1
