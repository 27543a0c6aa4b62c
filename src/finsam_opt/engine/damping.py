"""The damping and fill phases of docs/model.md and their exact breakpoint solutions.

A phase cuts every unit by the same rate λ times its weight, never below its
lower bound::

    x_i(λ) = max(lo_i, hi_i − λ·w_i),    λ* = min{ λ ≥ 0 : Σ x_i(λ) ≤ A }

``Σ x(λ)`` is convex, piecewise linear and non-increasing in λ, with breakpoints
``(hi_i − lo_i) / w_i``. :func:`solve_exact` finds λ* by sorting the breakpoints
(O(n log n)) up to :data:`SELECTION_FROM` units and by selection (O(n)) from there;
:func:`polish` finds it from any starting guess, such as a value an LP solver
returned, by Newton steps on the same function.

A *fill* phase (``kind=PhaseKind.FILL``, docs/surplus.md) runs the other way: every
unit is raised by the same rate λ times its weight from its lower bound, never
above its upper bound, and λ* is the largest rate that fits::

    x_i(λ) = min(hi_i, lo_i + λ·w_i),    λ* = max{ 0 ≤ λ ≤ Λ : Σ x_i(λ) ≤ A }

with Λ the largest breakpoint (beyond it nothing changes). ``Σ x(λ)`` is concave,
piecewise linear and non-decreasing, with the same breakpoints.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from finsam_opt._compat import StrEnum
from finsam_opt.errors import InputError, VerificationError

__all__ = [
    "Phase",
    "PhaseKind",
    "allocation_at",
    "largest_breakpoint",
    "lowest_total",
    "polish",
    "solve_exact",
]

_RELATIVE_TOLERANCE = 1e-12


class PhaseKind(StrEnum):
    """Which way a phase moves as λ grows.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> fo.PhaseKind("fill") is fo.PhaseKind.FILL
    True
    >>> fo.Phase(hi=[3.0, 2.0], lo=[1.0, 2.0], weight=[1.0, 1.0], kind="fill").kind
    <PhaseKind.FILL: 'fill'>
    """

    DAMP = "damp"
    """Cut from ``hi`` down to ``lo``: x = max(lo, hi − λ·w), smallest λ that fits."""
    FILL = "fill"
    """Raise from ``lo`` up to ``hi``: x = min(hi, lo + λ·w), largest λ that fits."""


@dataclass(frozen=True)
class Phase:
    """One damping (or fill) phase: per-unit bounds and weights, kronor, shape (n,).

    Parameters
    ----------
    hi : numpy.ndarray
        What each unit gets when nothing needs cutting.
    lo : numpy.ndarray
        What each unit keeps whatever the cut; ``lo ≤ hi``.
    weight : numpy.ndarray
        How fast each unit is cut as λ grows; ``≥ 0``. A unit with weight 0 keeps ``hi``
        (in a fill phase: how fast it is raised; weight 0 keeps ``lo``).
    kind : PhaseKind
        ``DAMP`` (default, docs/model.md) or ``FILL`` (docs/surplus.md).

    Examples
    --------
    >>> import finsam_opt as fo
    >>> phase = fo.Phase(hi=[3e6, 2e6, 1e6], lo=[2e6, 2e6, 0.0], weight=[1.0, 1.0, 0.0])  # kronor
    >>> phase.movable  # the second has no room above lo, the third no weight
    array([ True, False, False])
    >>> phase.kind
    <PhaseKind.DAMP: 'damp'>
    """

    hi: np.ndarray
    lo: np.ndarray
    weight: np.ndarray
    kind: PhaseKind = PhaseKind.DAMP

    def __post_init__(self) -> None:
        hi, lo, w = (np.asarray(a, dtype=float) for a in (self.hi, self.lo, self.weight))
        if not hi.shape == lo.shape == w.shape or hi.ndim != 1:
            raise InputError(
                f"a phase needs hi, lo and weight of one shape (n,), got "
                f"{hi.shape}, {lo.shape} and {w.shape}",
                sv="en fas behöver hi, lo och weight av samma form (n,), men fick "
                f"{hi.shape}, {lo.shape} och {w.shape}",
            )
        if not (np.isfinite(hi).all() and np.isfinite(lo).all() and np.isfinite(w).all()):
            raise InputError(
                "a phase's hi, lo and weight must be finite",
                sv="fasens hi, lo och weight måste vara ändliga tal",
            )
        if (w < 0).any():
            raise InputError(
                "a phase's weights must be ≥ 0", sv="fasens vikter (weight) måste vara ≥ 0"
            )
        if (lo > hi + _RELATIVE_TOLERANCE * np.abs(hi)).any():
            raise InputError(
                "a phase's lower bounds must not exceed its upper bounds",
                sv="fasens nedre gränser (lo) får inte vara större än dess övre gränser (hi)",
            )
        object.__setattr__(self, "hi", hi)
        object.__setattr__(self, "lo", np.minimum(lo, hi))
        object.__setattr__(self, "weight", w)
        try:
            kind = PhaseKind(self.kind)
        except ValueError:
            known = ", ".join(f"'{k.value}'" for k in PhaseKind)
            raise InputError(
                f"a phase's kind must be one of {known}, got {self.kind!r}",
                sv=f"fasens typ (kind) måste vara någon av {known}, inte {self.kind!r}",
            ) from None
        object.__setattr__(self, "kind", kind)

    @property
    def movable(self) -> np.ndarray:
        """Boolean: the unit can be cut (positive weight and room above its lower bound)."""
        return (self.weight > 0) & (self.hi > self.lo)


def lowest_total(phase: Phase) -> float:
    """The least the phase can spend: movable units at ``lo``, the others at ``hi``
    (a fill phase: every unit at ``lo``)."""
    if phase.kind is PhaseKind.FILL:
        return float(phase.lo.sum())
    return float(np.where(phase.movable, phase.lo, phase.hi).sum())


def largest_breakpoint(phase: Phase) -> float:
    """The largest ``(hi − lo) / w`` over movable units; 0 if none can move."""
    movable = phase.movable
    if not movable.any():
        return 0.0
    return float(((phase.hi - phase.lo)[movable] / phase.weight[movable]).max())


def allocation_at(phase: Phase, lam: float) -> np.ndarray:
    """The phase's allocation at rate ``lam``: ``max(lo, hi − lam·w)``, or for a fill
    phase ``min(hi, lo + lam·w)``."""
    if phase.kind is PhaseKind.FILL:
        return np.minimum(phase.hi, phase.lo + lam * phase.weight)
    return np.maximum(phase.lo, phase.hi - lam * phase.weight)


def _slack(available: float) -> float:
    return _RELATIVE_TOLERANCE * max(abs(available), 1.0)


def solve_exact(phase: Phase, available: float) -> float | None:
    """Exact λ* for spending at most ``available``, or None if the phase cannot fit.

    Finds the linear piece of the total on which it crosses ``available`` and
    solves it. Works on what must be cut, ``Σ hi − available``, and on the units
    that can be cut (weight > 0) only. Up to :data:`SELECTION_FROM` such units the
    breakpoints are sorted (about twenty numpy calls, whose fixed cost is the whole
    running time at the national size); from there they are narrowed down by
    selection around sampled pivots, O(n), and only the last few are sorted.
    """
    if phase.kind is PhaseKind.FILL:
        return _solve_fill(phase, available)
    hi, lo, w = phase.hi, phase.lo, phase.weight
    need = float(hi.sum()) - available  # what the cuts must take out
    slack = _slack(available)
    if need <= slack:
        return 0.0
    if len(hi) >= SELECTION_FROM:
        # Every unit stays (no gathers); one that cannot be cut has no gap and no rate.
        gap = np.subtract(hi, lo)
        gap *= w > 0
        if gap.sum() < need - slack:
            return None
        breakpoints = np.maximum(w, np.finfo(float).tiny)
        np.divide(gap, breakpoints, out=breakpoints)  # in place: one 8-byte array fewer a unit
        return _crossing_by_selection(breakpoints, gap, w, need - slack, need)
    cut = np.flatnonzero(w > 0)
    gap, rate = hi[cut] - lo[cut], w[cut]  # the most each unit can give, and how fast
    if gap.sum() < need - slack:
        return None
    return _crossing_by_sorting(gap / rate, gap, rate, need - slack, need, 0.0, 0.0)


SELECTION_FROM = 4096
"""Number of units from which :func:`solve_exact` selects instead of sorting (below it
the sort's few numpy calls are cheaper than the selection's rounds)."""

_SAMPLE = 4096  # breakpoints sampled per selection round


def _crossing_by_sorting(
    bp: np.ndarray,
    gap: np.ndarray,
    rate: np.ndarray,
    target: float,
    need: float,
    given: float,
    cutting: float,
) -> float:
    """λ at which ``given + Σ min(gap, λ·rate) + λ·cutting`` reaches ``need``, by sorting
    ``bp = gap / rate``; ``given`` (kronor) and ``cutting`` (kronor per unit of λ) are
    what units outside these arrays give at that λ."""
    if len(bp) == 0:  # the selection resolved every unit: λ is on the outside units' line
        return float((need - given) / cutting) if cutting > 0.0 else 0.0
    order = np.argsort(bp)
    bp, gap, rate = bp[order], gap[order], rate[order]
    # At λ = bp[j] the units sorted before j have given their whole gap, the others λ·w.
    gap_before = given + np.cumsum(gap) - gap
    rate_from = cutting + np.cumsum(rate[::-1])[::-1]
    j = int(np.searchsorted(gap_before + bp * rate_from, target))
    if j == len(bp):  # beyond the last breakpoint: only the outside units still give
        if cutting <= 0.0:  # none does: everything is given at the last breakpoint
            return float(bp[-1])
        return float(max((need - gap_before[-1] - gap[-1]) / cutting, bp[-1]))
    lam = (need - gap_before[j]) / rate_from[j]
    lower = bp[j - 1] if j > 0 else 0.0
    return float(min(max(lam, lower), bp[j]))


def _crossing_by_selection(
    bp: np.ndarray, gap: np.ndarray, rate: np.ndarray, target: float, need: float
) -> float:
    """As :func:`_crossing_by_sorting`, in O(n).

    Each round estimates the crossing from a sample of the breakpoints, brackets it
    by two sampled pivots and keeps only the units between them: those below have
    given their gap, those above give λ·w. Sums over a side are taken by multiplying
    with the side's mask (no branches); a round costs a few passes over the units
    left, and keeps a few per cent of them.
    """
    given, cutting = 0.0, 0.0
    while len(bp) > 4 * _SAMPLE:
        step = len(bp) // _SAMPLE
        order = np.argsort(bp[::step])
        sample = bp[::step][order]
        g, r = gap[::step][order] * step, rate[::step][order] * step
        # The total at each sampled breakpoint, estimated from the sample alone.
        estimate = given + np.cumsum(g) - g + sample * (cutting + np.cumsum(r[::-1])[::-1])
        k = int(np.searchsorted(estimate, target))
        margin = 2 * int(np.sqrt(len(sample)))
        low, high = sample[max(k - margin, 0)], sample[min(k + margin, len(sample) - 1)]
        below, above = bp <= low, bp >= high
        between = np.flatnonzero(~(below | above))
        gap_all, rate_all = float(gap.sum()), float(rate.sum())
        gap_between, rate_between = float(gap[between].sum()), float(rate[between].sum())
        gap_below, rate_above = float((gap * below).sum()), float((rate * above).sum())
        gap_above = gap_all - gap_between - gap_below
        rate_below = rate_all - rate_between - rate_above
        if given + gap_below + low * (cutting + rate_all - rate_below) >= target:
            # The crossing is at or below `low`: units from `low` up give λ·w.
            keep = np.flatnonzero(bp < low)
            more_given, more_cutting = 0.0, rate_all - float(rate[keep].sum())
        elif given + gap_all - gap_above + high * (cutting + rate_above) < target:
            # The crossing is above `high`: units up to `high` have given their gap.
            keep = np.flatnonzero(bp > high)
            more_given, more_cutting = gap_all - float(gap[keep].sum()), 0.0
        else:
            keep, more_given, more_cutting = between, gap_below, rate_above
        if len(keep) > 0.75 * len(bp):  # a sample that misled: sort what is left
            break
        bp, gap, rate = bp[keep], gap[keep], rate[keep]
        given, cutting = given + more_given, cutting + more_cutting
    return _crossing_by_sorting(bp, gap, rate, target, need, given, cutting)


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
    if phase.kind is PhaseKind.FILL:
        return _polish_fill(phase, available, guess)
    hi, lo, w = phase.hi, phase.lo, phase.weight
    slack = _slack(available)
    if hi.sum() <= available + slack:
        return 0.0
    if lowest_total(phase) > available + slack:
        raise _does_not_fit()
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
    raise VerificationError(
        f"the damping rate did not converge from the guess {guess!r}",
        sv=f"dämpningstalet konvergerade inte från startvärdet {guess!r}",
    )


def _does_not_fit() -> InputError:
    return InputError(
        "the phase cannot fit in the amount available",
        sv="fasen ryms inte i det belopp som finns att fördela",
    )


def _highest_fill(phase: Phase) -> float:
    """The most a fill phase can spend: movable units at ``hi``, the others at ``lo``."""
    return float(np.where(phase.movable, phase.hi, phase.lo).sum())


def _solve_fill(phase: Phase, available: float) -> float | None:
    hi, lo, w = phase.hi, phase.lo, phase.weight
    slack = _slack(available)
    if lo.sum() > available + slack:
        return None
    top = largest_breakpoint(phase)
    movable = phase.movable
    if _highest_fill(phase) <= available + slack:
        return top
    fixed = lo[~movable].sum()
    hi_m, lo_m, w_m = hi[movable], lo[movable], w[movable]
    breakpoints = (hi_m - lo_m) / w_m
    order = np.argsort(breakpoints, kind="stable")
    bp, hi_s, lo_s, w_s = breakpoints[order], hi_m[order], lo_m[order], w_m[order]
    # At λ = bp[j] units up to j are full; those after j are still rising.
    hi_upto = np.cumsum(hi_s)
    lo_after = np.concatenate((np.cumsum(lo_s[::-1])[::-1][1:], [0.0]))
    w_after = np.concatenate((np.cumsum(w_s[::-1])[::-1][1:], [0.0]))
    total_at_bp = fixed + hi_upto + lo_after + bp * w_after
    j = int(np.searchsorted(total_at_bp, available, side="right"))
    j = min(j, len(bp) - 1)
    hi_before = hi_upto[j] - hi_s[j]
    lam = (available - fixed - hi_before - lo_after[j] - lo_s[j]) / (w_after[j] + w_s[j])
    lower = bp[j - 1] if j > 0 else 0.0
    return float(min(max(lam, lower), bp[j]))


def _polish_fill(phase: Phase, available: float, guess: float) -> float:
    # Newton steps on the concave total with a supergradient: every step lands at or
    # below λ*, and from there the iterates rise to λ* piece by piece.
    hi, lo, w = phase.hi, phase.lo, phase.weight
    slack = _slack(available)
    if lo.sum() > available + slack:
        raise _does_not_fit()
    top = largest_breakpoint(phase)
    if _highest_fill(phase) <= available + slack:
        return top
    movable = phase.movable
    breakpoints = np.full(len(hi), -np.inf)
    breakpoints[movable] = (hi - lo)[movable] / w[movable]
    lam = min(max(float(guess), 0.0), top)
    for _ in range(len(hi) + 2):
        total = float(np.minimum(hi, lo + lam * w).sum())
        # The right slope; at the top (nothing rises any more) the left slope.
        rising = breakpoints > lam
        if not rising.any():
            rising = breakpoints >= lam
        slope = w[rising].sum()
        step = min(max(lam + (available - total) / slope, 0.0), top)
        if abs(step - lam) * slope <= slack:
            return step
        lam = step
    raise VerificationError(
        f"the fill rate did not converge from the guess {guess!r}",
        sv=f"fyllnadstalet konvergerade inte från startvärdet {guess!r}",
    )
