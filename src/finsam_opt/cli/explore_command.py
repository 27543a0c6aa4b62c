"""``finsam-opt explore``: the explorer page for the meeting room."""

from __future__ import annotations

import argparse
from typing import Any

from finsam_opt.analysis.explorer import write_explorer
from finsam_opt.cli.arguments import fraction, kronor
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
from finsam_opt.engine.allocate import allocate
from finsam_opt.engine.explain import matching_line
from finsam_opt.language.words import say

__all__ = ["add_explore_parser", "run_explore"]


def add_explore_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``explore``: one self-contained HTML page with a budget slider."""
    parser = subparsers.add_parser(
        "explore",
        help=help_text(
            "skriv en utforskarsida: ett reglage för budgeten och ett val av princip (en HTML-fil)",
            "write an explorer page: a budget slider and a policy selector (one HTML file)",
        ),
        description=help_text(
            "Fördela varje budget från -30 % till +30 % av den angivna i steg om 0,5 Mkr "
            "enligt varje princip, och skriv en HTML-sida (data och skript i filen, ingen "
            "server eller nätverk) som visar fördelningen medan reglaget flyttas.",
            "Allocate every budget from -30 % to +30 % of the given one in 0.5 Mkr "
            "steps under every policy, and write one HTML page (data and script inline, no "
            "server or network) that shows them as a slider moves.",
        ),
    )
    add_units(parser)
    add_output(parser, [".html"], what=help_text("utforskarsidan", "the explorer page"))
    add_parameters(
        parser,
        budget_help=help_text(
            "kronor, reglagets mitt (standard 339 Mkr)",
            "kronor, the slider's middle (default 339 Mkr)",
        ),
    )
    add_policy(parser, action="append", default=None)
    parser.add_argument(
        "--span",
        type=fraction,
        default=0.30,
        help=help_text("av budgeten (30 %%)", "of the budget (30 %%)"),
    )
    parser.add_argument(
        "--step",
        type=kronor,
        default=500_000.0,
        help=help_text("kronor (0,5 Mkr)", "kronor (0,5 Mkr)"),
    )
    add_language(parser)
    parser.set_defaults(function=run_explore)
    return parser


def run_explore(args: argparse.Namespace) -> int:
    """Run ``finsam-opt explore``; returns the exit code 0."""
    units = load_units(args)
    params = parameters(args)
    path = write_explorer(
        units, params, args.output, args.policy, lang=args.language, span=args.span, step=args.step
    )
    # The page names the assumed contributions; so does the console (one allocation says it).
    print(matching_line(allocate(units, params), args.language))
    announce(say("wrote", args.language, files=path))
    return 0
