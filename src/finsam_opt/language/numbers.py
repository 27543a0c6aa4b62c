"""How numbers are written for people, the one formatter of console, workbooks, reports, explain().

Swedish: ``339 000 000 kr``, ``3,7 Mkr``, ``24,7 %`` (space between thousands,
decimal comma, a space before ``%``); English: ``339,000,000 kr``, ``3.7 Mkr``,
``24.7%``. Amounts are rounded half away from zero and never shown as ``-0``.
Written with Python's format specification rather than babel: the Swedish
rules above are three replacements, and babel's CLDR data would write a
no-break space and a different minus sign that the tests and a console copy
would then have to match.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["format_kronor", "format_mkr", "format_number", "format_percent", "has_ore"]


def _rounded(value: float, decimals: int) -> Decimal:
    exact = Decimal(repr(float(value)))
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return rounded if rounded else abs(rounded)  # never -0


def format_number(value: float, language: str = "sv", decimals: int = 0) -> str:
    """``value`` with digit grouping and ``decimals`` decimals in ``language``.

    Examples
    --------
    >>> format_number(1234567.891, "sv", 2), format_number(1234567.891, "en", 2)
    ('1 234 567,89', '1,234,567.89')
    >>> format_number(-0.4), format_number(float("inf"))
    ('0', '∞')
    """
    if math.isnan(value):
        return "–"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    text = f"{_rounded(value, decimals):,.{decimals}f}"
    if language == "sv":
        text = text.replace(",", " ").replace(".", ",")
    return text


def has_ore(amount: float) -> bool:
    """Whether ``amount`` rounded to the öre is not whole kronor.

    Examples
    --------
    >>> has_ore(15_000_000.6), has_ore(15_000_000.0), has_ore(250_235.59999999963)
    (True, False, True)
    """
    return math.isfinite(amount) and _rounded(amount, 2) % 1 != 0


def format_kronor(amount: float, language: str = "sv", *, ore: bool = False) -> str:
    """``1234567.4`` → ``'1 234 567 kr'``: whole kronor (``'1,234,567 kr'`` in English).

    With ``ore=True`` an amount that has öre shows them, two decimals, and a whole
    amount none: the rule for the amounts a user gives (a budget, a base amount)
    and what is left of them, so that they are never shown as more or less than
    given (docs/data.md).

    Examples
    --------
    >>> format_kronor(1234567.4), format_kronor(1234567.5, "en"), format_kronor(-0.3)
    ('1 234 567 kr', '1,234,568 kr', '0 kr')
    >>> format_kronor(15_000_000.5, ore=True), format_kronor(15_000_000.0, "en", ore=True)
    ('15 000 000,50 kr', '15,000,000 kr')
    """
    return f"{format_number(amount, language, 2 if ore and has_ore(amount) else 0)} kr"


def format_mkr(amount: float, language: str = "sv", decimals: int = 1) -> str:
    """``3_700_000`` → ``'3,7 Mkr'`` (millions of kronor; ``'3.7 Mkr'`` in English).

    Examples
    --------
    >>> format_mkr(339_000_000, decimals=0), format_mkr(3_749_999), format_mkr(3.75e6, "en")
    ('339 Mkr', '3,7 Mkr', '3.8 Mkr')
    """
    return f"{format_number(amount / 1e6, language, decimals)} Mkr"


def format_percent(fraction: float, language: str = "sv", decimals: int = 1) -> str:
    """``0.247`` → ``'24,7 %'`` (``'24.7%'`` in English).

    Examples
    --------
    >>> format_percent(0.24689), format_percent(0.24689, "en", 2), format_percent(0.1, decimals=0)
    ('24,7 %', '24.69%', '10 %')
    """
    number = format_number(fraction * 100, language, decimals)
    return f"{number} %" if language == "sv" else f"{number}%"
