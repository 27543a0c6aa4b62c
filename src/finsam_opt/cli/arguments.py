"""Command-line argument types shared by every subcommand: amounts and fractions the Swedish way."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from finsam_opt.cli.help_language import help_text
from finsam_opt.engine.policies import DEFICIT_POLICIES, Policy, policy_from_toml
from finsam_opt.errors import InputError
from finsam_opt.io.numbers import AMOUNT_UNITS, NumberProblem, parse_number
from finsam_opt.io.raw import read_bytes
from finsam_opt.io.tables import read_table, with_unit_names

__all__ = ["fraction", "kronor", "policy", "returned_funds", "returned_table"]

# The argument types run while the command line parses, in the language of --language
# (finsam_opt.cli.help_language.speaking), so their messages are chosen with help_text.


def _problem(error: NumberProblem) -> str:
    """What :func:`~finsam_opt.io.numbers.parse_number` found wrong, in the parser's language."""
    return help_text(error.swedish, str(error))


def kronor(text: str) -> float:
    """``'339 Mkr'``, ``'339 000 000'``, ``'400 tkr'`` or ``'339e6'`` → kronor."""
    try:
        number, unit = parse_number(text)
    except NumberProblem as error:
        raise argparse.ArgumentTypeError(
            help_text(
                f"inget belopp: {text!r} ({_problem(error)})",
                f"not an amount: {text!r} ({error})",
            )
        ) from None
    return float(number * AMOUNT_UNITS[unit or "kr"])


def fraction(text: str) -> float:
    """``'0,1'``, ``'0.1'`` or ``'10 %'`` → 0.1."""
    percent = text.strip().endswith("%")
    try:
        number, unit = parse_number(text.strip().rstrip("%"))
    except NumberProblem as error:
        raise argparse.ArgumentTypeError(
            help_text(
                f"ingen andel: {text!r} ({_problem(error)})",
                f"not a fraction: {text!r} ({error})",
            )
        ) from None
    if unit is not None:
        raise argparse.ArgumentTypeError(
            help_text(f"ingen andel: {text!r}", f"not a fraction: {text!r}")
        )
    return float(number / 100) if percent else float(number)


def policy(text: str) -> str | Policy:
    """A built-in deficit policy's name, or the policy declared in a ``.toml`` file."""
    if text in DEFICIT_POLICIES:
        return text
    if not text.endswith(".toml"):
        choices = ", ".join(DEFICIT_POLICIES)
        raise argparse.ArgumentTypeError(
            help_text(
                f"ingen princip: {text!r}; välj {choices} eller en princip som deklareras i "
                "en .toml-fil",
                f"not a policy: {text!r}; choose {choices} or a policy declared in a .toml file",
            )
        )
    try:
        # Through the readers' limits: a pipe or /dev/zero named x.toml is refused, not read.
        data = read_bytes(text)
        try:
            declaration = data.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(
                f"{text}: cannot read the policy file: not UTF-8 text",
                sv=f"{text}: principfilen kan inte läsas: inte UTF-8-text",
            ) from None
        return policy_from_toml(declaration, name=Path(text).stem, source=text)
    except InputError as error:  # argparse shows an ArgumentTypeError's own message
        raise argparse.ArgumentTypeError(help_text(error.text("sv"), error.text("en"))) from None


def returned_funds(text: str) -> tuple[str, float] | str:
    """``'Förbund X=0,5 Mkr'`` → ``('Förbund X', 500000.0)``; anything else is a file's path.

    The file (.xlsx/.csv, columns ``unit`` and ``returned``) is read by the command,
    through the same checks as every table.
    """
    if "=" not in text:
        return text
    unit, _, amount = text.rpartition("=")
    if not unit.strip():
        raise argparse.ArgumentTypeError(
            help_text(
                f"inte återlämnade medel: {text!r} (skriv 'Förbund X=0,5 Mkr')",
                f"not a return: {text!r} (write 'Förbund X=0,5 Mkr')",
            )
        )
    return " ".join(unit.split()), kronor(amount)


def returned_table(
    given: list[tuple[str, float] | str], units: Iterable[object] | None = None
) -> pd.Series | None:
    """One table of the funds handed back from every --returned (a unit at most once),
    named as in ``units`` where a name differs only in case or spaces (as answers are)."""
    if not given:
        return None
    parts = [
        pd.Series({item[0]: item[1]}) if isinstance(item, tuple) else _returned_file(item)
        for item in given
    ]
    returned = pd.concat(parts)
    if units is not None:
        returned = with_unit_names(returned.to_frame("returned"), units)["returned"]
    twice = returned.index[returned.index.duplicated()].unique()
    if len(twice):
        raise InputError(
            f"--returned names {', '.join(map(str, twice))} more than once",
            sv=f"--returned anger {', '.join(map(str, twice))} mer än en gång",
            column="returned",
        )
    return returned


def _returned_file(path: str) -> pd.Series:
    """A table of funds handed back: ``Förbund`` and ``Återlämnade medel`` (kr, tkr or Mkr
    in the header), read through the same checks as every table."""
    return read_table(path, "returns")["returned"]
