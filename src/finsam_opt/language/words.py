"""The one table of Swedish and English words: column headers, labels of plots and reports."""

from __future__ import annotations

import pandas as pd

from finsam_opt.errors import InputError

__all__ = [
    "COLUMNS",
    "CONSOLE",
    "DECISION_HEADERS",
    "LANGUAGES",
    "MEANINGS",
    "PHASES",
    "ROUND_NAMES",
    "SWEDISH_HEADERS",
    "TERMS",
    "check_language",
    "label",
    "meaning",
    "phase_text",
    "round_name",
    "say",
    "swedish_order",
    "term",
]

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
    "answered_on": "Svarsdatum",
    "returned": "Återlämnade medel",
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
    "total": ("Totalt", "Total"),
    "all_alike": (
        "Vid budgeten {budget} ger alla principer samma fördelning.",
        "At the budget of {budget} every policy gives the same allocation.",
    ),
    "balance": ("balans", "balance"),
    "surplus": ("överskott", "surplus"),
    "deficit": ("underskott", "deficit"),
    "phase": ("fas", "phase"),
    "generated": ("Skapad med finsam_opt", "Made with finsam_opt"),
    "forecast_band": ("10–90 % av framtiderna", "10–90 % of the futures"),
    "forecast_median": ("Median", "Median"),
    "capped_ideal": ("Idealet så långt matchningen räcker", "Ideal as far as matching allows"),
    "explorer_title": (
        "Utforskare: statens medel till samordningsförbunden",
        "Explorer: the state's funds for the samordningsförbund",
    ),
    "allocated": ("Fördelat", "Allocated"),
    "on_floor_count": ("Förbund på golvet", "Units on the floor"),
    "winners": ("Vinnare", "Winners"),
    "losers": ("Förlorare", "Losers"),
    "against": ("mot", "against"),
    "from_ideal": ("Mot idealet, kr", "From the ideal, kr"),
    "from_baseline": ("Mot första principen, kr", "From the first policy, kr"),
    "status": ("Skäl", "Reason"),
    "chart": (
        "Tilldelning (blå), ideal (svart), golv (röd)",
        "Allocation (blue), ideal (black), floor (red)",
    ),
    "no_limit": ("ingen gräns", "no limit"),
    "not_placed": (
        "Principen kan inte fördela den här budgeten: golven ensamma är större.",
        "The policy cannot place this budget: the floors alone exceed it.",
    ),
    "explorer_note": (
        "Alla belopp är beräknade i förväg med finsam_opt, exakt som fördelningen vid "
        "varje budget; sidan behöver ingen server eller nätverk.",
        "Every amount was computed beforehand by finsam_opt, exactly as the allocation at "
        "each budget; the page needs no server and no network.",
    ),
    "status_ideal": ("vid idealet", "at its ideal"),
    "status_cap": ("vid taket (matchning)", "at its matching cap"),
    "status_floor": ("på golvet (spärren)", "on its floor (the limit)"),
    "status_relaxed": (
        "under golvet (spärren justerad)",
        "below its floor (limit relaxed)",
    ),
    "status_cut": ("nedskalad", "scaled down"),
    "figure_balancing_scalar": ("Balanstal λ", "Balancing scalar λ"),
    "figure_on_floor": ("Förbund på golvet", "Units on the floor"),
    "figure_largest_cut_rate": (
        "Största minskning mot förra året, andel",
        "Largest cut from last year, share",
    ),
    "figure_largest_cut": (
        "Största minskning mot förra året, kr",
        "Largest cut from last year, kr",
    ),
    "figure_gini_from_ideal": (
        "Gini för tilldelning i andel av idealet",
        "Gini of the allocation as a share of the ideal",
    ),
    "figure_years_to_ideal": (
        "År tills alla förbund når idealet (median)",
        "Years until every unit is at its ideal (median)",
    ),
    "figure_winners": ("Vinnare mot första principen", "Winners against the first policy"),
    "figure_losers": ("Förlorare mot första principen", "Losers against the first policy"),
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
        raise InputError(
            f"parameter lang must be 'sv' or 'en', got {lang!r}",
            sv=f"parametern lang måste vara 'sv' eller 'en', inte {lang!r}",
            column="lang",
        )


