"""One self-contained HTML report for an allocation, a comparison or a simulation.

The page is rendered from a Jinja2 template (``templates/report.html.j2``,
autoescaped, so every text that comes from data — unit ids, policy names,
error messages — is escaped). It has no external resources: styles are inline
and plots are embedded as base64 PNG images, so it can be mailed as it is.
Tables are sorted by förbund name, amounts are whole kronor written by the one
number formatter, and tables of amounts end in a total row that adds up as
printed; a comparison shows the budgets at which the policies differ.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
import numpy as np
import pandas as pd

from finsam_opt.analysis import plots
from finsam_opt.analysis.compare import Comparison
from finsam_opt.analysis.diagnostics import diagnose
from finsam_opt.analysis.simulate import Simulation
from finsam_opt.domain.units import Matching
from finsam_opt.engine.explain import matching_line
from finsam_opt.engine.result import Allocation
from finsam_opt.errors import InputError
from finsam_opt.io.safe import atomic_outputs
from finsam_opt.language.numbers import format_kronor, format_number, format_percent
from finsam_opt.language.words import (
    DECISION_HEADERS,
    check_language,
    label,
    say,
    swedish_order,
    term,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["report_html", "write_report"]

Reportable = Allocation | Comparison | Simulation

_MAX_BUDGET_PLOTS = 4
_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("finsam_opt.analysis", "templates"),
    autoescape=jinja2.select_autoescape(default=True),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

# The comparison's summary is shown as two tables: what happened, then who paid.
_OUTCOME = (
    "scenario", "phase", "balancing_scalar", "decrease_limit", "unallocated", "at_ideal",
    "at_cap", "at_floor", "relaxed", "scaled", "at_base", "new_units", "protected_units",
    "below_floor",
)  # fmt: skip
_COST = (
    "floor_cost", "floor_paid", "floor_relaxed", "cut_below_capped", "deviation_l1",
    "deviation_max_relative", "deviation_max_unit", "gini_per_inhabitant",
)  # fmt: skip
_COUNTS = {"new": "new_units", "protected": "protected_units"}  # summary counts, not flags
_NAMED = ("policy", "scenario", "binding", "matching_status")  # codes shown in the language


@dataclass(frozen=True)
class _Cell:
    text: str
    css: str = ""


@dataclass(frozen=True)
class _Row:
    index: str
    cells: tuple[_Cell, ...]


@dataclass(frozen=True)
class _Table:
    head: tuple[str, ...]
    rows: tuple[_Row, ...]
    index: bool
    total: _Row | None = None


@dataclass(frozen=True)
class _Image:
    alt: str
    data: str


@dataclass(frozen=True)
class _Section:
    heading: str
    table: _Table | None = None
    images: tuple[_Image, ...] = ()
    notes: tuple[str, ...] = field(default=())


def write_report(
    obj: Reportable,
    path: str | Path,
    lang: str = "sv",
    title: str | None = None,
    *,
    units: pd.DataFrame | None = None,
) -> Path:
    """Write a self-contained HTML report of ``obj`` to ``path``.

    Parameters
    ----------
    obj : Allocation, Comparison or Simulation
        What :func:`finsam_opt.allocate`, :func:`finsam_opt.compare` or
        :func:`finsam_opt.simulate` returned.
    path : str or pathlib.Path
        The HTML file to write (UTF-8).
    lang : {'sv', 'en'}
        Language of the headings, tables and plots.
    title : str, optional
        The page title; a default names what is reported.
    units : pandas.DataFrame, optional
        The unit table behind the report; when it has the national example's
        ``synthetic`` column, the page says how many förbund's figures are synthetic.

    Notes
    -----
    An allocation's report has its diagnostics, the allocation plot and the
    decision table; a comparison's, the outcome and cost tables for every run,
    winners and losers, and per-unit tables and difference plots for its first
    four budgets (with the balancing plot when there are several budgets); a
    simulation's, the year-by-year figures, the glide-path plot, the year each
    unit reaches its ideal and the decided amounts by year.

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile, pathlib, finsam_opt as fo
    >>> result = fo.allocate(fo.example_units(), fo.Parameters(budget=20_000_000))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     page = fo.write_report(result, pathlib.Path(folder) / "report.html", lang="en")
    ...     "<img" in page.read_text(encoding="utf-8")
    True
    """
    page = report_html(obj, lang=lang, title=title, units=units)
    target = Path(path)
    with atomic_outputs([target]) as (temporary,):
        temporary.write_text(page, encoding="utf-8")
    return target


def report_html(
    obj: Reportable,
    lang: str = "sv",
    title: str | None = None,
    *,
    units: pd.DataFrame | None = None,
) -> str:
    """The HTML report of ``obj`` as a string (see :func:`write_report`).

    Parameters
    ----------
    obj : Allocation, Comparison or Simulation
        What :func:`finsam_opt.allocate`, :func:`finsam_opt.compare` or
        :func:`finsam_opt.simulate` returned; amounts are shown in kronor.
    lang : {'sv', 'en'}
        Language of the headings, tables and plots.
    title : str, optional
        The page title; a default names what is reported.
    units : pandas.DataFrame, optional
        As for :func:`write_report`: marks synthetic figures.

    Returns
    -------
    str
        A self-contained HTML page (plots embedded as PNG images).

    Examples
    --------
    >>> import finsam_opt as fo
    >>> result = fo.allocate(fo.example_units(), fo.Parameters(budget=20_000_000))
    >>> page = fo.report_html(result, lang="en", title="Worked example")
    >>> page.startswith("<!DOCTYPE html>"), "<title>Worked example</title>" in page
    (True, True)
    """
    check_language(lang)
    if isinstance(obj, Allocation):
        key, sections = "report_allocation", _allocation_sections(obj, lang)
    elif isinstance(obj, Comparison):
        key, sections = "report_comparison", _comparison_sections(obj, lang)
    elif isinstance(obj, Simulation):
        key, sections = "report_simulation", _simulation_sections(obj, lang)
    else:
        raise InputError(
            f"a report needs an Allocation, Comparison or Simulation, got {type(obj).__name__}",
            sv="en rapport behöver en Allocation, Comparison eller Simulation, inte "
            f"{type(obj).__name__}",
        )
    meta = f"{label('generated', lang)} {version('finsam_opt')}, {date.today().isoformat()}"
    if units is not None and "synthetic" in units.columns and units["synthetic"].notna().any():
        marked = int(units["synthetic"].notna().sum())
        meta += ". " + say("synthetic_note", lang, n=marked, total=len(units))
    return _ENVIRONMENT.get_template("report.html.j2").render(
        lang=lang, title=title or label(key, lang), meta=meta, sections=sections
    )


def _allocation_sections(result: Allocation, lang: str) -> list[_Section]:
    columns = ["previous_allocation", "ideal", "cap", "floor", "target", "allocation_rounded",
               "change_rate", "binding"]  # fmt: skip
    return [
        _Section(label("diagnostics", lang), table=_figures(diagnose(result).to_dict(), lang)),
        _Section(
            label("title_allocation", lang),
            images=_plot(lambda: plots.plot_allocation(result, lang), lang),
        ),
        _Section(
            label("decision_table", lang),
            table=_table(_by_name(result.table[columns]), lang, index="unit", total=True),
            notes=(matching_line(result, lang),),
        ),
    ]


def _comparison_sections(c: Comparison, lang: str) -> list[_Section]:
    summary = c.summary.drop(columns=["error", "allocated", "budget_"], errors="ignore")
    summary = summary.rename(columns=_COUNTS)
    keys = ["budget", "policy"]
    outcome = [col for col in _OUTCOME if col in summary]
    cost = [col for col in _COST if col in summary]
    first = next(iter(c.results.values()), None)  # every run assumes the same contributions
    sections = [
        _Section(
            label("summary", lang),
            table=_table(summary[keys + outcome], lang),
            notes=() if first is None else (matching_line(first, lang),),
        ),
        _Section(label("summary_cost", lang), table=_table(summary[keys + cost], lang)),
    ]
    if c.errors:
        failed = pd.DataFrame(
            [{"policy": p, "budget": b, "error": m} for (p, b), m in c.errors.items()]
        )
        sections.append(_Section(label("errors", lang), table=_table(failed, lang)))
    baseline = str(term(c.baseline, lang))
    sections.append(
        _Section(
            f"{label('winners_losers', lang)} {baseline}", table=_table(c.winners_losers, lang)
        )
    )
    differ, alike = _budgets_that_differ(c)
    notes = tuple(label("all_alike", lang).format(budget=format_kronor(b, lang)) for b in alike)
    for number, budget in enumerate(differ[:_MAX_BUDGET_PLOTS]):
        rows = c.table[c.table["budget"] == budget]
        names = {p: str(term(p, lang)) for p in c.policies}
        wide = rows.pivot(index="unit", columns="policy", values="allocation_rounded")
        wide = wide.reindex(columns=[p for p in c.policies if p in wide.columns])
        diff = rows.pivot(index="unit", columns="policy", values="difference")
        diff = diff.reindex(columns=[p for p in wide.columns if p != c.baseline])
        both = pd.concat(
            [wide.rename(columns=names), diff.rename(columns=names).add_prefix("Δ ")], axis=1
        )
        heading = f"{label('differences', lang)} {baseline} — {format_kronor(budget, lang)}"
        images: tuple[_Image, ...] = ()
        if (c.baseline, budget) in c.results:
            images = _plot(partial(plots.plot_comparison, c, budget, lang), lang)
        sections.append(
            _Section(
                heading,
                table=_table(_by_name(both), lang, index="unit", kronor=True, total=True),
                images=images,
                notes=notes if number == 0 else (),
            )
        )
    if not differ:
        sections.append(_Section(label("differences", lang) + f" {baseline}", notes=notes))
    if len(c.budgets) > 1:
        sections.append(
            _Section(
                label("title_balancing", lang),
                images=_plot(lambda: plots.plot_balancing(c, lang), lang),
            )
        )
    return sections


def _budgets_that_differ(c: Comparison) -> tuple[list[float], list[float]]:
    """The budgets at which some policy's amounts differ from the baseline's, and the others."""
    spread = c.table.groupby("budget")["difference"].apply(lambda d: float(d.abs().sum()))
    differ = [b for b in c.budgets if spread.get(b, 0.0) >= 1.0]
    differ.sort(key=lambda b: -spread[b])
    return differ, [b for b in c.budgets if b not in differ]


def _simulation_sections(s: Simulation, lang: str) -> list[_Section]:
    shown = ["budget", "scenario", "units", "allocated_rounded", "unallocated",
             "balancing_scalar", "decrease_limit", "protected", "floor_cost", "floor_relaxed",
             "deviation_l1", "gini_per_inhabitant"]  # fmt: skip
    if s.matching is Matching.COLLECTED:
        shown.append("assumed_units")
    years = s.years[shown].rename(columns=_COUNTS).rename_axis("year").reset_index()
    never = label("never", lang)

    def year(value: object) -> str:
        return never if _missing(value) else str(int(float(value)))  # type: ignore[arg-type]

    reached = _by_name(s.reached_ideal.to_frame())
    reached_table = _table(reached, lang, index="unit", formats={"reached_ideal": year})
    trajectories = _by_name(s.by_year("allocation_rounded"))
    return [
        _Section(
            label("years", lang),
            table=_table(years, lang, formats={"year": year}),  # 2026, not 2 026
            notes=(matching_line(s, lang),),
        ),
        _Section(
            label("title_glide", lang),
            images=_plot(lambda: plots.plot_glide_paths(s, lang=lang), lang),
        ),
        _Section(label("glide", lang), table=reached_table, notes=(label("glide_note", lang),)),
        _Section(
            label("trajectories", lang),
            table=_table(trajectories, lang, index="unit", kronor=True, total=True),
        ),
    ]


def _by_name(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in Swedish alphabetical order of their unit (the index)."""
    keys = swedish_order(pd.Series(frame.index.astype(str), index=frame.index))
    return frame.loc[keys.sort_values(kind="stable").index]


