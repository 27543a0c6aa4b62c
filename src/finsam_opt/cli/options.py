"""The options every subcommand shares, spelt once: the command line's one vocabulary.

``-o/--output`` (the extension picks the format), ``--language sv|en``, a unit
table or ``--municipalities`` + ``--memberships`` (with ``--sheet``,
``--unit-data``, ``--year``), ``--budget``, ``--base-amount``,
``--decrease-limit``, ``--policy`` (each choice explained) and ``--solver``.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import replace
from pathlib import Path

import pandas as pd

from finsam_opt.cli.arguments import fraction, kronor, policy
from finsam_opt.cli.help_language import help_text
from finsam_opt.datasets.national import NATIONAL_BUDGET
from finsam_opt.domain.municipalities import aggregate_municipalities
from finsam_opt.domain.parameters import Parameters, Unanswered
from finsam_opt.domain.plausibility import check_amounts
from finsam_opt.domain.units import check_previous_allocation
from finsam_opt.engine.policies import DEFICIT_POLICIES
from finsam_opt.engine.solvers import SOLVERS
from finsam_opt.errors import InputError
from finsam_opt.io.columns import AGE_BANDS
from finsam_opt.io.tables import read_memberships, read_municipalities, read_table, read_units
from finsam_opt.language.numbers import format_kronor
from finsam_opt.language.words import LANGUAGES, phase_text, say, term

__all__ = [
    "add_age_band",
    "add_language",
    "add_output",
    "add_parameters",
    "add_policy",
    "add_solver",
    "add_units",
    "announce",
    "announcing",
    "load_units",
    "parameters",
    "policy_help",
    "progress",
    "solver_help",
]


def solver_help() -> str:
    """``--solver``'s help, in the language the parser is being built in."""
    return help_text(
        "fast: den exakta brytpunktslösaren (standard); highs, cbc: samma problem som ett "
        "linjärprogram genom PuLP; scipy: som ett linjärprogram i SciPy. Alla ger samma "
        "belopp på kronan när.",
        "fast: the exact breakpoint solver (default); highs, cbc: the same problem as a linear "
        "program through PuLP; scipy: as a linear program in SciPy. All agree to the krona.",
    )


def progress(message: str) -> None:
    """A progress line on stderr (results go to stdout)."""
    print(message, file=sys.stderr)


_WRITTEN: ContextVar[list[str] | None] = ContextVar("finsam_written", default=None)


def announce(message: str) -> None:
    """A line that says what was written ("skrev …"): printed on stdout once the command's
    files are in place (:func:`announcing`), never for files that were not written."""
    pending = _WRITTEN.get()
    if pending is None:
        print(message)
    else:
        pending.append(message)


@contextlib.contextmanager
def announcing() -> Iterator[None]:
    """Hold the :func:`announce` lines of the block; print them if it ends without an error."""
    pending: list[str] = []
    token = _WRITTEN.set(pending)
    try:
        yield
    finally:
        _WRITTEN.reset(token)
    for line in pending:
        print(line)


def policy_help(policies: Mapping[str, object], default: str, toml: bool) -> str:
    """``--policy``'s help: every choice with what it does, in the language the parser is
    being built in (the choices are typed as they are; Swedish names them too)."""
    language = help_text("sv", "en")
    lines = []
    for name, value in policies.items():
        phases = getattr(value, "phases", value)
        description = phase_text(phases[0].description, language)  # type: ignore[index]
        named = f"{name} ({term(name, language)})" if language == "sv" else name
        lines.append(f"{named}: {description}")
    if toml:
        lines.append(
            help_text(
                "eller en princip som deklareras i en .toml-fil (docs/sv/modell.md)",
                "or a policy declared in a .toml file (docs/model.md)",
            )
        )
    return help_text(f"(standard {default}) ", f"(default {default}) ") + "; ".join(lines)


def add_output(
    parser: argparse.ArgumentParser, suffixes: Sequence[str], *, required: bool = True,
    default: str | None = None, what: str = "the result",
) -> None:  # fmt: skip
    """``-o/--output``: the file to write; its extension picks the format."""
    parser.add_argument(
        "-o",
        "--output",
        required=required and default is None,
        default=default,
        help=help_text(
            f"{what}: {', '.join(suffixes)} (filändelsen väljer format)"
            + (f"; standard {default}" if default else ""),
            f"{what}: {', '.join(suffixes)} (the extension picks the format)"
            + (f"; default {default}" if default else ""),
        ),
    )


