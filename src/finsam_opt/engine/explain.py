"""One unit's amount, step by step, in Swedish or English: the text of ``explain()``.

Amounts are the rounded numbers of the decision table (the same krona), and
the key is shown with enough digits that ``base + rest × key`` checks by hand
to the krona.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import Any

import pandas as pd

from finsam_opt.domain.units import Matching
from finsam_opt.engine.binding import BINDING_RULES
from finsam_opt.errors import InputError
from finsam_opt.language.numbers import format_kronor, format_number, format_percent
from finsam_opt.language.words import MEANINGS, check_language, meaning, phase_text, say, term

# An Allocation and a Redistribution; typed Any because result.py and surplus.py import this
# module (their explain() methods call it), and an import back would be a circle.
Allocation = Any
Redistribution = Any

__all__ = [
    "assumed_parties",
    "explain_allocation",
    "explain_redistribution",
    "key_decimals",
    "matching_line",
    "matching_sentence",
]


def key_decimals(rest: float) -> int:
    """Decimals of a key ``k`` such that ``rest × k`` is right to half a krona.

    Examples
    --------
    >>> key_decimals(18_000_000), key_decimals(307_400_000)
    (8, 9)
    """
    if rest <= 0.5:
        return 4
    return max(4, math.ceil(math.log10(rest / 0.5)))


def explain_allocation(result: Allocation, unit: Hashable, language: str = "sv") -> str:
    """The text of :meth:`Allocation.explain` for ``unit`` in ``language``."""
    check_language(language)
    if unit not in result.table.index:
        raise InputError(
            f"unit {unit!r} is not in this allocation",
            sv=f"förbundet {unit!r} finns inte i den här tilldelningen",
            units=[unit],
        )
    sv = language == "sv"
    row = result.table.loc[[unit]].iloc[0]
    p = result.parameters
    rest = p.budget - len(result.table) * p.base_amount

    def kr(amount: float) -> str:
        return format_kronor(amount, language)

    key = format_number(row["key"], language, key_decimals(rest))
    policy = term(result.policy, language)
    cap = row["cap"]
    lines = [
        f"Förbund {unit!r} ({term(str(result.scenario), language)}, princip {policy}):"
        if sv
        else f"Unit {unit!r} ({result.scenario}, policy {result.policy}):",
        f"  idealfördelning {kr(row['ideal'])} = grundtilldelning {kr(p.base_amount)} + "
        f"{kr(rest)} × nyckeltal {key}"
        if sv
        else f"  ideal {kr(row['ideal'])} = base {kr(p.base_amount)} + {kr(rest)} × key {key}",
    ]
    if math.isinf(cap) and result.matching == "not collected":
        lines.append(
            "  tak: inget (matchningen är inte insamlad)"
            if sv
            else "  cap: none (matching not collected)"
        )
    elif math.isinf(cap):
        lines.append("  tak: inget (ingen gräns angiven)" if sv else "  cap: none (no limit given)")
    else:
        lines.append(
            f"  tak {kr(cap)} (ansökt belopp och 2 × det minsta bidraget)"
            if sv
            else f"  cap {kr(cap)} (requested and 2 × the smaller match)"
        )
    lines.extend(_assumed_lines(result, row, language))
    lines.append(_floor_line(result, row, language))
    if row["protected"]:
        reason = (
            "golvet lyfter det över idealet inom taket"
            if sv
            else "the floor lifts it above its capped ideal"
        )
    elif row["ideal"] <= cap:
        reason = "idealet ryms inom taket" if sv else "its ideal within the cap"
    else:
        reason = "taket" if sv else "its cap"
    lines.append(f"  {'målbelopp' if sv else 'target'} {kr(row['target'])} ({reason})")
    equity = p.staircase is not None and p.equity_floor != "always"
    if equity and row.get("excess_equity", 0.0) > 0:
        lines.append(f"  {_equity_line(result, row, language)}")
    rule = str(row["binding"])
    if rule == "relaxed-floor" and result.decrease_limit is not None:
        limit = format_percent(result.decrease_limit, language, 2)
        outcome = (
            f"under golvet: spärren höjdes till {limit}"
            if sv
            else f"below its floor: the decrease limit was raised to {limit}"
        )
    else:
        outcome = meaning(rule, language) if rule in MEANINGS else BINDING_RULES.get(rule, rule)
    amount = kr(row["allocation_rounded"])
    lines.append(f"  {'tilldelning' if sv else 'allocation'} {amount}: {outcome}")
    return "\n".join(lines)


_PARTIES = {
    "municipal_match": ("kommunernas bidrag", "municipal_match"),
    "regional_match": ("regionens bidrag", "regional_match"),
}


def _assumed_lines(result: Allocation, row: Any, language: str) -> list[str]:
    """A line per contribution assumed for a party that did not answer (docs/model.md)."""
    sv = language == "sv"
    lines = []
    for party, names in _PARTIES.items():
        if not row.get(f"{party}_assumed", False):
            continue
        amount = row[party]
        if math.isnan(amount) or math.isinf(amount):
            taken = "ingen gräns" if sv else "no limit"
        else:
            taken = format_kronor(amount, language)
        rule = str(result.parameters.unanswered)
        # In Swedish the rule is named in words (the term table), never by its English code;
        # "ingen gräns" needs no second word.
        how = "" if rule == "no-limit" else f" ({term(rule, language)})"
        lines.append(
            f"  {names[0]} antaget, ej besvarat: {taken}{how}"
            if sv
            else f"  {names[1]} assumed, not answered: {taken} (unanswered '{rule}')"
        )
    return lines


def _floor_line(result: Allocation, row: object, language: str) -> str:
    sv = language == "sv"
    p = result.parameters
    if row["new"]:  # type: ignore[index]
        return "  golv: inget (nytt förbund)" if sv else "  floor: none (new unit)"
    excess = row.get("excess_equity", 0.0)  # type: ignore[attr-defined]
    if p.staircase is not None and p.equity_floor == "always" and excess > 0:
        amount = format_kronor(excess, language)
        return (
            f"  golv: inget (eget kapital {amount} över trappans nivå)"
            if sv
            else f"  floor: none (equity {amount} above the staircase level)"
        )
    limit = format_percent(p.decrease_limit, language, 0)
    floor = format_kronor(row["floor"], language)  # type: ignore[index]
    previous = format_kronor(row["previous_allocation"], language)  # type: ignore[index]
    capped = row["floor"] >= row["cap"]  # type: ignore[index]
    if sv:
        return f"  golv {floor} = (1 − {limit}) × föregående års {previous}" + (
            " (begränsat av taket)" if capped else ""
        )
    return f"  floor {floor} = (1 − {limit}) × last year's {previous}" + (
        " (limited by the cap)" if capped else ""
    )


def _equity_line(result: Allocation, row: Any, language: str) -> str:
    """What a unit's excess equity did in this allocation (phase E, docs/model.md)."""
    sv = language == "sv"
    amount = format_kronor(row["excess_equity"], language)
    excess = (
        f"eget kapital {amount} över trappans nivå"
        if sv
        else f"equity {amount} above the staircase level"
    )
    if result.parameters.equity_floor == "never":
        return (
            f"{excess}: påverkar aldrig golvet (equity_floor 'never')"
            if sv
            else f"{excess}: never touches the floor (equity_floor 'never')"
        )
    if str(result.scenario) != "deficit":
        return (
            f"{excess}: räknas inte utanför ett underskott (eget kapital räknas bara vid behov)"
            if sv
            else f"{excess}: not considered outside a deficit (equity counts only when needed)"
        )
    if row["equity_cut"] > 0:
        cut = format_kronor(row["equity_cut"], language)
        rate = format_percent(result.equity_rate or 0.0, language, 2)
        return (
            f"{excess}: fas E tog {cut} av dess skydd ({rate} av vad överskottet täcker) "
            "innan något golv sänktes"
            if sv
            else f"{excess}: phase E took {cut} of its protection ({rate} of what its excess "
            "covers) before any floor was relaxed"
        )
    return (
        f"{excess}: inget skydd att ge upp (golvet lyfter det inte)"
        if sv
        else f"{excess}: no protection to give up (the floor does not lift it)"
    )


