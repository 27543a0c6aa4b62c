"""The unit table and its validation gate.

A *unit* is a samordningsförbund. Users pass a :class:`pandas.DataFrame` indexed by
unit id with the columns of docs/data.md; :func:`validate_units` checks all of it
in one place, before any arithmetic, and returns a :class:`UnitTable` of plain
float arrays in which "missing" has been given its model meaning.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from finsam_opt._compat import StrEnum
from finsam_opt.domain.parameters import MAX_AMOUNT, Parameters
from finsam_opt.domain.staircase import Staircase
from finsam_opt.errors import InputError, describe_units
from finsam_opt.language.numbers import format_kronor, format_number
from finsam_opt.language.words import SWEDISH_HEADERS

__all__ = [
    "EQUITY_COLUMNS",
    "MATCH_COLUMNS",
    "NO_LIMIT_COLUMNS",
    "OPTIONAL_COLUMNS",
    "PLAUSIBLE_COLUMNS",
    "REQUIRED_COLUMNS",
    "UNIT_COLUMNS",
    "Matching",
    "UnitTable",
    "check_previous_allocation",
    "excess_equity",
    "name_key",
    "text_problem",
    "validate_units",
]

REQUIRED_COLUMNS: tuple[str, ...] = ("population", "support_measure")
"""Columns every unit table must have; a missing value is an error."""

OPTIONAL_COLUMNS: tuple[str, ...] = (
    "previous_allocation",
    "requested",
    "municipal_match",
    "regional_match",
)
"""Columns that may be absent or NaN: no previous allocation is a new unit, no
request is no request limit; a blank contribution is *no answer* (docs/model.md)."""

MATCH_COLUMNS: tuple[str, str] = ("municipal_match", "regional_match")
"""The two parties' contributions; ``inf`` says "no limit", a blank says "no answer"."""

NO_LIMIT_COLUMNS: tuple[str, ...] = ("requested", *MATCH_COLUMNS)
"""The columns that may say "no limit" (``inf``)."""


class Matching(StrEnum):
    """Whether the parties' contributions were collected (docs/model.md).

    Examples
    --------
    >>> import finsam_opt as fo
    >>> units = fo.example_units()[["population", "support_measure"]]
    >>> fo.allocate(units, fo.Parameters(budget=20e6)).matching
    <Matching.NOT_COLLECTED: 'not collected'>
    """

    COLLECTED = "collected"
    """The table has contribution columns: every unit's caps apply."""
    NOT_COLLECTED = "not collected"
    """No contribution column (June, what-if tables): no matching cap applies."""


UNIT_COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

EQUITY_COLUMNS: tuple[str, ...] = ("equity", "turnover")
"""Equity capital and turnover, kronor (docs/surplus.md): optional, but required together
for every unit when ``Parameters.staircase`` is set."""

_KNOWN_COLUMNS: tuple[str, ...] = UNIT_COLUMNS + EQUITY_COLUMNS

_NEAR_MISS_CUTOFF = 0.85

PLAUSIBLE_COLUMNS: tuple[str, ...] = (
    "previous_allocation",
    "requested",
    "municipal_match",
    "regional_match",
)
"""Amount columns whose median must be at least 1/100 of the base amount (docs/data.md):
below it they are almost surely in tkr or Mkr under a kronor header."""


@dataclass(frozen=True)
class UnitTable:
    """Validated unit data as float arrays, one entry per unit, in the input's order.

    ``previous_allocation`` is NaN for a new unit; ``requested``,
    ``municipal_match`` and ``regional_match`` are ``inf`` where there is no limit
    (given as such, or assumed under ``unanswered='no-limit'``); a contribution
    assumed under ``unanswered='previous'`` holds the assumed amount.
    ``assumed_municipal`` and ``assumed_regional`` mark the assumed ones.
    ``equity`` and ``turnover`` are NaN where not given. All amounts are kronor.
    """

    ids: pd.Index
    population: np.ndarray
    support_measure: np.ndarray
    previous_allocation: np.ndarray
    requested: np.ndarray
    municipal_match: np.ndarray
    regional_match: np.ndarray
    equity: np.ndarray | None = None
    turnover: np.ndarray | None = None
    matching: Matching = Matching.NOT_COLLECTED
    assumed_municipal: np.ndarray | None = None
    assumed_regional: np.ndarray | None = None

    @property
    def size(self) -> int:
        """Number of units."""
        return len(self.ids)

    @property
    def is_new(self) -> np.ndarray:
        """True for units without a previous allocation (no floor)."""
        return np.isnan(self.previous_allocation)

    def excess_equity(self, params: Parameters) -> np.ndarray:
        """Excess equity E_i over the staircase level, kronor; zeros without a staircase."""
        if params.staircase is None or self.equity is None or self.turnover is None:
            return np.zeros(self.size)
        return params.staircase.excess(self.equity, self.turnover)