def add_language(parser: argparse.ArgumentParser) -> None:
    """``--language sv|en``: headers, workbooks, console text, report and plots."""
    parser.add_argument(
        "--language",
        choices=list(LANGUAGES),
        default="sv",
        help=help_text(
            "språket i det som skrivs ut och skrivs till filer (standard sv; CSV: sv ';' och "
            "decimalkomma, en ',' och '.'); också hjälptextens språk",
            "language of what is printed and written (default sv; CSV: sv ';' and decimal "
            "comma, en ',' and '.')",
        ),
    )


def add_units(parser: argparse.ArgumentParser) -> None:
    """The units: a table, or municipality statistics aggregated by memberships."""
    parser.add_argument(
        "units",
        nargs="?",
        help=help_text(
            "förbundstabell (.xlsx/.csv), en rad per förbund",
            "unit table (.xlsx/.csv), one row per förbund",
        ),
    )
    parser.add_argument(
        "--sheet",
        help=help_text(
            "fliken i förbundstabellen (standard: den första)",
            "sheet of the unit table (default: the first)",
        ),
    )
    parser.add_argument(
        "--municipalities",
        help=help_text(
            "kommunstatistik, en rad per kommun", "municipality statistics, one row per kommun"
        ),
    )
    parser.add_argument(
        "--memberships",
        help=help_text(
            "medlemskap: tabell kommun → förbund (med --municipalities)",
            "kommun → förbund table (with --municipalities)",
        ),
    )
    parser.add_argument(
        "--unit-data",
        help=help_text(
            "belopp per förbund att foga till kommunuppgifterna",
            "per-förbund amounts to join to municipality data",
        ),
    )
    parser.add_argument(
        "--year",
        type=int,
        help=help_text("året vars medlemskap används", "year of the memberships to use"),
    )
    parser.add_argument(
        "--carry-previous",
        action=argparse.BooleanOptionalAction,
        default=True,
        help=help_text(
            "när --memberships har rader även för förra året: en kommun som bytt förbund tar "
            "med sig sin del av förra årets tilldelning (standard); --no-carry-previous behåller "
            "varje förbunds egen",
            "with --memberships rows for last year too: a municipality that changed förbund "
            "carries its share of last year's allocation (default); --no-carry-previous keeps "
            "each förbund's own",
        ),
    )
    add_age_band(parser)


def add_age_band(parser: argparse.ArgumentParser) -> None:
    """``--age-band``: the ages the population column counts."""
    parser.add_argument(
        "--age-band",
        choices=list(AGE_BANDS),
        default="16-64",
        help=help_text(
            "åldrarna som befolkningskolumnen räknar (16-64); en rubrik 'Invånare 16-65' "
            "läses bara med --age-band 16-65",
            "the ages the population column counts (16-64); a header 'Invånare 16-65' "
            "is read only with --age-band 16-65",
        ),
    )


def add_parameters(
    parser: argparse.ArgumentParser, *, budget_help: str | None = None, several: bool = False
) -> None:
    """``--budget`` (repeatable if ``several``), ``--base-amount``, ``--decrease-limit``."""
    parser.add_argument(
        "--budget", type=kronor, default=None if several else NATIONAL_BUDGET,
        action="append" if several else "store",
        help=budget_help
        or help_text(
            'kronor: "339 Mkr", "339 000 000" (standard 339 Mkr)',
            'kronor: "339 Mkr", "339 000 000" (default 339 Mkr)',
        ),
    )  # fmt: skip
    parser.add_argument(
        "--base-amount",
        type=kronor,
        default=400_000.0,
        help=help_text(
            "grundtilldelningen i kronor (standard 400 tkr)", "kronor (default 400 tkr)"
        ),
    )
    parser.add_argument(
        "--decrease-limit",
        type=fraction,
        default=0.10,
        help=help_text(
            'spärren: "10 %%" eller "0,1" (standard 10 %%)', '"10 %%" or "0,1" (default 10 %%)'
        ),
    )
    parser.add_argument(
        "--unanswered",
        choices=[str(u) for u in Unanswered],
        default=str(Unanswered.ERROR),
        help=help_text(
            "ett tomt bidrag från kommunerna eller regionen: vägra (error, standard), förra "
            "årets tilldelning / 2 (previous) eller ingen gräns (no-limit)",
            "a blank municipal or regional contribution: refuse (error, default), last "
            "year's allocation / 2 (previous) or no limit (no-limit)",
        ),
    )


