"""Multi-year simulation: each year's decided allocation is next year's previous allocation."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from tqdm import tqdm

from finsam_opt.analysis.changes import Change, apply_change, check_changes
from finsam_opt.analysis.diagnostics import diagnose
from finsam_opt.domain.parameters import Parameters
from finsam_opt.domain.units import MATCH_COLUMNS, Matching, validate_units
from finsam_opt.engine.allocate import allocate
from finsam_opt.engine.policies import Policy, resolve_policy
from finsam_opt.engine.result import Allocation
from finsam_opt.engine.solvers import get_solver
from finsam_opt.errors import InputError, describe_units
from finsam_opt.language.numbers import format_kronor

__all__ = ["CARRY", "Simulation", "simulate"]

CARRY: tuple[str, ...] = ("rounded", "exact")
"""What becomes next year's previous allocation: the decided (rounded) amount or the exact one."""

Growth = float | pd.Series | pd.DataFrame | Mapping[Hashable, float]
Rate = float | pd.Series | pd.DataFrame

_TRAJECTORY_COLUMNS = (
    "population",
    "support_measure",
    "previous_allocation",
    "ideal",
    "cap",
    "floor",
    "capped",
    "target",
    "protected",
    "new",
    "allocation",
    "allocation_rounded",
    "binding",
)

#: An allocation within this many kronor of the capped ideal has reached it.
_REACHED = 1.0


