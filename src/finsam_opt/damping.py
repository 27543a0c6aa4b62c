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
    ``available``.
    """
    hi, lo, w = phase.hi, phase.lo, phase.weight
    slack = _slack(available)
    if hi.sum() <= available + slack:
        return 0.0
    movable = phase.movable
    fixed = hi[~movable].sum()
    hi_m, lo_m, w_m = hi[movable], lo[movable], w[movable]
    if fixed + lo_m.sum() > available + slack:
        return None
    breakpoints = (hi_m - lo_m) / w_m
    order = np.argsort(breakpoints, kind="stable")
    bp, hi_s, lo_s, w_s = breakpoints[order], hi_m[order], lo_m[order], w_m[order]
    # Units sorted before j have reached lo at λ = bp[j]; j and after are still cut.
    lo_before = np.concatenate(([0.0], np.cumsum(lo_s)[:-1]))
    hi_from = np.cumsum(hi_s[::-1])[::-1]
    w_from = np.cumsum(w_s[::-1])[::-1]
    total_at_bp = fixed + lo_before + lo_s + (hi_from - hi_s) - bp * (w_from - w_s)
    j = int(np.searchsorted(-total_at_bp, -(available + slack)))
    j = min(j, len(bp) - 1)
    lam = (fixed + lo_before[j] + hi_from[j] - available) / w_from[j]
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
    # A unit exactly at its breakpoint still counts as cut (left slope); the margin keeps
    # float noise from dropping the last one, which would make the slope 0.
    margin = _RELATIVE_TOLERANCE * (np.abs(hi) + 1.0)
    for _ in range(len(hi) + 2):
        cut = movable & (hi - lam * w >= lo - margin)
        at_rest = np.where(cut, 0.0, np.where(movable, lo, hi)).sum()
        slope = w[cut].sum()
        step = max(float((at_rest + hi[cut].sum() - available) / slope), 0.0)
        if abs(step - lam) * slope <= slack:
            return step
        lam = step
    raise VerificationError(f"the damping rate did not converge from the guess {guess!r}")
