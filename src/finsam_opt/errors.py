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

    Catch it to handle any of the library's own errors in one place. ``str(error)``
    is the English message; :meth:`text` gives it in Swedish where the error
    has a Swedish message (the command line prints that with ``--language sv``).

    Examples
    --------
    >>> import finsam_opt as fo
    >>> try:
    ...     fo.Parameters(budget=-1)  # kronor
    ... except fo.FinsamError as error:
    ...     print(type(error).__name__, error)
    InputError parameter budget must be finite and ≥ 0, got -1
    """

    def __init__(self, message: str = "", *, sv: str | None = None) -> None:
        super().__init__(message)
        self.swedish = sv

    def text(self, language: str = "en") -> str:
        """The message in ``language``: Swedish where the error has it, else English.

        Examples
        --------
        >>> error = InputError("--date: not a date", sv="--date: inget datum")
        >>> error.text("sv"), error.text("en")
        ('--date: inget datum', '--date: not a date')
        """
        if language == "sv" and self.swedish is not None:
            return self.swedish
        return str(self)


class InputError(FinsamError, ValueError):
    """The user's input breaks a rule; nothing was computed or written.

    Attributes
    ----------
    column : str or None
        The column (or parameter) the rule concerns.
    units : tuple
        The unit ids that break it (empty when the rule concerns the whole table).
    swedish : str or None
        The message in Swedish (``sv=``), printed by the command line with
        ``--language sv``; :meth:`text` chooses.

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
        self,
        message: str,
        *,
        sv: str | None = None,
        column: str | None = None,
        units: Sequence[object] = (),
    ) -> None:
        super().__init__(message, sv=sv)
        self.column = column
        self.units = tuple(units)

    def within(self, where: str) -> InputError:
        """The same error with ``where`` (a file, an option) in front, in both languages.

        Examples
        --------
        >>> error = InputError("no rows", sv="inga rader", column="unit")
        >>> wrapped = error.within("forbund.csv")
        >>> wrapped.text("en"), wrapped.text("sv"), wrapped.column
        ('forbund.csv: no rows', 'forbund.csv: inga rader', 'unit')
        """
        return InputError(
            f"{where}: {self}",
            sv=None if self.swedish is None else f"{where}: {self.swedish}",
            column=self.column,
            units=self.units,
        )


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

    It means a solver or the library misbehaved: what a user gives, a custom
    policy's phases included, is checked before anything is solved and refused as
    an :class:`InputError`.

    Examples
    --------
    The re-check of an LP solver's own point against the exact one:

    >>> import numpy as np, pandas as pd, finsam_opt as fo
    >>> from finsam_opt.engine.verify import check_solver_agreement
    >>> own, exact = np.array([1e6, 2e6]), np.array([1e6, 1.9e6])  # kronor
    >>> try:
    ...     check_solver_agreement("highs", own, exact, 3e6, pd.Index(["A", "B"]))
    ... except fo.VerificationError as error:
    ...     print(error)  # doctest: +ELLIPSIS
    unit 'B': solver 'highs' returned a point that differs from the exact solution ... 100,000.00 kr
    """


def describe_units(units: Sequence[object], language: str = "en") -> str:
    """Name up to five units for a message: ``unit 'A'`` or ``units 'A', 'B' and 3 more``
    (``language="sv"``: ``förbundet 'A'``, ``förbunden 'A', 'B' och 3 till``)."""
    names = ", ".join(f"'{u}'" for u in units[:_MAX_NAMED])
    sv = language == "sv"
    if len(units) == 1:
        return f"{'förbundet' if sv else 'unit'} {names}"
    more = len(units) - _MAX_NAMED
    rest = (f" och {more} till" if sv else f" and {more} more") if more > 0 else ""
    return f"{'förbunden' if sv else 'units'} {names}{rest}"
