"""Synthetic national datasets of any size, seeded and vectorized.

:func:`synthetic_units` draws a unit table that looks like Sweden's (docs/data.md)
and a budget that puts the year in a chosen scenario (docs/model.md)::

    case = synthetic_units(80, seed=1, scenario="mild-deficit")
    result = allocate(case.units, case.params)          # result.scenario == "deficit"

How the data are drawn (every step is one numpy call over all units, so
10 000 000 units take seconds):

* **Municipalities.** Each unit covers 1–10 municipalities, 1 + Binomial(9, 0.29)
  (mean 3.6, as 273 municipalities in 75 förbund in 2022). The logarithm of a
  municipality's population is skew-normal, fitted (maximum likelihood) to
  Sweden's 290 municipalities (31 Dec 2025, ``shared/data/municipalities.csv``):
  median 17 000 (real 16 000), 1 % above 300 000 (real 263 000), about 1 in
  1 400 above a million (real: Stockholm, 1 in 290). A plain lognormal has
  too thin an upper tail (1 in 21 000 above a million).
* **Population 16–64.** About 60 % of each municipality, lower in small ones
  (older populations), 0.60 + 0.02·z(log population) + noise, clipped to [0.5, 0.7].
* **Support measure.** Kronor per inhabitant 16–64 of 15 000 kr × 3^(β − ½) with
  β ~ Beta(2, 2): bounded, so the highest rate is at most 3× the lowest at any n.
* **Matching.** A share of units has a matching shortfall: the smaller of the
  municipal and regional contributions caps the state amount (``2·min(K, R)``)
  below the unit's ideal (in ``balance``: below the request but not the ideal).
  The other units request 2–25 % more than they need and are matched in full.
* **History.** Last year's allocation is the ideal times lognormal noise
  (σ = 6 %); about 3 % of units are new (no previous allocation).
* **Scenario.** ``balance``: no cap and no floor binds, Σ target = B.
  ``surplus``: caps bind, no floor does, Σ target < B. ``mild-deficit``: last
  year's amounts are scaled so that the floors' excess over the ideals exceeds
  the caps' shortfall by 1 % of B. ``severe-deficit``: by 20 % of B, as after a
  large budget cut; then the floors alone exceed the budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from finsam_opt.domain.parameters import Parameters
from finsam_opt.errors import InputError
from finsam_opt.io.safe import atomic_outputs
from finsam_opt.language.numbers import format_kronor, format_number
from finsam_opt.language.words import term

__all__ = [
    "MAX_SYNTHETIC_UNITS",
    "SCENARIOS",
    "SyntheticCase",
    "municipality_populations",
    "synthetic_units",
    "write_synthetic",
]

SyntheticScenario = Literal["balance", "surplus", "mild-deficit", "severe-deficit"]

SCENARIOS: tuple[str, ...] = ("balance", "surplus", "mild-deficit", "severe-deficit")
"""The scenarios :func:`synthetic_units` can produce."""

NATIONAL_BUDGET = 339_000_000.0
"""Kronor: the state budget since 2016, for about 80 units."""
NATIONAL_UNITS = 80

# Log populations of Sweden's 290 municipalities (31 Dec 2025): mean and sd (ddof=1),
# and the maximum-likelihood skew-normal (scipy.stats.skewnorm.fit: shape, loc, scale).
LOG_POPULATION_MEAN = 9.873
LOG_POPULATION_SD = 1.009
LOG_POPULATION_SKEWNORM = (2.485, 8.767, 1.496)

_MEMBERS_EXTRA = (9, 0.29)  # 1 + Binomial(9, p): 1–10 municipalities, mean 3.6
_WORKING_AGE_SHARE = 0.60
_SUPPORT_PER_INHABITANT = 15_000.0  # kronor per inhabitant 16–64, geometric middle
_SUPPORT_SPREAD = 3.0  # highest / lowest possible rate
_HISTORY_SD = 0.06
_NEW_SHARE = 0.03
_SHORTFALL_SHARE = 0.15
_EXCESS = {"mild-deficit": 0.01, "severe-deficit": 0.20}  # (Σ target − B) / B


@dataclass(frozen=True)
class SyntheticCase:
    """A synthetic year: the unit table, its parameters and how it was drawn.

    Attributes
    ----------
    units : pandas.DataFrame
        Indexed by unit id (``'U000001'``…), with the columns of
        :data:`finsam_opt.domain.units.UNIT_COLUMNS`; kronor and inhabitants 16–64.
    params : Parameters
        The budget (scaled with the number of units unless given) and defaults.
    scenario : str
        The scenario the case was drawn for.
    municipalities : numpy.ndarray
        Number of municipalities in each unit, int, shape (n,).
    population_total : numpy.ndarray
        Inhabitants of all ages in each unit, shape (n,).
    seed : int

    Examples
    --------
    >>> import finsam_opt as fo
    >>> case = fo.synthetic_units(80, seed=1, scenario="mild-deficit")
    >>> case.units.shape, case.params.budget  # budget in kronor
    ((80, 6), 339000000.0)
    >>> fo.allocate(case.units, case.params).scenario
    <Scenario.DEFICIT: 'deficit'>
    """

    units: pd.DataFrame
    params: Parameters
    scenario: str
    municipalities: np.ndarray
    population_total: np.ndarray
    seed: int


def national_budget(n_units: int) -> float:
    """The budget scaled to ``n_units``: 339 Mkr × n / 80, kronor."""
    return NATIONAL_BUDGET * n_units / NATIONAL_UNITS


def municipality_populations(n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` municipality populations (all ages): exp of a skew-normal fitted to Sweden's 290."""
    shape, loc, scale = LOG_POPULATION_SKEWNORM
    delta = shape / np.sqrt(1.0 + shape**2)
    # Azzalini's construction: δ·|u| + √(1 − δ²)·v is skew-normal with this shape.
    u, v = rng.standard_normal((2, n))
    return np.exp(loc + scale * (delta * np.abs(u) + np.sqrt(1.0 - delta**2) * v))


