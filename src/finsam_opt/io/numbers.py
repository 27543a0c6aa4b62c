"""Swedish number formats: ``1 234 567``, ``1 234,5``, ``2 700 tkr``, ``0,5 Mkr``; and dates,
written the Swedish (ISO) way, ``2026-09-04``.

Parsing goes through :class:`decimal.Decimal` so that ``2,7 tkr`` is exactly
2 700 kronor, not 2 700.0000000000005.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

__all__ = ["AMOUNT_UNITS", "NumberProblem", "parse_date", "parse_number", "split_unit"]

AMOUNT_UNITS: dict[str, int] = {"kr": 1, "tkr": 1_000, "mkr": 1_000_000}
"""Amount units a header or cell may carry, as multiples of one krona."""

# Regular, non-breaking, narrow non-breaking and thin spaces, and the apostrophe
# some exports use to group digits.
_GROUPING = re.compile(r"[\s\u00a0\u202f\u2009\u2007']")
_UNIT_SUFFIX = re.compile(r"^(?P<number>.*?)\s*(?P<unit>kr|tkr|mkr)\.?$", re.IGNORECASE)
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


class NumberProblem(ValueError):
    """What :func:`parse_number` found wrong: ``str()`` in English, ``swedish`` in Swedish.

    Examples
    --------
    >>> try:
    ...     parse_number("1,5.2")
    ... except NumberProblem as problem:
    ...     print(problem.swedish)
    tvetydiga avgränsare: både ',' och '.' (skriv 1 234,5 eller 1234.5)
    """

    def __init__(self, english: str, swedish: str) -> None:
        super().__init__(english)
        self.swedish = swedish


_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


def parse_date(text: str) -> dt.date | None:
    """``'2026-09-04'`` (also with a time, as an Excel date cell reads) → the date; None
    for anything else (``'20260904'``, ``'4/9'``, ``'2026-02-30'``).

    Examples
    --------
    >>> parse_date("2026-09-04"), parse_date("2026-09-04 13:45"), parse_date("20260904")
    (datetime.date(2026, 9, 4), datetime.date(2026, 9, 4), None)
    """
    match = _DATE.match(text.strip())
    if match is None:
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None


def split_unit(text: str) -> tuple[str, str | None]:
    """``'2 700 tkr'`` → ``('2 700', 'tkr')``; ``'12'`` → ``('12', None)``."""
    match = _UNIT_SUFFIX.match(text.strip())
    if match is None:
        return text.strip(), None
    return match.group("number"), match.group("unit").lower()


def parse_number(text: str) -> tuple[Decimal, str | None]:
    """Parse one cell's text as a Swedish or plain number.

    Returns the number and the amount unit written in the cell (``'kr'``,
    ``'tkr'``, ``'mkr'`` or None); the caller applies the unit.

    Raises
    ------
    NumberProblem
        A ValueError with a short reason (``"not a number"``, ``"ambiguous separators"``),
        in Swedish too.
    """
    number, unit = split_unit(text)
    number = number.replace("\u2212", "-").replace("\u2013", "-")
    _check_grouping(number)
    number = _GROUPING.sub("", number)
    if not number:
        raise NumberProblem("no digits", "inga siffror")
    if "," in number and "." in number:
        raise NumberProblem(
            "ambiguous separators: both ',' and '.' (write 1 234,5 or 1234.5)",
            "tvetydiga avgränsare: både ',' och '.' (skriv 1 234,5 eller 1234.5)",
        )
    if number.count(",") > 1:
        raise NumberProblem(
            "more than one decimal comma (group digits with spaces: 1 234 567)",
            "mer än ett decimalkomma (gruppera siffrorna med mellanslag: 1 234 567)",
        )
    if number.count(".") > 1:
        raise NumberProblem(
            "more than one decimal point (group digits with spaces: 1 234 567)",
            "mer än en decimalpunkt (gruppera siffrorna med mellanslag: 1 234 567)",
        )
    number = number.replace(",", ".")
    if not _PLAIN.match(number):
        raise NumberProblem("not a number", "inget tal")
    try:
        value = Decimal(number)
    except InvalidOperation as error:  # pragma: no cover - the regex admits only numbers
        raise NumberProblem("not a number", "inget tal") from error
    return value, unit


def _check_grouping(number: str) -> None:
    """Refuse digit groups that are not three digits from the right (``30 80 000``)."""
    whole = re.split(r"[,.]", number.strip().lstrip("+-").strip(), maxsplit=1)[0]
    groups = _GROUPING.split(whole)
    if len(groups) > 1 and (not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:])):
        raise NumberProblem(
            "digits grouped other than in threes from the right (write 3 080 000)",
            "siffrorna är inte grupperade tre och tre från höger (skriv 3 080 000)",
        )