# canonical column → (Swedish header, English header, kind)
DECISION_HEADERS: dict[str, tuple[str, str, str]] = {
    "unit": ("Förbund", "Unit", "text"),
    "region": ("Region", "Region", "text"),
    "municipalities": ("Antal kommuner", "Municipalities", "count"),
    "population": ("Invånare 16-64", "Population 16-64", "count"),
    "support_measure": ("Försörjningsmått (kr)", "Support measure (kr)", "kr"),
    "previous_allocation": ("Föregående års tilldelning (kr)", "Previous allocation (kr)", "kr"),
    "requested": ("Ansökt belopp (kr)", "Requested (kr)", "kr"),
    "municipal_match": ("Kommunernas bidrag (kr)", "Municipal contribution (kr)", "kr"),
    "regional_match": ("Regionens bidrag (kr)", "Regional contribution (kr)", "kr"),
    "municipal_match_assumed": (
        "Kommunernas bidrag antaget, ej besvarat",
        "Municipal contribution assumed, not answered",
        "bool",
    ),
    "regional_match_assumed": (
        "Regionens bidrag antaget, ej besvarat",
        "Regional contribution assumed, not answered",
        "bool",
    ),
    "share_population": ("Andel invånare", "Population share", "share"),
    "share_support": ("Andel försörjningsmått", "Support measure share", "share"),
    "key": ("Nyckeltal viktad", "Weighted key", "share"),
    "ideal": ("Idealfördelning (kr)", "Ideal allocation (kr)", "kr"),
    "cap": ("Tak enligt matchning (kr)", "Matching cap (kr)", "kr"),
    "floor": ("Golv enligt spärren (kr)", "Floor (kr)", "kr"),
    "capped": ("Ideal inom taket (kr)", "Capped ideal (kr)", "kr"),
    "target": ("Målbelopp (kr)", "Target (kr)", "kr"),
    "protected": ("Skyddad av spärren", "Protected", "bool"),
    "new": ("Nytt förbund", "New unit", "bool"),
    "allocation": ("Tilldelning exakt (kr)", "Allocation exact (kr)", "exact"),
    "allocation_rounded": ("Tilldelning (kr)", "Allocation (kr)", "kr"),
    "allocation_tkr": ("Tilldelning (tkr)", "Allocation (tkr)", "tkr"),
    "ideal_tkr": ("Idealfördelning (tkr)", "Ideal allocation (tkr)", "tkr"),
    "amount": ("Belopp (kr)", "Amount (kr)", "kr"),
    "amount_tkr": ("Belopp (tkr)", "Amount (tkr)", "tkr"),
    "previous_round": ("Föregående omgång (kr)", "Previous round (kr)", "kr"),
    "change_from_previous_round": (
        "Förändring mot föregående omgång (kr)",
        "Change from previous round (kr)",
        "kr",
    ),
    "entitled": ("Berättigad till (kr)", "Entitled to (kr)", "kr"),
    "synthetic": ("Syntetiska uppgifter", "Synthetic data", "text"),
    "difference_from_entitled": (
        "Skillnad mot berättigad (kr)",
        "Difference from entitled (kr)",
        "kr",
    ),
    "difference_from_budget": (
        "Varav ändrad budget (kr)",
        "Of which a changed budget (kr)",
        "kr",
    ),
    "equity": ("Eget kapital (kr)", "Equity (kr)", "kr"),
    "turnover": ("Omsättning (kr)", "Turnover (kr)", "kr"),
    "equity_cut": (
        "Skydd som eget kapital tog (kr)",
        "Protection taken by excess equity (kr)",
        "kr",
    ),
    "change": ("Förändring mot föregående år (kr)", "Change from last year (kr)", "kr"),
    "change_rate": ("Förändring mot föregående år (%)", "Change from last year (%)", "percent"),
    "binding": ("Avgörande regel", "Binding rule", "text"),
    # A simulation's or forecast's matching, year by year (docs/model.md).
    "matching_status": ("Matchning", "Matching", "text"),
    "assumed_units": (
        "Förbund med antaget bidrag, ej besvarat",
        "Units with a contribution assumed, not answered",
        "count",
    ),
    # The surplus round (ofördelade medel).
    "decided": ("Beslutad tilldelning (kr)", "Decided allocation (kr)", "kr"),
    "returned": ("Återlämnade medel (kr)", "Funds handed back (kr)", "kr"),
    "application": ("Ansökan ofördelade medel (kr)", "Application (kr)", "kr"),
    "municipal_extra": ("Kommunernas extra bidrag (kr)", "Extra municipal contribution (kr)", "kr"),
    "regional_extra": ("Regionens extra bidrag (kr)", "Extra regional contribution (kr)", "kr"),
    "matching_cap": ("Tak enligt extra matchning (kr)", "Extra matching cap (kr)", "kr"),
    "excess_equity": ("Överskjutande eget kapital (kr)", "Excess equity (kr)", "kr"),
    "granted": ("Beviljat exakt (kr)", "Granted exact (kr)", "exact"),
    "granted_rounded": ("Beviljat (kr)", "Granted (kr)", "kr"),
    "granted_tkr": ("Beviljat (tkr)", "Granted (tkr)", "tkr"),
    # Comparisons, simulations and their summaries.
    "year": ("År", "Year", "count"),
    "budget": ("Budget (kr)", "Budget (kr)", "kr"),
    "policy": ("Princip", "Policy", "text"),
    "scenario": ("Scenario", "Scenario", "text"),
    "baseline_allocation": (
        "Jämförelseprincipens tilldelning (kr)",
        "Baseline allocation (kr)",
        "kr",
    ),
    "difference": ("Skillnad mot jämförelseprincipen (kr)", "Difference from baseline (kr)", "kr"),
    "allocated": ("Fördelat exakt (kr)", "Allocated exact (kr)", "exact"),
    "allocated_rounded": ("Fördelat (kr)", "Allocated (kr)", "kr"),
    "unallocated": ("Ofördelat (kr)", "Unallocated (kr)", "kr"),
    "balancing_scalar": ("Balanstal λ", "Balancing scalar λ", "number"),
    "decrease_limit": ("Effektiv spärr", "Effective decrease limit", "percent"),
    "phase": ("Fas", "Phase", "count"),
    "units": ("Antal förbund", "Units", "count"),
    "at_ideal": ("Vid idealet", "At ideal", "count"),
    "at_cap": ("Vid taket", "At cap", "count"),
    "at_floor": ("Vid golvet", "At floor", "count"),
    "relaxed": ("Med sänkt golv", "Floor relaxed", "count"),
    "scaled": ("Nedskalade", "Scaled", "count"),
    "at_base": ("Vid grundtilldelningen", "At base amount", "count"),
    "new_units": ("Nya förbund", "New units", "count"),
    "protected_units": ("Skyddade förbund", "Protected units", "count"),
    "below_floor": ("Under golvet", "Below floor", "count"),
    "floor_cost": ("Spärrens kostnad (kr)", "Floor cost (kr)", "kr"),
    "floor_paid": ("Betalt av spärren (kr)", "Floor paid (kr)", "kr"),
    "floor_relaxed": ("Spärr som släppts (kr)", "Floor relaxed (kr)", "kr"),
    "cut_below_capped": ("Under idealet inom taket (kr)", "Cut below capped ideal (kr)", "kr"),
    "deviation_l1": ("Avstånd från idealet (kr)", "Distance from ideal (kr)", "kr"),
    "deviation_max_relative": (
        "Största relativa avvikelse",
        "Largest relative deviation",
        "percent",
    ),
    "deviation_max_unit": ("Förbund med största avvikelse", "Unit deviating most", "text"),
    "gini_per_inhabitant": ("Gini per invånare", "Gini per inhabitant", "number"),
    "error": ("Fel", "Error", "text"),
    "winners": ("Vinnare", "Winners", "count"),
    "losers": ("Förlorare", "Losers", "count"),
    "moved": ("Omfördelat (kr)", "Moved (kr)", "kr"),
    "largest_gain_unit": ("Största vinnare", "Largest winner", "text"),
    "largest_gain": ("Största vinst (kr)", "Largest gain (kr)", "kr"),
    "largest_loss_unit": ("Största förlorare", "Largest loser", "text"),
    "largest_loss": ("Största förlust (kr)", "Largest loss (kr)", "kr"),
    "reached_ideal": ("År vid idealet", "Year at ideal", "count"),
    "on_floor": ("På golvet", "On the floor", "count"),
    "largest_cut_rate": (
        "Största minskning mot förra året",
        "Largest cut from last year",
        "percent",
    ),
    "largest_cut": (
        "Största minskning mot förra året (kr)",
        "Largest cut from last year (kr)",
        "kr",
    ),
    "gini_from_ideal": ("Gini mot idealets andelar", "Gini against the ideal shares", "number"),
    "years_to_ideal": ("År tills alla når idealet", "Years until all at ideal", "number"),
    "figure": ("Nyckeltal", "Figure", "text"),
    "value": ("Värde", "Value", "text"),
}
"""Headers of the decision table; columns not listed keep their canonical name."""