def synthetic_units(
    n_units: int,
    seed: int = 0,
    scenario: SyntheticScenario = "balance",
    budget: float | None = None,
) -> SyntheticCase:
    """Draw a synthetic national unit table in the chosen scenario.

    Parameters
    ----------
    n_units : int
        Number of units (samordningsförbund), 1 to tens of millions.
    seed : int
        Seed of the :class:`numpy.random.Generator`; the same seed gives the same case.
    scenario : {'balance', 'surplus', 'mild-deficit', 'severe-deficit'}
        What :func:`finsam_opt.allocate` will find: Σ target = B, Σ target < B,
        Σ target ≈ 1.01·B or ≈ 1.20·B (then the floors alone exceed B).
    budget : float, optional
        Kronor; default 339 Mkr × n_units / 80. Must be ≥ n_units × 400 000.

    Returns
    -------
    SyntheticCase

    Examples
    --------
    >>> import finsam_opt as fo
    >>> case = fo.synthetic_units(80, seed=1, scenario="surplus")
    >>> fo.allocate(case.units, case.params).scenario
    <Scenario.SURPLUS: 'surplus'>
    """
    n = _check_arguments(n_units, seed, scenario)
    params = Parameters(budget=national_budget(n) if budget is None else float(budget))
    if params.budget < n * params.base_amount:
        raise InputError(
            f"budget ({params.budget:,.0f} kr) must be at least n_units × base_amount "
            f"({n} × {params.base_amount:,.0f} kr)",
            sv=f"budgeten ({format_kronor(params.budget, 'sv', ore=True)}) måste vara minst "
            f"antalet förbund × grundtilldelningen ({n} × "
            f"{format_kronor(params.base_amount, 'sv', ore=True)})",
            column="budget",
        )
    rng = np.random.default_rng(seed)

    members = 1 + rng.binomial(*_MEMBERS_EXTRA, size=n)
    population, working_age = _populations(members, rng)
    rate = _SUPPORT_PER_INHABITANT * _SUPPORT_SPREAD ** (rng.beta(2.0, 2.0, n) - 0.5)
    support = working_age * rate

    ideal = _ideal(working_age, support, params)
    new = _at_least_one_false(rng.random(n) < _NEW_SHARE, rng)
    short = _shortfall_units(n, scenario, rng)
    history = np.exp(rng.normal(0.0, _HISTORY_SD, n))

    keep = 1.0 - params.decrease_limit
    if scenario in _EXCESS:
        cap = np.where(short, ideal * rng.uniform(0.85, 0.99, n), np.inf)
        shortfall = float(np.where(short, ideal - cap, 0.0).sum())
        free = ~short & ~new
        scale = _history_scale(
            ideal[free], history[free], keep, shortfall + _EXCESS[scenario] * params.budget
        )
        previous = ideal * history * np.where(free, scale, 1.0)
    else:
        # No floor may bind: (1 − d)·previous stays below the ideal.
        previous = ideal * np.minimum(history, 0.999 / keep)
        low = (0.85, 0.99) if scenario == "surplus" else (1.0, 1.05)
        cap = np.where(short, ideal * rng.uniform(*low, n), np.inf)
    previous = np.where(new, np.nan, previous)

    requested, municipal, regional = _requests_and_matching(
        ideal, np.where(new, 0.0, keep * previous), cap, short, rng
    )
    units = pd.DataFrame(
        {
            "population": working_age,
            "support_measure": support,
            "previous_allocation": previous,
            "requested": requested,
            "municipal_match": municipal,
            "regional_match": regional,
        },
        index=pd.Index(_unit_ids(n), name="unit"),
    )
    return SyntheticCase(units, params, scenario, members, population, seed)