def explain_redistribution(extra: Redistribution, unit: Hashable, language: str = "sv") -> str:
    """The text of :meth:`Redistribution.explain` for ``unit`` in ``language``."""
    check_language(language)
    if unit not in extra.table.index:
        raise InputError(
            f"unit {unit!r} is not in this surplus round",
            sv=f"förbundet {unit!r} finns inte i den här omgången för ofördelade medel",
            units=[unit],
        )
    sv = language == "sv"
    row = extra.table.loc[[unit]].iloc[0]

    def kr(amount: float) -> str:
        return format_kronor(amount, language)

    cap = row["matching_cap"]
    policy = term(extra.policy, language)
    if sv:
        cap_text = (
            "tak enligt matchningen: inget (inget extra bidrag angivet)"
            if math.isinf(cap)
            else f"tak enligt matchningen {kr(cap)} (2 × det minsta extra bidraget)"
        )
        lines = [
            f"Förbund {unit!r} (ofördelade medel, princip {policy}):",
            f"  ansökte om {kr(row['application'])}; {cap_text}",
            f"  överskjutande eget kapital {kr(row['excess_equity'])}",
            f"  {kr(extra.table['application'].sum())} sökt totalt, {kr(extra.available)} "
            "att fördela",
        ]
    else:
        cap_text = (
            "matching cap: none (no extra matching given)"
            if math.isinf(cap)
            else f"matching cap {kr(cap)} (2 × the smaller extra match)"
        )
        lines = [
            f"Unit {unit!r} (surplus round, policy {extra.policy}):",
            f"  applied for {kr(row['application'])}; {cap_text}",
            f"  excess equity {kr(row['excess_equity'])}",
            f"  {kr(extra.table['application'].sum())} applied for in all, "
            f"{kr(extra.available)} available",
        ]
    if extra.phase is None:
        lines.append(
            "  alla ansökningar ryms: inget ransonerades"
            if sv
            else "  all applications fit: nothing rationed"
        )
    else:
        scalar = format_number(extra.balancing_scalar or 0.0, language, 6)
        what = phase_text(extra.phase_description, language)
        lines.append(
            f"  ransonerat i fas {extra.phase} (λ = {scalar}): {what}"
            if sv
            else f"  rationed by phase {extra.phase} (λ = {scalar}): {what}"
        )
    outcome = meaning(str(row["binding"]), language)
    amount = kr(row["granted_rounded"])
    lines.append(f"  {'beviljat' if sv else 'granted'} {amount}: {outcome}")
    return "\n".join(lines)


