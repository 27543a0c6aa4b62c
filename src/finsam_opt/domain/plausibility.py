"""Amounts that look like the wrong unit, cell by cell (docs/data.md).

The median rule of :func:`finsam_opt.domain.units.validate_units` catches a
whole column in tkr under a kronor header. A table read from a file is
checked further, one cell at a time, because one förbund's row can be in the
wrong unit while its neighbours are right: kronor under a ``(tkr)`` header (an
amount above the whole budget), tkr under a kronor header (a positive amount
below 1/100 of the base amount, or a request or contribution below 1/100 of the
förbund's own previous allocation), and a previous allocation far above the
förbund's ideal allocation (öre, or a lost decimal comma).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from finsam_opt.domain.parameters import Parameters
from finsam_opt.errors import InputError, describe_units
from finsam_opt.language.numbers import format_kronor, format_number
from finsam_opt.language.words import SWEDISH_HEADERS

__all__ = ["OUTLIER_FACTOR", "SUPPORT_FACTOR", "check_amounts"]

OUTLIER_FACTOR = 10.0
"""A previous allocation above this many times the förbund's ideal allocation is refused."""

SUPPORT_FACTOR = 100.0
"""A support measure per inhabitant this many times above or below the median is refused."""

_AMOUNT_COLUMNS = (
    "previous_allocation",
    "requested",
    "municipal_match",
    "regional_match",
    "application",
    "municipal_extra",
    "regional_extra",
)


def check_amounts(
    table: pd.DataFrame, params: Parameters, columns: Sequence[str] | None = None
) -> None:
    """Refuse amounts in the wrong unit: a whole column, or one förbund's cell.

    With population and support measure in ``table``, a population of 0 and a
    support measure per inhabitant :data:`SUPPORT_FACTOR` × or more away from
    the median (one row in tkr) are refused first. Then, in this order, for
    each amount column of ``table`` (NaN and ``inf``, "no limit", are
    skipped; 0 is a real answer):

    1. the column's median below 1/100 of the base amount (tkr under a kronor header);
    2. an amount above the whole budget (kronor under a tkr header, or öre);
    3. a positive amount below 1/100 of the base amount (one förbund in tkr);
    4. a request or contribution below 1/100 of the förbund's previous allocation;
    5. a previous allocation above :data:`OUTLIER_FACTOR` × the förbund's ideal
       allocation (docs/model.md; with population and support measure in
       ``table``): öre or a lost decimal comma.

    Parameters
    ----------
    table : pandas.DataFrame
        Indexed by förbund; amounts in kronor. A column ``file`` (answer
        templates) is named in the message.
    params : Parameters
        The year's budget and base amount.
    columns : sequence of str, optional
        The amount columns to check; by default every known one in ``table``.

    Raises
    ------
    InputError
        Naming the förbund, the column, the amount and how to declare the unit.

    Examples
    --------
    >>> import pandas as pd, finsam_opt as fo
    >>> table = pd.DataFrame({"requested": [6e6, 3_890]}, index=["Alfa", "Beta"])
    >>> try:
    ...     fo.check_amounts(table, fo.Parameters(budget=15e6))
    ... except fo.InputError as error:
    ...     print(error.units, "tkr" in str(error))
    ('Beta',) True
    """
    names = [c for c in (columns or _AMOUNT_COLUMNS) if c in table.columns]
    smallest = params.base_amount / 100
    previous = (
        pd.to_numeric(table["previous_allocation"], errors="coerce").to_numpy(float)
        if "previous_allocation" in table.columns
        else np.full(len(table), np.nan)
    )
    _check_statistics(table)
    for name in names:
        values = pd.to_numeric(table[name], errors="coerce").to_numpy(float)
        given = np.isfinite(values) & (values > 0)
        header = SWEDISH_HEADERS.get(name, name)
        if given.any() and np.median(values[given]) < smallest:
            raise InputError(
                f"column '{header}' ({name}): the median amount is "
                f"{np.median(values[given]):,.0f} kr, below 1/100 of the base amount "
                f"({smallest:,.0f} kr), so the amounts look like tkr; give them in kronor, "
                f"or declare the unit in the header, e.g. '{header} (tkr)'",
                sv=f"kolumnen '{header}': medianbeloppet är "
                f"{format_kronor(float(np.median(values[given])), 'sv')}, under 1/100 av "
                f"grundtilldelningen ({format_kronor(smallest, 'sv')}), så beloppen ser ut att "
                "vara tkr; ange dem i kronor, eller skriv enheten i rubriken, till exempel "
                f"'{header} (tkr)'",
                column=name,
            )
        above = np.isfinite(values) & (values > params.budget)
        _refuse(table, name, above, values, f"is above the whole budget ({params.budget:,.0f} "
                f"kr), so it looks like kronor under a tkr or Mkr header (or öre); give the "
                f"amount in kronor under the header '{header}' or '{header} (kr)'",
                f"är mer än hela budgeten ({format_kronor(params.budget, 'sv')}), så det ser ut "
                "att vara kronor under en rubrik i tkr eller Mkr (eller öre); ange beloppet i "
                f"kronor under rubriken '{header}' eller '{header} (kr)'")  # fmt: skip
        tiny = given & (values < smallest)
        _refuse(table, name, tiny, values, f"is below 1/100 of the base amount ({smallest:,.0f} "
                f"kr), so it looks like tkr; write the amount in whole kronor (6 000 000, not "
                f"6 000), or declare the unit: '{header} (tkr)'",
                f"är under 1/100 av grundtilldelningen ({format_kronor(smallest, 'sv')}), så "
                "det ser ut att vara tkr; skriv beloppet i hela kronor (6 000 000, inte 6 000), "
                f"eller ange enheten: '{header} (tkr)'")  # fmt: skip
        if name != "previous_allocation":
            with np.errstate(invalid="ignore"):
                low = given & (values < previous / 100)
            _refuse(table, name, low, values, "is below 1/100 of the förbund's previous "
                    "allocation, so it looks like tkr; write the amount in whole kronor "
                    f"(6 000 000, not 6 000), or declare the unit: '{header} (tkr)'",
                    "är under 1/100 av förbundets tilldelning föregående år, så det ser ut att "
                    "vara tkr; skriv beloppet i hela kronor (6 000 000, inte 6 000), eller ange "
                    f"enheten: '{header} (tkr)'")  # fmt: skip
        else:
            ideal = _ideal(table, params)
            limit = OUTLIER_FACTOR * ideal
            with np.errstate(invalid="ignore"):
                far = given & (values > limit)
            _refuse(table, name, far, values, f"is more than {OUTLIER_FACTOR:.0f} × the "
                    "förbund's ideal allocation this year, so it looks like öre or a lost "
                    "decimal comma; give last year's decided amount in kronor",
                    f"är mer än {OUTLIER_FACTOR:.0f} × förbundets idealfördelning i år, så det "
                    "ser ut att vara öre eller ett tappat decimalkomma; ange förra årets "
                    "beslutade belopp i kronor")  # fmt: skip


