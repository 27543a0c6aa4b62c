"""One self-contained HTML report for an allocation, a comparison or a simulation.

The file has no external resources: styles are inline and plots are embedded as
base64 PNG images, so it can be mailed as it is. Every text that comes from
data (unit ids, policy names, error messages) is escaped.
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Callable, Mapping
from datetime import date
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from finsam_opt.analysis import plots
from finsam_opt.analysis.compare import Comparison
from finsam_opt.analysis.diagnostics import diagnose
from finsam_opt.analysis.simulate import Simulation
from finsam_opt.engine.result import Allocation
from finsam_opt.errors import InputError
from finsam_opt.io.safe import atomic_outputs
from finsam_opt.language.words import check_language, label

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["report_html", "write_report"]

Reportable = Allocation | Comparison | Simulation
Format = Callable[[object], str]

_MAX_BUDGET_PLOTS = 4

# Column headers (Swedish, English) of the report's tables.
_HEADERS: dict[str, tuple[str, str]] = {
    "unit": ("Förbund", "Unit"),
    "budget": ("Budget, kr", "Budget, SEK"),
    "policy": ("Princip", "Policy"),
    "scenario": ("Läge", "Scenario"),
    "allocated": ("Fördelat, kr", "Allocated, SEK"),
    "allocated_rounded": ("Fördelat (avrundat), kr", "Allocated (rounded), SEK"),
    "unallocated": ("Ofördelat, kr", "Unallocated, SEK"),
    "balancing_scalar": ("Balanstal λ", "Balancing scalar λ"),
    "decrease_limit": ("Effektiv spärr", "Effective decrease limit"),
    "phase": ("Fas", "Phase"),
    "units": ("Antal förbund", "Units"),
    "at_ideal": ("Vid ideal", "At ideal"),
    "at_cap": ("Vid tak", "At cap"),
    "at_floor": ("Vid golv", "At floor"),
    "relaxed": ("Under golv", "Below floor"),
    "scaled": ("Skalade", "Scaled"),
    "at_base": ("Vid grundbelopp", "At base amount"),
    "new": ("Nya", "New"),
    "protected": ("Skyddade av spärren", "Protected by the floor"),
    "below_floor": ("Under sitt golv", "Below their floor"),
    "floor_cost": ("Spärrens kostnad Σ(t − m), kr", "Floor cost Σ(t − m), SEK"),
    "floor_paid": ("Därav betalt, kr", "Of which paid, SEK"),
    "floor_relaxed": ("Därav släppt, kr", "Of which relaxed, SEK"),
    "cut_below_capped": ("Andras minskning under ideal, kr", "Others cut below ideal, SEK"),
    "deviation_l1": ("Σ |x − I|, kr", "Σ |x − I|, SEK"),
    "deviation_max_relative": ("Största avvikelse från ideal", "Largest deviation from ideal"),
    "deviation_max_unit": ("Förbund med största avvikelse", "Unit deviating most"),
    "gini_per_inhabitant": ("Gini per invånare 16–64", "Gini per inhabitant 16–64"),
    "error": ("Fel", "Error"),
    "ideal": ("Ideal, kr", "Ideal, SEK"),
    "cap": ("Tak, kr", "Cap, SEK"),
    "floor": ("Golv, kr", "Floor, SEK"),
    "target": ("Mål, kr", "Target, SEK"),
    "previous_allocation": ("Föregående år, kr", "Previous year, SEK"),
    "allocation_rounded": ("Tilldelning, kr", "Allocation, SEK"),
    "change_rate": ("Förändring", "Change"),
    "binding": ("Avgörande regel", "Binding rule"),
    "winners": ("Vinnare", "Winners"),
    "losers": ("Förlorare", "Losers"),
    "moved": ("Omfördelat, kr", "Moved, SEK"),
    "largest_gain_unit": ("Största vinnare", "Largest winner"),
    "largest_gain": ("Största vinst, kr", "Largest gain, SEK"),
    "largest_loss_unit": ("Största förlorare", "Largest loser"),
    "largest_loss": ("Största förlust, kr", "Largest loss, SEK"),
    "reached_ideal": ("År vid ideal", "Year at ideal"),
    "figure": ("Nyckeltal", "Figure"),
    "value": ("Värde", "Value"),
}

# The comparison's summary is shown as two tables: what happened, then who paid.
_OUTCOME = (
    "scenario",
    "phase",
    "balancing_scalar",
    "decrease_limit",
    "unallocated",
    "units",
    "at_ideal",
    "at_cap",
    "at_floor",
    "relaxed",
    "scaled",
    "at_base",
    "new",
    "protected",
    "below_floor",
)
_COST = (
    "floor_cost",
    "floor_paid",
    "floor_relaxed",
    "cut_below_capped",
    "deviation_l1",
    "deviation_max_relative",
    "deviation_max_unit",
    "gini_per_inhabitant",
)

_KRONOR_COLUMNS = {
    "budget", "allocated", "allocated_rounded", "unallocated", "floor_cost", "floor_paid",
    "floor_relaxed", "cut_below_capped", "deviation_l1", "ideal", "cap", "floor", "target",
    "previous_allocation", "allocation_rounded", "moved", "largest_gain", "largest_loss",
}  # fmt: skip
_PERCENT_COLUMNS = {"decrease_limit", "deviation_max_relative", "change_rate"}
_DECIMAL_COLUMNS = {"balancing_scalar", "gini_per_inhabitant"}
# Counts (floats in a table where a failed run left NaN).
_COUNT_COLUMNS = {
    "phase",
    "units",
    "at_ideal",
    "at_cap",
    "at_floor",
    "relaxed",
    "scaled",
    "at_base",
    "new",
    "protected",
    "below_floor",
    "winners",
    "losers",
}

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto;
       max-width: 1200px; color: #222; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
p.meta { color: #666; margin-top: 0; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.85em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; }
thead th { background: #eef2f7; }
td, th { white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.wrap { white-space: normal; }
tbody tr:nth-child(even) { background: #fafafa; }
img { max-width: 100%; height: auto; display: block; margin: 0.8em 0; }
.scroll { overflow-x: auto; }
"""


