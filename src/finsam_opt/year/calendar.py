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
from finsam_opt.io.numbers import parse_date
from finsam_opt.language.words import round_name, say

__all__ = [
    "ROUND_CALENDAR",
    "Late",
    "RoundDates",
    "as_date",
    "opening",
    "round_dates",
    "week_42_friday",
]


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


def opening(name: str, year: int) -> dt.date:
    """The first day round ``name`` of allocation year ``year`` can be run or sent input:
    1 June of Y − 1 for the rounds of the autumn, 1 January of Y for the spring round.

    Examples
    --------
    >>> opening("revised", 2027).isoformat(), opening("surplus", 2027).isoformat()
    ('2026-06-01', '2027-01-01')
    """
    return dt.date(year, 1, 1) if name == "surplus" else dt.date(year - 1, 6, 1)


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
        raise InputError(
            f"round {name!r} has no place in the calendar (rounds: {known})",
            sv=f"omgången {name!r} finns inte i kalendern (omgångarna: {known})",
        )
    return _dates(name, year)


def as_date(value: object, what: str) -> dt.date:
    """A date from a :class:`datetime.date`, a datetime or a text ``'2026-09-30'`` (also with
    a time), as the date columns of files are read (:func:`finsam_opt.io.numbers.parse_date`)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    day = parse_date(str(value))
    if day is None:
        raise InputError(
            f"{what} must be a date (e.g. 2026-09-30), got {value!r}",
            sv=f"{what} måste vara ett datum (till exempel 2026-09-30), inte {value!r}",
            column=what,
        )
    return day


@dataclass(frozen=True)
class Late:
    """Something a round got after its deadline: the round itself, or one unit's answer.

    Attributes
    ----------
    round : str
        The round (one of :data:`ROUND_CALENDAR`).
    day : datetime.date
        The day the round was run, or the date of the answer or application.
    deadline : datetime.date
        The round's due date, or the deadline of what the unit sent.
    unit : str or None
        The unit whose answer (in the spring: application) was late; None when
        the round itself was run after its due date.

    Examples
    --------
    >>> import datetime as dt
    >>> import finsam_opt as fo
    >>> late = fo.Late("second_preliminary", dt.date(2026, 9, 4), dt.date(2026, 8, 31), "Ale")
    >>> late.days
    4
    >>> late.text("sv")
    'Ale: svaret är daterat 2026-09-04, 4 dagar efter sista dag 2026-08-31 (andra preliminära fördelningen)'
    >>> late.text("en")
    'Ale: answer dated 2026-09-04, 4 days after the deadline 2026-08-31 (second preliminary allocation)'
    """  # noqa: E501

    round: str
    day: dt.date
    deadline: dt.date
    unit: str | None = None

    @property
    def days(self) -> int:
        """How many days after the deadline."""
        return (self.day - self.deadline).days

    def text(self, language: str = "sv") -> str:
        """One sentence on what was late, in ``language`` (``'sv'`` or ``'en'``)."""
        if self.unit is None:
            key = "late_round"
        else:
            key = "late_application" if self.round == "surplus" else "late_answer"
        return say(
            key,
            language,
            round=round_name(self.round, language),
            unit=self.unit,
            day=self.day.isoformat(),
            deadline=self.deadline.isoformat(),
            days=say("one_day", language)
            if self.days == 1
            else say("days", language, count=self.days),
        )

    def to_json(self) -> dict[str, str | None]:
        """The record as JSON-able values (dates as ISO texts), as a saved year keeps it."""
        return {
            "round": self.round,
            "day": self.day.isoformat(),
            "deadline": self.deadline.isoformat(),
            "unit": self.unit,
        }

    @classmethod
    def from_json(cls, entry: object) -> Late:
        """The record :meth:`to_json` wrote; anything else is an error."""
        if not isinstance(entry, dict) or not {"round", "day", "deadline"} <= entry.keys():
            raise InputError(
                f"a record of something late must name its round, day and deadline, got "
                f"{entry!r} (a year saved by an earlier version: run the round again)",
                sv=f"en uppgift om något försenat måste ange omgång, dag och sista dag, inte "
                f"{entry!r} (ett år sparat av en äldre version: kör omgången igen)",
            )
        unit = entry.get("unit")
        return cls(
            str(entry["round"]),
            as_date(entry["day"], "day"),
            as_date(entry["deadline"], "deadline"),
            None if unit is None else str(unit),
        )
