"""allocate(): validate → model quantities → deficit phases → solve → verify → result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd

from finsam_opt.domain.parameters import Parameters
from finsam_opt.domain.units import MATCH_COLUMNS, UNIT_COLUMNS, UnitTable, validate_units
from finsam_opt.engine.binding import binding_rules
from finsam_opt.engine.damping import Phase
from finsam_opt.engine.equity import (
    EQUITY_PHASE,
    EQUITY_PHASE_DESCRIPTION,
    equity_phase,
    equity_protection,
    without_protection,
)
from finsam_opt.engine.model import Quantities, Scenario, compute_quantities, scenario_of
from finsam_opt.engine.phases import SolvedPhase, first_fitting_phase, fits, solve_exactly
from finsam_opt.engine.policies import PhaseRule, Policy, checked_policy, resolve_policy
from finsam_opt.engine.result import Allocation
from finsam_opt.engine.rounding import effective_floor, round_largest_remainder
from finsam_opt.engine.solvers import PhaseSolution, get_solver
from finsam_opt.engine.verify import check_allocation
from finsam_opt.errors import SolverError
from finsam_opt.language.words import term

__all__ = ["allocate", "ideal_allocation"]


def ideal_allocation(units: pd.DataFrame, params: Parameters) -> pd.Series:
    """The ideal allocation I = b + (B − N·b)·key of every unit (docs/model.md).

    June's first preliminary distribution: no caps, no floors.

    Parameters
    ----------
    units : pandas.DataFrame
        The unit table (see :func:`allocate`).
    params : Parameters

    Returns
    -------
    pandas.Series
        Kronor, indexed by unit id; sums to ``params.budget``.

    Examples
    --------
    >>> import pandas as pd, finsam_opt as fo
    >>> units = pd.DataFrame({"population": [3, 1], "support_measure": [1, 1]}, index=["A", "B"])
    >>> fo.ideal_allocation(units, fo.Parameters(budget=2_800_000)).round().tolist()
    [1525000.0, 1275000.0]
    """
    table = validate_units(units, params)
    q = compute_quantities(table, params)
    return pd.Series(q.ideal, index=table.ids, name="ideal")


def allocate(
    units: pd.DataFrame,
    params: Parameters,
    policy: str | Policy = "raise-limit",
    solver: str = "fast",
) -> Allocation:
    """Allocate the budget among the units (docs/model.md).

    Parameters
    ----------
    units : pandas.DataFrame
        Indexed by unit id. Required columns ``population`` (inhabitants 16–64)
        and ``support_measure`` (försörjningsmått); optional
        ``previous_allocation``, ``requested``, ``municipal_match`` and
        ``regional_match`` (kronor; NaN or an absent column means a new unit or
        no limit).
    params : Parameters
        Budget and formula constants.
    policy : str or Policy
        How a deficit relaxes the floors: ``'raise-limit'`` (default),
        ``'scale-protection'``, ``'scale-gains'``, or a custom :class:`Policy`.
    solver : str
        ``'fast'`` (exact, default), ``'highs'``, ``'cbc'`` or ``'scipy'``; all give
        the same allocation to the krona.

    Returns
    -------
    Allocation
        ``table`` has the same index and order as ``units``.

    Raises
    ------
    InputError
        Bad input, naming unit, column and rule; nothing is computed.
    SolverError
        The solver is unavailable or did not reach an optimum.
    VerificationError
        The solved amounts broke a constraint when re-checked.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> result = fo.allocate(fo.example_units(), fo.Parameters(budget=20_000_000))
    >>> result.scenario, round(result.decrease_limit, 4)
    (<Scenario.DEFICIT: 'deficit'>, 0.2469)
    >>> result.table["allocation_rounded"].tolist()
    [8794737, 4518422, 2500000, 1865789, 2321052]
    >>> result.table["binding"].tolist()
    ['ideal', 'relaxed-floor', 'cap', 'new', 'ideal']
    """
    table = validate_units(units, params)
    chosen = resolve_policy(policy)
    solve = get_solver(solver)

    q = compute_quantities(table, params)
    scenario = scenario_of(float(q.target.sum()), params.budget)
    deficit = None
    if scenario is Scenario.DEFICIT:
        deficit = _solve_deficit(chosen, q, params, solve, solver, table.ids)
    solved = None if deficit is None else deficit.solved
    used = q if deficit is None else deficit.quantities
    allocation = q.target if solved is None else solved.allocation
    check_allocation(
        allocation,
        used,
        params.budget,
        scenario,
        None if solved is None else solved.phase,
        table.ids,
    )
    rounded = round_largest_remainder(
        allocation,
        params.rounding_unit,
        limit=params.budget,
        cap=used.cap,
        floor=_rounding_floor(used, allocation, deficit),
        ids=table.ids,
    )
    cut = None if deficit is None else deficit.equity_cut
    return Allocation(
        scenario=scenario,
        policy=chosen.name,
        solver=solver,
        parameters=params,
        balancing_scalar=0.0 if solved is None else solved.rate,
        decrease_limit=_effective_limit(params, deficit),
        # What the rounded decision leaves of the budget (docs/model.md): in a deficit
        # 0 unless the rounding unit or a cap leaves kronor that cannot be placed.
        unallocated=params.budget - float(rounded.sum()),
        phase=None if solved is None else solved.number,
        phase_description=None if deficit is None else deficit.description,
        equity_rate=None if deficit is None else deficit.equity_rate,
        matching=table.matching,
        ids=table.ids,
        exact=allocation,
        rounded=rounded,
        columns=partial(_decision_columns, table, q, used, allocation, rounded, cut),
    )


@dataclass(frozen=True)
class _Deficit:
    """How a deficit was solved: phase E alone, or the policy's phase after it."""

    solved: SolvedPhase
    rule: PhaseRule | None  # None: phase E fitted
    quantities: Quantities  # what the solved phase started from (targets after phase E)
    equity_cut: np.ndarray | None  # kronor phase E took from each unit; None: it did not run
    equity_rate: float | None  # the fraction of e phase E took (1: all of it)

    @property
    def description(self) -> str:
        return EQUITY_PHASE_DESCRIPTION if self.rule is None else self.rule.description


