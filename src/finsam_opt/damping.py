"""The damping phase of MODEL.md §5 and its exact breakpoint solution.

A phase cuts every unit by the same rate λ times its weight, never below its
lower bound::

    x_i(λ) = max(lo_i, hi_i − λ·w_i),    λ* = min{ λ ≥ 0 : Σ x_i(λ) ≤ A }

``Σ x(λ)`` is convex, piecewise linear and non-increasing in λ, with breakpoints
``(hi_i − lo_i) / w_i``. :func:`solve_exact` finds λ* by sorting the breakpoints
(O(n log n)); :func:`polish` finds it from any starting guess, such as a value an
LP solver returned, by Newton steps on the same function.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from finsam_opt.errors import InputError, VerificationError

__all__ = ["Phase", "allocation_at", "lowest_total", "polish", "solve_exact"]

_RELATIVE_TOLERANCE = 1e-12


@dataclass(frozen=True)
class Phase:
    """One damping phase: per-unit bounds and cut weights, kronor, shape (n,).

    Parameters
    ----------
    hi : numpy.ndarray
        What each unit gets when nothing needs cutting.
    lo : numpy.ndarray
        What each unit keeps whatever the cut; ``lo ≤ hi``.
    weight : numpy.ndarray
        How fast each unit is cut as λ grows; ``≥ 0``. A unit with weight 0 keeps ``hi``.
    """

    hi: np.ndarray
    lo: np.ndarray
    weight: np.ndarray

    def __post_init__(self) -> None:
        hi, lo, w = (np.asarray(a, dtype=float) for a in (self.hi, self.lo, self.weight))
        if not hi.shape == lo.shape == w.shape or hi.ndim != 1:
            raise InputError(
                f"a phase needs hi, lo and weight of one shape (n,), got "
                f"{hi.shape}, {lo.shape} and {w.shape}"
            )
        if not (np.isfinite(hi).all() and np.isfinite(lo).all() and np.isfinite(w).all()):
            raise InputError("a phase's hi, lo and weight must be finite")
        if (w < 0).any():
            raise InputError("a phase's weights must be ≥ 0")
        if (lo > hi + _RELATIVE_TOLERANCE * np.abs(hi)).any():
            raise InputError("a phase's lower bounds must not exceed its upper bounds")
        object.__setattr__(self, "hi", hi)
        object.__setattr__(self, "lo", np.minimum(lo, hi))
        object.__setattr__(self, "weight", w)

    @property
    def movable(self) -> np.ndarray:
        """Boolean: the unit can be cut (positive weight and room above its lower bound)."""
        return (self.weight > 0) & (self.hi > self.lo)


def lowest_total(phase: Phase) -> float:
    """The least the phase can spend: movable units at ``lo``, the others at ``hi``."""
    return float(np.where(phase.movable, phase.lo, phase.hi).sum())


def allocation_at(phase: Phase, lam: float) -> np.ndarray:
    """The phase's allocation at rate ``lam``: ``max(lo, hi − lam·w)``."""
    return np.maximum(phase.lo, phase.hi - lam * phase.weight)


def _slack(available: float) -> float:
    return _RELATIVE_TOLERANCE * max(abs(available), 1.0)


def solve_exact(phase: Phase, available: float) -> float | None:
    """Exact λ* for spending at most ``available``, or None if the phase cannot fit.

    Sorts the breakpoints and solves the linear piece on which the total crosses
    ``available``. Works on what must be cut, ``Σ hi − available``, and on the
    units that can be cut (weight > 0) only, which keeps it to about twenty numpy
    calls: at the national size their fixed cost is the whole running time.
    """
    hi, lo, w = phase.hi, phase.lo, phase.weight
    need = float(hi.sum()) - available  # what the cuts must take out
    slack = _slack(available)
    if need <= slack:
        return 0.0
    cut = np.flatnonzero(w > 0)
    gap, rate = hi[cut] - lo[cut], w[cut]  # the most each unit can give, and how fast
    if gap.sum() < need - slack:
        return None
    breakpoints = gap / rate
    order = np.argsort(breakpoints)
    bp, gap, rate = breakpoints[order], gap[order], rate[order]
    # At λ = bp[j] the units sorted before j have given their whole gap, the others λ·w.
    gap_before = np.cumsum(gap) - gap
    rate_from = np.cumsum(rate[::-1])[::-1]
    j = min(int(np.searchsorted(gap_before + bp * rate_from, need - slack)), len(bp) - 1)
    lam = (need - gap_before[j]) / rate_from[j]
    lower = bp[j - 1] if j > 0 else 0.0
    return float(min(max(lam, lower), bp[j]))


def polish(phase: Phase, available: float, guess: float) -> float:
    """Exact λ* from an approximate ``guess`` (e.g. an LP solver's value).

    Newton steps on the convex piecewise-linear total, with its left slope: each
    step solves the linear piece through the current λ exactly and lands at or
    below λ*, so the iterates rise monotonically to λ* in finitely many steps
    (one or two from a solver's answer).

    Raises
    ------
    InputError
        If the phase cannot fit in ``available`` (the caller checks first).
    """
    hi, lo, w = phase.hi, phase.lo, phase.weight
    slack = _slack(available)
    if hi.sum() <= available + slack:
        return 0.0
    if lowest_total(phase) > available + slack:
        raise InputError("the phase cannot fit in the amount available")
    movable = phase.movable
    largest_breakpoint = float(((hi - lo)[movable] / w[movable]).max())
    lam = min(max(float(guess), 0.0), largest_breakpoint)
    for _ in range(len(hi) + 2):
        cut = movable & (hi - lam * w >= lo)
        at_rest = np.where(cut, 0.0, np.where(movable, lo, hi)).sum()
        slope = w[cut].sum()
        step = max(float((at_rest + hi[cut].sum() - available) / slope), 0.0)
        if abs(step - lam) * slope <= slack:
            return step
        lam = step
    raise VerificationError(f"the damping rate did not converge from the guess {guess!r}")
