"""Command-line entry points for ``compare``, ``simulate`` and ``report``.

``cli.py`` registers them with :func:`add_analysis_commands`; each sets
``args.function`` to its ``run_*`` like every other subcommand. No model logic
here: each reads the unit table (CSV or xlsx, Swedish or English headers, via
:func:`finsam_opt.io.read_units`), calls the API, prints a short summary and
writes the files asked for. Bad input raises :class:`~finsam_opt.errors.FinsamError`,
which ``cli.main`` turns into one line on stderr and exit code 2, as for every
subcommand.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pandas as pd

from finsam_opt.analysis.changes import changes_from_frame
from finsam_opt.analysis.compare import compare
from finsam_opt.analysis.diagnostics import diagnose
from finsam_opt.analysis.report import write_report
from finsam_opt.analysis.simulate import CARRY, simulate
from finsam_opt.cli.arguments import POLICY_HELP, fraction, kronor, policy
from finsam_opt.cli.forecast_command import add_forecast_parser
from finsam_opt.datasets.national import NATIONAL_BUDGET
from finsam_opt.domain.parameters import Parameters
from finsam_opt.domain.units import check_previous_allocation
from finsam_opt.engine.allocate import allocate
from finsam_opt.engine.policies import DEFICIT_POLICIES
from finsam_opt.engine.solvers import SOLVERS
from finsam_opt.errors import InputError
from finsam_opt.io.columns import AGE_BANDS
from finsam_opt.io.growth import GrowthTable, read_growth
from finsam_opt.io.safe import atomic_outputs
from finsam_opt.io.tables import read_plain_table, read_units
from finsam_opt.language.words import LANGUAGES

__all__ = [
    "add_analysis_commands",
    "add_compare_parser",
    "add_report_parser",
    "add_simulate_parser",
    "run_compare",
    "run_report",
    "run_simulate",
]

Subparsers = Any  # argparse's _SubParsersAction is private


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("units", help="unit table (.csv or .xlsx, Swedish or English headers)")
    parser.add_argument(
        "--age-band",
        choices=list(AGE_BANDS),
        default="16-64",
        help="the ages the population column counts (a 16-65 header needs --age-band 16-65)",
    )
    parser.add_argument("--decrease-limit", type=fraction, default=0.10, help="d (10 %%)")
    parser.add_argument("--solver", choices=list(SOLVERS), default="fast")
    parser.add_argument("--lang", choices=list(LANGUAGES), default="sv", help="plots and report")


def add_compare_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    """Register ``compare``: every policy at one or more budgets against a baseline."""
    parser = subparsers.add_parser(
        "compare",
        help="compare deficit policies at one or more budgets",
        description="Allocate the units under several deficit policies and budgets and "
        "compare each with a baseline policy.",
    )
    _common(parser)
    parser.add_argument(
        "--budget", type=kronor, action="append", help="kronor; repeat for several (339 000 000)"
    )
    parser.add_argument(
        "--policy", action="append", type=policy, help=f"{POLICY_HELP}; repeat; default all"
    )
    parser.add_argument("--baseline", choices=list(DEFICIT_POLICIES), default="raise-limit")
    parser.add_argument("--output", help="write the tidy unit × policy × budget table (CSV)")
    parser.add_argument("--summary", help="write the diagnostics per policy and budget (CSV)")
    parser.add_argument("--report", help="write an HTML report")
    parser.add_argument("--plot", help="write the difference plot (PNG or SVG), first budget")
    parser.set_defaults(function=run_compare)
    return parser


def add_simulate_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    """Register ``simulate``: several years in a row."""
    parser = subparsers.add_parser(
        "simulate",
        help="simulate several years, each year's allocation the next one's floor",
        description="Simulate the allocation over several years: each year's decided amount "
        "becomes next year's previous allocation.",
    )
    _common(parser)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--first-year", type=int, default=1, help="label of the first year")
    parser.add_argument("--budget", type=kronor, default=NATIONAL_BUDGET, help="kronor a year")
    parser.add_argument("--budget-path", help="one budget per year, comma-separated (kronor)")
    parser.add_argument("--population-growth", type=float, default=0.0, help="a year, e.g. 0.01")
    parser.add_argument("--support-growth", type=float, default=0.0, help="a year, e.g. 0.02")
    parser.add_argument("--matching-growth", type=float, default=0.0, help="a year, e.g. 0.02")
    parser.add_argument(
        "--growth",
        help="file of rates per förbund and year (.csv/.xlsx: unit, year, population, "
        "support_measure, matching); replaces the --*-growth of the columns it has",
    )
    parser.add_argument("--changes", help="CSV of changes: year,action,unit,members,<columns>")
    parser.add_argument("--policy", type=policy, default="raise-limit", help=POLICY_HELP)
    parser.add_argument("--carry", choices=list(CARRY), default="rounded")
    parser.add_argument("--output", help="write the trajectories, unit × year (CSV)")
    parser.add_argument("--summary", help="write the figures per year (CSV)")
    parser.add_argument("--report", help="write an HTML report")
    parser.add_argument("--plot", help="write the glide-path plot (PNG or SVG)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(function=run_simulate)
    return parser


def add_report_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    """Register ``report``: one year's allocation as a self-contained HTML file."""
    parser = subparsers.add_parser(
        "report",
        help="write an HTML report of one allocation",
        description="Allocate the units and write a self-contained HTML report "
        "(for comparisons and simulations use their --report option).",
    )
    _common(parser)
    parser.add_argument("--budget", type=kronor, default=NATIONAL_BUDGET, help="kronor")
    parser.add_argument("--policy", type=policy, default="raise-limit", help=POLICY_HELP)
    parser.add_argument("--output", required=True, help="the HTML file to write")
    parser.add_argument("--plot", help="also write the allocation plot (PNG or SVG)")
    parser.set_defaults(function=run_report)
    return parser


