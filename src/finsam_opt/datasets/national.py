"""The national example: 290 real municipalities, ~80 förbund, 339 Mkr.

The data are shipped as CSV in ``finsam_opt/datasets/data/`` (see the README there for
what is real, what is derived and what is synthetic) and read with the same
readers a user's files go through.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from finsam_opt.domain.municipalities import aggregate_municipalities
from finsam_opt.domain.parameters import Parameters
from finsam_opt.io.tables import (
    read_memberships,
    read_municipalities,
    read_plain_table,
    read_table,
)

__all__ = ["NATIONAL_BUDGET", "SYNTHETIC_MARKS", "NationalExample", "national_example"]

NATIONAL_BUDGET = 339_000_000.0
"""The state budget for finansiell samordning every year since 2016, kronor."""


@dataclass(frozen=True)
class NationalExample:
    """The national example dataset.

    Attributes
    ----------
    municipalities : pandas.DataFrame
        290 rows indexed by municipality code: name, region (county),
        population 16–64 (derived), support measure (synthetic, kronor).
    memberships : pandas.DataFrame
        Municipality code → unit.
    units : pandas.DataFrame
        The unit table ready for :func:`finsam_opt.allocate`: aggregated
        population and support measure plus the synthetic unit data, and a
        column ``synthetic`` saying which of each förbund's figures are
        synthetic (:data:`SYNTHETIC_MARKS`), which the decision table shows.
    outside : pandas.DataFrame
        The municipalities in no förbund.
    parameters : Parameters
        Budget 339 Mkr and the model's default constants.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> example = fo.national_example()
    >>> int(example.units["municipalities"].sum()) + len(example.outside)  # every kommun
    290
    >>> example.parameters.budget
    339000000.0
    """

    municipalities: pd.DataFrame
    memberships: pd.DataFrame
    units: pd.DataFrame
    outside: pd.DataFrame
    parameters: Parameters


def data_file(name: str) -> Path:
    """The path of a file shipped in ``finsam_opt/datasets/data``."""
    return Path(str(resources.files("finsam_opt.datasets") / "data" / name))


SYNTHETIC_MARKS: dict[str, str] = {
    "amounts": "amounts and support measure synthetic; real förbund and municipalities",
    "amounts-grouping": "amounts, support measure and grouping synthetic",
}
"""The values of the national example's ``synthetic`` column: which figures are invented."""


def _marked(units: pd.DataFrame) -> pd.DataFrame:
    """The units with a ``synthetic`` column saying which of their figures are synthetic."""
    rows = read_plain_table(data_file("national_memberships.csv"))
    real = rows.assign(real=rows["source"].astype(str).str.startswith("real"))
    grouping_real = real.groupby("unit")["real"].all()
    real_grouping = grouping_real.reindex(units.index, fill_value=False).to_numpy(bool)
    return units.assign(synthetic=["amounts" if r else "amounts-grouping" for r in real_grouping])


def national_example() -> NationalExample:
    """Load the national example (real municipalities, synthetic amounts).

    Examples
    --------
    >>> import finsam_opt as fo
    >>> example = fo.national_example()
    >>> len(example.municipalities), len(example.units), len(example.outside)
    (290, 79, 20)
    >>> result = fo.allocate(example.units, example.parameters)
    >>> str(result.scenario), sorted(set(result.table["binding"]))
    ('surplus', ['cap', 'floor', 'ideal', 'new'])
    """
    municipalities = read_municipalities(data_file("national_municipalities.csv"))
    memberships = read_memberships(data_file("national_memberships.csv"))
    unit_data = read_table(data_file("national_units.csv"), "unit_data")
    aggregation = aggregate_municipalities(municipalities, memberships, unit_data=unit_data)
    return NationalExample(
        municipalities=municipalities,
        memberships=memberships,
        units=_marked(aggregation.units),
        outside=aggregation.outside,
        parameters=Parameters(budget=NATIONAL_BUDGET),
    )
