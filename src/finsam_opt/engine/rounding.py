"""Rounding decided amounts to whole kronor (or a chosen unit) by largest remainder (§8).

The contract (docs/model.md):

- the rounded total is the largest multiple of the rounding unit not above
  ``min(limit, round(exact total))`` — never above the money available;
- no amount is rounded above ⌊cap⌋, and none below ⌈floor⌉ where its exact
  amount lies at or above its floor;
- every amount moves by less than one rounding unit. When more floors must be
  rounded up than that total has units for, the total rises by what they need
  (a surplus pays them from what stays unallocated), never above ``limit``;
  only beyond the limit do amounts with room above their floor give one unit
  more (they move by less than two units), and only when too few have room do
  the floors with the smallest remainders fall short (by less than one unit);
- what the caps leave unplaced stays unallocated (the caller reports
  ``limit − Σ rounded``), never lost.

It runs in O(n): the units rounded up are chosen by :func:`numpy.argpartition`
on the remainders, and only the remainders tied at the boundary are sorted,
by unit id, so the result never depends on row order.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd

__all__ = ["effective_floor", "id_ranks", "round_largest_remainder", "round_rows"]

_SNAP = 1e-6  # fractions of a rounding unit closer than this to a whole are float noise
_DIGITS = 6  # remainders are compared to this many decimals: nearer ones tie, broken by id
_FLOOR_NOISE = 1e-9  # kronor, relative: an amount this close under its floor is at it


def effective_floor(floor: np.ndarray, allocation: np.ndarray, line: np.ndarray) -> np.ndarray:
    """The floor after any relaxation (docs/model.md), which rounding must not cross.

    A unit that kept its floor keeps it. A unit whose floor ``raise-limit`` relaxed
    has what the solved phase's line gives it, ``line`` = hi − λ*·w =
    (1 − d − λ*)·prev, so that no rounded decrease exceeds the effective limit the
    result reports. Where no such limit is reported (``line`` −∞), a unit below its
    floor has no floor to keep.

    Examples
    --------
    >>> effective_floor(np.array([900.0, 900.0]), np.array([950.0, 850.5]),
    ...                 np.array([1000.0, 850.5])).tolist()
    [900.0, 850.5]
    """
    line = np.maximum(line, 0.0)
    return np.where(allocation >= floor, floor, np.minimum(line, allocation))


def round_largest_remainder(
    amounts: np.ndarray,
    unit: int,
    *,
    limit: float,
    cap: np.ndarray,
    floor: np.ndarray,
    ids: pd.Index,
) -> np.ndarray:
    """Round amounts to multiples of ``unit``, keeping the total and the bounds (docs/model.md).

    Every amount is rounded down, then the rounded-down total is topped up one
    ``unit`` at a time to the rounded total ``T`` (the largest multiple of ``unit``
    not above ``min(limit, round(Σ amounts))``): first to the amounts whose rounding
    down would fall below their floor, then to the largest remainders, ties by
    unit id. An amount whose rounding up would exceed its cap is never rounded
    up; when too few amounts can go up, the total falls short of ``T`` and the
    difference stays unallocated. When the floors need more units than ``T``
    has, the total rises above ``T`` as far as ``limit`` allows (see the module's
    contract).

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
    if len(amounts) == 0:
        return np.zeros(0, dtype=np.int64)
    names = ids.to_numpy()
    return _round_row(amounts, unit, limit, cap, floor, lambda i: np.asarray(names[i], dtype=str))


TieKey = Callable[[np.ndarray], np.ndarray]
"""Sortable keys of the given unit positions: equal remainders go up in their order."""


def _round_row(
    amounts: np.ndarray,
    unit: int,
    limit: float,
    cap: np.ndarray,
    floor: np.ndarray,
    tie: TieKey,
) -> np.ndarray:
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
    rounded_down = int(down.astype(np.int64).sum())
    needed = target - rounded_down
    keeps_floor = amounts >= floor - _FLOOR_NOISE * (np.abs(floor) + 1.0)
    if needed < 0:  # only when the exact amounts overspend the limit by float noise
        _round_some_down(down, remainder, -needed, keeps_floor, unit, floor, tie)
    else:
        room = math.floor(limit) // unit - rounded_down  # units the limit still has
        _round_some_up(down, remainder, needed, room, keeps_floor, unit, cap, floor, tie)
    return (down * unit).astype(np.int64)


def _round_some_up(
    down: np.ndarray,
    remainder: np.ndarray,
    needed: int,
    room: int,
    keeps_floor: np.ndarray,
    unit: int,
    cap: np.ndarray,
    floor: np.ndarray,
    tie: TieKey,
) -> None:
    """Add one unit to ``needed`` amounts of ``down`` in place (fewer if the caps block).

    Amounts that must go up to keep their floor go first. When they outnumber the
    ``needed`` slots, they all go up and the total rises, within the ``room`` units
    the limit has; beyond it, other amounts with room above their own floor give
    one unit each, smallest remainders first: the floor is a rule, moving by less
    than one unit is only a nicety. Should too few have room, the floors with the
    smallest remainders fall short.
    """
    candidates = np.flatnonzero((remainder > 0) & ((down + 1.0) * unit <= cap))
    must = (down[candidates] * unit < np.ceil(floor[candidates] - _SNAP)) & keeps_floor[candidates]
    forced, free = candidates[must], candidates[~must]
    if len(forced) <= needed:
        down[np.concatenate((forced, _largest(free, remainder, needed - len(forced), tie)))] += 1.0
        return
    over = len(forced) - max(room, needed)
    donors = _with_room(down, keeps_floor, unit, floor, exclude=forced)
    paid = min(over, len(donors))
    down[_largest(forced, remainder, len(forced) - (over - paid), tie)] += 1.0
    down[_largest(donors, 1.0 - remainder, paid, tie)] -= 1.0