def write_report(
    obj: Reportable, path: str | Path, lang: str = "sv", title: str | None = None
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
    page = report_html(obj, lang=lang, title=title)
    target = Path(path)
    with atomic_outputs([target]) as (temporary,):
        temporary.write_text(page, encoding="utf-8")
    return target


def report_html(obj: Reportable, lang: str = "sv", title: str | None = None) -> str:
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
        key, body = "report_allocation", _allocation_body(obj, lang)
    elif isinstance(obj, Comparison):
        key, body = "report_comparison", _comparison_body(obj, lang)
    elif isinstance(obj, Simulation):
        key, body = "report_simulation", _simulation_body(obj, lang)
    else:
        raise InputError(
            f"a report needs an Allocation, Comparison or Simulation, got {type(obj).__name__}"
        )
    heading = _e(title or label(key, lang))
    meta = f"{label('generated', lang)} {version('finsam_opt')}, {date.today().isoformat()}"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{heading}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f'<h1>{heading}</h1>\n<p class="meta">{_e(meta)}</p>\n{body}</body>\n</html>\n'
    )


def _allocation_body(result: Allocation, lang: str) -> str:
    t = result.table
    decision = t[
        [
            "previous_allocation",
            "ideal",
            "cap",
            "floor",
            "target",
            "allocation_rounded",
            "change_rate",
            "binding",
        ]
    ]
    return "".join(
        [
            _section(label("diagnostics", lang), _figures_table(diagnose(result).to_dict(), lang)),
            _section(
                label("title_allocation", lang),
                _plot(lambda: plots.plot_allocation(result, lang), lang),
            ),
            _section(label("decision_table", lang), _table(decision, lang, index="unit")),
        ]
    )


def _comparison_body(c: Comparison, lang: str) -> str:
    parts = []
    summary = c.summary.drop(columns=["error", "allocated", "budget_"], errors="ignore")
    keys = ["budget", "policy"]
    outcome = [col for col in _OUTCOME if col in summary]
    parts.append(_section(label("summary", lang), _table(summary[keys + outcome], lang)))
    cost = [col for col in _COST if col in summary]
    parts.append(_section(label("summary_cost", lang), _table(summary[keys + cost], lang)))
    if c.errors:
        failed = pd.DataFrame(
            [{"policy": p, "budget": b, "error": m} for (p, b), m in c.errors.items()]
        )
        parts.append(_section(label("errors", lang), _table(failed, lang)))
    parts.append(
        _section(f"{label('winners_losers', lang)} {c.baseline}", _table(c.winners_losers, lang))
    )
    for budget in c.budgets[:_MAX_BUDGET_PLOTS]:
        rows = c.table[c.table["budget"] == budget]
        if rows.empty:
            continue
        wide = rows.pivot(index="unit", columns="policy", values="allocation_rounded")
        wide = wide.reindex(
            index=list(dict.fromkeys(rows["unit"])),
            columns=[p for p in c.policies if p in wide.columns],
        )
        diff = rows.pivot(index="unit", columns="policy", values="difference").reindex(wide.index)
        diff = diff.reindex(columns=[p for p in wide.columns if p != c.baseline])
        both = pd.concat([wide, diff.add_prefix("Δ ")], axis=1)
        heading = (
            f"{label('differences', lang)} {c.baseline} — {_kronor(budget)} {label('kr', lang)}"
        )
        body = _table(both, lang, index="unit", kronor_all=True)
        if (c.baseline, budget) in c.results:
            body += _plot(partial(plots.plot_comparison, c, budget, lang), lang)
        parts.append(_section(heading, body))
    if len(c.budgets) > 1:
        parts.append(
            _section(
                label("title_balancing", lang), _plot(lambda: plots.plot_balancing(c, lang), lang)
            )
        )
    return "".join(parts)


