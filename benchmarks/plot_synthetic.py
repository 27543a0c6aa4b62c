"""Plot the synthetic generator's marginals against Sweden's real municipalities.

    python benchmarks/plot_synthetic.py     # writes docs/img/synthetic_marginals.png

Needs the ``plot`` extra (matplotlib) and ``../shared/data/municipalities.csv``
(or pass its path as the first argument).
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import finsam_opt as fo
from finsam_opt.datasets.synthetic import municipality_populations

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent.parent / "shared" / "data" / "municipalities.csv"


def main(argv: list[str]) -> int:
    real_path = Path(argv[0]) if argv else REAL
    real = np.sort(pd.read_csv(real_path)["population_total"].to_numpy(dtype=float))
    synthetic = np.sort(municipality_populations(29_000, np.random.default_rng(0)))
    case = fo.synthetic_units(10_000, seed=0, scenario="mild-deficit")
    units = case.units

    fig, axes = plt.subplots(1, 3, figsize=(14, 4.2))
    ax = axes[0]
    bins = np.logspace(3, 6.3, 34)
    ax.hist(
        real,
        bins=bins,
        weights=np.full(len(real), 1 / len(real)),
        alpha=0.6,
        label="Sweden, 290 municipalities (2025)",
    )
    ax.hist(
        synthetic,
        bins=bins,
        weights=np.full(len(synthetic), 1 / len(synthetic)),
        histtype="step",
        lw=2,
        label="synthetic (skew-normal log fit), 29 000 draws",
    )
    ax.set_xscale("log")
    ax.set_xlabel("municipality population")
    ax.set_ylabel("share of municipalities")
    ax.legend(fontsize=8)
    ax.set_title("Municipality population")

    ax = axes[1]
    ax.loglog(real[::-1], np.arange(1, len(real) + 1) / len(real), "o", ms=3, label="Sweden")
    ax.loglog(synthetic[::-1], np.arange(1, len(synthetic) + 1) / len(synthetic), label="synthetic")
    ax.set_xlabel("municipality population")
    ax.set_ylabel("share of municipalities ≥ x")
    ax.set_title("Upper tail")
    ax.legend(fontsize=8)

    ax = axes[2]
    per_inhabitant = units["support_measure"] / units["population"]
    ax.hist(per_inhabitant, bins=40, alpha=0.7)
    ax.set_xlabel("support measure per inhabitant 16–64 (kr)")
    ax.set_ylabel("units")
    ax.set_title(
        f"10 000 synthetic units: max/min {per_inhabitant.max() / per_inhabitant.min():.2f}"
    )

    fig.tight_layout()
    out = ROOT / "docs" / "img" / "synthetic_marginals.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
