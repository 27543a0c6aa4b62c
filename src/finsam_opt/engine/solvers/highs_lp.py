"""The damping and fill phases as linear programs built from arrays and solved by highspy.

The same LPs as :mod:`finsam_opt.engine.solvers.pulp_lp` (its readable reference
model), in the same units (amounts of A/n, λ as a fraction of the largest
breakpoint), but the constraint matrix is passed to HiGHS as one row-wise (CSR)
array with ``passModel``, so building costs a few numpy calls at any size. The
algorithm is chosen by size: simplex for small LPs, the interior-point method
from :data:`IPM_FROM` units and PDLP (first-order) from :data:`PDLP_FROM`; every
answer is polished and re-checked by the caller like any backend's.
"""

from __future__ import annotations

import highspy
import numpy as np

from finsam_opt.engine.damping import Phase, PhaseKind, largest_breakpoint
from finsam_opt.engine.solvers.base import PhaseSolution, amount_scale, fill_rate_unit
from finsam_opt.errors import SolverError

__all__ = ["ARRAYS_FROM", "IPM_FROM", "PDLP_FROM", "QuietHighs", "algorithm_for", "solve"]

ARRAYS_FROM = 1_000
"""Units from which ``solver="highs"`` builds the LP from arrays here instead of with
PuLP (the readable reference model; its per-variable objects cost ~10 µs a unit)."""

IPM_FROM = 2_000
"""Units from which the interior-point method (with crossover: a vertex, exact to the
solver's tolerance) replaces dual simplex, whose time grows about as n²."""

PDLP_FROM = 20_000
"""Units from which PDLP (first-order, about 3× faster than IPM here, λ to ~1e-9)
replaces the interior-point method; its answer is polished like any backend's."""

_PDLP_TOLERANCE = 1e-6  # relative: polish takes λ the rest of the way


class QuietHighs(highspy.Highs):  # type: ignore[misc]
    """A ``highspy.Highs`` that writes nothing to stdout, also not while it is made.

    HiGHS prints its banner ("Running HiGHS 1.x …") at the first call of any of its
    methods while ``output_flag`` is on, and the maintainers' advice is to turn it
    off before that call (ERGO-Code/HiGHS#1702). highspy's own ``__init__`` makes
    such a call (it registers its callback in ``enableCallbacks``) before a caller
    can set an option, so the option is set there, first. stdout is for results.
    """

    def enableCallbacks(self) -> None:
        self.setOptionValue("output_flag", False)
        super().enableCallbacks()


def algorithm_for(n: int) -> str:
    """HiGHS's ``solver`` option for a phase of ``n`` units."""
    if n >= PDLP_FROM:
        return "pdlp"
    if n >= IPM_FROM:
        return "ipm"
    return "simplex"


def solve(phase: Phase, available: float) -> PhaseSolution:
    """Solve one damping or fill phase with highspy; variables are (x, λ)."""
    scale = amount_scale(phase, available)
    fill = phase.kind is PhaseKind.FILL
    top = largest_breakpoint(phase)
    unit, most = fill_rate_unit(phase, available) if fill else (top if top > 0 else 1.0, 1.0)
    hi, lo, w = phase.hi * scale, phase.lo * scale, phase.weight * scale * unit
    n = len(hi)
    rows = np.flatnonzero(phase.movable if fill else w > 0)
    k = len(rows)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n + 1, k + 1
    lp.col_cost_ = np.append(np.zeros(n), 1.0)
    if fill:
        # x_i − w_i·λ ≤ lo_i for units that rise; min(A, H) ≤ Σ x ≤ A.
        upper = np.where(phase.movable, hi, lo)
        lp.col_lower_ = np.append(lo, 0.0)
        lp.col_upper_ = np.append(upper, most)
        spend = min(available * scale, float(upper.sum()))
        lp.row_lower_ = np.append(np.full(k, -highspy.kHighsInf), spend)
        lp.row_upper_ = np.append(lo[rows], available * scale)
        sign = -1.0
    else:
        # x_i + w_i·λ ≥ hi_i for units that can be cut; Σ x ≤ A.
        lp.col_lower_ = np.append(np.where(w > 0, lo, hi), 0.0)
        lp.col_upper_ = np.append(hi, most)
        lp.row_lower_ = np.append(hi[rows], -highspy.kHighsInf)
        lp.row_upper_ = np.append(np.full(k, highspy.kHighsInf), available * scale)
        sign = 1.0
    matrix = lp.a_matrix_
    matrix.format_ = highspy.MatrixFormat.kRowwise
    matrix.num_col_, matrix.num_row_ = n + 1, k + 1
    matrix.start_ = np.append(np.arange(0, 2 * k + 1, 2), 2 * k + n).astype(np.int32)
    index = np.empty(2 * k + n, dtype=np.int32)
    index[0 : 2 * k : 2], index[1 : 2 * k : 2], index[2 * k :] = rows, n, np.arange(n)
    value = np.ones(2 * k + n)
    value[1 : 2 * k : 2] = sign * w[rows]
    matrix.index_, matrix.value_ = index, value
    h = QuietHighs()
    algorithm = algorithm_for(n)
    h.setOptionValue("solver", algorithm)
    if algorithm == "pdlp":
        h.setOptionValue("pdlp_optimality_tolerance", _PDLP_TOLERANCE)
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        shown = h.modelStatusToString(status)
        raise SolverError(
            f"solver 'highs' did not solve the phase: status {shown!r}",
            sv=f"lösaren 'highs' löste inte fasen: status {shown!r}",
        )
    values = np.asarray(h.getSolution().col_value)
    return PhaseSolution(rate=float(values[n]) * unit, allocation=values[:n] / scale)