TERMS: dict[str, tuple[str, str]] = {
    # binding rules of an allocation
    "ideal": ("idealfördelning", "ideal"),
    "new": ("nytt förbund", "new"),
    "cap": ("tak (matchning)", "cap"),
    "floor": ("golv (spärren)", "floor"),
    "relaxed-floor": ("sänkt golv", "relaxed-floor"),
    "scaled": ("nedskalad", "scaled"),
    "base": ("grundtilldelning", "base"),
    "no-floor-equity": ("inget golv (eget kapital)", "no-floor-equity"),
    # which figures of the national example are invented (its column "synthetic")
    "amounts": (
        "belopp och försörjningsmått syntetiska",
        "amounts and support measure synthetic",
    ),
    "amounts-grouping": (
        "belopp, försörjningsmått och indelning syntetiska",
        "amounts, support measure and grouping synthetic",
    ),
    "equity": ("eget kapital (fas E)", "equity"),
    # binding rules of the surplus round
    "not-applied": ("ingen ansökan", "not-applied"),
    "full": ("beviljat fullt ut", "full"),
    "equity-cut": ("minskat med eget kapital", "equity-cut"),
    "equity-rationed": ("eget kapital och ransonerat", "equity-rationed"),
    "rationed": ("ransonerat", "rationed"),
    "key-share": ("andel enligt nyckeln", "key-share"),
    # matching not answered: the party and what was assumed (Parameters.unanswered)
    "municipal_match": ("kommunernas bidrag", "municipal_match"),
    "regional_match": ("regionens bidrag", "regional_match"),
    "previous": ("föregående års tilldelning / 2", "previous"),
    "no-limit": ("ingen gräns", "no-limit"),
    "error": ("fel: beräknas inte", "error"),
    # whether the contributions were collected (Matching)
    "collected": ("insamlad", "collected"),
    "not collected": ("inte insamlad", "not collected"),
    # policies
    "raise-limit": ("höjd spärr", "raise-limit"),
    "scale-protection": ("skalat skydd", "scale-protection"),
    "scale-gains": ("skalade ökningar", "scale-gains"),
    "equity-first": ("eget kapital först", "equity-first"),
    "proportional": ("proportionellt", "proportional"),
    "equity-penalty": ("avdrag för eget kapital", "equity-penalty"),
    "by-key": ("enligt nyckeln", "by-key"),
    # solvers
    "fast": ("exakt brytpunktslösare", "fast"),
    "highs": ("HiGHS (linjärprogram)", "highs"),
    "cbc": ("CBC (linjärprogram)", "cbc"),
    "scipy": ("SciPy (linjärprogram)", "scipy"),
    # scenarios (and those of synthetic datasets)
    "mild-deficit": ("litet underskott", "mild-deficit"),
    "severe-deficit": ("stort underskott", "severe-deficit"),
    "balance": ("balans", "balance"),
    "surplus": ("överskott", "surplus"),
    "deficit": ("underskott", "deficit"),
}
"""Binding rules, policies, solvers and scenarios in Swedish and English (the code is English)."""