@dataclass(frozen=True)
class Simulation:
    """A multi-year simulation's outcome.

    Attributes
    ----------
    trajectories : pandas.DataFrame
        Tidy, one row per year × unit in the model that year: ``year``, ``unit``,
        ``budget`` and the decision table's ``population``, ``support_measure``,
        ``previous_allocation``, ``ideal``, ``cap``, ``floor``, ``capped``,
        ``target``, ``protected``, ``new``, ``allocation`` (exact kr),
        ``allocation_rounded`` (kr), ``binding``; when matching was collected
        (docs/model.md) also ``municipal_match`` and ``regional_match`` (kr: the
        answer, or the contribution assumed for a party that did not answer; ``inf``
        for no limit) and ``municipal_match_assumed`` and ``regional_match_assumed``
        (True where the contribution was assumed that year).
    years : pandas.DataFrame
        One row per year (index ``year``): ``budget``, the fields of
        :class:`~finsam_opt.analysis.diagnostics.Diagnostics` (among them
        ``floor_cost``, the year's total cost of the floor Σ (t − m)),
        ``allocated_rounded`` (Σ of the decided amounts, kr), ``matching_status``
        (``'collected'`` or ``'not collected'``) and ``assumed_units`` (the number
        of units with a contribution assumed that year, not answered).
    reached_ideal : pandas.Series
        Per unit ever in the model: the year from which its allocation stays
        at its ideal as far as its matching allows (within 1 kr of the capped
        ideal m = min(I, u)) in every later year it is in the model; NaN if it
        is not at its ideal in its last simulated year. A unit that reaches its
        ideal and is pushed off it again (say by a budget cut) counts from the
        year it reaches it for good.
    results : tuple of Allocation
        Each year's full result.
    year_labels : tuple of int
        The simulated years.
    carry : str
        ``'rounded'`` or ``'exact'`` (see :func:`simulate`).
    policy : str
        The deficit policy used every year.
    matching : Matching
        ``'collected'`` when any year's unit table had contribution columns.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> sim = fo.simulate(fo.example_units(), fo.Parameters(budget=20_000_000), years=3,
    ...                   first_year=2026)
    >>> sim.year_labels, sim.years["scenario"].tolist()
    ((2026, 2027, 2028), ['deficit', 'surplus', 'surplus'])
    >>> sim.by_year().loc["B"].tolist()  # decided amounts, kronor
    [4518422, 4066580, 3659922]
    """

    trajectories: pd.DataFrame
    years: pd.DataFrame
    reached_ideal: pd.Series
    results: tuple[Allocation, ...]
    year_labels: tuple[int, ...]
    carry: str
    policy: str
    matching: Matching = Matching.NOT_COLLECTED

    def by_year(self, column: str = "allocation_rounded") -> pd.DataFrame:
        """One trajectory column as a wide table, unit × year (NaN where absent)."""
        return self.trajectories.pivot(index="unit", columns="year", values=column)

    @property
    def assumed(self) -> pd.DataFrame:
        """The contributions assumed, year by year, for units that did not answer.

        One row per year, unit and party: ``year`` and the columns of
        :attr:`finsam_opt.Allocation.assumed` (``unit``, ``party``, ``assumed_as``,
        ``amount`` in kronor). Under ``unanswered='previous'`` the amount is half of
        that year's previous allocation, so it follows the unit's decided amounts.

        Examples
        --------
        >>> import numpy as np, finsam_opt as fo
        >>> units = fo.example_units()
        >>> units.loc["B", "regional_match"] = np.nan  # B's region never answers
        >>> sim = fo.simulate(units, fo.Parameters(budget=20e6, unanswered="previous"),
        ...                   years=3, first_year=2026)
        >>> sim.assumed["unit"].tolist(), sim.assumed["party"].unique().tolist()
        (['B', 'B', 'B'], ['regional_match'])
        >>> sim.assumed["amount"].tolist()  # half of each year's previous allocation, kronor
        [3000000.0, 2259211.0, 2033290.0]
        """
        columns = ["year", "unit", "party", "assumed_as", "amount"]
        frames = []
        for year, result in zip(self.year_labels, self.results, strict=True):
            assumed = result.assumed
            if not assumed.empty:
                frames.append(assumed.assign(year=year)[columns])
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def simulate(
    units: pd.DataFrame,
    params: Parameters,
    years: int = 5,
    *,
    policy: str | Policy = "raise-limit",
    solver: str = "fast",
    population_growth: Growth = 0.0,
    support_growth: Growth = 0.0,
    matching_growth: Growth = 0.0,
    budget_path: Sequence[float] | Mapping[int, float] | None = None,
    changes: Iterable[Change] = (),
    carry: str = "rounded",
    first_year: int = 1,
    progress: bool | None = None,
) -> Simulation:
    """Allocate ``years`` years in a row, each year's allocation becoming the next one's floor.

    Year ``first_year`` allocates ``units`` as given (after that year's
    changes, if any). Before each later year,
    every unit's ``previous_allocation`` becomes its allocation of the year
    before, its ``population`` and ``support_measure`` grow by their rates, and
    then that year's ``changes`` apply (units join, leave, merge or change
    their data). Each year is exactly ``allocate(table, replace(params,
    budget=...), policy, solver)``.

    Parameters
    ----------
    units : pandas.DataFrame
        The first year's unit table (see :func:`finsam_opt.allocate`).
    params : Parameters
        Formula constants; its budget is every year's unless ``budget_path`` says otherwise.
    years : int
        Number of years to simulate, ≥ 1.
    policy : str or Policy
        Deficit policy used every year.
    solver : str
        Solver backend.
    population_growth, support_growth, matching_growth : float, Series, DataFrame or mapping
        Yearly growth rate (0.01 is +1 % a year) of the population, the support
        measure and the matching (both contributions), one for all units, per unit
        id (a Series or mapping), or per unit and year (a DataFrame, unit × year,
        e.g. :func:`finsam_opt.io.read_growth`; the rate of year y takes year y−1
        to y);
        id; units not listed do not grow. Rates must be finite and > −1.
    budget_path : sequence or mapping of float, optional
        The budget of each year, kronor: a sequence of ``years`` budgets, or
        ``{year: budget}`` for the years that differ from ``params.budget``.
    changes : iterable of Join, Leave, Merge or Update
        Data changes, each taking effect in its year (see
        :mod:`finsam_opt.analysis.changes`).
    carry : {'rounded', 'exact'}
        ``'rounded'`` (default): the decided amounts, ``allocation_rounded``,
        become next year's previous allocation, as in the real decision.
        ``'exact'``: the unrounded amounts do (no rounding drift).
    first_year : int
        The label of the first year (e.g. 2026).
    progress : bool, optional
        Show a tqdm progress bar; by default only when writing to a terminal.

    Returns
    -------
    Simulation

    Raises
    ------
    InputError
        Invalid units, rates, budgets or changes, before any year is allocated.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> sim = fo.simulate(fo.example_units(), fo.Parameters(budget=20_000_000), years=4)
    >>> sim.years["scenario"].tolist()
    ['deficit', 'surplus', 'surplus', 'surplus']
    >>> sim.by_year().loc["B"].tolist()     # the floor lowers B by 10 % a year
    [4518422, 4066580, 3659922, 3531579]
    >>> sim.reached_ideal.to_dict()
    {'A': 1.0, 'B': 4.0, 'C': 1.0, 'D': 1.0, 'E': 1.0}
    """
    first = _whole(first_year, "first_year", minimum=None)
    labels = list(range(first, first + _whole(years, "years", minimum=1)))
    chosen = resolve_policy(policy)
    get_solver(solver)
    if carry not in CARRY:
        raise InputError(
            f"parameter carry must be 'rounded' or 'exact', got {carry!r}",
            sv=f"parametern carry måste vara 'rounded' eller 'exact', inte {carry!r}",
            column="carry",
        )
    budgets = _budget_path(params, budget_path, labels)
    validate_units(units, replace(params, budget=budgets[0]))
    changes = list(changes)
    present = check_changes(changes, units.index, labels)
    ever = set(units.index).union(*present)
    growth = {
        "population": _growth(population_growth, "population_growth", ever),
        "support_measure": _growth(support_growth, "support_growth", ever),
    }
    matching = _growth(matching_growth, "matching_growth", ever)
    for column in ("municipal_match", "regional_match"):
        if column in units.columns:
            growth[column] = matching
    for year, budget, ids in zip(labels, budgets, present, strict=True):
        if budget < len(ids) * params.base_amount:
            raise InputError(
                f"year {year}: budget ({budget:,.0f} kr) must be at least the number of units × "
                f"base_amount ({len(ids)} × {params.base_amount:,.0f} kr)",
                sv=f"år {year}: budgeten ({format_kronor(budget, 'sv', ore=True)}) måste vara "
                f"minst antalet förbund × grundtilldelningen ({len(ids)} × "
                f"{format_kronor(params.base_amount, 'sv', ore=True)})",
                column="budget",
            )

    results: list[Allocation] = []
    table = units
    for year, budget in _progress(list(zip(labels, budgets, strict=True)), progress):
        if results:
            table = _next_year(table, results[-1], carry, growth, year)
        for change in (c for c in changes if c.year == year):
            table = apply_change(table, change)
        results.append(allocate(table, replace(params, budget=budget), chosen, solver))
    return _simulation(results, labels, carry, chosen.name)