def validate_units(units: pd.DataFrame, params: Parameters) -> UnitTable:
    """Check a unit table against every input rule and return it as arrays.

    Parameters
    ----------
    units : pandas.DataFrame
        Indexed by unit id, with the columns ``population`` and ``support_measure``
        and optionally ``previous_allocation`` (NaN: a new unit), ``requested``
        (NaN: no request limit), ``municipal_match`` and ``regional_match``
        (kronor, ``inf`` for no limit; NaN is no answer, see ``params.unanswered``;
        without both columns no answers were collected and no cap applies), and
        ``equity`` and ``turnover`` (kronor; required for every unit when
        ``params.staircase`` is set, ignored otherwise).
    params : Parameters
        The year's parameters; the budget must pay every unit's base amount.

    Returns
    -------
    UnitTable

    Raises
    ------
    InputError
        Naming the unit(s), the column and the rule, for the first rule broken.
    """
    if not isinstance(units, pd.DataFrame):
        raise _not_a_frame(units)
    if len(units) == 0:
        raise InputError("the unit table has no units", sv="förbundstabellen har inga förbund")
    _check_ids(units.index)
    _check_column_names(units.columns)

    equity_required = params.staircase is not None
    if equity_required:
        for name in EQUITY_COLUMNS:
            if name not in units.columns:
                raise InputError(
                    f"the unit table lacks column '{name}', required (with "
                    f"{' and '.join(map(repr, EQUITY_COLUMNS))}) when parameters.staircase is set",
                    sv=f"förbundstabellen saknar kolumnen '{SWEDISH_HEADERS[name]}', som krävs "
                    f"(liksom {' och '.join(repr(SWEDISH_HEADERS[c]) for c in EQUITY_COLUMNS)}) "
                    "när trappan för eget kapital (parameters.staircase) används",
                    column=name,
                )
    required = REQUIRED_COLUMNS + (EQUITY_COLUMNS if equity_required else ())
    arrays = _numbers_at_once(units, required) or {
        name: _numeric_column(units, name, required=name in required) for name in _KNOWN_COLUMNS
    }
    for name in REQUIRED_COLUMNS:
        if not arrays[name].sum() > 0:
            raise InputError(
                f"column '{name}' must have a positive total over all units, got 0",
                sv=f"kolumnen '{SWEDISH_HEADERS[name]}' måste ha en positiv summa över alla "
                "förbund, inte 0",
                column=name,
            )
    n = len(units)
    if params.budget < n * params.base_amount:
        raise InputError(
            f"parameter budget ({params.budget:,.0f} kr) must be at least the number of units "
            f"× base_amount ({n} × {params.base_amount:,.0f} = {n * params.base_amount:,.0f} kr)",
            sv=f"budgeten ({format_kronor(params.budget, 'sv', ore=True)}) måste vara minst "
            f"antalet förbund × grundtilldelningen ({n} × "
            f"{format_kronor(params.base_amount, 'sv', ore=True)} = "
            f"{format_kronor(n * params.base_amount, 'sv', ore=True)})",
            column="budget",
        )
    _check_plausible(units, arrays, params)
    matching = (
        Matching.COLLECTED
        if any(c in units.columns for c in MATCH_COLUMNS)
        else Matching.NOT_COLLECTED
    )
    missing = {c: np.isnan(arrays[c]) & (matching is Matching.COLLECTED) for c in MATCH_COLUMNS}
    if params.unanswered == "error" and any(m.any() for m in missing.values()):
        raise _unanswered_error(units.index, missing)
    # What a missing contribution is taken as: half of last year's allocation (so no
    # answer at all caps the unit at last year's amount), or no limit.
    assumed = (
        np.nan_to_num(arrays["previous_allocation"], nan=0.0) / 2.0
        if params.unanswered == "previous"
        else np.full(n, np.inf)
    )
    limits = {
        name: np.where(np.isnan(arrays[name]), np.inf, arrays[name]) for name in NO_LIMIT_COLUMNS
    }
    for name in MATCH_COLUMNS:
        limits[name] = np.where(missing[name], assumed, limits[name])
    return UnitTable(
        ids=units.index.copy(),
        population=arrays["population"],
        support_measure=arrays["support_measure"],
        previous_allocation=arrays["previous_allocation"],
        **limits,
        equity=arrays["equity"],
        turnover=arrays["turnover"],
        matching=matching,
        assumed_municipal=missing["municipal_match"],
        assumed_regional=missing["regional_match"],
    )


