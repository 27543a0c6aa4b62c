"""Running a policy: pick the first phase that fits, solve it on a backend, recover it exactly.

Shared by the deficit policies (:func:`finsam_opt.allocate`) and the surplus
policies (:func:`finsam_opt.redistribute`); both are tuples of rules whose
``bounds(context, previous_phase)`` builds a :class:`~finsam_opt.engine.damping.Phase`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

import numpy as np
import pandas as pd

from finsam_opt.engine.damping import Phase, allocation_at, lowest_total, polish
from finsam_opt.engine.solvers.base import PhaseSolution
from finsam_opt.engine.verify import check_solver_agreement

__all__ = ["SolvedPhase", "first_fitting_phase", "fits", "solve_exactly"]

_FIT_TOLERANCE = 1e-12  # relative: lower bounds that sum to the amount within float noise fit


Context = TypeVar("Context", contravariant=True)


class _Rule(Protocol[Context]):
    @property
    def bounds(self) -> Callable[[Context, Phase | None], Phase]: ...


@dataclass(frozen=True)
class SolvedPhase:
    """The exact solution of the phase that was solved (1-based ``number`` in its policy)."""

    allocation: np.ndarray
    rate: float
    phase: Phase
    number: int

    @property
    def line(self) -> np.ndarray:
        """hi − λ*·w: what the phase gives each unit before its lower bound, kronor."""
        return self.phase.hi - self.rate * self.phase.weight


def fits(phase: Phase, available: float) -> bool:
    """The phase's lower bounds fit in ``available`` (within float noise)."""
    return lowest_total(phase) <= available + _FIT_TOLERANCE * max(abs(available), 1.0)


def first_fitting_phase(
    rules: Sequence[_Rule[Context]], context: Context, available: float
) -> tuple[int, Phase] | None:
    """The number and phase of the first rule whose lower bounds fit, or None if none does."""
    previous: Phase | None = None
    for number, rule in enumerate(rules, start=1):
        phase = rule.bounds(context, previous)
        if fits(phase, available):
            return number, phase
        previous = phase
    return None


def solve_exactly(
    number: int,
    phase: Phase,
    available: float,
    solve: Callable[[Phase, float], PhaseSolution],
    solver: str,
    ids: pd.Index,
) -> SolvedPhase:
    """Solve ``phase`` on a backend, polish its λ to the exact λ*, and check its own point
    (an exact backend's answer, ``fast``'s, is taken as it is)."""
    own = solve(phase, available)
    if own.exact:
        return SolvedPhase(own.allocation, own.rate, phase, number)
    rate = polish(phase, available, own.rate)
    exact = allocation_at(phase, rate)
    check_solver_agreement(solver, own.allocation, exact, available, ids)
    return SolvedPhase(exact, rate, phase, number)
