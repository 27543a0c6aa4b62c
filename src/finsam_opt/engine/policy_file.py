"""Deficit policies written down: a TOML file of phases built from the built-in phase kinds.

A declared policy is a list of ``[[phase]]`` tables, tried in order as every
policy's phases are (docs/model.md). Each phase starts where the one before it
ended (its upper bound is the previous phase's lower bound; the first starts
at the target) and is one of four kinds, with parameters::

    name = "limit-20-then-gains"

    [[phase]]
    kind = "raise-limit"      # protected units cut by λ·prev, never below their capped ideal
    at_most = 0.20            # ... nor below (1 − 0.20)·prev: the limit rises to at most 20 %

    [[phase]]
    kind = "scale-gains"      # those floors kept; other units' gains above theirs scaled

    [[phase]]
    kind = "relax-floors"     # floors relaxed in proportion to prev, never below the base amount

``scale-protection`` cuts every protected unit's protection (start − capped
ideal) by the same fraction; ``keep = 0.5`` keeps at least half of it, and
``weight = "need"`` cuts in proportion to the need key instead. A policy must
end with a phase that can always place the budget (``raise-limit`` without
``at_most``, ``scale-protection`` with ``keep = 0``, or ``relax-floors``); every
mistake is an :class:`~finsam_opt.errors.InputError` naming the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np

from finsam_opt._compat import StrEnum, tomllib
from finsam_opt.engine.damping import Phase
from finsam_opt.engine.model import Quantities
from finsam_opt.errors import InputError
from finsam_opt.language.words import term

__all__ = ["DeclaredPhase", "PhaseWeight", "StepKind", "parse_declaration", "read_declaration"]


class StepKind(StrEnum):
    """The phase kinds a declared policy is composed of.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> [str(kind) for kind in fo.StepKind]
    ['raise-limit', 'scale-protection', 'scale-gains', 'relax-floors']
    """

    RAISE_LIMIT = "raise-limit"
    """Protected units lose the same λ·prev, never below their capped ideal (nor ``at_most``)."""
    SCALE_PROTECTION = "scale-protection"
    """Protected units lose the same fraction of their protection (or λ·key, by need)."""
    SCALE_GAINS = "scale-gains"
    """Protected units keep where they start; the others' gains above floor and base are scaled."""
    RELAX_FLOORS = "relax-floors"
    """Everyone's starting amount is cut by λ·prev, never below the base amount."""


class PhaseWeight(StrEnum):
    """How fast a ``scale-protection`` phase cuts each protected unit.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> fo.PhaseWeight("need") is fo.PhaseWeight.NEED
    True
    """

    PROTECTION = "protection"
    """In proportion to its protection: every unit keeps the same fraction."""
    NEED = "need"
    """In proportion to its need key: a unit with twice the key loses twice the kronor."""


_PARAMETERS: dict[StepKind, tuple[str, ...]] = {
    StepKind.RAISE_LIMIT: ("at_most",),
    StepKind.SCALE_PROTECTION: ("keep", "weight"),
    StepKind.SCALE_GAINS: (),
    StepKind.RELAX_FLOORS: (),
}


