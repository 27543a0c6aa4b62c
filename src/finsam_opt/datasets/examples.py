"""Small built-in example datasets (kronor)."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["example_units"]


def example_units() -> pd.DataFrame:
    """The five-unit worked example of docs/model.md (budget 20 Mkr gives a deficit).

    Unit C's matching caps it at 2.5 Mkr; the others' municipalities and region
    answered "no limit" (``inf``); D is new; B and E are protected by the decrease
    limit.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> fo.example_units().loc["C", ["municipal_match", "regional_match"]].tolist()
    [1250000.0, 1250000.0]
    """
    return pd.DataFrame(
        {
            "population": [100_000, 50_000, 30_000, 20_000, 25_000],
            "support_measure": [900_000, 300_000, 350_000, 150_000, 200_000],
            "previous_allocation": [9_000_000, 6_000_000, 3_500_000, np.nan, 3_000_000],
            "municipal_match": [np.inf, np.inf, 1_250_000, np.inf, np.inf],
            "regional_match": [np.inf, np.inf, 1_250_000, np.inf, np.inf],
        },
        index=pd.Index(["A", "B", "C", "D", "E"], name="unit"),
    )
