"""Diagnostics of one allocation: the figures analysts compare between policies.

Everything is computed from the result's decision table, so it describes the
allocation exactly as decided (exact amounts, not the rounded ones).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from finsam_opt.engine.result import Allocation

__all__ = ["Diagnostics", "diagnose", "population_weighted_gini"]

_HALF_KRONA = 0.5
# Float sums of the same amounts taken in another order differ in the last bits
# (1e-8 kr at 339 Mkr); sums below half an öre are reported as exactly 0.
_HALF_ORE = 0.005


@dataclass(frozen=True)
class Diagnostics:
    """What an allocation did, in figures (kronor unless stated).

    Attributes
    ----------
    scenario : str
        ``'balance'``, ``'surplus'`` or ``'deficit'``.
    policy : str
        The deficit policy's name.
    budget : float
        The budget B.
    allocated : float
        Σ x, the exact allocations.
    allocated_rounded : int
        Σ of the decided (rounded) amounts, kronor.
    unallocated : float
        B − Σ decided (*ofördelade medel*), as :attr:`Allocation.unallocated`:
        ``allocated_rounded + unallocated = budget``.
    balancing_scalar : float
        The damping rate λ* (0 outside a deficit).
    decrease_limit : float or None
        The effective decrease limit (``None`` when the policy relaxed floors unevenly).
    phase : int or None
        The policy phase that was solved (1-based; None outside a deficit). The
        balancing scalars of different phases are not on one scale.
    units, at_ideal, at_cap, at_floor, relaxed, scaled, at_base, new : int
        Number of units in all, and by their ``binding`` rule: at their ideal
        (``ideal`` or ``new``), held at their cap, lifted to their floor, below
        their floor (``relaxed-floor``), gain scaled down, cut to the base amount.
        These six counts add up to ``units``. ``new`` counts units without a
        previous allocation, whatever their binding.
    protected : int
        Units whose floor lifts them above their capped ideal (t > m).
    below_floor : int
        Units given less than their floor (by more than half a krona). Unlike
        ``relaxed`` this includes units relaxed all the way down to their ideal,
        whose ``binding`` is ``ideal``.
    floor_cost : float
        The cost of the floor, Σ (t − m): what the targets exceed the capped ideals by.
    floor_paid : float
        Σ (x − m) over protected units: how much of that cost the allocation paid.
    floor_relaxed : float
        ``floor_cost − floor_paid``: the part not paid because floors were relaxed.
        Here and in ``floor_paid`` and ``cut_below_capped``, a sum below half an
        öre is floating-point noise and reported as exactly 0.
    cut_below_capped : float
        Σ max(m − x, 0) over units that were not protected: what other units gave
        up below their capped ideal (how ``scale-gains`` pays the floor).
    deviation_l1 : float
        Σ |x − I|, the total distance from the ideal allocation.
    deviation_max_relative : float
        max |x − I| / I over units.
    deviation_max_unit : hashable
        The unit with that largest relative deviation.
    gini_per_inhabitant : float
        Gini coefficient of the allocation per inhabitant aged 16–64, weighting
        every unit by its population (units with no inhabitants are left out); 0
        means every inhabitant's area gets the same amount per head.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> d = fo.diagnose(fo.allocate(fo.example_units(), fo.Parameters(budget=20_000_000)))
    >>> d.scenario, d.at_ideal, d.at_cap, d.relaxed, d.new, d.below_floor
    ('deficit', 3, 1, 1, 1, 2)
    >>> round(d.floor_cost), round(d.floor_paid), round(d.floor_relaxed)
    (2247368, 986842, 1260526)
    """

    scenario: str
    policy: str
    budget: float
    allocated: float
    allocated_rounded: int
    unallocated: float
    balancing_scalar: float
    decrease_limit: float | None
    phase: int | None
    units: int
    at_ideal: int
    at_cap: int
    at_floor: int
    relaxed: int
    scaled: int
    at_base: int
    new: int
    protected: int
    below_floor: int
    floor_cost: float
    floor_paid: float
    floor_relaxed: float
    cut_below_capped: float
    deviation_l1: float
    deviation_max_relative: float
    deviation_max_unit: Hashable
    gini_per_inhabitant: float

    def to_dict(self) -> dict[str, object]:
        """The figures as a flat ``{name: value}`` dict, in field order."""
        return asdict(self)

    def to_frame(self) -> pd.DataFrame:
        """The figures as a one-column table (index: figure name, column ``value``)."""
        items = self.to_dict()
        return pd.DataFrame({"value": list(items.values())}, index=pd.Index(items, name="figure"))


def diagnose(result: Allocation) -> Diagnostics:
    """Diagnostics of an allocation result.

    Parameters
    ----------
    result : Allocation
        What :func:`finsam_opt.allocate` returned.

    Returns
    -------
    Diagnostics

    Examples
    --------
    >>> import finsam_opt as fo
    >>> result = fo.allocate(fo.example_units(), fo.Parameters(budget=20_000_000))
    >>> d = fo.diagnose(result)
    >>> f"{d.decrease_limit:.2%}", d.deviation_max_unit, f"{d.deviation_max_relative:.1%}"
    ('24.69%', 'C', '28.3%')
    """
    t = result.table
    x = t["allocation"].to_numpy(dtype=float)
    ideal = t["ideal"].to_numpy(dtype=float)
    capped = t["capped"].to_numpy(dtype=float)
    target = t["target"].to_numpy(dtype=float)
    protected = t["protected"].to_numpy(dtype=bool)
    binding = t["binding"].to_numpy()
    floor_cost = float((target - capped).sum())
    floor_relaxed = _zero_if_noise(
        floor_cost - _zero_if_noise(float((x - capped)[protected].sum()))
    )
    relative = np.abs(x - ideal) / ideal
    worst = int(np.argmax(relative))
    count = lambda *rules: int(np.isin(binding, rules).sum())  # noqa: E731
    return Diagnostics(
        scenario=str(result.scenario),
        policy=result.policy,
        budget=float(result.parameters.budget),
        allocated=float(x.sum()),
        allocated_rounded=result.rounded_total,
        unallocated=float(result.unallocated),
        balancing_scalar=float(result.balancing_scalar),
        decrease_limit=result.decrease_limit,
        phase=result.phase,
        units=len(t),
        at_ideal=count("ideal", "new"),
        at_cap=count("cap"),
        at_floor=count("floor"),
        relaxed=count("relaxed-floor"),
        scaled=count("scaled"),
        at_base=count("base"),
        new=int(t["new"].sum()),
        protected=int(protected.sum()),
        below_floor=int((x < t["floor"].to_numpy(dtype=float) - _HALF_KRONA).sum()),
        floor_cost=floor_cost,
        floor_paid=floor_cost - floor_relaxed,
        floor_relaxed=floor_relaxed,
        cut_below_capped=_zero_if_noise(float(np.maximum(capped - x, 0.0)[~protected].sum())),
        deviation_l1=float(np.abs(x - ideal).sum()),
        deviation_max_relative=float(relative[worst]),
        deviation_max_unit=t.index[worst],
        gini_per_inhabitant=population_weighted_gini(x, t["population"].to_numpy(dtype=float)),
    )


def population_weighted_gini(amounts: np.ndarray, population: np.ndarray) -> float:
    """Gini coefficient of ``amounts / population`` across inhabitants.

    Every unit's amount per head counts once per inhabitant, so the value is the
    Gini of what each inhabitant's area receives per head. Units with no
    population are left out.

    Parameters
    ----------
    amounts : numpy.ndarray
        Kronor per unit, shape (n,), ≥ 0.
    population : numpy.ndarray
        Inhabitants per unit, shape (n,), ≥ 0 with a positive total.

    Returns
    -------
    float
        In [0, 1); 0 when every inhabitant's area gets the same per head.

    Examples
    --------
    >>> import numpy as np
    >>> population_weighted_gini(np.array([10.0, 20.0]), np.array([1.0, 2.0]))
    0.0
    >>> round(population_weighted_gini(np.array([0.0, 10.0]), np.array([1.0, 1.0])), 3)
    0.5
    """
    keep = population > 0
    per_head = amounts[keep] / population[keep]
    weight = population[keep]
    order = np.argsort(per_head, kind="stable")
    y, w = per_head[order], weight[order]
    mean = float((w * y).sum() / w.sum())
    if mean <= 0:
        return 0.0
    # Area under the Lorenz curve by trapezoids over population shares.
    share_pop = w / w.sum()
    lorenz = np.cumsum(w * y) / (w * y).sum()
    lorenz_before = np.concatenate(([0.0], lorenz[:-1]))
    return float(1.0 - (share_pop * (lorenz + lorenz_before)).sum())


def _zero_if_noise(amount: float) -> float:
    """``amount`` kronor, or 0.0 when it is below half an öre (float-sum noise)."""
    return 0.0 if abs(amount) < _HALF_ORE else amount