@dataclass(frozen=True)
class DeclaredPhase:
    """One phase of a declared policy; callable as a :class:`PhaseRule`'s ``bounds``.

    Parameters
    ----------
    kind : StepKind
        What the phase does.
    at_most : float, optional
        ``raise-limit`` only: the largest decrease limit (0.20 is 20 %); no unit is
        cut below ``(1 − at_most)·prev``. None: down to the capped ideal.
    keep : float
        ``scale-protection`` only: the fraction of its protection every unit keeps
        whatever the cut, in [0, 1).
    weight : PhaseWeight
        ``scale-protection`` only: cut in proportion to the protection or the need key.
    line : int, optional
        The line of the file the phase was declared on (for messages).

    Examples
    --------
    >>> import finsam_opt as fo
    >>> half = fo.DeclaredPhase("scale-protection", keep=0.5)
    >>> policy = fo.Policy("keep-half", (fo.PhaseRule("keep half", half),))
    >>> result = fo.allocate(fo.example_units(), fo.Parameters(budget=21_000_000), policy)
    >>> result.table["allocation_rounded"].tolist()  # kronor
    [9261111, 4703555, 2500000, 1947222, 2588112]
    """

    kind: StepKind
    at_most: float | None = None
    keep: float = 0.0
    weight: PhaseWeight = PhaseWeight.PROTECTION
    line: int | None = None

    def __post_init__(self) -> None:
        where = ("", "") if self.line is None else (f"line {self.line}: ", f"rad {self.line}: ")
        object.__setattr__(self, "kind", _member(StepKind, self.kind, where))
        object.__setattr__(self, "weight", _member(PhaseWeight, self.weight, where))
        if self.at_most is not None and not _fraction(self.at_most, closed=True):
            raise InputError(
                f"{where[0]}at_most must be a number from 0 to 1, got {self.at_most!r}",
                sv=f"{where[1]}at_most måste vara ett tal från 0 till 1, inte {self.at_most!r}",
                column="at_most",
            )
        if not _fraction(self.keep, closed=False):
            raise InputError(
                f"{where[0]}keep must be a number from 0 up to (not including) 1, "
                f"got {self.keep!r}",
                sv=f"{where[1]}keep måste vara ett tal från 0 upp till (men inte) 1, "
                f"inte {self.keep!r}",
                column="keep",
            )
        object.__setattr__(self, "keep", float(self.keep))
        if self.at_most is not None:
            object.__setattr__(self, "at_most", float(self.at_most))

    @property
    def complete(self) -> bool:
        """The phase can always place the budget (its lower bounds sum to at most Σ min(I, u))."""
        if self.kind is StepKind.RAISE_LIMIT:
            return self.at_most is None
        if self.kind is StepKind.SCALE_PROTECTION:
            return self.keep == 0.0
        return self.kind is StepKind.RELAX_FLOORS

    def arrays(self, q: Quantities, start: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(hi, lo, weight)`` of the phase starting from ``start`` (kronor, any shape)."""
        hi = start
        protected = start > q.capped
        if self.kind is StepKind.RAISE_LIMIT:
            lo = q.capped
            if self.at_most is not None:
                lo = np.maximum(lo, (1.0 - self.at_most) * q.previous)
            return hi, np.minimum(lo, hi), np.where(protected, q.previous, 0.0)
        if self.kind is StepKind.SCALE_PROTECTION:
            protection = np.where(protected, start - q.capped, 0.0)
            lo = np.minimum(q.capped + self.keep * protection, hi)
            if self.weight is PhaseWeight.NEED:
                return hi, lo, np.where(protected, q.key, 0.0)
            return hi, lo, protection
        if self.kind is StepKind.SCALE_GAINS:
            lo = np.minimum(np.where(protected, start, np.maximum(q.floor, q.base)), hi)
            return hi, lo, hi - lo
        lo = np.minimum(q.base, hi)
        return hi, lo, np.where(hi > lo, q.previous, 0.0)

    def __call__(self, q: Quantities, previous: Phase | None) -> Phase:
        hi, lo, weight = self.arrays(q, q.target if previous is None else previous.lo)
        return Phase(hi=hi, lo=lo, weight=weight)


_Member = TypeVar("_Member", StepKind, PhaseWeight)


_SWEDISH_KINDS: dict[str, str] = {
    **{kind: str(term(kind, "sv")) for kind in ("raise-limit", "scale-protection", "scale-gains")},
    "relax-floors": "sänkta golv",
    "protection": "efter skyddet",
    "need": "efter behovet",
}


def _named(value: object) -> str:
    """A phase kind or weight as a Swedish message names it: its meaning and the keyword."""
    return f"{_SWEDISH_KINDS[str(value)]} ('{value}')"


def _member(enum: type[_Member], value: object, where: tuple[str, str]) -> _Member:
    try:
        return enum(value)
    except ValueError:
        known = ", ".join(f"'{m}'" for m in enum)
        kind = enum is StepKind
        raise InputError(
            f"{where[0]}unknown {'phase kind' if kind else 'weight'} {value!r}; "
            f"choose one of {known}",
            sv=f"{where[1]}okänd {'typ av fas' if kind else 'vikt'} {value!r}; välj någon av "
            + ", ".join(map(_named, enum)),
            column="kind" if kind else "weight",
        ) from None


def _fraction(value: object, *, closed: bool) -> bool:
    # A numpy number is a number (np.float32 too); a bool, also numpy's, is not.
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, np.integer, np.floating)
    ):
        return False
    return bool(0.0 <= value <= 1.0 if closed else 0.0 <= value < 1.0)


def parse_declaration(
    text: str, *, name: str | None = None, source: str = "policy"
) -> tuple[str, tuple[DeclaredPhase, ...]]:
    """The name and phases of a TOML policy declaration, validated.

    :func:`finsam_opt.policy_from_toml` builds the :class:`~finsam_opt.Policy`;
    ``name`` is used when the text gives none and ``source`` names the text in
    messages.
    """
    lines = text.splitlines()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(
            f"{source}: not valid TOML: {error}",
            sv=f"{source}: inte giltig TOML: {error}",
            column="policy",
        ) from None
    unknown = sorted(set(data) - {"name", "phase", "description"})
    if unknown:
        line = _line_of(lines, unknown[0])
        raise InputError(
            f"{source}: line {line}: unknown key {unknown[0]!r}; "
            "a policy has 'name', 'description' and [[phase]] tables",
            sv=f"{source}: rad {line}: okänd nyckel {unknown[0]!r}; en princip har 'name', "
            "'description' och [[phase]]-tabeller",
            column="policy",
        )
    declared_name = data.get("name", name)
    if not isinstance(declared_name, str) or not declared_name.strip():
        line = _line_of(lines, "name")
        raise InputError(
            f'{source}: line {line}: the policy needs a name (name = "…")',
            sv=f'{source}: rad {line}: principen behöver ett namn (name = "…")',
            column="policy",
        )
    tables = data.get("phase")
    if not isinstance(tables, list) or not tables:
        raise InputError(
            f"{source}: declares no phase; add at least one [[phase]] table with a kind",
            sv=f"{source}: anger ingen fas; lägg till minst en [[phase]]-tabell med en kind",
            column="policy",
        )
    starts = [i + 1 for i, line in enumerate(lines) if re.match(r"\s*\[\[\s*phase\s*\]\]", line)]
    phases = [
        _phase(table, lines, starts[k] if k < len(starts) else None, source)
        for k, table in enumerate(tables)
    ]
    if phases[0].kind is StepKind.RELAX_FLOORS:
        raise InputError(
            f"{source}: line {phases[0].line}: relax-floors relaxes the floors a phase before it "
            "kept, so it cannot come first",
            sv=f"{source}: rad {phases[0].line}: {_named('relax-floors')} sänker golv som en "
            "tidigare fas har hållit, så den kan inte komma först",
            column="kind",
        )
    if not phases[-1].complete:
        raise InputError(
            f"{source}: line {phases[-1].line}: the last phase ({phases[-1].kind}) keeps some "
            "units above their capped ideal or floor, so the policy cannot always place the "
            "budget; end with raise-limit without at_most, scale-protection with keep = 0, "
            "or relax-floors",
            sv=f"{source}: rad {phases[-1].line}: den sista fasen, {_named(phases[-1].kind)}, "
            "håller några förbund över sitt ideal inom taket eller sitt golv, så principen kan "
            f"inte alltid fördela budgeten; avsluta med {_named('raise-limit')} utan at_most, "
            f"{_named('scale-protection')} med keep = 0, eller {_named('relax-floors')}",
            column="policy",
        )
    return declared_name.strip(), tuple(phases)


def read_declaration(path: str | Path) -> tuple[str, tuple[DeclaredPhase, ...]]:
    """:func:`parse_declaration` of a UTF-8 file; the name defaults to the file's stem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(
            f"{path}: cannot read the policy file: {error}",
            sv=f"{path}: kan inte läsa filen med principen: {error}",
            column="policy",
        ) from None
    return parse_declaration(text, name=path.stem, source=str(path))


