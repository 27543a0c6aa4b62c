"""The ``finsam-opt`` command line. No model logic here: it parses, calls the API, prints.

Each subcommand is one small function ``_cmd_<name>(args) -> int`` registered
with :func:`_subcommand`; adding a subcommand is adding one ``add_parser`` call
and one function. Bad input gives one line on stderr and exit code 2; progress
goes to stderr, results to stdout.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

import pandas as pd

from finsam_opt.cli.analysis_commands import add_analysis_commands
from finsam_opt.cli.arguments import POLICY_HELP, fraction, kronor, policy
from finsam_opt.datasets.national import NATIONAL_BUDGET, national_example
from finsam_opt.datasets.synthetic import SCENARIOS, write_synthetic
from finsam_opt.domain.municipalities import aggregate_municipalities
from finsam_opt.domain.parameters import Parameters, Unanswered
from finsam_opt.domain.staircase import Staircase
from finsam_opt.domain.units import Matching, check_previous_allocation
from finsam_opt.engine.allocate import allocate
from finsam_opt.engine.result import Allocation
from finsam_opt.engine.solvers import SOLVERS
from finsam_opt.engine.surplus import DEFAULT_KAPPA, SURPLUS_POLICIES, Redistribution, redistribute
from finsam_opt.errors import FinsamError, InputError
from finsam_opt.io.columns import AGE_BANDS
from finsam_opt.io.decision import write_decision_table, write_table
from finsam_opt.io.safe import atomic_outputs
from finsam_opt.io.surplus_table import write_redistribution
from finsam_opt.io.tables import (
    read_applications,
    read_memberships,
    read_municipalities,
    read_staircase,
    read_table,
    read_units,
)
from finsam_opt.io.templates import merge_answers, read_answers, write_templates
from finsam_opt.language.numbers import format_kronor
from finsam_opt.year.process import ideal_table

__all__ = ["main"]

EXAMPLE_OUTPUT = "finsam_example_beslutsunderlag.xlsx"

_EPILOG = """examples:
  finsam-opt example                                  # the national example, 339 Mkr
  finsam-opt ideal forbund.xlsx -o preliminar.xlsx    # June: the ideal allocation
  finsam-opt template forbund.xlsx -d svarsmallar/    # answer templates, one per förbund
  finsam-opt answers svarsmallar/ --units forbund.xlsx -o forbund_svar.xlsx
  finsam-opt allocate forbund_svar.xlsx --budget "339 Mkr" -o beslutsunderlag.xlsx
  finsam-opt allocate --municipalities kommuner.xlsx --memberships medlemmar.csv \\
      --unit-data forbund.csv --year 2027 -o beslutsunderlag.csv
  finsam-opt surplus ansokningar.xlsx --units forbund_svar.xlsx --returned "0,5 Mkr" \\
      -o ofordelade_medel.xlsx                         # spring: ofördelade medel

