"""Model quantities of docs/model.md: key, ideal, cap, floor, target, scenario.

Pure numpy on a validated :class:`~finsam_opt.domain.units.UnitTable`; no solver here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from finsam_opt._compat import StrEnum
from finsam_opt.domain.parameters import Parameters
from finsam_opt.domain.units import UnitTable

__all__ = ["BALANCE_TOLERANCE", "Quantities", "Scenario", "compute_quantities", "scenario_of"]

BALANCE_TOLERANCE = 1.0
"""Kronor: a total of targets within this much of the budget, above or below, is a balance
(docs/model.md); the rounded total of a balance never exceeds the budget (§8)."""


class Scenario(StrEnum):
    """Which of the model's three cases a year falls in (docs/model.md).

    A string enum: each member equals its value, so it compares with plain strings.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> fo.Scenario("deficit") is fo.Scenario.DEFICIT
    True
    >>> result = fo.allocate(fo.example_units(), fo.Parameters(budget=30_000_000))  # kronor
    >>> result.scenario, result.scenario == "surplus"
    (<Scenario.SURPLUS: 'surplus'>, True)
    """

    BALANCE = "balance"
    SURPLUS = "surplus"
    DEFICIT = "deficit"


@dataclass(frozen=True)
class Quantities:
    """Per-unit model quantities, kronor unless stated; arrays of shape (n,).

    Attributes
    ----------
    share_population, share_support : numpy.ndarray
        The unit's share of the national population 16–64 and support measure.
    key : numpy.ndarray
        Weighted need key; sums to 1.
    ideal : numpy.ndarray
        Ideal allocation I = b + (B − N·b)·key; sums to the budget.
    cap : numpy.ndarray
        Matching cap u = min(requested, 2·min(municipal, regional)); ``inf`` if none.
    floor : numpy.ndarray
        Floor l = min((1 − d)·previous, u); 0 for a new unit.
    capped : numpy.ndarray
        Capped ideal m = min(I, u).
    target : numpy.ndarray
        Target t = max(m, l).
    previous : numpy.ndarray
        Last year's allocation, 0 for a new unit.
    new : numpy.ndarray
        Boolean: the unit has no previous allocation.
    base : numpy.ndarray
        The base amount as far as the cap allows, min(b, u).
    excess_equity : numpy.ndarray or None
        Equity above the staircase level, E_i; None without a staircase.
    equity_exempt : numpy.ndarray or None
        Boolean: the unit lost its floor to excess equity and the floor would have
        lifted it above its capped ideal (``equity_floor='always'``, docs/model.md);
        None without a staircase or under another ``equity_floor``.
    """

    share_population: np.ndarray
    share_support: np.ndarray
    key: np.ndarray
    ideal: np.ndarray
    cap: np.ndarray
    floor: np.ndarray
    capped: np.ndarray
    target: np.ndarray
    previous: np.ndarray
    new: np.ndarray
    base: np.ndarray
    excess_equity: np.ndarray | None = field(default=None)
    equity_exempt: np.ndarray | None = field(default=None)

    @property
    def protected(self) -> np.ndarray:
        """Boolean: the floor lifts the unit above its capped ideal (t > m)."""
        return self.target > self.capped


def compute_quantities(units: UnitTable, params: Parameters) -> Quantities:
    """Compute every per-unit quantity of docs/model.md from validated data.

    The formula constants may also be arrays of shape (variants, 1), and the unit
    data arrays of shape (variants, units), in which case every quantity
    broadcasts to (variants, units) (used by the batch solver and forecasts).
    """
    # Summed along the last axis, so unit data of shape (variants, units) works as well.
    share_population = units.population / units.population.sum(axis=-1, keepdims=True)
    share_support = units.support_measure / units.support_measure.sum(axis=-1, keepdims=True)
    key = params.weight_population * share_population + params.weight_support * share_support
    distributable = params.budget - units.size * params.base_amount
    ideal = params.base_amount + distributable * key
    cap = np.minimum(units.requested, 2.0 * np.minimum(units.municipal_match, units.regional_match))
    new = units.is_new
    previous = np.where(new, 0.0, units.previous_allocation)
    floor = np.minimum((1.0 - params.decrease_limit) * previous, cap)
    capped = np.minimum(ideal, cap)
    excess, exempt = None, None
    if params.staircase is not None:
        excess = units.excess_equity(params)
        if params.equity_floor == "always":
            # "omfattas inte av 10-procentspärren": no floor for a unit with excess equity.
            exempt = (excess > 0) & (floor > capped)
            floor = np.where(excess > 0, 0.0, floor)
    return Quantities(
        share_population=share_population,
        share_support=share_support,
        key=key,
        ideal=ideal,
        cap=cap,
        floor=floor,
        capped=capped,
        target=np.maximum(capped, floor),
        previous=previous,
        new=new,
        base=np.minimum(params.base_amount, cap),
        excess_equity=excess,
        equity_exempt=exempt,
    )


def scenario_of(total_target: float, budget: float) -> Scenario:
    """Classify a year by the total of targets S against the budget B (docs/model.md).

    Balance when ``|S − B| ≤`` :data:`BALANCE_TOLERANCE` (1 kr, on both sides),
    deficit when S exceeds B by more, surplus when S falls short by more.
    """
    if total_target > budget + BALANCE_TOLERANCE:
        return Scenario.DEFICIT
    if total_target < budget - BALANCE_TOLERANCE:
        return Scenario.SURPLUS
    return Scenario.BALANCE
