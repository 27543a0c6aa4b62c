"""Generate the national example dataset shipped in src/finsam_opt/datasets/data/ (run once).

    PYTHONPATH=src python3 scripts/make_national_example.py /work/shared/data

Real: the 290 municipalities (codes, names, counties, total population 31 Dec
2025) and 13 förbund with their municipalities. Derived: population 16–64 as a
stated share of the total. Synthetic (seeded): everything else. The output is
committed so the example never changes silently; rerunning with the same seed
and inputs reproduces it byte for byte.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20_260_101
BUDGET = 339_000_000
OUT = Path(__file__).resolve().parent.parent / "src" / "finsam_opt" / "datasets" / "data"
OUTSIDE_STOCKHOLM = ["0125", "0123", "0139", "0140", "0184", "0186"]  # data README
N_OUTSIDE_ELSEWHERE = 14
CHUNK_SIZES = [2, 3, 4, 4, 5, 5, 6, 7]


def share_16_64(population: int) -> float:
    """The stated share of inhabitants aged 16–64 (an approximation, not SCB data)."""
    if population >= 100_000:
        return 0.63
    if population >= 20_000:
        return 0.59
    return 0.55


def unit_name(names: list[str]) -> str:
    if len(names) == 1:
        return f"Samordningsförbundet {names[0]}"
    if len(names) == 2:
        return f"Samordningsförbundet {names[0]} och {names[1]}"
    return f"Samordningsförbundet {names[0]} m.fl."


def up(amount: float, step: int = 10_000) -> int:
    return int(math.ceil(amount / step) * step)


def main(source: Path) -> None:
    rng = np.random.default_rng(SEED)
    raw = pd.read_csv(
        source / "municipalities.csv", dtype={"municipality_code": str, "county_code": str}
    )
    real = pd.read_csv(source / "units_members_partial.csv", dtype={"municipality_code": str})
    munis = pd.DataFrame(
        {
            "municipality_code": raw["municipality_code"],
            "municipality_name": raw["municipality_name"],
            "region": raw["county_name"],
            "population_total": raw["population_total"],
            "population": [round(p * share_16_64(p)) for p in raw["population_total"]],
        }
    )
    per_capita = 24_000 * rng.lognormal(0.0, 0.28, len(munis))
    per_capita *= np.where(munis["population_total"] < 15_000, 1.12, 1.0)
    munis["support_measure"] = (munis["population"] * per_capita / 1000).round() * 1000
    munis["support_measure"] = munis["support_measure"].astype(np.int64)

    members = [
        (c, u, "real (31 Dec 2020 / förbund websites)")
        for u, c in zip(real["forbund_name"], real["municipality_code"], strict=True)
    ]
    taken = set(real["municipality_code"]) | set(OUTSIDE_STOCKHOLM)
    free = munis.loc[~munis["municipality_code"].isin(taken)]
    candidates = free.loc[free["region"] != "Gotlands län", "municipality_code"].to_list()
    outside = set(OUTSIDE_STOCKHOLM) | set(
        rng.choice(candidates, N_OUTSIDE_ELSEWHERE, replace=False).tolist()
    )
    grouped = free.loc[~free["municipality_code"].isin(outside)]
    for _, county in grouped.groupby("region", sort=True):
        rows = county.sort_values("municipality_code")
        big = rows.loc[rows["population_total"] > 150_000]
        for _, row in big.iterrows():
            members.append(
                (
                    row["municipality_code"],
                    unit_name([row["municipality_name"]]),
                    "synthetic grouping",
                )
            )
        rest = rows.loc[rows["population_total"] <= 150_000]
        start = 0
        while start < len(rest):
            size = int(rng.choice(CHUNK_SIZES))
            chunk = rest.iloc[start : start + size]
            start += size
            name = unit_name(chunk["municipality_name"].to_list())
            members += [(c, name, "synthetic grouping") for c in chunk["municipality_code"]]
    memberships = pd.DataFrame(members, columns=["municipality_code", "unit", "source"])

    sys.path.insert(0, str(OUT.parent.parent))
    import finsam_opt as fo

    kommuner = munis.set_index("municipality_code")
    units = fo.aggregate_municipalities(kommuner, memberships).units
    ideal = fo.ideal_allocation(units, fo.Parameters(budget=BUDGET))
    ids = list(units.index)
    synthetic = [u for u in ids if u not in set(real["forbund_name"])]
    order = rng.permutation(synthetic)
    new, floor, capped, low_request = order[:4], order[4:14], order[14:24], order[24:27]

    rows = []
    for unit in ids:
        i = float(ideal[unit])
        prev: float | None = round(i * rng.uniform(0.92, 1.08))
        match = up(i / 2 * rng.uniform(1.0, 1.25))
        municipal, regional = match, up(i / 2 * rng.uniform(1.0, 1.25))
        requested = up(i * rng.uniform(1.0, 1.15))
        if unit in new:
            prev = None
        elif unit in floor:
            prev = round(i * rng.uniform(1.18, 1.40))
            requested = up(prev)
            municipal = regional = up(prev / 2 * rng.uniform(1.0, 1.1))
        elif unit in capped:
            municipal = up(i / 2 * rng.uniform(0.60, 0.85))
            regional = up(municipal * rng.uniform(1.0, 1.2))
        elif unit in low_request:
            requested = up(i * rng.uniform(0.75, 0.9))
        turnover = up(2 * (prev if prev is not None else i), 1000)
        equity = up(turnover * rng.choice([0.1, 0.2, 0.3, 0.6]) * rng.uniform(0.8, 1.2), 1000)
        rows.append(
            (
                unit,
                prev,
                requested,
                municipal,
                regional,
                equity,
                turnover,
                "real" if unit in set(real["forbund_name"]) else "synthetic",
            )
        )
    unit_data = pd.DataFrame(
        rows,
        columns=[
            "unit",
            "previous_allocation",
            "requested",
            "municipal_match",
            "regional_match",
            "equity",
            "turnover",
            "membership_source",
        ],
    )
    unit_data["previous_allocation"] = unit_data["previous_allocation"].astype("Int64")

    OUT.mkdir(exist_ok=True)
    munis.to_csv(OUT / "national_municipalities.csv", index=False)
    memberships.to_csv(OUT / "national_memberships.csv", index=False)
    unit_data.to_csv(OUT / "national_units.csv", index=False)
    result = fo.allocate(
        units.join(unit_data.set_index("unit").drop(columns="membership_source")),
        fo.Parameters(budget=BUDGET),
    )
    print(
        len(ids),
        "units,",
        len(outside),
        "outside;",
        result.scenario,
        f"{result.unallocated:,.0f} unallocated",
    )
    print(result.table["binding"].value_counts().to_string())


if __name__ == "__main__":
    main(Path(sys.argv[1]))
