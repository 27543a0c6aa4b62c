"""The surplus round (*ofördelade medel*, docs/surplus.md): redistribute().

When the allocation leaves money over (or units hand funds back late),
Försäkringskassan lets the units apply for more, each application matched 25/25
by its municipalities and region. If the applications fit, everyone gets what
they applied for; otherwise the amount is rationed by a *surplus policy*, which
like a deficit policy is a list of phases tried in order::

    validate → claims → phases → solve → polish → verify → Redistribution
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from finsam_opt.domain.parameters import MAX_AMOUNT, Parameters
from finsam_opt.domain.units import validate_units
from finsam_opt.engine.damping import Phase, PhaseKind
from finsam_opt.engine.explain import explain_redistribution
from finsam_opt.engine.model import compute_quantities
from finsam_opt.engine.phases import first_fitting_phase, solve_exactly
from finsam_opt.engine.result import Allocation
from finsam_opt.engine.rounding import round_largest_remainder
from finsam_opt.engine.solvers import SOLVERS, get_solver
from finsam_opt.engine.verify import check_conservation, check_redistribution
from finsam_opt.errors import InputError, SolverError, describe_units
from finsam_opt.language.numbers import format_kronor
from finsam_opt.language.words import SWEDISH_HEADERS, term

__all__ = [
    "DEFAULT_KAPPA",
    "SURPLUS_POLICIES",
    "Redistribution",
    "SurplusClaims",
    "SurplusRule",
    "redistribute",
]

DEFAULT_KAPPA = 1.0
"""Default strength κ of ``equity-penalty`` **[design]**: a unit whose excess equity
equals its turnover is cut twice as fast as one without excess."""

_MATCH_TOLERANCE = 1e-9  # relative: an application equal to its matching is allowed
_FULL_TOLERANCE = 0.01  # kronor: granted within this of the application is "in full"
_USES_EQUITY = frozenset({"equity-first", "equity-penalty"})
_CONSERVATION_TOLERANCE = 0.005  # kronor: money adds up to the budget to half an öre


@dataclass(frozen=True)
class SurplusClaims:
    """What the surplus policies see, per unit, arrays of shape (n,).

    Attributes
    ----------
    application : numpy.ndarray
        Additional state amount applied for, a_i, kronor.
    excess_equity : numpy.ndarray
        Equity above the staircase level, E_i, kronor (0 without a staircase).
    turnover : numpy.ndarray
        Turnover T_i, kronor (NaN when not given).
    key : numpy.ndarray
        The need key of docs/model.md (NaN when no unit table was given).
    available : float
        The amount to redistribute, L, kronor.
    kappa : float
        Strength of ``equity-penalty``.
    """

    application: np.ndarray
    excess_equity: np.ndarray
    turnover: np.ndarray
    key: np.ndarray
    available: float
    kappa: float

    @property
    def cut_excess(self) -> np.ndarray:
        """e_i = min(E_i, a_i): the part of the application that excess equity can cover."""
        return np.minimum(self.excess_equity, self.application)


SurplusBoundsFn = Callable[[SurplusClaims, "Phase | None"], Phase]


@dataclass(frozen=True)
class SurplusRule:
    """One phase of a surplus policy.

    Parameters
    ----------
    description : str
        What the phase does, in a sentence.
    bounds : callable
        ``bounds(claims, previous_phase) -> Phase``.
    label : str
        The ``binding`` label of a unit this phase cuts (a key of
        :data:`finsam_opt.engine.binding.SURPLUS_BINDING_RULES`).
    excess_label : str or None
        The label instead of ``label`` for a cut unit with excess equity.
    """

    description: str
    bounds: SurplusBoundsFn
    label: str
    excess_label: str | None = None


def _cut_excess_first(c: SurplusClaims, previous: Phase | None) -> Phase:
    e = c.cut_excess
    return Phase(hi=c.application, lo=c.application - e, weight=e)


def _then_proportional(c: SurplusClaims, previous: Phase | None) -> Phase:
    rest = c.application - c.cut_excess
    return Phase(hi=rest, lo=np.zeros_like(rest), weight=rest)


def _proportional(c: SurplusClaims, previous: Phase | None) -> Phase:
    a = c.application
    return Phase(hi=a, lo=np.zeros_like(a), weight=a)


def _equity_penalty(c: SurplusClaims, previous: Phase | None) -> Phase:
    a = c.application
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(c.excess_equity > 0, c.excess_equity / c.turnover, 0.0)
    return Phase(hi=a, lo=np.zeros_like(a), weight=a * (1.0 + c.kappa * ratio))


def _by_key(c: SurplusClaims, previous: Phase | None) -> Phase:
    # Weight key·L: λ = 1 offers every unit its key share of the amount available.
    a = c.application
    return Phase(hi=a, lo=np.zeros_like(a), weight=c.key * c.available, kind=PhaseKind.FILL)


SURPLUS_POLICIES: dict[str, tuple[SurplusRule, ...]] = {
    "equity-first": (
        SurplusRule(
            "units with excess equity are cut first, by the same fraction of their excess",
            _cut_excess_first,
            label="equity-cut",
        ),
        SurplusRule(
            "cutting all excess equity is not enough: excess removed, then every unit keeps "
            "the same fraction of what is left of its application",
            _then_proportional,
            label="rationed",
            excess_label="equity-rationed",
        ),
    ),
    "proportional": (
        SurplusRule(
            "every unit gets the same fraction of its application", _proportional, "rationed"
        ),
    ),
    "equity-penalty": (
        SurplusRule(
            "every unit is cut in proportion to its application × (1 + κ·E/T)",
            _equity_penalty,
            label="rationed",
        ),
    ),
    "by-key": (
        SurplusRule(
            "offered in proportion to the need key, never more than the application",
            _by_key,
            label="key-share",
        ),
    ),
}
"""The surplus policies of docs/surplus.md by name; ``equity-first`` is the default."""


@dataclass(frozen=True)
class Redistribution:
    """The outcome of a surplus round.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per unit (the unit table's order, or the applications' order without
        one): ``application``, ``matching_cap`` (2 × min(extra municipal, extra
        regional); ``inf`` for no limit, as ``Allocation.table["cap"]``),
        ``excess_equity``, ``granted`` (exact, float kronor), ``granted_rounded``
        (int, multiples of ``parameters.rounding_unit``) and ``binding`` (see
        :data:`finsam_opt.engine.binding.SURPLUS_BINDING_RULES`).
    available : float
        The amount redistributed, L, kronor (leftover plus funds handed back).
    unallocated : float
        ``available`` minus the rounded total granted, kronor (docs/model.md: what
        the rounding unit and the applications leave unplaced stays here).
    balancing_scalar : float or None
        The solved phase's rate λ*: the fraction cut (damping phases) or the
        multiple of its key share each unit is offered (``by-key``); None when the
        applications fit and nothing was rationed.
    policy : str
    solver : str
    phase : int or None
        1-based number of the solved phase; None when nothing was rationed.
    phase_description : str or None
    kappa : float
        The ``equity-penalty`` strength used.
    parameters : Parameters

    Examples
    --------
    The year's leftover (kronor) goes to the units that apply for more:

    >>> import finsam_opt as fo
    >>> units = fo.example_units()
    >>> result = fo.allocate(units, fo.Parameters(budget=30_000_000))
    >>> extra = fo.redistribute({"B": 1_000_000, "E": 2_000_000}, result, result.parameters,
    ...                         units=units)
    >>> round(extra.available), extra.rounded_total
    (2573099, 2573099)
    >>> extra.table["granted_rounded"].tolist()
    [0, 857700, 0, 0, 1715399]
    """

    table: pd.DataFrame
    available: float
    unallocated: float
    balancing_scalar: float | None
    policy: str
    solver: str
    phase: int | None
    phase_description: str | None
    kappa: float
    parameters: Parameters

    @property
    def granted(self) -> pd.Series:
        """Exact granted amounts, kronor, indexed by unit id."""
        return self.table["granted"]

    @property
    def rounded_total(self) -> int:
        """Sum of the rounded granted amounts, kronor."""
        return int(self.table["granted_rounded"].sum())

    def explain(self, unit: Hashable, language: str = "sv") -> str:
        """How unit ``unit``'s grant was reached, step by step, in Swedish or English.

        Parameters
        ----------
        unit : hashable
            A unit id of :attr:`table`.
        language : {'sv', 'en'}
            Swedish (default) or English.

        Examples
        --------
        >>> import finsam_opt as fo
        >>> extra = fo.redistribute({"A": 6e6, "B": 4e6}, 5_000_000, fo.Parameters(budget=339e6))
        >>> for line in extra.explain("A", language="en").splitlines():
        ...     print(line[:74])
        Unit 'A' (surplus round, policy proportional):
          applied for 6,000,000 kr; matching cap: none (no extra matching given)
          excess equity 0 kr
          10,000,000 kr applied for in all, 5,000,000 kr available
          rationed by phase 1 (λ = 0.500000): every unit gets the same fraction of
          granted 3,000,000 kr: cut by the same (weighted) fraction of its applica
        >>> print(extra.explain("A").splitlines()[-1])
          beviljat 3 000 000 kr: minskades med samma (viktade) andel av ansökan som de andra
        """
        return explain_redistribution(self, unit, language)


@dataclass(frozen=True)
class _Checked:
    ids: pd.Index
    claims: SurplusClaims
    matching_cap: np.ndarray
    rules: tuple[SurplusRule, ...]
    returned: np.ndarray  # kronor handed back per unit
    decided: np.ndarray | None  # each unit's decided amount, when known
    decided_total: float | None  # of every unit decided, applying or not


@dataclass(frozen=True)
class _Money:
    """What the round starts from: the leftover L and the decided amounts, if known."""

    leftover: float
    decided: pd.Series | None


def redistribute(
    applications: pd.Series | pd.DataFrame | Mapping[object, float],
    available: float | Allocation,
    params: Parameters,
    policy: str | None = None,
    *,
    units: pd.DataFrame | None = None,
    solver: str = "fast",
    municipal_extra: pd.Series | Mapping[object, float] | None = None,
    regional_extra: pd.Series | Mapping[object, float] | None = None,
    returned: pd.Series | Mapping[object, float] | None = None,
    decided: pd.Series | Mapping[object, float] | None = None,
    kappa: float = DEFAULT_KAPPA,
) -> Redistribution:
    """Redistribute unallocated funds among the units that apply (docs/surplus.md).

    Parameters
    ----------
    applications : pandas.Series, mapping or pandas.DataFrame
        Additional state amount each unit applies for, kronor ≥ 0, indexed by unit
        id. A unit of ``units`` that is absent (or NaN) applied for nothing. A
        table (as :func:`finsam_opt.io.read_applications` reads) has the amounts
        in column ``application`` and may hold ``municipal_extra`` and
        ``regional_extra`` instead of the arguments below.
    available : float or Allocation
        The amount to redistribute, kronor; an :class:`Allocation` stands for its
        ``unallocated`` amount.
    params : Parameters
        The year's parameters: ``staircase`` (for excess equity), the need-key
        weights and ``rounding_unit``.
    policy : str, optional
        ``'equity-first'``, ``'proportional'``, ``'equity-penalty'`` or ``'by-key'``
        (see :data:`SURPLUS_POLICIES`). The policies that use excess equity need
        ``params.staircase``: without it they are an error, never a silent
        proportional split (docs/surplus.md). Default: ``'equity-first'`` with a
        staircase, ``'proportional'`` without.
    units : pandas.DataFrame, optional
        The unit table of :func:`~finsam_opt.allocate`; needed for ``by-key`` (the
        need key) and, when ``params.staircase`` is set, for equity and turnover.
        Without a staircase no unit has excess equity.
    solver : str
        ``'fast'`` (default), ``'highs'``, ``'cbc'`` or ``'scipy'``.
    municipal_extra, regional_extra : pandas.Series or mapping, optional
        The additional amount the municipalities (together) and the region plan to
        contribute, kronor, indexed by unit id; absent or NaN means no limit. An
        application above 2 × min(municipal_extra, regional_extra) is an error.
    returned : pandas.Series or mapping, optional
        Funds handed back late per unit, kronor (docs/surplus.md): each at most the
        unit's decided amount, added to ``available``; a unit that hands money back
        cannot apply in the same round. A bare number is refused (no unit stands
        behind it).
    decided : pandas.Series or mapping, optional
        The decided allocations, kronor, when ``available`` is a number; they and
        ``available`` must add up to ``params.budget``. Needed for ``returned``. An
        :class:`Allocation` as ``available`` brings its own (its rounded amounts).
        When the decided amounts are known the round checks that money is
        conserved: Σ decided − Σ returned + Σ granted + unallocated = budget.
    kappa : float
        Strength κ ≥ 0 of ``equity-penalty``.

    Returns
    -------
    Redistribution

    Raises
    ------
    InputError
        Bad input, naming unit, column and rule; nothing is computed.
    SolverError, VerificationError
        As for :func:`~finsam_opt.allocate`.

    Examples
    --------
    >>> import pandas as pd, finsam_opt as fo
    >>> apps = pd.Series({"A": 6e6, "B": 4e6})
    >>> fo.redistribute(apps, 5_000_000, fo.Parameters(budget=339e6),
    ...                 policy="proportional").granted.tolist()
    [3000000.0, 2000000.0]
    """
    if policy is None and isinstance(params, Parameters):
        policy = "proportional" if params.staircase is None else "equity-first"
    checked = _validate(
        applications, available, params, policy, units, solver, municipal_extra,
        regional_extra, returned, decided, kappa,
    )  # fmt: skip
    solve = get_solver(solver)
    claims, ids = checked.claims, checked.ids
    a, limit = claims.application, claims.available
    granted, rate, phase, number = a, None, None, None
    if a.sum() > limit + _slack(limit):
        fitting = first_fitting_phase(checked.rules, claims, limit)
        if fitting is None:  # the built-in policies' last phases always fit (their lo is 0)
            raise SolverError(
                f"no phase of the surplus policy fits {limit:,.0f} kr",
                sv="ingen fas i principen för ofördelade medel ryms inom "
                f"{format_kronor(limit, 'sv')}",
            )
        solved = solve_exactly(*fitting, limit, solve, solver, ids)
        granted, rate, phase, number = solved.allocation, solved.rate, solved.phase, solved.number
    check_redistribution(granted, a, limit, phase, ids)
    rule = None if number is None else checked.rules[number - 1]
    rounded = round_largest_remainder(
        granted,
        params.rounding_unit,
        limit=limit,
        cap=a,
        floor=np.zeros_like(a),
        ids=ids,
    )
    unallocated = limit - float(rounded.sum())
    if checked.decided_total is not None:
        check_conservation(
            params.budget, checked.decided_total, checked.returned, rounded, unallocated
        )
    table = pd.DataFrame(
        {
            **({} if checked.decided is None else {"decided": checked.decided}),
            "returned": checked.returned,
            "application": a,
            "matching_cap": checked.matching_cap,
            "excess_equity": claims.excess_equity,
            "granted": granted,
            "granted_rounded": rounded,
            "binding": _binding(granted, claims, rule),
        },
        index=ids,
    )
    return Redistribution(
        table=table,
        available=limit,
        unallocated=unallocated,
        balancing_scalar=rate,
        policy=policy,
        solver=solver,
        phase=number,
        phase_description=None if rule is None else rule.description,
        kappa=float(kappa),
        parameters=params,
    )


def _slack(available: float) -> float:
    return 1e-12 * max(abs(available), 1.0)


def _binding(granted: np.ndarray, claims: SurplusClaims, rule: SurplusRule | None) -> np.ndarray:
    a = claims.application
    labels = np.full(len(a), "full", dtype=object)
    if rule is not None:
        cut = granted < a - _FULL_TOLERANCE
        labels[cut] = rule.label
        if rule.excess_label is not None:
            labels[cut & (claims.excess_equity > 0)] = rule.excess_label
    labels[a == 0] = "not-applied"
    return labels


# --- the validation gate -------------------------------------------------------------


def _validate(
    applications: object,
    available: object,
    params: Parameters,
    policy: object,
    units: pd.DataFrame | None,
    solver: object,
    municipal_extra: object,
    regional_extra: object,
    returned: object,
    decided: object,
    kappa: object,
) -> _Checked:
    """Every check of redistribute()'s input, before any arithmetic."""
    if not isinstance(params, Parameters):
        raise InputError(
            f"params must be Parameters, got {type(params).__name__}",
            sv=f"params måste vara Parameters, inte {type(params).__name__}",
        )
    if not isinstance(policy, str) or policy not in SURPLUS_POLICIES:
        known = ", ".join(f"'{p}'" for p in SURPLUS_POLICIES)
        raise InputError(
            f"unknown surplus policy {policy!r}; choose one of {known}",
            sv=f"okänd princip för ofördelade medel {policy!r}; välj någon av "
            f"{_choices(SURPLUS_POLICIES)}",
            column="policy",
        )
    if policy in _USES_EQUITY and params.staircase is None:
        raise InputError(
            f"policy '{policy}' cuts by excess equity, which needs parameters.staircase (the "
            "staircase of reasonable equity); give one, or choose 'proportional' or 'by-key'",
            sv=f"principen {term(policy, 'sv')} minskar efter överskjutande eget kapital, som "
            "kräver trappan för rimligt eget kapital (parameters.staircase); ange en trappa, "
            f"eller välj {_choices(('proportional', 'by-key'), 'eller')}",
            column="policy",
        )
    if not isinstance(solver, str) or solver not in SOLVERS:
        known = ", ".join(f"'{s}'" for s in SOLVERS)
        raise InputError(
            f"unknown solver {solver!r}; choose one of {known}",
            sv=f"okänd lösare {solver!r}; välj någon av {_choices(SOLVERS)}",
            column="solver",
        )
    k = _number(kappa, "kappa")
    money = _money(available, decided, params)

    table = None if units is None else validate_units(units, params)
    if table is None and params.staircase is not None:
        raise InputError(
            "parameters.staircase is set, so redistribute() needs units= (the unit table "
            "with equity and turnover) to find each unit's excess equity",
            sv="parameters.staircase är angiven, så redistribute() behöver units= "
            "(förbundstabellen med eget kapital och omsättning) för att räkna ut varje förbunds "
            "överskjutande eget kapital",
            column="units",
        )
    if table is None and policy == "by-key":
        raise InputError(
            "policy 'by-key' needs units= (the unit table) for the need key",
            sv=f"principen {term('by-key', 'sv')} behöver units= (förbundstabellen) för "
            "behovsnyckeln",
            column="units",
        )

    applications, municipal_extra, regional_extra = _from_table(
        applications, municipal_extra, regional_extra
    )
    apps = _series(applications, "application")
    back = _returned_series(returned)
    ids = apps.index.append(back.index.difference(apps.index, sort=False))
    if table is not None:
        ids = table.ids
        if isinstance(available, Allocation):
            _same_units(ids, available.ids)
    a = _amounts(apps, ids, "application", missing=0.0, known_ids=table is not None)
    given_back, decided_amounts = _returns(back, a, ids, money, table is not None)
    amount = money.leftover + float(given_back.sum())
    municipal = _amounts(
        _series(municipal_extra, "municipal_extra"), ids, "municipal_extra", missing=np.inf
    )
    regional = _amounts(
        _series(regional_extra, "regional_extra"), ids, "regional_extra", missing=np.inf
    )
    cap = 2.0 * np.minimum(municipal, regional)
    over = a > cap * (1.0 + _MATCH_TOLERANCE)
    if over.any():
        i = int(np.flatnonzero(over)[0])
        raise InputError(
            f"{describe_units(list(ids[over]))}: application {a[i]:,.0f} kr exceeds "
            f"2 × min(municipal_extra, regional_extra) = {cap[i]:,.0f} kr (the state pays "
            "at most twice the smaller of the municipalities' and the region's extra match)",
            sv=f"{describe_units(list(ids[over]), 'sv')}: {SWEDISH_HEADERS['application']} "
            f"{format_kronor(a[i], 'sv')} är mer än 2 × min({SWEDISH_HEADERS['municipal_extra']}, "
            f"{SWEDISH_HEADERS['regional_extra']}) = {format_kronor(cap[i], 'sv')} (staten "
            "betalar högst dubbelt så mycket som det minsta av kommunernas och regionens extra "
            "bidrag)",
            column="application",
            units=list(ids[over]),
        )

    n = len(ids)
    if table is None:
        excess, turnover, key = np.zeros(n), np.full(n, np.nan), np.full(n, np.nan)
    else:
        excess = table.excess_equity(params)
        turnover = np.asarray(table.turnover, dtype=float)
        key = compute_quantities(table, params).key
    if policy == "equity-penalty":
        no_turnover = (excess > 0) & (a > 0) & ~(turnover > 0)
        if no_turnover.any():
            raise InputError(
                f"{describe_units(list(ids[no_turnover]))}: turnover must be > 0 under "
                "policy 'equity-penalty' (the penalty is excess equity / turnover)",
                sv=f"{describe_units(list(ids[no_turnover]), 'sv')}: "
                f"{SWEDISH_HEADERS['turnover']} måste vara > 0 med principen "
                f"{term('equity-penalty', 'sv')} (avdraget är överskjutande eget kapital / "
                "omsättning)",
                column="turnover",
                units=list(ids[no_turnover]),
            )
    claims = SurplusClaims(a, excess, turnover, key, amount, k)
    decided_total = None if money.decided is None else math.fsum(money.decided)
    return _Checked(
        ids, claims, cap, SURPLUS_POLICIES[policy], given_back, decided_amounts, decided_total
    )