Amounts may be written the Swedish way: "339 Mkr", "339 000 000", "400 tkr".
Column headers may be Swedish (Förbund, Invånare 16-64, Försörjningsmått, ...) or English.
"""


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error message (exit code 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _progress(message: str) -> None:
    print(message, file=sys.stderr)


# ---------------------------------------------------------------- helpers


def _add_params(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--budget", type=kronor, default=NATIONAL_BUDGET, help='kronor (default "339 Mkr")'
    )
    parser.add_argument("--base-amount", type=kronor, default=400_000.0, help="default 400 tkr")
    parser.add_argument(
        "--decrease-limit", type=fraction, default=0.10, help='"10 %%", "0,1" (default 0.10)'
    )
    parser.add_argument("--language", choices=["sv", "en"], default="sv", help="headers")
    parser.add_argument(
        "--unanswered",
        choices=[str(u) for u in Unanswered],
        default=str(Unanswered.ERROR),
        help="a blank municipal or regional contribution: refuse (error, default), last "
        "year's allocation / 2 (previous) or no limit (no-limit)",
    )


def _add_units(parser: argparse.ArgumentParser, *, required: bool = False) -> None:
    parser.add_argument("units", nargs="?", help="unit table (.xlsx/.csv), one row per förbund")
    parser.add_argument("--sheet", help="sheet of the unit table (default: the first)")
    parser.add_argument("--municipalities", help="municipality statistics, one row per kommun")
    parser.add_argument("--memberships", help="kommun → förbund table")
    parser.add_argument("--unit-data", help="per-förbund amounts to join to municipality data")
    parser.add_argument("--year", type=int, help="year of the memberships to use")
    _add_age_band(parser)


def _add_age_band(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--age-band",
        choices=list(AGE_BANDS),
        default="16-64",
        help="the ages the population column counts (16-64); a header 'Invånare 16-65' "
        "is read only with --age-band 16-65",
    )


def _params(args: argparse.Namespace) -> Parameters:
    return Parameters(
        budget=args.budget,
        base_amount=args.base_amount,
        decrease_limit=args.decrease_limit,
        unanswered=args.unanswered,
    )


def _load_units(args: argparse.Namespace) -> pd.DataFrame:
    units = _read_unit_files(args)
    if getattr(args, "budget", None) is not None:
        check_previous_allocation(units, _params(args))
    return units


def _read_unit_files(args: argparse.Namespace) -> pd.DataFrame:
    if args.units and (args.municipalities or args.memberships):
        raise InputError("give either a unit table or --municipalities/--memberships, not both")
    if args.units:
        _progress(f"reading {args.units}")
        return read_units(args.units, args.sheet, age_band=args.age_band)
    if args.municipalities and args.memberships:
        _progress(f"reading {args.municipalities} and {args.memberships}")
        unit_data = read_table(args.unit_data, "unit_data") if args.unit_data else None
        municipalities = read_municipalities(args.municipalities, age_band=args.age_band)
        memberships = read_memberships(args.memberships)
        try:
            aggregation = aggregate_municipalities(
                municipalities, memberships, year=args.year, unit_data=unit_data
            )
        except InputError as error:
            files = [Path(p).name for p in (args.memberships, args.unit_data) if p]
            raise InputError(
                f"{' + '.join(files)}: {error}", column=error.column, units=error.units
            ) from error
        if len(aggregation.outside):
            _progress(f"{len(aggregation.outside)} municipalities are in no förbund")
        return aggregation.units
    raise InputError("no units: give a unit table, or --municipalities and --memberships")


def _summary(result: Allocation) -> str:
    limit = "—" if result.decrease_limit is None else f"{result.decrease_limit:.2%}"
    counts = result.table["binding"].value_counts()
    cases = ", ".join(f"{rule} {count}" for rule, count in counts.items())
    return (
        f"{len(result.table)} förbund · scenario {result.scenario} · policy {result.policy}\n"
        f"budget {format_kronor(result.parameters.budget)} · allocated "
        f"{format_kronor(result.rounded_total)} · unallocated "
        f"{format_kronor(result.unallocated)} · effective decrease limit {limit}\n"
        f"binding rule: {cases}\n"
        f"{_matching_line(result)}"
    )


def _matching_line(result: Allocation) -> str:
    if result.matching is Matching.NOT_COLLECTED:
        return "matching: not collected (no contribution columns): no matching cap applied"
    assumed = result.assumed
    if assumed.empty:
        return "matching: collected from every förbund"
    parties = assumed.groupby("unit", sort=False)["party"].agg(", ".join)
    listed = "; ".join(f"{unit} ({party})" for unit, party in parties.items())
    return (
        f"matching: collected; assumed ({assumed['assumed_as'].iloc[0]}, not answered) "
        f"for {len(parties)} förbund: {listed}"
    )


def _surplus_summary(extra: Redistribution) -> str:
    counts = extra.table["binding"].value_counts()
    cases = ", ".join(f"{rule} {count}" for rule, count in counts.items())
    rationed = (
        "applications fit: granted in full"
        if extra.phase_description is None
        else f"rationed: {extra.phase_description} (λ = {extra.balancing_scalar:.6f})"
    )
    return (
        f"{int((extra.table['application'] > 0).sum())} applications · policy {extra.policy}\n"
        f"available {format_kronor(extra.available)} · applied for "
        f"{format_kronor(extra.table['application'].sum())} · granted "
        f"{format_kronor(extra.rounded_total)} · still unallocated "
        f"{format_kronor(extra.unallocated)}\n"
        f"{rationed}\n"
        f"binding rule: {cases}"
    )


def _read_staircase(path: str) -> Staircase:
    return read_staircase(path)


def _write(result: Allocation, units: pd.DataFrame, output: str, language: str) -> None:
    files = write_decision_table(result, output, language=language, units=units)
    print("wrote " + ", ".join(str(f) for f in files))


# ---------------------------------------------------------------- subcommands


def _cmd_example(args: argparse.Namespace) -> int:
    example = national_example()
    params = Parameters(budget=args.budget)
    result = allocate(example.units, params, policy=args.policy, solver=args.solver)
    print(
        f"National example: {len(example.municipalities)} municipalities "
        f"({len(example.outside)} in no förbund); amounts are synthetic"
    )
    print(_summary(result))
    _write(result, example.units, args.output, args.language)
    return 0


def _cmd_ideal(args: argparse.Namespace) -> int:
    units = _load_units(args)
    table = ideal_table(units, _params(args))
    for column in ("previous_allocation", "region"):
        if column in units.columns:
            table.insert(0, column, units[column])
    table["ideal_tkr"] = table["amount"] / 1000
    table = table.drop(columns=["amount"]).rename_axis("unit").reset_index()
    files = write_table(table, args.output, language=args.language)
    print(f"{len(table)} förbund · ideal allocation of {format_kronor(args.budget)}")
    print("wrote " + ", ".join(str(f) for f in files))
    return 0


def _cmd_allocate(args: argparse.Namespace) -> int:
    units = _load_units(args)
    if args.answers:
        merged = merge_answers(units, read_answers(args.answers, units=units.index))
        units = merged.units
        _progress(f"answers from {len(merged.answered)} förbund; {len(merged.unanswered)} none")
    result = allocate(units, _params(args), policy=args.policy, solver=args.solver)
    print(_summary(result))
    _write(result, units, args.output, args.language)
    return 0


def _cmd_template(args: argparse.Namespace) -> int:
    units = _load_units(args)
    Path(args.directory).mkdir(parents=True, exist_ok=True)
    preliminary = ideal_table(units, _params(args))["ideal"]
    files = write_templates(units, args.directory, preliminary=preliminary, combined=args.combined)
    print(f"wrote {len(files)} answer template(s) to {args.directory}")
    return 0


def _cmd_answers(args: argparse.Namespace) -> int:
    units = read_units(args.units, args.sheet, age_band=args.age_band)
    answers = read_answers(args.paths, units=units.index)
    merged = merge_answers(units, answers)
    print(f"answers from {len(merged.answered)} of {len(units)} förbund")
    if merged.unanswered:
        print("no answer from: " + ", ".join(str(u) for u in merged.unanswered))
    missing = merged.missing_matching
    if not missing.empty:
        parties = missing.groupby("unit", sort=False)["party"].agg(", ".join)
        print(
            f"no matching answer (blank) for {len(parties)} förbund: "
            + "; ".join(f"{unit} ({party})" for unit, party in parties.items())
            + ". allocate refuses them unless --unanswered previous or no-limit"
        )
    if args.output:
        frame = merged.units.rename_axis("unit").reset_index()
        files = write_table(frame, args.output, language=args.language)
        print("wrote " + ", ".join(str(f) for f in files))
    return 0


def _cmd_surplus(args: argparse.Namespace) -> int:
    applications = read_applications(args.applications, args.sheet)
    units = read_units(args.units) if args.units else None
    staircase = _read_staircase(args.staircase) if args.staircase else None
    params = Parameters(budget=args.budget, staircase=staircase)
    if args.available is not None:
        available: float | Allocation = args.available
    elif units is not None:
        _progress(f"allocating {format_kronor(args.budget)} to find what is left over")
        available = allocate(units, params, solver=args.solver)
    else:
        raise InputError("give --available, or --units to allocate the budget and use its leftover")
    extra = redistribute(
        applications,
        available,
        params,
        policy=args.policy,
        units=units,
        solver=args.solver,
        returned=args.returned,
        kappa=args.kappa,
    )
    print(_surplus_summary(extra))
    files = write_redistribution(extra, args.output, language=args.language, units=units)
    print("wrote " + ", ".join(str(f) for f in files))
    return 0


def _cmd_synthetic(args: argparse.Namespace) -> int:
    case = write_synthetic(args.output, args.units, args.seed, args.scenario, args.budget)
    print(
        f"{case.units.shape[0]:,} synthetic förbund ({args.scenario}, seed {args.seed}); "
        f"budget {format_kronor(case.params.budget)}"
    )
    print(f"wrote {args.output}")
    return 0


# ---------------------------------------------------------------- parser

Command = Callable[[argparse.Namespace], int]


def _subcommand(
    commands: argparse._SubParsersAction, name: str, function: Command, help_text: str
) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        name,
        help=help_text,
        description=help_text,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(function=function)
    return parser


def _add_solver(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--policy", type=policy, default="raise-limit", help=POLICY_HELP)
    parser.add_argument("--solver", choices=list(SOLVERS), default="fast")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; later issues add subcommands with :func:`_subcommand`."""
    parser = _Parser(
        prog="finsam-opt",
        description="Allocate the state budget for finansiell samordning among the förbund.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    example = _subcommand(commands, "example", _cmd_example, "run the national example")
    example.add_argument("--budget", type=kronor, default=NATIONAL_BUDGET)
    example.add_argument("-o", "--output", default=EXAMPLE_OUTPUT, help=f"({EXAMPLE_OUTPUT})")
    example.add_argument("--language", choices=["sv", "en"], default="sv")
    _add_solver(example)

    ideal = _subcommand(commands, "ideal", _cmd_ideal, "June: the ideal allocation only")
    _add_units(ideal)
    _add_params(ideal)
    ideal.add_argument("-o", "--output", required=True, help="table to write (.xlsx/.csv)")

    alloc = _subcommand(commands, "allocate", _cmd_allocate, "allocate with caps and floors")
    _add_units(alloc)
    _add_params(alloc)
    _add_solver(alloc)
    alloc.add_argument("--answers", nargs="+", help="answer files or a folder to merge first")
    alloc.add_argument("-o", "--output", required=True, help="decision table (.xlsx/.csv)")

    template = _subcommand(commands, "template", _cmd_template, "write answer templates")
    _add_units(template)
    _add_params(template)
    template.add_argument("-d", "--directory", required=True, help="folder for the templates")
    template.add_argument("--combined", action="store_true", help="one file for all förbund")

    answers = _subcommand(commands, "answers", _cmd_answers, "read filled-in answer templates")
    answers.add_argument("paths", nargs="+", help="answer files or a folder")
    answers.add_argument("--units", required=True, help="the unit table the answers are for")
    answers.add_argument("--sheet", help="sheet of the unit table")
    _add_age_band(answers)
    answers.add_argument("-o", "--output", help="write the unit table with the answers merged")
    answers.add_argument("--language", choices=["sv", "en"], default="sv")

    surplus = _subcommand(
        commands, "surplus", _cmd_surplus, "spring: redistribute ofördelade medel"
    )
    surplus.add_argument("applications", help="applications (.xlsx/.csv), one row per förbund")
    surplus.add_argument("--sheet", help="sheet of the applications (default: the first)")
    surplus.add_argument("--units", help="the year's unit table (need key, equity, turnover)")
    surplus.add_argument(
        "--budget", type=kronor, default=NATIONAL_BUDGET, help='the year\'s budget ("339 Mkr")'
    )
    surplus.add_argument(
        "--available", type=kronor, help="amount to redistribute (default: the leftover of "
        "allocating --budget to --units)",
    )  # fmt: skip
    surplus.add_argument("--returned", type=kronor, default=0.0, help="funds handed back late")
    surplus.add_argument(
        "--policy", choices=list(SURPLUS_POLICIES), default="equity-first", help="(equity-first)"
    )
    surplus.add_argument(
        "--kappa", type=fraction, default=DEFAULT_KAPPA, help="strength of equity-penalty"
    )
    surplus.add_argument("--staircase", help="equity staircase CSV (turnover_upper_bound, "
                         "allowed_fraction)")  # fmt: skip
    surplus.add_argument("--solver", choices=list(SOLVERS), default="fast")
    surplus.add_argument("--language", choices=["sv", "en"], default="sv", help="headers")
    surplus.add_argument("-o", "--output", required=True, help="table to write (.xlsx/.csv)")

    synthetic = _subcommand(commands, "synthetic", _cmd_synthetic, "write a synthetic unit table")
    synthetic.add_argument("units", type=int, help="number of förbund (10 … 10 000 000)")
    synthetic.add_argument("--seed", type=int, default=0)
    synthetic.add_argument("--scenario", choices=list(SCENARIOS), default="balance")
    synthetic.add_argument("--budget", type=kronor, help="kronor (default 339 Mkr × n / 80)")
    synthetic.add_argument("-o", "--output", required=True, help="CSV file to write")

    add_analysis_commands(commands)  # compare, simulate, report
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        # All files of one command are replaced together, or none is.
        with atomic_outputs():
            return int(args.function(args))
    except FinsamError as error:
        print(f"finsam-opt {args.command}: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"finsam-opt {args.command}: {error.strerror or error}: {error.filename}",
              file=sys.stderr)  # fmt: skip
        return 1


if __name__ == "__main__":
    sys.exit(main())
