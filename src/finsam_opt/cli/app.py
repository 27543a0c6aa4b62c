"""The ``finsam-opt`` command line. No model logic here: it parses, calls the API, prints.

Each subcommand is one small function ``_cmd_<name>(args) -> int`` registered
with :func:`_subcommand`, its options spelt by :mod:`finsam_opt.cli.options`
(one vocabulary for every command) and its output paths checked by
:func:`~finsam_opt.cli.outputs.check_output` before any work. Every failure is
one line on stderr and exit code 2, with nothing written; progress goes to
stderr, results to stdout, in the language of ``--language``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import NoReturn

import pandas as pd

from finsam_opt.cli.analysis_commands import add_analysis_commands
from finsam_opt.cli.arguments import fraction, kronor, returned_funds, returned_table
from finsam_opt.cli.help_language import help_text, language_of, speaking
from finsam_opt.cli.options import (
    add_age_band,
    add_language,
    add_output,
    add_parameters,
    add_policy,
    add_solver,
    add_units,
    announce,
    announcing,
    load_units,
    parameters,
    policy_help,
    progress,
)
from finsam_opt.cli.outputs import REPORTS, TABLES, check_optional, check_output, write_output
from finsam_opt.cli.round_command import add_round_parser
from finsam_opt.datasets.national import NATIONAL_BUDGET, national_example
from finsam_opt.datasets.synthetic import SCENARIOS, synthetic_units
from finsam_opt.domain.parameters import Parameters
from finsam_opt.domain.plausibility import check_amounts
from finsam_opt.engine.allocate import allocate
from finsam_opt.engine.explain import assumed_parties, matching_line
from finsam_opt.engine.result import Allocation
from finsam_opt.engine.surplus import DEFAULT_KAPPA, SURPLUS_POLICIES, Redistribution, redistribute
from finsam_opt.errors import FinsamError, InputError
from finsam_opt.io.decision import DECISION_HEADERS, model_parameter_rows
from finsam_opt.io.safe import atomic_outputs, exclusive
from finsam_opt.io.tables import read_applications, read_staircase, read_units
from finsam_opt.io.templates import merge_answers, read_answers, write_templates
from finsam_opt.io.workbook import Kind
from finsam_opt.language.numbers import format_kronor, format_number, format_percent
from finsam_opt.language.words import LANGUAGES, phase_text, say, term
from finsam_opt.year.process import ideal_table

__all__ = ["main"]

EXAMPLE_OUTPUT = "finsam_example_beslutsunderlag.xlsx"
ALLOCATION_OUTPUTS = (*TABLES, *REPORTS, ".png", ".svg")
_LISTED = 8  # names printed before "… and N more"
EXCEL_ROWS = 1_048_575  # an Excel sheet holds 1 048 576 rows, one is the header


def _epilog() -> str:
    """The examples and notes under every help text, in the parser's language."""
    return help_text(
        """exempel:
  finsam-opt example                                  # det nationella exemplet, 339 Mkr
  finsam-opt ideal forbund.xlsx -o preliminar.xlsx    # juni: idealfördelningen
  finsam-opt template forbund.xlsx -d svarsmallar/    # svarsmallar, en per förbund
  finsam-opt answers svarsmallar/ --units forbund.xlsx -o forbund_svar.xlsx
  finsam-opt allocate forbund_svar.xlsx --budget "339 Mkr" -o beslutsunderlag.xlsx
  finsam-opt allocate --municipalities kommuner.xlsx --memberships medlemmar.csv \\
      --unit-data forbund.csv --year 2027 -o beslutsunderlag.csv
  finsam-opt surplus ansokningar.xlsx --units forbund_svar.xlsx \\
      --returned "Förbund X=0,5 Mkr" -o ofordelade_medel.xlsx  # våren: ofördelade medel
  finsam-opt round revised ar2027/ --answers sena_svar/ --date 2026-10-28  # en omgång av året
  finsam-opt compare forbund.xlsx --budget "290 Mkr" -o jamforelse.xlsx --report j.html
  finsam-opt simulate forbund.xlsx --years 5 -o fem_ar.xlsx
  finsam-opt report forbund.xlsx -o rapport.html
  finsam-opt synthetic 1000 --scenario mild-deficit -o syntetiska.csv

Belopp kan skrivas på svenskt sätt: "339 Mkr", "339 000 000", "400 tkr".
Kolumnrubrikerna kan vara svenska (Förbund, Invånare 16-64, Försörjningsmått, ...) eller engelska.
Utfilens filändelse väljer format: .xlsx (Excel), .csv (svenskt ';' och decimalkomma
med --language sv, engelskt ',' och '.' med --language en), .html (rapport), .png/.svg (diagram).
""",
        """examples:
  finsam-opt example                                  # the national example, 339 Mkr
  finsam-opt ideal forbund.xlsx -o preliminar.xlsx    # June: the ideal allocation
  finsam-opt template forbund.xlsx -d svarsmallar/    # answer templates, one per förbund
  finsam-opt answers svarsmallar/ --units forbund.xlsx -o forbund_svar.xlsx
  finsam-opt allocate forbund_svar.xlsx --budget "339 Mkr" -o beslutsunderlag.xlsx
  finsam-opt allocate --municipalities kommuner.xlsx --memberships medlemmar.csv \\
      --unit-data forbund.csv --year 2027 -o beslutsunderlag.csv
  finsam-opt surplus ansokningar.xlsx --units forbund_svar.xlsx \\
      --returned "Förbund X=0,5 Mkr" -o ofordelade_medel.xlsx  # spring: ofördelade medel
  finsam-opt round revised ar2027/ --answers sena_svar/ --date 2026-10-28  # a year's round
  finsam-opt compare forbund.xlsx --budget "290 Mkr" -o jamforelse.xlsx --report j.html
  finsam-opt simulate forbund.xlsx --years 5 -o fem_ar.xlsx
  finsam-opt report forbund.xlsx -o rapport.html
  finsam-opt synthetic 1000 --scenario mild-deficit -o syntetiska.csv

Amounts may be written the Swedish way: "339 Mkr", "339 000 000", "400 tkr".
Column headers may be Swedish (Förbund, Invånare 16-64, Försörjningsmått, ...) or English.
The output's extension picks its format: .xlsx (Excel), .csv (Swedish ';' and decimal comma
with --language sv, English ',' and '.' with --language en), .html (report), .png/.svg (plot).
""",
    )


