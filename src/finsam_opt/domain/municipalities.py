"""From municipalities to units: memberships, aggregation and changes between years.

SCB publishes its statistics per *kommun*; the model needs them per
*samordningsförbund*. :func:`aggregate_municipalities` sums the municipalities of
each unit for one year, after one validation gate over both tables.
:func:`previous_allocations` carries last year's decided amounts over to this
year's units when units are new, renamed or merged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from finsam_opt.errors import InputError, describe_units
from finsam_opt.language.numbers import format_kronor
from finsam_opt.language.words import SWEDISH_HEADERS, say

__all__ = [
    "Aggregation",
    "CarriedPrevious",
    "MembershipNote",
    "aggregate_municipalities",
    "carry_previous_allocations",
    "members_in_year",
    "previous_allocations",
]

_SUMMED = ("population", "support_measure")


@dataclass(frozen=True)
class Aggregation:
    """Municipality data summed per unit for one year.

    Attributes
    ----------
    units : pandas.DataFrame
        Indexed by unit, sorted by region then unit: ``region``,
        ``municipalities`` (how many), ``population`` and ``support_measure``
        (sums), then the columns of ``unit_data`` if one was given.
    membership : pandas.Series
        The unit of every member municipality, indexed by municipality code.
    outside : pandas.DataFrame
        The municipalities in no unit this year (allowed; they get nothing).
    notes : tuple of MembershipNote
        What the aggregation did that a reader should know: units dropped because
        all their municipalities left, previous allocations carried with moving
        municipalities (or not, under ``carry_previous=False``), mergers;
        ``note.text(language)`` says it in Swedish or English.
    carried : pandas.DataFrame or None
        The previous allocation that moved with each municipality (see
        :func:`carry_previous_allocations`); None when nothing was carried.

    Examples
    --------
    >>> import pandas as pd, finsam_opt as fo
    >>> kommuner = pd.DataFrame(
    ...     {"region": ["Gotlands län", "Gotlands län"], "population": [36_000, 1_000],
    ...      "support_measure": [9e8, 2e7]}, index=["0980", "0999"])
    >>> members = pd.DataFrame({"municipality_code": ["0980"], "unit": ["Gotland"]})
    >>> aggregation = fo.aggregate_municipalities(kommuner, members)
    >>> aggregation.membership.to_dict()
    {'0980': 'Gotland'}
    >>> aggregation.outside.index.tolist()
    ['0999']
    """

    units: pd.DataFrame
    membership: pd.Series
    outside: pd.DataFrame
    notes: tuple[MembershipNote, ...] = ()
    carried: pd.DataFrame | None = None


@dataclass(frozen=True)
class MembershipNote:
    """One thing :func:`aggregate_municipalities` did that a reader should know.

    Attributes
    ----------
    kind : str
        ``'moved'`` (a municipality carried part of its old unit's previous
        allocation), ``'not_carried'``, ``'dropped'`` (a unit whose municipalities
        all left) or ``'merged'``.
    fields : Mapping
        What the sentence names: units, municipality codes, kronor, columns.

    Examples
    --------
    >>> note = MembershipNote("dropped", {"unit": "Z"})
    >>> note.text("sv"), str(note)
    ("förbundet 'Z' tas bort: alla dess kommuner har lämnat", "unit 'Z' is dropped: all its municipalities have left")
    """  # noqa: E501

    kind: str
    fields: Mapping[str, object]

    def text(self, language: str = "sv") -> str:
        """The note as a sentence in ``language`` (``'sv'`` or ``'en'``)."""
        values = dict(self.fields)
        if "amount" in values:
            values["amount"] = format_kronor(float(values["amount"]), language)  # type: ignore[arg-type]
        if "target" in values:
            target = values["target"]
            values["target"] = say("no_unit", language) if target is None else f"'{target}'"
        if "columns" in values:
            names = [str(c) for c in values["columns"]]  # type: ignore[attr-defined]
            shown = (
                [SWEDISH_HEADERS.get(c, c).lower() for c in names] if language == "sv" else names
            )
            values["columns"] = ", ".join(shown)
        if "merged" in values:
            values["merged"] = ", ".join(f"'{u}'" for u in values["merged"])  # type: ignore[attr-defined]
        return say(f"note_{self.kind}", language, **values)

    def __str__(self) -> str:
        return self.text("en")


@dataclass(frozen=True)
class CarriedPrevious:
    """Last year's allocations carried to this year's units (docs/data.md).

    Attributes
    ----------
    previous : pandas.Series
        Kronor per this year's unit (NaN: a new unit that received nothing).
    moves : pandas.DataFrame
        One row per municipality that changed unit: ``municipality_code``,
        ``from_unit``, ``to_unit`` (NaN: into no förbund) and ``amount`` (kronor
        carried; what goes into no förbund is dropped).
    dropped : tuple
        Last year's units left with no municipality (their allocation moved on).

    Examples
    --------
    >>> import pandas as pd, finsam_opt as fo
    >>> kommuner = pd.DataFrame({"population": [3.0, 1.0], "support_measure": [3.0, 1.0]},
    ...                         index=["0001", "0002"])
    >>> last = pd.Series({"0001": "X", "0002": "X"})
    >>> now = pd.Series({"0001": "X", "0002": "Y"})
    >>> carried = fo.carry_previous_allocations(kommuner, pd.Series({"X": 4e6}), last, now)
    >>> carried.previous.to_dict()
    {'X': 3000000.0, 'Y': 1000000.0}
    """

    previous: pd.Series
    moves: pd.DataFrame
    dropped: tuple[object, ...]


def carry_previous_allocations(
    municipalities: pd.DataFrame,
    previous: pd.Series,
    last_membership: pd.Series,
    membership: pd.Series,
    *,
    weight_support: float = 0.75,
    weight_population: float = 0.25,
) -> CarriedPrevious:
    """Carry last year's allocations with the municipalities that moved (docs/data.md).

    A municipality moving from X to Y takes X's previous allocation × its share of
    X's key (``weight_population`` × its share of X's population +
    ``weight_support`` × its share of X's support measure, last year's members):
    X's falls and Y's rises by the same amount, so Σ previous is unchanged by any
    sequence of moves and mergers (a merger is every member municipality moving
    to the merged unit). A municipality going into no förbund takes its share
    out (listed in ``moves``); a unit left with no municipality is dropped.

    Parameters
    ----------
    municipalities : pandas.DataFrame
        Indexed by municipality code: ``population`` and ``support_measure``.
    previous : pandas.Series
        Last year's decided allocation per last year's unit, kronor.
    last_membership, membership : pandas.Series
        Unit per municipality code, last year and this year.
    weight_support, weight_population : float
        The key's weights (they sum to 1).

    Returns
    -------
    CarriedPrevious

    Examples
    --------
    Municipality 0002 (a quarter of X's key) moves to Y and takes a quarter of X's
    4 Mkr with it:

    >>> import pandas as pd, finsam_opt as fo
    >>> kommuner = pd.DataFrame({"population": [3.0, 1.0], "support_measure": [3.0, 1.0]},
    ...                         index=["0001", "0002"])
    >>> carried = fo.carry_previous_allocations(
    ...     kommuner, pd.Series({"X": 4e6}), pd.Series({"0001": "X", "0002": "X"}),
    ...     pd.Series({"0001": "X", "0002": "Y"}))
    >>> carried.moves.to_dict("records")
    [{'municipality_code': '0002', 'from_unit': 'X', 'to_unit': 'Y', 'amount': 1000000.0}]
    """
    this_units = list(dict.fromkeys(membership.to_numpy()))
    carried: dict[object, float] = dict.fromkeys(this_units, 0.0)
    received = dict.fromkeys(this_units, False)
    moves = []
    dropped = []
    for unit, amount in previous.items():
        if pd.isna(amount):
            continue
        members = last_membership.index[last_membership.to_numpy() == unit]
        if len(members) == 0:  # no municipalities last year: nothing to carry
            if unit in carried:
                carried[unit] += float(amount)
                received[unit] = True
            else:
                dropped.append(unit)
            continue
        stats = municipalities.loc[members]
        share = weight_population * stats["population"] / stats["population"].sum()
        share = share + weight_support * stats["support_measure"] / stats["support_measure"].sum()
        goes_to = pd.Series([membership.get(code) for code in members], index=members)
        staying = (goes_to == unit).any()
        for code in members:
            target = goes_to[code]
            if target == unit:
                continue
            part = float(amount) * float(share[code])
            moves.append(
                {"municipality_code": code, "from_unit": unit, "to_unit": target, "amount": part}
            )
        moved = [m for m in moves if m["from_unit"] == unit]
        if staying:
            carried[unit] += float(amount) - sum(m["amount"] for m in moved)
            received[unit] = True
        else:
            if unit not in carried:
                dropped.append(unit)
            # Float noise: the last part takes what the others leave, so Σ stays exact.
            last = moved[-1]
            last["amount"] = float(amount) - sum(m["amount"] for m in moved[:-1])
        for move in moved:
            target = move["to_unit"]
            if target is not None and not pd.isna(target):
                carried[target] += move["amount"]
                received[target] = True
    values = [carried[u] if received[u] else np.nan for u in this_units]
    return CarriedPrevious(
        previous=pd.Series(
            values, index=pd.Index(this_units, name="unit"), name="previous_allocation"
        ),
        moves=pd.DataFrame(moves, columns=["municipality_code", "from_unit", "to_unit", "amount"]),
        dropped=tuple(dropped),
    )


def members_in_year(memberships: pd.DataFrame, year: int | None) -> pd.DataFrame:
    """The membership rows that hold in ``year``.

    A row without a year holds every year; a row with a year holds in that year
    only. With ``year=None`` the table must not have years.
    """
    if "year" not in memberships.columns or memberships["year"].isna().all():
        return memberships[["municipality_code", "unit"]]
    years = memberships["year"]
    if year is None:
        found = sorted({int(y) for y in years.dropna()})
        raise InputError(
            f"the membership table has years {found}; say which year to use",
            sv=f"medlemstabellen har åren {found}; ange vilket år som ska användas",
            column="year",
        )
    keep = years.isna() | (years == year)
    if not keep.any():
        raise InputError(
            f"the membership table has no rows for the year {year}",
            sv=f"medlemstabellen har inga rader för år {year}",
            column="year",
        )
    return memberships.loc[keep, ["municipality_code", "unit"]]


def aggregate_municipalities(
    municipalities: pd.DataFrame,
    memberships: pd.DataFrame,
    year: int | None = None,
    unit_data: pd.DataFrame | None = None,
    *,
    carry_previous: bool = True,
) -> Aggregation:
    """Sum municipality statistics to units for one year.

    Parameters
    ----------
    municipalities : pandas.DataFrame
        Indexed by municipality code, with ``region``, ``population`` (16–64)
        and ``support_measure`` (kronor); ``municipality_name`` optional.
    memberships : pandas.DataFrame
        Columns ``municipality_code`` and ``unit``; optionally ``year``.
    year : int, optional
        The allocation year, when the memberships have years.
    unit_data : pandas.DataFrame, optional
        Indexed by unit: data that exists only per unit (``previous_allocation``,
        ``requested``, ``municipal_match``, ``regional_match``, ...); units missing
        from it are new. Its ``previous_allocation`` is last year's decided amount of
        the unit with that id. When the memberships have rows for ``year − 1`` as
        well, it also gives last year's units that lost municipalities (a unit whose
        municipalities have all left is dropped with a note); a municipality that
        moved from a unit without a previous allocation here is an error.
    carry_previous : bool
        With last year's memberships at hand (rows for ``year − 1``), carry each
        moving municipality's share of its old unit's previous allocation to its
        new unit (docs/data.md, :func:`carry_previous_allocations`); False keeps
        each unit's own previous allocation (and says so in ``notes``).

    Returns
    -------
    Aggregation

    Raises
    ------
    InputError
        A municipality in two units, a code not in the statistics, a unit
        spanning two regions, or a unit in ``unit_data`` without municipalities.

    Examples
    --------
    >>> import pandas as pd, finsam_opt as fo
    >>> kommuner = pd.DataFrame(
    ...     {"region": ["Västmanlands län"] * 3, "population": [12_000, 8_000, 6_000],
    ...      "support_measure": [3e8, 2e8, 1e8]}, index=["1983", "1984", "1960"])
    >>> members = pd.DataFrame({"municipality_code": ["1983", "1984"], "unit": ["VM", "VM"]})
    >>> result = fo.aggregate_municipalities(kommuner, members)
    >>> result.units.loc["VM", ["municipalities", "population"]].tolist()
    [2, 20000]
    >>> result.outside.index.tolist()
    ['1960']
    """
    # The same pair twice (say with and without a year) is one membership.
    members = members_in_year(memberships, year).drop_duplicates()
    in_year = (f" in {year}", f" år {year}") if year is not None else ("", "")
    _check_members(municipalities, members, in_year)
    membership = pd.Series(
        members["unit"].to_numpy(), index=pd.Index(members["municipality_code"]), name="unit"
    )
    joined = municipalities.loc[membership.index].assign(unit=membership.to_numpy())
    _check_regions(joined, in_year)
    grouped = joined.groupby("unit", sort=False)
    units = pd.DataFrame(
        {
            "region": grouped["region"].first(),
            "municipalities": grouped.size(),
            **{c: grouped[c].sum() for c in _SUMMED},
        }
    )
    units = units.sort_values(["region"], kind="stable").rename_axis("unit")
    notes: list[MembershipNote] = []
    carried = None
    last = _last_year_membership(memberships, year)
    if unit_data is not None and last is not None:
        unit_data, carried, notes = _carry(
            municipalities, unit_data, last, membership, units.index, carry_previous
        )
    if unit_data is not None:
        units = _join_unit_data(units, unit_data, in_year)
    outside = municipalities.loc[~municipalities.index.isin(membership.index)]
    return Aggregation(
        units=units, membership=membership, outside=outside, notes=tuple(notes), carried=carried
    )


def _last_year_membership(memberships: pd.DataFrame, year: int | None) -> pd.Series | None:
    """Unit per municipality code in ``year − 1``, when the table has that year's rows."""
    if year is None or "year" not in memberships.columns:
        return None
    if not (memberships["year"] == year - 1).any():
        return None
    last = members_in_year(memberships, year - 1).drop_duplicates()
    return pd.Series(last["unit"].to_numpy(), index=pd.Index(last["municipality_code"]))


