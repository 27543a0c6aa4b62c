"""The surplus round's table (*fördelning av ofördelade medel*) as .xlsx or CSV.

One row per unit with the columns of ``Redistribution.table`` under Swedish
(default) or English headers, the granted amount also in tkr, a totals row, and
the amount redistributed, the policy and its balancing scalar on a second sheet
(a second file ``<name>_parametrar.csv`` for CSV). Read it back with
:func:`~finsam_opt.io.decision.read_decision_table`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from finsam_opt.engine.surplus import Redistribution
from finsam_opt.io.decision import sort_units, term, write_table
from finsam_opt.io.workbook import Kind, kronor_kind

__all__ = ["redistribution_frame", "redistribution_parameter_rows", "write_redistribution"]

_SHEET = {"sv": "Ofördelade medel", "en": "Unallocated funds"}


def redistribution_frame(extra: Redistribution, units: pd.DataFrame | None = None) -> pd.DataFrame:
    """The surplus table as a DataFrame with canonical columns, unit as a column.

    ``units`` may add ``region`` from the input table. Rows are sorted by
    region, then name.
    """
    table = extra.table.copy()
    table.insert(
        table.columns.get_loc("granted_rounded") + 1,
        "granted_tkr",
        table["granted_rounded"] / 1000,
    )
    if units is not None and "region" in units.columns:
        table.insert(0, "region", units["region"].reindex(table.index))
    return sort_units(table.rename_axis("unit").reset_index())


def redistribution_parameter_rows(
    extra: Redistribution, language: str = "sv"
) -> list[tuple[str, object, Kind]]:
    """(label, value, kind) rows of the surplus table's parameters sheet."""
    sv = language == "sv"
    rationed = "" if extra.phase_description is None else extra.phase_description
    applied = extra.table["application"].sum()
    return [
        ("Att fördela (kr)" if sv else "Available (kr)", extra.available,
         kronor_kind(extra.available)),
        ("Ansökt totalt (kr)" if sv else "Applied for (kr)", applied, Kind.KRONOR),
        ("Beviljat (kr)" if sv else "Granted (kr)", extra.rounded_total, Kind.KRONOR),
        ("Kvar ofördelat (kr)" if sv else "Still unallocated (kr)", extra.unallocated,
         kronor_kind(extra.unallocated)),
        ("Princip" if sv else "Policy", term(extra.policy, language), Kind.TEXT),
        ("Ransonering" if sv else "Rationing", rationed, Kind.TEXT),
        ("Balanstal (λ)" if sv else "Balancing scalar (λ)", extra.balancing_scalar, Kind.NUMBER),
        ("Styrka κ (avdrag för eget kapital)" if sv else "Strength κ (equity-penalty)", extra.kappa,
         Kind.NUMBER),
        ("Lösare" if sv else "Solver", term(extra.solver, language), Kind.TEXT),
        ("Antal förbund" if sv else "Units", len(extra.table), Kind.COUNT),
        ("Avrundningsenhet (kr)" if sv else "Rounding unit (kr)", extra.parameters.rounding_unit,
         Kind.KRONOR),
    ]  # fmt: skip


def write_redistribution(
    extra: Redistribution,
    path: str | Path,
    *,
    language: str = "sv",
    units: pd.DataFrame | None = None,
) -> list[Path]:
    """Write the surplus round's table to ``.xlsx`` (two sheets) or ``.csv`` (two files).

    The ``.xlsx`` sheets are ``Ofördelade medel`` and ``Parametrar`` (English:
    ``Unallocated funds`` and ``Parameters``).

    Parameters
    ----------
    extra : Redistribution
        The result of :func:`finsam_opt.redistribute`.
    path : str or Path
        Ends in ``.xlsx`` or ``.csv``. A CSV also writes ``<stem>_parametrar.csv``
        (``_parameters.csv`` in English).
    language : {'sv', 'en'}
        Swedish headers (``;``-separated, decimal comma) or English (``,`` and ``.``).
    units : pandas.DataFrame, optional
        The input unit table, to show ``region``.

    Returns
    -------
    list of Path
        The files written. Either all are written or none.

    Examples
    --------
    >>> import tempfile, pathlib, finsam_opt as fo
    >>> from finsam_opt.io import read_decision_table, write_redistribution
    >>> extra = fo.redistribute({"A": 6e6, "B": 4e6}, 5_000_000, fo.Parameters(budget=339e6),
    ...                         policy="proportional")
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "ofordelade.xlsx"
    >>> [p.name for p in write_redistribution(extra, path)]
    ['ofordelade.xlsx']
    >>> read_decision_table(path)["granted_rounded"].tolist()
    [3000000, 2000000]
    """
    return write_table(
        redistribution_frame(extra, units),
        path,
        redistribution_parameter_rows(extra, language),
        language=language,
        sheet=_SHEET.get(language),
    )
