"""How an :class:`~finsam_opt.Allocation` shows itself: a one-line repr and a notebook table."""

from __future__ import annotations

import html
from typing import Any

from finsam_opt.language.numbers import format_kronor, format_percent
from finsam_opt.language.words import DECISION_HEADERS, term

__all__ = ["allocation_html", "allocation_repr"]

Allocation = Any  # result.py imports this module; an import back would be a circle

_SHOWN = ("ideal", "cap", "floor", "allocation_rounded", "change", "binding")
_ROWS = 12


def allocation_repr(result: Allocation) -> str:
    """``Allocation(79 units, surplus, policy 'raise-limit', allocated … kr of … kr)``."""
    return (
        f"Allocation({len(result.table)} units, {result.scenario}, policy {result.policy!r}, "
        f"allocated {format_kronor(result.rounded_total, 'en')} of "
        f"{format_kronor(result.parameters.budget, 'en', ore=True)})"
    )


def allocation_html(result: Allocation, language: str = "sv") -> str:
    """A short summary and the first rows of the decision table, for a notebook."""
    limit = (
        "—" if result.decrease_limit is None else format_percent(result.decrease_limit, language, 2)
    )
    sv = language == "sv"
    facts = [
        ("Förbund" if sv else "Units", str(len(result.table))),
        ("Scenario", str(term(str(result.scenario), language))),
        ("Princip" if sv else "Policy", str(term(result.policy, language))),
        ("Budget", format_kronor(result.parameters.budget, language, ore=True)),
        ("Fördelat" if sv else "Allocated", format_kronor(result.rounded_total, language)),
        (
            "Ofördelat" if sv else "Unallocated",
            format_kronor(result.unallocated, language, ore=True),
        ),
        ("Effektiv spärr" if sv else "Effective decrease limit", limit),
    ]
    summary = "".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in facts
    )
    index = 0 if sv else 1
    head = "".join(f"<th>{html.escape(DECISION_HEADERS[c][index])}</th>" for c in ("unit", *_SHOWN))
    body = []
    for unit, row in result.table.head(_ROWS).iterrows():
        cells = [html.escape(str(unit))]
        for column in _SHOWN:
            value = row[column]
            if column == "binding":
                cells.append(html.escape(str(term(value, language))))
            elif value != value or value == float("inf"):  # NaN, or no limit
                cells.append("")
            else:
                cells.append(format_kronor(value, language).removesuffix(" kr"))
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    more = len(result.table) - _ROWS
    note = (
        f"<p>… {more} {'förbund till' if sv else 'more units'}: <code>result.table</code></p>"
        if more > 0
        else ""
    )
    return (
        f"<div><table>{summary}</table>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{note}</div>"
    )
