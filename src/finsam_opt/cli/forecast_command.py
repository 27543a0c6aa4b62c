"""``finsam-opt forecast``: many futures at once, a forecast workbook and planning letters."""

from __future__ import annotations

import argparse
from typing import Any

from finsam_opt.analysis.changes import changes_from_frame
from finsam_opt.analysis.forecast import Drift, forecast
from finsam_opt.analysis.letters import write_forecast, write_letters
from finsam_opt.cli.arguments import fraction
from finsam_opt.cli.help_language import help_text
from finsam_opt.cli.options import (
    add_language,
    add_output,
    add_parameters,
    add_policy,
    add_units,
    announce,
    load_units,
    parameters,
)
from finsam_opt.cli.outputs import check_optional
from finsam_opt.engine.explain import matching_line
from finsam_opt.io.growth import read_growth, read_history
from finsam_opt.io.tables import read_plain_table
from finsam_opt.language.numbers import format_kronor
from finsam_opt.language.words import say, term

__all__ = ["add_forecast_parser", "growth_help", "run_forecast"]

_QUANTITIES = ("population", "support", "matching")


def _quantity_help(name: str) -> str:
    """What ``--<name>-growth`` changes, in the language the parser is built in."""
    return {
        "population": help_text("invånare 16-64", "population 16-64"),
        "support": help_text("försörjningsmått", "support measure"),
        "matching": help_text(
            "kommunernas och regionens bidrag", "municipal and regional contributions"
        ),
    }[name]


def growth_help() -> str:
    """``--growth``'s help (``simulate`` and ``forecast``), in the language the parser is built in.

    Examples
    --------
    >>> growth_help().startswith("fil med tillväxttakter per förbund och år")
    True
    """
    return help_text(
        "fil med tillväxttakter per förbund och år (.csv/.xlsx: Förbund, År, Invånare 16-64, "
        "Försörjningsmått, Matchning); ersätter --*-growth för de kolumner den har",
        "file of rates per förbund and year (.csv/.xlsx: unit, year, population, "
        "support_measure, matching); replaces the --*-growth of the columns it has",
    )