def _solve_deficit(
    policy: Policy,
    q: Quantities,
    params: Parameters,
    solve: Callable[[Phase, float], PhaseSolution],
    solver: str,
    ids: pd.Index,
) -> _Deficit:
    budget = params.budget
    e = equity_protection(q, params.equity_floor)
    if e is not None:
        phase = equity_phase(q, e)
        if fits(phase, budget):
            solved = solve_exactly(EQUITY_PHASE, phase, budget, solve, solver, ids)
            return _Deficit(solved, None, q, solved.rate * e, solved.rate)
        q = without_protection(q, e)
    fitting = first_fitting_phase(checked_policy(policy, budget, ids).phases, q, budget)
    if fitting is None:
        raise SolverError(
            f"policy {policy.name!r}: not even its last phase fits the budget",
            sv=f"principen '{term(policy.name, 'sv')}': inte ens dess sista fas ryms i budgeten",
        )
    number, phase = fitting
    solved = solve_exactly(number, phase, budget, solve, solver, ids)
    return _Deficit(solved, policy.phases[number - 1], q, e, None if e is None else 1.0)


def _rounding_floor(
    used: Quantities, allocation: np.ndarray, deficit: _Deficit | None
) -> np.ndarray:
    """The floor rounding keeps: the model's (after phase E), relaxed as ``raise-limit`` reports."""
    if deficit is None or deficit.rule is None or not deficit.rule.relaxes_limit:
        return used.floor
    return effective_floor(used.floor, allocation, deficit.solved.line)


def _effective_limit(params: Parameters, deficit: _Deficit | None) -> float | None:
    if deficit is None or deficit.rule is None or deficit.rule.keeps_floors:
        return params.decrease_limit
    if deficit.rule.relaxes_limit:
        return params.decrease_limit + deficit.solved.rate
    return None


def _decision_columns(
    table: UnitTable,
    q: Quantities,
    used: Quantities,
    allocation: np.ndarray,
    rounded: np.ndarray,
    equity_cut: np.ndarray | None,
) -> dict[str, object]:
    """The decision table's columns, in order; run only when the table is first read."""
    # Validation turned "no limit" into inf; the table shows the input as given (NaN).
    inputs = {c: getattr(table, c) for c in UNIT_COLUMNS}
    inputs = {c: np.where(np.isinf(v), np.nan, v) for c, v in inputs.items()}
    previous = inputs["previous_allocation"]
    with np.errstate(divide="ignore", invalid="ignore"):
        change_rate = np.where(previous > 0, rounded / previous - 1.0, np.nan)
    equity: dict[str, np.ndarray] = {}
    # Both flags when any contribution was assumed, so a reader sees which party answered.
    flags = dict(zip(MATCH_COLUMNS, (table.assumed_municipal, table.assumed_regional), strict=True))
    assumed = {}
    if any(f is not None and f.any() for f in flags.values()):
        assumed = {
            f"{c}_assumed": np.zeros(table.size, bool) if f is None else f for c, f in flags.items()
        }
    if q.excess_equity is not None:
        inputs |= {"equity": table.equity, "turnover": table.turnover}
        cut = np.zeros(table.size) if equity_cut is None else equity_cut
        equity = {"excess_equity": q.excess_equity, "equity_cut": cut}
    return {
        **inputs,
        **assumed,
        "share_population": q.share_population,
        "share_support": q.share_support,
        "key": q.key,
        "ideal": q.ideal,
        "cap": q.cap,
        "floor": q.floor,
        "capped": q.capped,
        "target": q.target,
        "protected": q.protected,
        "new": q.new,
        **equity,
        "allocation": allocation,
        "allocation_rounded": rounded,
        "change": rounded - previous,
        "change_rate": change_rate,
        "binding": binding_rules(allocation, used, q.target, equity_cut),
    }
