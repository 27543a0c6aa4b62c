"""Deficit policies as lists of damping phases (docs/model.md).

A policy is data: a name and a tuple of :class:`PhaseRule`. Each rule turns the
model quantities (and the previous phase, for chained phases) into a
:class:`~finsam_opt.engine.damping.Phase`. The first phase whose lower bounds fit in
the budget is solved; later phases relax further only when earlier ones cannot
fit. A user defines a custom policy the same way::

    def keep_half(q, previous):
        return Phase(hi=q.target, lo=(q.capped + q.target) / 2, weight=q.target - q.capped)

    policy = Policy("keep-half", (PhaseRule("keep half of the protection", keep_half),))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from finsam_opt.engine.damping import Phase, PhaseKind
from finsam_opt.engine.model import Quantities
from finsam_opt.engine.policy_file import (
    DeclaredPhase,
    PhaseWeight,
    StepKind,
    parse_declaration,
    read_declaration,
)
from finsam_opt.errors import FinsamError, InputError, describe_units
from finsam_opt.language.numbers import format_kronor
from finsam_opt.language.words import TERMS, term

__all__ = [
    "DEFICIT_POLICIES",
    "PhaseRule",
    "Policy",
    "checked_phase",
    "checked_policy",
    "policy_from_toml",
    "read_policy",
    "resolve_policy",
]

BoundsFn = Callable[[Quantities, "Phase | None"], Phase]


@dataclass(frozen=True)
class PhaseRule:
    """One phase of a policy.

    Parameters
    ----------
    description : str
        What the phase does, in a sentence (shown in results).
    bounds : callable
        ``bounds(quantities, previous_phase) -> Phase``; ``previous_phase`` is the
        phase before this one in the policy, or None for the first.
    relaxes_limit : bool
        The rate λ is a uniform raise of the decrease limit (the effective limit is
        ``decrease_limit + λ``).
    keeps_floors : bool
        The phase never cuts a unit below its floor (the limit stays in force).

    Examples
    --------
    A phase that lets every protected unit keep half of its protection (kronor):

    >>> import finsam_opt as fo
    >>> def keep_half(q, previous):  # q: the model quantities, kronor per unit
    ...     return fo.Phase(hi=q.target, lo=(q.capped + q.target) / 2, weight=q.target - q.capped)
    >>> policy = fo.Policy("keep-half", (fo.PhaseRule("keep half of the protection", keep_half),))
    >>> result = fo.allocate(fo.example_units(), fo.Parameters(budget=21_000_000), policy)
    >>> result.table["allocation_rounded"].tolist()
    [9261111, 4703555, 2500000, 1947222, 2588112]
    """

    description: str
    bounds: BoundsFn
    relaxes_limit: bool = False
    keeps_floors: bool = False


@dataclass(frozen=True)
class Policy:
    """A named deficit policy: phases tried in order until one fits the budget.

    Parameters
    ----------
    name : str
        The policy's name, as reported in ``Allocation.policy``.
    phases : tuple of PhaseRule
        The phases, in the order they are tried; at least one.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> built_in = fo.DEFICIT_POLICIES["scale-gains"]
    >>> built_in.name, len(built_in.phases)
    ('scale-gains', 2)
    >>> renamed = fo.Policy("gains-first", built_in.phases)
    >>> fo.allocate(fo.example_units(), fo.Parameters(budget=20_000_000), renamed).policy
    'gains-first'
    """

    name: str
    phases: tuple[PhaseRule, ...]

    def __post_init__(self) -> None:
        if not self.phases:
            raise InputError(
                f"policy {self.name!r} has no phases",
                sv=f"principen {_swedish_name(self.name)} har inga faser",
                column="policy",
            )

    @classmethod
    def from_toml(cls, path: str | Path) -> Policy:
        """The policy declared in a TOML file (see :func:`finsam_opt.read_policy`).

        Parameters
        ----------
        path : str or pathlib.Path
            The ``.toml`` declaration; its name defaults to the file's stem.

        Returns
        -------
        Policy

        Examples
        --------
        >>> import pathlib, tempfile, finsam_opt as fo
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "gains.toml"
        >>> _ = path.write_text(
        ...     '[[phase]]\\nkind = "scale-gains"\\n[[phase]]\\nkind = "relax-floors"\\n',
        ...     encoding="utf-8",
        ... )
        >>> policy = fo.Policy.from_toml(path)
        >>> result = fo.allocate(fo.example_units(), fo.Parameters(budget=20_000_000), policy)
        >>> result.table["allocation_rounded"].tolist()  # kronor, as built-in 'scale-gains'
        [8389403, 5400000, 2500000, 1010597, 2700000]
        """
        return read_policy(path)


def _raise_limit(q: Quantities, previous: Phase | None) -> Phase:
    return Phase(hi=q.target, lo=q.capped, weight=np.where(q.protected, q.previous, 0.0))


def _scale_protection(q: Quantities, previous: Phase | None) -> Phase:
    return Phase(hi=q.target, lo=q.capped, weight=q.target - q.capped)


def _scale_gains(q: Quantities, previous: Phase | None) -> Phase:
    lo = np.where(q.protected, q.target, np.maximum(q.floor, q.base))
    return Phase(hi=q.target, lo=lo, weight=q.target - lo)


def _relax_floors(q: Quantities, previous: Phase | None) -> Phase:
    if previous is None:
        raise InputError(
            "the floor-relaxing phase of 'scale-gains' needs a phase before it",
            sv=f"fasen som sänker golven i {_swedish_name('scale-gains')} behöver en fas före sig",
        )
    above_base = previous.lo > q.base
    return Phase(hi=previous.lo, lo=q.base, weight=np.where(above_base, q.previous, 0.0))


DEFICIT_POLICIES: dict[str, Policy] = {
    "raise-limit": Policy(
        "raise-limit",
        (
            PhaseRule(
                "the decrease limit is raised by the same amount for every protected unit, "
                "never below its capped ideal",
                _raise_limit,
                relaxes_limit=True,
            ),
        ),
    ),
    "scale-protection": Policy(
        "scale-protection",
        (
            PhaseRule(
                "every protected unit keeps the same fraction of its protection",
                _scale_protection,
            ),
        ),
    ),
    "scale-gains": Policy(
        "scale-gains",
        (
            PhaseRule(
                "floors kept; other units' gains above their floor and the base amount are "
                "scaled by the same factor",
                _scale_gains,
                keeps_floors=True,
            ),
            PhaseRule(
                "the floors alone exceed the budget: floors relaxed in proportion to last "
                "year's allocation, never below the base amount",
                _relax_floors,
            ),
        ),
    ),
}
"""The built-in deficit policies by name; ``raise-limit`` is the default."""


_RELATIVE = 1e-9  # of the budget, as the re-check (finsam_opt.engine.verify) allows


def checked_phase(
    policy: Policy,
    number: int,
    q: Quantities,
    previous: Phase | None,
    budget: float,
    ids: pd.Index,
) -> Phase:
    """Phase ``number`` (1-based) of ``policy`` for the quantities ``q``, checked.

    What a policy's rule returns must be a damping :class:`Phase` with one value
    per unit, lower bounds ≥ 0, upper bounds within the matching cap and adding up
    to at least the budget: otherwise the solved allocation would break the
    matching law, be negative or miss the budget, and the re-check would refuse
    it without saying whose mistake it was.

    Raises
    ------
    InputError
        Naming the policy, the phase and what its rule returned wrong, with the fix;
        also when the rule itself raises (the cause is chained).
    """
    rule = policy.phases[number - 1]
    where = f"policy {policy.name!r}, phase {number} ({rule.description!r})"
    var = f"policyn {policy.name!r}, fas {number} ({rule.description!r})"
    try:
        phase = rule.bounds(q, previous)
    except Exception as error:  # a user's rule: name it, keep its cause
        kind = "" if isinstance(error, FinsamError) else f"{type(error).__name__}: "
        swedish = error.text("sv") if isinstance(error, FinsamError) else str(error)
        raise InputError(
            f"{where}: {kind}{error}", sv=f"{var}: {kind}{swedish}", column="policy"
        ) from error
    problem = _phase_problem(phase, q, budget, ids)
    if problem is not None:
        raise InputError(f"{where}: {problem[0]}", sv=f"{var}: {problem[1]}", column="policy")
    assert isinstance(phase, Phase)  # _phase_problem said so
    return phase


def _phase_problem(
    phase: object, q: Quantities, budget: float, ids: pd.Index
) -> tuple[str, str] | None:
    """What is wrong with what a rule returned, in English and Swedish; None: nothing."""
    fix = (
        "return fo.Phase(hi=..., lo=..., weight=...) with one value per unit",
        "returnera fo.Phase(hi=..., lo=..., weight=...) med ett värde per förbund",
    )
    if not isinstance(phase, Phase):
        name = type(phase).__name__
        return (
            f"the rule returned {name}, not a Phase; {fix[0]}",
            f"regeln gav {name}, inte en Phase; {fix[1]}",
        )
    n, got = len(q.target), len(phase.hi)
    if got != n:
        built = "(q.target, q.capped, q.previous, …)"
        return (
            f"the rule returned bounds for {got} units, but there are {n}; {fix[0]}, built "
            f"from the quantities {built}",
            f"regeln gav gränser för {got} förbund, men det finns {n}; {fix[1]}, byggd av "
            f"storheterna {built}",
        )
    if phase.kind is not PhaseKind.DAMP:
        return (
            f"the rule returned a {phase.kind} phase; a deficit phase cuts from hi towards lo "
            "(kind='damp', the default)",
            f"regeln gav en fas av typen {phase.kind}; en underskottsfas skär ned från hi mot lo "
            "(kind='damp', standard)",
        )
    tol = _RELATIVE * max(budget, 1.0)
    for broken, english, swedish in (
        (
            phase.lo < -tol,
            "a negative lower bound; every unit keeps at least 0 kr (lo ≥ 0)",
            "en negativ undre gräns; varje förbund behåller minst 0 kr (lo ≥ 0)",
        ),
        (
            phase.hi > q.cap + tol,
            "an upper bound above its matching cap (q.cap): no unit may get more than the "
            "matching allows; start from q.target, which never exceeds it",
            "en övre gräns över taket enligt matchningen (q.cap): inget förbund får mer än "
            "matchningen tillåter; börja från q.target, som aldrig överstiger taket",
        ),
    ):
        if broken.any():
            units = list(ids[broken])
            return (
                f"{describe_units(units)}: {english}",
                f"{describe_units(units, 'sv')}: {swedish}",
            )
    top = float(phase.hi.sum())
    if top < budget - tol:
        return (
            f"the upper bounds add up to {format_kronor(top, 'en')}, less than the budget "
            f"{format_kronor(budget, 'en')}, so the budget could not be spent; a deficit phase "
            "starts from amounts above the budget (q.target, or the phase before's lo) and "
            "cuts them down",
            f"de övre gränserna summerar till {format_kronor(top)}, mindre än budgeten "
            f"{format_kronor(budget)}, så budgeten kan inte fördelas; en underskottsfas börjar "
            "från belopp över budgeten (q.target, eller lo från fasen före) och skär ned dem",
        )
    return None


def checked_policy(policy: Policy, budget: float, ids: pd.Index) -> Policy:
    """``policy`` with every phase built through :func:`checked_phase`."""
    return Policy(
        policy.name,
        tuple(
            replace(rule, bounds=partial(checked_phase, policy, number, budget=budget, ids=ids))
            for number, rule in enumerate(policy.phases, start=1)
        ),
    )


def resolve_policy(policy: str | Path | Policy) -> Policy:
    """A :class:`Policy` from a built-in name, a ``.toml`` declaration or a policy object."""
    if isinstance(policy, Policy):
        return policy
    if isinstance(policy, Path) or (isinstance(policy, str) and policy.endswith(".toml")):
        return Policy.from_toml(policy)
    try:
        return DEFICIT_POLICIES[policy]
    except (KeyError, TypeError):
        known = ", ".join(f"'{p}'" for p in DEFICIT_POLICIES)
        raise InputError(
            f"unknown deficit policy {policy!r}; choose one of {known}, a .toml policy file "
            "or a Policy",
            sv=f"okänd princip för underskott {policy!r}; välj en av "
            + ", ".join(map(_swedish_name, DEFICIT_POLICIES))
            + ", en .toml-fil med en princip eller en Policy",
            column="policy",
        ) from None


def _swedish_name(name: str) -> str:
    """A policy as a Swedish message names it: its Swedish name and the name to write."""
    return f"{term(name, 'sv')} ('{name}')" if name in TERMS else repr(name)


_DESCRIPTIONS = {
    StepKind.RAISE_LIMIT: "the decrease limit is raised by the same amount for every protected "
    "unit, never below its capped ideal",
    StepKind.SCALE_PROTECTION: "every protected unit keeps the same fraction of its protection",
    StepKind.SCALE_GAINS: "floors kept; other units' gains above their floor and the base "
    "amount are scaled by the same factor",
    StepKind.RELAX_FLOORS: "floors relaxed in proportion to last year's allocation, never below "
    "the base amount",
}


def _describe(phase: DeclaredPhase) -> str:
    text = _DESCRIPTIONS[phase.kind]
    if phase.at_most is not None:
        text += f", to at most {phase.at_most:.0%}"
    if phase.keep:
        text += f", keeping at least {phase.keep:.0%} of it"
    if phase.weight is PhaseWeight.NEED:
        text = "every protected unit loses protection in proportion to its need key"
    return text


def _declared_policy(name: str, phases: tuple[DeclaredPhase, ...]) -> Policy:
    # The reported limit is d + λ* (raise-limit) or d (scale-gains) only when the first
    # phase is solved: a later phase starts from relaxed amounts, not from the targets.
    rules = tuple(
        PhaseRule(
            _describe(phase),
            phase,
            relaxes_limit=number == 0 and phase.kind is StepKind.RAISE_LIMIT,
            keeps_floors=number == 0 and phase.kind is StepKind.SCALE_GAINS,
        )
        for number, phase in enumerate(phases)
    )
    return Policy(name, rules)


def policy_from_toml(text: str, *, name: str | None = None, source: str = "policy") -> Policy:
    """A :class:`Policy` from the text of a TOML policy declaration.

    The declaration is an optional top-level ``name`` and one ``[[phase]]`` table
    per phase, each with a ``kind`` (:class:`~finsam_opt.StepKind`) and that
    kind's parameters (see :class:`~finsam_opt.DeclaredPhase`); each phase starts
    where the one before it ended, the first at the target.

    Parameters
    ----------
    text : str
        The declaration.
    name : str, optional
        The policy's name when the text gives none.
    source : str
        What to call the text in messages (a file name).

    Returns
    -------
    Policy

    Raises
    ------
    InputError
        A syntax error, an unknown key or kind, a parameter out of range, a
        ``relax-floors`` phase first, or a last phase that cannot always place
        the budget; the message names the source and line.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> text = '''
    ... name = "limit-20-then-gains"
    ... [[phase]]
    ... kind = "raise-limit"
    ... at_most = 0.20
    ... [[phase]]
    ... kind = "scale-gains"
    ... [[phase]]
    ... kind = "relax-floors"
    ... '''
    >>> policy = fo.policy_from_toml(text)
    >>> result = fo.allocate(fo.example_units(), fo.Parameters(budget=20_000_000), policy)
    >>> result.policy, result.phase
    ('limit-20-then-gains', 2)
    """
    return _declared_policy(*parse_declaration(text, name=name, source=source))


def read_policy(path: str | Path) -> Policy:
    """A :class:`Policy` declared in a TOML file; its name defaults to the file's stem.

    Parameters
    ----------
    path : str or pathlib.Path
        The ``.toml`` file (UTF-8), as for :func:`policy_from_toml`.

    Returns
    -------
    Policy

    Raises
    ------
    InputError
        The file is missing or unreadable, or its declaration is invalid (see
        :func:`policy_from_toml`), naming the file and line.

    Examples
    --------
    >>> import pathlib, tempfile, finsam_opt as fo
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "keep-half.toml"
    >>> _ = path.write_text('[[phase]]\\nkind = "scale-protection"\\n', encoding="utf-8")
    >>> fo.read_policy(path).name
    'keep-half'
    """
    return _declared_policy(*read_declaration(path))
