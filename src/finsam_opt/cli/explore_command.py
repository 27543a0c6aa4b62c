"""``finsam-opt explore``: the explorer page for the meeting room."""

from __future__ import annotations

import argparse
from typing import Any

from finsam_opt.analysis.explorer import write_explorer
from finsam_opt.cli.arguments import POLICY_HELP, fraction, kronor, policy
from finsam_opt.datasets.national import NATIONAL_BUDGET
from finsam_opt.domain.parameters import Parameters
from finsam_opt.io.tables import read_units
from finsam_opt.language.words import LANGUAGES

__all__ = ["add_explore_parser", "run_explore"]


def add_explore_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``explore``: one self-contained HTML page with a budget slider."""
    parser = subparsers.add_parser(
        "explore",
        help="write an explorer page: a budget slider and a policy selector (one HTML file)",
        description="Allocate every budget from -30 %% to +30 %% of the given one in 0.5 Mkr "
        "steps under every policy, and write one HTML page (data and script inline, no "
        "server or network) that shows them as a slider moves.",
    )
    parser.add_argument("units", help="unit table (.csv or .xlsx, Swedish or English headers)")
    parser.add_argument("-o", "--output", required=True, help="the HTML file to write")
    parser.add_argument("--budget", type=kronor, default=NATIONAL_BUDGET, help="kronor")
    parser.add_argument("--decrease-limit", type=fraction, default=0.10, help="d (10 %%)")
    parser.add_argument(
        "--policy", type=policy, action="append", help=f"{POLICY_HELP}; repeat; default all"
    )
    parser.add_argument("--span", type=fraction, default=0.30, help="of the budget (30 %%)")
    parser.add_argument("--step", type=kronor, default=500_000.0, help="kronor (0,5 Mkr)")
    parser.add_argument("--lang", choices=list(LANGUAGES), default="sv")
    parser.set_defaults(function=run_explore)
    return parser


def run_explore(args: argparse.Namespace) -> int:
    """Run ``finsam-opt explore``; returns the exit code 0."""
    units = read_units(args.units)
    params = Parameters(budget=args.budget, decrease_limit=args.decrease_limit)
    path = write_explorer(
        units, params, args.output, args.policy, lang=args.lang, span=args.span, step=args.step
    )
    print(("skrev " if args.lang == "sv" else "wrote ") + str(path))
    return 0