def _check_statistics(table: pd.DataFrame) -> None:
    """No inhabitants, or a support measure per inhabitant ≥ 100 × off the median (tkr)."""
    if not {"population", "support_measure"} <= set(table.columns):
        return
    population = pd.to_numeric(table["population"], errors="coerce").to_numpy(float)
    support = pd.to_numeric(table["support_measure"], errors="coerce").to_numpy(float)
    _refuse(table, "population", population == 0, population, "inhabitants: a förbund has "
            "inhabitants aged 16–64 (a blank typed as 0?); give the number", "invånare: ett "
            "förbund har invånare i åldern 16–64 (ett tomt fält skrivet som 0?); ange antalet",
            "")  # fmt: skip
    given = (population > 0) & (support > 0)
    if not given.any():
        return
    with np.errstate(divide="ignore", invalid="ignore"):
        per_person = support / population
    median = float(np.median(per_person[given]))
    off = given & ((per_person > SUPPORT_FACTOR * median) | (per_person * SUPPORT_FACTOR < median))
    _refuse(table, "support_measure", off, support, f"is {SUPPORT_FACTOR:.0f} × or more away "
            f"from the median per inhabitant ({median:,.0f} kr per person), so it looks like tkr "
            "among kronor (or the reverse); give every row in kronor, or every row in tkr under "
            "'Försörjningsmått (tkr)'", f"ligger {SUPPORT_FACTOR:.0f} gånger eller mer från "
            f"medianen per invånare ({format_kronor(median, 'sv')} per person), så det ser ut "
            "att vara tkr bland kronor (eller tvärtom); ange varje rad i kronor, eller varje rad "
            "i tkr under 'Försörjningsmått (tkr)'")  # fmt: skip


def _ideal(table: pd.DataFrame, params: Parameters) -> np.ndarray:
    """Each förbund's ideal allocation (docs/model.md); NaN without the statistics."""
    n = len(table)
    if not {"population", "support_measure"} <= set(table.columns):
        return np.full(n, np.nan)
    population = pd.to_numeric(table["population"], errors="coerce").to_numpy(float)
    support = pd.to_numeric(table["support_measure"], errors="coerce").to_numpy(float)
    if not (np.nansum(population) > 0 and np.nansum(support) > 0):
        return np.full(n, np.nan)
    key = params.weight_population * population / np.nansum(
        population
    ) + params.weight_support * support / np.nansum(support)
    return params.base_amount + max(params.budget - n * params.base_amount, 0.0) * key


def _refuse(
    table: pd.DataFrame,
    name: str,
    wrong: np.ndarray,
    values: np.ndarray,
    why: str,
    why_sv: str,
    unit: str = " kr",
) -> None:
    if not wrong.any():
        return
    ids = list(table.index[wrong])
    first = int(np.flatnonzero(wrong)[0])
    file = table["file"].iloc[first] if "file" in table.columns else None
    header = SWEDISH_HEADERS.get(name, name)
    raise InputError(
        f"{describe_units(ids)}{'' if file is None else f' (file {file})'}: {header} ({name}) "
        f"{values[first]:,.0f}{unit} {why}",
        sv=f"{describe_units(ids, 'sv')}{'' if file is None else f' (fil {file})'}: {header} "
        f"{format_number(values[first], 'sv')}{unit} {why_sv}",
        column=name,
        units=ids,
    )