_EXAMPLES = {
    "example": "finsam-opt example -o exempel.xlsx",
    "ideal": "finsam-opt ideal forbund.xlsx -o preliminar.xlsx",
    "allocate": 'finsam-opt allocate forbund_svar.xlsx --budget "339 Mkr" -o beslutsunderlag.xlsx',
    "template": "finsam-opt template forbund.xlsx -d svarsmallar/",
    "answers": "finsam-opt answers svarsmallar/ --units forbund.xlsx -o forbund_svar.xlsx",
    "surplus": "finsam-opt surplus ansokningar.xlsx --units forbund_svar.xlsx --returned "
    '"Förbund X=0,5 Mkr" -o ofordelade_medel.xlsx',
    "synthetic": "finsam-opt synthetic 1000 --scenario mild-deficit -o syntetiska.csv",
}


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error message (exit code 2)."""

    def error(self, message: str) -> NoReturn:
        see = help_text("se", "see")
        self.exit(2, f"{self.prog}: {message} ({see} {self.prog} --help)\n")


def _version() -> str:
    try:
        return version("finsam_opt")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "unknown"


# ---------------------------------------------------------------- helpers


def _counts(rules: pd.Series, language: str) -> str:
    counts = rules.value_counts()
    return ", ".join(f"{term(rule, language)} {count}" for rule, count in counts.items())


def _summary(result: Allocation, language: str) -> str:
    limit = (
        "—" if result.decrease_limit is None else format_percent(result.decrease_limit, language, 2)
    )
    return (
        say(
            "summary",
            language,
            units=len(result.table),
            scenario=term(str(result.scenario), language),
            policy=term(result.policy, language),
            budget=format_kronor(result.parameters.budget, language, ore=True),
            allocated=format_kronor(result.rounded_total, language),
            unallocated=format_kronor(result.unallocated, language, ore=True),
            limit=limit,
            cases=_counts(result.table["binding"], language),
        )
        + "\n"
        + matching_line(result, language)
    )


def _surplus_summary(extra: Redistribution, language: str) -> str:
    rationed = (
        say("fits", language)
        if extra.phase_description is None
        else say(
            "rationed",
            language,
            phase=phase_text(extra.phase_description, language),
            scalar=format_number(extra.balancing_scalar or 0.0, language, 6),
        )
    )
    return say(
        "surplus",
        language,
        applications=int((extra.table["application"] > 0).sum()),
        policy=term(extra.policy, language),
        available=format_kronor(extra.available, language),
        applied=format_kronor(extra.table["application"].sum(), language),
        granted=format_kronor(extra.rounded_total, language),
        unallocated=format_kronor(extra.unallocated, language),
        rationed=rationed,
        cases=_counts(extra.table["binding"], language),
    )


def _wrote(files: Sequence[Path], language: str) -> None:
    announce(say("wrote", language, files=", ".join(str(f) for f in files)))


# ---------------------------------------------------------------- subcommands


def _cmd_example(args: argparse.Namespace) -> int:
    output = check_output(args.output, ALLOCATION_OUTPUTS)
    example = national_example()
    params = Parameters(budget=args.budget)
    result = allocate(example.units, params, policy=args.policy, solver=args.solver)
    print(
        say(
            "example",
            args.language,
            municipalities=len(example.municipalities),
            outside=len(example.outside),
        )
    )
    print(_summary(result, args.language))
    _wrote(write_output(result, output, args.language, units=example.units), args.language)
    return 0


def _cmd_ideal(args: argparse.Namespace) -> int:
    output = check_output(args.output, TABLES)
    units = load_units(args)
    params = parameters(args)
    table = ideal_table(units, params)
    for column in ("previous_allocation", "region"):
        if column in units.columns:
            table.insert(0, column, units[column])
    # What June sends: the ideal rounded by largest remainder, so kr, tkr and the total agree
    # with the budget (rounded cell by cell the column could add up to more than it).
    table["ideal"] = table["amount"]
    table["ideal_tkr"] = table["amount"] / 1000
    table = table.drop(columns=["amount"]).rename_axis("unit").reset_index()
    sheet = "Preliminär fördelning" if args.language == "sv" else "Preliminary allocation"
    rows = model_parameter_rows(params, args.language)
    files = write_output(table, output, args.language, parameters=rows, sheet=sheet)
    print(say("ideal", args.language, units=len(table),
              budget=format_kronor(args.budget, args.language, ore=True)))  # fmt: skip
    _wrote(files, args.language)
    return 0


def _cmd_allocate(args: argparse.Namespace) -> int:
    output = check_output(args.output, ALLOCATION_OUTPUTS)
    units = load_units(args)
    if args.answers:
        merged = merge_answers(units, read_answers(args.answers, units=units.index))
        units = merged.units
        check_amounts(units, parameters(args))
        progress(say("answers", args.language, answered=len(merged.answered), units=len(units)))
    result = allocate(units, parameters(args), policy=args.policy, solver=args.solver)
    print(_summary(result, args.language))
    _wrote(write_output(result, output, args.language, units=units), args.language)
    return 0


def _cmd_template(args: argparse.Namespace) -> int:
    folder = Path(args.directory)
    if folder.exists() and not folder.is_dir():
        raise InputError(
            f"-d {args.directory}: is a file, not a folder",
            sv=f"-d {args.directory}: är en fil, inte en mapp",
        )
    units = load_units(args)
    params = parameters(args)
    preliminary = ideal_table(units, params)["amount"]  # June's amounts, adding up to B
    folder.mkdir(parents=True, exist_ok=True)
    files = write_templates(units, folder, preliminary=preliminary, combined=args.combined,
                            parameters=model_parameter_rows(params))  # fmt: skip
    print(say("templates", args.language, count=len(files), folder=args.directory))
    return 0


def _cmd_answers(args: argparse.Namespace) -> int:
    output = check_optional(args.output, TABLES)
    units = read_units(args.units, args.sheet, age_band=args.age_band)
    answers = read_answers(args.paths, units=units.index)
    merged = merge_answers(units, answers)
    check_amounts(merged.units, Parameters(budget=NATIONAL_BUDGET))  # no --budget: the nation's
    print(say("answers", args.language, answered=len(merged.answered), units=len(units)))
    if merged.unanswered:
        shown = ", ".join(str(u) for u in merged.unanswered[:_LISTED])
        more = len(merged.unanswered) - _LISTED
        names = shown if more <= 0 else say("more", args.language, shown=shown, count=more)
        print(say("unanswered", args.language, names=names))
    missing = merged.missing_matching
    if not missing.empty:
        print(say("missing", args.language, count=missing["unit"].nunique(),
                  listed=assumed_parties(missing, args.language)))  # fmt: skip
    if output is not None:
        frame = merged.units.rename_axis("unit").reset_index()
        sv = args.language == "sv"
        rows = [
            ("Antal förbund" if sv else "Units", len(units), Kind.COUNT),
            ("Svar från" if sv else "Answered", len(merged.answered), Kind.COUNT),
            ("Utan svar" if sv else "Not answered", len(merged.unanswered), Kind.COUNT),
        ]
        sheet = "Förbund med svar" if sv else "Units with answers"
        _wrote(write_output(frame, output, args.language, parameters=rows, sheet=sheet),
               args.language)  # fmt: skip
    return 0


def _cmd_surplus(args: argparse.Namespace) -> int:
    output = check_output(args.output, TABLES)
    units = read_units(args.units) if args.units else None
    applications = read_applications(
        args.applications, args.sheet, units=None if units is None else units.index
    )
    staircase = read_staircase(args.staircase) if args.staircase else None
    params = Parameters(budget=args.budget, staircase=staircase)
    check_amounts(applications, params, ("application", "municipal_extra", "regional_extra"))
    if args.available is not None:
        available: float | Allocation = _checked_available(args, units, params)
    elif units is not None:
        budget = format_kronor(args.budget, args.language, ore=True)
        progress(say("leftover", args.language, budget=budget))
        available = allocate(units, params, solver=args.solver)
    else:
        raise InputError(
            "give --available, or --units to allocate the budget and use its leftover",
            sv="ange --available, eller --units för att fördela budgeten och använda de "
            "ofördelade medel som blir kvar",
        )
    extra = redistribute(
        applications,
        available,
        params,
        policy=args.policy,
        units=units,
        solver=args.solver,
        returned=returned_table(args.returned, None if units is None else units.index),
        kappa=args.kappa,
    )
    print(_surplus_summary(extra, args.language))
    _wrote(write_output(extra, output, args.language, units=units), args.language)
    return 0


def _checked_available(
    args: argparse.Namespace, units: pd.DataFrame | None, params: Parameters
) -> float:
    """``--available``, refused above what the year's budget leaves (money above the budget)."""
    left, what = args.budget, f"the year's budget (--budget {args.budget:,.0f} kr)"
    budget = format_kronor(args.budget, "sv", ore=True)
    vad = f"årets budget (--budget {budget})"
    if units is not None:
        left = allocate(units, params, solver=args.solver).unallocated
        what = f"what allocating --budget {args.budget:,.0f} kr to --units leaves ({left:,.0f} kr)"
        vad = (
            f"de ofördelade medel som blir kvar när --budget {budget} fördelas till --units "
            f"({format_kronor(left, 'sv', ore=True)})"
        )
    if args.available > left:
        raise InputError(
            f"--available {args.available:,.0f} kr is more than {what}: the year's decisions "
            "would add up to more than its budget; give at most that amount, or the right "
            "--budget",
            sv=f"--available {format_kronor(args.available, 'sv', ore=True)} är mer än {vad}: "
            "årets beslut skulle tillsammans bli större än budgeten; ange högst det beloppet, "
            "eller rätt --budget",
            column="available",
        )
    return float(args.available)


