"""Model parameters: the budget and the constants of the allocation formula."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from finsam_opt._compat import StrEnum
from finsam_opt.domain.staircase import Staircase
from finsam_opt.errors import InputError
from finsam_opt.language.numbers import format_kronor, format_number

__all__ = ["MAX_AMOUNT", "EquityFloor", "Parameters", "Unanswered"]

MAX_AMOUNT = 1e13
"""The largest amount (kronor) or count the model accepts, in parameters and inputs.

Below it a float64 holds every amount to far better than an öre (its spacing at
1e13 is 0.002 kr) and sums of thousands of them stay exact to the öre; larger
inputs are a unit mistake (the Swedish budget is 3.39e8 kr), and refused as
an :class:`~finsam_opt.errors.InputError` instead of overflowing later.

Examples
--------
>>> import finsam_opt as fo
>>> try:
...     fo.Parameters(budget=1e20)
... except fo.InputError as error:
...     print(error)  # doctest: +ELLIPSIS
parameter budget must be at most 10,000,000,000,000 kr, got 100,000,000,000,000,000,000: ...
"""

_WEIGHT_SUM_TOLERANCE = 1e-9


class EquityFloor(StrEnum):
    """When excess equity touches a unit's floor (docs/model.md, ``Parameters.equity_floor``).

    Examples
    --------
    >>> import finsam_opt as fo
    >>> fo.Parameters(budget=339e6).equity_floor
    <EquityFloor.DEFICIT: 'deficit'>
    >>> fo.EquityFloor("always") == "always"
    True
    """

    DEFICIT = "deficit"
    """Only in a deficit: excess equity is taken from a unit's protection first
    (phase E, docs/model.md) before any floor is relaxed (the 2019 clarification)."""
    ALWAYS = "always"
    """A unit whose equity exceeds its staircase level has no floor in any scenario
    (Försäkringskassan's 2015 model document, for 2016–2017)."""
    NEVER = "never"
    """Equity never touches the floor."""


class Unanswered(StrEnum):
    """What a missing municipal or regional contribution means (docs/model.md).

    Examples
    --------
    >>> import finsam_opt as fo
    >>> fo.Parameters(budget=339e6, unanswered="previous").unanswered
    <Unanswered.PREVIOUS: 'previous'>
    """

    ERROR = "error"
    """Refuse: an error listing every unit and party that has not answered."""
    PREVIOUS = "previous"
    """The party's share of matching last year's allocation, previous / 2 (0 for a new unit)."""
    NO_LIMIT = "no-limit"
    """No limit from that party."""


@dataclass(frozen=True)
class Parameters:
    """Parameters of one year's allocation (docs/data.md).

    Parameters
    ----------
    budget : float
        The state budget B to distribute, kronor (339 000 000 since 2016).
    base_amount : float
        The base amount b every unit receives first, kronor (*grundtilldelning*).
    weight_support : float
        Weight of the support measure (*försörjningsmått*) in the need key.
    weight_population : float
        Weight of the population aged 16–64 in the need key; the two weights sum to 1.
    decrease_limit : float
        Largest decrease d from last year's allocation that the floor allows, in [0, 1).
    rounding_unit : int
        Decided amounts are whole multiples of this many kronor (1, or 1 000 for tkr).
    staircase : Staircase or None
        The equity staircase (docs/surplus.md); when set, the unit table must have the
        columns ``equity`` and ``turnover`` for every unit. None: no equity rule.
    equity_floor : EquityFloor or str
        When excess equity touches the floor (needs a staircase): ``'deficit'``
        (default; in a deficit only, excess equity is taken from a unit's
        protection before any floor is relaxed), ``'always'`` (no floor for a unit
        with excess equity, the 2015 rule) or ``'never'``.
    unanswered : Unanswered or str
        What a blank ``municipal_match`` or ``regional_match`` means when the unit
        table has those columns (docs/model.md): ``'error'`` (default), ``'previous'``
        (previous allocation / 2) or ``'no-limit'``.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> fo.Parameters(budget=339_000_000).decrease_limit
    0.1
    """

    budget: float
    base_amount: float = 400_000.0
    weight_support: float = 0.75
    weight_population: float = 0.25
    decrease_limit: float = 0.10
    rounding_unit: int = 1
    staircase: Staircase | None = None
    equity_floor: EquityFloor | str = EquityFloor.DEFICIT
    unanswered: Unanswered | str = Unanswered.ERROR

    def __post_init__(self) -> None:
        for name in ("budget", "base_amount", "weight_support", "weight_population"):
            value = _plain_number(self, name)
            if value is None:
                raise InputError(
                    f"parameter {name} must be a number, got {getattr(self, name)!r}",
                    sv=f"parametern {name} måste vara ett tal, inte {getattr(self, name)!r}",
                    column=name,
                )
            if not math.isfinite(value) or value < 0:
                raise InputError(
                    f"parameter {name} must be finite and ≥ 0, got {value}",
                    sv=f"parametern {name} måste vara ändlig och ≥ 0, inte {value}",
                    column=name,
                )
            if value > MAX_AMOUNT:
                raise InputError(
                    f"parameter {name} must be at most {MAX_AMOUNT:,.0f} kr, got {value:,.0f}: "
                    "beyond it sums of kronor are not exact to the öre",
                    sv=f"parametern {name} får vara högst {format_kronor(MAX_AMOUNT, 'sv')}, "
                    f"inte {format_number(value, 'sv')}: större belopp än så kan inte summeras "
                    "exakt på öret",
                    column=name,
                )
        total = self.weight_support + self.weight_population
        if abs(total - 1.0) > _WEIGHT_SUM_TOLERANCE:
            raise InputError(
                "parameters weight_support and weight_population must sum to 1, "
                f"got {self.weight_support} + {self.weight_population} = {total}",
                sv="parametrarna weight_support och weight_population måste ha summan 1, "
                f"men {self.weight_support} + {self.weight_population} = {total}",
                column="weight_support",
            )
        d = _plain_number(self, "decrease_limit")
        if d is None or not 0 <= d < 1:
            raise InputError(
                f"parameter decrease_limit must be in [0, 1), got {self.decrease_limit!r}",
                sv="parametern decrease_limit (spärren) måste ligga i [0, 1), inte "
                f"{self.decrease_limit!r}",
                column="decrease_limit",
            )
        unit = _plain_number(self, "rounding_unit")
        if not isinstance(unit, int) or not 1 <= unit <= MAX_AMOUNT:
            raise InputError(
                "parameter rounding_unit must be a whole number of kronor from 1 to "
                f"{MAX_AMOUNT:,.0f}, got {self.rounding_unit!r}",
                sv="parametern rounding_unit måste vara ett helt antal kronor från 1 till "
                f"{format_number(MAX_AMOUNT, 'sv')}, inte {self.rounding_unit!r}",
                column="rounding_unit",
            )
        if self.staircase is not None and not isinstance(self.staircase, Staircase):
            raise InputError(
                f"parameter staircase must be a Staircase or None, got "
                f"{type(self.staircase).__name__}",
                sv="parametern staircase (trappan) måste vara en Staircase eller None, inte "
                f"{type(self.staircase).__name__}",
                column="staircase",
            )
        for name, kind in (("equity_floor", EquityFloor), ("unanswered", Unanswered)):
            value = getattr(self, name)
            try:
                object.__setattr__(self, name, kind(value))
            except ValueError:
                known = ", ".join(f"'{k.value}'" for k in kind)
                raise InputError(
                    f"parameter {name} must be one of {known}, got {value!r}",
                    sv=f"parametern {name} måste vara en av {known}, inte {value!r}",
                    column=name,
                ) from None


def _plain_number(params: Parameters, name: str) -> int | float | None:
    """The parameter as a Python int or float (stored so), or None if it is not a number.

    A numpy number is a number (``df["budget"].sum()`` is an ``np.int64``); a bool,
    also numpy's, is not.
    """
    value = getattr(params, name)
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, np.integer)):
        plain: int | float = int(value)
    elif isinstance(value, (float, np.floating)):
        plain = float(value)
    else:
        return None
    object.__setattr__(params, name, plain)
    return plain
