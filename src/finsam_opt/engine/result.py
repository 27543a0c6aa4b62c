"""The result of an allocation: the decision table and the year's figures."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from finsam_opt.domain.parameters import Parameters
from finsam_opt.engine.binding import BINDING_RULES
from finsam_opt.engine.model import Scenario
from finsam_opt.errors import InputError
from finsam_opt.language.numbers import format_kronor

__all__ = ["Allocation"]


@dataclass(frozen=True)
class Allocation:
    """The allocation of one year's budget.

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
        Budget minus the sum of exact allocations, kronor (*ofördelade medel*).
    phase : int or None
        1-based number of the policy phase that was solved; 0 when phase E (excess
        equity first, MODEL.md §5) alone closed the deficit; None outside a deficit.
    phase_description : str or None
        What that phase does.
    equity_rate : float or None
        The fraction of each unit's excess-equity protection, ``min(E, t − m)``,
        that phase E took: λ when it closed the deficit alone, 1 when it was not
        enough and the policy ran after it; None when phase E did not run
        (outside a deficit, without a staircase, under ``equity_floor`` other than
        ``'deficit'``, or when no unit with excess equity was protected). The
        table's ``equity_cut`` holds the kronor per unit.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> result = fo.allocate(fo.example_units(), fo.Parameters(budget=20_000_000))  # kronor
    >>> result.scenario, result.rounded_total, result.unallocated
    (<Scenario.DEFICIT: 'deficit'>, 20000000, 0.0)
    >>> result.allocation.round().tolist()  # exact amounts, kronor
    [8794737.0, 4518421.0, 2500000.0, 1865789.0, 2321053.0]
    """

    table: pd.DataFrame
    scenario: Scenario
    policy: str
    solver: str
    parameters: Parameters
    balancing_scalar: float
    decrease_limit: float | None
    unallocated: float
    phase: int | None
    phase_description: str | None
    equity_rate: float | None = None

    @property
    def allocation(self) -> pd.Series:
        """Exact allocations, kronor, indexed by unit id."""
        return self.table["allocation"]

    @property
    def rounded_total(self) -> int:
        """Sum of the rounded allocations, kronor."""
        return int(self.table["allocation_rounded"].sum())

    def explain(self, unit: Hashable) -> str:
        """How unit ``unit``'s amount was reached, step by step, in plain English.

        Examples
        --------
        >>> import finsam_opt as fo
        >>> result = fo.allocate(fo.example_units(), fo.Parameters(budget=20_000_000))
        >>> print(result.explain("B"))
        Unit 'B' (deficit, policy raise-limit):
          ideal 3 531 579 kr = base 400 000 kr + 18 000 000 kr × key 0.1740
          cap: none (no limit given)
          floor 5 400 000 kr = (1 − 10%) × last year's 6 000 000 kr
          target 5 400 000 kr (the floor lifts it above its capped ideal)
          allocation 4 518 421 kr: below its floor: the decrease limit was raised to 24.69%
        """
        if unit not in self.table.index:
            raise InputError(f"unit {unit!r} is not in this allocation", units=[unit])
        row = self.table.loc[[unit]].iloc[0]
        p = self.parameters
        n = len(self.table)
        lines = [f"Unit {unit!r} ({self.scenario}, policy {self.policy}):"]
        lines.append(
            f"  ideal {format_kronor(row['ideal'])} = base {format_kronor(p.base_amount)} + "
            f"{format_kronor(p.budget - n * p.base_amount)} × key {row['key']:.4f}"
        )
        cap = row["cap"]
        lines.append(
            "  cap: none (no limit given)"
            if np.isinf(cap)
            else f"  cap {format_kronor(cap)} (requested and 2 × the smaller match)"
        )
        if row["new"]:
            lines.append("  floor: none (new unit)")
        elif p.staircase is not None and p.equity_floor == "always" and row["excess_equity"] > 0:
            lines.append(
                f"  floor: none (equity {format_kronor(row['excess_equity'])} above the "
                "staircase level)"
            )
        else:
            lines.append(
                f"  floor {format_kronor(row['floor'])} = (1 − {p.decrease_limit:.0%}) × "
                f"last year's {format_kronor(row['previous_allocation'])}"
                + (" (limited by the cap)" if row["floor"] >= cap else "")
            )
        reason = (
            "the floor lifts it above its capped ideal"
            if row["protected"]
            else ("its ideal within the cap" if row["ideal"] <= cap else "its cap")
        )
        lines.append(f"  target {format_kronor(row['target'])} ({reason})")
        if p.staircase is not None and p.equity_floor != "always" and row["excess_equity"] > 0:
            lines.append(f"  {self._equity_line(row)}")
        lines.append(f"  allocation {format_kronor(row['allocation'])}: {self._outcome(row)}")
        return "\n".join(lines)

    def _equity_line(self, row: pd.Series) -> str:
        excess = f"equity {format_kronor(row['excess_equity'])} above the staircase level"
        if self.parameters.equity_floor == "never":
            return f"{excess}: never touches the floor (equity_floor 'never')"
        if self.scenario is not Scenario.DEFICIT:
            return f"{excess}: not considered outside a deficit (equity counts only when needed)"
        if row["equity_cut"] > 0:
            return (
                f"{excess}: phase E took {format_kronor(row['equity_cut'])} of its protection "
                f"({self.equity_rate:.2%} of what its excess covers) before any floor was relaxed"
            )
        return f"{excess}: no protection to give up (the floor does not lift it)"

    def _outcome(self, row: pd.Series) -> str:
        rule = row["binding"]
        if rule == "relaxed-floor" and self.decrease_limit is not None:
            return f"below its floor: the decrease limit was raised to {self.decrease_limit:.2%}"
        return BINDING_RULES[rule]
