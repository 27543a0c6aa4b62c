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
from finsam_opt.analysis.simulate import CARRY, simulate
from finsam_opt.cli.arguments import fraction, kronor, policy
from finsam_opt.cli.explore_command import add_explore_parser
from finsam_opt.cli.forecast_command import add_forecast_parser, growth_help
from finsam_opt.cli.help_language import help_text
from finsam_opt.cli.options import (
    add_language,
    add_output,
    add_parameters,
    add_policy,
    add_solver,
    add_units,
    announce,
    load_units,
    parameters,
    policy_help,
)
from finsam_opt.cli.outputs import (
    PLOTS,
    REPORTS,
    TABLES,
    check_optional,
    write_output,
)
from finsam_opt.datasets.national import NATIONAL_BUDGET
from finsam_opt.engine.allocate import allocate
from finsam_opt.engine.explain import matching_line
from finsam_opt.engine.policies import DEFICIT_POLICIES
from finsam_opt.errors import InputError
from finsam_opt.io.decision import model_parameter_rows
from finsam_opt.io.growth import GrowthTable, read_growth
from finsam_opt.io.safe import atomic_outputs
from finsam_opt.io.tables import read_plain_table
from finsam_opt.io.workbook import Kind
from finsam_opt.language.numbers import format_kronor, format_number, format_percent
from finsam_opt.language.words import COLUMNS, LANGUAGES, say, term

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


_ANALYSIS_OUTPUTS = (*TABLES, *REPORTS, *PLOTS)
_SHEETS = {  # the sheet names of a result's table and of its summary
    "Comparison": ({"sv": "Jämförelse per förbund", "en": "Comparison by unit"},
                   {"sv": "Utfall per princip", "en": "Outcome by policy"}),
    "Simulation": ({"sv": "Tilldelning per år", "en": "Allocation by year"},
                   {"sv": "År för år", "en": "Year by year"}),
    "Allocation": ({"sv": "Beslutsunderlag", "en": "Decision table"},
                   {"sv": "Nyckeltal", "en": "Figures"}),
}  # fmt: skip


def _common(parser: argparse.ArgumentParser, example: str) -> None:
    parser.description = f"{parser.description}\n\n{help_text('exempel', 'example')}:\n  {example}"
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    add_units(parser)
    add_solver(parser)
    add_language(parser)


def add_compare_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    """Register ``compare``: every policy at one or more budgets against a baseline."""
    parser = subparsers.add_parser(
        "compare",
        help=help_text(
            "jämför principer för underskott vid en eller flera budgetar",
            "compare deficit policies at one or more budgets",
        ),
        description=help_text(
            "Fördela medlen till förbunden enligt flera principer för underskott och vid flera "
            "budgetar, och jämför var och en med en jämförelseprincip.",
            "Allocate the units under several deficit policies and budgets and "
            "compare each with a baseline policy.",
        ),
    )
    _common(parser, 'finsam-opt compare forbund.xlsx --budget "290 Mkr" -o jamforelse.xlsx')
    add_parameters(
        parser,
        budget_help=help_text(
            "kronor; upprepa för flera budgetar (standard 339 Mkr)",
            "kronor; repeat for several (default 339 Mkr)",
        ),
        several=True,
    )
    parser.add_argument(
        "--policy", action="append", type=policy,
        help=policy_help(DEFICIT_POLICIES, "all", toml=True).replace("%", "%%")
        + help_text("; upprepa för flera", "; repeat"),
    )  # fmt: skip
    parser.add_argument(
        "--baseline", choices=list(DEFICIT_POLICIES), default="raise-limit",
        help=help_text("principen som de andra jämförs med (raise-limit)",
                       "the policy the others are compared with (raise-limit)"),
    )  # fmt: skip
    add_output(
        parser,
        _ANALYSIS_OUTPUTS,
        required=False,
        what=help_text(
            "tabellen förbund × princip × budget, rapporten eller diagrammet",
            "the unit × policy × budget table, the report or the plot",
        ),
    )
    parser.add_argument(
        "--summary",
        help=help_text(
            "utfallet per princip och budget (.xlsx/.csv)",
            "the outcome per policy and budget (.xlsx/.csv)",
        ),
    )
    parser.add_argument("--report", help=_report_help())
    parser.add_argument(
        "--plot",
        help=help_text(
            "diagram över skillnaderna vid den budget där principerna skiljer sig mest (.png/.svg)",
            "the difference plot at the budget where policies differ most (.png/.svg)",
        ),
    )
    parser.add_argument(
        "--figures",
        help=help_text(
            "per princip och budget: balanstal, förbund på golvet, största minskning, Gini mot de "
            "ideala andelarna, år till idealet, vinnare, förlorare (.xlsx/.csv)",
            "per policy and budget: balancing scalar, on the floor, largest cut, "
            "Gini against the ideal shares, years to the ideal, winners, losers (.xlsx/.csv)",
        ),
    )
    parser.add_argument(
        "--figures-plot",
        help=help_text("en panel per nyckeltal (.png/.svg)", "one panel per figure (.png/.svg)"),
    )
    parser.add_argument(
        "--years",
        type=_years,
        default=5,
        help=help_text(
            "antal år i prognosen för år till idealet (5)",
            "years forecast for the years to the ideal (5)",
        ),
    )
    parser.set_defaults(function=run_compare)
    return parser