def _carry(
    municipalities: pd.DataFrame,
    unit_data: pd.DataFrame,
    last: pd.Series,
    membership: pd.Series,
    units: pd.Index,
    carry: bool,
) -> tuple[pd.DataFrame, pd.DataFrame | None, list[MembershipNote]]:
    notes = []
    gone = [u for u in unit_data.index if u not in units]
    carried = None
    data = unit_data.copy()
    if "previous_allocation" in data.columns:
        moved = [code for code in last.index if membership.get(code) != last[code]]
        if carry:
            _check_known_sources(moved, last, data["previous_allocation"])
            result = carry_previous_allocations(
                municipalities, data["previous_allocation"], last, membership
            )
            carried = result.moves
            data = data.reindex(data.index.union(result.previous.index, sort=False))
            data["previous_allocation"] = result.previous.reindex(data.index)
            for move in result.moves.to_dict("records"):
                target = move["to_unit"]
                code = str(move["municipality_code"])
                if "municipality_name" in municipalities.columns:  # "0114 (Upplands Väsby)"
                    name = municipalities.loc[move["municipality_code"], "municipality_name"]
                    code = f"{code} ({name})"
                fields = {
                    "code": code,
                    "source": str(move["from_unit"]),
                    "target": None if target is None or pd.isna(target) else str(target),
                    "amount": float(move["amount"]),
                }
                notes.append(MembershipNote("moved", fields))
        elif moved:
            notes.append(MembershipNote("not_carried", {"count": len(moved)}))
    data, merged = _sum_merged(data, last, membership, units)
    notes += merged
    for unit in gone:
        notes.append(MembershipNote("dropped", {"unit": str(unit)}))
    return data.drop(index=[u for u in data.index if u not in units]), carried, notes


