"""The exact breakpoint solver (no LP)."""

from __future__ import annotations

from finsam_opt.engine.damping import Phase, allocation_at, solve_exact
from finsam_opt.engine.solvers.base import PhaseSolution
from finsam_opt.errors import SolverError

__all__ = ["solve"]


def solve(phase: Phase, available: float) -> PhaseSolution:
    """Solve one damping phase exactly by sorting its breakpoints."""
    rate = solve_exact(phase, available)
    if rate is None:
        raise SolverError(
            "solver 'fast': the phase cannot fit in the amount available",
            sv="lösaren 'fast' (exakt brytpunktslösare): fasen ryms inte i det belopp som finns",
        )
    return PhaseSolution(rate=rate, allocation=allocation_at(phase, rate), exact=True)
