"""Many variants of one allocation at once: the exact damping solution over rows.

:func:`solve_batch` is :func:`finsam_opt.engine.damping.solve_exact` for a 2-D stack of
phases (variants × units): the breakpoints are sorted along each row, the totals
at the breakpoints come from row-wise cumulative sums, and the crossing piece of
every row is found at once by counting the breakpoints whose total still
overspends (the totals fall along a row, so the count is the row's
``searchsorted`` index). :func:`allocate_batch` runs the whole of
:func:`finsam_opt.allocate` — model quantities, scenario, the policy's phases,
the exact rate, the re-check — for many budgets or parameter sets of the same
unit table, and gives each variant the same exact allocation as a single call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from finsam_opt.domain.parameters import Parameters
from finsam_opt.domain.staircase import Staircase
from finsam_opt.domain.units import UnitTable, validate_units
from finsam_opt.engine import policies
from finsam_opt.engine.damping import Phase, polish
from finsam_opt.engine.equity import EQUITY_PHASE, equity_protection, without_protection
from finsam_opt.engine.model import BALANCE_TOLERANCE, Quantities, Scenario, compute_quantities
from finsam_opt.engine.policies import Policy, resolve_policy
from finsam_opt.engine.policy_file import DeclaredPhase
from finsam_opt.engine.rounding import effective_floor
from finsam_opt.errors import InputError, SolverError, VerificationError
from finsam_opt.language.numbers import format_kronor, format_number
from finsam_opt.language.words import term

__all__ = ["BatchAllocation", "allocate_batch", "allocate_rows", "solve_batch"]

_RELATIVE_TOLERANCE = 1e-12  # as in finsam_opt.engine.damping
_CHECK_RELATIVE = 1e-9  # as in finsam_opt.engine.verify


def solve_batch(
    hi: np.ndarray, lo: np.ndarray, weight: np.ndarray, available: np.ndarray
) -> np.ndarray:
    """Exact damping rates λ* of many phases at once.

    Row ``v`` is the phase ``x(λ) = max(lo[v], hi[v] − λ·weight[v])`` with
    ``available[v]`` to spend (docs/model.md); the result is what
    :func:`~finsam_opt.engine.damping.solve_exact` returns for that row.

    Parameters
    ----------
    hi, lo, weight : numpy.ndarray
        Kronor, shape (variants, units), finite; ``weight ≥ 0`` and ``lo ≤ hi``
        (as :class:`~finsam_opt.engine.damping.Phase` requires).
    available : numpy.ndarray
        Kronor, shape (variants,), finite.

    Returns
    -------
    numpy.ndarray
        λ* per row, shape (variants,); 0 where ``Σ hi`` fits, NaN where the row
        cannot fit (its lower bounds alone exceed ``available``; ``solve_exact``
        returns None there).

    Raises
    ------
    InputError
        Shapes that do not match, a value that is not finite, a negative weight, or
        ``lo`` above ``hi``, naming the row and unit (docs/synthetic.md).

    Examples
    --------
    >>> import numpy as np
    >>> hi = np.array([[3.0, 1.0], [3.0, 1.0]])
    >>> solve_batch(hi, np.zeros_like(hi), hi, np.array([2.0, 5.0])).tolist()
    [0.5, 0.0]
    """
    hi = np.atleast_2d(np.asarray(hi, dtype=float))
    lo = np.atleast_2d(np.asarray(lo, dtype=float))
    w = np.atleast_2d(np.asarray(weight, dtype=float))
    available = np.asarray(available, dtype=float).reshape(-1)
    if not hi.shape == lo.shape == w.shape or hi.ndim != 2 or hi.shape[0] != available.shape[0]:
        raise InputError(
            f"solve_batch needs hi, lo and weight of one shape (variants, units) and "
            f"available of shape (variants,), got {hi.shape}, {lo.shape}, {w.shape} "
            f"and {available.shape}",
            sv="solve_batch behöver hi, lo och weight med samma form (varianter, förbund) och "
            f"available med formen (varianter,), fick {hi.shape}, {lo.shape}, {w.shape} "
            f"och {available.shape}",
        )
    _check_rows(hi, lo, w, available)
    lo = np.minimum(lo, hi)  # within Phase's tolerance of hi
    n = hi.shape[1]
    if n == 0:  # nothing to cut: a row fits when it has 0 kr or more to spend
        return np.where(available >= 0.0, 0.0, np.nan)
    slack = _RELATIVE_TOLERANCE * np.maximum(np.abs(available), 1.0)
    limit = available + slack
    movable = (w > 0) & (hi > lo)
    # Units that cannot move sit at hi with breakpoint 0: sorted first, they add hi
    # to every total and nothing to any slope.
    lo = np.where(movable, lo, hi)
    w = np.where(movable, w, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        breakpoints = np.where(movable, (hi - lo) / w, 0.0)
    order = np.argsort(breakpoints, axis=1)
    bp = np.take_along_axis(breakpoints, order, axis=1)
    hi_s, lo_s, w_s = (np.take_along_axis(a, order, axis=1) for a in (hi, lo, w))
    # Units sorted before j rest at lo at λ = bp[j]; j and after are still being cut.
    lo_before = np.cumsum(lo_s, axis=1) - lo_s
    hi_from = np.cumsum(hi_s[:, ::-1], axis=1)[:, ::-1]
    w_from = np.cumsum(w_s[:, ::-1], axis=1)[:, ::-1]
    total_at_bp = lo_before + hi_from - bp * w_from
    # The totals fall along each row, so the number still above the limit is the
    # index of the first breakpoint at which the row fits.
    j = np.minimum((total_at_bp > limit[:, None]).sum(axis=1), n - 1)[:, None]

    def at(a: np.ndarray) -> np.ndarray:
        return np.take_along_axis(a, j, axis=1)[:, 0]

    slope = at(w_from)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = (at(lo_before) + at(hi_from) - available) / slope
    lower = np.where(j[:, 0] > 0, np.take_along_axis(bp, np.maximum(j - 1, 0), axis=1)[:, 0], 0.0)
    rate = np.minimum(np.maximum(np.where(slope > 0, rate, 0.0), lower), at(bp))
    rate = np.where(hi.sum(axis=1) <= limit, 0.0, rate)
    return np.where(lo.sum(axis=1) > limit, np.nan, rate)


def _check_rows(hi: np.ndarray, lo: np.ndarray, w: np.ndarray, available: np.ndarray) -> None:
    """The rules of :class:`~finsam_opt.engine.damping.Phase`, for every row at once."""
    finite = np.isfinite(hi) & np.isfinite(lo) & np.isfinite(w)
    rules = (
        (~finite, "hi, lo and weight must be finite", "hi, lo och weight måste vara ändliga"),
        (w < 0, "weight must be ≥ 0", "weight måste vara ≥ 0"),
        (
            lo > hi + _RELATIVE_TOLERANCE * np.abs(hi),
            "lo must not exceed hi",
            "lo får inte vara över hi",
        ),
    )
    for broken, english, swedish in rules:
        if broken.any():
            v, i = (int(k) for k in np.argwhere(broken)[0])
            got = f"hi {float(hi[v, i])}, lo {float(lo[v, i])}, weight {float(w[v, i])}"
            raise InputError(
                f"solve_batch: row {v}, unit {i}: {english}, got {got}",
                sv=f"solve_batch: rad {v}, förbund {i}: {swedish}, fick {got}",
            )
    if not np.isfinite(available).all():
        v = int(np.flatnonzero(~np.isfinite(available))[0])
        raise InputError(
            f"solve_batch: row {v}: available must be finite, got {float(available[v])}",
            sv=f"solve_batch: rad {v}: available måste vara ändligt, fick {float(available[v])}",
        )


@dataclass(frozen=True)
class BatchAllocation:
    """Exact allocations of many variants of one unit table.

    Attributes
    ----------
    ids : pandas.Index
        Unit ids, in the order of the input table.
    budget : numpy.ndarray
        Kronor, shape (variants,).
    allocation : numpy.ndarray
        Exact allocations, kronor, shape (variants, units); row v equals
        ``allocate(units, params[v], policy).allocation``.
    scenario : numpy.ndarray
        The :class:`~finsam_opt.Scenario` of each variant, object array (variants,).
    rate : numpy.ndarray
        The damping rate λ* of the solved phase; 0 outside a deficit.
    phase : numpy.ndarray
        1-based number of the solved phase; 0 outside a deficit and where phase E
        (excess equity first) alone closed the deficit.
    decrease_limit : numpy.ndarray
        The effective decrease limit, NaN where ``allocate`` reports None.
    unallocated : numpy.ndarray
        Budget minus the sum of the exact allocations, kronor (0 in a deficit; the
        batch does not round, so this may differ from ``Allocation.unallocated``,
        which is what the rounded amounts leave, by less than one krona per unit,
        and a balance that overshoots by less than the 1 kr tolerance shows it
        as a negative amount above -1 kr).
    policy : str
    equity_rate : numpy.ndarray
        As ``Allocation.equity_rate`` (phase E, excess equity first); NaN where
        ``allocate`` reports None. ``phase`` is 0 where phase E alone closed the
        deficit.
    floor : numpy.ndarray
        The floor rounding keeps, kronor, shape (variants, units): the model's floor
        (after phase E) where the allocation keeps it, (1 − d − λ*)·prev where
        ``raise-limit`` relaxed it (docs/model.md).

    Examples
    --------
    >>> import finsam_opt as fo
    >>> batch = fo.allocate_batch(fo.example_units(), [20_000_000, 30_000_000])  # kronor
    >>> [str(s) for s in batch.scenario], batch.decrease_limit.round(4).tolist()
    (['deficit', 'surplus'], [0.2469, 0.1])
    >>> batch.to_frame().round().loc[1].tolist()  # variant 1, kronor per unit
    [13458480.0, 5400000.0, 2500000.0, 2680117.0, 3388304.0]
    """

    ids: pd.Index
    budget: np.ndarray
    allocation: np.ndarray
    scenario: np.ndarray
    rate: np.ndarray
    phase: np.ndarray
    decrease_limit: np.ndarray
    unallocated: np.ndarray
    policy: str
    equity_rate: np.ndarray
    floor: np.ndarray

    def to_frame(self) -> pd.DataFrame:
        """The allocations as a DataFrame: one row per variant, one column per unit."""
        return pd.DataFrame(self.allocation, columns=self.ids)


@dataclass(frozen=True)
class _Constants:
    """The formula constants of every variant, shape (variants, 1) so they broadcast."""

    budget: np.ndarray
    base_amount: np.ndarray
    weight_support: np.ndarray
    weight_population: np.ndarray
    decrease_limit: np.ndarray
    staircase: Staircase | None = None  # one for every variant (see _shared_rules)
    equity_floor: str = "deficit"
    unanswered: str = "error"


def allocate_batch(
    units: pd.DataFrame,
    variants: Sequence[Parameters] | np.ndarray | Sequence[float],
    policy: str | Policy = "raise-limit",
    *,
    params: Parameters | None = None,
) -> BatchAllocation:
    """Allocate many variants of the same unit table at once (exact, fast solver).

    Parameters
    ----------
    units : pandas.DataFrame
        The unit table, as for :func:`finsam_opt.allocate`.
    variants : sequence of Parameters, or array of budgets
        One :class:`Parameters` per variant, or one budget (kronor) per variant
        whose other constants come from ``params``.
    policy : str or Policy
        The deficit policy. Built-in policies are solved for all variants at once;
        a custom policy's phases are built one variant at a time (then solved at once).
    params : Parameters, optional
        Constants for a budget array; default :class:`Parameters` defaults.

    Returns
    -------
    BatchAllocation

    Raises
    ------
    InputError
        Bad units or variants (naming the variant), before anything is computed.
    SolverError
        Not even the policy's last phase fits some variant's budget (as in ``allocate``).
    VerificationError
        A solved allocation broke a constraint when re-checked.

    Examples
    --------
    >>> import numpy as np, finsam_opt as fo
    >>> batch = fo.allocate_batch(fo.example_units(), np.array([20e6, 30e6]))
    >>> [str(s) for s in batch.scenario], np.round(batch.decrease_limit, 5).tolist()
    (['deficit', 'surplus'], [0.24693, 0.1])
    """
    constants = _constants(variants, params)
    budget = constants.budget[:, 0]
    # The largest base amount, so that the units are refused (amounts that look like tkr)
    # when allocate() would refuse them for any variant; 0 when the budget rule fails,
    # which is checked per variant just below, naming the variant.
    base = float(constants.base_amount.max())
    if isinstance(units, pd.DataFrame) and budget.max() < len(units) * base:
        base = 0.0
    table = validate_units(
        units,
        Parameters(
            budget=float(budget.max()),
            base_amount=base,
            staircase=constants.staircase,
            unanswered=constants.unanswered,
        ),
    )
    _check_budgets(constants, table.size)
    return _solve(table, constants, resolve_policy(policy))[0]


def allocate_rows(
    table: UnitTable, params: Parameters, budgets: np.ndarray, policy: str | Policy
) -> tuple[BatchAllocation, Quantities]:
    """Allocate variants whose unit data differ: ``table``'s arrays have shape (variants, units).

    The engine of :func:`finsam_opt.forecast`: every future of a year is a variant
    with its own populations, support measures, previous allocations and caps.
    ``table`` is taken as validated (its ids name the columns).

    Parameters
    ----------
    table : UnitTable
        Unit data, each array of shape (variants, units) (or (units,) when shared).
    params : Parameters
        Formula constants; its budget is ignored.
    budgets : numpy.ndarray
        Kronor, shape (variants,).
    policy : str or Policy
        The deficit policy.

    Returns
    -------
    tuple of BatchAllocation and Quantities
        The allocations, and the model quantities of every variant, shape (variants, units).
    """
    constants = _constants(np.asarray(budgets, dtype=float), params)
    _check_budgets(constants, table.size)
    return _solve(table, constants, resolve_policy(policy))


def _solve(
    table: UnitTable, constants: _Constants, chosen: Policy
) -> tuple[BatchAllocation, Quantities]:
    budget = constants.budget[:, 0]
    q = _quantities(table, constants)
    total = q.target.sum(axis=1)
    deficit = total > budget + BALANCE_TOLERANCE
    scenario = np.empty(len(budget), dtype=object)
    scenario.fill(Scenario.BALANCE)  # np.full would store a plain str
    scenario[total < budget - BALANCE_TOLERANCE] = Scenario.SURPLUS
    scenario[deficit] = Scenario.DEFICIT

    allocation = q.target.copy()
    line = np.full_like(allocation, -np.inf)  # hi − λ*·w where raise-limit relaxed floors
    rate = np.zeros(len(budget))
    phase_number = np.zeros(len(budget), dtype=np.int64)
    limit = constants.decrease_limit[:, 0].copy()
    equity_rate = np.full(len(budget), np.nan)
    rows = np.flatnonzero(deficit)
    phase_lo = np.full_like(allocation, -np.inf)
    phase_hi = np.full_like(allocation, np.inf)
    e = equity_protection(q, constants.equity_floor)
    if e is not None and len(rows):
        # Phase E (docs/model.md) before the policy: rows it cannot close lose all of e.
        e = np.broadcast_to(e, allocation.shape)
        run = rows[(e[rows] > 0).any(axis=1)]
        hi = q.target[run]
        phases = _Phases(run, hi, hi - e[run], e[run])
        fits = phases.lowest <= budget[run] * (1.0 + 1e-12)
        solved = run[fits]
        lam = solve_batch(phases.hi[fits], phases.lo[fits], phases.weight[fits], budget[solved])
        lam = _polish_where_needed(phases, fits, budget[solved], lam)
        allocation[solved] = np.maximum(
            phases.lo[fits], phases.hi[fits] - lam[:, None] * phases.weight[fits]
        )
        phase_lo[solved], phase_hi[solved] = phases.lo[fits], phases.hi[fits]
        rate[solved], phase_number[solved], equity_rate[solved] = lam, EQUITY_PHASE, lam
        exhausted = np.zeros(len(budget), bool)
        exhausted[run[~fits]] = True
        equity_rate[exhausted] = 1.0
        q = _rows_without_protection(q, e, exhausted)
        rows = np.setdiff1d(rows, solved)
    previous: _Phases | None = None
    for number, rule in enumerate(chosen.phases, start=1):
        if len(rows) == 0:
            break
        phases = _phase_bounds(chosen, number, q, rows, previous, budget[rows], table.ids)
        fits = phases.lowest <= budget[rows] * (1.0 + 1e-12)
        solved = rows[fits]
        lam = solve_batch(phases.hi[fits], phases.lo[fits], phases.weight[fits], budget[solved])
        lam = _polish_where_needed(phases, fits, budget[solved], lam)
        solved_line = phases.hi[fits] - lam[:, None] * phases.weight[fits]
        allocation[solved] = np.maximum(phases.lo[fits], solved_line)
        phase_lo[solved], phase_hi[solved] = phases.lo[fits], phases.hi[fits]
        rate[solved], phase_number[solved] = lam, number
        if rule.relaxes_limit:
            limit[solved] += lam
            line[solved] = solved_line
        elif not rule.keeps_floors:
            limit[solved] = np.nan
        previous = phases.subset(~fits)
        rows = rows[~fits]
    if len(rows):
        raise SolverError(
            f"policy {chosen.name!r}: not even its last phase fits the budget of variant(s) "
            f"{rows[:5].tolist()}",
            sv=f"principen '{term(chosen.name, 'sv')}': inte ens dess sista fas ryms i budgeten "
            f"för variant(erna) {rows[:5].tolist()}",
        )
    _check(allocation, q, budget, deficit, phase_lo, phase_hi, table.ids)
    batch = BatchAllocation(
        ids=table.ids,
        budget=budget,
        allocation=allocation,
        scenario=scenario,
        rate=rate,
        phase=phase_number,
        decrease_limit=limit,
        # A deficit spends its budget exactly (re-checked); the rest would be float noise.
        unallocated=np.where(deficit, 0.0, budget - allocation.sum(axis=1)),
        policy=chosen.name,
        equity_rate=equity_rate,
        floor=effective_floor(np.broadcast_to(q.floor, allocation.shape), allocation, line),
    )
    return batch, q


def _rows_without_protection(q: Quantities, e: np.ndarray, rows: np.ndarray) -> Quantities:
    """The quantities with phase E's whole ``e`` taken in the variants ``rows`` (boolean)."""
    taken = without_protection(q, e)
    mask = rows[:, None]
    return replace(
        q,
        target=np.where(mask, taken.target, q.target),
        floor=np.where(mask, taken.floor, q.floor),
    )