def _progress(steps: list[tuple[int, float]], progress: bool | None) -> Iterable[tuple[int, float]]:
    # disable=None lets tqdm switch itself off when stderr is not a terminal.
    disable = None if progress is None else not progress
    return tqdm(steps, desc="finsam-opt simulate", unit="year", disable=disable)


def _whole(value: object, name: str, minimum: int | None) -> int:
    low = minimum if minimum is not None else -math.inf
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        bound = "" if minimum is None else f" ≥ {minimum}"
        raise InputError(
            f"parameter {name} must be a whole number{bound}, got {value!r}",
            sv=f"parametern {name} måste vara ett heltal{bound}, inte {value!r}",
            column=name,
        )
    return int(value)


def _growth(rate: Growth, name: str, ever: set[Hashable], year: object = None) -> Rate:
    """The growth rate(s) checked; ``year`` names the column of a table of rates."""
    where = name if year is None else f"{name}, year {year}"
    where_sv = name if year is None else f"{name}, år {year}"
    if isinstance(rate, pd.DataFrame):
        # A unit or year missing from a table of rates does not grow (read_growth's pivot).
        filled = rate.fillna(0.0)
        checked = {y: _growth(filled[y], name, ever, y) for y in filled.columns}
        return pd.DataFrame(checked, index=filled.index)
    if isinstance(rate, Mapping):
        rate = pd.Series(rate, dtype=float)
    if isinstance(rate, pd.Series):
        unknown = [u for u in rate.index if u not in ever]
        if unknown:
            raise InputError(
                f"{where}: {describe_units(unknown)} never in the simulation",
                sv=f"{where_sv}: {describe_units(unknown, 'sv')} finns aldrig med i simuleringen",
                column=where,
                units=unknown,
            )
        values = pd.to_numeric(rate, errors="coerce")
        bad = ~np.isfinite(values.to_numpy(dtype=float)) | (values.to_numpy(dtype=float) <= -1)
        if bad.any():
            ids = list(rate.index[bad])
            raise InputError(
                f"{where}: {describe_units(ids)}: growth rate must be finite and > −1, "
                f"got {rate[bad].iloc[0]!r}",
                sv=f"{where_sv}: {describe_units(ids, 'sv')}: tillväxten måste vara ändlig och "
                f"> −1, inte {rate[bad].iloc[0]!r}",
                column=where,
                units=ids,
            )
        return values.astype(float)
    if (
        isinstance(rate, bool)
        or not isinstance(rate, (int, float, np.number))
        or not (math.isfinite(rate) and rate > -1)
    ):
        raise InputError(
            f"parameter {where} must be finite and > −1, got {rate!r}",
            sv=f"parametern {where_sv} måste vara ändlig och > −1, inte {rate!r}",
            column=where,
        )
    return float(rate)


