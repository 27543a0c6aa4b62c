"""The ``finsam-opt`` command line. No model logic here: it parses, calls the API, prints."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import pandas as pd

from finsam_opt.allocate import allocate
from finsam_opt.errors import FinsamError
from finsam_opt.examples import example_units
from finsam_opt.parameters import Parameters
from finsam_opt.policies import DEFICIT_POLICIES
from finsam_opt.result import Allocation
from finsam_opt.solvers import SOLVERS

__all__ = ["main"]

_SHOWN = ["ideal", "cap", "floor", "target", "allocation_rounded", "change_rate", "binding"]

_EPILOG = """examples:
  finsam-opt example
  finsam-opt example --policy scale-gains --solver highs
  finsam-opt example --budget 22000000 --output decision.csv
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `finsam-opt` (the docs render its help)."""
    parser = argparse.ArgumentParser(
        prog="finsam-opt",
        description="Allocate the state budget for finansiell samordning among the förbund.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    example = commands.add_parser(
        "example",
        help="allocate the built-in example and print its decision table",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    example.add_argument("--budget", type=float, default=20_000_000, help="kronor (20 000 000)")
    example.add_argument("--policy", choices=list(DEFICIT_POLICIES), default="raise-limit")
    example.add_argument("--solver", choices=list(SOLVERS), default="fast")
    example.add_argument("--output", help="also write the decision table to this CSV file")
    return parser


def _report(result: Allocation) -> str:
    limit = "—" if result.decrease_limit is None else f"{result.decrease_limit:.2%}"
    header = (
        f"scenario: {result.scenario}   policy: {result.policy}   solver: {result.solver}\n"
        f"budget: {result.parameters.budget:,.0f} kr   allocated: {result.rounded_total:,} kr   "
        f"effective decrease limit: {limit}\n"
    )
    shown = result.table[_SHOWN].copy()
    shown["change_rate"] = shown["change_rate"].map(lambda r: "" if pd.isna(r) else f"{r:+.1%}")
    with pd.option_context("display.width", 120, "display.float_format", "{:,.0f}".format):
        return header + shown.to_string()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        result = allocate(
            example_units(),
            Parameters(budget=args.budget),
            policy=args.policy,
            solver=args.solver,
        )
    except FinsamError as error:
        print(f"finsam-opt: {error}", file=sys.stderr)
        return 2
    print(_report(result))
    if args.output:
        result.table.to_csv(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
