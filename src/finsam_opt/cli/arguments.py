"""Command-line argument types shared by every subcommand: amounts and fractions the Swedish way."""

from __future__ import annotations

import argparse

from finsam_opt.io.numbers import AMOUNT_UNITS, parse_number

__all__ = ["fraction", "kronor"]


def kronor(text: str) -> float:
    """``'339 Mkr'``, ``'339 000 000'``, ``'400 tkr'`` or ``'339e6'`` → kronor."""
    try:
        number, unit = parse_number(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not an amount: {text!r} ({error})") from None
    return float(number * AMOUNT_UNITS[unit or "kr"])


def fraction(text: str) -> float:
    """``'0,1'``, ``'0.1'`` or ``'10 %'`` → 0.1."""
    percent = text.strip().endswith("%")
    try:
        number, unit = parse_number(text.strip().rstrip("%"))
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a fraction: {text!r} ({error})") from None
    if unit is not None:
        raise argparse.ArgumentTypeError(f"not a fraction: {text!r}")
    return float(number / 100) if percent else float(number)