def add_simulate_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    """Register ``simulate``: several years in a row."""
    parser = subparsers.add_parser(
        "simulate",
        help=help_text(
            "simulera flera år, där varje års tilldelning blir nästa års golv",
            "simulate several years, each year's allocation the next one's floor",
        ),
        description=help_text(
            "Simulera fördelningen över flera år: varje års beslutade belopp blir nästa års "
            "föregående tilldelning.",
            "Simulate the allocation over several years: each year's decided amount "
            "becomes next year's previous allocation.",
        ),
    )
    _common(parser, "finsam-opt simulate forbund.xlsx --years 5 -o fem_ar.xlsx")
    add_parameters(
        parser,
        budget_help=help_text(
            "kronor per år (standard 339 Mkr)", "kronor a year (default 339 Mkr)"
        ),
    )
    parser.add_argument(
        "--years",
        type=_years,
        default=5,
        help=help_text("antal år att simulera, 1 … 50 (5)", "years to simulate, 1 … 50 (5)"),
    )
    parser.add_argument(
        "--first-year",
        type=int,
        default=1,
        help=help_text("det första årets beteckning (1)", "label of the first year (1)"),
    )
    parser.add_argument(
        "--budget-path",
        help=help_text(
            "en budget per år, med kommatecken emellan (kronor)",
            "one budget per year, comma-separated (kronor)",
        ),
    )
    for name, example in (("population", "0.01"), ("support", "0.02"), ("matching", "0.02")):
        swedish = example.replace(".", ",")
        parser.add_argument(
            f"--{name}-growth",
            type=fraction,  # "0,01", "0.01" or "1 %", as forecast's
            default=0.0,
            help=help_text(
                f"tillväxt per år, t.ex. {swedish} eller {float(example):.0%}".replace("%", " %%"),
                f"a year, e.g. {example}",
            ),
        )
    parser.add_argument("--growth", help=growth_help())
    parser.add_argument(
        "--changes",
        help=help_text(
            "tabell med förändringar: year,action,unit,members,<kolumner>",
            "table of changes: year,action,unit,members,<columns>",
        ),
    )
    add_policy(parser)
    parser.add_argument(
        "--carry", choices=list(CARRY), default="rounded",
        help=help_text(
            "vad som blir nästa års föregående tilldelning: det avrundade (standard) eller det "
            "exakta beloppet",
            "what becomes next year's previous allocation: the rounded (default) or exact amount",
        ),
    )  # fmt: skip
    add_output(
        parser,
        _ANALYSIS_OUTPUTS,
        required=False,
        what=help_text(
            "tilldelningen förbund × år, rapporten eller diagrammet",
            "the trajectories (unit × year), the report or the plot",
        ),
    )
    parser.add_argument(
        "--summary",
        help=help_text("nyckeltalen per år (.xlsx/.csv)", "the figures per year (.xlsx/.csv)"),
    )
    parser.add_argument("--report", help=_report_help())
    parser.add_argument(
        "--plot",
        help=help_text(
            "diagram över vägen mot idealfördelningen (.png/.svg)",
            "the glide-path plot (.png/.svg)",
        ),
    )
    parser.add_argument(
        "--no-progress",
        action="store_true",
        help=help_text("ingen förloppsindikator", "no progress bar"),
    )
    parser.set_defaults(function=run_simulate)
    return parser