_SWEDISH_ORDER = str.maketrans(
    {"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}", "é": "e", "ü": "y"}
)


def term(code: object, language: str) -> object:
    """A rule, policy, solver or scenario named in ``language`` (others are returned as given).

    Examples
    --------
    >>> term("relaxed-floor", "sv"), term("raise-limit", "sv"), term("relaxed-floor", "en")
    ('sänkt golv', 'höjd spärr', 'relaxed-floor')
    """
    names = TERMS.get(str(code))
    return code if names is None else names[0 if language == "sv" else 1]


def swedish_order(names: pd.Series) -> pd.Series:
    """Sort keys that put names in Swedish alphabetical order (… z, å, ä, ö), case-blind.

    Examples
    --------
    >>> sorted(["Örebro", "Ale", "Åre", "Älmhult", "Ystad"],
    ...        key=lambda n: swedish_order(pd.Series([n])).iloc[0])
    ['Ale', 'Ystad', 'Åre', 'Älmhult', 'Örebro']
    """
    return names.astype(str).str.casefold().str.translate(_SWEDISH_ORDER)


MEANINGS: dict[str, tuple[str, str]] = {
    "ideal": ("får sin idealfördelning", "at its ideal allocation"),
    "new": (
        "ett nytt förbund (utan golv) som får sin idealfördelning",
        "a new unit (no floor) at its ideal allocation",
    ),
    "cap": (
        "hålls vid sitt tak enligt matchningen (staten ≤ 2 × det minsta av kommunernas och "
        "regionens bidrag)",
        "held at its matching cap (state ≤ 2 × the smaller of municipalities and region)",
    ),
    "floor": ("lyfts till sitt golv (spärren)", "lifted to its floor (the decrease limit)"),
    "relaxed-floor": (
        "under sitt golv: spärren lättades för att budgeten ska räcka",
        "below its floor: the decrease limit was relaxed to balance the budget",
    ),
    "scaled": (
        "ökningen över golvet skalades ned för att budgeten ska räcka",
        "its gain above its floor was scaled down to balance the budget",
    ),
    "base": (
        "sänkt till grundtilldelningen för att budgeten ska räcka",
        "cut to the base amount to balance the budget",
    ),
    "no-floor-equity": (
        "inget golv: det egna kapitalet överstiger trappans nivå, så spärren skyddar inte",
        "no floor: its equity exceeds the staircase level, so the decrease limit does not "
        "protect it",
    ),
    "equity": (
        "skyddet minskades inom det överskjutande egna kapitalet innan något golv sänktes "
        "(eget kapital räknas först i ett underskott)",
        "its protection was cut within its excess equity before any floor was relaxed "
        "(equity is considered first in a deficit)",
    ),
    "not-applied": ("ansökte inte om ytterligare medel", "applied for no additional funds"),
    "full": ("beviljades hela ansökan", "granted its application in full"),
    "equity-cut": (
        "minskades inom sitt överskjutande egna kapital (förbund med stort eget kapital "
        "minskas först)",
        "cut within its excess equity (units with large equity are cut first)",
    ),
    "equity-rationed": (
        "hela det överskjutande egna kapitalet drogs av, resten av ansökan minskades med samma "
        "andel som alla andras",
        "its excess equity cut entirely, the rest of its application cut by the same fraction "
        "as everyone's",
    ),
    "rationed": (
        "minskades med samma (viktade) andel av ansökan som de andra",
        "cut by the same (weighted) fraction of its application as the others",
    ),
    "key-share": (
        "erbjöds sin andel enligt behovsnyckeln, mindre än ansökan",
        "offered its share by the need key, less than it applied for",
    ),
}
"""What each binding rule means, as a sentence, in Swedish and English."""

