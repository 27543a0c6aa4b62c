"""The interface every solver backend implements: a phase in, a :class:`PhaseSolution` out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from finsam_opt.engine.damping import Phase, largest_breakpoint

__all__ = ["PhaseSolution", "SolveFn", "amount_scale", "fill_rate_unit"]


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


def fill_rate_unit(phase: Phase, available: float) -> tuple[float, float]:
    """A fill phase's unit of λ in the LPs, and λ's upper bound in that unit.

    λ* lies in [0, top], the largest breakpoint. Counted in units of top, a fill that
    places only a little (a few öre of ofördelade medel offered by key) has a λ* far
    below the solvers' tolerances. So λ is counted in units of the rate that would
    place the amount if no unit reached its bound, (A − Σ lo) / Σ w, which λ* is never
    below, whenever that is the smaller unit.

    Examples
    --------
    >>> import numpy as np
    >>> from finsam_opt.engine.damping import Phase, PhaseKind
    >>> phase = Phase(hi=np.array([6e6, 3e6]), lo=np.zeros(2), weight=np.array([0.6, 0.4]),
    ...               kind=PhaseKind.FILL)
    >>> fill_rate_unit(phase, 0.5)  # 0.5 kr to place: λ in units of 0.5 kr per unit weight
    (0.5, 20000000.0)
    """
    top = largest_breakpoint(phase)
    if top <= 0:
        return 1.0, 0.0
    weight = float(phase.weight[phase.movable].sum())
    room = available - float(phase.lo.sum())
    if weight > 0 and 0 < room / weight < top:
        return room / weight, top / (room / weight)
    return top, 1.0
