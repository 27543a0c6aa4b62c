"""Re-check a solved allocation against the model's constraints before it is returned.

Never trust a solver: whatever backend produced the amounts, they must keep the
matching law, the budget and the solved phase's bounds, and an LP's own point
must agree with the exact recovery from its λ.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from finsam_opt.engine.damping import Phase
from finsam_opt.engine.model import BALANCE_TOLERANCE, Quantities, Scenario
from finsam_opt.errors import VerificationError, describe_units
from finsam_opt.language.numbers import format_number

__all__ = [
    "check_allocation",
    "check_conservation",
    "check_redistribution",
    "check_solver_agreement",
]

_RELATIVE = 1e-9  # of the budget: exact arithmetic leaves far less
_SOLVER_RELATIVE = 1e-6  # of the amount available: an LP's tolerance leaves less


def _fail(ids: pd.Index, broken: np.ndarray, rule: str, rule_sv: str) -> None:
    if broken.any():
        units = list(ids[broken])
        raise VerificationError(
            f"{describe_units(units)}: {rule}", sv=f"{describe_units(units, 'sv')}: {rule_sv}"
        )


def _kr(amount: float) -> str:
    """Kronor and öre, Swedish style."""
    return f"{format_number(amount, 'sv', 2)} kr"


def check_allocation(
    allocation: np.ndarray,
    q: Quantities,
    budget: float,
    scenario: Scenario,
    phase: Phase | None,
    ids: pd.Index,
) -> None:
    """Raise :class:`VerificationError` if ``allocation`` breaks any constraint."""
    tol = _RELATIVE * max(budget, 1.0)
    _fail(
        ids,
        ~np.isfinite(allocation),
        "the allocation is not a finite number",
        "tilldelningen är inte ett ändligt tal",
    )
    _fail(ids, allocation < -tol, "the allocation is negative", "tilldelningen är negativ")
    _fail(
        ids,
        allocation > q.cap,
        "the allocation exceeds the matching cap",
        "tilldelningen är större än taket enligt matchningen",
    )
    total = float(allocation.sum())
    # A balance may overshoot by the scenario tolerance; rounding brings it within B (§8).
    over = budget + tol + (BALANCE_TOLERANCE if scenario is Scenario.BALANCE else 0.0)
    if total > over:
        raise VerificationError(
            f"the allocations sum to {total:,.2f} kr, over the budget",
            sv=f"tilldelningarna blir tillsammans {_kr(total)}, mer än budgeten",
        )
    if phase is None:
        _fail(
            ids,
            np.abs(allocation - q.target) > tol,
            "outside a deficit the allocation must equal the target",
            "utan underskott måste tilldelningen vara lika med målbeloppet",
        )
        return
    if abs(total - budget) > tol:
        raise VerificationError(
            f"in a deficit the allocations must sum to the budget, got {total:,.2f} kr",
            sv=f"vid underskott måste tilldelningarna bli tillsammans lika med budgeten, men "
            f"blev {_kr(total)}",
        )
    _fail(
        ids,
        allocation < phase.lo - tol,
        "the allocation is below the phase's lower bound",
        "tilldelningen är under fasens nedre gräns",
    )
    _fail(
        ids,
        allocation > phase.hi + tol,
        "the allocation is above the phase's upper bound",
        "tilldelningen är över fasens övre gräns",
    )


def check_redistribution(
    granted: np.ndarray,
    application: np.ndarray,
    available: float,
    phase: Phase | None,
    ids: pd.Index,
) -> None:
    """Raise :class:`VerificationError` if a surplus round breaks docs/model.md.

    ``0 ≤ y ≤ a``, ``Σ y ≤ L``; ``y = a`` when nothing was rationed; when a phase
    was solved, its bounds hold and it spends all it can (L, or less only when
    every unit it can raise is full).
    """
    tol = _RELATIVE * max(available, 1.0)
    _fail(
        ids,
        ~np.isfinite(granted),
        "the granted amount is not a finite number",
        "det beviljade beloppet är inte ett ändligt tal",
    )
    _fail(
        ids, granted < -tol, "the granted amount is negative", "det beviljade beloppet är negativt"
    )
    _fail(
        ids,
        granted > application + tol,
        "the granted amount exceeds the application",
        "det beviljade beloppet är större än ansökan",
    )
    total = float(granted.sum())
    if total > available + tol:
        raise VerificationError(
            f"the granted amounts sum to {total:,.2f} kr, over the {available:,.2f} kr available",
            sv=f"de beviljade beloppen blir tillsammans {_kr(total)}, mer än de {_kr(available)} "
            "som finns att fördela",
        )
    if phase is None:
        _fail(
            ids,
            np.abs(granted - application) > tol,
            "the applications fit, yet the unit was not granted its application",
            "ansökningarna ryms, men förbundet beviljades inte hela sin ansökan",
        )
        return
    _fail(
        ids,
        granted < phase.lo - tol,
        "the granted amount is below the phase's lower bound",
        "det beviljade beloppet är under fasens nedre gräns",
    )
    _fail(
        ids,
        granted > phase.hi + tol,
        "the granted amount is above the phase's upper bound",
        "det beviljade beloppet är över fasens övre gräns",
    )
    reachable = float(np.where(phase.movable, phase.hi, phase.lo).sum())
    if total < min(available, reachable) - tol:
        raise VerificationError(
            f"the surplus round left {available - total:,.2f} kr unallocated that it could "
            "have granted",
            sv=f"omgången för ofördelade medel lämnade {_kr(available - total)} ofördelat som "
            "den kunde ha beviljat",
        )


def check_solver_agreement(
    solver: str, own: np.ndarray, exact: np.ndarray, available: float, ids: pd.Index
) -> None:
    """Raise if a backend's own allocation strays from the exact one recovered from its λ."""
    gap = np.abs(own - exact)
    _fail(
        ids,
        gap > _SOLVER_RELATIVE * max(available, 1.0),
        f"solver {solver!r} returned a point that differs from the exact solution at its "
        f"rate by up to {gap.max():,.2f} kr",
        f"lösaren {solver!r} gav en lösning som skiljer sig från den exakta lösningen vid "
        f"samma tal med upp till {_kr(float(gap.max()))}",
    )


_CONSERVED = 0.005  # kronor: half an öre


def check_conservation(
    budget: float,
    decided_total: float,
    returned: np.ndarray,
    granted: np.ndarray,
    unallocated: float,
) -> None:
    """Raise unless money is conserved to the krona (docs/surplus.md):
    Σ decided − Σ returned + Σ granted + unallocated = budget, kronor."""
    total = math.fsum([decided_total, -math.fsum(returned), math.fsum(granted), unallocated])
    if abs(total - budget) > _CONSERVED:
        raise VerificationError(
            f"money is not conserved: decided {decided_total:,.2f} − returned "
            f"{math.fsum(returned):,.2f} + granted {math.fsum(granted):,.2f} + unallocated "
            f"{unallocated:,.2f} = {total:,.2f} kr, not the budget {budget:,.2f} kr",
            sv=f"pengarna går inte jämnt ut: beslutat {_kr(decided_total)} − återlämnat "
            f"{_kr(math.fsum(returned))} + beviljat {_kr(math.fsum(granted))} + ofördelat "
            f"{_kr(unallocated)} = {_kr(total)}, inte budgeten {_kr(budget)}",
        )