def _constants(
    variants: Sequence[Parameters] | np.ndarray | Sequence[float], params: Parameters | None
) -> _Constants:
    items = list(variants) if not isinstance(variants, np.ndarray) else None
    if items is not None and items and all(isinstance(p, Parameters) for p in items):
        if params is not None:
            raise InputError(
                "give params only with an array of budgets",
                sv="ange params bara tillsammans med en lista (array) av budgetar",
                column="params",
            )
        given = [p for p in items if isinstance(p, Parameters)]
        first = _shared_rules(given)

        def column(name: str) -> np.ndarray:
            return np.array([float(getattr(p, name)) for p in given])[:, None]

        return _Constants(
            budget=column("budget"),
            base_amount=column("base_amount"),
            weight_support=column("weight_support"),
            weight_population=column("weight_population"),
            decrease_limit=column("decrease_limit"),
            staircase=first.staircase,
            equity_floor=first.equity_floor,
            unanswered=first.unanswered,
        )
    try:
        budgets = np.asarray(variants, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise InputError(
            "variants must be a sequence of Parameters or an array of budgets",
            sv="variants måste vara en följd av Parameters eller en lista (array) av budgetar",
            column="budget",
        ) from None
    if budgets.size == 0:
        raise InputError(
            "there are no variants to allocate",
            sv="det finns inga varianter att fördela",
            column="budget",
        )
    bad = np.flatnonzero(~np.isfinite(budgets) | (budgets < 0))
    if len(bad):
        raise InputError(
            f"variant(s) {bad[:5].tolist()}: budget must be finite and ≥ 0, got {budgets[bad[0]]}",
            sv=f"variant(erna) {bad[:5].tolist()}: budgeten måste vara ändlig och ≥ 0, inte "
            f"{budgets[bad[0]]}",
            column="budget",
        )
    template = params if params is not None else Parameters(budget=0.0)
    ones = np.ones((budgets.size, 1))
    return _Constants(
        budgets[:, None],
        template.base_amount * ones,
        template.weight_support * ones,
        template.weight_population * ones,
        template.decrease_limit * ones,
        template.staircase,
        template.equity_floor,
        template.unanswered,
    )


def _shared_rules(variants: Sequence[Parameters]) -> Parameters:
    """The first variant, once every variant shares its staircase, equity_floor and
    unanswered (the rules the unit table is read and protected by)."""
    first = variants[0]
    shared = ("staircase", "equity_floor", "unanswered")
    differ = [
        i
        for i, p in enumerate(variants)
        if any(getattr(p, name) != getattr(first, name) for name in shared)
    ]
    if differ:
        raise InputError(
            f"variant(s) {differ[:5]}: allocate_batch needs one staircase, one equity_floor "
            "and one unanswered for every variant; use allocate() for variants that differ",
            sv=f"variant(erna) {differ[:5]}: allocate_batch behöver samma staircase, samma "
            "equity_floor och samma unanswered för alla varianter; använd allocate() för "
            "varianter som skiljer sig",
            column="staircase",
        )
    return first


def _check_budgets(constants: _Constants, n: int) -> None:
    short = np.flatnonzero(constants.budget[:, 0] < n * constants.base_amount[:, 0])
    if len(short):
        v = int(short[0])
        raise InputError(
            f"variant(s) {short[:5].tolist()}: budget must be at least the number of units × "
            f"base_amount, got {constants.budget[v, 0]:,.0f} kr < {n} × "
            f"{constants.base_amount[v, 0]:,.0f} kr",
            sv=f"variant(erna) {short[:5].tolist()}: budgeten måste vara minst antalet förbund × "
            f"grundtilldelningen, men {format_kronor(constants.budget[v, 0], 'sv', ore=True)} "
            f"< {n} × {format_kronor(constants.base_amount[v, 0], 'sv', ore=True)}",
            column="budget",
        )


def _quantities(units: UnitTable, c: _Constants) -> Quantities:
    """docs/model.md for every variant at once: the constants are (variants, 1)
    columns, so :func:`compute_quantities` broadcasts to (variants, units)."""
    q = compute_quantities(units, c)  # type: ignore[arg-type]
    shape = q.ideal.shape
    return Quantities(
        **{
            name: np.broadcast_to(getattr(q, name), shape)
            for name in Quantities.__dataclass_fields__
            if getattr(q, name) is not None
        }
    )


@dataclass(frozen=True)
class _Phases:
    """Phases of several variants, shape (rows, units); ``rows`` index the variants."""

    rows: np.ndarray
    hi: np.ndarray
    lo: np.ndarray
    weight: np.ndarray

    @property
    def lowest(self) -> np.ndarray:
        """:func:`~finsam_opt.engine.damping.lowest_total` of every row."""
        movable = (self.weight > 0) & (self.hi > self.lo)
        return np.where(movable, self.lo, self.hi).sum(axis=1)

    def subset(self, keep: np.ndarray) -> _Phases:
        return _Phases(self.rows[keep], self.hi[keep], self.lo[keep], self.weight[keep])

    def row(self, i: int) -> Phase:
        return Phase(self.hi[i], self.lo[i], self.weight[i])


def _rows(q: Quantities, rows: np.ndarray | int) -> Quantities:
    fields = Quantities.__dataclass_fields__
    present = (n for n in fields if getattr(q, n) is not None)
    return Quantities(**{n: _take(getattr(q, n), rows) for n in present})


def _take(values: np.ndarray, rows: np.ndarray | int) -> np.ndarray:
    """``values[rows]``; a quantity the same in every variant (a broadcast view, stride 0)
    stays a view instead of being copied once per variant."""
    if isinstance(rows, np.ndarray) and values.ndim == 2 and values.strides[0] == 0:
        return np.broadcast_to(values[0], (len(rows), values.shape[1]))
    return values[rows]


def _batch_raise_limit(q: Quantities, previous: _Phases | None) -> tuple[np.ndarray, ...]:
    return q.target, q.capped, np.where(q.protected, q.previous, 0.0)


def _batch_scale_protection(q: Quantities, previous: _Phases | None) -> tuple[np.ndarray, ...]:
    return q.target, q.capped, q.target - q.capped


def _batch_scale_gains(q: Quantities, previous: _Phases | None) -> tuple[np.ndarray, ...]:
    lo = np.minimum(np.where(q.protected, q.target, np.maximum(q.floor, q.base)), q.target)
    return q.target, lo, q.target - lo


def _batch_relax_floors(q: Quantities, previous: _Phases | None) -> tuple[np.ndarray, ...]:
    assert previous is not None  # the policy table puts this phase second
    above_base = previous.lo > q.base
    return previous.lo, q.base, np.where(above_base, q.previous, 0.0)


_BuiltIn = Callable[[Quantities, "_Phases | None"], tuple[np.ndarray, ...]]

# The built-in phase rules of finsam_opt.engine.policies, written for 2-D quantities.
_VECTORIZED: dict[object, _BuiltIn] = {
    policies._raise_limit: _batch_raise_limit,
    policies._scale_protection: _batch_scale_protection,
    policies._scale_gains: _batch_scale_gains,
    policies._relax_floors: _batch_relax_floors,
}


def _phase_bounds(
    policy: Policy,
    number: int,
    q: Quantities,
    rows: np.ndarray,
    previous: _Phases | None,
    budgets: np.ndarray,
    ids: pd.Index,
) -> _Phases:
    rule = policy.phases[number - 1]
    sub = _rows(q, rows)
    vectorized = _VECTORIZED.get(rule.bounds)
    if vectorized is not None:
        hi, lo, weight = vectorized(sub, previous)
        return _Phases(rows, hi, np.minimum(lo, hi), weight)
    if isinstance(rule.bounds, DeclaredPhase):  # a declared phase works on 2-D arrays too
        hi, lo, weight = rule.bounds.arrays(sub, sub.target if previous is None else previous.lo)
        return _Phases(rows, hi, np.minimum(lo, hi), weight)
    # A user's rule: built one variant at a time, checked as allocate checks it.
    built = [
        policies.checked_phase(
            policy,
            number,
            _rows(sub, i),
            None if previous is None else previous.row(i),
            float(budgets[i]),
            ids,
        )
        for i in range(len(rows))
    ]
    return _Phases(
        rows,
        np.array([p.hi for p in built]),
        np.array([p.lo for p in built]),
        np.array([p.weight for p in built]),
    )


def _polish_where_needed(
    phases: _Phases, fits: np.ndarray, available: np.ndarray, lam: np.ndarray
) -> np.ndarray:
    """Rows whose exact rate overspends by float noise get :func:`polish`, as allocate does."""
    hi, lo, w = phases.hi[fits], phases.lo[fits], phases.weight[fits]
    spent = np.maximum(lo, hi - lam[:, None] * w).sum(axis=1)
    off = np.flatnonzero(spent > available + _RELATIVE_TOLERANCE * np.maximum(available, 1.0))
    for i in off:  # rare: only rows the vectorized arithmetic left a hair over
        phase = Phase(hi[i], lo[i], w[i])
        lam[i] = polish(phase, float(available[i]), float(lam[i]))
    return lam


def _check(
    allocation: np.ndarray,
    q: Quantities,
    budget: np.ndarray,
    deficit: np.ndarray,
    phase_lo: np.ndarray,
    phase_hi: np.ndarray,
    ids: pd.Index,
) -> None:
    """:func:`finsam_opt.engine.verify.check_allocation` for every variant at once."""
    tol = _CHECK_RELATIVE * np.maximum(budget, 1.0)[:, None]
    total = allocation.sum(axis=1)
    rules = [
        (
            ~np.isfinite(allocation),
            "the allocation is not a finite number",
            "tilldelningen är inte ett ändligt tal",
        ),
        (allocation < -tol, "the allocation is negative", "tilldelningen är negativ"),
        (
            allocation > q.cap,
            "the allocation exceeds the matching cap",
            "tilldelningen är större än taket enligt matchningen",
        ),
        (
            ~deficit[:, None] & (np.abs(allocation - q.target) > tol),
            "outside a deficit the allocation must equal the target",
            "utan underskott måste tilldelningen vara lika med målet",
        ),
        (
            allocation < phase_lo - tol,
            "the allocation is below the phase's lower bound",
            "tilldelningen är under fasens undre gräns",
        ),
        (
            allocation > phase_hi + tol,
            "the allocation is above the phase's upper bound",
            "tilldelningen är över fasens övre gräns",
        ),
    ]
    for broken, rule, rule_sv in rules:
        if broken.any():
            v, i = np.argwhere(broken)[0]
            raise VerificationError(
                f"variant {v}, unit {ids[i]!r}: {rule}",
                sv=f"variant {v}, förbundet {ids[i]!r}: {rule_sv}",
            )
    # A balance may overshoot by the scenario tolerance (allocate's rounding takes it back).
    over = total > budget + tol[:, 0] + np.where(deficit, 0.0, BALANCE_TOLERANCE)
    unbalanced = deficit & (np.abs(total - budget) > tol[:, 0])
    checks = (
        (over, "over the budget", "mer än budgeten"),
        (unbalanced, "not the budget in a deficit", "inte lika med budgeten trots underskott"),
    )
    for broken, rule, rule_sv in checks:
        if broken.any():
            v = int(np.flatnonzero(broken)[0])
            raise VerificationError(
                f"variant {v}: the allocations sum to {total[v]:,.2f} kr, {rule}",
                sv=f"variant {v}: tilldelningarna blir tillsammans "
                f"{format_number(total[v], 'sv', 2)} kr, {rule_sv}",
            )
