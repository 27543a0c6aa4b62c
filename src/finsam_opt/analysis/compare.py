"""Compare deficit policies over one or more budgets against a baseline policy."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType

import numpy as np
import pandas as pd

from finsam_opt.analysis.diagnostics import diagnose
from finsam_opt.domain.parameters import Parameters
from finsam_opt.domain.units import MATCH_COLUMNS, Matching, validate_units
from finsam_opt.engine.allocate import allocate
from finsam_opt.engine.policies import DEFICIT_POLICIES, Policy, resolve_policy
from finsam_opt.engine.result import Allocation
from finsam_opt.engine.solvers import get_solver
from finsam_opt.errors import InputError
from finsam_opt.language.numbers import format_kronor
from finsam_opt.language.words import term

__all__ = ["Comparison", "compare"]

_TABLE_COLUMNS = (
    "ideal",
    "capped",
    "floor",
    "target",
    "allocation",
    "allocation_rounded",
    "binding",
)

#: Whether a party's contribution was assumed, not answered (when matching was collected).
_ASSUMED_FLAGS = tuple(f"{party}_assumed" for party in MATCH_COLUMNS)

#: A difference within this many kronor is no difference (float noise of exact amounts).
_SAME = 0.5


@dataclass(frozen=True)
class Comparison:
    """Allocations of the same units under several policies and budgets.

    Attributes
    ----------
    table : pandas.DataFrame
        Tidy, one row per budget × policy × unit (successful runs only), columns
        ``budget``, ``policy``, ``unit``, ``ideal``, ``capped``, ``floor``,
        ``target``, ``allocation`` (exact kr), ``allocation_rounded`` (kr),
        ``binding``, ``baseline_allocation`` (the baseline policy's exact amount
        at the same budget) and ``difference`` (``allocation −
        baseline_allocation``, kr; NaN if the baseline failed at that budget);
        when matching was collected also ``municipal_match_assumed`` and
        ``regional_match_assumed`` (True where that party has not answered and its
        contribution was assumed, docs/model.md).
    summary : pandas.DataFrame
        One row per budget × policy: the fields of
        :class:`~finsam_opt.analysis.diagnostics.Diagnostics` and ``error`` (the
        failure's message, or None).
    winners_losers : pandas.DataFrame
        One row per budget × non-baseline policy that succeeded: ``winners`` and
        ``losers`` (units more than half a krona above / below the baseline),
        ``moved`` (Σ of the gains, kr), ``largest_gain_unit``, ``largest_gain``,
        ``largest_loss_unit``, ``largest_loss`` (a negative amount).
    results : Mapping
        ``{(policy, budget): Allocation}`` of the successful runs.
    errors : Mapping
        ``{(policy, budget): message}`` of the failed runs.
    policies : tuple of str
        Policy names in the order compared.
    budgets : tuple of float
        Budgets in the order compared, kronor.
    baseline : str
        The baseline policy's name.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> c = fo.compare(fo.example_units(), fo.Parameters(budget=20_000_000),
    ...                budgets=[18_000_000, 20_000_000])  # kronor
    >>> c.policies, c.budgets
    (('raise-limit', 'scale-protection', 'scale-gains'), (18000000.0, 20000000.0))
    >>> c.difference("scale-gains", 18_000_000).round().tolist()  # kronor above raise-limit
    [-222453.0, 1265538.0, -179070.0, -1302924.0, 438909.0]
    """

    table: pd.DataFrame
    summary: pd.DataFrame
    winners_losers: pd.DataFrame
    results: Mapping[tuple[str, float], Allocation]
    errors: Mapping[tuple[str, float], str]
    policies: tuple[str, ...]
    budgets: tuple[float, ...]
    baseline: str

    def difference(self, policy: str, budget: float | None = None) -> pd.Series:
        """Per-unit ``allocation − baseline`` of ``policy`` at ``budget``, kronor.

        ``budget`` may be left out when only one budget was compared.
        """
        budget = self._one_budget(budget)
        rows = self.table[(self.table["policy"] == policy) & (self.table["budget"] == budget)]
        if rows.empty:
            raise InputError(
                f"policy {policy!r} has no allocation at budget {budget:,.0f} kr "
                f"in this comparison",
                sv=f"principen '{term(policy, 'sv')}' har ingen tilldelning vid budgeten "
                f"{format_kronor(budget, 'sv', ore=True)} i den här jämförelsen",
                column="policy",
            )
        return rows.set_index("unit")["difference"].rename(policy)

    def _one_budget(self, budget: float | None) -> float:
        if budget is not None:
            return float(budget)
        if len(self.budgets) != 1:
            raise InputError(
                f"this comparison has {len(self.budgets)} budgets; name one",
                sv=f"jämförelsen har {len(self.budgets)} budgetar; ange en av dem",
                column="budget",
            )
        return self.budgets[0]


def compare(
    units: pd.DataFrame,
    params: Parameters,
    policies: Sequence[str | Policy] | None = None,
    budgets: Iterable[float] | None = None,
    baseline: str = "raise-limit",
    solver: str = "fast",
) -> Comparison:
    """Allocate ``units`` under every policy and budget and compare with a baseline.

    Each run is exactly ``allocate(units, replace(params, budget=b), policy,
    solver)``. A run that raises is recorded with its error message in
    ``errors`` and ``summary`` and the sweep goes on.

    Parameters
    ----------
    units : pandas.DataFrame
        The unit table (see :func:`finsam_opt.allocate`).
    params : Parameters
        Formula constants; its budget is used when ``budgets`` is None.
    policies : sequence of str or Policy, optional
        Default: every built-in policy (:data:`finsam_opt.DEFICIT_POLICIES`).
    budgets : iterable of float, optional
        Budgets to compare at, kronor. Default: ``[params.budget]``.
    baseline : str
        The policy every other is compared with; added to ``policies`` if absent.
    solver : str
        The solver backend for every run.

    Returns
    -------
    Comparison

    Raises
    ------
    InputError
        Invalid units, budgets, policies or solver, before anything is allocated.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> c = fo.compare(fo.example_units(), fo.Parameters(budget=20_000_000))
    >>> c.difference("scale-gains").round().tolist()
    [-405334.0, 881579.0, 0.0, -855193.0, 378947.0]
    >>> c.winners_losers[["policy", "winners", "losers"]].to_numpy().tolist()
    [['scale-protection', 1, 1], ['scale-gains', 2, 2]]
    """
    chosen, names, budget_list, base = _gate(units, params, policies, budgets, baseline, solver)
    results: dict[tuple[str, float], Allocation] = {}
    errors: dict[tuple[str, float], str] = {}
    for budget in budget_list:
        year = replace(params, budget=budget)
        for name, policy in zip(names, chosen, strict=True):
            try:
                results[(name, budget)] = allocate(units, year, policy, solver)
            except Exception as error:  # a policy's failure is data; the sweep goes on
                errors[(name, budget)] = f"{type(error).__name__}: {error}"
    table = _tidy(results, names, budget_list, base)
    return Comparison(
        table=table,
        summary=_summary(results, errors, names, budget_list),
        winners_losers=_winners_losers(table, names, budget_list, base),
        results=MappingProxyType(results),
        errors=MappingProxyType(errors),
        policies=tuple(names),
        budgets=tuple(budget_list),
        baseline=base,
    )


def _gate(
    units: pd.DataFrame,
    params: Parameters,
    policies: Sequence[str | Policy] | None,
    budgets: Iterable[float] | None,
    baseline: str,
    solver: str,
) -> tuple[list[Policy], list[str], list[float], str]:
    """The one validation gate of :func:`compare`."""
    get_solver(solver)
    chosen = check_policies(policies)
    names = [p.name for p in chosen]
    if baseline not in names:
        if baseline not in DEFICIT_POLICIES:
            raise InputError(
                f"baseline {baseline!r} is neither among the policies compared nor built in",
                sv=f"jämförelseprincipen {baseline!r} finns varken bland de jämförda principerna "
                "eller bland de inbyggda",
                column="baseline",
            )
        chosen.insert(0, resolve_policy(baseline))
        names.insert(0, baseline)
    budget_list = check_budgets(params, budgets)
    for budget in budget_list:
        validate_units(units, replace(params, budget=budget))
    return chosen, names, budget_list, baseline


def check_policies(policies: Sequence[str | Policy] | str | Policy | None) -> list[Policy]:
    """The policies named (default: every built-in one), resolved, at least one, none twice."""
    if policies is None:
        policies = list(DEFICIT_POLICIES)
    if isinstance(policies, (str, Policy)):
        policies = [policies]
    chosen = [resolve_policy(p) for p in policies]
    if not chosen:
        raise InputError(
            "policies must name at least one policy",
            sv="policies måste ange minst en princip",
            column="policy",
        )
    names = [p.name for p in chosen]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise InputError(
            f"policy {duplicated[0]!r} is named more than once",
            sv=f"principen '{term(duplicated[0], 'sv')}' anges mer än en gång",
            column="policy",
        )
    return chosen


def check_budgets(params: Parameters, budgets: Iterable[float] | None) -> list[float]:
    """The budgets as distinct finite floats ≥ 0 (default: ``params.budget``)."""
    if budgets is None:
        return [float(params.budget)]
    one = isinstance(budgets, (int, float, np.number))  # one budget, also a numpy number
    values: list[float] = [budgets] if one else list(budgets)  # type: ignore[list-item]
    if not values:
        raise InputError(
            "budgets must hold at least one budget",
            sv="budgets måste innehålla minst en budget",
            column="budget",
        )
    for value in values:
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float, np.number))
            or not math.isfinite(value)
            or value < 0
        ):
            raise InputError(
                f"every budget must be a finite number ≥ 0, got {value!r}",
                sv=f"varje budget måste vara ett ändligt tal ≥ 0, inte {value!r}",
                column="budget",
            )
    floats = [float(v) for v in values]
    if len(set(floats)) != len(floats):
        raise InputError(
            "budgets must not repeat a budget",
            sv="budgets får inte innehålla samma budget två gånger",
            column="budget",
        )
    return floats


def _tidy(
    results: Mapping[tuple[str, float], Allocation],
    names: list[str],
    budgets: list[float],
    baseline: str,
) -> pd.DataFrame:
    frames = []
    for budget in budgets:
        base = results.get((baseline, budget))
        for name in names:
            result = results.get((name, budget))
            if result is None:
                continue
            t = result.table
            frame = t[list(_TABLE_COLUMNS)].copy()
            frame.insert(0, "unit", t.index)
            frame.insert(0, "policy", name)
            frame.insert(0, "budget", budget)
            reference = np.nan if base is None else base.table["allocation"].to_numpy()
            frame["baseline_allocation"] = reference
            frame["difference"] = frame["allocation"] - frame["baseline_allocation"]
            if result.matching is Matching.COLLECTED:
                for flag in _ASSUMED_FLAGS:
                    frame[flag] = t[flag].to_numpy() if flag in t.columns else False
            frames.append(frame.reset_index(drop=True))
    if not frames:
        columns = ["budget", "policy", "unit", *_TABLE_COLUMNS, "baseline_allocation", "difference"]
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)


def _summary(
    results: Mapping[tuple[str, float], Allocation],
    errors: Mapping[tuple[str, float], str],
    names: list[str],
    budgets: list[float],
) -> pd.DataFrame:
    rows = []
    for budget in budgets:
        for name in names:
            result = results.get((name, budget))
            if result is None:
                rows.append({"budget": budget, "policy": name, "error": errors[(name, budget)]})
            else:
                row = diagnose(result).to_dict()
                row.pop("budget")
                row.pop("policy")
                rows.append({"budget": budget, "policy": name, **row, "error": None})
    return pd.DataFrame(rows)


def _winners_losers(
    table: pd.DataFrame, names: list[str], budgets: list[float], baseline: str
) -> pd.DataFrame:
    rows = []
    for budget in budgets:
        for name in names:
            if name == baseline:
                continue
            rows_of = table[(table["budget"] == budget) & (table["policy"] == name)]
            diff = rows_of.set_index("unit")["difference"]
            if rows_of.empty or diff.isna().all():
                continue
            rows.append(
                {
                    "budget": budget,
                    "policy": name,
                    "winners": int((diff > _SAME).sum()),
                    "losers": int((diff < -_SAME).sum()),
                    "moved": float(diff[diff > _SAME].sum()),
                    "largest_gain_unit": diff.idxmax() if diff.max() > _SAME else None,
                    "largest_gain": float(max(diff.max(), 0.0)),
                    "largest_loss_unit": diff.idxmin() if diff.min() < -_SAME else None,
                    "largest_loss": float(min(diff.min(), 0.0)),
                }
            )
    columns = [
        "budget",
        "policy",
        "winners",
        "losers",
        "moved",
        "largest_gain_unit",
        "largest_gain",
        "largest_loss_unit",
        "largest_loss",
    ]
    return pd.DataFrame(rows, columns=columns)