def _unanswered_error(ids: pd.Index, missing: dict[str, np.ndarray]) -> InputError:
    """Every unit and party without an answer, and the three ways forward."""
    either = missing["municipal_match"] | missing["regional_match"]
    rows = np.flatnonzero(either)
    listed, listed_sv = (
        [
            f"'{ids[int(i)]}' ({', '.join(name(c) for c in MATCH_COLUMNS if missing[c][i])})"
            for i in rows
        ]
        for name in (str, SWEDISH_HEADERS.__getitem__)
    )
    return InputError(
        f"{len(listed)} unit(s) have not answered on matching (a blank contribution): "
        + "; ".join(listed)
        + ". A blank is not 'no limit': fill in the amount, write inf (ingen gräns) for no "
        "limit, or choose unanswered 'previous' or 'no-limit' (--unanswered on the command "
        "line, Parameters(unanswered=...) in Python)",
        sv=f"{len(listed)} förbund har inte svarat om matchningen (tomt bidrag): "
        + "; ".join(listed_sv)
        + ". Tomt betyder inte ingen gräns: fyll i beloppet, skriv inf (ingen gräns) om det "
        "inte finns någon gräns, eller välj med --unanswered (Parameters(unanswered=...) i "
        "Python) vad ett obesvarat bidrag antas vara: previous (föregående års tilldelning / 2) "
        "eller no-limit (ingen gräns)",
        column=next(c for c in MATCH_COLUMNS if missing[c].any()),
        units=list(ids[either]),
    )


def excess_equity(units: pd.DataFrame, staircase: Staircase) -> pd.Series:
    """Equity above the staircase level, E_i = max(0, Q_i − fraction(T_i)·T_i) (docs/surplus.md).

    Parameters
    ----------
    units : pandas.DataFrame
        Indexed by unit id, with the columns ``equity`` and ``turnover`` (kronor,
        given for every unit); other columns are ignored.
    staircase : Staircase

    Returns
    -------
    pandas.Series
        Kronor ≥ 0, indexed by unit id, named ``excess_equity``.

    Examples
    --------
    >>> import pandas as pd, finsam_opt as fo
    >>> units = pd.DataFrame({"equity": [3e6, 1e6], "turnover": [10e6, 10e6]}, index=["A", "B"])
    >>> fo.excess_equity(units, fo.EXAMPLE_STAIRCASE).tolist()
    [1500000.0, 0.0]
    """
    if not isinstance(units, pd.DataFrame):
        raise _not_a_frame(units)
    if not isinstance(staircase, Staircase):
        raise InputError(
            f"staircase must be a Staircase, got {type(staircase).__name__}",
            sv=f"trappan (staircase) måste vara en Staircase, inte {type(staircase).__name__}",
            column="staircase",
        )
    _check_ids(units.index)
    for name in EQUITY_COLUMNS:
        if name not in units.columns:
            raise InputError(
                f"the unit table lacks column '{name}', needed for excess equity",
                sv=f"förbundstabellen saknar kolumnen '{SWEDISH_HEADERS[name]}', som behövs "
                "för överskjutande eget kapital",
                column=name,
            )
    equity, turnover = (
        _numeric_column(
            units,
            name,
            required=True,
            rule=("must be given for excess equity", "måste anges för överskjutande eget kapital"),
        )
        for name in EQUITY_COLUMNS
    )
    return pd.Series(
        staircase.excess(equity, turnover), index=units.index.copy(), name="excess_equity"
    )