def write_synthetic(
    path: str | Path,
    n_units: int,
    seed: int = 0,
    scenario: SyntheticScenario = "balance",
    budget: float | None = None,
) -> SyntheticCase:
    """Draw a synthetic case and write its unit table as CSV (kronor, index ``unit``).

    What ``finsam-opt synthetic`` calls. The budget is not in the file; it is
    returned in ``case.params`` (the command line prints it).

    Parameters
    ----------
    path : str or pathlib.Path
        The CSV file to write (overwritten if it exists).
    n_units : int
        Number of units, ≥ 1.
    seed : int
        Seed of the random generator; the same seed writes the same file.
    scenario : {'balance', 'surplus', 'mild-deficit', 'severe-deficit'}
        As for :func:`synthetic_units`.
    budget : float, optional
        Kronor; default 339 Mkr × n_units / 80.

    Returns
    -------
    SyntheticCase
        The case drawn, as :func:`synthetic_units` returns it.

    Examples
    --------
    >>> import pathlib, tempfile, pandas as pd, finsam_opt as fo
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder) / "units.csv"
    ...     case = fo.write_synthetic(path, 40, seed=3, scenario="surplus")
    ...     pd.read_csv(path, index_col="unit").shape
    (40, 6)
    >>> case.params.budget  # 339 Mkr × 40 / 80, kronor
    169500000.0
    """
    case = synthetic_units(n_units, seed=seed, scenario=scenario, budget=budget)
    with atomic_outputs([Path(path)]) as (temporary,):
        case.units.to_csv(temporary)
    return case


MAX_SYNTHETIC_UNITS = 10_000_000
"""The most units a synthetic dataset has (a few GB of memory; Sweden has ~80)."""


def _check_arguments(n_units: object, seed: object, scenario: object) -> int:
    if isinstance(n_units, bool) or not isinstance(n_units, (int, np.integer)) or n_units < 1:
        raise InputError(
            f"n_units must be a whole number ≥ 1, got {n_units!r}",
            sv=f"n_units måste vara ett heltal ≥ 1, inte {n_units!r}",
            column="n_units",
        )
    if n_units > MAX_SYNTHETIC_UNITS:
        # Beyond this the arrays alone need tens of gigabytes: refuse before allocating them.
        raise InputError(
            f"n_units must be at most {MAX_SYNTHETIC_UNITS:,}, got {int(n_units):,}",
            sv=f"n_units får vara högst {format_number(MAX_SYNTHETIC_UNITS, 'sv')}, inte "
            f"{format_number(int(n_units), 'sv')}",
            column="n_units",
        )
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError(
            f"seed must be a whole number ≥ 0, got {seed!r}",
            sv=f"seed (fröet) måste vara ett heltal ≥ 0, inte {seed!r}",
            column="seed",
        )
    if scenario not in SCENARIOS:
        known = ", ".join(f"'{s}'" for s in SCENARIOS)
        named = [f"'{s}' ({term(s, 'sv')})" for s in SCENARIOS]
        raise InputError(
            f"unknown scenario {scenario!r}; choose one of {known}",
            sv=f"okänt scenario {scenario!r}; välj {', '.join(named[:-1])} eller {named[-1]}",
            column="scenario",
        )
    return int(n_units)


