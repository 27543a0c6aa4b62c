"""The one table of Swedish and English words: column headers, labels of plots and reports."""

from __future__ import annotations

from finsam_opt.errors import InputError

__all__ = ["LANGUAGES", "SWEDISH_HEADERS", "check_language", "label"]

LANGUAGES: tuple[str, ...] = ("sv", "en")
"""Languages of plots and reports; Swedish is the default."""

SWEDISH_HEADERS: dict[str, str] = {
    "unit": "Förbund",
    "municipality_code": "Kommunkod",
    "municipality_name": "Kommun",
    "region": "Region",
    "year": "År",
    "population": "Invånare 16-64",
    "support_measure": "Försörjningsmått",
    "previous_allocation": "Föregående års tilldelning",
    "requested": "Ansökt belopp",
    "municipal_match": "Kommunernas bidrag",
    "regional_match": "Regionens bidrag",
    "equity": "Eget kapital",
    "turnover": "Omsättning",
    "application": "Ansökan ofördelade medel",
    "municipal_extra": "Kommunernas extra bidrag",
    "regional_extra": "Regionens extra bidrag",
    "comment": "Kommentar",
}
"""The Swedish header written for each canonical column."""

_LABELS: dict[str, tuple[str, str]] = {
    # key: (Swedish, English)
    "unit": ("Förbund", "Unit"),
    "units": ("förbund", "units"),
    "ideal": ("Idealfördelning", "Ideal allocation"),
    "allocation": ("Tilldelning", "Allocation"),
    "floor": ("Golv (10-procentsspärren)", "Floor (decrease limit)"),
    "cap": ("Tak (matchning)", "Cap (matching)"),
    "mkr": ("Mkr", "MSEK"),
    "tkr": ("tkr", "kSEK"),
    "kr": ("kr", "SEK"),
    "budget": ("Budget", "Budget"),
    "budget_mkr": ("Statlig budget, Mkr", "State budget, MSEK"),
    "year": ("År", "Year"),
    "policy": ("Princip", "Policy"),
    "baseline": ("Jämförelseprincip", "Baseline policy"),
    "difference": ("Skillnad mot", "Difference from"),
    "difference_tkr": ("Skillnad, tkr", "Difference, kSEK"),
    "balancing_scalar": ("Balanstal λ", "Balancing scalar λ"),
    "effective_limit": ("Effektiv spärr", "Effective decrease limit"),
    "share_of_ideal": ("Tilldelning i % av idealet", "Allocation, % of ideal"),
    "allocation_mkr": ("Tilldelning, Mkr", "Allocation, MSEK"),
    "title_allocation": ("Idealfördelning och tilldelning", "Ideal allocation and allocation"),
    "title_comparison": ("Jämförelse av principer", "Comparison of policies"),
    "title_glide": ("Vägen mot idealfördelningen", "Glide paths to the ideal allocation"),
    "title_balancing": ("Balanstal mot budget", "Balancing scalar against the budget"),
    "report_allocation": ("Fördelning av statliga medel", "Allocation of state funds"),
    "report_comparison": ("Jämförelse av principer", "Comparison of policies"),
    "report_simulation": ("Flerårssimulering", "Multi-year simulation"),
    "diagnostics": ("Nyckeltal", "Diagnostics"),
    "decision_table": ("Beslutsunderlag", "Decision table"),
    "summary": ("Utfall per princip och budget", "Outcome by policy and budget"),
    "summary_cost": (
        "Spärrens kostnad och avstånd från idealet",
        "Cost of the floor and distance from the ideal",
    ),
    "winners_losers": ("Vinnare och förlorare mot", "Winners and losers against"),
    "differences": ("Skillnad per förbund mot", "Difference per unit against"),
    "errors": ("Principer som misslyckades", "Policies that failed"),
    "years": ("År för år", "Year by year"),
    "glide": ("År då förbundet når sin idealfördelning", "Year each unit reaches its ideal"),
    "trajectories": ("Tilldelning per år, kr", "Allocation by year, kronor"),
    "glide_note": (
        "Idealet så långt matchningen räcker, min(I, tak); ett förbund vid sitt tak "
        "räknas som framme.",
        "The ideal as far as the matching allows, min(I, cap); a unit held at its cap "
        "counts as there.",
    ),
    "never": ("inte inom perioden", "not within the period"),
    "balance": ("balans", "balance"),
    "surplus": ("överskott", "surplus"),
    "deficit": ("underskott", "deficit"),
    "phase": ("fas", "phase"),
    "generated": ("Skapad med finsam_opt", "Made with finsam_opt"),
    "no_plots": (
        "Diagram saknas: installera matplotlib (finsam_opt[plot]).",
        "Plots omitted: install matplotlib (finsam_opt[plot]).",
    ),
}


def label(key: str, lang: str) -> str:
    """The label ``key`` in language ``lang`` (``'sv'`` or ``'en'``).

    Examples
    --------
    >>> label("ideal", "sv"), label("ideal", "en")
    ('Idealfördelning', 'Ideal allocation')
    """
    check_language(lang)
    return _LABELS[key][LANGUAGES.index(lang)]


def check_language(lang: str) -> None:
    """Raise :class:`InputError` unless ``lang`` is one of :data:`LANGUAGES`."""
    if lang not in LANGUAGES:
        raise InputError(f"parameter lang must be 'sv' or 'en', got {lang!r}", column="lang")
