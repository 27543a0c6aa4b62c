"""The interface every solver backend implements: a phase in, a :class:`PhaseSolution` out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from finsam_opt.engine.damping import Phase

__all__ = ["PhaseSolution", "SolveFn", "amount_scale"]


@dataclass(frozen=True)
class PhaseSolution:
    """What a backend returns for one phase.

    Attributes
    ----------
    rate : float
        The damping rate λ (exact for ``fast``, within the solver's tolerance for LPs).
    allocation : numpy.ndarray
        The backend's own allocation, kronor, shape (n,).
    exact : bool
        True when ``rate`` is λ* itself and ``allocation`` the phase's allocation at
        it (``fast``): nothing to polish or to check against.
    """

    rate: float
    allocation: np.ndarray
    exact: bool = False


SolveFn = Callable[[Phase, float], PhaseSolution]


def amount_scale(phase: Phase, available: float) -> float:
    """Factor from kronor to the LPs' amount unit, ``available / n`` (scale before you
    solve): the average unit's amount is 1, so every variable and bound is
    of order 1 whatever n. Budget shares (``1 / available``) left each amount near
    ``1 / n``, below the solvers' absolute tolerances at national sizes."""
    return len(phase.hi) / max(available, 1.0)