def _money(available: object, decided: object, params: Parameters) -> _Money:
    """The leftover and the decided amounts, which must add up to the budget."""
    if isinstance(available, Allocation):
        if decided is not None:
            raise InputError(
                "decided is given twice: by the Allocation and as an argument",
                sv="de beslutade beloppen (decided) anges två gånger: av Allocation och som "
                "argument",
                column="decided",
            )
        if available.parameters.budget != params.budget:
            raise InputError(
                f"params.budget ({params.budget:,.0f} kr) is not the budget the Allocation was "
                f"decided with ({available.parameters.budget:,.0f} kr): pass that year's "
                "parameters",
                sv=f"params.budget ({format_kronor(params.budget, 'sv', ore=True)}) är inte "
                "budgeten som Allocation beslutades med "
                f"({format_kronor(available.parameters.budget, 'sv', ore=True)}): ange det årets "
                "parametrar",
                column="budget",
            )
        # ≥ 0: the rounded total never exceeds B.
        return _Money(float(available.unallocated), available.table["allocation_rounded"])
    leftover = _number(available, "available")
    if decided is None:
        return _Money(leftover, None)
    amounts = _series(decided, "decided")
    values = _amounts(amounts, amounts.index, "decided", missing=0.0)
    total = math.fsum(values) + leftover
    if abs(total - params.budget) > _CONSERVATION_TOLERANCE:
        raise InputError(
            f"the decided amounts ({math.fsum(values):,.0f} kr) and the amount available "
            f"({leftover:,.0f} kr) add up to {total:,.0f} kr, not the budget "
            f"({params.budget:,.0f} kr): money would be created or lost",
            sv=f"de beslutade beloppen ({format_kronor(math.fsum(values), 'sv')}) och det "
            f"tillgängliga beloppet ({format_kronor(leftover, 'sv')}) blir tillsammans "
            f"{format_kronor(total, 'sv')}, inte budgeten ({format_kronor(params.budget, 'sv')}): "
            "pengar skulle skapas eller försvinna",
            column="decided",
        )
    return _Money(leftover, pd.Series(values, index=amounts.index))