PHASES: dict[str, str] = {
    "the decrease limit is raised by the same amount for every protected unit, never below "
    "its capped ideal": "spärren höjs lika mycket för varje skyddat förbund, aldrig under "
    "dess ideal inom taket",
    "every protected unit keeps the same fraction of its protection": "varje skyddat förbund "
    "behåller samma andel av sitt skydd",
    "floors kept; other units' gains above their floor and the base amount are scaled by the "
    "same factor": "golven hålls; övriga förbunds ökningar över golvet och grundtilldelningen "
    "skalas med samma faktor",
    "the floors alone exceed the budget: floors relaxed in proportion to last year's "
    "allocation, never below the base amount": "golven ensamma överstiger budgeten: golven "
    "sänks i proportion till föregående års tilldelning, aldrig under grundtilldelningen",
    "excess equity first: every unit whose equity exceeds the staircase level gave up the "
    "same fraction of its protection, at most its excess; no floor was relaxed": "eget kapital "
    "först: varje förbund vars egna kapital överstiger trappans nivå gav upp samma andel av "
    "sitt skydd, högst sitt överskott; inget golv sänktes",
    "units with excess equity are cut first, by the same fraction of their excess": "förbund "
    "med överskjutande eget kapital minskas först, med samma andel av överskottet",
    "cutting all excess equity is not enough: excess removed, then every unit keeps the same "
    "fraction of what is left of its application": "att dra av allt överskjutande eget kapital "
    "räcker inte: överskottet dras av, sedan behåller varje förbund samma andel av resten av "
    "sin ansökan",
    "every unit gets the same fraction of its application": "varje förbund får samma andel av "
    "sin ansökan",
    "every unit is cut in proportion to its application × (1 + κ·E/T)": "varje förbund "
    "minskas i proportion till sin ansökan × (1 + κ·E/T)",
    "offered in proportion to the need key, never more than the application": "erbjuds i "
    "proportion till behovsnyckeln, aldrig mer än ansökan",
}
"""Swedish for the built-in policies' phase descriptions (which are written in English)."""


