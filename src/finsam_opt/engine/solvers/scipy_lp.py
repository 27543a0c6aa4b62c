"""The damping phase as a linear program for :func:`scipy.optimize.linprog` (HiGHS).

Same LPs (damping and fill) and scaling as :mod:`finsam_opt.engine.solvers.pulp_lp`,
built as sparse arrays.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from finsam_opt.engine.damping import Phase, PhaseKind, largest_breakpoint
from finsam_opt.engine.solvers.base import PhaseSolution, amount_scale, fill_rate_unit
from finsam_opt.errors import SolverError

__all__ = ["solve"]

_STATUS = {
    0: "optimal",
    1: "iteration limit",
    2: "infeasible",
    3: "unbounded",
    4: "numerical difficulties",
}


def solve(phase: Phase, available: float) -> PhaseSolution:
    """Solve one damping or fill phase with scipy's HiGHS interface; variables are (x, λ)."""
    if phase.kind is PhaseKind.FILL:
        return _solve_fill(phase, available)
    # Amounts in units of A/n; λ as a fraction of the largest breakpoint, so both are near 1.
    scale = amount_scale(phase, available)
    top = largest_breakpoint(phase)
    unit = top if top > 0 else 1.0
    hi, lo, w = phase.hi * scale, phase.lo * scale, phase.weight * scale * unit
    n = len(hi)
    rows = np.flatnonzero(w > 0)
    k = len(rows)
    # −x_i − w_i·λ ≤ −hi_i for units that can be cut; then Σ x ≤ A.
    cut = sparse.csr_array(
        (
            np.concatenate((-np.ones(k), -w[rows])),
            (np.concatenate((np.arange(k), np.arange(k))), np.concatenate((rows, np.full(k, n)))),
        ),
        shape=(k, n + 1),
    )
    budget = sparse.csr_array(np.concatenate((np.ones(n), [0.0]))[None, :])
    a_ub = sparse.vstack((cut, budget), format="csr")
    b_ub = np.concatenate((-hi[rows], [available * scale]))
    lower = np.where(w > 0, lo, hi)
    bounds = np.column_stack((np.append(lower, 0.0), np.append(hi, 1.0)))
    cost = np.zeros(n + 1)
    cost[n] = 1.0
    result = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
    status = _STATUS.get(result.status, f"unknown status {result.status}")
    if result.status != 0:
        raise SolverError(
            f"solver 'scipy' did not solve the phase: status {status!r}",
            sv=f"lösaren 'scipy' löste inte fasen: status {status!r}",
        )
    return PhaseSolution(rate=float(result.x[n]) * unit, allocation=result.x[:n] / scale)


def _solve_fill(phase: Phase, available: float) -> PhaseSolution:
    # x_i − w_i·Λ·λ' ≤ lo_i for rising units; min(A, H) ≤ Σ x ≤ A; minimize λ' ∈ [0, most].
    scale = amount_scale(phase, available)
    unit, most = fill_rate_unit(phase, available)
    hi, lo, w = phase.hi * scale, phase.lo * scale, phase.weight * scale * unit
    movable = phase.movable
    n = len(hi)
    rows = np.flatnonzero(movable)
    k = len(rows)
    rise = sparse.csr_array(
        (
            np.concatenate((np.ones(k), -w[rows])),
            (np.concatenate((np.arange(k), np.arange(k))), np.concatenate((rows, np.full(k, n)))),
        ),
        shape=(k, n + 1),
    )
    ones = np.concatenate((np.ones(n), [0.0]))[None, :]
    spend = sparse.csr_array(np.vstack((ones, -ones)))
    highest = float(np.where(movable, hi, lo).sum())
    a_ub = sparse.vstack((rise, spend), format="csr")
    b_ub = np.concatenate((lo[rows], [available * scale, -min(available * scale, highest)]))
    upper = np.where(movable, hi, lo)
    bounds = np.column_stack((np.append(lo, 0.0), np.append(upper, most)))
    cost = np.zeros(n + 1)
    cost[n] = 1.0
    result = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
    status = _STATUS.get(result.status, f"unknown status {result.status}")
    if result.status != 0:
        raise SolverError(
            f"solver 'scipy' did not solve the fill phase: status {status!r}",
            sv=f"lösaren 'scipy' löste inte utfyllnadsfasen: status {status!r}",
        )
    return PhaseSolution(rate=float(result.x[n]) * unit, allocation=result.x[:n] / scale)
