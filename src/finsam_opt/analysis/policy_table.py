"""What each policy does, side by side: one row per policy and budget, one plot per figure.

For any number of built-in and declared policies and budgets, :func:`policy_table`
reports the figures an analyst compares policies by: the balancing scalar, the
förbund on their floor, the largest cut against last year (per cent and
kronor), the Gini of the allocation against the ideal shares, the years until
every förbund is at its ideal (over the futures of a forecast), and the
winners and losers against the first policy. Every allocation comes from the
batch solver (the first year) and :func:`finsam_opt.forecast` (the years after).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from finsam_opt.analysis.diagnostics import population_weighted_gini
from finsam_opt.analysis.forecast import Forecast, forecast
from finsam_opt.analysis.plots import _figure as new_figure
from finsam_opt.domain.parameters import Parameters
from finsam_opt.engine.policies import DEFICIT_POLICIES, Policy, resolve_policy
from finsam_opt.errors import InputError
from finsam_opt.language.words import check_language, label, term

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["FIGURES", "PolicyTable", "plot_policy_table", "policy_table"]

FIGURES: tuple[str, ...] = (
    "balancing_scalar",
    "on_floor",
    "largest_cut_rate",
    "largest_cut",
    "gini_from_ideal",
    "years_to_ideal",
    "winners",
    "losers",
)
"""The columns :func:`policy_table` reports for every policy and budget."""

_TOLERANCE = 0.01  # kronor


@dataclass(frozen=True)
class PolicyTable:
    """Policies side by side (see :func:`policy_table`).

    Attributes
    ----------
    table : pandas.DataFrame
        One row per policy and budget: ``policy``, ``budget`` (kronor) and the
        :data:`FIGURES`: ``balancing_scalar`` (λ* of the first year, 0 outside a
        deficit), ``on_floor`` (förbund held at their floor), ``largest_cut_rate``
        and ``largest_cut`` (the largest fall from last year's allocation, share
        and kronor), ``gini_from_ideal`` (the Gini of the allocation as a share of
        the ideal, weighted by the ideal: 0 when every förbund gets the same
        fraction of its ideal), ``years_to_ideal`` (the median over the futures of
        the number of years after the first until every förbund stays at its
        ideal as far as matching allows; a future that does not settle within the
        years forecast counts as later than any, and NaN means the median future
        does not settle), ``winners`` and
        ``losers`` (förbund that get more or less than under the first policy).
    forecasts : dict
        ``(policy, budget) → Forecast`` behind ``years_to_ideal``.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> t = fo.policy_table(fo.example_units(), fo.Parameters(budget=20_000_000), years=4)
    >>> t.table[["policy", "on_floor", "largest_cut", "years_to_ideal", "losers"]]
                 policy  on_floor  largest_cut  years_to_ideal  losers
    0       raise-limit         0    1481578.0             3.0       0
    1  scale-protection         0    1647979.0             2.0       1
    2       scale-gains         2    1000000.0             NaN       2
    """

    table: pd.DataFrame
    forecasts: Mapping[tuple[str, float], Forecast]


def policy_table(
    units: pd.DataFrame,
    params: Parameters,
    policies: Sequence[str | Policy] | None = None,
    budgets: Iterable[float] | None = None,
    *,
    years: int = 5,
    futures: Mapping[str, Any] | None = None,
) -> PolicyTable:
    """Compare policies at one or more budgets on the figures that matter.

    Parameters
    ----------
    units : pandas.DataFrame
        The unit table (see :func:`finsam_opt.allocate`).
    params : Parameters
        Formula constants; its budget is used when ``budgets`` is None.
    policies : sequence of str or Policy, optional
        Built-in names, ``.toml`` declarations or Policy objects; default every
        built-in policy. The first is the one winners and losers are counted against.
    budgets : iterable of float, optional
        First-year budgets, kronor.
    years : int
        Years forecast for ``years_to_ideal``.
    futures : mapping, optional
        Keyword arguments of :func:`finsam_opt.forecast` (``scenarios``, ``seed``,
        ``budget``, ``population``, ``support``, ``matching``, ``changes``); by
        default one future with nothing changing (the simulation).

    Returns
    -------
    PolicyTable

    Raises
    ------
    InputError
        Bad units, policies, budgets or future settings, or a policy that cannot
        place a budget.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> t = fo.policy_table(fo.example_units(), fo.Parameters(budget=20_000_000),
    ...                     ["raise-limit", "scale-gains"], budgets=[20e6, 22e6], years=3)
    >>> t.table[["policy", "budget", "balancing_scalar", "winners", "losers"]].round(4)
            policy      budget  balancing_scalar  winners  losers
    0  raise-limit  20000000.0            0.1469        0       0
    1  scale-gains  20000000.0            0.5834        2       2
    2  raise-limit  22000000.0            0.0396        0       0
    3  scale-gains  22000000.0            0.1094        2       2
    """
    chosen = [resolve_policy(p) for p in (policies or list(DEFICIT_POLICIES))]
    names = [p.name for p in chosen]
    if len(set(names)) != len(names):
        raise InputError(
            f"two policies have the same name: {names}",
            sv=f"två principer har samma namn: {', '.join(str(term(n, 'sv')) for n in names)}",
            column="policy",
        )
    levels = [params.budget] if budgets is None else [float(b) for b in budgets]
    options = dict(futures or {"scenarios": 1})
    for key in ("policy", "years", "first_year"):
        if key in options:
            raise InputError(
                f"futures cannot set {key!r}; it is the table's own",
                sv=f"futures kan inte ange {key!r}; den bestäms av tabellen själv",
                column=key,
            )
    rows, forecasts = [], {}
    for budget in levels:
        year_params = replace(params, budget=budget)
        runs = [forecast(units, year_params, years, policy=p, **options) for p in chosen]
        base = runs[0].outcomes[0].decided
        for policy, run in zip(chosen, runs, strict=True):
            forecasts[(policy.name, budget)] = run
            rows.append({"policy": policy.name, "budget": budget, **_figures(run, base)})
    return PolicyTable(pd.DataFrame(rows), forecasts)


def _figures(run: Forecast, base: np.ndarray) -> dict[str, float]:
    first = run.outcomes[0]
    x, exact, previous = first.decided[0], first.exact[0], first.previous[0]
    fall = np.where(previous > 0, previous - x, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(previous > 0, fall / previous, 0.0)
    protected = np.maximum(first.capped[0], first.floor[0]) > first.capped[0] + _TOLERANCE
    on_floor = protected & (exact >= first.floor[0] - _TOLERANCE)
    return {
        "balancing_scalar": float(first.rate[0]),
        "on_floor": int(on_floor.sum()),
        "largest_cut_rate": float(max(rate.max(), 0.0)),
        "largest_cut": float(max(fall.max(), 0.0)),
        "gini_from_ideal": population_weighted_gini(exact, first.ideal[0]),
        "years_to_ideal": _years_to_ideal(run),
        "winners": int((x > base[0]).sum()),
        "losers": int((x < base[0]).sum()),
    }


def _years_to_ideal(run: Forecast) -> float:
    """The median over the futures of the years until every förbund stays at its ideal."""
    everyone = np.stack([o.at_ideal.all(axis=1) for o in run.outcomes], axis=1)
    # From the last year back: the first year of the run of years everyone is at the ideal.
    settled = np.flip(np.cumprod(np.flip(everyone, axis=1), axis=1), axis=1).astype(bool)
    # A future that never settles counts as later than any that does.
    first = np.where(settled.any(axis=1), settled.argmax(axis=1), np.inf)
    median = float(np.median(first))
    return median if np.isfinite(median) else np.nan


def plot_policy_table(result: PolicyTable, lang: str = "sv") -> Figure:
    """One panel per figure of :func:`policy_table`, a line (or bar) per policy.

    Parameters
    ----------
    result : PolicyTable
    lang : {'sv', 'en'}

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import finsam_opt as fo
    >>> t = fo.policy_table(fo.example_units(), fo.Parameters(budget=20_000_000),
    ...                     budgets=[19e6, 20e6, 21e6], years=3)
    >>> len(fo.plot_policy_table(t).axes)
    8
    """
    check_language(lang)
    table = result.table
    figure, axes = new_figure(10.0, 12.0, rows=len(FIGURES))
    budgets = sorted(table["budget"].unique())
    for ax, name in zip(axes, FIGURES, strict=True):
        for number, (policy, rows) in enumerate(table.groupby("policy", sort=False)):
            shown = str(term(policy, lang))
            values = rows.set_index("budget")[name].reindex(budgets)
            if len(budgets) == 1:
                ax.bar(number, values.iloc[0], label=shown)
            else:
                ax.plot(np.array(budgets) / 1e6, values, marker="o", markersize=3, label=shown)
        ax.set_title(label(f"figure_{name}", lang), fontsize=9)
        ax.grid(alpha=0.3)
    if len(budgets) == 1:
        axes[-1].set_xticks([])
    else:
        axes[-1].set_xlabel(label("budget_mkr", lang))
    axes[0].legend(fontsize=8)
    return figure