def add_report_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    """Register ``report``: one year's allocation as a self-contained HTML file."""
    parser = subparsers.add_parser(
        "report",
        help=help_text(
            "skriv en rapport i HTML om en fördelning", "write an HTML report of one allocation"
        ),
        description=help_text(
            "Fördela medlen till förbunden och skriv en fristående rapport i HTML "
            "(för jämförelser och simuleringar: använd deras flagga --report).",
            "Allocate the units and write a self-contained HTML report "
            "(for comparisons and simulations use their --report option).",
        ),
    )
    _common(parser, "finsam-opt report forbund.xlsx -o rapport.html")
    add_parameters(parser)
    add_policy(parser)
    add_output(parser, REPORTS, what=help_text("rapporten", "the report"))
    parser.add_argument(
        "--plot",
        help=help_text(
            "även diagrammet över fördelningen (.png/.svg)", "also the allocation plot (.png/.svg)"
        ),
    )
    parser.set_defaults(function=run_report)
    return parser


def _report_help() -> str:
    return help_text("en rapport i HTML (.html)", "an HTML report (.html)")


def add_analysis_commands(subparsers: Subparsers) -> None:
    """Register ``compare``, ``simulate``, ``forecast``, ``explore`` and ``report``; each sets
    ``args.function``."""
    add_compare_parser(subparsers)
    add_simulate_parser(subparsers)
    add_forecast_parser(subparsers)
    add_explore_parser(subparsers)
    add_report_parser(subparsers)


def _years(text: str) -> int:
    try:
        years = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            help_text(f"inget heltal: {text!r}", f"not a whole number: {text!r}")
        ) from None
    if not 1 <= years <= 50:
        raise argparse.ArgumentTypeError(
            help_text(f"{years} år: välj 1 … 50", f"{years} years: choose 1 … 50")
        )
    return years


def _outputs(args: argparse.Namespace) -> dict[str, Path | None]:
    """Every file the command will write, checked before any work."""
    return {
        "output": check_optional(args.output, _ANALYSIS_OUTPUTS),
        "summary": check_optional(getattr(args, "summary", None), TABLES, "--summary"),
        "report": check_optional(getattr(args, "report", None), REPORTS, "--report"),
        "plot": check_optional(args.plot, PLOTS, "--plot"),
    }


def _write_all(
    result: Any,
    outputs: dict[str, Path | None],
    args: argparse.Namespace,
    rows: list[tuple[str, object, Kind]],
    summary: pd.DataFrame | None,
) -> None:
    language = args.language
    written: list[Path] = []
    table, outcome = _SHEETS[type(result).__name__]
    for key in ("output", "report", "plot"):
        target = outputs[key]
        if target is not None:
            written += write_output(
                result, target, language, parameters=rows, sheet=table[language]
            )
    if outputs["summary"] is not None and summary is not None:
        written += write_output(summary, outputs["summary"], language, parameters=rows,
                                sheet=outcome[language], total=False)  # fmt: skip
    if written:
        announce(say("wrote", language, files=", ".join(str(f) for f in written)))


def _analysis_rows(args: argparse.Namespace, language: str) -> list[tuple[str, object, Kind]]:
    sv = language == "sv"
    rows = model_parameter_rows(parameters(args), language)
    if isinstance(args.budget, list) and len(args.budget) > 1:
        label = "Jämförd budget (kr)" if sv else "Budget compared (kr)"
        rows += [(label, budget, Kind.KRONOR) for budget in args.budget]
    rows.append(("Lösare" if sv else "Solver", term(args.solver, language), Kind.TEXT))
    return rows


def run_compare(args: argparse.Namespace) -> int:
    """Run ``finsam-opt compare``; returns the exit code 0."""
    outputs = _outputs(args)
    units = load_units(args)
    budgets = args.budget or [NATIONAL_BUDGET]
    params = parameters(args)
    result = compare(units, params, args.policy, budgets, args.baseline, args.solver)
    shown = ["budget", "policy", "scenario", "balancing_scalar", "decrease_limit",
             "floor_cost", "floor_relaxed", "error"]  # fmt: skip
    print(_text(result.summary.reindex(columns=shown), args.language))
    if result.results:  # the same units are assumed in every run: one line names them
        print(matching_line(next(iter(result.results.values())), args.language))
    rows = _analysis_rows(args, args.language)
    _write_all(result, outputs, args, rows, _summary_frame(result.summary))
    if args.figures or args.figures_plot:
        _write_figures(args, units, params, budgets, rows)
    return 0