MAX_TEXT_CHARS = 32_767
"""The most characters an Excel cell holds: a longer name could not be written unchanged."""


def _not_a_frame(units: object) -> InputError:
    kind = type(units).__name__
    return InputError(
        f"units must be a pandas DataFrame, got {kind}",
        sv=f"förbundstabellen måste vara en pandas DataFrame, inte {kind}",
    )


def text_problem(text: str, *, comment: bool = False, language: str = "en") -> str | None:
    """Why a text cannot be a name (or a comment) in a table; None if it can.

    A control character (Excel cannot hold most of them) or an invisible format
    character (a zero-width space makes two names look equal and differ) is a
    problem; so is more than :data:`MAX_TEXT_CHARS` characters. In a comment
    a tab or a line break (Alt+Enter in Excel) and format characters are text.

    Parameters
    ----------
    text : str
        The text, as read.
    comment : bool
        Free text rather than a name.
    language : str
        ``'en'`` or ``'sv'``: the language of the answer.

    Returns
    -------
    str or None

    Examples
    --------
    >>> from finsam_opt.domain.units import text_problem
    >>> text_problem("Alfa\\x07")[:56]
    'contains the invisible character U+0007 (control charact'
    >>> text_problem("rad ett\\nrad två", comment=True) is None
    True
    >>> text_problem("Alfa\\x07", language="sv")[:40]
    'innehåller det osynliga tecknet U+0007 ('
    """
    sv = language == "sv"
    for position, char in enumerate(text, start=1):
        if comment and char in "\t\n\r":
            continue
        category = unicodedata.category(char)
        if category == "Cc" or (category == "Cf" and not comment):
            if sv:
                return (
                    f"innehåller det osynliga tecknet U+{ord(char):04X} "
                    f"({unicodedata.name(char, 'control character')}) på plats {position}; "
                    "ta bort det (skriv om cellen)"
                )
            return (
                f"contains the invisible character U+{ord(char):04X} "
                f"({unicodedata.name(char, 'control character')}) at position {position}; "
                "remove it (retype the cell)"
            )
    if len(text) > MAX_TEXT_CHARS:
        if sv:
            return (
                f"{format_number(len(text), 'sv')} tecken, fler än en cell i Excel rymmer "
                f"({format_number(MAX_TEXT_CHARS, 'sv')}); korta texten"
            )
        return (
            f"{len(text):,} characters, more than an Excel cell holds ({MAX_TEXT_CHARS:,}); "
            "shorten the text"
        )
    return None


def name_key(name: object) -> str:
    """The identity of a unit name: Unicode NFC, casefolded, whitespace collapsed (docs/data.md).

    Two names with the same key are the same unit: a table holding both is a
    duplicate, not two units.

    Parameters
    ----------
    name : object
        A unit id (its text is compared).

    Returns
    -------
    str

    Examples
    --------
    >>> import finsam_opt as fo
    >>> fo.name_key(" SAMORDNINGSFÖRBUNDET  Åre ") == fo.name_key("Samordningsförbundet \u00c5re")
    True
    """
    return " ".join(unicodedata.normalize("NFC", str(name)).split()).casefold()


def _check_id_texts(index: pd.Index) -> None:
    """No id a workbook cannot hold: control or invisible characters, or too long."""
    if index.inferred_type in _NUMERIC_IDS:
        return
    ids = index.to_numpy(dtype=object).tolist()  # iterating the Index itself is 10× slower
    texts = ids if index.inferred_type == "string" else [i for i in ids if isinstance(i, str)]
    # One C-speed pass for the usual case; isprintable() is False for more than is refused.
    if not texts or ("".join(texts).isprintable() and max(map(len, texts)) <= MAX_TEXT_CHARS):
        return
    for unit in texts:
        problem = text_problem(unit)
        if problem is not None:
            shown = unit if len(unit) <= 60 else unit[:57] + "..."
            raise InputError(
                f"unit id {shown!r}: {problem}",
                sv=f"förbundsnamnet {shown!r}: {text_problem(unit, language='sv')}",
                units=[unit],
            )


