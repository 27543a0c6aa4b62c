"""How amounts are written for people: Swedish digit grouping, whole kronor."""

from __future__ import annotations

__all__ = ["format_kronor"]


def format_kronor(amount: float) -> str:
    """``1234567.4`` → ``'1 234 567 kr'`` (Swedish digit grouping, whole kronor).

    Examples
    --------
    >>> format_kronor(1234567.4)
    '1 234 567 kr'
    """
    return f"{amount:,.0f}".replace(",", " ") + " kr"
