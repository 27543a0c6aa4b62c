"""The balancing scalar against the budget, for many budgets at once (the batch solver)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from finsam_opt.analysis.compare import check_budgets, check_policies
from finsam_opt.domain.parameters import Parameters
from finsam_opt.domain.units import validate_units
from finsam_opt.engine.allocate import allocate
from finsam_opt.engine.batch import allocate_batch
from finsam_opt.engine.model import Scenario
from finsam_opt.engine.policies import Policy
from finsam_opt.errors import SolverError

__all__ = ["CURVE_COLUMNS", "balancing_curve"]

CURVE_COLUMNS: tuple[str, ...] = (
    "budget",
    "policy",
    "scenario",
    "balancing_scalar",
    "decrease_limit",
    "phase",
    "unallocated",
    "error",
)
"""The columns of :func:`balancing_curve`'s table (those of ``Comparison.summary`` it shares)."""


def balancing_curve(
    units: pd.DataFrame,
    params: Parameters,
    budgets: Iterable[float],
    policies: Sequence[str | Policy] | None = None,
) -> pd.DataFrame:
    """The balancing scalar, effective decrease limit and phase of each policy at many budgets.

    Every policy is solved for all budgets at once by :func:`finsam_opt.allocate_batch`
    (exact, the fast solver), so a curve of hundreds of budgets costs milliseconds; each
    row equals the ``allocate`` call at that budget. A policy that cannot fit some
    budget (a custom policy) is solved budget by budget instead and its failures
    recorded in ``error``; the curve goes on. With an equity staircase (which the
    batch solver does not apply) every budget is solved by ``allocate``.

    Parameters
    ----------
    units : pandas.DataFrame
        The unit table (see :func:`finsam_opt.allocate`).
    params : Parameters
        Formula constants; the budget is replaced by each of ``budgets``.
    budgets : iterable of float
        Budgets, kronor, distinct.
    policies : sequence of str or Policy, optional
        Default: every built-in policy (:data:`finsam_opt.DEFICIT_POLICIES`).

    Returns
    -------
    pandas.DataFrame
        One row per budget × policy (budgets in the order given) with the columns
        :data:`CURVE_COLUMNS`: ``scenario``, ``balancing_scalar`` (λ*, 0 outside a
        deficit), ``decrease_limit`` (NaN for policies without one), ``phase`` (NaN
        outside a deficit), ``unallocated`` (kr) and ``error`` (None, or the failure).
        :func:`finsam_opt.plot_balancing` draws it.

    Raises
    ------
    InputError
        Invalid units, budgets or policies, before anything is solved.

    Examples
    --------
    >>> import numpy as np, finsam_opt as fo
    >>> curve = fo.balancing_curve(fo.example_units(), fo.Parameters(budget=20e6),
    ...                            np.linspace(18e6, 24e6, 61), ["raise-limit"])
    >>> len(curve), curve["scenario"].iloc[[0, -1]].tolist()
    (61, ['deficit', 'surplus'])
    >>> round(curve.loc[curve["budget"] == 20e6, "decrease_limit"].item(), 4)
    0.2469
    """
    chosen = check_policies(policies)
    budget_list = check_budgets(params, budgets)
    for budget in budget_list:
        validate_units(units, replace(params, budget=budget))
    table = pd.concat(
        [_one_policy(units, params, budget_list, policy) for policy in chosen], ignore_index=True
    )
    # Budget by budget, the policies in the order given (as Comparison.summary).
    rank = table["budget"].map({budget: i for i, budget in enumerate(budget_list)})
    order = np.argsort(rank.to_numpy(), kind="stable")
    table = table.iloc[order].reindex(columns=list(CURVE_COLUMNS)).reset_index(drop=True)
    table["error"] = table["error"].astype(object).where(table["error"].notna(), None)
    return table


def _one_policy(
    units: pd.DataFrame, params: Parameters, budgets: list[float], policy: Policy
) -> pd.DataFrame:
    try:
        batch = allocate_batch(units, np.asarray(budgets), policy, params=params)
    except SolverError:
        return _one_by_one(units, params, budgets, policy)
    deficit = batch.scenario == Scenario.DEFICIT
    return pd.DataFrame(
        {
            "budget": batch.budget,
            "policy": policy.name,
            "scenario": [str(s) for s in batch.scenario],
            "balancing_scalar": batch.rate,
            "decrease_limit": batch.decrease_limit,
            "phase": np.where(deficit, batch.phase, np.nan),
            "unallocated": batch.unallocated,
            "error": None,
        }
    )


def _one_by_one(
    units: pd.DataFrame, params: Parameters, budgets: list[float], policy: Policy
) -> pd.DataFrame:
    return pd.DataFrame([_single(units, params, budget, policy) for budget in budgets])


def _single(
    units: pd.DataFrame, params: Parameters, budget: float, policy: Policy
) -> dict[str, object]:
    row: dict[str, object] = {"budget": budget, "policy": policy.name}
    try:
        result = allocate(units, replace(params, budget=budget), policy)
    except SolverError as error:
        return {**row, "error": f"{type(error).__name__}: {error}"}
    limit = result.decrease_limit
    return {
        **row,
        "scenario": str(result.scenario),
        "balancing_scalar": float(result.balancing_scalar),
        "decrease_limit": np.nan if limit is None else limit,
        "phase": np.nan if result.phase is None else result.phase,
        "unallocated": result.unallocated,
        "error": None,
    }