def _check_ids(index: pd.Index) -> None:
    missing = index.isna()
    if missing.any():
        rows = [int(i) + 1 for i in np.flatnonzero(missing)]
        raise InputError(
            f"unit id is missing in row(s) {rows[:5]} of the unit table",
            sv=f"förbundets namn saknas på rad {rows[:5]} i förbundstabellen",
        )
    # inferred_type is computed once, in C: only a mixed index needs the loop over ids.
    kinds = (
        {type(i.item() if isinstance(i, np.generic) else i).__name__ for i in index}
        if index.inferred_type.startswith("mixed")
        else set()
    )
    if "str" in kinds and len(kinds) > 1:
        # 1 and "1" would be two units, ordered by row: ids are text or numbers, not both.
        numbers = [i for i in index if not isinstance(i, str)][:3]
        raise InputError(
            f"unit ids mix text and numbers ({', '.join(map(repr, numbers))} are numbers); "
            "give every id as text",
            sv=f"förbundens namn blandar text och tal ({', '.join(map(repr, numbers))} är tal); "
            "ange varje namn som text",
            units=numbers,
        )
    _check_id_texts(index)
    duplicated = index[index.duplicated()].unique() if not index.is_unique else index[:0]
    if len(duplicated):
        raise InputError(
            f"duplicate unit ids: {describe_units(list(duplicated))} appear more than once",
            sv=f"dubbla förbundsnamn: {describe_units(list(duplicated), 'sv')} förekommer mer "
            "än en gång",
            units=list(duplicated),
        )
    if index.inferred_type in _NUMERIC_IDS or _distinct(_name_keys(index)):
        return  # numbers that differ are different names
    keys = pd.Index([name_key(i) for i in index])
    same = keys.duplicated(keep=False)
    if same.any():
        first = keys[same][0]
        names = [i for i, k in zip(index, keys, strict=True) if k == first]
        raise InputError(
            f"duplicate unit ids: {describe_units(names)} are the same unit (names that differ "
            "only in case, spaces or Unicode form); keep one",
            sv=f"dubbla förbundsnamn: {describe_units(names, 'sv')} är samma förbund (namn som "
            "bara skiljer sig i stora och små bokstäver, mellanslag eller Unicode-form); behåll "
            "ett av dem",
            units=names,
        )


_NUMERIC_IDS = ("integer", "floating", "decimal", "mixed-integer-float", "boolean")


def _distinct(keys: list[str]) -> bool:
    # A set is quicker for a national table, an index (hashed in C) for millions of ids.
    return len(set(keys)) == len(keys) if len(keys) < 10_000 else pd.Index(keys).is_unique


def _name_keys(index: pd.Index) -> list[str]:
    """:func:`name_key` of every id, at C speed: the ids joined into one text (with a
    separator no id holds), normalised, casefolded and collapsed at once, then split."""
    names = [str(i) for i in index] if index.inferred_type != "string" else None
    text = "\x00".join(index.to_numpy(dtype=object).tolist() if names is None else names)
    if text.count("\x00") != len(index) - 1:  # an id holds the separator: one by one
        return [name_key(i) for i in index]
    text = unicodedata.normalize("NFC", text).casefold()
    if _LOOSE_WHITESPACE.search(text):  # else collapsing whitespace would change nothing
        text = " ".join(text.split()).replace(" \x00", "\x00").replace("\x00 ", "\x00")
    return text.split("\x00")


# Whitespace that name_key changes: other than a single space between two characters.
_LOOSE_WHITESPACE = re.compile(r"\s\s|\s\x00|\x00\s|^\s|\s$|[^\S ]")


def _check_plausible(
    units: pd.DataFrame, arrays: dict[str, np.ndarray], params: Parameters
) -> None:
    smallest = params.base_amount / 100
    for name in PLAUSIBLE_COLUMNS:
        values = arrays[name]
        given = values[np.isfinite(values) & (values > 0)]
        # Fewer than half below the threshold: the median is not (no median computed).
        if np.count_nonzero(given < smallest) < len(given) // 2:
            continue
        if smallest > 0 and len(given) and np.median(given) < smallest:
            raise InputError(
                f"column '{name}': the median amount is {np.median(given):,.0f} kr, below 1/100 "
                f"of the base amount ({smallest:,.0f} kr), so the amounts look like tkr or Mkr; "
                "give them in kronor, or declare the unit in the file's header, e.g. "
                f"'{SWEDISH_HEADERS[name]} (tkr)'",
                sv=f"kolumnen '{SWEDISH_HEADERS[name]}': medianbeloppet är "
                f"{format_kronor(float(np.median(given)), 'sv')}, under 1/100 av "
                f"grundtilldelningen ({format_kronor(smallest, 'sv')}), så beloppen ser ut att "
                "vara tkr eller Mkr; ange dem i kronor, eller skriv enheten i filens rubrik, "
                f"till exempel '{SWEDISH_HEADERS[name]} (tkr)'",
                column=name,
            )