def _plot(draw: Callable[[], Figure], lang: str) -> tuple[_Image, ...]:
    try:
        figure = draw()
    except ImportError:
        return ()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    title = figure.axes[0].get_title() if figure.axes else ""
    return (_Image(title, data),)


def _figures(figures: Mapping[str, object], lang: str) -> _Table:
    rows = []
    for name, value in figures.items():
        column = _COUNTS.get(name, name)
        rows.append(_Row(_header(column, lang), (_cell(column, value, lang),)))
    return _Table((_header("figure", lang), _header("value", lang)), tuple(rows), index=True)


def _table(
    frame: pd.DataFrame,
    lang: str,
    index: str | None = None,
    formats: Mapping[str, Callable[[object], str]] | None = None,
    kronor: bool = False,
    total: bool = False,
) -> _Table:
    """A table of ``frame``; ``kronor``: every number is kronor; ``total``: a total row."""
    formats = dict(formats or {})
    columns = [str(c) for c in frame.columns]
    frame = frame.set_axis(columns, axis=1)
    head = tuple(_header(c, lang) for c in ([index] if index else []) + columns)
    rows = []
    for key, values in zip(frame.index, frame.itertuples(index=False), strict=True):
        cells = []
        for column, value in zip(columns, values, strict=True):
            if column in formats:
                cells.append(_Cell(formats[column](value), "num"))
            elif kronor and _is_number(value):
                cells.append(_Cell(_kronor(value, lang), "num"))
            else:
                cells.append(_cell(column, value, lang))
        rows.append(_Row(str(key), tuple(cells)))
    footer = None
    if total:
        sums = []
        for column in columns:
            column_values = frame[column]
            summed = kronor or _kind(column) == "kr"
            if not summed or not pd.api.types.is_numeric_dtype(column_values):
                sums.append(_Cell(""))
                continue
            printed = [round(float(v)) for v in column_values if _is_number(v) and math.isfinite(v)]
            sums.append(_Cell(_kronor(sum(printed), lang), "num"))
        footer = _Row(label("total", lang), tuple(sums))
    return _Table(head, tuple(rows), index=index is not None, total=footer)