def add_forecast_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``forecast``: a forecast with uncertainty, its workbook and letters."""
    parser = subparsers.add_parser(
        "forecast",
        help=help_text(
            "prognos för varje förbunds tilldelning över flera år, med osäkerhet",
            "forecast every förbund's allocation over several years, with uncertainty",
        ),
        description=help_text(
            "Kör många framtider för den årliga fördelningen på en gång (budget, invånare, "
            "försörjningsmått och matchning förändras slumpmässigt, med ett frö) och skriv "
            "osäkerhetsintervallen per förbund och år och ett planeringsbrev per förbund.",
            "Run many futures of the yearly allocation at once (budget, population, "
            "support measure and matching drift at random, seeded) and write the bands per "
            "förbund and year, and a planning letter per förbund.",
        ),
    )
    add_units(parser)
    add_parameters(
        parser,
        budget_help=help_text(
            "kronor, det första året (standard 339 Mkr)", "kronor, the first year (default 339 Mkr)"
        ),
    )
    parser.add_argument(
        "--years", type=int, default=5, help=help_text("antal år (5)", "number of years (5)")
    )
    parser.add_argument(
        "--first-year",
        type=int,
        default=1,
        help=help_text("det första årets beteckning", "label of the first year"),
    )
    parser.add_argument(
        "--futures",
        type=int,
        default=1000,
        help=help_text("antal framtider (1000)", "number of futures (1000)"),
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help=help_text("frö för slumpdragningarna (0)", "seed of the random draws (0)"),
    )
    spread = help_text("spridning per år (0)", "spread a year (0)")
    parser.add_argument(
        "--budget-growth",
        type=fraction,
        default=0.0,
        help=help_text("tillväxt per år (0)", "a year (0)"),
    )
    parser.add_argument("--budget-sd", type=fraction, default=0.0, help=spread)
    for name in _QUANTITIES:
        parser.add_argument(
            f"--{name}-growth", type=fraction, default=0.0, help=f"{_quantity_help(name)} (0)"
        )
        parser.add_argument(f"--{name}-sd", type=fraction, default=0.0, help=spread)
    parser.add_argument("--growth", help=growth_help())
    histories = (
        ("population", help_text("invånarantal", "populations")),
        ("support", help_text("försörjningsmått", "support measures")),
    )
    for name, what in histories:
        parser.add_argument(
            f"--{name}-history",
            help=help_text(
                f"{what} per förbund och år (.csv/.xlsx: Förbund, sedan en kolumn per år): skattar "
                f"varje förbunds --{name}-growth och --{name}-sd",
                f"{what} per förbund and year (.csv/.xlsx: Förbund, then one column per "
                f"year): fits each förbund's --{name}-growth and --{name}-sd",
            ),
        )
    parser.add_argument(
        "--changes",
        help=help_text(
            "tabell med förändringar, densamma i varje framtid: year,action,unit,members,…",
            "table of changes, the same in every future: year,action,unit,members,…",
        ),
    )
    add_policy(parser)
    add_language(parser)
    add_output(
        parser,
        [".xlsx"],
        required=False,
        what=help_text("arbetsboken med prognosen", "the forecast workbook"),
    )
    parser.add_argument(
        "--letters",
        help=help_text(
            "skriv ett planeringsbrev i HTML per förbund i den här mappen",
            "write one HTML planning letter per förbund here",
        ),
    )
    parser.set_defaults(function=run_forecast)
    return parser


def run_forecast(args: argparse.Namespace) -> int:
    """Run ``finsam-opt forecast``; returns the exit code 0."""
    output = check_optional(args.output, (".xlsx",))
    units = load_units(args)
    changes = changes_from_frame(read_plain_table(args.changes)) if args.changes else ()
    growth = read_growth(args.growth) if args.growth else None
    tables = {
        "population": None if growth is None else growth.population,
        "support": None if growth is None else growth.support_measure,
        "matching": None if growth is None else growth.matching,
    }
    drifts = {}
    for name in _QUANTITIES:
        table = tables[name]
        mean = getattr(args, f"{name}_growth") if table is None else table
        drifts[name] = Drift(mean, getattr(args, f"{name}_sd"))
        history = getattr(args, f"{name}_history", None)
        if history:
            drifts[name] = Drift.fit(read_history(history))
    result = forecast(
        units,
        parameters(args),
        args.years,
        scenarios=args.futures,
        seed=args.seed,
        policy=args.policy,
        budget=Drift(args.budget_growth, args.budget_sd),
        first_year=args.first_year,
        changes=changes,
        population=drifts["population"],
        support=drifts["support"],
        matching=drifts["matching"],
    )
    last = result.bands[result.bands["year"] == result.year_labels[-1]]
    first = result.bands[result.bands["year"] == result.year_labels[0]]
    held = int((first["on_floor"] > 0.5).sum())
    total = format_kronor(float(last["median"].sum()), args.language)
    swedish = args.language == "sv"
    name = str(term(result.policy, args.language))
    print(
        (
            f"{len(units)} förbund · {result.futures} framtider · år {result.year_labels[0]}–"
            f"{result.year_labels[-1]} · princip {name}\n"
            f"år {result.year_labels[0]}: {held} förbund hålls uppe av spärren; "
            f"summa av medianerna år {result.year_labels[-1]}: {total}"
        )
        if swedish
        else (
            f"{len(units)} units · {result.futures} futures · years {result.year_labels[0]}–"
            f"{result.year_labels[-1]} · policy {name}\n"
            f"year {result.year_labels[0]}: {held} units held up by the limit; "
            f"sum of the medians in {result.year_labels[-1]}: {total}"
        )
    )
    print(matching_line(result, args.language))
    if output is not None:
        path = write_forecast(result, output, lang=args.language)
        announce(say("wrote", args.language, files=path))
    if args.letters:
        paths = write_letters(result, args.letters, lang=args.language)
        announce(say("wrote", args.language, files=f"{len(paths)} → {args.letters}"))
    return 0
