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
    """Base class of every error raised by finsam_opt."""


class InputError(FinsamError, ValueError):
    """The user's input breaks a rule; nothing was computed or written.

    Attributes
    ----------
    column : str or None
        The column (or parameter) the rule concerns.
    units : tuple
        The unit ids that break it (empty when the rule concerns the whole table).
    """

    def __init__(
        self, message: str, *, column: str | None = None, units: Sequence[object] = ()
    ) -> None:
        super().__init__(message)
        self.column = column
        self.units = tuple(units)


class SolverError(FinsamError, RuntimeError):
    """A solver is unavailable or did not return an optimal solution."""


class VerificationError(FinsamError, RuntimeError):
    """A solved allocation broke a constraint when re-checked; it was not returned."""


def describe_units(units: Sequence[object]) -> str:
    """Name up to five units for a message: ``unit 'A'`` or ``units 'A', 'B' and 3 more``."""
    names = ", ".join(f"'{u}'" for u in units[:_MAX_NAMED])
    if len(units) == 1:
        return f"unit {names}"
    more = len(units) - _MAX_NAMED
    return f"units {names}" + (f" and {more} more" if more > 0 else "")