def check_previous_allocation(units: pd.DataFrame, params: Parameters) -> None:
    """Refuse a previous allocation above the whole budget: the wrong unit (docs/data.md).

    The command line applies it to every unit table read from a file (kronor
    under a ``(tkr)`` header, or öre). :func:`validate_units` does not, so
    that constructed instances (one unit whose floor alone exceeds a small
    budget) stay valid in the API.

    Parameters
    ----------
    units : pandas.DataFrame
        The unit table; ``previous_allocation`` in kronor, if present.
    params : Parameters
        The year's parameters (the budget, kronor).

    Raises
    ------
    InputError
        Naming the unit(s) and how to declare the unit of the column.

    Examples
    --------
    >>> import pandas as pd, finsam_opt as fo
    >>> units = pd.DataFrame({"previous_allocation": [9.5e9]}, index=["A"])
    >>> try:
    ...     fo.check_previous_allocation(units, fo.Parameters(budget=339e6))
    ... except fo.InputError as error:
    ...     print(error.units, "above the whole budget" in str(error))
    ('A',) True
    """
    if "previous_allocation" not in units.columns or params.budget < len(units) * (
        params.base_amount
    ):
        return  # a budget below the base amounts: validate_units names that first
    previous = pd.to_numeric(units["previous_allocation"], errors="coerce").to_numpy(float)
    above = previous > params.budget
    if above.any():
        ids = list(units.index[above])
        raise InputError(
            f"{describe_units(ids)}: previous_allocation {previous[above][0]:,.0f} kr is above "
            f"the whole budget ({params.budget:,.0f} kr), so it looks like the wrong unit (öre, "
            "or kronor under a tkr header); give last year's decided amount in kronor, or "
            f"declare the unit in the header, e.g. '{SWEDISH_HEADERS['previous_allocation']} "
            "(tkr)'",
            sv=f"{describe_units(ids, 'sv')}: {SWEDISH_HEADERS['previous_allocation']} "
            f"{format_kronor(previous[above][0], 'sv')} är mer än hela budgeten "
            f"({format_kronor(params.budget, 'sv')}), så beloppet ser ut att ha fel enhet (öre, "
            "eller kronor under en rubrik i tkr); ange förra årets beslutade belopp i kronor, "
            "eller skriv enheten i rubriken, till exempel "
            f"'{SWEDISH_HEADERS['previous_allocation']} (tkr)'",
            column="previous_allocation",
            units=ids,
        )


def _check_column_names(columns: pd.Index) -> None:
    names = [str(c) for c in columns]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        listed = ", ".join(f"'{c}'" for c in missing)
        raise InputError(
            f"the unit table lacks required column(s) {listed}. A table read with pandas "
            "keeps the file's own headers (such as 'Förbund', 'Invånare 16-64', "
            "'Försörjningsmått'): read the file with finsam_opt.io.read_units(path), which "
            "understands Swedish and English headers, amounts in kr or tkr and the unit column",
            sv=f"förbundstabellen saknar kolumnen/kolumnerna {listed} som krävs. En tabell som "
            "läses med pandas behåller filens egna rubriker (som 'Förbund', 'Invånare 16-64', "
            "'Försörjningsmått'): läs filen med finsam_opt.io.read_units(sökväg), som förstår "
            "svenska och engelska rubriker, belopp i kr eller tkr och förbundskolumnen",
            column=missing[0],
        )
    # A misspelt optional column would silently mean "no floor" or "no limit".
    for name in names:
        if name in _KNOWN_COLUMNS:
            continue
        close = difflib.get_close_matches(name, _KNOWN_COLUMNS, n=1, cutoff=_NEAR_MISS_CUTOFF)
        if close:
            raise InputError(
                f"unknown column '{name}' in the unit table (did you mean '{close[0]}'?)",
                sv=f"okänd kolumn '{name}' i förbundstabellen (menade du '{close[0]}', "
                f"det vill säga {SWEDISH_HEADERS[close[0]]}?)",
                column=name,
            )


