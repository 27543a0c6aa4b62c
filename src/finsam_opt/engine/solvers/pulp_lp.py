"""The damping phase as a PuLP linear program, solved by HiGHS or CBC.

The only module that imports :mod:`pulp`. The LP is built in amounts of A/n
(every amount divided by the average unit's share of the amount available, see
:func:`~finsam_opt.engine.solvers.base.amount_scale`) because CBC exchanges numbers with 8–12
significant digits and HiGHS's absolute tolerances suit values near 1::

    minimize λ  subject to  x_i + w_i·λ ≥ hi_i,  lo_i ≤ x_i ≤ hi_i,  Σ x_i ≤ A,  λ ≥ 0

A fill phase (docs/surplus.md) is the smallest rate at which the rising units can
spend what is available (the largest rate that fits is the same number, and the
spending constraint then pins every x_i to min(hi_i, lo_i + w_i·λ))::

    minimize λ  subject to  x_i − w_i·λ ≤ lo_i,  lo_i ≤ x_i ≤ hi_i,
                            min(A, H) ≤ Σ x_i ≤ A,  0 ≤ λ ≤ Λ

with H the most the phase can spend and Λ its largest breakpoint; λ is solved
as a fraction of Λ so that it, too, is near 1.
"""

from __future__ import annotations

import warnings

import numpy as np
import pulp

from finsam_opt.engine.damping import Phase, PhaseKind, largest_breakpoint
from finsam_opt.engine.solvers.base import PhaseSolution, SolveFn, amount_scale, fill_rate_unit
from finsam_opt.engine.solvers.highs_lp import QuietHighs
from finsam_opt.errors import SolverError

__all__ = ["build_fill_problem", "build_problem", "pulp_solver", "solver_for"]

_STATUS = {
    pulp.LpStatusOptimal: "optimal",
    pulp.LpStatusNotSolved: "not solved",
    pulp.LpStatusInfeasible: "infeasible",
    pulp.LpStatusUnbounded: "unbounded",
    pulp.LpStatusUndefined: "undefined",
}


class _QuietHiGHS(pulp.HiGHS):  # type: ignore[misc]
    """PuLP's HiGHS on a :class:`~finsam_opt.engine.solvers.highs_lp.QuietHighs`: PuLP
    turns the output off only after making ``highspy.Highs()``, which prints HiGHS's
    banner to stdout while it is made."""

    def createAndConfigureSolver(self, lp: pulp.LpProblem) -> None:
        # PuLP's own method with msg=False and no callbacks, gaps, threads or time limit.
        lp.solverModel = QuietHighs()
        for key, value in self.optionsDict.items():
            lp.solverModel.setOptionValue(key, value)


def pulp_solver(name: str) -> pulp.LpSolver:
    """PuLP's solver object for backend `'highs'` or `'cbc'` (benchmarks time it apart)."""
    if name == "highs":
        return _QuietHiGHS(msg=False)
    # PuLP 3 still bundles CBC but warns that PuLP 4 will not; pyproject pins pulp < 4.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return pulp.PULP_CBC_CMD(msg=False)


def build_problem(
    phase: Phase, available: float
) -> tuple[pulp.LpProblem, list, pulp.LpVariable, float]:
    """A damping phase's LP in amounts of A/n: the problem, x, the rate as a fraction of
    the largest breakpoint, and that breakpoint (so λ is near 1 whatever the weights)."""
    scale = amount_scale(phase, available)
    top = largest_breakpoint(phase)
    unit = top if top > 0 else 1.0
    hi, lo, w = phase.hi * scale, phase.lo * scale, phase.weight * scale * unit
    problem = pulp.LpProblem("damping_phase", pulp.LpMinimize)
    rate = problem.add_variable("rate", lowBound=0, upBound=1.0)
    x = [
        problem.add_variable(f"x{i}", lowBound=float(lo[i]), upBound=float(hi[i]))
        for i in range(len(hi))
    ]
    problem += rate
    for i in np.flatnonzero(w > 0):
        problem += x[i] + float(w[i]) * rate >= float(hi[i])
    for i in np.flatnonzero(w == 0):
        x[i].lowBound = float(hi[i])
    problem += pulp.lpSum(x) <= available * scale
    return problem, x, rate, unit


def build_fill_problem(
    phase: Phase, available: float
) -> tuple[pulp.LpProblem, list, pulp.LpVariable, float]:
    """A fill phase's LP in amounts of A/n: the problem, x, the rate in its unit, and that
    unit (kronor per unit of weight; :func:`fill_rate_unit`)."""
    scale = amount_scale(phase, available)
    unit, most = fill_rate_unit(phase, available)
    hi, lo, w = phase.hi * scale, phase.lo * scale, phase.weight * scale * unit
    movable = phase.movable
    problem = pulp.LpProblem("fill_phase", pulp.LpMinimize)
    rate = problem.add_variable("rate", lowBound=0, upBound=most)
    x = [
        problem.add_variable(f"x{i}", lowBound=float(lo[i]), upBound=float(hi[i]))
        for i in range(len(hi))
    ]
    problem += rate
    for i in np.flatnonzero(movable):
        problem += x[i] - float(w[i]) * rate <= float(lo[i])
    for i in np.flatnonzero(~movable):
        x[i].upBound = float(lo[i])
    highest = float(np.where(movable, hi, lo).sum())
    problem += pulp.lpSum(x) <= available * scale
    problem += pulp.lpSum(x) >= min(available * scale, highest)
    return problem, x, rate, unit


def solver_for(name: str) -> SolveFn:
    """The solve function for backend ``'highs'`` or ``'cbc'``."""
    backend = pulp_solver(name)
    if not backend.available():
        raise SolverError(
            f"solver {name!r} is not available (PuLP cannot find {backend.name})",
            sv=f"lösaren {name!r} finns inte installerad (PuLP hittar inte {backend.name})",
        )

    def solve(phase: Phase, available: float) -> PhaseSolution:
        build = build_fill_problem if phase.kind is PhaseKind.FILL else build_problem
        problem, x, rate, unit = build(phase, available)
        problem.solve(backend)
        status = _STATUS.get(problem.status, f"unknown status {problem.status}")
        if status != "optimal" or rate.varValue is None:
            raise SolverError(
                f"solver {name!r} did not solve the phase: status {status!r}",
                sv=f"lösaren {name!r} löste inte fasen: status {status!r}",
            )
        scale = 1.0 / amount_scale(phase, available)
        values = np.array([v.varValue for v in x], dtype=float) * scale
        return PhaseSolution(rate=float(rate.varValue) * unit, allocation=values)

    return solve