def _write_figures(
    args: argparse.Namespace,
    units: pd.DataFrame,
    params: Any,
    budgets: list[float],
    rows: list[tuple[str, object, Kind]],
) -> None:
    """``--figures`` and ``--figures-plot``: the policies side by side (policy_table)."""
    from finsam_opt.analysis.policy_table import plot_policy_table, policy_table

    table = policy_table(units, params, args.policy, budgets, years=args.years)
    written: list[Path] = []
    if args.figures:
        frame = table.table.assign(policy=table.table["policy"].map(
            lambda p: term(p, args.language)))  # fmt: skip
        written += write_output(frame, Path(args.figures), args.language, parameters=rows,
                                total=False)  # fmt: skip
    if args.figures_plot:
        target = Path(args.figures_plot)
        figure = plot_policy_table(table, lang=args.language)
        with atomic_outputs([target]) as (temporary,):
            figure.savefig(temporary, format=target.suffix.lower()[1:])
        written.append(target)
    announce(say("wrote", args.language, files=", ".join(str(f) for f in written)))


def run_simulate(args: argparse.Namespace) -> int:
    """Run ``finsam-opt simulate``; returns the exit code 0."""
    outputs = _outputs(args)
    units = load_units(args)
    params = parameters(args)
    path: list[float] | None = None
    if args.budget_path:
        path = []
        for amount in args.budget_path.split(","):
            try:
                path.append(kronor(amount))
            except argparse.ArgumentTypeError as error:
                raise InputError(
                    f"--budget-path: {error}",
                    sv=f"--budget-path: inget belopp: {amount!r} (skriv budgetarna år för år "
                    "med kommatecken emellan, till exempel 339e6,345e6)",
                    column="budget_path",
                ) from None
    changes = changes_from_frame(read_plain_table(args.changes)) if args.changes else ()
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
    shown = ["budget", "scenario", "allocated_rounded", "unallocated", "decrease_limit",
             "protected", "floor_cost"]  # fmt: skip
    if result.years["assumed_units"].any():
        shown.append("assumed_units")
    print(_text(result.years[shown], args.language))
    reached = result.reached_ideal
    print(say("reached", args.language, year=result.year_labels[-1],
              count=int(reached.notna().sum()), units=len(reached)))  # fmt: skip
    print(matching_line(result, args.language))
    years = _summary_frame(result.years.rename_axis("year").reset_index())
    _write_all(result, outputs, args, _analysis_rows(args, args.language), years)
    return 0


def run_report(args: argparse.Namespace) -> int:
    """Run ``finsam-opt report``; returns the exit code 0."""
    outputs = _outputs(args)
    units = load_units(args)
    result = allocate(units, parameters(args), args.policy, args.solver)
    d = diagnose(result)
    limit = "–" if d.decrease_limit is None else format_percent(d.decrease_limit, args.language, 2)
    print(say("report", args.language, scenario=term(str(d.scenario), args.language),
              limit=limit, cost=format_kronor(d.floor_cost, args.language)))  # fmt: skip
    _write_all(result, outputs, args, _analysis_rows(args, args.language), None)
    return 0


def _summary_frame(summary: pd.DataFrame) -> pd.DataFrame:
    """A summary to write: counts named apart from the decision table's yes/no columns."""
    counts = {"new": "new_units", "protected": "protected_units"}
    return summary.reset_index(drop=True).rename(columns=counts)


def _text(frame: pd.DataFrame, language: str) -> str:
    """A table for the console: Swedish or English headers, names and numbers."""
    shown = frame.copy()
    for column in ("policy", "scenario"):
        if column in shown.columns:
            shown[column] = shown[column].map(lambda v: term(v, language))
    for column in shown.columns:
        if column == "decrease_limit":
            shown[column] = shown[column].map(
                lambda v: "–" if pd.isna(v) else format_percent(v, language, 2)
            )
        elif pd.api.types.is_numeric_dtype(shown[column]) and not pd.api.types.is_bool_dtype(
            shown[column]
        ):
            shown[column] = shown[column].map(lambda v: _number(v, language))
        elif column == "error":
            shown[column] = shown[column].map(lambda v: "–" if v is None or v != v else v)
    shown = shown.rename(columns={c: COLUMNS[c][LANGUAGES.index(language)] for c in shown.columns
                                  if c in COLUMNS})  # fmt: skip
    if shown.index.name in COLUMNS:
        shown.index.name = COLUMNS[shown.index.name][LANGUAGES.index(language)]
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        return shown.to_string()


def _number(value: float, language: str) -> str:
    """Kronor as whole kronor with digit grouping; rates and shares to four digits."""
    if pd.isna(value):
        return "–"
    whole = float(value).is_integer() or abs(value) >= 1000
    return format_number(value, language, 0 if whole else 4)
