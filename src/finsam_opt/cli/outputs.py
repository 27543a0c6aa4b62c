"""Where a command's results go: every output path checked before any work, one writer per suffix.

The extension picks the format: ``.xlsx`` a real Excel workbook, ``.csv`` a
Swedish (``;``, decimal comma) or English CSV by ``--language``, ``.html`` the
self-contained report, ``.png``/``.svg`` a plot. :func:`check_output` refuses a
path before anything is computed (wrong extension, missing or read-only
folder, a folder in its place, no matplotlib for a plot), so a failing command
writes nothing.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from finsam_opt.analysis.compare import Comparison
from finsam_opt.analysis.report import write_report
from finsam_opt.analysis.simulate import Simulation
from finsam_opt.engine.result import Allocation
from finsam_opt.engine.surplus import Redistribution
from finsam_opt.errors import InputError
from finsam_opt.io.decision import write_decision_table, write_table
from finsam_opt.io.safe import atomic_outputs
from finsam_opt.io.surplus_table import write_redistribution
from finsam_opt.io.workbook import Kind

__all__ = ["PLOTS", "REPORTS", "TABLES", "check_optional", "check_output", "write_output"]

TABLES: tuple[str, ...] = (".xlsx", ".csv")
"""Suffixes of tables: Excel, or CSV in the chosen language."""
REPORTS: tuple[str, ...] = (".html",)
"""Suffix of the self-contained HTML report."""
PLOTS: tuple[str, ...] = (".png", ".svg")
"""Suffixes of plots (matplotlib)."""

Result = Allocation | Redistribution | Comparison | Simulation | pd.DataFrame
Parameters = Sequence[tuple[str, object, Kind]]


def check_optional(path: str | None, allowed: Sequence[str], option: str = "-o") -> Path | None:
    """:func:`check_output` for an output that may be left out (None)."""
    return None if path is None else check_output(path, allowed, option)


def check_output(path: str, allowed: Sequence[str], option: str = "-o") -> Path:
    """``path`` as a Path if a command may write it; an :class:`InputError` if not."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in allowed:
        kinds = ", ".join(allowed)
        kinds_sv = " eller ".join(
            [", ".join(allowed[:-1]), allowed[-1]] if allowed[1:] else allowed
        )
        raise InputError(
            f"{option} {path}: the extension picks the format; write {kinds}",
            sv=f"{option} {path}: filändelsen avgör formatet; skriv {kinds_sv}",
        )
    folder = target.parent
    if not folder.is_dir():
        raise InputError(
            f"{option} {path}: the folder {folder} does not exist",
            sv=f"{option} {path}: mappen {folder} finns inte",
        )
    if target.is_dir():
        raise InputError(f"{option} {path}: is a folder", sv=f"{option} {path}: är en mapp")
    if not os.access(folder, os.W_OK):
        raise InputError(
            f"{option} {path}: the folder {folder} is not writable",
            sv=f"{option} {path}: det går inte att skriva i mappen {folder}",
        )
    if suffix in PLOTS and importlib.util.find_spec("matplotlib") is None:
        raise InputError(
            f"{option} {path}: plots need matplotlib (pip install finsam_opt[plot])",
            sv=f"{option} {path}: diagram kräver matplotlib (pip install finsam_opt[plot])",
        )
    return target


def write_output(
    result: Result,
    path: Path,
    language: str,
    *,
    units: pd.DataFrame | None = None,
    parameters: Parameters = (),
    sheet: str | None = None,
    total: bool = True,
) -> list[Path]:
    """Write ``result`` to ``path`` in the format its extension names; the files written.

    A table (DataFrame) gets a total row unless ``total`` is False.
    """
    suffix = path.suffix.lower()
    if suffix in REPORTS:
        if not isinstance(result, (Allocation, Comparison, Simulation)):
            raise InputError(
                f"{path.name}: this result has no report; write .xlsx or .csv",
                sv=f"{path.name}: det här resultatet har ingen rapport; skriv .xlsx eller .csv",
            )
        return [write_report(result, path, lang=language, units=units)]
    if suffix in PLOTS:
        figure = _plot(result, language)
        with atomic_outputs([path]) as (temporary,):
            figure.savefig(temporary, format=suffix[1:])
        return [path]
    if isinstance(result, Allocation):
        return write_decision_table(result, path, language=language, units=units)
    if isinstance(result, Redistribution):
        return write_redistribution(result, path, language=language, units=units)
    if isinstance(result, Comparison):
        return write_table(result.table, path, parameters, language=language, sheet=sheet,
                           total=False)  # fmt: skip
    if isinstance(result, Simulation):
        return write_table(result.trajectories, path, parameters, language=language,
                           sheet=sheet, total=False)  # fmt: skip
    return write_table(result, path, parameters, language=language, sheet=sheet, total=total)


def _plot(result: Result, language: str) -> Any:
    from finsam_opt.analysis import plots

    if isinstance(result, Allocation):
        return plots.plot_allocation(result, lang=language)
    if isinstance(result, Comparison):
        return plots.plot_comparison(result, widest_budget(result), lang=language)
    if isinstance(result, Simulation):
        return plots.plot_glide_paths(result, lang=language)
    raise InputError(
        "this command's result has no plot; write .xlsx or .csv",
        sv="kommandots resultat har inget diagram; skriv .xlsx eller .csv",
    )


def widest_budget(comparison: Comparison) -> float:
    """The budget at which the policies differ most (the first one if they never differ)."""
    spread = comparison.table.groupby("budget")["difference"].apply(lambda d: d.abs().sum())
    widest = spread.idxmax() if spread.max() > 0 else comparison.budgets[0]
    return float(widest)  # type: ignore[arg-type]