def meaning(rule: str, language: str) -> str:
    """What binding rule ``rule`` means, as a sentence in ``language``.

    Examples
    --------
    >>> meaning("floor", "sv")
    'lyfts till sitt golv (spärren)'
    """
    names = MEANINGS.get(rule)
    return rule if names is None else names[LANGUAGES.index(language)]


def phase_text(description: str | None, language: str) -> str:
    """A policy phase's description in ``language`` (a custom policy's stays as written).

    Examples
    --------
    >>> phase_text("every unit gets the same fraction of its application", "sv")
    'varje förbund får samma andel av sin ansökan'
    """
    if description is None:
        return ""
    return PHASES.get(description, description) if language == "sv" else description


CONSOLE: dict[str, tuple[str, str]] = {
    "wrote": ("skrev {files}", "wrote {files}"),
    "summary": (
        "{units} förbund · {scenario} · princip {policy}\n"
        "budget {budget} · fördelat {allocated} · ofördelat {unallocated} · "
        "effektiv spärr {limit}\navgörande regel: {cases}",
        "{units} units · {scenario} · policy {policy}\n"
        "budget {budget} · allocated {allocated} · unallocated {unallocated} · "
        "effective decrease limit {limit}\nbinding rule: {cases}",
    ),
    "example": (
        "Nationellt exempel: {municipalities} kommuner ({outside} utanför förbund); beloppen "
        "är syntetiska",
        "National example: {municipalities} municipalities ({outside} in no förbund); amounts "
        "are synthetic",
    ),
    "ideal": ("{units} förbund · idealfördelning av {budget}", "{units} units · ideal allocation "
              "of {budget}"),
    "templates": ("skrev {count} svarsmall(ar) till {folder}",
                  "wrote {count} answer template(s) to {folder}"),
    "answers": ("svar från {answered} av {units} förbund",
                "answers from {answered} of {units} units"),
    "more": ("{shown} och {count} till", "{shown} and {count} more"),
    "unanswered": ("inget svar från: {names}", "no answer from: {names}"),
    "surplus": (
        "{applications} ansökningar · princip {policy}\n"
        "att fördela {available} · sökt {applied} · beviljat {granted} · kvar ofördelat "
        "{unallocated}\n{rationed}\navgörande regel: {cases}",
        "{applications} applications · policy {policy}\n"
        "available {available} · applied for {applied} · granted {granted} · still unallocated "
        "{unallocated}\n{rationed}\nbinding rule: {cases}",
    ),
    "fits": ("ansökningarna ryms: beviljas fullt ut", "applications fit: granted in full"),
    "rationed": ("ransonerat: {phase} (λ = {scalar})", "rationed: {phase} (λ = {scalar})"),
    "leftover": ("fördelar {budget} för att se vad som blir över",
                 "allocating {budget} to find what is left over"),
    "synthetic": ("{units} syntetiska förbund ({scenario}, frö {seed}); budget {budget}",
                  "{units} synthetic units ({scenario}, seed {seed}); budget {budget}"),
    "not_collected": ("matchning: inte insamlad (inga bidragskolumner): inget tak enligt "
                      "matchningen",
                      "matching: not collected (no contribution columns): no matching cap "
                      "applied"),
    "synthetic_note": ("Exempeldata: {n} av {total} förbunds uppgifter är syntetiska, inte fakta",
                       "Example data: {n} of {total} units' figures are synthetic, not facts"),
    "collected": ("matchning: insamlad från alla förbund",
                  "matching: collected from every förbund"),
    "assumed": ("matchning: insamlad; antagen ({how}, ej besvarad) för {count} förbund: {listed}",
                "matching: collected; assumed ({how}, not answered) for {count} förbund: "
                "{listed}"),
    "missing": ("inget svar om matchning (tomt) från {count} förbund: {listed}. allocate "
                "vägrar dem utan --unanswered previous eller no-limit",
                "no matching answer (blank) for {count} förbund: {listed}. allocate refuses "
                "them unless --unanswered previous or no-limit"),
    "reached": ("förbund som når sin idealfördelning till år {year}: {count} av {units}",
                "units reaching their ideal by year {year}: {count} of {units}"),
    "report": ("{scenario}: effektiv spärr {limit}, spärrens kostnad {cost}",
               "{scenario}: effective decrease limit {limit}, floor cost {cost}"),
    # what aggregating municipalities into förbund did (finsam_opt.Note)
    "no_unit": ("inget förbund", "no förbund"),
    "note_moved": ("kommun {code} bytte från '{source}' till {target} och tar med {amount} av "
                   "den föregående tilldelningen",
                   "municipality {code} moved from '{source}' to {target}, carrying {amount} of "
                   "its previous allocation"),
    "note_not_carried": ("{count} kommuner bytte förbund; de föregående tilldelningarna följde "
                         "inte med (--no-carry-previous)",
                         "{count} municipalities changed förbund; previous allocations were not "
                         "carried with them (carry_previous=False)"),
    "note_dropped": ("förbundet '{unit}' tas bort: alla dess kommuner har lämnat",
                     "unit '{unit}' is dropped: all its municipalities have left"),
    "note_merged": ("förbundet '{unit}' slår ihop {merged}: deras {columns} summeras",
                    "unit '{unit}' merges {merged}: their {columns} are summed"),
    "outside": ("{count} kommuner ingår inte i något förbund",
                "{count} municipalities are in no förbund"),
    # finsam-opt round: one round of an allocation year (docs/process.md)
    "round_dates": ("År {year} · {round} · kördes {date} (sista dag {due})",
                    "Year {year} · {round} · run on {date} (due {due})"),
    "round_dates_input": ("År {year} · {round} · kördes {date} (sista dag {due}; underlag "
                          "senast {input_due})",
                          "Year {year} · {round} · run on {date} (due {due}; input due "
                          "{input_due})"),
    "round_surplus": (
        "{applications} ansökningar · princip {policy}\n"
        "att fördela {available} (varav återlämnat {returned}) · beviljat {granted} · kvar "
        "ofördelat {unallocated}\navgörande regel: {cases}",
        "{applications} applications · policy {policy}\n"
        "available {available} (of which handed back {returned}) · granted {granted} · still "
        "unallocated {unallocated}\nbinding rule: {cases}",
    ),
    "entitled": ("berättigade till (juni) {entitled} · skillnad mot berättigad {difference}, "
                 "varav av ändrad budget {budget}",
                 "entitled to (June) {entitled} · difference from entitled {difference}, "
                 "of which from a changed budget {budget}"),
    "late": ("försenat ({count}):", "late ({count}):"),
    "interrupted": ("avbrutet; inga filer ändrades", "interrupted; no file was changed"),
    "dropped": ("tog bort de senare omgångarna: {rounds}", "dropped the later rounds: {rounds}"),
    "saved_year": ("sparade året i {folder} (omgångar: {rounds})",
                   "saved the year in {folder} (rounds: {rounds})"),
    # what a round of the year got after its deadline (finsam_opt.Late)
    "one_day": ("1 dag", "1 day"),
    "days": ("{count} dagar", "{count} days"),
    "late_round": ("{round} kördes {day}, {days} efter sista dag {deadline}",
                   "{round} run on {day}, {days} after its due date {deadline}"),
    "late_answer": ("{unit}: svaret är daterat {day}, {days} efter sista dag {deadline} "
                    "({round})",
                    "{unit}: answer dated {day}, {days} after the deadline {deadline} "
                    "({round})"),
    "late_application": ("{unit}: ansökan är daterad {day}, {days} efter sista dag "
                         "{deadline} ({round})",
                         "{unit}: application dated {day}, {days} after the deadline "
                         "{deadline} ({round})"),
}  # fmt: skip
"""What the command line prints, in Swedish and English (``str.format`` fields)."""

