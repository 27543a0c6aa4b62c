"""The damping phase as a linear program for :func:`scipy.optimize.linprog` (HiGHS).

Same LP and scaling as :mod:`finsam_opt.solvers.pulp_lp`, built as sparse arrays.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from finsam_opt.damping import Phase
from finsam_opt.errors import SolverError
from finsam_opt.solvers import PhaseSolution

__all__ = ["solve"]

_STATUS = {
    0: "optimal",
    1: "iteration limit",
    2: "infeasible",
    3: "unbounded",
    4: "numerical difficulties",
}


def solve(phase: Phase, available: float) -> PhaseSolution:
    """Solve one damping phase with scipy's HiGHS interface; variables are (x, λ)."""
    scale = 1.0 / max(available, 1.0)
    hi, lo, w = phase.hi * scale, phase.lo * scale, phase.weight * scale
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
    bounds = np.column_stack((np.append(lower, 0.0), np.append(hi, np.inf)))
    cost = np.zeros(n + 1)
    cost[n] = 1.0
    result = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
    status = _STATUS.get(result.status, f"unknown status {result.status}")
    if result.status != 0:
        raise SolverError(f"solver 'scipy' did not solve the phase: status {status!r}")
    return PhaseSolution(rate=float(result.x[n]), allocation=result.x[:n] / scale)