def _line_of(lines: list[str], key: str, start: int = 1) -> int:
    """The first line at or after ``start`` (1-based) that assigns ``key``."""
    pattern = re.compile(rf"\s*{re.escape(key)}\s*=")
    for number in range(start, len(lines) + 1):
        if pattern.match(lines[number - 1]):
            return number
    return start


def _phase(table: object, lines: list[str], line: int | None, source: str) -> DeclaredPhase:
    where = (f"{source}: line {line}", f"{source}: rad {line}") if line else (source, source)
    if not isinstance(table, Mapping):
        raise InputError(
            f"{where[0]}: a phase must be a [[phase]] table",
            sv=f"{where[1]}: en fas måste vara en [[phase]]-tabell",
            column="policy",
        )
    if "kind" not in table:
        raise InputError(
            f"{where[0]}: the phase has no kind; give kind = one of "
            + ", ".join(f"'{k}'" for k in StepKind),
            sv=f"{where[1]}: fasen saknar kind; ange kind = någon av "
            + ", ".join(map(_named, StepKind)),
            column="kind",
        )
    start = line or 1
    kind_line = _line_of(lines, "kind", start)
    kind = _member(
        StepKind, table["kind"], (f"{source}: line {kind_line}: ", f"{source}: rad {kind_line}: ")
    )
    allowed = _PARAMETERS[kind]
    for key in table:
        if key != "kind" and key not in allowed:
            takes = ", ".join(allowed) if allowed else "no parameters"
            at = _line_of(lines, key, start)
            raise InputError(
                f"{source}: line {at}: {kind} does not take {key!r} (it takes {takes})",
                sv=f"{source}: rad {at}: {_named(kind)} tar inte {key!r} "
                f"({'den tar ' + ', '.join(allowed) if allowed else 'den tar inga parametrar'})",
                column=str(key),
            )
    parameters = {key: table[key] for key in allowed if key in table}
    try:
        return DeclaredPhase(kind, line=kind_line, **parameters)
    except InputError as error:
        key = error.column or "kind"
        at = _line_of(lines, key, start)
        message = re.sub(r"^line \d+: ", "", str(error))
        message_sv = re.sub(r"^rad \d+: ", "", error.text("sv"))
        raise InputError(
            f"{source}: line {at}: {message}", sv=f"{source}: rad {at}: {message_sv}", column=key
        ) from None