def _same_units(ids: pd.Index, decided: pd.Index) -> None:
    """units= must be the table the Allocation was decided for: a unit left out would take
    its decided amount out of the year's money without a word."""
    missing, extra = decided.difference(ids, sort=False), ids.difference(decided, sort=False)
    if len(missing) or len(extra):
        parts = [
            f"{describe_units(list(missing))} decided but not in units=" if len(missing) else "",
            f"{describe_units(list(extra))} in units= but not decided" if len(extra) else "",
        ]
        parts_sv = [
            f"{describe_units(list(missing), 'sv')} beslutade men inte i units="
            if len(missing)
            else "",
            f"{describe_units(list(extra), 'sv')} i units= men inte beslutade"
            if len(extra)
            else "",
        ]
        raise InputError(
            "units= is not the unit table the Allocation was decided for: "
            + "; ".join(p for p in parts if p),
            sv="units= är inte förbundstabellen som Allocation beslutades för: "
            + "; ".join(p for p in parts_sv if p),
            column="units",
            units=[*missing, *extra],
        )


def _returned_series(returned: object) -> pd.Series:
    if isinstance(returned, (int, float, np.integer, np.floating)) and not isinstance(
        returned, bool
    ):
        raise InputError(
            f"returned must be a table of unit → kronor (e.g. {{'Förbund X': 500_000}}), got the "
            f"bare amount {returned!r}: money is handed back by a unit, from its decided "
            "allocation",
            sv="återlämnade medel (returned) ska vara en tabell förbund → kronor (till exempel "
            f"{{'Förbund X': 500_000}}), inte bara beloppet {returned!r}: pengar lämnas tillbaka "
            "av ett förbund, från dess beslutade tilldelning",
            column="returned",
        )
    return _series(returned, "returned")