ROUND_NAMES: dict[str, tuple[str, str]] = {
    "preliminary": ("första preliminära fördelningen", "first preliminary allocation"),
    "second_preliminary": ("andra preliminära fördelningen", "second preliminary allocation"),
    "revised": ("reviderade fördelningen", "revised allocation"),
    "final": ("slutliga fördelningen", "final allocation"),
    "surplus": ("ofördelade medel", "ofördelade medel (spring round)"),
}
"""The rounds of an allocation year (docs/process.md) in Swedish and English."""


def round_name(name: str, language: str) -> str:
    """Round ``name`` of the allocation year in ``language`` (another round keeps its name).

    Examples
    --------
    >>> round_name("second_preliminary", "sv"), round_name("revised", "en")
    ('andra preliminära fördelningen', 'revised allocation')
    """
    names = ROUND_NAMES.get(name)
    return name if names is None else names[LANGUAGES.index(language)]


COLUMNS: dict[str, tuple[str, str]] = {
    "budget": ("Budget", "Budget"),
    "policy": ("Princip", "Policy"),
    "scenario": ("Scenario", "Scenario"),
    "balancing_scalar": ("Balanstal", "Balancing scalar"),
    "decrease_limit": ("Effektiv spärr", "Decrease limit"),
    "floor_cost": ("Spärrens kostnad", "Floor cost"),
    "floor_relaxed": ("Golv sänkta", "Floors relaxed"),
    "error": ("Fel", "Error"),
    "allocated_rounded": ("Fördelat", "Allocated"),
    "unallocated": ("Ofördelat", "Unallocated"),
    "protected": ("Skyddade", "Protected"),
    "year": ("År", "Year"),
    "assumed_units": ("Antaget bidrag", "Assumed"),
}
"""Headers of the tables the command line prints."""


def say(key: str, language: str, **fields: object) -> str:
    """The console sentence ``key`` in ``language`` with ``fields`` filled in.

    Examples
    --------
    >>> say("wrote", "sv", files="beslut.xlsx")
    'skrev beslut.xlsx'
    """
    return CONSOLE[key][LANGUAGES.index(language)].format(**fields)