def _cell(column: str, value: object, lang: str) -> _Cell:
    if _missing(value):
        return _Cell("–")
    if column in _NAMED:
        return _Cell(str(term(value, lang)))
    if isinstance(value, (bool, np.bool_)):
        return _Cell("✓" if value else "")
    kind = _kind(column)
    if not _is_number(value):
        return _Cell(str(value), "wrap" if column == "error" else "")
    number = float(value)  # type: ignore[arg-type]
    if kind in ("kr", "exact", "tkr"):
        return _Cell(_kronor(number, lang), "num")
    if kind == "count":
        return _Cell(format_number(number, lang, 0), "num")
    if kind in ("percent", "share"):
        return _Cell(format_percent(number, lang, 2), "num")
    return _Cell(format_number(number, lang, 4), "num")


def _kronor(value: object, lang: str) -> str:
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        return "–"  # an infinite cap: no limit
    return format_number(number, lang, 0)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float, np.number)) and not isinstance(value, (bool, np.bool_))


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(isinstance(value, (float, np.floating)) and math.isnan(value))
    except TypeError:
        return False


def _kind(column: str) -> str:
    return DECISION_HEADERS.get(column, ("", "", "number"))[2]


def _header(name: str, lang: str) -> str:
    names = DECISION_HEADERS.get(name)
    return name if names is None else names[0 if lang == "sv" else 1]
