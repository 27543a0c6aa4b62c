"""Fill phases (MODEL.md §6): x = min(hi, lo + λ·w), the largest λ that fits."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import finsam_opt as fo
from finsam_opt.engine.damping import (
    allocation_at,
    largest_breakpoint,
    lowest_total,
    polish,
    solve_exact,
)
from finsam_opt.engine.solvers import get_solver


@st.composite
def fill_phases(draw, max_units=40):
    """A fill phase and an amount between what it must and what it can spend."""
    n = draw(st.integers(1, max_units))
    kronor = st.integers(0, 10_000).map(lambda k: k * 1_000.0)
    hi = np.array(draw(st.lists(kronor, min_size=n, max_size=n)))
    share = np.array(
        draw(st.lists(st.sampled_from([0.0, 0.0, 0.25, 0.5, 1.0]), min_size=n, max_size=n))
    )
    weight = np.array(
        draw(st.lists(st.sampled_from([0.0, 0.01, 0.1, 0.3, 1.0]), min_size=n, max_size=n))
    )
    phase = fo.Phase(hi=hi, lo=hi * share, weight=weight * 1e6, kind=fo.PhaseKind.FILL)
    most = float(np.where(phase.movable, phase.hi, phase.lo).sum())
    t = draw(st.sampled_from([0.0, 0.2, 0.5, 0.9, 1.0, 1.2]))
    available = lowest_total(phase) + t * (most - lowest_total(phase))
    return phase, available


def test_fill_phase_known_answer():
    phase = fo.Phase(
        hi=[10.0, 40.0, 100.0], lo=[0.0, 0.0, 0.0], weight=[1.0, 1.0, 1.0], kind="fill"
    )
    lam = solve_exact(phase, 90.0)
    assert lam == pytest.approx(40.0)
    assert allocation_at(phase, lam).tolist() == [10.0, 40.0, 40.0]
    assert solve_exact(phase, 500.0) == largest_breakpoint(phase) == 100.0


def test_unknown_phase_kind_is_refused():
    with pytest.raises(fo.InputError, match="a phase's kind must be one of 'damp', 'fill'"):
        fo.Phase(hi=[1.0], lo=[0.0], weight=[1.0], kind="pour")  # type: ignore[arg-type]


def test_fill_phase_that_cannot_fit_has_no_rate():
    phase = fo.Phase(hi=[10.0, 40.0], lo=[5.0, 20.0], weight=[1.0, 1.0], kind=fo.PhaseKind.FILL)
    assert solve_exact(phase, 20.0) is None
    with pytest.raises(fo.InputError, match="cannot fit"):
        polish(phase, 20.0, 0.0)


@given(case=fill_phases())
def test_fill_exact_rate_is_the_largest_that_fits(case):
    """Property: Σ x(λ*) ≤ A, spending all of A unless every rising unit is full, and
    polish() reaches the same allocation from any guess."""
    phase, available = case
    lam = solve_exact(phase, available)
    assert lam is not None
    x = allocation_at(phase, lam)
    most = float(np.where(phase.movable, phase.hi, phase.lo).sum())
    assert x.sum() <= available + 1e-6
    assert x.sum() >= min(available, most) - 1e-6
    assert (x >= phase.lo).all() and (x <= phase.hi).all()
    for guess in (0.0, lam / 2, lam, 2 * lam + 1, 1e12):
        np.testing.assert_allclose(
            allocation_at(phase, polish(phase, available, guess)), x, rtol=0, atol=1e-6
        )


@settings(max_examples=30)
@given(case=fill_phases())
def test_fill_lp_backends_agree_with_the_exact_solution(case):
    """Property: every backend's own point for a fill phase is within 1 kr of the exact one."""
    phase, available = case
    exact = allocation_at(phase, solve_exact(phase, available))
    for name in fo.SOLVERS:
        own = get_solver(name)(phase, available)
        np.testing.assert_allclose(own.allocation, exact, rtol=0, atol=1.0)
        polished = allocation_at(phase, polish(phase, available, own.rate))
        np.testing.assert_allclose(polished, exact, rtol=0, atol=1e-6)