def _returns(
    back: pd.Series, application: np.ndarray, ids: pd.Index, money: _Money, known_ids: bool
) -> tuple[np.ndarray, np.ndarray | None]:
    """Funds handed back per unit, each within the unit's decided amount (docs/surplus.md)."""
    given = _amounts(back, ids, "returned", missing=0.0, known_ids=known_ids)
    decided = None if money.decided is None else money.decided.reindex(ids).fillna(0.0)
    if not (given > 0).any():
        return given, None if decided is None else decided.to_numpy(float)
    if decided is None:
        raise InputError(
            "returned needs the decided amounts to check each return against: pass the "
            "final Allocation as available, or decided=",
            sv="återlämnade medel (returned) behöver de beslutade beloppen att pröva varje "
            "återlämnat belopp mot: ange det slutliga beslutet (Allocation) som available, eller "
            "decided=",
            column="returned",
        )
    limit = decided.to_numpy(float)
    over = given > limit + _CONSERVATION_TOLERANCE
    if over.any():
        i = int(np.flatnonzero(over)[0])
        raise InputError(
            f"{describe_units(list(ids[over]))}: returned {given[i]:,.0f} kr exceeds the "
            f"unit's decided allocation of {limit[i]:,.0f} kr",
            sv=f"{describe_units(list(ids[over]), 'sv')}: återlämnat belopp "
            f"{format_kronor(given[i], 'sv')} är mer än förbundets beslutade tilldelning på "
            f"{format_kronor(limit[i], 'sv')}",
            column="returned",
            units=list(ids[over]),
        )
    both = (given > 0) & (application > 0)
    if both.any():
        raise InputError(
            f"{describe_units(list(ids[both]))}: hands money back and applies for more in the "
            "same round; a unit does one or the other (docs/surplus.md)",
            sv=f"{describe_units(list(ids[both]), 'sv')}: lämnar tillbaka pengar och ansöker om "
            "mer i samma omgång; ett förbund gör det ena eller det andra (docs/surplus.md)",
            column="returned",
            units=list(ids[both]),
        )
    return given, limit


