"""Rounding decided amounts to whole kronor (or a chosen unit) by largest remainder (§8)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = ["id_ranks", "round_largest_remainder", "round_rows"]

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
    return round_rows(amounts[None, :], unit, cap=cap, floor=floor, tiebreak=tiebreak)[0]


def round_rows(
    amounts: np.ndarray,
    unit: int,
    *,
    cap: np.ndarray,
    floor: np.ndarray,
    tiebreak: np.ndarray,
) -> np.ndarray:
    """:func:`round_largest_remainder` of every row of ``amounts``, shape (variants, n), at once.

    ``cap`` and ``floor`` have the shape of ``amounts`` (or broadcast to it);
    ``tiebreak`` has shape (n,).
    """
    amounts = np.asarray(amounts, dtype=float)
    scaled = amounts / unit
    nearest = np.round(scaled)
    scaled = np.where(np.abs(scaled - nearest) < _SNAP, nearest, scaled)
    down = np.floor(scaled)
    remainder = np.round(scaled - down, 6)
    total = _rounded_totals(scaled)
    needed = (total - down.sum(axis=1)).astype(np.int64)
    fraction = remainder > 0
    blocked = fraction & ((down + 1) * unit > cap)
    forced = fraction & ~blocked & (down * unit < floor) & (amounts >= floor)
    candidate = fraction & ~blocked
    # One integer key per amount orders as the lexicographic (not a candidate, not forced,
    # −remainder, id rank): remainders have six decimals, ranks fit in 32 bits.
    key = (
        (~candidate).astype(np.int64) << 62
        | (~forced).astype(np.int64) << 61
        | (1_000_000 - np.round(remainder * 1e6).astype(np.int64)) << 32
        | np.broadcast_to(np.asarray(tiebreak, dtype=np.int64), amounts.shape)
    )
    order = np.argsort(key, axis=1, kind="stable")
    place = np.empty_like(order)
    np.put_along_axis(place, order, np.arange(amounts.shape[1])[None, :], axis=1)
    rounded = down + (candidate & (place < needed[:, None]))
    return (rounded * unit).astype(np.int64)


def _rounded_totals(scaled: np.ndarray) -> np.ndarray:
    """``floor(round(fsum(row), 6) + 0.5)`` of every row; numpy's sum is exact enough except
    near a half, where the row is summed again exactly."""
    approx = np.round(scaled.sum(axis=1), 6)
    error = 4 * scaled.shape[1] * np.finfo(float).eps * np.abs(scaled).sum(axis=1) + 1e-6
    total = np.floor(approx + 0.5)
    near_half = np.abs(approx - np.floor(approx) - 0.5) <= error
    for row in np.flatnonzero(near_half):
        total[row] = math.floor(round(math.fsum(scaled[row]), 6) + 0.5)
    return total


def id_ranks(ids: pd.Index) -> np.ndarray:
    """Rank of each unit id in sorted order: a tiebreak that never depends on row order."""
    keys = ids.astype(str).to_numpy()
    ranks = np.empty(len(keys), dtype=np.int64)
    ranks[np.argsort(keys, kind="stable")] = np.arange(len(keys))
    return ranks