def _simulation_body(s: Simulation, lang: str) -> str:
    shown = [
        "budget",
        "scenario",
        "units",
        "allocated_rounded",
        "unallocated",
        "balancing_scalar",
        "decrease_limit",
        "protected",
        "floor_cost",
        "floor_relaxed",
        "deviation_l1",
        "gini_per_inhabitant",
    ]
    years = s.years[shown].rename_axis("year").reset_index()
    years = years.rename(columns={"year": label("year", lang)})
    reached = s.reached_ideal.to_frame()
    never = label("never", lang)
    formats = {"reached_ideal": lambda v: never if _missing(v) else str(int(v))}  # type: ignore[arg-type]
    trajectories = s.by_year("allocation_rounded")
    return "".join(
        [
            _section(label("years", lang), _table(years, lang)),
            _section(
                label("title_glide", lang),
                _plot(lambda: plots.plot_glide_paths(s, lang=lang), lang),
            ),
            _section(
                label("glide", lang),
                f"<p>{_e(label('glide_note', lang))}</p>\n"
                + _table(reached, lang, index="unit", formats=formats),
            ),
            _section(
                label("trajectories", lang),
                _table(trajectories, lang, index="unit", kronor_all=True),
            ),
        ]
    )


def _section(heading: str, body: str) -> str:
    return f"<section>\n<h2>{_e(heading)}</h2>\n{body}</section>\n"


def _plot(draw: Callable[[], Figure], lang: str) -> str:
    try:
        figure = draw()
    except ImportError:
        return f"<p>{_e(label('no_plots', lang))}</p>\n"
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    title = figure.axes[0].get_title() if figure.axes else ""
    return f'<img alt="{_e(title)}" src="data:image/png;base64,{data}">\n'


def _figures_table(figures: Mapping[str, object], lang: str) -> str:
    rows = []
    for name, value in figures.items():
        text = _format_value(name, value, lang)
        rows.append(f'<tr><th>{_e(_header(name, lang))}</th><td class="num">{_e(text)}</td></tr>')
    names = (_e(_header("figure", lang)), _e(_header("value", lang)))
    head = f"<thead><tr><th>{names[0]}</th><th>{names[1]}</th></tr></thead>"
    return f"<table>{head}<tbody>\n" + "\n".join(rows) + "\n</tbody></table>\n"


def _table(
    frame: pd.DataFrame,
    lang: str,
    index: str | None = None,
    formats: Mapping[str, Format] | None = None,
    kronor_all: bool = False,
) -> str:
    formats = dict(formats or {})
    columns = list(frame.columns)
    head = "".join(f"<th>{_e(_header(str(c), lang))}</th>" for c in columns)
    if index is not None:
        head = f"<th>{_e(_header(index, lang))}</th>" + head
    body = []
    for key, row in frame.iterrows():
        cells = [f"<th>{_e(key)}</th>"] if index is not None else []
        for column in columns:
            value = row[column]
            if column in formats:
                text = formats[column](value)
            elif kronor_all and not isinstance(value, str):
                text = "–" if _missing(value) else _kronor(value)
            else:
                text = _format_value(str(column), value, lang)
            numeric = isinstance(value, (int, float, np.number)) and not isinstance(value, bool)
            css = ' class="num"' if numeric else (' class="wrap"' if column == "error" else "")
            cells.append(f"<td{css}>{_e(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>\n'
        + "\n".join(body)
        + "\n</tbody></table></div>\n"
    )


def _format_value(column: str, value: object, lang: str) -> str:
    if _missing(value):
        return "–"
    if column == "scenario":
        return label(str(value), lang)
    if isinstance(value, (bool, np.bool_)):
        return "✓" if value else ""
    if column in _KRONOR_COLUMNS:
        return _kronor(value)  # type: ignore[arg-type]
    if column in _COUNT_COLUMNS:
        return f"{float(value):.0f}"  # type: ignore[arg-type]
    if column in _PERCENT_COLUMNS:
        text = f"{float(value):.2%}"  # type: ignore[arg-type]
        return text.replace(".", ",").replace("%", " %") if lang == "sv" else text
    if column in _DECIMAL_COLUMNS:
        text = f"{float(value):.4f}"  # type: ignore[arg-type]
    elif isinstance(value, (float, np.floating)):
        text = f"{float(value):,.2f}".replace(",", " ")
    else:
        return str(value)
    return text.replace(".", ",") if lang == "sv" else text


def _kronor(value: float) -> str:
    if not math.isfinite(float(value)):
        return "–"  # an infinite cap: no limit
    whole = round(float(value)) + 0  # + 0 turns -0 into 0
    return f"{whole:,d}".replace(",", " ")


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(isinstance(value, (float, np.floating)) and math.isnan(value))
    except TypeError:
        return False


def _header(name: str, lang: str) -> str:
    pair = _HEADERS.get(name)
    return name if pair is None else pair[0 if lang == "sv" else 1]


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)
