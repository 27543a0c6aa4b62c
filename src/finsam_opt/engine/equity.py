"""Phase E of docs/model.md: in a deficit, excess equity is taken first.

Under ``equity_floor='deficit'`` (the 2019 clarification: equity is considered
only in a surplus or a deficit, "vid behov") a unit whose equity exceeds its
staircase level gives up protection before any floor is relaxed for anyone: at
most ``e_i = min(E_i, t_i − m_i)``, its excess as far as the floor lifts it. The
phase ``(hi = t, lo = t − e, w = e)`` cuts every such unit by the same fraction
of ``e_i``. When it cannot fit, every such unit keeps ``t_i − e_i`` and the
deficit policy runs with that target (and that floor).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from finsam_opt.engine.damping import Phase
from finsam_opt.engine.model import Quantities

__all__ = [
    "EQUITY_PHASE",
    "EQUITY_PHASE_DESCRIPTION",
    "equity_phase",
    "equity_protection",
    "without_protection",
]

EQUITY_PHASE = 0
"""The number by which results report phase E (the policy's own phases count from 1)."""

EQUITY_PHASE_DESCRIPTION = (
    "excess equity first: every unit whose equity exceeds the staircase level gave up the "
    "same fraction of its protection, at most its excess; no floor was relaxed"
)


def equity_protection(q: Quantities, equity_floor: str) -> np.ndarray | None:
    """The most phase E may take from each unit, ``min(E, t − m)``, kronor.

    None when phase E does not apply: another ``equity_floor``, no staircase, or
    no unit whose excess equity meets any protection. Broadcasts over variants.
    """
    if equity_floor != "deficit" or q.excess_equity is None:
        return None
    e = np.minimum(q.excess_equity, q.target - q.capped)
    return e if (e > 0).any() else None


def equity_phase(q: Quantities, e: np.ndarray) -> Phase:
    """Phase E: cut every unit by the same fraction of its ``e``."""
    return Phase(hi=q.target, lo=q.target - e, weight=e)


def without_protection(q: Quantities, e: np.ndarray) -> Quantities:
    """The quantities after phase E took all of ``e``: target and floor fall by it."""
    taken = e > 0
    # t − (t − m) can miss m by float noise; a target below the capped ideal would not be one.
    lowered = np.maximum(q.target - e, q.capped)
    return replace(q, target=lowered, floor=np.where(taken, lowered, q.floor))