def assumed_parties(assumed: pd.DataFrame, language: str) -> str:
    """``'X (regional contribution); Y (…)'``: each unit and the parties assumed for it.

    With a ``year`` column (a simulation or a forecast) each unit's years follow its
    parties: ``'X (regionens bidrag: 2026–2028, 2030)'``.

    Examples
    --------
    >>> import pandas as pd
    >>> assumed = pd.DataFrame({"year": [2026, 2027, 2027, 2029],
    ...                         "unit": ["X", "X", "Y", "X"],
    ...                         "party": ["regional_match"] * 3 + ["municipal_match"]})
    >>> assumed_parties(assumed, "sv")
    'X (regionens bidrag, kommunernas bidrag: 2026–2027, 2029); Y (regionens bidrag: 2027)'
    """
    listed = []
    for unit, rows in assumed.groupby("unit", sort=False):
        parties = ", ".join(str(term(p, language)) for p in dict.fromkeys(rows["party"]))
        if "year" in rows.columns:
            parties += ": " + _year_runs(rows["year"])
        listed.append(f"{unit} ({parties})")
    return "; ".join(listed)


def _year_runs(years: pd.Series) -> str:
    """``'2026–2028, 2030'``: the years, consecutive ones as a range."""
    runs: list[list[int]] = []
    for year in sorted({int(y) for y in years}):
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


def matching_line(result: Any, language: str) -> str:
    """One sentence on the matching behind an Allocation, a Simulation or a Forecast: not
    collected, collected, or collected with the contributions assumed for units that did
    not answer, named (MODEL.md §4a: every output names them; for several years, with
    the years in which each was assumed).

    Examples
    --------
    >>> import finsam_opt as fo
    >>> result = fo.allocate(fo.example_units(), fo.Parameters(budget=20_000_000))
    >>> matching_line(result, "en")
    'matching: collected from every förbund'
    """
    return matching_sentence(result.matching, result.assumed, language)


def matching_sentence(matching: object, assumed: pd.DataFrame, language: str) -> str:
    """:func:`matching_line` from its parts: ``matching`` (a :class:`Matching` value) and
    the ``assumed`` table (``unit``, ``party``, ``assumed_as``), as a saved round keeps them.

    Examples
    --------
    >>> import pandas as pd
    >>> assumed = pd.DataFrame({"unit": ["B"], "party": ["regional_match"],
    ...                         "assumed_as": ["previous"]})
    >>> matching_sentence("collected", assumed, "en")
    'matching: collected; assumed (previous, not answered) for 1 förbund: B (regional_match)'
    """
    if Matching(str(matching)) is Matching.NOT_COLLECTED:
        return say("not_collected", language)
    if assumed.empty:
        return say("collected", language)
    return say(
        "assumed",
        language,
        how=term(assumed["assumed_as"].iloc[0], language),
        count=assumed["unit"].nunique(),
        listed=assumed_parties(assumed, language),
    )
