"""The result of an allocation: the decision table and the year's figures."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import cached_property
from typing import cast

import numpy as np
import pandas as pd

from finsam_opt.domain.parameters import Parameters
from finsam_opt.domain.units import MATCH_COLUMNS, Matching
from finsam_opt.engine.display import allocation_html, allocation_repr
from finsam_opt.engine.explain import explain_allocation
from finsam_opt.engine.model import Scenario

__all__ = ["Allocation"]


@dataclass(frozen=True, eq=False)
class Allocation:
    """The allocation of one year's budget.

    The result holds arrays; its decision table is built on first access and kept.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per unit, same index and order as the input. The inputs, the model
        quantities (``share_population``, ``share_support``, ``key``, ``ideal``,
        ``cap``, ``floor``, ``capped``, ``target``, ``protected``, ``new``; kronor)
        and the outcome: ``allocation`` (exact, float kronor),
        ``allocation_rounded`` (int, multiples of ``parameters.rounding_unit``),
        ``change`` (rounded allocation minus last year's, kronor), ``change_rate``
        and ``binding`` (the rule that set the amount; see
        :data:`finsam_opt.BINDING_RULES`).
    scenario : Scenario
        Balance, surplus or deficit.
    policy : str
        The deficit policy's name (applied only in a deficit).
    solver : str
        The backend that solved the deficit phase.
    parameters : Parameters
    balancing_scalar : float
        The damping rate λ* of the solved phase; 0 outside a deficit.
    decrease_limit : float or None
        The effective decrease limit: ``parameters.decrease_limit`` when the floors
        held, ``decrease_limit + λ*`` under ``raise-limit`` in a deficit, None when
        the policy relaxed floors unevenly.
    unallocated : float
        Budget minus the sum of the rounded allocations, kronor (*ofördelade
        medel*; docs/model.md): never negative; in a deficit 0 unless the rounding
        unit (or a cap) leaves kronor that cannot be placed.
    phase : int or None
        1-based number of the policy phase that was solved; 0 when phase E (excess
        equity first, docs/model.md) alone closed the deficit; None outside a deficit.
    phase_description : str or None
        What that phase does.
    equity_rate : float or None
        The fraction of each unit's excess-equity protection, ``min(E, t − m)``,
        that phase E took: λ when it closed the deficit alone, 1 when it was not
        enough and the policy ran after it; None when phase E did not run
        (outside a deficit, without a staircase, under ``equity_floor`` other than
        ``'deficit'``, or when no unit with excess equity was protected). The
        table's ``equity_cut`` holds the kronor per unit.
    matching : Matching
        ``'collected'`` when the unit table had contribution columns (the caps
        apply), ``'not collected'`` when it had none (no matching cap applied;
        docs/model.md). Units that did not answer are listed by :attr:`assumed`,
        and flagged in the table's ``municipal_match_assumed`` and
        ``regional_match_assumed``.
    ids : pandas.Index
        The unit ids, in the input's order.
    exact : numpy.ndarray
        The exact allocations, float kronor, shape (n,) (``table["allocation"]``).
    rounded : numpy.ndarray
        The decided amounts, int kronor, shape (n,) (``table["allocation_rounded"]``).
    columns : callable
        Builds the decision table's columns; run once, on first access to
        ``table`` or ``binding``.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> result = fo.allocate(fo.example_units(), fo.Parameters(budget=20_000_000))  # kronor
    >>> result.scenario, result.rounded_total, result.unallocated
    (<Scenario.DEFICIT: 'deficit'>, 20000000, 0.0)
    >>> result.allocation.round().tolist()  # exact amounts, kronor
    [8794737.0, 4518421.0, 2500000.0, 1865789.0, 2321053.0]
    """

    scenario: Scenario
    policy: str
    solver: str
    parameters: Parameters
    balancing_scalar: float
    decrease_limit: float | None
    unallocated: float
    phase: int | None
    phase_description: str | None
    ids: pd.Index = field(repr=False)
    exact: np.ndarray = field(repr=False)
    rounded: np.ndarray = field(repr=False)
    columns: Callable[[], dict[str, object]] = field(repr=False)
    equity_rate: float | None = None
    matching: Matching = Matching.NOT_COLLECTED

    @cached_property
    def _columns(self) -> dict[str, object]:
        return self.columns()

    @cached_property
    def table(self) -> pd.DataFrame:
        """The decision table (see the attributes above), built on first access."""
        columns = dict(self._columns)
        columns["binding"] = np.asarray(columns["binding"], dtype=object)
        return pd.DataFrame(columns, index=self.ids, copy=False)

    @property
    def binding(self) -> pd.Categorical:
        """The ``binding`` rules as a :class:`pandas.Categorical` over every key of
        :data:`finsam_opt.BINDING_RULES` (int8 codes; the table shows the labels).

        Examples
        --------
        >>> import finsam_opt as fo
        >>> result = fo.allocate(fo.example_units(), fo.Parameters(budget=20_000_000))
        >>> result.binding.codes.tolist(), result.binding.categories[4]
        ([0, 4, 2, 1, 0], 'relaxed-floor')
        """
        return cast(pd.Categorical, self._columns["binding"])

    @property
    def allocation(self) -> pd.Series:
        """Exact allocations, kronor, indexed by unit id."""
        return pd.Series(self.exact, index=self.ids, name="allocation", copy=False)

    @property
    def assumed(self) -> pd.DataFrame:
        """The contributions assumed for units that did not answer (docs/model.md).

        One row per unit and party: ``unit``, ``party`` (``municipal_match`` or
        ``regional_match``), ``assumed_as`` (``parameters.unanswered``) and
        ``amount`` (kronor; ``inf`` for no limit). Empty when every unit answered.

        Examples
        --------
        >>> import numpy as np, finsam_opt as fo
        >>> units = fo.example_units()
        >>> units.loc["B", "regional_match"] = np.nan  # B's region has not answered
        >>> params = fo.Parameters(budget=20e6, unanswered="previous")
        >>> fo.allocate(units, params).assumed.to_dict("records")
        [{'unit': 'B', 'party': 'regional_match', 'assumed_as': 'previous', 'amount': 3000000.0}]
        """
        rows = [
            {
                "unit": unit,
                "party": party,
                "assumed_as": str(self.parameters.unanswered),
                "amount": np.inf if pd.isna(row[party]) else float(row[party]),
            }
            for unit, row in self.table.iterrows()
            for party in MATCH_COLUMNS
            if row.get(f"{party}_assumed", False)
        ]
        return pd.DataFrame(rows, columns=["unit", "party", "assumed_as", "amount"])

    @property
    def rounded_total(self) -> int:
        """Sum of the rounded allocations, kronor."""
        return int(self.rounded.sum())

    def __repr__(self) -> str:
        return allocation_repr(self)

    def _repr_html_(self) -> str:
        """A summary and the first rows of the decision table (Swedish), for notebooks."""
        return allocation_html(self)

    def explain(self, unit: Hashable, language: str = "sv") -> str:
        """How unit ``unit``'s amount was reached, step by step, in Swedish or English.

        The amounts are the decision table's rounded ones; the key has enough
        digits that the ideal checks by hand to the krona.

        Parameters
        ----------
        unit : hashable
            A unit id of :attr:`table`.
        language : {'sv', 'en'}
            Swedish (default) or English.

        Examples
        --------
        >>> import finsam_opt as fo
        >>> result = fo.allocate(fo.example_units(), fo.Parameters(budget=20_000_000))
        >>> print(result.explain("B"))
        Förbund 'B' (underskott, princip höjd spärr):
          idealfördelning 3 531 579 kr = grundtilldelning 400 000 kr
            + 18 000 000 kr × nyckeltal 0,17397661
          tak: inget (ingen gräns angiven)
          golv 5 400 000 kr = (1 − 10 %) × föregående års 6 000 000 kr
          målbelopp 5 400 000 kr (golvet lyfter det över idealet inom taket)
          tilldelning 4 518 422 kr: under golvet: spärren höjdes till 24,69 %
        >>> print(result.explain("B", language="en").splitlines()[-1])
          allocation 4,518,422 kr: below its floor: the decrease limit was raised to 24.69%
        """
        return explain_allocation(self, unit, language)