def _check_known_sources(moved: list, last: pd.Series, previous: pd.Series) -> None:
    """A municipality can carry its share of its old unit's allocation only when that
    allocation is given: without it a merger would become a new unit with no floor."""
    sources = list(dict.fromkeys(last[code] for code in moved))
    unknown = [u for u in sources if u not in previous.index or pd.isna(previous.get(u))]
    if unknown:
        codes = [str(code) for code in moved if last[code] in unknown]
        raise InputError(
            f"municipalities {', '.join(codes[:10])} left {describe_units(unknown)} since last "
            "year, but unit_data gives no previous_allocation for "
            f"{'it' if len(unknown) == 1 else 'them'}: give last year's decided amount of every "
            "förbund that lost municipalities (a förbund that no longer exists is dropped with a "
            "note), or carry_previous=False",
            sv=f"kommunerna {', '.join(codes[:10])} har lämnat "
            f"{describe_units(unknown, 'sv')} sedan förra året, men förbundsuppgifterna anger "
            f"ingen {SWEDISH_HEADERS['previous_allocation'].lower()} för "
            f"{'det' if len(unknown) == 1 else 'dem'}: ange förra årets beslutade belopp för "
            "varje förbund som har förlorat kommuner (ett förbund som inte längre finns tas bort "
            "med en notering), eller carry_previous=False",
            column="previous_allocation",
            units=unknown,
        )


