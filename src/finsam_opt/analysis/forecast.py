"""Forecasts with uncertainty: many futures of a multi-year simulation at once, on the batch solver.

Every future is one run of :func:`finsam_opt.simulate`: each year's decided
amount becomes the next year's previous allocation, populations, support
measures and matching drift by yearly rates, and the budget follows its path.
The futures differ in the random parts of those rates (a normal distribution
per unit and year, seeded). One year of every future is one call of the batch
solver (:func:`finsam_opt.engine.batch.allocate_rows`), not a loop of
:func:`finsam_opt.allocate`; with zero uncertainty every future is exactly the
simulation.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from finsam_opt._compat import StrEnum
from finsam_opt.analysis.changes import Change, Join, Leave, Merge, Update, check_changes
from finsam_opt.domain.parameters import MAX_AMOUNT, Parameters
from finsam_opt.domain.units import MATCH_COLUMNS, Matching, UnitTable, validate_units
from finsam_opt.engine.batch import allocate_rows
from finsam_opt.engine.policies import Policy, resolve_policy
from finsam_opt.engine.rounding import id_ranks, round_rows
from finsam_opt.errors import InputError, describe_units
from finsam_opt.language.numbers import format_kronor, format_number

__all__ = ["Drift", "Forecast", "Reason", "YearOutcome", "forecast"]

#: An allocation within this many kronor of the capped ideal has reached it (as in simulate).
_REACHED = 1.0
_CARRY = ("rounded", "exact")
#: The columns of Forecast.assumed (those of Allocation.assumed, after the year).
_ASSUMED: list[str] = ["year", "unit", "party", "assumed_as", "amount"]
_DRIFTING = {
    "population": ("population",),
    "support": ("support_measure",),
    "matching": ("municipal_match", "regional_match"),
}


class Reason(StrEnum):
    """Why a unit gets its amount in one future and year (the planning view of ``binding``).

    Examples
    --------
    >>> import finsam_opt as fo
    >>> [str(reason) for reason in fo.Reason]
    ['floor', 'matching', 'cut', 'ideal']
    """

    FLOOR = "floor"
    """Held up by the decrease limit (its floor lifts it above its capped ideal), maybe relaxed."""
    MATCHING = "matching"
    """Held at its matching cap, below its ideal."""
    CUT = "cut"
    """Cut below its capped ideal to balance a deficit (its gain scaled)."""
    IDEAL = "ideal"
    """At its ideal allocation."""


_REASONS = tuple(Reason)


@dataclass(frozen=True)
class Drift:
    """A yearly growth rate with uncertainty: ``rate = mean + sd · z``, z standard normal.

    Parameters
    ----------
    mean : float, pandas.Series or pandas.DataFrame
        The expected yearly rate (0.01 is +1 % a year): one for every unit, per unit
        id (a Series), or per unit and year (a DataFrame, units × years, e.g. read
        from a growth file). Units or years not listed grow by 0.
    sd : float or pandas.Series
        The standard deviation of the yearly rate, one for all units or per unit id.

    Examples
    --------
    >>> import pandas as pd, finsam_opt as fo
    >>> fo.Drift(0.01, 0.005).sd
    0.005
    >>> history = pd.DataFrame({2021: [100.0, 50.0], 2022: [102.0, 50.0], 2023: [104.0, 51.0]},
    ...                        index=["A", "B"])
    >>> fitted = fo.Drift.fit(history)  # the mean and spread of each unit's yearly rate
    >>> fitted.mean.round(4).tolist(), fitted.sd.round(4).tolist()
    ([0.0198, 0.01], [0.0003, 0.0141])
    """

    mean: float | pd.Series | pd.DataFrame = 0.0
    sd: float | pd.Series = 0.0

    @classmethod
    def fit(cls, history: pd.DataFrame) -> Drift:
        """The drift of each unit fitted to its history: the mean and standard deviation
        of its yearly rates.

        Parameters
        ----------
        history : pandas.DataFrame
            Levels (a population or support measure), one row per unit id, one column
            per year in order; at least two years. A unit with two years has sd 0.

        Returns
        -------
        Drift
        """
        levels = history.apply(pd.to_numeric, errors="coerce").astype(float)
        if levels.shape[1] < 2:
            raise InputError(
                "a history needs at least two years (columns)",
                sv="en historik behöver minst två år (kolumner)",
                column="history",
            )
        bad = ~np.isfinite(levels.to_numpy()) | (levels.to_numpy() <= 0)
        if bad.any():
            row, col = np.argwhere(bad)[0]
            unit, year = levels.index[row], levels.columns[col]
            raise InputError(
                f"history: unit {unit!r}, year {year}: a level must be a number > 0, got "
                f"{history.iloc[row, col]!r}",
                sv=f"historik: förbundet {unit!r}, år {year}: en nivå måste vara ett tal > 0, "
                f"inte {history.iloc[row, col]!r}",
                column=str(year),
                units=[unit],
            )
        rates = levels.to_numpy()[:, 1:] / levels.to_numpy()[:, :-1] - 1.0
        sd = rates.std(axis=1, ddof=1) if rates.shape[1] > 1 else np.zeros(len(levels))
        return cls(
            pd.Series(rates.mean(axis=1), index=levels.index),
            pd.Series(sd, index=levels.index),
        )


@dataclass(frozen=True)
class YearOutcome:
    """One year of every future: arrays of shape (futures, units) unless stated.

    Attributes
    ----------
    year : int
    ids : pandas.Index
        The units in the model that year.
    budget : numpy.ndarray
        Kronor, shape (futures,).
    decided : numpy.ndarray
        The decided (rounded) amounts, int64 kronor.
    previous, ideal, cap, floor, capped : numpy.ndarray
        Last year's allocation (0 for a new unit), the ideal allocation, the
        matching cap (``inf`` for none), the floor and the capped ideal, kronor.
    reason : numpy.ndarray
        Index into :class:`Reason` (int8).
    at_ideal : numpy.ndarray
        Boolean: the exact allocation is within 1 kr of the capped ideal.
    decrease_limit : numpy.ndarray
        The effective decrease limit of each future, NaN where the policy reports none.
    rate : numpy.ndarray
        The balancing scalar λ* of each future (0 outside a deficit).
    exact : numpy.ndarray
        The exact allocations, kronor.
    municipal_match_assumed, regional_match_assumed : numpy.ndarray
        Boolean, shape (units,): the contribution was assumed, not answered (the
        same in every future; docs/model.md).
    matching : Matching
        Whether the contributions were collected that year.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> f = fo.forecast(fo.example_units(), fo.Parameters(budget=20_000_000), years=2,
    ...                 scenarios=3)
    >>> first = f.outcomes[0]
    >>> first.decided.shape, first.decided.sum(axis=1).tolist()  # futures × units, kronor
    ((3, 5), [20000000, 20000000, 20000000])
    """

    year: int
    ids: pd.Index
    budget: np.ndarray
    decided: np.ndarray
    previous: np.ndarray
    ideal: np.ndarray
    cap: np.ndarray
    floor: np.ndarray
    capped: np.ndarray
    reason: np.ndarray
    at_ideal: np.ndarray
    decrease_limit: np.ndarray
    rate: np.ndarray
    exact: np.ndarray
    municipal_match_assumed: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    regional_match_assumed: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    matching: Matching = Matching.NOT_COLLECTED


@dataclass(frozen=True)
class Forecast:
    """The outcome of :func:`forecast`: many futures, summarised per unit and year.

    Attributes
    ----------
    bands : pandas.DataFrame
        One row per year × unit in the model that year: ``year``, ``unit``,
        ``p10``, ``median``, ``p90``, ``mean`` of the decided amount (kronor),
        ``on_floor`` (the probability that the decrease limit holds it up),
        ``at_cap`` (the probability that matching holds it down), ``reason`` (the
        most likely :class:`Reason`), ``previous_median``, ``ideal_median`` and
        ``capped_median`` (the medians of last year's allocation, of the ideal I and
        of the capped ideal min(I, u), kronor); when matching was collected also
        ``municipal_match_assumed`` and ``regional_match_assumed`` (True where that
        party has not answered and its contribution was assumed, docs/model.md).
    reached_ideal : pandas.DataFrame
        Per unit ever in the model: ``expected_year`` (the mean, over the futures in
        which it does, of the year from which it stays at its capped ideal to the
        end), ``probability`` (the share of futures in which it does) and
        ``median_year``.
    outcomes : tuple of YearOutcome
        Every future's amounts, year by year.
    futures : int
    seed : int or None
    policy : str
    carry : str
    year_labels : tuple of int
    assumed : pandas.DataFrame
        The contributions assumed for units that did not answer, one row per year,
        unit and party: ``year``, ``unit``, ``party``, ``assumed_as``
        (``Parameters.unanswered``) and ``amount`` (kronor, the median over the
        futures; ``inf`` for no limit). Under ``unanswered='previous'`` it is half of
        each future's previous allocation that year, as in :func:`finsam_opt.simulate`.
    matching : Matching
        ``'collected'`` when any year's units had contribution columns.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> f = fo.forecast(fo.example_units(), fo.Parameters(budget=20_000_000), years=3,
    ...                 scenarios=200, population=fo.Drift(0.0, 0.02), first_year=2026, seed=1)
    >>> b = f.bands.query("unit == 'B'")  # held up by the 10 % limit in every future
    >>> b["median"].tolist(), b["on_floor"].tolist(), b["reason"].tolist()
    ([4518422.0, 4066580.0, 3659922.0], [1.0, 1.0, 1.0], ['floor', 'floor', 'floor'])
    """

    bands: pd.DataFrame
    reached_ideal: pd.DataFrame
    outcomes: tuple[YearOutcome, ...]
    futures: int
    seed: int | None
    policy: str
    carry: str
    year_labels: tuple[int, ...] = field(default=())
    assumed: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_ASSUMED))
    matching: Matching = Matching.NOT_COLLECTED

    def amounts(self, year: int) -> pd.DataFrame:
        """The decided amounts of ``year``: one row per future, one column per unit (kronor)."""
        outcome = self._outcome(year)
        return pd.DataFrame(outcome.decided, columns=outcome.ids)

    def _outcome(self, year: int) -> YearOutcome:
        for outcome in self.outcomes:
            if outcome.year == year:
                return outcome
        raise InputError(
            f"year {year} is not in the forecast {self.year_labels}",
            sv=f"år {year} finns inte i prognosen {self.year_labels}",
            column="year",
        )


@dataclass
class _State:
    """The unit data of every future in one year: ids and arrays of shape (futures, units).

    ``assumed`` marks, per party, the units whose contribution is assumed (shape
    (units,)): their value is set again every year from that year's previous
    allocation (:func:`_assume`), as :func:`finsam_opt.simulate` does.
    """

    ids: list[Hashable]
    columns: dict[str, np.ndarray]
    assumed: dict[str, np.ndarray]
    matching: Matching = Matching.NOT_COLLECTED

    def table(self) -> UnitTable:
        c = self.columns
        return UnitTable(
            ids=pd.Index(self.ids),
            population=c["population"],
            support_measure=c["support_measure"],
            previous_allocation=c["previous_allocation"],
            requested=c["requested"],
            municipal_match=c["municipal_match"],
            regional_match=c["regional_match"],
        )


_COLUMNS = (
    "population",
    "support_measure",
    "previous_allocation",
    "requested",
    "municipal_match",
    "regional_match",
)


def forecast(
    units: pd.DataFrame,
    params: Parameters,
    years: int = 5,
    *,
    scenarios: int = 1000,
    seed: int | None = 0,
    policy: str | Policy = "raise-limit",
    budget: Drift | Sequence[float] | None = None,
    population: Drift | None = None,
    support: Drift | None = None,
    matching: Drift | None = None,
    changes: Iterable[Change] = (),
    carry: str = "rounded",
    first_year: int = 1,
) -> Forecast:
    """Forecast the allocation of every unit over ``years`` years in ``scenarios`` futures.

    The first year allocates ``units`` as given (after that year's changes); before
    each later year every unit's previous allocation becomes its decided amount,
    its population, support measure and matching (municipal and regional
    contributions) grow by their drifts, the budget follows its path, and that
    year's changes apply — exactly as :func:`finsam_opt.simulate`, in every future
    at once.

    Parameters
    ----------
    units : pandas.DataFrame
        The first year's unit table (see :func:`finsam_opt.allocate`).
    params : Parameters
        Formula constants; its budget is the first year's (339 Mkr by default).
    years : int
        Number of years, ≥ 1.
    scenarios : int
        Number of futures, ≥ 1.
    seed : int, optional
        Seed of the random draws: the same seed gives the same forecast.
    policy : str or Policy
        The deficit policy every year (a built-in name, a ``.toml`` file or a Policy).
    budget : Drift or sequence of float, optional
        The budget's yearly growth (a scalar :class:`Drift`: mean rate and spread;
        each later year's budget rounded down to whole kronor), or a fixed path of
        ``years`` budgets in kronor. Default: the same budget every year.
    population, support, matching : Drift, optional
        Yearly drift of every unit's population 16–64, support measure and
        matching contributions. Default: no change.
    changes : iterable of Join, Leave, Merge or Update
        Units joining, leaving, merging or changing their data in a given year,
        the same in every future.
    carry : {'rounded', 'exact'}
        What becomes next year's previous allocation (see :func:`finsam_opt.simulate`).
    first_year : int
        The label of the first year.

    Returns
    -------
    Forecast

    Raises
    ------
    InputError
        Invalid units, drifts, budgets or changes, before anything is computed; or
        a future whose budget falls below the number of units × the base amount.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> f = fo.forecast(fo.example_units(), fo.Parameters(budget=20_000_000), years=4,
    ...                 scenarios=500, budget=fo.Drift(0.02, 0.03), seed=7)
    >>> b = f.bands.query("year == 4").set_index("unit")
    >>> b.loc["B", ["p10", "median", "p90"]].round(-3).tolist()  # kronor
    [3492000.0, 3717000.0, 3953000.0]
    >>> f.reached_ideal.loc["B", ["expected_year", "probability"]].round(2).tolist()
    [3.51, 1.0]
    """
    labels = _labels(years, first_year)
    futures = _positive(scenarios, "scenarios")
    chosen = resolve_policy(policy)
    if carry not in _CARRY:
        raise InputError(
            f"parameter carry must be 'rounded' or 'exact', got {carry!r}",
            sv=f"parametern carry måste vara 'rounded' eller 'exact', inte {carry!r}",
            column="carry",
        )
    if params.staircase is not None:
        raise InputError(
            "forecast does not apply the equity staircase; use simulate() for a staircase",
            sv="prognosen tillämpar inte trappan för eget kapital (staircase); använd "
            "simulate() med en trappa",
            column="staircase",
        )
    rng = np.random.default_rng(seed)
    budgets = _budgets(params, budget, labels, futures, rng)
    table = validate_units(units, replace(params, budget=float(budgets[0, 0])))
    changes = list(changes)
    present = check_changes(changes, units.index, labels)
    ever = set(units.index).union(*present)
    drifts = {"population": population, "support": support, "matching": matching}
    for name, drift in drifts.items():
        if drift is not None:
            _check_drift(drift, name, labels)
            _unknown_units(drift, ever, name)

    state = _State(
        list(table.ids),
        {c: np.broadcast_to(getattr(table, c), (futures, table.size)) for c in _COLUMNS},
        _flags(table),
        table.matching,
    )
    outcomes: list[YearOutcome] = []
    assumed: list[pd.DataFrame] = []  # the years with an assumed contribution
    for number, year in enumerate(labels):
        if outcomes:
            state = _next_year(state, outcomes[-1], carry, drifts, year, rng)
        for change in (c for c in changes if c.year == year):
            state = _apply(state, change, params)
        state = _assume(state, params)
        if any(flag.any() for flag in state.assumed.values()):
            assumed.append(_assumed_rows(state, params, year))
        outcomes.append(_allocate_year(state, params, budgets[:, number], chosen, year))
    collected = any(o.matching is Matching.COLLECTED for o in outcomes)
    return Forecast(
        bands=_bands(outcomes, collected),
        reached_ideal=_reached(outcomes),
        outcomes=tuple(outcomes),
        futures=futures,
        seed=seed,
        policy=chosen.name,
        carry=carry,
        year_labels=tuple(labels),
        assumed=pd.concat(assumed, ignore_index=True)
        if assumed
        else pd.DataFrame(columns=_ASSUMED),
        matching=Matching.COLLECTED if collected else Matching.NOT_COLLECTED,
    )


def _flags(table: UnitTable) -> dict[str, np.ndarray]:
    """Per party, the units of a validated table whose contribution was assumed."""
    flags = (table.assumed_municipal, table.assumed_regional)
    return {
        party: np.zeros(table.size, bool) if flag is None else np.asarray(flag, bool)
        for party, flag in zip(MATCH_COLUMNS, flags, strict=True)
    }


def _assume(state: _State, params: Parameters) -> _State:
    """Every assumed contribution set from this year's previous allocation (MODEL.md §4a):
    prev / 2 under ``unanswered='previous'`` (0 for a new unit), no limit otherwise."""
    columns = dict(state.columns)
    for party, flag in state.assumed.items():
        if not flag.any():
            continue
        column = np.array(columns[party], dtype=float)  # a writable copy
        if params.unanswered == "previous":
            previous = columns["previous_allocation"][:, flag]
            column[:, flag] = np.nan_to_num(previous, nan=0.0) / 2.0
        else:
            column[:, flag] = np.inf
        columns[party] = column
    return replace(state, columns=columns)


def _assumed_rows(state: _State, params: Parameters, year: int) -> pd.DataFrame:
    rows = [
        {
            "year": year,
            "unit": unit,
            "party": party,
            "assumed_as": str(params.unanswered),
            "amount": float(np.median(state.columns[party][:, i])),
        }
        for i, unit in enumerate(state.ids)
        for party in MATCH_COLUMNS
        if state.assumed[party][i]
    ]
    return pd.DataFrame(rows, columns=_ASSUMED)


def _labels(years: object, first_year: object) -> list[int]:
    count = _positive(years, "years")
    if isinstance(first_year, bool) or not isinstance(first_year, (int, np.integer)):
        raise InputError(
            f"parameter first_year must be a whole number, got {first_year!r}",
            sv=f"parametern first_year måste vara ett heltal, inte {first_year!r}",
        )
    return list(range(int(first_year), int(first_year) + count))


def _positive(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise InputError(
            f"parameter {name} must be a whole number ≥ 1, got {value!r}",
            sv=f"parametern {name} måste vara ett heltal ≥ 1, inte {value!r}",
            column=name,
        )
    return int(value)


def _check_drift(drift: Drift, name: str, labels: list[int]) -> None:
    if not isinstance(drift, Drift):
        raise InputError(
            f"{name} must be a Drift, got {type(drift).__name__}",
            sv=f"{name} måste vara en Drift, inte {type(drift).__name__}",
            column=name,
        )
    parts: list[tuple[str, object]] = [("mean", drift.mean), ("sd", drift.sd)]
    for part, value in parts:
        if isinstance(value, pd.DataFrame):  # a unit or year not in a table does not grow
            value = value.fillna(0.0)
        values = (
            value.to_numpy(dtype=float).ravel()
            if isinstance(value, (pd.Series, pd.DataFrame))
            else np.array([value], dtype=float)
        )
        low = 0.0 if part == "sd" else -1.0
        bad = ~np.isfinite(values) | (values < low) | ((values == low) & (part == "mean"))
        if bad.any():
            rule = "≥ 0" if part == "sd" else "> −1"
            part_sv = "spridningen (sd)" if part == "sd" else "medeltillväxten (mean)"
            raise InputError(
                f"{name} drift: {part} must be finite and {rule}, got {values[bad][0]!r}",
                sv=f"tillväxten för {name}: {part_sv} måste vara ändlig och {rule}, inte "
                f"{float(values[bad][0])!r}",
                column=name,
            )
    if isinstance(drift.mean, pd.DataFrame):
        unknown = [y for y in drift.mean.columns if y not in labels]
        if unknown:
            raise InputError(
                f"{name} drift: year {unknown[0]!r} is not forecast ({labels[0]}–{labels[-1]})",
                sv=f"tillväxten för {name}: år {unknown[0]!r} ingår inte i prognosen "
                f"({labels[0]}–{labels[-1]})",
                column=name,
            )


def _budgets(
    params: Parameters,
    budget: Drift | Sequence[float] | None,
    labels: list[int],
    futures: int,
    rng: np.random.Generator,
) -> np.ndarray:
    years = len(labels)
    if budget is None:
        return np.full((futures, years), params.budget)
    if isinstance(budget, Drift):
        _check_drift(budget, "budget", labels)
        if not all(isinstance(v, (int, float)) for v in (budget.mean, budget.sd)):
            raise InputError(
                "the budget's drift has one mean and one sd",
                sv="budgetens tillväxt har ett enda medelvärde (mean) och en enda spridning (sd)",
                column="budget",
            )
        mean, sd = float(budget.mean), float(budget.sd)  # type: ignore[arg-type]
        z = rng.standard_normal((futures, years - 1)) if sd > 0 else 0.0
        growth = np.maximum(1.0 + mean + sd * z, 0.0) * np.ones((futures, years - 1))
        # A budget is decided in whole kronor.
        drawn = params.budget * np.cumprod(np.hstack([np.ones((futures, 1)), growth]), axis=1)
        return np.hstack([drawn[:, :1], np.floor(drawn[:, 1:])])
    given = [float(replace(params, budget=b).budget) for b in budget]
    if len(given) != years:
        raise InputError(
            f"a budget path must give {years} budgets (one per year), got {len(given)}",
            sv=f"en budgetbana måste ange {years} budgetar (en per år), men anger {len(given)}",
            column="budget",
        )
    return np.tile(np.array(given), (futures, 1))


def _rates(
    drift: Drift | None, ids: list[Hashable], year: int, shape: tuple[int, int], rng
) -> np.ndarray | float:
    if drift is None:
        return 0.0
    mean = drift.mean
    if isinstance(mean, pd.DataFrame):
        per_year = mean[year] if year in mean.columns else pd.Series(dtype=float)
        centre: np.ndarray | float = per_year.reindex(ids).fillna(0.0).to_numpy()
    elif isinstance(mean, pd.Series):
        centre = mean.reindex(ids).fillna(0.0).to_numpy()
    else:
        centre = float(mean)
    sd = drift.sd
    spread = sd.reindex(ids).fillna(0.0).to_numpy() if isinstance(sd, pd.Series) else float(sd)
    if np.all(np.asarray(spread) == 0):
        return centre
    return centre + spread * rng.standard_normal(shape)


def _next_year(
    state: _State,
    last: YearOutcome,
    carry: str,
    drifts: Mapping[str, Drift | None],
    year: int,
    rng: np.random.Generator,
) -> _State:
    columns = dict(state.columns)
    carried = last.decided.astype(float) if carry == "rounded" else last.exact
    columns["previous_allocation"] = carried
    shape = columns["population"].shape
    for name, names in _DRIFTING.items():
        # A rate at or below −100 % would leave nothing (or less); a unit keeps 1 % of it.
        factor = np.maximum(1.0 + _rates(drifts[name], state.ids, year, shape, rng), 0.01)
        for column in names:
            columns[column] = columns[column] * factor
    return replace(state, ids=list(state.ids), columns=columns)


def _apply(state: _State, change: Change, params: Parameters) -> _State:
    ids, columns = list(state.ids), dict(state.columns)
    flags = {party: flag.copy() for party, flag in state.assumed.items()}
    if isinstance(change, Join):
        units = change.units
        if state.matching is Matching.COLLECTED:  # a joiner without the columns has not answered
            units = units.reindex(columns=[*units.columns, *(
                c for c in MATCH_COLUMNS if c not in units.columns)])  # fmt: skip
        joining = validate_units(units, replace(params, base_amount=0.0))
        state = _collected(state, joining.matching, change, params)
        futures = columns["population"].shape[0]
        for c in _COLUMNS:
            added = np.broadcast_to(getattr(joining, c), (futures, joining.size))
            columns[c] = np.hstack([state.columns[c], added])
        joined = _flags(joining)
        flags = {p: np.concatenate([state.assumed[p], joined[p]]) for p in MATCH_COLUMNS}
        return _State(ids + list(joining.ids), columns, flags, state.matching)
    if isinstance(change, Leave):
        keep = [i for i, unit in enumerate(ids) if unit != change.unit]
        return _State(
            [ids[i] for i in keep],
            {c: v[:, keep] for c, v in columns.items()},
            {p: f[keep] for p, f in flags.items()},
            state.matching,
        )
    if isinstance(change, Update):
        answers = [c for c in MATCH_COLUMNS if c in change.units.columns]
        if answers and change.units[answers].notna().any(axis=None):
            state = _collected(state, Matching.COLLECTED, change, params)
            columns, flags = dict(state.columns), dict(state.assumed)
        for c in change.units.columns:
            if c not in _COLUMNS:
                continue
            given = pd.to_numeric(change.units[c], errors="coerce").dropna()
            for unit, value in given.items():
                column = columns[c].copy()
                column[:, ids.index(unit)] = float(value)
                columns[c] = column
                if c in flags:  # an answer, at last
                    flags[c] = flags[c].copy()
                    flags[c][ids.index(unit)] = False
        return _State(ids, columns, flags, state.matching)
    assert isinstance(change, Merge)
    members = [ids.index(m) for m in change.members]
    keep = [i for i in range(len(ids)) if i not in members]
    merged = {}
    for c, values in columns.items():
        part = values[:, members]
        if c == "previous_allocation":  # a new member adds nothing; all new: the merger is new
            total = np.where(np.isnan(part).all(axis=1), np.nan, np.nansum(part, axis=1))
        else:
            total = part.sum(axis=1)
        merged[c] = np.hstack([values[:, keep], total[:, None]])
    # A member that has not answered leaves the merged unit unanswered (as simulate's sum).
    merged_flags = {p: np.append(f[keep], f[members].any()) for p, f in flags.items()}
    return _State([ids[i] for i in keep] + [change.into], merged, merged_flags, state.matching)


def _collected(state: _State, matching: Matching, change: Change, params: Parameters) -> _State:
    """``state`` once a change brings contribution columns to units that had none: as in
    :func:`finsam_opt.simulate`, every unit already there has not answered."""
    if state.matching is Matching.COLLECTED or matching is Matching.NOT_COLLECTED:
        return state
    if params.unanswered == "error":
        raise InputError(
            f"year {change.year}: the change brings the first matching answers, and before it "
            f"{describe_units(state.ids)} had none (a blank contribution is no answer); "
            "give every unit its contributions, or choose unanswered 'previous' or 'no-limit'",
            sv=f"år {change.year}: ändringen för med de första svaren om matchningen, och före "
            f"den hade {describe_units(state.ids, 'sv')} inga (ett tomt bidrag är inget svar); "
            "ange varje förbunds bidrag, eller välj --unanswered previous eller no-limit",
            column=MATCH_COLUMNS[0],
            units=list(state.ids),
        )
    flags = {p: np.ones(len(state.ids), bool) for p in MATCH_COLUMNS}
    return _State(list(state.ids), dict(state.columns), flags, Matching.COLLECTED)


def _check_bounds(state: _State, budget: np.ndarray, year: int) -> None:
    """Drift can carry a future's budget or a unit's amounts beyond where float sums are
    exact to the öre (MAX_AMOUNT, docs/data.md): an error, never a wrapped integer."""
    for name, values in (("budget", budget), *state.columns.items()):
        array = np.asarray(values, dtype=float)
        over = np.isfinite(array) & (array > MAX_AMOUNT)
        if over.any():
            futures = np.flatnonzero(over.any(axis=1) if array.ndim == 2 else over)
            raise InputError(
                f"year {year}: drift takes {name} of future(s) {futures[:5].tolist()} above "
                f"{MAX_AMOUNT:,.0f} (got {array[over].max():,.0f}); choose a smaller drift "
                "or fewer years",
                sv=f"år {year}: tillväxten tar {name} över {format_number(MAX_AMOUNT, 'sv')} i "
                f"framtid(erna) {futures[:5].tolist()} (som mest "
                f"{format_number(array[over].max(), 'sv')}); "
                "välj en mindre tillväxt eller färre år",
                column=name,
            )


def _allocate_year(
    state: _State, params: Parameters, budget: np.ndarray, policy: Policy, year: int
) -> YearOutcome:
    table = state.table()
    short = np.flatnonzero(budget < table.size * params.base_amount)
    if len(short):
        raise InputError(
            f"year {year}: the budget of future(s) {short[:5].tolist()} "
            f"({budget[short[0]]:,.0f} kr) is below the number of units × base_amount "
            f"({table.size} × {params.base_amount:,.0f} kr)",
            sv=f"år {year}: budgeten i framtid(erna) {short[:5].tolist()} "
            f"({format_kronor(budget[short[0]], 'sv', ore=True)}) är mindre än antalet förbund × "
            f"grundtilldelningen ({table.size} × "
            f"{format_kronor(params.base_amount, 'sv', ore=True)})",
            column="budget",
        )
    _check_bounds(state, budget, year)
    batch, q = allocate_rows(table, params, budget, policy)
    exact = batch.allocation
    decided = round_rows(
        exact,
        params.rounding_unit,
        limit=budget,
        cap=q.cap,
        floor=batch.floor,
        tiebreak=id_ranks(table.ids),
    )
    return YearOutcome(
        year=year,
        ids=table.ids,
        budget=budget,
        decided=decided,
        previous=np.asarray(q.previous),
        ideal=np.asarray(q.ideal),
        cap=np.asarray(q.cap),
        floor=np.asarray(q.floor),
        capped=np.asarray(q.capped),
        reason=_reason_codes(exact, q.protected, q.cap, q.ideal, q.capped),
        at_ideal=np.abs(exact - q.capped) <= _REACHED,
        decrease_limit=batch.decrease_limit,
        rate=batch.rate,
        exact=exact,
        municipal_match_assumed=state.assumed["municipal_match"].copy(),
        regional_match_assumed=state.assumed["regional_match"].copy(),
        matching=state.matching,
    )


def _reason_codes(
    exact: np.ndarray,
    protected: np.ndarray,
    cap: np.ndarray,
    ideal: np.ndarray,
    capped: np.ndarray,
) -> np.ndarray:
    codes = np.select(
        [protected, exact < capped - _REACHED, cap < ideal],
        [_REASONS.index(Reason.FLOOR), _REASONS.index(Reason.CUT), _REASONS.index(Reason.MATCHING)],
        default=_REASONS.index(Reason.IDEAL),
    )
    return codes.astype(np.int8)


def _bands(outcomes: list[YearOutcome], collected: bool) -> pd.DataFrame:
    frames = []
    floor_code, cap_code = _REASONS.index(Reason.FLOOR), _REASONS.index(Reason.MATCHING)
    for o in outcomes:
        p10, median, p90 = np.percentile(o.decided, [10, 50, 90], axis=0)
        counts = np.stack([(o.reason == k).mean(axis=0) for k in range(len(_REASONS))])
        flags = (
            {
                "municipal_match_assumed": o.municipal_match_assumed,
                "regional_match_assumed": o.regional_match_assumed,
            }
            if collected
            else {}
        )
        frames.append(
            pd.DataFrame(
                {
                    "year": o.year,
                    "unit": o.ids,
                    "p10": p10,
                    "median": median,
                    "p90": p90,
                    "mean": o.decided.mean(axis=0),
                    "on_floor": counts[floor_code],
                    "at_cap": counts[cap_code],
                    "reason": [str(_REASONS[k]) for k in counts.argmax(axis=0)],
                    "previous_median": np.median(o.previous, axis=0),
                    "ideal_median": np.median(o.ideal, axis=0),
                    "capped_median": np.median(o.capped, axis=0),
                    **flags,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _reached(outcomes: list[YearOutcome]) -> pd.DataFrame:
    histories: dict[Hashable, list[tuple[int, np.ndarray]]] = {}
    for o in outcomes:
        for i, unit in enumerate(o.ids):
            histories.setdefault(unit, []).append((o.year, o.at_ideal[:, i]))
    rows = {}
    for unit, history in histories.items():
        futures = len(history[0][1])
        year = np.full(futures, np.nan)
        running = np.ones(futures, dtype=bool)
        for label, at_ideal in reversed(history):
            running &= at_ideal
            year = np.where(running, float(label), year)
        reached = ~np.isnan(year)
        rows[unit] = {
            "expected_year": float(year[reached].mean()) if reached.any() else np.nan,
            "probability": float(reached.mean()),
            "median_year": float(np.median(year[reached])) if reached.any() else np.nan,
        }
    frame = pd.DataFrame.from_dict(rows, orient="index")
    return frame.rename_axis("unit")


def _unknown_units(drift: Drift, ever: set[Hashable], name: str) -> None:
    index: Iterable[Hashable] = (
        drift.mean.index if isinstance(drift.mean, (pd.Series, pd.DataFrame)) else []
    )
    unknown = [u for u in index if u not in ever]
    if unknown:
        raise InputError(
            f"{name} drift: {describe_units(unknown)} never in the forecast",
            sv=f"tillväxten för {name}: {describe_units(unknown, 'sv')} finns aldrig med i "
            "prognosen",
            column=name,
            units=unknown,
        )