def add_analysis_commands(subparsers: Subparsers) -> None:
    """Register ``compare``, ``simulate``, ``forecast`` and ``report``; each sets
    ``args.function``."""
    add_compare_parser(subparsers)
    add_simulate_parser(subparsers)
    add_forecast_parser(subparsers)
    add_report_parser(subparsers)


def run_compare(args: argparse.Namespace) -> int:
    """Run ``finsam-opt compare``; returns the exit code 0."""
    from finsam_opt.analysis.plots import plot_comparison

    units = read_units(args.units, age_band=args.age_band)
    budgets = args.budget or [NATIONAL_BUDGET]
    params = Parameters(budget=budgets[0], decrease_limit=args.decrease_limit)
    check_previous_allocation(units, Parameters(budget=max(budgets)))
    result = compare(units, params, args.policy, budgets, args.baseline, args.solver)
    shown = [
        "budget",
        "policy",
        "scenario",
        "balancing_scalar",
        "decrease_limit",
        "floor_cost",
        "floor_relaxed",
        "error",
    ]
    print(_text(result.summary.reindex(columns=shown)))
    if args.output:
        _write_csv(result.table, args.output, index=False)
    if args.summary:
        _write_csv(result.summary, args.summary, index=False)
    if args.report:
        write_report(result, args.report, lang=args.lang)
    if args.plot:
        _save_figure(plot_comparison(result, result.budgets[0], lang=args.lang), args.plot)
    return 0


def run_simulate(args: argparse.Namespace) -> int:
    """Run ``finsam-opt simulate``; returns the exit code 0."""
    from finsam_opt.analysis.plots import plot_glide_paths

    units = read_units(args.units, age_band=args.age_band)
    params = Parameters(budget=args.budget, decrease_limit=args.decrease_limit)
    check_previous_allocation(units, params)
    path = None
    if args.budget_path:
        try:
            path = [kronor(b) for b in args.budget_path.split(",")]
        except argparse.ArgumentTypeError as error:
            raise InputError(f"--budget-path: {error}", column="budget_path") from None
    changes = changes_from_frame(_read_csv(args.changes)) if args.changes else ()
    growth = read_growth(args.growth) if args.growth else GrowthTable()
    result = simulate(
        units,
        params,
        years=args.years,
        policy=args.policy,
        solver=args.solver,
        population_growth=args.population_growth
        if growth.population is None
        else growth.population,
        support_growth=args.support_growth
        if growth.support_measure is None
        else growth.support_measure,
        matching_growth=args.matching_growth if growth.matching is None else growth.matching,
        budget_path=path,
        changes=changes,
        carry=args.carry,
        first_year=args.first_year,
        progress=False if args.no_progress else None,
    )
    shown = [
        "budget",
        "scenario",
        "allocated_rounded",
        "unallocated",
        "decrease_limit",
        "protected",
        "floor_cost",
    ]
    print(_text(result.years[shown]))
    reached = result.reached_ideal
    count = int(reached.notna().sum())
    print(f"units reaching their ideal by year {result.year_labels[-1]}: {count} of {len(reached)}")
    if args.output:
        _write_csv(result.trajectories, args.output, index=False)
    if args.summary:
        _write_csv(result.years, args.summary)
    if args.report:
        write_report(result, args.report, lang=args.lang)
    if args.plot:
        _save_figure(plot_glide_paths(result, lang=args.lang), args.plot)
    return 0


def run_report(args: argparse.Namespace) -> int:
    """Run ``finsam-opt report``; returns the exit code 0."""
    from finsam_opt.analysis.plots import plot_allocation

    units = read_units(args.units, age_band=args.age_band)
    params = Parameters(budget=args.budget, decrease_limit=args.decrease_limit)
    check_previous_allocation(units, params)
    result = allocate(units, params, args.policy, args.solver)
    write_report(result, args.output, lang=args.lang)
    if args.plot:
        _save_figure(plot_allocation(result, lang=args.lang), args.plot)
    d = diagnose(result)
    limit = "–" if d.decrease_limit is None else f"{d.decrease_limit:.2%}"
    print(
        f"{d.scenario}: effective decrease limit {limit}, floor cost {d.floor_cost:,.0f} kr; "
        f"report written to {args.output}"
    )
    return 0


def _write_csv(frame: pd.DataFrame, path: str, *, index: bool = True) -> None:
    with atomic_outputs([Path(path)]) as (temporary,):
        frame.to_csv(temporary, index=index)


def _save_figure(figure: Any, path: str) -> None:
    target = Path(path)
    file_format = target.suffix.lstrip(".").lower() or "png"
    with atomic_outputs([target]) as (temporary,):
        figure.savefig(temporary, format=file_format)


def _read_csv(path: str) -> pd.DataFrame:
    return read_plain_table(path)


def _text(frame: pd.DataFrame) -> str:
    with pd.option_context("display.width", 160, "display.float_format", _number):
        return frame.to_string()


def _number(value: float) -> str:
    """Kronor as whole kronor with digit grouping; rates and shares to four digits."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"