_MERGED_SUMS = ("equity", "turnover", "requested", "municipal_match", "regional_match")


def _sum_merged(
    data: pd.DataFrame, last: pd.Series, membership: pd.Series, units: pd.Index
) -> tuple[pd.DataFrame, list[MembershipNote]]:
    """A unit made of whole former units that has no data of its own gets their sums
    of equity, turnover and answers (docs/data.md); a blank among them stays blank."""
    notes = []
    for unit in units:
        if unit in data.index and data.loc[[unit]].drop(
            columns=["previous_allocation"], errors="ignore"
        ).notna().any(axis=None):
            continue
        codes = membership.index[membership.to_numpy() == unit]
        formers = list(dict.fromkeys(last.get(code) for code in codes if code in last.index))
        whole = [
            f for f in formers
            if f in data.index and f not in units and set(last.index[last == f]) <= set(codes)
        ]  # fmt: skip
        if len(whole) < 2:
            continue
        columns = [c for c in _MERGED_SUMS if c in data.columns]
        sums = data.loc[whole, columns].sum(min_count=len(whole))
        if unit not in data.index:
            data = data.reindex(data.index.append(pd.Index([unit])))
        data.loc[unit, columns] = sums
        fields = {"unit": str(unit), "merged": tuple(str(f) for f in whole), "columns": columns}
        notes.append(MembershipNote("merged", fields))
    return data, notes


