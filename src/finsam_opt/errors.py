"""The exceptions finsam_opt raises.

Every error a user can cause is an :class:`InputError` whose message names the
unit(s), the column and the rule broken. Errors that mean the library or a solver
misbehaved are :class:`SolverError` and :class:`VerificationError`.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["FinsamError", "InputError", "SolverError", "VerificationError", "describe_units"]

_MAX_NAMED = 5


class FinsamError(Exception):
    """Base class of every error raised by finsam_opt.

    Catch it to handle any of the library's own errors in one place.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> try:
    ...     fo.Parameters(budget=-1)  # kronor
    ... except fo.FinsamError as error:
    ...     print(type(error).__name__, error)
    InputError parameter budget must be finite and ≥ 0, got -1
    """


class InputError(FinsamError, ValueError):
    """The user's input breaks a rule; nothing was computed or written.

    Attributes
    ----------
    column : str or None
        The column (or parameter) the rule concerns.
    units : tuple
        The unit ids that break it (empty when the rule concerns the whole table).

    Examples
    --------
    >>> import finsam_opt as fo
    >>> units = fo.example_units()
    >>> units.loc["B", "support_measure"] = -1  # kronor
    >>> try:
    ...     fo.allocate(units, fo.Parameters(budget=20_000_000))
    ... except fo.InputError as error:
    ...     print(error, error.column, error.units, sep=" | ")
    unit 'B': support_measure must be ≥ 0, got -1 | support_measure | ('B',)
    """

    def __init__(
        self, message: str, *, column: str | None = None, units: Sequence[object] = ()
    ) -> None:
        super().__init__(message)
        self.column = column
        self.units = tuple(units)


class SolverError(FinsamError, RuntimeError):
    """A solver is unavailable or did not return an optimal solution.

    Also raised when not even the last phase of a deficit policy fits the budget.

    Examples
    --------
    A policy that keeps every floor cannot pay floors (kronor) that exceed the budget:

    >>> import finsam_opt as fo
    >>> floors_kept = fo.Policy("floors-kept", fo.DEFICIT_POLICIES["scale-gains"].phases[:1])
    >>> try:
    ...     fo.allocate(fo.example_units(), fo.Parameters(budget=15_000_000), floors_kept)
    ... except fo.SolverError as error:
    ...     print(error)
    policy 'floors-kept': not even its last phase fits the budget
    """


class VerificationError(FinsamError, RuntimeError):
    """A solved allocation broke a constraint when re-checked; it was not returned.

    Examples
    --------
    A custom policy whose phase ignores the matching caps is caught by the re-check:

    >>> import numpy as np, finsam_opt as fo
    >>> def ignore_caps(q, previous):  # q: model quantities, kronor per unit
    ...     hi = np.maximum(q.ideal, q.floor)
    ...     return fo.Phase(hi=hi, lo=np.zeros_like(hi), weight=hi)
    >>> policy = fo.Policy("ignore-caps", (fo.PhaseRule("caps ignored", ignore_caps),))
    >>> try:
    ...     fo.allocate(fo.example_units(), fo.Parameters(budget=20_000_000), policy)
    ... except fo.VerificationError as error:
    ...     print(error)
    unit 'C': the allocation exceeds the matching cap
    """


def describe_units(units: Sequence[object]) -> str:
    """Name up to five units for a message: ``unit 'A'`` or ``units 'A', 'B' and 3 more``."""
    names = ", ".join(f"'{u}'" for u in units[:_MAX_NAMED])
    if len(units) == 1:
        return f"unit {names}"
    more = len(units) - _MAX_NAMED
    return f"units {names}" + (f" and {more} more" if more > 0 else "")
