"""How long writing a decision table takes, as .xlsx and as .csv, for 10³ … 10⁵ units.

    python benchmarks/write_tables.py                 # n = 1 000, 10 000, 100 000
    python benchmarks/write_tables.py --sizes 100 1000

Prints a Markdown table (the one in docs/benchmarks.md, "Writing the decision
table"). The workbook is streamed row by row, so the time grows linearly with n.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import finsam_opt as fo
from finsam_opt.io import write_decision_table

SIZES = (1_000, 10_000, 100_000)


def measure(n: int, folder: Path) -> dict[str, float]:
    """Seconds to write the decision table of ``n`` synthetic units, per format."""
    case = fo.synthetic_units(n, seed=0)
    result = fo.allocate(case.units, case.params)
    seconds = {}
    for suffix in (".xlsx", ".csv"):
        start = time.perf_counter()
        write_decision_table(result, folder / f"beslut_{n}{suffix}", units=case.units)
        seconds[suffix] = time.perf_counter() - start
    return seconds


def table(sizes: tuple[int, ...]) -> str:
    """The Markdown table of write times for ``sizes``."""
    lines = ["| units | .xlsx (s) | .csv (s) | .xlsx µs per unit |", "|---:|---:|---:|---:|"]
    with tempfile.TemporaryDirectory() as folder:
        for n in sizes:
            s = measure(n, Path(folder))
            lines.append(
                f"| {n:,} | {s['.xlsx']:.2f} | {s['.csv']:.2f} | {s['.xlsx'] / n * 1e6:.0f} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    print(table(tuple(parser.parse_args(argv).sizes)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