def _check_members(
    municipalities: pd.DataFrame, members: pd.DataFrame, in_year: tuple[str, str]
) -> None:
    for column in ("region", *_SUMMED):
        if column not in municipalities.columns:
            raise InputError(
                f"the municipality table lacks column '{column}'",
                sv=f"kommuntabellen saknar kolumnen '{SWEDISH_HEADERS[column]}'",
                column=column,
            )
    unknown = members.loc[~members["municipality_code"].isin(municipalities.index)]
    if len(unknown):
        row = unknown.iloc[0]
        raise InputError(
            f"municipality code {row['municipality_code']} (unit '{row['unit']}') is not in "
            "the municipality statistics",
            sv=f"kommunkoden {row['municipality_code']} (förbundet '{row['unit']}') finns inte "
            "i kommunstatistiken",
            column="municipality_code",
            units=[row["unit"]],
        )
    twice = members.drop_duplicates().loc[
        members.drop_duplicates()["municipality_code"].duplicated(keep=False)
    ]
    if len(twice):
        code = twice["municipality_code"].iloc[0]
        owners = sorted(twice.loc[twice["municipality_code"] == code, "unit"].unique())
        name = _name(municipalities, code)
        raise InputError(
            f"municipality {code}{name} is in more than one unit{in_year[0]}: "
            + " and ".join(f"'{u}'" for u in owners)
            + "; a municipality belongs to at most one förbund",
            sv=f"kommunen {code}{name} är med i mer än ett förbund{in_year[1]}: "
            + " och ".join(f"'{u}'" for u in owners)
            + "; en kommun hör till högst ett förbund",
            column="municipality_code",
            units=owners,
        )


def _name(municipalities: pd.DataFrame, code: str) -> str:
    if "municipality_name" in municipalities.columns:
        name = municipalities.loc[code, "municipality_name"]
        return f" ({name!s})"
    return ""