def add_policy(parser: argparse.ArgumentParser, **kwargs: object) -> None:
    """``--policy``: a deficit policy, each explained in the help."""
    parser.add_argument(
        "--policy",
        type=policy,
        default=kwargs.pop("default", "raise-limit"),
        help=policy_help(DEFICIT_POLICIES, "raise-limit", toml=True).replace("%", "%%"),
        **kwargs,  # type: ignore[arg-type]
    )


def add_solver(parser: argparse.ArgumentParser) -> None:
    """``--solver``: which backend solves the deficit phase."""
    parser.add_argument("--solver", choices=list(SOLVERS), default="fast", help=solver_help())


_SMALLEST_BASE_AMOUNT = 1_000  # a base amount below it is one in tkr written as kronor


def parameters(args: argparse.Namespace, **extra: object) -> Parameters:
    """The :class:`Parameters` of ``--budget`` (the first), ``--base-amount`` and so on."""
    budget = args.budget[0] if isinstance(args.budget, list) else args.budget
    if 0 < args.base_amount < _SMALLEST_BASE_AMOUNT:
        raise InputError(
            f"--base-amount {args.base_amount:,.0f} kr is below {_SMALLEST_BASE_AMOUNT:,} kr, so "
            f'it looks like tkr; write the unit: --base-amount "{args.base_amount:g} tkr"',
            sv=f"--base-amount {format_kronor(args.base_amount, 'sv')} är under "
            f"{format_kronor(_SMALLEST_BASE_AMOUNT, 'sv')} och ser ut att vara tkr; skriv "
            f'enheten: --base-amount "{args.base_amount:g} tkr"',
            column="base_amount",
        )
    return Parameters(
        budget=NATIONAL_BUDGET if budget is None else budget,
        base_amount=args.base_amount,
        decrease_limit=args.decrease_limit,
        unanswered=getattr(args, "unanswered", str(Unanswered.ERROR)),
        **extra,  # type: ignore[arg-type]
    )


def load_units(args: argparse.Namespace) -> pd.DataFrame:
    """The unit table that ``add_units``' options name, checked against ``--budget``."""
    units = _read_unit_files(args)
    budget = getattr(args, "budget", None)
    if budget is not None:
        top = max(budget) if isinstance(budget, list) else budget
        checked = replace(parameters(args), budget=top)
        check_previous_allocation(units, checked)
        if top >= len(units) * checked.base_amount:  # else validate_units names the budget
            check_amounts(units, checked)
    return units


def _read_unit_files(args: argparse.Namespace) -> pd.DataFrame:
    if args.units and (args.municipalities or args.memberships):
        raise InputError(
            "give either a unit table or --municipalities/--memberships, not both",
            sv="ange antingen en förbundstabell eller --municipalities/--memberships, inte båda",
        )
    if args.units:
        if args.year is not None:
            raise InputError(
                "--year selects memberships (--municipalities/--memberships); "
                "a unit table has no years",
                sv="--year väljer medlemskap (--municipalities/--memberships); en "
                "förbundstabell har inga år",
            )
        return read_units(args.units, args.sheet, age_band=args.age_band)
    if args.municipalities and args.memberships:
        unit_data = read_table(args.unit_data, "unit_data") if args.unit_data else None
        municipalities = read_municipalities(args.municipalities, age_band=args.age_band)
        memberships = read_memberships(args.memberships)
        try:
            aggregation = aggregate_municipalities(
                municipalities,
                memberships,
                year=args.year,
                unit_data=unit_data,
                carry_previous=args.carry_previous,
            )
        except InputError as error:
            files = [Path(p).name for p in (args.memberships, args.unit_data) if p]
            raise error.within(" + ".join(files)) from error
        language = getattr(args, "language", "sv")
        if len(aggregation.outside):
            progress(say("outside", language, count=len(aggregation.outside)))
        for note in aggregation.notes:  # moves carried, units dropped (docs/data.md)
            progress(note.text(language))
        return aggregation.units
    raise InputError(
        "no units: give a unit table, or --municipalities and --memberships",
        sv="inga förbund: ange en förbundstabell, eller --municipalities och --memberships",
    )
