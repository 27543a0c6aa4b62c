"""Year-specific changes to the unit table in a simulation: units join, leave, merge, change.

Changes are data: small frozen records, or one table read by
:func:`changes_from_frame` (e.g. from a CSV file).
"""

from __future__ import annotations

import difflib
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from finsam_opt.domain.units import EQUITY_COLUMNS, NO_LIMIT_COLUMNS, UNIT_COLUMNS
from finsam_opt.errors import InputError, describe_units
from finsam_opt.language.words import SWEDISH_HEADERS

__all__ = [
    "Change",
    "Join",
    "Leave",
    "Merge",
    "Update",
    "apply_change",
    "changes_from_frame",
    "check_changes",
]


@dataclass(frozen=True)
class Join:
    """New units join in ``year``: rows of a unit table (indexed by unit id).

    Without a ``previous_allocation`` a joining unit is new (no floor). Where the
    model's table has contribution columns, a joining unit needs its answers too
    (``inf`` for no limit): a blank is no answer (docs/model.md).

    Parameters
    ----------
    year : int
        The first year the units are in the model.
    units : pandas.DataFrame
        Their rows, with at least ``population`` and ``support_measure``; amounts in kronor.

    Examples
    --------
    >>> import numpy as np, pandas as pd, finsam_opt as fo
    >>> f = pd.DataFrame({"population": [40_000], "support_measure": [250_000],
    ...                   "municipal_match": [np.inf], "regional_match": [np.inf]}, index=["F"])
    >>> sim = fo.simulate(fo.example_units(), fo.Parameters(budget=20_000_000), years=2,
    ...                   first_year=2026, changes=[fo.Join(2027, f)])
    >>> sim.by_year().loc["F"].tolist()  # kronor
    [nan, 2599034.0]
    """

    year: int
    units: pd.DataFrame


@dataclass(frozen=True)
class Leave:
    """Unit ``unit`` is no longer in the model from ``year`` on.

    Parameters
    ----------
    year : int
        The first year without the unit.
    unit : hashable
        The unit's id.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> sim = fo.simulate(fo.example_units(), fo.Parameters(budget=20_000_000), years=2,
    ...                   first_year=2026, changes=[fo.Leave(2027, "D")])
    >>> sim.by_year().loc["D"].tolist()  # kronor
    [1865789.0, nan]
    """

    year: int
    unit: Hashable


@dataclass(frozen=True)
class Merge:
    """Units ``members`` merge into one unit ``into`` from ``year`` on.

    The merged unit's population and support measure are the members' sums, and
    so is its previous allocation (the members' allocations of the year before),
    so the decrease limit protects the merged unit as a whole. Requested amounts,
    matching (the answers), equity and turnover are summed too (docs/data.md): a
    member with no limit (``inf``) leaves the merged unit without one, a member
    that has not answered (NaN) leaves it unanswered. Columns outside the model (a
    name, say) take the first member's value.

    Parameters
    ----------
    year : int
        The first year of the merged unit.
    into : hashable
        The merged unit's id (new, or one of the members').
    members : tuple
        The ids of the two or more merging units.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> sim = fo.simulate(fo.example_units(), fo.Parameters(budget=20_000_000), years=2,
    ...                   first_year=2026, changes=[fo.Merge(2027, "BE", ("B", "E"))])
    >>> sim.by_year("previous_allocation").loc["BE"].tolist()  # B's + E's 2026 amounts, kronor
    [nan, 6839474.0]
    """

    year: int
    into: Hashable
    members: tuple[Hashable, ...]


@dataclass(frozen=True)
class Update:
    """New values for existing units from ``year`` on (e.g. a new matching offer).

    Rows of a unit table indexed by unit id, with any of the unit columns; a NaN
    leaves that value unchanged.

    Parameters
    ----------
    year : int
        The first year the new values apply.
    units : pandas.DataFrame
        Indexed by unit id, any of the unit columns; amounts in kronor.

    Examples
    --------
    A smaller matching offer caps unit A at 2 × 1 000 000 kronor:

    >>> import pandas as pd, finsam_opt as fo
    >>> offer = pd.DataFrame({"municipal_match": [1e6], "regional_match": [1e6]}, index=["A"])
    >>> sim = fo.simulate(fo.example_units(), fo.Parameters(budget=20_000_000), years=2,
    ...                   first_year=2026, changes=[fo.Update(2027, offer)])
    >>> sim.by_year().loc["A"].tolist()  # kronor
    [8794737, 2000000]
    """

    year: int
    units: pd.DataFrame


Change = Join | Leave | Merge | Update

_SWEDISH_KINDS = {
    "Join": "Anslutning",
    "Leave": "Utträde",
    "Merge": "Sammanslagning",
    "Update": "Ändring",
}
"""Each kind of change in Swedish, for messages."""


