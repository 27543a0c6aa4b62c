"""The interface every solver backend implements: a phase in, a :class:`PhaseSolution` out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from finsam_opt.engine.damping import Phase

__all__ = ["PhaseSolution", "SolveFn"]


@dataclass(frozen=True)
class PhaseSolution:
    """What a backend returns for one phase.

    Attributes
    ----------
    rate : float
        The damping rate λ (exact for ``fast``, within the solver's tolerance for LPs).
    allocation : numpy.ndarray
        The backend's own allocation, kronor, shape (n,).
    """

    rate: float
    allocation: np.ndarray


SolveFn = Callable[[Phase, float], PhaseSolution]