def _number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise InputError(
            f"{name} must be a number of kronor, got {value!r}",
            sv=f"{_named(name)} måste vara ett tal, inte {value!r}",
            column=name,
        )
    if not math.isfinite(float(value)) or float(value) < 0:
        raise InputError(
            f"{name} must be finite and ≥ 0, got {value}",
            sv=f"{_named(name)} måste vara ändligt och ≥ 0, inte {_decimal(float(value))}",
            column=name,
        )
    if float(value) > MAX_AMOUNT:
        raise InputError(
            f"{name} must be at most {MAX_AMOUNT:,.0f} kr, got {value:g}",
            sv=f"{_named(name)} får vara högst {format_kronor(MAX_AMOUNT, 'sv')}, inte "
            f"{_decimal(float(value))}",
            column=name,
        )
    return float(value)


_SWEDISH_NAMES = {
    **SWEDISH_HEADERS,
    "decided": "Beslutad tilldelning (decided)",
    "available": "beloppet att fördela (available)",
    "kappa": "κ (kappa)",
}


def _named(column: str) -> str:
    """A column or argument as a Swedish message names it."""
    return _SWEDISH_NAMES.get(column, column)


def _decimal(value: float) -> str:
    """A number as given, with a decimal comma."""
    return f"{value:g}".replace(".", ",")