def _check_regions(joined: pd.DataFrame, in_year: tuple[str, str]) -> None:
    regions = joined.groupby("unit", sort=False)["region"].nunique()
    spanning = regions[regions > 1]
    if len(spanning):
        unit = spanning.index[0]
        rows = joined.loc[joined["unit"] == unit]
        found = rows.reset_index().drop_duplicates("region")
        pairs = [f"'{r['region']}' ({r[rows.index.name or 'index']})" for _, r in found.iterrows()]
        raise InputError(
            f"unit '{unit}' spans more than one region{in_year[0]}: {' and '.join(pairs)}; "
            "a förbund has exactly one region",
            sv=f"förbundet '{unit}' sträcker sig över mer än en region{in_year[1]}: "
            f"{' och '.join(pairs)}; ett förbund hör till exakt en region",
            column="region",
            units=[unit],
        )


def _join_unit_data(
    units: pd.DataFrame, unit_data: pd.DataFrame, in_year: tuple[str, str]
) -> pd.DataFrame:
    empty = [u for u in unit_data.index if u not in units.index]
    if empty:
        raise InputError(
            f"{describe_units(empty)} in the unit data {'have' if len(empty) > 1 else 'has'} "
            f"no municipalities{in_year[0]}",
            sv=f"{describe_units(empty, 'sv')} i förbundsuppgifterna har inga "
            f"medlemskommuner{in_year[1]}",
            column="unit",
            units=empty,
        )
    extra = unit_data.drop(columns=[c for c in units.columns if c in unit_data.columns])
    return units.join(extra, how="left")


def previous_allocations(
    last_year: pd.Series,
    units: Sequence[object] | pd.Index,
    predecessors: Mapping[object, Sequence[object]] | None = None,
) -> pd.Series:
    """Last year's allocation of this year's units, through renames and mergers.

    A unit keeps its own previous allocation; a unit listed in ``predecessors``
    gets the sum of its predecessors' (a merger: one unit, one base amount, the
    floor on the sum); a unit in neither is new (NaN: no floor). Municipalities
    joining a unit change only its population and support measure.

    Parameters
    ----------
    last_year : pandas.Series
        Decided allocation per unit last year, kronor, indexed by last year's units.
    units : sequence
        This year's units.
    predecessors : mapping, optional
        ``{new unit: [last year's units it replaces]}``.

    Returns
    -------
    pandas.Series
        Kronor, indexed by ``units``; NaN for new units.

    Raises
    ------
    InputError
        A predecessor that did not exist last year, or one claimed twice.

    Examples
    --------
    >>> import pandas as pd, finsam_opt as fo
    >>> last = pd.Series({"A": 3e6, "B": 2e6, "C": 1e6})
    >>> fo.previous_allocations(last, ["AB", "C", "D"], {"AB": ["A", "B"]}).tolist()
    [5000000.0, 1000000.0, nan]
    """
    predecessors = dict(predecessors or {})
    claimed: dict[object, object] = {}
    for unit, olds in predecessors.items():
        for old in olds:
            if old not in last_year.index:
                raise InputError(
                    f"unit '{unit}': predecessor '{old}' had no allocation last year",
                    sv=f"förbundet '{unit}': föregångaren '{old}' fick ingen tilldelning förra "
                    "året",
                    column="previous_allocation",
                    units=[unit],
                )
            if old in claimed:
                raise InputError(
                    f"unit '{old}' of last year is a predecessor of both '{claimed[old]}' and "
                    f"'{unit}'; split its allocation explicitly in previous_allocation",
                    sv=f"förra årets förbund '{old}' är föregångare till både '{claimed[old]}' "
                    f"och '{unit}'; dela upp dess tilldelning uttryckligen i "
                    f"'{SWEDISH_HEADERS['previous_allocation']}'",
                    column="previous_allocation",
                    units=[claimed[old], unit],
                )
            claimed[old] = unit
    amounts: dict[object, float] = {k: float(v) for k, v in last_year.items()}
    values = []
    for unit in units:
        if unit in predecessors:
            values.append(sum(amounts[old] for old in predecessors[unit]))
        elif unit in amounts and unit not in claimed:
            values.append(amounts[unit])
        else:
            values.append(np.nan)
    return pd.Series(values, index=pd.Index(list(units), name="unit"), name="previous_allocation")
