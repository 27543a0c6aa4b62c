"""The calendar of an allocation year (docs/process.md): when each round runs, what it waits for.

For allocation year Y (seeds ``000``, ``002`` and, for the spring, ``004``):

============================  ==========================  ==============================
round                         due (the round is run by)   units' input due
============================  ==========================  ==============================
``preliminary``               30 June Y−1                 —
``second_preliminary``        30 September Y−1            31 August Y−1 (the answers)
``revised``                   31 October Y−1              Friday of week 42, Y−1
``final``                     31 December Y−1             Friday of week 42, Y−1
``surplus``                   30 June Y                   31 May Y (the applications)
============================  ==========================  ==============================

The sources give the input deadlines (31 August, "vecka 42", 31 May) and the
months of the rounds ("juni", "slutet av september", after the budget bill);
the day each round is due is a choice made here: the last day of the month the
sources name, and for the final decision the end of the year before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from finsam_opt.errors import InputError

__all__ = ["ROUND_CALENDAR", "RoundDates", "as_date", "round_dates", "week_42_friday"]


@dataclass(frozen=True)
class RoundDates:
    """When one round of allocation year ``year`` is due, and its units' input.

    Attributes
    ----------
    due : datetime.date
        The day the round is to be run by.
    input_due : datetime.date or None
        The deadline for what the units send into the round (answers,
        applications); None for June's round, which needs nothing from them.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> dates = fo.round_dates("second_preliminary", 2027)
    >>> dates.due.isoformat(), dates.input_due.isoformat()
    ('2026-09-30', '2026-08-31')
    """

    due: dt.date
    input_due: dt.date | None


def week_42_friday(year: int) -> dt.date:
    """The Friday of ISO week 42 of ``year``: the last day for new information in autumn.

    Examples
    --------
    >>> week_42_friday(2026).isoformat()
    '2026-10-16'
    """
    return dt.date.fromisocalendar(year, 42, 5)


def _dates(name: str, year: int) -> RoundDates:
    before = year - 1
    table = {
        "preliminary": RoundDates(dt.date(before, 6, 30), None),
        "second_preliminary": RoundDates(dt.date(before, 9, 30), dt.date(before, 8, 31)),
        "revised": RoundDates(dt.date(before, 10, 31), week_42_friday(before)),
        "final": RoundDates(dt.date(before, 12, 31), week_42_friday(before)),
        "surplus": RoundDates(dt.date(year, 6, 30), dt.date(year, 5, 31)),
    }
    return table[name]


ROUND_CALENDAR: tuple[str, ...] = (
    "preliminary",
    "second_preliminary",
    "revised",
    "final",
    "surplus",
)
"""The rounds that have a place in the calendar, in order."""


def round_dates(name: str, year: int) -> RoundDates:
    """The due date of round ``name`` of allocation year ``year`` and its input deadline.

    Parameters
    ----------
    name : str
        One of :data:`ROUND_CALENDAR`.
    year : int
        The allocation year Y (the rounds before the spring run in Y − 1).

    Returns
    -------
    RoundDates

    Examples
    --------
    >>> import finsam_opt as fo
    >>> fo.round_dates("surplus", 2027).input_due.isoformat()
    '2027-05-31'
    """
    if name not in ROUND_CALENDAR:
        known = ", ".join(ROUND_CALENDAR)
        raise InputError(f"round {name!r} has no place in the calendar (rounds: {known})")
    return _dates(name, year)


def as_date(value: object, what: str) -> dt.date:
    """A date from a :class:`datetime.date`, a datetime or an ISO text (``'2026-09-30'``)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise InputError(
            f"{what} must be a date (e.g. 2026-09-30), got {value!r}", column=what
        ) from None