def _choices(codes: Iterable[str], last: str = "") -> str:
    """Policies or solvers to choose from: the code to type and its Swedish name."""
    named = [f"'{code}' ({term(code, 'sv')})" for code in codes]
    if not last or len(named) < 2:
        return ", ".join(named)
    return f"{', '.join(named[:-1])} {last} {named[-1]}"


def _from_table(
    applications: object, municipal_extra: object, regional_extra: object
) -> tuple[object, object, object]:
    """Applications and the extra matching from an applications table's columns."""
    if not isinstance(applications, pd.DataFrame):
        return applications, municipal_extra, regional_extra
    if "application" not in applications.columns:
        raise InputError(
            "the applications table needs the column 'application' (Ansökan ofördelade medel)",
            sv=f"ansökningstabellen behöver kolumnen '{SWEDISH_HEADERS['application']}'",
            column="application",
        )
    extras = []
    for column, given in (("municipal_extra", municipal_extra), ("regional_extra", regional_extra)):
        if column in applications.columns and given is not None:
            raise InputError(
                f"{column} is given twice: as a column of the applications table and as an "
                "argument",
                sv=f"{_named(column)} anges två gånger: som kolumn i ansökningstabellen och som "
                "argument",
                column=column,
            )
        extras.append(applications[column] if column in applications.columns else given)
    return applications["application"], extras[0], extras[1]