def _round_some_down(
    down: np.ndarray,
    remainder: np.ndarray,
    excess: int,
    keeps_floor: np.ndarray,
    unit: int,
    floor: np.ndarray,
    tie: TieKey,
) -> None:
    """Take one unit from ``excess`` amounts of ``down`` in place: from amounts with room
    above their floor first, smallest remainders first."""
    donors = _with_room(down, keeps_floor, unit, floor, exclude=np.zeros(0, dtype=np.intp))
    closeness = 1.0 - remainder
    chosen = _largest(donors, closeness, excess, tie)
    if len(chosen) < excess:
        others = np.setdiff1d(np.flatnonzero(down >= 1.0), donors, assume_unique=True)
        chosen = np.concatenate((chosen, _largest(others, closeness, excess - len(chosen), tie)))
    down[chosen] -= 1.0


def _with_room(
    down: np.ndarray, keeps_floor: np.ndarray, unit: int, floor: np.ndarray, exclude: np.ndarray
) -> np.ndarray:
    """Amounts that can give one more unit without falling below a floor they keep."""
    room = (down >= 1.0) & ~(keeps_floor & ((down - 1.0) * unit < np.ceil(floor - _SNAP)))
    room[exclude] = False
    return np.flatnonzero(room)


def _largest(candidates: np.ndarray, key: np.ndarray, k: int, tie: TieKey) -> np.ndarray:
    """The ``k`` candidates with the largest ``key``, ties broken by ``tie``.

    A partition finds the k-th largest key; only the candidates tied with it are
    sorted (by ``tie``), so the cost is O(n) plus the size of that tie.
    """
    if k <= 0:
        return candidates[:0]
    if k >= len(candidates):
        return candidates
    values = key[candidates]
    boundary = values[np.argpartition(-values, k - 1)[k - 1]]
    above = candidates[values > boundary]
    tied = candidates[values == boundary]
    if len(tied) > k - len(above):  # only a tie cut in two needs the tie keys
        tied = tied[np.argsort(tie(tied), kind="stable")[: k - len(above)]]
    return np.concatenate((above, tied))


def round_rows(
    amounts: np.ndarray,
    unit: int,
    *,
    limit: np.ndarray,
    cap: np.ndarray,
    floor: np.ndarray,
    tiebreak: np.ndarray,
) -> np.ndarray:
    """:func:`round_largest_remainder` of every row of ``amounts``, shape (variants, n).

    The rows where the amounts that must keep their floor fit in the slots (nearly
    all) are rounded at once by one sort of an integer key per amount; the others
    row by row.

    Parameters
    ----------
    amounts : numpy.ndarray
        Exact amounts, kronor, shape (variants, n).
    unit : int
        Rounding unit, kronor.
    limit : numpy.ndarray
        The money available in each row, kronor, shape (variants,).
    cap, floor : numpy.ndarray
        Broadcast to the shape of ``amounts``, kronor.
    tiebreak : numpy.ndarray
        Rank of each unit id in sorted order, shape (n,) (:func:`id_ranks`).

    Returns
    -------
    numpy.ndarray
        int64, shape (variants, n).
    """
    amounts = np.asarray(amounts, dtype=float)
    cap, floor = np.broadcast_to(cap, amounts.shape), np.broadcast_to(floor, amounts.shape)
    scaled = amounts / unit
    down = np.floor(scaled)
    whole = down.astype(np.int64).sum(axis=1)
    fraction = np.round((scaled - down).sum(axis=1) * unit, _DIGITS)
    exact_total = whole * unit + np.floor(fraction + 0.5).astype(np.int64)
    target = np.minimum(np.floor(np.asarray(limit, dtype=float)).astype(np.int64), exact_total)
    up = down + 1.0
    down = np.where((up - scaled < _SNAP) & (up * unit <= cap), up, down)
    remainder = np.maximum(np.round(scaled - down, _DIGITS), 0.0)
    needed = target // unit - down.astype(np.int64).sum(axis=1)
    keeps_floor = amounts >= floor - _FLOOR_NOISE * (np.abs(floor) + 1.0)
    candidate = (remainder > 0) & ((down + 1.0) * unit <= cap)
    forced = candidate & (down * unit < np.ceil(floor - _SNAP)) & keeps_floor
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
    rounded = (down + (candidate & (place < needed[:, None]))) * unit
    # Rows that need more than the slots (floors to pay for, an overspent limit) or whose
    # total sits at a half krona, where sums in another order could round it otherwise.
    odd = (needed < 0) | (forced.sum(axis=1) > needed) | (np.abs(fraction % 1.0 - 0.5) < _SNAP)
    rank = np.asarray(tiebreak)
    for r in np.flatnonzero(odd):
        rounded[r] = _round_row(
            amounts[r], unit, float(limit[r]), cap[r], floor[r], lambda i: rank[i]
        )
    return rounded.astype(np.int64)


def id_ranks(ids: pd.Index) -> np.ndarray:
    """Rank of each unit id in sorted order: a tiebreak that never depends on row order."""
    keys = ids.astype(str).to_numpy()
    ranks = np.empty(len(keys), dtype=np.int64)
    ranks[np.argsort(keys, kind="stable")] = np.arange(len(keys))
    return ranks