def apply_change(table: pd.DataFrame, change: Change) -> pd.DataFrame:
    """``table`` with ``change`` applied (a new frame; ``table`` is not modified).

    Ids are assumed checked (the caller's validation gate does it).
    """
    if isinstance(change, Join):
        return pd.concat([table, change.units])
    if isinstance(change, Leave):
        return table.drop(index=[change.unit])
    if isinstance(change, Update):
        updated = table.copy()
        for column in change.units.columns:
            values = change.units[column].dropna()
            updated.loc[values.index, column] = values
        return updated
    members = table.loc[list(change.members)]
    merged = {}
    for column in table.columns:
        if column in EQUITY_COLUMNS:  # the merged unit holds all its members' equity
            merged[column] = members[column].sum(min_count=len(members))
        elif column not in UNIT_COLUMNS:
            merged[column] = members[column].iloc[0]
        elif column == "previous_allocation":
            merged[column] = members[column].sum(min_count=1)
        else:
            merged[column] = members[column].sum(min_count=len(members))
    rest = table.drop(index=list(change.members))
    row = pd.DataFrame([merged], index=pd.Index([change.into], name=table.index.name))
    return pd.concat([rest, row.astype(table.dtypes.to_dict(), errors="ignore")])


def changes_from_frame(frame: pd.DataFrame) -> list[Change]:
    """Changes from a table with one row per change.

    Columns: ``year``; ``action`` (``join``, ``leave``, ``merge`` or ``update``);
    ``unit`` (the unit joining, leaving or updated, or the merged unit's id);
    ``members`` (for ``merge``: the merging units' ids separated by ``;``); and
    any unit columns (``population``, ``support_measure``, …) for ``join`` and
    ``update`` rows.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"year": [2, 3], "action": ["merge", "leave"],
    ...                       "unit": ["BE", "A"], "members": ["B;E", None]})
    >>> changes_from_frame(frame)
    [Merge(year=2, into='BE', members=('B', 'E')), Leave(year=3, unit='A')]
    """
    for column in ("year", "action", "unit"):
        if column not in frame.columns:
            raise InputError(
                f"the changes table lacks required column '{column}'",
                sv=f"tabellen med förändringar saknar den obligatoriska kolumnen '{column}'",
                column=column,
            )
    data_columns = [c for c in frame.columns if c in UNIT_COLUMNS]
    changes: list[Change] = []
    for number, (_, row) in enumerate(frame.iterrows(), start=1):
        year = _year(row["year"], number)
        action = str(row["action"]).strip().lower()
        unit = row["unit"]
        if action in ("join", "update"):
            data = pd.DataFrame([row[data_columns].astype(float)], index=pd.Index([unit]))
            changes.append(Join(year, data) if action == "join" else Update(year, data))
        elif action == "leave":
            changes.append(Leave(year, unit))
        elif action == "merge":
            members = row.get("members")
            if not isinstance(members, str) or not members.strip():
                raise InputError(
                    f"changes row {number}: a merge into {unit!r} needs 'members' "
                    "(unit ids separated by ';')",
                    sv=f"förändringar, rad {number}: en sammanslagning till {unit!r} behöver "
                    "'members' (förbundens id åtskilda med ';')",
                    column="members",
                )
            changes.append(Merge(year, unit, tuple(m.strip() for m in members.split(";"))))
        else:
            raise InputError(
                f"changes row {number}: action must be join, leave, merge or update, "
                f"got {row['action']!r}",
                sv=f"förändringar, rad {number}: action måste vara join, leave, merge eller "
                f"update, inte {row['action']!r}",
                column="action",
            )
    return changes


def _year(value: object, number: int) -> int:
    if isinstance(value, (int, np.integer)) or (isinstance(value, float) and value.is_integer()):
        return int(value)  # type: ignore[arg-type]
    raise InputError(
        f"changes row {number}: year must be a whole number, got {value!r}",
        sv=f"förändringar, rad {number}: year måste vara ett heltal, inte {value!r}",
        column="year",
    )


def check_changes(
    changes: Iterable[Change], initial: Iterable[Hashable], years: list[int]
) -> list[set[Hashable]]:
    """Check changes against the ids present each year; return those id sets.

    Raises :class:`InputError` naming the change, the unit and the rule.
    """
    changes = list(changes)
    present = set(initial)
    by_year = []
    for change in changes:
        if not isinstance(change, (Join, Leave, Merge, Update)):
            raise InputError(
                f"a change must be a Join, Leave, Merge or Update, got {type(change).__name__}",
                sv=f"en förändring måste vara en Join, Leave, Merge eller Update, inte "
                f"{type(change).__name__}",
                column="changes",
            )
        if change.year not in years:
            raise InputError(
                f"{type(change).__name__} in year {change.year}: the simulation runs years "
                f"{years[0]}–{years[-1]}",
                sv=f"{_swedish(change)}: simuleringen gäller åren {years[0]}–{years[-1]}",
                column="year",
            )
    for year in years:
        for change in [c for c in changes if c.year == year]:
            present = _check_one(change, present)
        by_year.append(set(present))
    return by_year


