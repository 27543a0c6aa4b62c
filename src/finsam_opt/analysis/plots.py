"""Plots of allocations, comparisons and simulations (matplotlib, the ``plot`` extra).

Every function returns a :class:`matplotlib.figure.Figure` drawn on the Agg
canvas, with no pyplot state and no display needed; save it with
``fig.savefig("name.png")`` or ``.svg``. Labels are Swedish (``lang="sv"``,
the default) or English (``lang="en"``). matplotlib is imported only when a plot
is drawn, so the rest of finsam_opt does not need it.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from finsam_opt.analysis.compare import Comparison
from finsam_opt.analysis.simulate import Simulation
from finsam_opt.engine.result import Allocation
from finsam_opt.errors import InputError
from finsam_opt.language.numbers import format_kronor, format_number
from finsam_opt.language.words import check_language, label, term

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["plot_allocation", "plot_balancing", "plot_comparison", "plot_glide_paths"]

_MKR = 1e6
_TKR = 1e3
_LEGEND_MAX_UNITS = 12
#: More units than this and the bar plots lie down: one row per unit, its name level.
_COLUMNS_MAX_UNITS = 30
_ROW_INCHES = 0.17


def _figure(width: float, height: float, rows: int = 1) -> tuple[Figure, list]:
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise ImportError(
            "finsam_opt's plots need matplotlib: pip install 'finsam_opt[plot]'"
        ) from error
    figure = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(rows, 1, sharex=True, squeeze=False)[:, 0]
    return figure, list(axes)


def _width(n: int) -> float:
    return float(min(max(6.0, 2.0 + 0.2 * n), 24.0))


def _height(ids: Sequence[Hashable]) -> float:
    """Room below the axis for the unit names, written upright or vertically."""
    longest = max(len(str(u)) for u in ids)
    return 4.8 if longest <= 6 else 4.8 + min(longest, 40) * 0.06


def _unit_figure(ids: Sequence[Hashable]) -> tuple[Figure, Any, bool]:
    """A figure with one bar position per unit, and whether the bars lie down (``barh``).

    Beyond ``_COLUMNS_MAX_UNITS`` units, names written under columns shrink past
    reading (and the figure past a page's width): each unit gets a row instead,
    its name written level, and the figure grows downwards.
    """
    if len(ids) <= _COLUMNS_MAX_UNITS:
        figure, (ax,) = _figure(_width(len(ids)), _height(ids))
        return figure, ax, False
    longest = max(len(str(u)) for u in ids)
    width = 6.0 + min(longest, 60) * 0.06  # the names take the left part
    height = min(1.6 + _ROW_INCHES * len(ids), 24.0)
    figure, (ax,) = _figure(width, height)
    return figure, ax, True


def _unit_ticks(ax, ids: Sequence[Hashable], lying: bool) -> None:
    names = [str(u) for u in ids]
    if lying:
        ax.set_yticks(np.arange(len(ids)))
        ax.set_yticklabels(names, fontsize=7)
        ax.set_ylim(len(ids) - 0.3, -0.7)  # the first unit on top
        return
    ax.set_xticks(np.arange(len(ids)))
    size = 9 if len(ids) <= 20 else 6
    upright = len(ids) <= 12 and max(len(n) for n in names) <= 6
    ax.set_xticklabels(names, rotation=0 if upright else 90, fontsize=size)
    ax.set_xlim(-0.7, len(ids) - 0.3)


def _axis_labels(ax, amount: str, unit: str, lying: bool) -> None:
    if lying:
        ax.set_xlabel(amount)
        ax.set_ylabel(unit)
    else:
        ax.set_ylabel(amount)
        ax.set_xlabel(unit)


def _dash_size(figure: Figure, n: int, lying: bool) -> float:
    """The area (pt²) of a dash about as long as a bar is wide."""
    if not lying:
        return min(300.0, 4_000.0 / n)
    row = figure.get_figheight() * 72.0 / (n + 4)  # points per unit, less the margins
    return float((0.8 * row) ** 2)


def plot_allocation(result: Allocation, lang: str = "sv") -> Figure:
    """Ideal allocation and allocation per unit, sorted by ideal, with floors and caps.

    Bars are the allocations; a black dash marks each unit's ideal, an orange
    ``^`` its floor and a red ``v`` its matching cap (when it has one within
    view). With more than 30 units the bars lie down, one row per unit with its
    name written level and the largest ideal on top; the floor is then a ``>``
    and the cap a ``<``.

    Parameters
    ----------
    result : Allocation
    lang : {'sv', 'en'}

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import finsam_opt as fo
    >>> result = fo.allocate(fo.example_units(), fo.Parameters(budget=20_000_000))
    >>> fig = fo.plot_allocation(result, lang="en")
    >>> fig.axes[0].get_ylabel()
    'Allocation, MSEK'
    """
    check_language(lang)
    t = result.table.sort_values("ideal", ascending=False, kind="stable")
    x = np.arange(len(t))
    figure, ax, lying = _unit_figure(list(t.index))

    def points(values: pd.Series, where: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) of amounts at unit positions: lying down, the amount is x."""
        amounts = values.to_numpy(dtype=float) / _MKR
        return (amounts, where) if lying else (where, amounts)

    (ax.barh if lying else ax.bar)(
        x, t["allocation"] / _MKR, color="#4c78a8", label=label("allocation", lang)
    )
    ax.scatter(
        *points(t["ideal"], x),
        marker="|" if lying else "_",
        s=_dash_size(figure, len(t), lying),
        color="black",
        linewidths=2.2,
        label=label("ideal", lang),
        zorder=3,
    )
    bound_size = 30 if lying else 45
    has_floor = ~t["new"].to_numpy(dtype=bool)
    ax.scatter(
        *points(t["floor"][has_floor], x[has_floor]),
        marker=">" if lying else "^",
        color="#f58518",
        s=bound_size,
        label=label("floor", lang),
        zorder=4,
    )
    top = max(t["ideal"].max(), t["allocation"].max(), t["floor"].max()) * 1.15
    shown_cap = np.isfinite(t["cap"].to_numpy()) & (t["cap"].to_numpy() <= top)
    if shown_cap.any():
        ax.scatter(
            *points(t["cap"][shown_cap], x[shown_cap]),
            marker="<" if lying else "v",
            color="#e45756",
            s=bound_size,
            label=label("cap", lang),
            zorder=4,
        )
    _unit_ticks(ax, list(t.index), lying)
    _axis_labels(ax, label("allocation_mkr", lang), label("unit", lang), lying)
    ax.set_title(
        f"{label('title_allocation', lang)} — "
        f"{format_number(result.parameters.budget / _MKR, lang, 1)} {label('mkr', lang)}, "
        f"{label(str(result.scenario), lang)}, {term(result.policy, lang)}"
    )
    ax.legend(fontsize=8, loc="lower right" if lying else "best")
    ax.grid(axis="x" if lying else "y", alpha=0.3)
    return figure


def plot_comparison(
    comparison: Comparison, budget: float | None = None, lang: str = "sv"
) -> Figure:
    """Per-unit difference of each policy's allocation from the baseline's, tkr.

    Units are sorted by ideal; with more than 30 units the bars lie down, one
    row per unit (as in :func:`plot_allocation`).

    Parameters
    ----------
    comparison : Comparison
    budget : float, optional
        Which budget to show; needed when the comparison has several.
    lang : {'sv', 'en'}

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import finsam_opt as fo
    >>> c = fo.compare(fo.example_units(), fo.Parameters(budget=20_000_000))
    >>> fig = fo.plot_comparison(c)
    >>> len(fig.axes[0].patches)     # 5 units × 2 policies besides the baseline
    10
    """
    check_language(lang)
    budget = comparison._one_budget(budget)
    rows = comparison.table[comparison.table["budget"] == budget]
    others = [
        p for p in comparison.policies if p != comparison.baseline and p in set(rows["policy"])
    ]
    base = rows[rows["policy"] == comparison.baseline]
    if base.empty:
        raise InputError(
            f"the baseline {comparison.baseline!r} has no allocation at budget {budget:,.0f} kr",
            sv=f"jämförelseprincipen '{term(comparison.baseline, 'sv')}' har ingen fördelning "
            f"vid budgeten {format_kronor(budget, 'sv', ore=True)}",
            column="baseline",
        )
    order = base.sort_values("ideal", ascending=False, kind="stable")["unit"].tolist()
    x = np.arange(len(order))
    figure, ax, lying = _unit_figure(order)
    width = 0.8 / max(len(others), 1)
    for k, policy in enumerate(others):
        diff = rows[rows["policy"] == policy].set_index("unit")["difference"].reindex(order)
        where = x - 0.4 + width * (k + 0.5)
        if lying:
            ax.barh(where, diff / _TKR, height=width, label=term(policy, lang))
        else:
            ax.bar(where, diff / _TKR, width=width, label=term(policy, lang))
    (ax.axvline if lying else ax.axhline)(0.0, color="black", linewidth=0.8)
    _unit_ticks(ax, order, lying)
    _axis_labels(
        ax,
        f"{label('difference', lang)} {term(comparison.baseline, lang)}, {label('tkr', lang)}",
        label("unit", lang),
        lying,
    )
    shown = format_number(budget / _MKR, lang, 1)
    ax.set_title(f"{label('title_comparison', lang)} — {shown} {label('mkr', lang)}")
    if others:
        ax.legend(fontsize=8)
    ax.grid(axis="x" if lying else "y", alpha=0.3)
    return figure


def plot_glide_paths(
    simulation: Simulation,
    units: Sequence[Hashable] | None = None,
    relative: bool = True,
    lang: str = "sv",
) -> Figure:
    """Each unit's allocation over the simulated years.

    Parameters
    ----------
    simulation : Simulation
    units : sequence, optional
        Units to draw (default: every unit).
    relative : bool
        Draw the decided allocation as a percentage of the unit's ideal (default;
        100 % is the ideal), or in Mkr.
    lang : {'sv', 'en'}

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import finsam_opt as fo
    >>> sim = fo.simulate(fo.example_units(), fo.Parameters(budget=20_000_000), years=3)
    >>> len(fo.plot_glide_paths(sim).axes[0].lines)    # 5 units and the 100 % line
    6
    """
    check_language(lang)
    tr = simulation.trajectories
    chosen = list(dict.fromkeys(tr["unit"])) if units is None else list(units)
    absent = [u for u in chosen if u not in set(tr["unit"])]
    if absent:
        raise InputError(
            f"unit {absent[0]!r} is not in this simulation",
            sv=f"förbundet {absent[0]!r} finns inte i den här simuleringen",
            units=absent,
        )
    figure, (ax,) = _figure(8.0, 4.8)
    for unit in chosen:
        rows = tr[tr["unit"] == unit]
        y = rows["allocation_rounded"] / (rows["ideal"] / 100.0 if relative else _MKR)
        ax.plot(
            rows["year"],
            y,
            marker="o",
            markersize=3,
            linewidth=1.2,
            alpha=1.0 if len(chosen) <= _LEGEND_MAX_UNITS else 0.5,
            label=str(unit),
        )
    if relative:
        ax.axhline(100.0, color="black", linewidth=0.8, linestyle="--")
    ax.set_xticks(list(simulation.year_labels))
    ax.set_xlabel(label("year", lang))
    ax.set_ylabel(label("share_of_ideal" if relative else "allocation_mkr", lang))
    ax.set_title(label("title_glide", lang))
    if len(chosen) <= _LEGEND_MAX_UNITS:
        ax.legend(fontsize=8, ncols=2)
    ax.grid(alpha=0.3)
    return figure


def plot_balancing(comparison: Comparison | pd.DataFrame, lang: str = "sv") -> Figure:
    """The balancing scalar λ*, and the effective decrease limit, against the budget.

    One line per policy over the budgets, broken where the policy moves to a later
    phase, whose λ measures another cut (the first point of that phase is marked).
    The lower panel shows the effective decrease limit of the policies that report
    one (``raise-limit``, ``scale-gains``).

    Parameters
    ----------
    comparison : Comparison or pandas.DataFrame
        A :func:`~finsam_opt.compare` result (its ``summary``), or the table of
        :func:`~finsam_opt.balancing_curve` for a dense curve over many budgets.
    lang : {'sv', 'en'}

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np, finsam_opt as fo
    >>> c = fo.compare(fo.example_units(), fo.Parameters(budget=20_000_000),
    ...                budgets=[19e6, 20e6, 21e6, 22e6])
    >>> [a.get_xlabel() for a in fo.plot_balancing(c, lang="en").axes]
    ['', 'State budget, MSEK']
    >>> curve = fo.balancing_curve(fo.example_units(), fo.Parameters(budget=20e6),
    ...                            np.linspace(18e6, 24e6, 61))
    >>> len(fo.plot_balancing(curve, lang="en").axes[0].get_legend().get_texts())
    3
    """
    check_language(lang)
    s = comparison if isinstance(comparison, pd.DataFrame) else comparison.summary
    if "balancing_scalar" not in s:
        s = s.assign(balancing_scalar=np.nan, decrease_limit=np.nan, phase=np.nan)
    figure, (top, bottom) = _figure(8.0, 6.0, rows=2)
    for policy in dict.fromkeys(s["policy"]):
        rows = s[s["policy"] == policy].sort_values("budget")
        marker = {"marker": "o", "markersize": 3} if len(rows) <= 30 else {}
        phase = pd.to_numeric(rows["phase"], errors="coerce").fillna(1).clip(lower=1)
        color = None
        for number, part in rows.groupby(phase, sort=True):
            (line,) = top.plot(
                part["budget"] / _MKR,
                part["balancing_scalar"],
                color=color,
                label=term(policy, lang) if color is None else None,
                **marker,
            )
            color = line.get_color()
            if number > 1:
                first = part.iloc[-1]  # the highest budget of the phase: where it begins
                top.annotate(
                    f"{label('phase', lang)} {int(number)}",
                    (first["budget"] / _MKR, first["balancing_scalar"]),
                    textcoords="offset points",
                    xytext=(4, 4),
                    fontsize=7,
                    color=color,
                )
        limit = pd.to_numeric(rows["decrease_limit"], errors="coerce")
        if limit.notna().any():
            bottom.plot(rows["budget"] / _MKR, limit * 100.0, label=term(policy, lang), **marker)
    top.set_ylabel(label("balancing_scalar", lang))
    top.set_title(label("title_balancing", lang))
    top.legend(fontsize=8)
    top.grid(alpha=0.3)
    bottom.set_ylabel(f"{label('effective_limit', lang)}, %")
    bottom.set_xlabel(label("budget_mkr", lang))
    if bottom.lines:
        bottom.legend(fontsize=8)
    bottom.grid(alpha=0.3)
    return figure