def _populations(members: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Total and 16–64 population of each unit, summed over its municipalities."""
    total = municipality_populations(int(members.sum()), rng)
    z = (np.log(total) - LOG_POPULATION_MEAN) / LOG_POPULATION_SD
    share = np.clip(_WORKING_AGE_SHARE + 0.02 * z + rng.normal(0.0, 0.01, len(total)), 0.5, 0.7)
    starts = np.concatenate(([0], np.cumsum(members)[:-1]))
    return np.add.reduceat(total, starts), np.add.reduceat(np.round(total * share), starts)


def _ideal(population: np.ndarray, support: np.ndarray, params: Parameters) -> np.ndarray:
    """docs/model.md, as :func:`finsam_opt.engine.model.compute_quantities` computes it."""
    key = params.weight_population * (population / population.sum()) + params.weight_support * (
        support / support.sum()
    )
    return params.base_amount + (params.budget - len(population) * params.base_amount) * key


def _at_least_one_false(mask: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """``mask`` with one random unit cleared, so some unit is always left out."""
    mask = mask.copy()
    mask[rng.integers(len(mask))] = False
    return mask


def _shortfall_units(n: int, scenario: str, rng: np.random.Generator) -> np.ndarray:
    short = rng.random(n) < _SHORTFALL_SHARE
    if n > 1:
        short = _at_least_one_false(short, rng)
        if scenario == "surplus":  # a surplus needs at least one binding cap
            short[rng.integers(n)] = True
    return short


def _history_scale(ideal: np.ndarray, history: np.ndarray, keep: float, wanted: float) -> float:
    """The factor α on last year's amounts ``ideal·history`` whose floors exceed the ideals
    by ``wanted`` kronor in total: Σ ideal·max(0, keep·α·history − 1) = wanted.

    The left side is piecewise linear and increasing in α, with a kink where each
    unit's floor meets its ideal; sort the kinks and solve the crossing piece.
    """
    order = np.argsort(-history)
    h, ideal = history[order], ideal[order]
    # With the k largest histories protected: excess(α) = keep·α·Σ_k ideal·h − Σ_k ideal.
    weighted, plain = np.cumsum(ideal * h), np.cumsum(ideal)
    # Excess at the kink where unit k+1 starts being protected (α = 1 / (keep·h[k+1])).
    at_next_kink = np.append(weighted[:-1] / h[1:] - plain[:-1], np.inf)
    k = int(np.searchsorted(at_next_kink, wanted))
    return float((wanted + plain[k]) / (keep * weighted[k]))


def _requests_and_matching(
    ideal: np.ndarray,
    floor: np.ndarray,
    cap: np.ndarray,
    short: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Requested amount and the two matching contributions, kronor.

    A unit without a shortfall asks 2–25 % more than it needs and both parties
    match half of the request or more. With a shortfall it asks more than its
    cap and one party (municipalities or region, at random) matches only cap / 2.
    """
    n = len(ideal)
    need = np.maximum(ideal, floor)
    requested = np.where(short, cap, need) * rng.uniform(1.02, 1.25, n)
    generous = requested / 2 * rng.uniform(1.0, 1.3, (2, n))
    municipal_short = rng.random(n) < 0.5
    municipal = np.where(short & municipal_short, cap / 2, generous[0])
    regional = np.where(short & ~municipal_short, cap / 2, generous[1])
    return requested, municipal, regional


def _unit_ids(n: int) -> np.ndarray:
    """``'U000001'``…, zero-padded to at least six digits, built digit by digit."""
    width = max(6, len(str(n)))
    number = np.arange(1, n + 1)
    chars = np.empty((n, width + 1), dtype=np.uint8)
    chars[:, 0] = ord("U")
    for place in range(width):  # a loop over digits, not units
        chars[:, width - place] = ord("0") + (number // 10**place) % 10
    return chars.view(f"S{width + 1}").ravel().astype(f"U{width + 1}")