def _cmd_synthetic(args: argparse.Namespace) -> int:
    output = check_output(args.output, TABLES)
    if args.units < 10:
        raise InputError(
            f"n_units must be at least 10, got {args.units}",
            sv=f"antalet förbund (n_units) måste vara minst 10, inte {args.units}",
            column="n_units",
        )
    if output.suffix.lower() == ".xlsx" and args.units > EXCEL_ROWS:
        raise InputError(
            f"-o {output}: an Excel sheet holds {EXCEL_ROWS:,} förbund; write .csv",
            sv=f"-o {output}: en flik i Excel rymmer {format_number(EXCEL_ROWS, 'sv')} förbund; "
            "skriv .csv",
        )
    case = synthetic_units(args.units, seed=args.seed, scenario=args.scenario, budget=args.budget)
    if output.suffix.lower() == ".csv":
        files = _write_csv_fast(case.units, output, args.language)
    else:
        rows = [
            ("Antal förbund" if args.language == "sv" else "Units", args.units, Kind.COUNT),
            ("Frö" if args.language == "sv" else "Seed", args.seed, Kind.COUNT),
            ("Scenario", term(args.scenario, args.language), Kind.TEXT),
            ("Budget (kr)", case.params.budget, Kind.KRONOR),
        ]
        sheet = "Syntetiska förbund" if args.language == "sv" else "Synthetic units"
        frame = case.units.rename_axis("unit").reset_index()
        files = write_output(frame, output, args.language, parameters=rows, sheet=sheet)
    budget = format_kronor(case.params.budget, args.language)
    scenario = term(args.scenario, args.language)
    units = format_number(args.units, args.language)
    print(say("synthetic", args.language, units=units, scenario=scenario, seed=args.seed,
              budget=budget))  # fmt: skip
    _wrote(files, args.language)
    return 0


