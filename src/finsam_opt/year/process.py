"""The yearly process: one allocation year, its rounds, saved to a folder.

The rounds follow Försäkringskassan's process (seeds 000 and 002):

``preliminary`` (June)
    The ideal allocation only: base amount plus the need key; no caps, no floors.
``second_preliminary`` (September)
    With the units' answers (requested amount, municipal and regional
    contributions, i.e. the caps) and the decrease limit (floors).
``revised`` (after week 42)
    As the second round with the new information units sent by week 42.
``final`` (autumn, after the budget bill)
    As the second round with the budget bill's amount and late answers.
``surplus`` (spring)
    The call for *ofördelade medel*: the final round's leftover plus funds
    handed back late, redistributed among the units that apply (docs/surplus.md).

Every round knows its date and deadlines (:mod:`finsam_opt.year.calendar`,
docs/process.md); a round run after its due date, and an answer dated after the
deadline it answers to (a column ``answered_on``), are reported in ``Round.late``.
Other rounds can be added with :meth:`AllocationYear.with_round`; saving and
loading are generic over round names. Each round's table shows the change
against the previous round (for the first round: against last year's
allocation).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from finsam_opt.domain.parameters import Parameters
from finsam_opt.domain.staircase import STAIRCASE_COLUMNS, Staircase
from finsam_opt.engine.allocate import allocate
from finsam_opt.engine.result import Allocation
from finsam_opt.engine.surplus import DEFAULT_KAPPA, Redistribution, redistribute
from finsam_opt.errors import InputError, describe_units
from finsam_opt.io.decision import model_parameter_rows, write_table
from finsam_opt.io.raw import read_bytes
from finsam_opt.io.safe import atomic_outputs, remove_with_outputs
from finsam_opt.io.templates import ANSWER_COLUMNS, merge_answers
from finsam_opt.io.workbook import Kind
from finsam_opt.language.words import round_name
from finsam_opt.year.calendar import Late, as_date, opening, round_dates

__all__ = ["ROUNDS", "AllocationYear", "Round", "ideal_table"]

ROUNDS: tuple[str, ...] = ("preliminary", "second_preliminary", "revised", "final", "surplus")
"""The rounds :class:`AllocationYear` runs, in order."""

STATE_FILE = "process.json"
"""The file that makes a folder a saved year (:meth:`AllocationYear.save`)."""


@dataclass(frozen=True)
class Round:
    """The outcome of one round.

    Attributes
    ----------
    name : str
    parameters : Parameters
    units : pandas.DataFrame
        The unit table the round used (with the answers known then).
    table : pandas.DataFrame
        Indexed by unit: ``amount`` (kronor, whole), ``previous_round`` and
        ``change_from_previous_round``, then the round's model columns.
    summary : dict
        ``scenario``, ``decrease_limit``, ``unallocated``, ``policy``, ``allocated``,
        ``matching`` and ``assumed`` (the contributions assumed for units that did
        not answer: ``unit``, ``party``, ``assumed_as``, ``amount``; None for no
        limit), all JSON-able; the surplus round has ``available``, ``returned``
        and ``balancing_scalar`` instead of ``scenario``, ``decrease_limit``,
        ``matching`` and ``assumed``.
    date : datetime.date or None
        The day the round was run (by default the day it is due).
    due, input_due : datetime.date or None
        When the round is due and the deadline of what the units sent into it
        (:func:`finsam_opt.round_dates`); None for a round outside the calendar.
    late : tuple of Late
        The round run after its due date, and every answer dated after
        ``input_due`` (:class:`finsam_opt.Late`; ``text(language)`` says it in
        Swedish or English); empty when all was on time.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> example = fo.national_example()
    >>> june = fo.AllocationYear(2027, example.units, example.parameters).preliminary()
    >>> round_ = june.round("preliminary")
    >>> round_.name, int(round_.table["amount"].sum())
    ('preliminary', 339000000)
    >>> list(round_.table.columns[:3])
    ['amount', 'previous_round', 'change_from_previous_round']
    """

    name: str
    parameters: Parameters
    units: pd.DataFrame
    table: pd.DataFrame
    summary: dict[str, object]
    date: dt.date | None = None
    due: dt.date | None = None
    input_due: dt.date | None = None
    late: tuple[Late, ...] = ()


_DATED = "answered_on"  # the column of answers and applications that dates them


def _dated(
    name: str,
    year: int,
    date: object,
    sent: pd.DataFrame | pd.Series | None,
    earlier: tuple[Round, ...] = (),
) -> tuple[dict[str, Any], pd.DataFrame | pd.Series | None]:
    """The round's dates and what was late, and ``sent`` without its date column.

    A day outside the year is an error: the round run before its year opens
    (:func:`finsam_opt.year.calendar.opening`) or before a round it follows, an
    answer dated before the year opens or after the day the round is run.
    """
    dates = round_dates(name, year)
    run = dates.due if date is None else as_date(date, "date")
    opens = opening(name, year)
    if run < opens:
        raise InputError(
            f"date {run}: round '{name}' of {year} cannot be run before {opens}",
            sv=f"datum {run}: omgången '{name}' för {year} kan inte köras före {opens}",
            column="date",
        )
    before = [r for r in earlier if r.date is not None and r.date > run]
    if before:
        raise InputError(
            f"date {run}: round '{before[-1].name}' of this year was run later, on "
            f"{before[-1].date}; the rounds are run in the order of the calendar",
            sv=f"datum {run}: årets omgång '{before[-1].name}' kördes senare, "
            f"{before[-1].date}; omgångarna körs i kalenderns ordning",
            column="date",
        )
    late = []
    if run > dates.due:
        late.append(Late(name, run, dates.due))
    if isinstance(sent, pd.DataFrame) and _DATED in sent.columns:
        for unit, when in sent[_DATED].items():
            if pd.isna(when):
                continue
            day = as_date(when, _DATED)
            _check_sent(unit, day, opens, run)
            if dates.input_due is not None and day > dates.input_due:
                late.append(Late(name, day, dates.input_due, str(unit)))
        sent = sent.drop(columns=[_DATED])
    fields = {"date": run, "due": dates.due, "input_due": dates.input_due, "late": tuple(late)}
    return fields, sent


def _check_sent(unit: object, day: dt.date, opens: dt.date, run: dt.date) -> None:
    """An answer belongs to the year (not before it opens) and to the round (not after it)."""
    if opens <= day <= run:
        return
    if day < opens:
        why, varfor = f"before this year's round opens ({opens})", f"före årets omgång ({opens})"
    else:
        why = f"after the day the round is run ({run}); give that day as the round's date"
        varfor = f"efter dagen omgången körs ({run}); ange den dagen som omgångens datum"
    raise InputError(
        f"unit '{unit}': {_DATED} {day} is {why}",
        sv=f"förbundet '{unit}': svarsdatum {day} är {varfor}",
        column=_DATED,
        units=[unit],
    )


def ideal_table(units: pd.DataFrame, params: Parameters) -> pd.DataFrame:
    """June's preliminary table: shares, key and ideal allocation of every unit.

    The ideal ignores caps and floors; last year's allocation is shown for
    comparison only.
    """
    basic = units[["population", "support_measure"]]
    result = allocate(basic, replace(params, staircase=None))  # the ideal knows no equity
    table = result.table[["share_population", "share_support", "key", "ideal"]].copy()
    table["amount"] = result.table["allocation_rounded"]
    return table


def _with_changes(table: pd.DataFrame, before: pd.Series) -> pd.DataFrame:
    before = before.reindex(table.index)
    front = pd.DataFrame(
        {
            "amount": table["amount"],
            "previous_round": before,
            "change_from_previous_round": table["amount"] - before,
        },
        index=table.index,
    )
    return pd.concat([front, table.drop(columns=["amount"])], axis=1).rename_axis("unit")


def _with_entitled(table: pd.DataFrame, entitled: pd.Series, ideal: pd.Series) -> pd.DataFrame:
    """June's amount next to this round's (docs/process.md), and the part a changed budget made.

    ``difference_from_entitled`` = amount − June's amount, of which
    ``difference_from_budget`` = this round's ideal − June's amount (0 when the budget
    and the data are as in June); the rest is the rule in ``binding``.
    """
    entitled = entitled.reindex(table.index)
    columns = {
        "entitled": entitled,
        "difference_from_entitled": table["amount"] - entitled,
        "difference_from_budget": ideal.reindex(table.index) - entitled,
    }
    at = list(table.columns).index("change_from_previous_round") + 1
    front, back = table.iloc[:, :at], table.iloc[:, at:]
    return pd.concat([front, pd.DataFrame(columns, index=table.index), back], axis=1)


def _entitled_summary(table: pd.DataFrame) -> dict[str, object]:
    return {
        "entitled": float(table["entitled"].sum()),
        "difference_from_entitled": float(table["difference_from_entitled"].sum()),
        "difference_from_budget": float(table["difference_from_budget"].sum()),
    }


def _summary(result: Allocation) -> dict[str, object]:
    assumed = [
        {
            "unit": str(row["unit"]),
            "party": str(row["party"]),
            "assumed_as": str(row["assumed_as"]),
            "amount": float(row["amount"]) if math.isfinite(row["amount"]) else None,
        }
        for row in result.assumed.to_dict("records")
    ]
    return {
        "scenario": str(result.scenario),
        "decrease_limit": result.decrease_limit,
        "unallocated": result.unallocated,
        "policy": result.policy,
        "allocated": result.rounded_total,
        "matching": str(result.matching),
        "assumed": assumed,
    }


def _surplus_summary(extra: Redistribution) -> dict[str, object]:
    return {
        "available": extra.available,
        "returned": float(extra.table["returned"].sum()),
        "balancing_scalar": extra.balancing_scalar,
        "unallocated": extra.unallocated,
        "policy": extra.policy,
        "allocated": extra.rounded_total,
    }


@dataclass(frozen=True)
class AllocationYear:
    """One allocation year: its inputs and the rounds run so far.

    Immutable: every round returns a new object.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> example = fo.national_example()
    >>> year = fo.AllocationYear(2027, example.units, example.parameters)
    >>> year = year.preliminary().second_preliminary().final(budget=339_000_000)
    >>> [r.name for r in year.rounds]
    ['preliminary', 'second_preliminary', 'final']
    >>> int(year.round("final").table["amount"].sum()) <= 339_000_000
    True
    """

    year: int
    units: pd.DataFrame
    parameters: Parameters
    policy: str = "raise-limit"
    rounds: tuple[Round, ...] = ()

    def round(self, name: str) -> Round:
        """The round called ``name``."""
        for item in self.rounds:
            if item.name == name:
                return item
        done = ", ".join(r.name for r in self.rounds) or "none"
        raise InputError(
            f"year {self.year}: round '{name}' has not been run (done: {done})",
            sv=f"år {self.year}: omgången '{name}' har inte körts (körda: "
            f"{', '.join(r.name for r in self.rounds) or 'inga'})",
        )

    @property
    def last_amounts(self) -> pd.Series:
        """Amounts of the latest round, or last year's allocations before any round."""
        if self.rounds:
            return self.rounds[-1].table["amount"]
        if "previous_allocation" in self.units.columns:
            return self.units["previous_allocation"]
        return pd.Series(np.nan, index=self.units.index)

    def with_round(self, item: Round) -> AllocationYear:
        """A new year with ``item`` added, replacing a round of the same name and every
        round after it: after it in the calendar (:data:`ROUNDS`), so a year's rounds stay
        in the order of its calendar, or for other rounds after it in the order run.

        Examples
        --------
        >>> import finsam_opt as fo
        >>> example = fo.national_example()
        >>> year = fo.AllocationYear(2027, example.units, example.parameters).final()
        >>> [r.name for r in year.second_preliminary().rounds]  # September replaces December
        ['second_preliminary']
        """
        return replace(self, rounds=(*self.kept_before(item.name), item))

    def kept_before(self, name: str) -> tuple[Round, ...]:
        """The rounds that running round ``name`` keeps: those before it (see :meth:`with_round`).

        Examples
        --------
        >>> import finsam_opt as fo
        >>> example = fo.national_example()
        >>> year = fo.AllocationYear(2027, example.units, example.parameters)
        >>> year = year.preliminary().second_preliminary().final()
        >>> [r.name for r in year.kept_before("revised")]
        ['preliminary', 'second_preliminary']
        """
        kept = []
        for existing in self.rounds:
            if existing.name == name or _later(existing.name, name):
                break
            kept.append(existing)
        return tuple(kept)

    def _before(self, name: str) -> pd.Series:
        return replace(self, rounds=self.kept_before(name)).last_amounts

    def preliminary(self, *, date: dt.date | str | None = None) -> AllocationYear:
        """Run June's preliminary round (ideal only); ``date``: the day it was run."""
        table = ideal_table(self.units, self.parameters)
        dates, _ = _dated("preliminary", self.year, date, None, self.kept_before("preliminary"))
        item = Round(
            "preliminary",
            self.parameters,
            self.units,
            _with_changes(table, self._before("preliminary")),
            {"scenario": None, "decrease_limit": None, "policy": None,
             # What whole kronor cannot place: the öre of a budget (docs/process.md).
             "unallocated": self.parameters.budget - int(table["amount"].sum()),
             "allocated": int(table["amount"].sum())},
            **dates,
        )  # fmt: skip
        return self.with_round(item)

    @property
    def entitled(self) -> pd.Series:
        """What each unit was *berättigad till*: June's preliminary amounts (docs/process.md).

        The preliminary round's amounts as they were sent (a record, never
        recomputed); before that round has run, the ideal of the year's units at
        the year's budget, as June would send it.

        Examples
        --------
        >>> import finsam_opt as fo
        >>> example = fo.national_example()
        >>> year = fo.AllocationYear(2027, example.units, example.parameters).preliminary()
        >>> int(year.entitled.sum())
        339000000
        """
        for item in self.rounds:
            if item.name == "preliminary":
                return item.table["amount"]
        return ideal_table(self.units, self.parameters)["amount"]

    def second_preliminary(
        self, answers: pd.DataFrame | None = None, *, date: dt.date | str | None = None
    ) -> AllocationYear:
        """Run September's round with the units' answers, caps and floors.

        ``answers`` may date each answer in a column ``answered_on``; one dated
        after 31 August is reported in the round's ``late``.
        """
        return self._allocate("second_preliminary", answers, self.parameters, date)

    def revised(
        self, answers: pd.DataFrame | None = None, *, date: dt.date | str | None = None
    ) -> AllocationYear:
        """Run the revised round after week 42 with the new information sent by then.

        Examples
        --------
        >>> import finsam_opt as fo
        >>> example = fo.national_example()
        >>> year = fo.AllocationYear(2027, example.units, example.parameters)
        >>> revised = year.preliminary().second_preliminary().revised().round("revised")
        >>> revised.date.isoformat(), revised.input_due.isoformat(), revised.late
        ('2026-10-31', '2026-10-16', ())
        """
        return self._allocate("revised", answers, self.parameters, date)

    def final(
        self,
        budget: float | None = None,
        answers: pd.DataFrame | None = None,
        *,
        date: dt.date | str | None = None,
    ) -> AllocationYear:
        """Run the final round with the budget bill's amount and any late answers."""
        params = self.parameters if budget is None else replace(self.parameters, budget=budget)
        return self._allocate("final", answers, params, date)

    def surplus(
        self,
        applications: pd.DataFrame | pd.Series,
        *,
        returned: pd.Series | Mapping[object, float] | None = None,
        policy: str | None = None,
        kappa: float = DEFAULT_KAPPA,
        date: dt.date | str | None = None,
    ) -> AllocationYear:
        """Run the spring call for ofördelade medel after the final round.

        Applications may be dated in a column ``answered_on``; one dated after
        31 May is reported in the round's ``late``.

        The amount redistributed is the final round's unallocated amount plus
        what units handed back; the round's ``amount`` is the final amount minus
        the unit's return plus its grant, so ``change_from_previous_round`` is
        what each unit was granted or gave back. Money is conserved to the krona
        (checked): Σ final − Σ returned + Σ granted + unallocated = budget. The
        final round's unit table (equity, turnover) and parameters (staircase,
        rounding unit) are used.

        Parameters
        ----------
        applications : pandas.DataFrame or pandas.Series
            Additional state amount per applying unit, kronor: a Series, or a
            table with ``application`` and optionally ``municipal_extra`` and
            ``regional_extra`` (as :func:`finsam_opt.io.read_applications` reads).
        returned : pandas.Series or mapping, optional
            Funds handed back late per unit, kronor, each at most the unit's final
            amount; a unit that hands money back cannot apply in the same round.
        policy : str, optional
            A surplus policy (:data:`finsam_opt.SURPLUS_POLICIES`); by default
            ``equity-first`` with a staircase, ``proportional`` without one.
        kappa : float
            Strength of ``equity-penalty``.

        Examples
        --------
        >>> import pandas as pd, finsam_opt as fo
        >>> example = fo.national_example()
        >>> year = fo.AllocationYear(2027, example.units, example.parameters).final()
        >>> gotland = "Samordningsförbundet Gotland"
        >>> vansbro = "Samordningsförbundet Vansbro m.fl."
        >>> year = year.surplus(pd.Series({gotland: 2e6}), returned={vansbro: 500_000})
        >>> spring = year.round("surplus")
        >>> int(spring.table.loc[gotland, "change_from_previous_round"])
        2000000
        >>> int(spring.table.loc[vansbro, "change_from_previous_round"])
        -500000
        >>> round(spring.summary["available"]), int(spring.table["amount"].sum())
        (14463080, 326536920)
        >>> int(spring.table["amount"].sum()) + round(spring.summary["unallocated"])  # the budget
        339000000
        """
        final = self.round("final")
        dates, sent = _dated("surplus", self.year, date, applications, self.kept_before("surplus"))
        extra = redistribute(
            applications if sent is None else sent,
            max(0.0, float(final.summary["unallocated"])),  # type: ignore[arg-type]
            final.parameters,
            policy,
            units=final.units,
            returned=returned,
            decided=final.table["amount"],
            kappa=kappa,
        )
        table = extra.table.drop(columns=["decided"])
        fractional = table.index[table["returned"] % 1 != 0]
        if len(fractional):
            raise InputError(
                f"{describe_units(list(fractional))}: a return must be whole kronor, as the "
                "decided amounts are (an öre handed back would be lost from the year's total)",
                sv=f"{describe_units(list(fractional), 'sv')}: ett återlämnat belopp måste vara "
                "hela kronor, som de beslutade beloppen (ett återlämnat öre skulle försvinna ur "
                "årets summa)",
                column="returned",
                units=list(fractional),
            )
        amount = final.table["amount"] - table["returned"] + table["granted_rounded"]
        table.insert(0, "amount", amount.astype("int64"))
        table = _with_entitled(
            _with_changes(table, self._before("surplus")),
            self.entitled,
            final.table["entitled"] + final.table["difference_from_budget"],
        )
        item = Round(
            "surplus",
            final.parameters,
            final.units,
            table,
            _surplus_summary(extra) | _entitled_summary(table),
            **dates,
        )
        return self.with_round(item)

    def _allocate(
        self, name: str, answers: pd.DataFrame | None, params: Parameters, date: object
    ) -> AllocationYear:
        dates, sent = _dated(name, self.year, date, answers, self.kept_before(name))
        units = replace(self, rounds=self.kept_before(name))._latest_units()
        if isinstance(sent, pd.DataFrame):
            units = merge_answers(units, sent).units
        result = allocate(units, params, policy=self.policy)
        table = result.table.copy()
        table.insert(0, "amount", table["allocation_rounded"])
        ideal = ideal_table(units, params)["amount"]
        table = _with_entitled(_with_changes(table, self._before(name)), self.entitled, ideal)
        if "synthetic" in units.columns:  # the national example says what is invented
            table["synthetic"] = units["synthetic"].reindex(table.index)
        summary = _summary(result) | _entitled_summary(table)
        item = Round(name, params, units, table, summary, **dates)
        return replace(self.with_round(item), units=self.units, parameters=self.parameters)

    def _latest_units(self) -> pd.DataFrame:
        for item in reversed(self.rounds):
            if any(c in item.units.columns for c in ANSWER_COLUMNS):
                return item.units
        return self.units

    def save(self, directory: str | Path) -> Path:
        """Save the year to a folder of readable files (JSON and CSV).

        ``process.json`` holds the year, policy, parameters and the round list;
        ``units.csv`` the inputs; per round ``<n>_<round>.csv`` (the table, read
        back on load), ``<n>_<round>.xlsx`` (the same with Swedish headers, for
        people) and ``<n>_<round>_units.csv`` (the inputs it used). Saving a year
        whose rounds were run again removes the files of the rounds it no longer
        has.
        """
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        before = _round_files(directory)
        state = {
            "year": self.year,
            "policy": self.policy,
            "parameters": _params_json(self.parameters),
            "rounds": [],
        }
        # One set: a failure leaves the previously saved year as it was, not half replaced.
        with atomic_outputs():
            _write_frame(self.units, directory / "units.csv")
            for number, item in enumerate(self.rounds, start=1):
                stem = f"{number}_{item.name}"
                _write_frame(item.table, directory / f"{stem}.csv")
                # The same table with Swedish headers and a totals row, for people.
                write_table(
                    item.table.rename_axis("unit").reset_index(),
                    directory / f"{stem}.xlsx",
                    _round_rows(item),
                )
                _write_frame(item.units, directory / f"{stem}_units.csv")
                state["rounds"].append(  # type: ignore[attr-defined]
                    {
                        "name": item.name,
                        "file": f"{stem}.csv",
                        "units": f"{stem}_units.csv",
                        "parameters": _params_json(item.parameters),
                        "summary": _json_safe(item.summary),
                        **_dates_json(item),
                    }
                )
            with atomic_outputs([directory / STATE_FILE]) as (temporary,):
                temporary.write_text(
                    json.dumps(state, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
                )
            # A round run again drops the rounds after it: their files go with the set,
            # so the folder shows only what process.json lists.
            remove_with_outputs(before - _round_files(directory, state))
        return directory

    @classmethod
    def load(cls, directory: str | Path) -> AllocationYear:
        """Load a year saved with :meth:`save`."""
        directory = Path(directory)
        state_file = directory / STATE_FILE
        if not state_file.is_file():
            raise InputError(
                f"{directory}: not a saved allocation year (no {STATE_FILE})",
                sv=f"{directory}: inget sparat tilldelningsår (ingen {STATE_FILE})",
            )
        try:
            state = json.loads(read_bytes(state_file).decode("utf-8"))
            units = _read_frame(directory / "units.csv")
            rounds = tuple(
                Round(
                    entry["name"],
                    _params_from_json(entry["parameters"]),
                    _read_frame(directory / entry["units"]),
                    _read_frame(directory / entry["file"]),
                    entry["summary"],
                    **_dates_from_json(entry),
                )
                for entry in state["rounds"]
            )
            return cls(
                int(state["year"]),
                units,
                _params_from_json(state["parameters"]),
                state["policy"],
                rounds,
            )
        except (KeyError, TypeError, ValueError, FileNotFoundError) as error:
            why = error.text("sv") if isinstance(error, InputError) else str(error)
            raise InputError(
                f"{state_file}: a damaged saved year ({error})",
                sv=f"{state_file}: ett skadat sparat år ({why})",
            ) from error


def _round_rows(item: Round) -> list[tuple[str, object, Kind]]:
    """The round's Parametrar sheet: when it ran, what it placed and what it left, and the
    model's parameters, so the table's total can be checked against the budget."""
    allocated = float(item.table["amount"].sum())
    left = item.summary.get("unallocated")
    rows: list[tuple[str, object, Kind]] = [
        ("Omgång", round_name(item.name, "sv"), Kind.TEXT),
        ("Kördes", "" if item.date is None else item.date.isoformat(), Kind.TEXT),
        ("Sista dag", "" if item.due is None else item.due.isoformat(), Kind.TEXT),
        ("Fördelat (kr)", allocated, Kind.KRONOR),
        ("Ofördelat (kr)", float(left) if isinstance(left, (int, float)) else 0.0, Kind.EXACT),
    ]
    return rows + model_parameter_rows(item.parameters)


def _round_files(directory: Path, state: dict[str, Any] | None = None) -> set[Path]:
    """The files of the rounds ``state`` lists, by default the saved ``process.json``
    (none if it is unreadable)."""
    try:
        if state is None:
            state = json.loads((directory / STATE_FILE).read_text(encoding="utf-8"))
        rounds = state["rounds"]  # type: ignore[index]
        names = [name for entry in rounds for name in (entry["file"], entry["units"])]
    except (OSError, ValueError, KeyError, TypeError):
        return set()
    files = {directory / Path(name).name for name in names}
    return files | {f.with_suffix(".xlsx") for f in files if not f.stem.endswith("_units")}


def _later(name: str, than: str) -> bool:
    """Whether round ``name`` comes after round ``than`` in a year's calendar."""
    return name in ROUNDS and than in ROUNDS and ROUNDS.index(name) > ROUNDS.index(than)


def _dates_json(item: Round) -> dict[str, object]:
    """The round's dates as ISO texts (None where it has none) and what was late."""
    iso = {k: getattr(item, k) for k in ("date", "due", "input_due")}
    return {k: None if v is None else v.isoformat() for k, v in iso.items()} | {
        "late": [late.to_json() for late in item.late]
    }


def _dates_from_json(entry: dict[str, Any]) -> dict[str, Any]:
    # A year saved before rounds had dates has none.
    dates = {k: entry.get(k) for k in ("date", "due", "input_due")}
    parsed = {k: None if v is None else as_date(v, k) for k, v in dates.items()}
    return parsed | {"late": tuple(Late.from_json(late) for late in entry.get("late", ()))}


def _params_json(params: Parameters) -> dict[str, object]:
    staircase = None
    if params.staircase is not None:
        # JSON has no infinity: the open-ended last bound is written as null.
        bounds = [None if math.isinf(b) else b for b in params.staircase.upper_bounds]
        columns = (bounds, list(params.staircase.fractions))
        staircase = dict(zip(STAIRCASE_COLUMNS, columns, strict=True))
    return {
        "budget": params.budget,
        "base_amount": params.base_amount,
        "weight_support": params.weight_support,
        "weight_population": params.weight_population,
        "decrease_limit": params.decrease_limit,
        "rounding_unit": params.rounding_unit,
        "staircase": staircase,
        "equity_floor": str(params.equity_floor),
        "unanswered": str(params.unanswered),
    }


def _params_from_json(entry: dict[str, Any]) -> Parameters:
    values = dict(entry)
    if "exempt_excess_equity" in values:  # a year saved before equity_floor existed
        values["equity_floor"] = "always" if values.pop("exempt_excess_equity") else "never"
    staircase = values.pop("staircase", None)
    if staircase is not None:
        values["staircase"] = Staircase.from_frame(pd.DataFrame(staircase))
    return Parameters(**values)


def _json_safe(summary: dict[str, object]) -> dict[str, object]:
    safe: dict[str, object] = {}
    for key, value in summary.items():
        if isinstance(value, (np.integer,)):
            value = int(value)
        elif isinstance(value, (float, np.floating)):
            value = None if math.isnan(value) else float(value)
        safe[key] = value
    return safe


def _write_frame(frame: pd.DataFrame, path: Path) -> None:
    with atomic_outputs([path]) as (temporary,):
        frame.to_csv(temporary, index_label="unit")


def _read_frame(path: Path) -> pd.DataFrame:
    # Through the readers' limits (a regular file of at most 20 MB), then pandas.
    frame = pd.read_csv(io.BytesIO(read_bytes(path)), index_col="unit", keep_default_na=True)
    frame.index = frame.index.astype(str)
    return frame
