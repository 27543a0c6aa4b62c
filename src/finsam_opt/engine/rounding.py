"""Rounding decided amounts to whole kronor (or a chosen unit) by largest remainder (§8).

The contract (MODEL.md §8, §9 invariant 8):

- the rounded total is the largest multiple of the rounding unit not above
  ``min(limit, round(exact total))`` — never above the money available;
- no amount is rounded above ⌊cap⌋, and none below ⌈floor⌉ where its exact
  amount lies at or above its floor;
- every amount moves by less than one rounding unit, except when more floors
  must be rounded up than the total allows: then as many amounts with room
  above their floor give one unit more (they move by less than two units);
- what the caps leave unplaced stays unallocated (the caller reports
  ``limit − Σ rounded``), never lost.

It runs in O(n): the units rounded up are chosen by :func:`numpy.argpartition`
on the remainders, and only the remainders tied at the boundary are sorted,
by unit id, so the result never depends on row order.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = ["id_ranks", "round_largest_remainder", "round_rows"]

_SNAP = 1e-6  # fractions of a rounding unit closer than this to a whole are float noise
_DIGITS = 6  # remainders are compared to this many decimals: nearer ones tie, broken by id
_FLOOR_NOISE = 1e-9  # kronor, relative: an amount this close under its floor is at it


def round_largest_remainder(
    amounts: np.ndarray,
    unit: int,
    *,
    limit: float,
    cap: np.ndarray,
    floor: np.ndarray,
    ids: pd.Index,
) -> np.ndarray:
    """Round amounts to multiples of ``unit``, keeping the total and the bounds (MODEL.md §8).

    Every amount is rounded down, then the rounded-down total is topped up one
    ``unit`` at a time to the rounded total ``T`` (the largest multiple of ``unit``
    not above ``min(limit, round(Σ amounts))``): first to the amounts whose rounding
    down would fall below their floor, then to the largest remainders, ties by
    unit id. An amount whose rounding up would exceed its cap is never rounded
    up; when too few amounts can go up, the total falls short of ``T`` and the
    difference stays unallocated.

    Parameters
    ----------
    amounts : numpy.ndarray
        Exact amounts, kronor, shape (n,), ≥ 0.
    unit : int
        Rounding unit, kronor (1 for whole kronor, 1 000 for tkr).
    limit : float
        The money available, kronor: the rounded total never exceeds it.
    cap, floor : numpy.ndarray
        Per-unit cap and floor, kronor, shape (n,); ``inf`` and 0 for none. The
        floor binds only where the exact amount is at or above it.
    ids : pandas.Index
        The unit ids, shape (n,): equal remainders are rounded up in the order of
        ``str(id)``, so the result does not depend on row order.

    Returns
    -------
    numpy.ndarray
        int64 amounts, multiples of ``unit``; each within one ``unit`` of the exact one.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from finsam_opt.engine.rounding import round_largest_remainder
    >>> amounts = np.array([10_000_300.0, 10_000_300.0])
    >>> round_largest_remainder(amounts, 1000, limit=20_000_600, cap=np.full(2, np.inf),
    ...                         floor=np.zeros(2), ids=pd.Index(["A", "B"])).tolist()
    [10000000, 10000000]
    """
    n = len(amounts)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    scaled = amounts / unit
    down = np.floor(scaled)
    # The exact total, rounded to the krona: Σ of whole units (exact in int64) plus the
    # Σ of remainders (numpy's pairwise sum; no math.fsum over millions of floats).
    whole = int(down.astype(np.int64).sum())
    fraction_total = float((scaled - down).sum()) * unit
    exact_total = whole * unit + math.floor(round(fraction_total, _DIGITS) + 0.5)
    target = min(math.floor(limit), exact_total) // unit  # in units
    # Float noise just under a whole unit counts as the whole (unless the cap forbids it).
    up = down + 1.0
    snap = (up - scaled < _SNAP) & (up * unit <= cap)
    down[snap] = up[snap]
    del up
    remainder = np.round(scaled - down, _DIGITS)
    np.maximum(remainder, 0.0, out=remainder)
    del scaled
    needed = target - int(down.astype(np.int64).sum())
    keeps_floor = amounts >= floor - _FLOOR_NOISE * (np.abs(floor) + 1.0)
    if needed < 0:  # only when the exact amounts overspend the limit by float noise
        _round_some_down(down, remainder, -needed, keeps_floor, unit, floor, ids)
    else:
        _round_some_up(down, remainder, needed, keeps_floor, unit, cap, floor, ids)
    return (down * unit).astype(np.int64)


def _round_some_up(
    down: np.ndarray,
    remainder: np.ndarray,
    needed: int,
    keeps_floor: np.ndarray,
    unit: int,
    cap: np.ndarray,
    floor: np.ndarray,
    ids: pd.Index,
) -> None:
    """Add one unit to ``needed`` amounts of ``down`` in place (fewer if the caps block).

    Amounts that must go up to keep their floor go first. When they outnumber the
    slots, the rest of them still go up and as many other amounts (with room above
    their own floor, smallest remainders first) give one more unit: the floor is a
    rule, moving by less than one unit is only a nicety.
    """
    candidates = np.flatnonzero((remainder > 0) & ((down + 1.0) * unit <= cap))
    must = (down[candidates] * unit < np.ceil(floor[candidates] - _SNAP)) & keeps_floor[candidates]
    forced, free = candidates[must], candidates[~must]
    if len(forced) <= needed:
        down[np.concatenate((forced, _largest(free, remainder, needed - len(forced), ids)))] += 1.0
        return
    donors = _with_room(down, keeps_floor, unit, floor, exclude=forced)
    paid = min(len(forced) - needed, len(donors))
    down[_largest(forced, remainder, needed + paid, ids)] += 1.0
    down[_largest(donors, 1.0 - remainder, paid, ids)] -= 1.0


def _round_some_down(
    down: np.ndarray,
    remainder: np.ndarray,
    excess: int,
    keeps_floor: np.ndarray,
    unit: int,
    floor: np.ndarray,
    ids: pd.Index,
) -> None:
    """Take one unit from ``excess`` amounts of ``down`` in place: from amounts with room
    above their floor first, smallest remainders first."""
    donors = _with_room(down, keeps_floor, unit, floor, exclude=np.zeros(0, dtype=np.intp))
    closeness = 1.0 - remainder
    chosen = _largest(donors, closeness, excess, ids)
    if len(chosen) < excess:
        others = np.setdiff1d(np.flatnonzero(down >= 1.0), donors, assume_unique=True)
        chosen = np.concatenate((chosen, _largest(others, closeness, excess - len(chosen), ids)))
    down[chosen] -= 1.0


def _with_room(
    down: np.ndarray, keeps_floor: np.ndarray, unit: int, floor: np.ndarray, exclude: np.ndarray
) -> np.ndarray:
    """Amounts that can give one more unit without falling below a floor they keep."""
    room = (down >= 1.0) & ~(keeps_floor & ((down - 1.0) * unit < np.ceil(floor - _SNAP)))
    room[exclude] = False
    return np.flatnonzero(room)


def _largest(candidates: np.ndarray, key: np.ndarray, k: int, ids: pd.Index) -> np.ndarray:
    """The ``k`` candidates with the largest ``key``, ties broken by ``str(id)``.

    A partition finds the k-th largest key; only the candidates tied with it are
    sorted (by id), so the cost is O(n) plus the size of that tie.
    """
    if k <= 0:
        return candidates[:0]
    if k >= len(candidates):
        return candidates
    values = key[candidates]
    boundary = values[np.argpartition(-values, k - 1)[k - 1]]
    above = candidates[values > boundary]
    tied = candidates[values == boundary]
    names = ids[tied].astype(str).to_numpy()
    tied = tied[np.argsort(names, kind="stable")[: k - len(above)]]
    return np.concatenate((above, tied))


def round_rows(
    amounts: np.ndarray,
    unit: int,
    *,
    cap: np.ndarray,
    floor: np.ndarray,
    tiebreak: np.ndarray,
) -> np.ndarray:
    """Largest remainder of every row of ``amounts``, shape (variants, n), at once.

    Each row is rounded down and topped up to its rounded exact total, amounts at a
    fractional floor first, never above a cap (the forecast's many futures). Unlike
    :func:`round_largest_remainder` it takes no limit and no amount gives more than
    its remainder for another's floor.

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