def _numbers_at_once(
    units: pd.DataFrame, required: tuple[str, ...]
) -> dict[str, np.ndarray] | None:
    """Every known column as float kronor from one ``to_numpy`` of the table and one
    vectorised test of every rule of :func:`_numeric_column`; None when a column is
    not plain numbers or a value breaks a rule (the caller then goes column by column,
    for the message that names the unit, the column and the rule)."""
    names = list(units.columns)
    known = [name in _KNOWN_COLUMNS for name in names]
    kinds = [dtype.kind for dtype, is_known in zip(units.dtypes, known, strict=True) if is_known]
    if not units.columns.is_unique or not all(kind in "iuf" for kind in kinds):
        return None
    chosen = [name for name, is_known in zip(names, known, strict=True) if is_known]
    frame = units if all(known) else units.loc[:, chosen]
    values = frame.to_numpy(dtype=float, na_value=np.nan, copy=True)
    columns = list(frame.columns)
    needed = [j for j, name in enumerate(columns) if name in required]
    with np.errstate(invalid="ignore"):
        broken = (values < 0.0).any() or (values > MAX_AMOUNT).any() or np.isinf(values).any()
    if broken or np.isnan(values[:, needed]).any():
        return None
    given = {name: values[:, j] for j, name in enumerate(columns)}
    return {
        name: given[name] if name in given else np.full(len(units), np.nan)
        for name in _KNOWN_COLUMNS
    }


def _numeric_column(
    units: pd.DataFrame, name: str, *, required: bool, rule: tuple[str, str] | None = None
) -> np.ndarray:
    header = SWEDISH_HEADERS[name]
    if name not in units.columns:
        return np.full(len(units), np.nan)
    column = units[name]
    if pd.api.types.is_bool_dtype(column) or not pd.api.types.is_numeric_dtype(column):
        converted = pd.to_numeric(column, errors="coerce")
        bad = converted.isna() & column.notna()
        if pd.api.types.is_bool_dtype(column):
            bad = column.notna()
        if bad.any():
            ids = list(units.index[bad.to_numpy()])
            value = column[bad].iloc[0]
            value = value.item() if isinstance(value, np.generic) else value
            raise InputError(
                f"{describe_units(ids)}: {name} must be a number, got {value!r}",
                sv=f"{describe_units(ids, 'sv')}: {header} måste vara ett tal, inte {value!r}",
                column=name,
                units=ids,
            )
        column = converted
    values = column.to_numpy(dtype=float, na_value=np.nan)
    rules = [
        (
            np.isnan(values) if required else np.zeros(len(values), bool),
            rule
            or (
                ("must be given", "måste anges")
                if name in REQUIRED_COLUMNS
                else (
                    "must be given when parameters.staircase is set",
                    "måste anges när trappan för eget kapital (parameters.staircase) används",
                )
            ),
            "NaN",
        ),
        # inf is how "no limit" is said; only a limit may be infinite.
        (
            np.isinf(values) & (name not in NO_LIMIT_COLUMNS),
            ("must be finite", "måste vara ändligt"),
            None,
        ),
        (values < 0, ("must be ≥ 0", "måste vara ≥ 0"), None),
        (
            np.isfinite(values) & (values > MAX_AMOUNT),
            (f"must be at most {MAX_AMOUNT:,.0f}", f"får vara högst {format_number(MAX_AMOUNT)}"),
            None,
        ),
    ]
    for broken, (broken_rule, broken_sv), shown in rules:
        if broken.any():
            ids = list(units.index[broken])
            got = shown or f"{values[broken][0]:g}"
            raise InputError(
                f"{describe_units(ids)}: {name} {broken_rule}, got {got}",
                sv=f"{describe_units(ids, 'sv')}: {header} {broken_sv}"
                + (" (tomt)" if shown else f", inte {got.replace('.', ',')}"),
                column=name,
                units=ids,
            )
    return values