def _series(values: object, column: str) -> pd.Series:
    if values is None:
        return pd.Series(dtype=float)
    if isinstance(values, Mapping) and not isinstance(values, pd.Series):
        values = pd.Series(dict(values), dtype=object)
    if not isinstance(values, pd.Series):
        raise InputError(
            f"{column} must be a pandas Series indexed by unit id, got {type(values).__name__}",
            sv=f"{_named(column)} måste vara en pandas Series med förbundens namn som index, "
            f"inte {type(values).__name__}",
            column=column,
        )
    if values.index.isna().any():
        raise InputError(
            f"{column}: a unit id is missing",
            sv=f"{_named(column)}: ett förbunds namn saknas",
            column=column,
        )
    duplicated = values.index[values.index.duplicated()].unique()
    if len(duplicated):
        raise InputError(
            f"{column}: {describe_units(list(duplicated))} appear(s) more than once",
            sv=f"{_named(column)}: {describe_units(list(duplicated), 'sv')} förekommer mer än "
            "en gång",
            column=column,
            units=list(duplicated),
        )
    return values


def _amounts(
    values: pd.Series, ids: pd.Index, column: str, *, missing: float, known_ids: bool = True
) -> np.ndarray:
    unknown = values.index.difference(ids, sort=False)
    if known_ids and len(unknown):
        raise InputError(
            f"{column}: {describe_units(list(unknown))} not in the unit table",
            sv=f"{_named(column)}: {describe_units(list(unknown), 'sv')} finns inte i "
            "förbundstabellen",
            column=column,
            units=list(unknown),
        )
    numeric = pd.to_numeric(values, errors="coerce")
    bad = (numeric.isna() & values.notna()) | values.map(lambda v: isinstance(v, bool))
    if bad.any():
        where = list(values.index[bad.to_numpy()])
        raise InputError(
            f"{describe_units(where)}: {column} must be a number, got {values[bad].iloc[0]!r}",
            sv=f"{describe_units(where, 'sv')}: {_named(column)} måste vara ett tal, inte "
            f"{values[bad].iloc[0]!r}",
            column=column,
            units=where,
        )
    given = numeric.astype(float).reindex(ids).to_numpy()
    for broken, rule, rule_sv in (
        (np.isinf(given), "must be finite", "måste vara ändligt"),
        (given < 0, "must be ≥ 0", "måste vara ≥ 0"),
        (
            given > MAX_AMOUNT,
            f"must be at most {MAX_AMOUNT:,.0f} kr",
            f"får vara högst {format_kronor(MAX_AMOUNT, 'sv')}",
        ),
    ):
        if broken.any():
            where = list(ids[broken])
            raise InputError(
                f"{describe_units(where)}: {column} {rule}, got {given[broken][0]:g}",
                sv=f"{describe_units(where, 'sv')}: {_named(column)} {rule_sv}, inte "
                f"{_decimal(given[broken][0])}",
                column=column,
                units=where,
            )
    return np.where(np.isnan(given), missing, given)