def _swedish(change: Change) -> str:
    """``change``'s kind and year in Swedish: ``Sammanslagning år 2027``."""
    return f"{_SWEDISH_KINDS[type(change).__name__]} år {change.year}"


def _named(column: str) -> str:
    """A unit column for a Swedish message: ``'support_measure' (Försörjningsmått)``."""
    return f"'{column}' ({SWEDISH_HEADERS[column]})" if column in SWEDISH_HEADERS else f"'{column}'"


def _check_one(change: Change, present: set[Hashable]) -> set[Hashable]:
    where, var = f"{type(change).__name__} in year {change.year}", _swedish(change)
    if isinstance(change, (Join, Update)):
        if not isinstance(change.units, pd.DataFrame):
            raise InputError(
                f"{where}: units must be a pandas DataFrame",
                sv=f"{var}: units måste vara en pandas DataFrame",
                column="changes",
            )
        _check_values(change.units, where, var)
        ids = list(change.units.index)
        if isinstance(change, Join):
            clash = [u for u in ids if u in present]
            if clash:
                raise InputError(
                    f"{where}: {describe_units(clash)} already in the model",
                    sv=f"{var}: {describe_units(clash, 'sv')} finns redan i modellen",
                    units=clash,
                )
            missing = [c for c in ("population", "support_measure") if c not in change.units]
            if missing:
                raise InputError(
                    f"{where}: joining units need column '{missing[0]}'",
                    sv=f"{var}: förbund som ansluter behöver kolumnen {_named(missing[0])}",
                    column=missing[0],
                )
            return present | set(ids)
        _require(ids, present, where, var)
        return present
    if isinstance(change, Leave):
        _require([change.unit], present, where, var)
        return present - {change.unit}
    members = list(change.members)
    if len(members) < 2 or len(set(members)) != len(members):
        raise InputError(
            f"{where}: a merge needs two or more different members",
            sv=f"{var}: en sammanslagning behöver två eller fler olika förbund",
            column="members",
        )
    _require(members, present, where, var)
    if change.into in present and change.into not in members:
        raise InputError(
            f"{where}: {describe_units([change.into])} already in the model",
            sv=f"{var}: {describe_units([change.into], 'sv')} finns redan i modellen",
            units=[change.into],
        )
    return (present - set(members)) | {change.into}


def _require(ids: list[Hashable], present: set[Hashable], where: str, var: str) -> None:
    absent = [u for u in ids if u not in present]
    if absent:
        raise InputError(
            f"{where}: {describe_units(absent)} not in the model that year",
            sv=f"{var}: {describe_units(absent, 'sv')} finns inte i modellen det året",
            units=absent,
        )


def _check_values(frame: pd.DataFrame, where: str, var: str) -> None:
    for column in frame.columns:
        if column not in UNIT_COLUMNS:
            # Other columns (a name, a region) travel along untouched; a misspelt unit
            # column would silently mean "no floor" or "no limit", as in the unit table.
            close = difflib.get_close_matches(str(column), UNIT_COLUMNS, n=1, cutoff=0.85)
            if close:
                raise InputError(
                    f"{where}: unknown column '{column}' (did you mean '{close[0]}'?)",
                    sv=f"{var}: okänd kolumn '{column}' (menade du {_named(close[0])}?)",
                    column=str(column),
                )
            continue
        values = pd.to_numeric(frame[column], errors="coerce")
        # inf says "no limit" in a limit column (docs/model.md); nowhere else.
        infinite_ok = column in NO_LIMIT_COLUMNS
        finite = np.isfinite(values.fillna(0)) | (infinite_ok & (values == np.inf))
        bad = (values.isna() & frame[column].notna()) | ~finite | (values < 0)
        if bad.any():
            ids = list(frame.index[bad.to_numpy()])
            value = frame[column][bad].iloc[0]
            raise InputError(
                f"{where}: {describe_units(ids)}: {column} must be a "
                f"{'number ≥ 0 or inf' if infinite_ok else 'finite number ≥ 0'}, "
                f"got {value!r}",
                sv=f"{var}: {describe_units(ids, 'sv')}: kolumnen {_named(column)} måste vara "
                f"{'ett tal ≥ 0 eller inf' if infinite_ok else 'ett ändligt tal ≥ 0'}, "
                f"inte {value.item() if isinstance(value, np.generic) else value!r}",
                column=str(column),
                units=ids,
            )
