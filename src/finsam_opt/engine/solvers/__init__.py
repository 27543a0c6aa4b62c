"""Solver backends behind one narrow interface.

Each backend takes a :class:`~finsam_opt.engine.damping.Phase` and the amount available
and returns a :class:`PhaseSolution`; the caller recovers the exact allocation
from its λ (:func:`finsam_opt.engine.damping.polish`) and re-checks it. Backends:

``fast``
    The exact breakpoint solution in numpy.
``highs``, ``cbc``
    The phase as a linear program built with PuLP, solved by HiGHS (highspy) or
    by PuLP's bundled CBC; from ``highs_lp.ARRAYS_FROM`` units ``highs`` builds the
    same LP from arrays (:mod:`~finsam_opt.engine.solvers.highs_lp`) and lets the
    size choose simplex, the interior-point method or PDLP.
``scipy``
    The same linear program through :func:`scipy.optimize.linprog` (HiGHS).
"""

from __future__ import annotations

from finsam_opt.engine.damping import Phase
from finsam_opt.engine.solvers.base import PhaseSolution, SolveFn
from finsam_opt.errors import InputError

__all__ = ["SOLVERS", "PhaseSolution", "get_solver"]


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
        from finsam_opt.engine.solvers import fast

        return fast.solve
    if name == "highs":
        from finsam_opt.engine.solvers import highs_lp, pulp_lp

        reference = pulp_lp.solver_for(name)

        def solve_by_size(phase: Phase, available: float) -> PhaseSolution:
            # PuLP's readable model for small phases; arrays (and IPM, PDLP) from the crossover.
            if len(phase.hi) >= highs_lp.ARRAYS_FROM:
                return highs_lp.solve(phase, available)
            return reference(phase, available)

        return solve_by_size
    if name == "cbc":
        from finsam_opt.engine.solvers import pulp_lp

        return pulp_lp.solver_for(name)
    if name == "scipy":
        from finsam_opt.engine.solvers import scipy_lp

        return scipy_lp.solve
    known = ", ".join(f"'{s}'" for s in SOLVERS)
    raise InputError(
        f"unknown solver {name!r}; choose one of {known}",
        sv=f"okänd lösare {name!r}; välj en av {known}",
        column="solver",
    )
