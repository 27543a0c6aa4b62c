"""Solver backends behind one narrow interface.

Each backend takes a :class:`~finsam_opt.damping.Phase` and the amount available
and returns a :class:`PhaseSolution`; the caller recovers the exact allocation
from its λ (:func:`finsam_opt.damping.polish`) and re-checks it. Backends:

``fast``
    The exact breakpoint solution in numpy.
``highs``, ``cbc``
    The phase as a linear program built with PuLP, solved by HiGHS (highspy) or
    by PuLP's bundled CBC.
``scipy``
    The same linear program through :func:`scipy.optimize.linprog` (HiGHS).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from finsam_opt.damping import Phase
from finsam_opt.errors import InputError

__all__ = ["SOLVERS", "PhaseSolution", "get_solver"]


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

SOLVERS: tuple[str, ...] = ("fast", "highs", "cbc", "scipy")
"""Names accepted by the ``solver`` argument."""


def get_solver(name: str) -> SolveFn:
    """The solve function of backend ``name``.

    Raises
    ------
    InputError
        For an unknown name, listing the known ones.
    """
    # Imported on demand: the LP backends load PuLP and scipy only when asked for.
    if name == "fast":
        from finsam_opt.solvers import fast

        return fast.solve
    if name in ("highs", "cbc"):
        from finsam_opt.solvers import pulp_lp

        return pulp_lp.solver_for(name)
    if name == "scipy":
        from finsam_opt.solvers import scipy_lp

        return scipy_lp.solve
    known = ", ".join(f"'{s}'" for s in SOLVERS)
    raise InputError(f"unknown solver {name!r}; choose one of {known}", column="solver")