def _write_csv_fast(units: pd.DataFrame, path: Path, language: str) -> list[Path]:
    """Millions of rows: pandas' CSV writer, headers and separators as in every table."""
    sv = language == "sv"
    headers = {
        c: DECISION_HEADERS[c][0 if sv else 1] for c in units.columns if c in DECISION_HEADERS
    }
    frame = units.rename(columns=headers).rename_axis(DECISION_HEADERS["unit"][0 if sv else 1])
    with atomic_outputs([path]) as (temporary,):
        frame.to_csv(temporary, sep=";" if sv else ",", decimal="," if sv else ".",
                     encoding="utf-8-sig")  # fmt: skip

    return [path]


# ---------------------------------------------------------------- parser

Command = Callable[[argparse.Namespace], int]


def _subcommand(
    commands: argparse._SubParsersAction, name: str, function: Command, summary: str
) -> argparse.ArgumentParser:
    example = help_text("exempel", "example")
    parser = commands.add_parser(
        name,
        help=summary,
        description=f"{summary}\n\n{example}:\n  {_EXAMPLES[name]}",
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(function=function)
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; later issues add subcommands with :func:`_subcommand`."""
    parser = _Parser(
        prog="finsam-opt",
        description=help_text(
            "Fördela statens budget för finansiell samordning mellan förbunden.",
            "Allocate the state budget for finansiell samordning among the förbund.",
        ),
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--language",
        dest="first_language",
        choices=list(LANGUAGES),
        help=help_text(
            "språket för hjälpen och för allt kommandot skriver (sv), som efter kommandot",
            "the language of the help and of all the command writes (sv), as after the command",
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"finsam-opt {_version()}",
        # argparse's own help for --version does not go through its gettext hook
        help=help_text(
            "visa programmets version och avsluta", "show program's version number and exit"
        ),
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    example = _subcommand(
        commands,
        "example",
        _cmd_example,
        help_text("kör det nationella exemplet", "run the national example"),
    )
    example.add_argument(
        "--budget",
        type=kronor,
        default=NATIONAL_BUDGET,
        help=help_text('kronor (standard "339 Mkr")', 'kronor (default "339 Mkr")'),
    )
    add_policy(example)
    add_solver(example)
    add_language(example)
    add_output(
        example,
        ALLOCATION_OUTPUTS,
        default=EXAMPLE_OUTPUT,
        what=help_text("beslutsunderlaget", "the decision table"),
    )

    ideal = _subcommand(
        commands,
        "ideal",
        _cmd_ideal,
        help_text("juni: bara idealfördelningen", "June: the ideal allocation only"),
    )
    add_units(ideal)
    add_parameters(ideal)
    add_language(ideal)
    add_output(
        ideal, TABLES, what=help_text("den preliminära fördelningen", "the preliminary allocation")
    )

    alloc = _subcommand(
        commands,
        "allocate",
        _cmd_allocate,
        help_text("fördela med tak och golv", "allocate with caps and floors"),
    )
    add_units(alloc)
    add_parameters(alloc)
    add_policy(alloc)
    add_solver(alloc)
    alloc.add_argument(
        "--answers",
        nargs="+",
        help=help_text(
            "svarsfiler eller en mapp med svar att föra in först",
            "answer files or a folder to merge first",
        ),
    )
    add_language(alloc)
    add_output(
        alloc,
        ALLOCATION_OUTPUTS,
        what=help_text(
            "beslutsunderlaget (eller rapporten eller diagrammet)",
            "the decision table (or report or plot)",
        ),
    )

    template = _subcommand(
        commands,
        "template",
        _cmd_template,
        help_text("skriv svarsmallar", "write answer templates"),
    )
    add_units(template)
    add_parameters(template)
    add_language(template)
    template.add_argument(
        "-d",
        "--directory",
        required=True,
        help=help_text("mappen för svarsmallarna", "folder for the templates"),
    )
    template.add_argument(
        "--combined",
        action="store_true",
        help=help_text("en fil för alla förbund", "one file for all förbund"),
    )

    answers = _subcommand(
        commands,
        "answers",
        _cmd_answers,
        help_text("läs ifyllda svarsmallar", "read filled-in answer templates"),
    )
    answers.add_argument(
        "paths", nargs="+", help=help_text("svarsfiler eller en mapp", "answer files or a folder")
    )
    answers.add_argument(
        "--units",
        required=True,
        help=help_text("förbundstabellen som svaren gäller", "the unit table the answers are for"),
    )
    answers.add_argument(
        "--sheet", help=help_text("fliken i förbundstabellen", "sheet of the unit table")
    )
    add_age_band(answers)
    add_language(answers)
    add_output(
        answers,
        TABLES,
        required=False,
        what=help_text(
            "förbundstabellen med svaren införda", "the unit table with the answers merged"
        ),
    )

    surplus = _subcommand(
        commands,
        "surplus",
        _cmd_surplus,
        help_text(
            "våren: fördela ofördelade medel på nytt", "spring: redistribute ofördelade medel"
        ),
    )
    surplus.add_argument(
        "applications",
        help=help_text(
            "ansökningar (.xlsx/.csv), en rad per förbund",
            "applications (.xlsx/.csv), one row per förbund",
        ),
    )
    surplus.add_argument(
        "--sheet",
        help=help_text(
            "fliken med ansökningarna (standard: den första)",
            "sheet of the applications (default: the first)",
        ),
    )
    surplus.add_argument(
        "--units",
        help=help_text(
            "årets förbundstabell (behovsnyckel, eget kapital, omsättning)",
            "the year's unit table (need key, equity, turnover)",
        ),
    )
    surplus.add_argument(
        "--budget",
        type=kronor,
        default=NATIONAL_BUDGET,
        help=help_text('årets budget ("339 Mkr")', 'the year\'s budget ("339 Mkr")'),
    )
    surplus.add_argument(
        "--available",
        type=kronor,
        help=help_text(
            "belopp att fördela på nytt (standard: det som blir ofördelat när --budget "
            "fördelas till --units)",
            "amount to redistribute (default: the leftover of allocating --budget to --units)",
        ),
    )
    surplus.add_argument(
        "--returned",
        action="append",
        type=returned_funds,
        default=[],
        help=help_text(
            'återlämnade medel som kommit sent: "Förbund X=0,5 Mkr" eller en tabell (.xlsx/.csv) '
            "med kolumnerna Förbund och Återlämnade medel (kr, tkr eller Mkr); upprepa för flera",
            'funds handed back late: "Förbund X=0,5 Mkr" or a table (.xlsx/.csv) with the '
            "columns Förbund and Återlämnade medel (kr, tkr or Mkr); repeat for several",
        ),
    )
    surplus_default = help_text(
        "equity-first med --staircase, proportional utan",
        "equity-first with --staircase, proportional without",
    )
    surplus.add_argument(
        "--policy",
        choices=list(SURPLUS_POLICIES),
        default=None,
        help=policy_help(SURPLUS_POLICIES, surplus_default, toml=False),
    )
    surplus.add_argument(
        "--kappa",
        type=fraction,
        default=DEFAULT_KAPPA,
        help=help_text("styrkan i equity-penalty", "strength of equity-penalty"),
    )
    surplus.add_argument(
        "--staircase",
        help=help_text(
            "trappan för eget kapital som CSV (turnover_upper_bound, allowed_fraction)",
            "equity staircase CSV (turnover_upper_bound, allowed_fraction)",
        ),
    )
    add_solver(surplus)
    add_language(surplus)
    add_output(
        surplus, TABLES, what=help_text("tabellen över ofördelade medel", "the surplus table")
    )

    synthetic = _subcommand(
        commands,
        "synthetic",
        _cmd_synthetic,
        help_text("skriv en syntetisk förbundstabell", "write a synthetic unit table"),
    )
    synthetic.add_argument(
        "units",
        type=int,
        help=help_text("antal förbund (10 … 10 000 000)", "number of förbund (10 … 10 000 000)"),
    )
    synthetic.add_argument(
        "--seed",
        type=int,
        default=0,
        help=help_text("frö: samma frö, samma tabell", "seed: the same seed, the same table"),
    )
    synthetic.add_argument(
        "--scenario", choices=list(SCENARIOS), default="balance",
        help=help_text(
            "balance, surplus, mild-deficit (Σ mål = 1,01 B) eller severe-deficit",
            "balance, surplus, mild-deficit (Σ target = 1.01 B) or severe-deficit",
        ),
    )  # fmt: skip
    synthetic.add_argument(
        "--budget",
        type=kronor,
        help=help_text("kronor (standard 339 Mkr × n / 80)", "kronor (default 339 Mkr × n / 80)"),
    )
    add_language(synthetic)
    add_output(synthetic, TABLES, what=help_text("förbundstabellen", "the unit table"))

    add_round_parser(commands)  # one round of a year kept in a folder
    add_analysis_commands(commands)  # compare, simulate, report
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    spoken = language_of(arguments)
    with speaking(spoken):  # help texts and argparse's words
        args = build_parser().parse_args(arguments)
    # --language may stand before the command too ("finsam-opt --language en allocate …").
    language = args.language = spoken
    try:
        _refuse_writing_an_input(args)
        # A command that keeps its state in a folder holds it until its files are in place;
        # all files of one command are replaced together, or none is.
        held = getattr(args, "holds", None)
        with exclusive(getattr(args, held)) if held else contextlib.nullcontext():
            # "skrev …" is said once the files are in place, not before.
            with announcing(), atomic_outputs():
                return int(args.function(args))
    except KeyboardInterrupt:
        print(f"finsam-opt {args.command}: {say('interrupted', language)}", file=sys.stderr)
        # End as an interrupted program does (the shell sees the signal, not a code).
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
        return 130  # pragma: no cover - not reached where SIGINT ends the process
    except FinsamError as error:
        print(f"finsam-opt {args.command}: {error.text(language)}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"finsam-opt {args.command}: {error.strerror or error}: {error.filename}",
              file=sys.stderr)  # fmt: skip
        return 2


_OUTPUTS = {"output": "-o", "summary": "--summary", "report": "--report", "plot": "--plot",
            "figures": "--figures", "figures_plot": "--figures-plot"}  # fmt: skip


def _refuse_writing_an_input(args: argparse.Namespace) -> None:
    """An output that names one of the command's own input files would replace it."""
    inputs = [
        Path(value)
        for name, value in vars(args).items()
        if name not in _OUTPUTS and isinstance(value, str) and Path(value).is_file()
    ]
    for name, option in _OUTPUTS.items():
        value = getattr(args, name, None)
        if isinstance(value, str) and Path(value).is_file():
            if any(os.path.samefile(value, source) for source in inputs):
                raise InputError(
                    f"{option} {value}: is a file this command reads; write the result to "
                    "another file",
                    sv=f"{option} {value}: är en fil som kommandot läser; skriv resultatet till "
                    "en annan fil",
                )


if __name__ == "__main__":
    sys.exit(main())
