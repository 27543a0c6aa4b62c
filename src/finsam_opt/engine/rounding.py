"""Rounding decided amounts to whole kronor (or a chosen unit) by largest remainder (§8)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = ["id_ranks", "round_largest_remainder"]

_SNAP = 1e-6  # fractions of a rounding unit closer than this to a whole are float noise


def round_largest_remainder(
    amounts: np.ndarray,
    unit: int,
    *,
    cap: np.ndarray,
    floor: np.ndarray,
    tiebreak: np.ndarray,
) -> np.ndarray:
    """Round amounts to multiples of ``unit`` keeping the total.

    Every amount is rounded down, then the rounded-down total is topped up to the
    rounded exact total one ``unit`` at a time, to the largest remainders first.
    An amount whose rounding down would fall below its floor goes first; one whose
    rounding up would exceed its cap is never rounded up (the matching law wins
    over the total in that rare case, and the total then falls short).

    Parameters
    ----------
    amounts : numpy.ndarray
        Exact amounts, kronor, shape (n,), ≥ 0.
    unit : int
        Rounding unit, kronor (1 for whole kronor, 1 000 for tkr).
    cap, floor : numpy.ndarray
        Per-unit cap and floor, kronor, shape (n,).
    tiebreak : numpy.ndarray
        Integer rank per unit that orders equal remainders (e.g. the rank of the
        unit id), so the result does not depend on row order.

    Returns
    -------
    numpy.ndarray
        int64 amounts, multiples of ``unit``; each within one ``unit`` of the exact one.
    """
    scaled = amounts / unit
    nearest = np.round(scaled)
    scaled = np.where(np.abs(scaled - nearest) < _SNAP, nearest, scaled)
    down = np.floor(scaled)
    remainder = np.round(scaled - down, 6)
    total = math.floor(round(math.fsum(scaled), 6) + 0.5)
    needed = int(total - down.sum())
    fraction = remainder > 0
    blocked = fraction & ((down + 1) * unit > cap)
    forced = fraction & ~blocked & (down * unit < floor) & (amounts >= floor)
    candidates = np.flatnonzero(fraction & ~blocked)
    order = np.lexsort((tiebreak[candidates], -remainder[candidates], ~forced[candidates]))
    rounded = down.copy()
    rounded[candidates[order[:needed]]] += 1
    return (rounded * unit).astype(np.int64)


def id_ranks(ids: pd.Index) -> np.ndarray:
    """Rank of each unit id in sorted order: a tiebreak that never depends on row order."""
    keys = ids.astype(str).to_numpy()
    ranks = np.empty(len(keys), dtype=np.int64)
    ranks[np.argsort(keys, kind="stable")] = np.arange(len(keys))
    return ranks