def _budget_path(
    params: Parameters, path: Sequence[float] | Mapping[int, float] | None, labels: list[int]
) -> list[float]:
    if path is None:
        budgets = [params.budget] * len(labels)
    elif isinstance(path, Mapping):
        unknown = [y for y in path if y not in labels]
        if unknown:
            raise InputError(
                f"budget_path: year {unknown[0]} is not simulated ({labels[0]}–{labels[-1]})",
                sv=f"budget_path: år {unknown[0]} simuleras inte ({labels[0]}–{labels[-1]})",
                column="budget_path",
            )
        budgets = [path.get(y, params.budget) for y in labels]
    else:
        budgets = list(path)
        if len(budgets) != len(labels):
            raise InputError(
                f"budget_path must give {len(labels)} budgets (one per year), got {len(budgets)}",
                sv=f"budget_path måste ange {len(labels)} budgetar (en per år), men anger "
                f"{len(budgets)}",
                column="budget_path",
            )
    # Parameters checks each budget (a finite number ≥ 0) with its own message.
    return [float(replace(params, budget=b).budget) for b in budgets]


def _next_year(
    table: pd.DataFrame, last: Allocation, carry: str, growth: Mapping[str, Rate], year: int
) -> pd.DataFrame:
    column = "allocation_rounded" if carry == "rounded" else "allocation"
    following = table.copy()
    following["previous_allocation"] = last.table[column].astype(float)
    for name, rate in growth.items():
        if isinstance(rate, pd.DataFrame):
            rate = rate[year] if year in rate.columns else 0.0
        per_unit = (
            rate.reindex(following.index).fillna(0.0) if isinstance(rate, pd.Series) else rate
        )
        following[name] = following[name].astype(float) * (1.0 + np.asarray(per_unit))
    return following


def _settled(history: list[tuple[int, bool]]) -> float:
    """The first year of the unbroken run of years at the ideal that ends the history."""
    year = np.nan
    for label, at_ideal in reversed(history):
        if not at_ideal:
            break
        year = float(label)
    return year


def _simulation(
    results: list[Allocation], labels: list[int], carry: str, policy: str
) -> Simulation:
    frames, rows = [], []
    at_ideal_by_year: dict[Hashable, list[tuple[int, bool]]] = {}
    collected = any(r.matching is Matching.COLLECTED for r in results)
    for year, result in zip(labels, results, strict=True):
        t = result.table
        frame = t[list(_TRAJECTORY_COLUMNS)].copy()
        if collected:
            for column in MATCH_COLUMNS:  # the table shows no limit as NaN; here it is inf
                given = t[column] if result.matching is Matching.COLLECTED else np.nan
                frame[column] = pd.Series(given, index=t.index, dtype=float).fillna(np.inf)
            for column in (f"{c}_assumed" for c in MATCH_COLUMNS):
                frame[column] = t[column] if column in t.columns else False
        frame.insert(0, "budget", result.parameters.budget)
        frame.insert(0, "unit", t.index)
        frame.insert(0, "year", year)
        frames.append(frame.reset_index(drop=True))
        figures = diagnose(result).to_dict()
        figures.pop("policy")
        assumed = result.assumed["unit"].nunique()
        rows.append({"year": year, **figures, "matching_status": str(result.matching),
                     "assumed_units": assumed})  # fmt: skip
        at_ideal = (t["allocation"] - t["capped"]).abs() <= _REACHED
        for unit, done in at_ideal.items():
            at_ideal_by_year.setdefault(unit, []).append((year, bool(done)))
    reached = {unit: _settled(history) for unit, history in at_ideal_by_year.items()}
    return Simulation(
        trajectories=pd.concat(frames, ignore_index=True),
        years=pd.DataFrame(rows).set_index("year"),
        reached_ideal=pd.Series(reached, dtype=float, name="reached_ideal").rename_axis("unit"),
        results=tuple(results),
        year_labels=tuple(labels),
        carry=carry,
        policy=policy,
        matching=Matching.COLLECTED if collected else Matching.NOT_COLLECTED,
    )
