"""The answer template (*svarsmall*): written per unit, filled in, read back, merged.

In August the förbund answer how much state money they apply for and what
their municipalities and region plan to contribute (seed 002). The template
shows the preliminary (ideal) allocation and last year's allocation for
information and leaves three amount cells and a comment to fill in.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from finsam_opt.domain.units import MATCH_COLUMNS, name_key
from finsam_opt.errors import InputError, describe_units
from finsam_opt.io.raw import read_bytes
from finsam_opt.io.safe import atomic_outputs
from finsam_opt.io.tables import read_table, with_unit_names
from finsam_opt.io.workbook import Column, Kind, Sheet, write_workbook

__all__ = [
    "ANSWER_COLUMNS",
    "MergedAnswers",
    "merge_answers",
    "read_answers",
    "template_path",
    "template_sheet",
    "write_templates",
]

ANSWER_COLUMNS: tuple[str, ...] = ("requested", "municipal_match", "regional_match")
"""The amounts a unit answers with, kronor."""

_SHEET = "Svar"
_COLUMNS = (
    Column("unit", "Förbund", Kind.TEXT),
    Column("region", "Region", Kind.TEXT),
    Column("preliminary", "Preliminär tilldelning (kr)", Kind.KRONOR),
    Column("previous_allocation", "Föregående års tilldelning (kr)", Kind.KRONOR),
    Column("requested", "Ansökt belopp (kr)", Kind.KRONOR),
    Column("municipal_match", "Kommunernas bidrag (kr)", Kind.KRONOR),
    Column("regional_match", "Regionens bidrag (kr)", Kind.KRONOR),
    Column("comment", "Kommentar", Kind.TEXT),
)
_INSTRUCTIONS = (
    "Svarsmall för statlig medelstilldelning till samordningsförbund",
    "",
    "Fyll i de gula cellerna i fliken Svar för ert förbund, i hela kronor (t.ex. 1234567):",
    "  Ansökt belopp: den statliga tilldelning förbundet ansöker om.",
    "  Kommunernas bidrag: vad kommunerna tillsammans planerar att avsätta.",
    "  Regionens bidrag: vad regionen planerar att avsätta.",
    "Staten bidrar med högst lika mycket som kommunerna och regionen tillsammans,",
    "dvs. högst 2 × det minsta av kommunernas och regionens bidrag.",
    "Skriv 'ingen gräns' i en bidragscell om det inte finns någon gräns.",
    "En tom cell betyder att ni inte har svarat; en rad utan svar räknas som obesvarad.",
    "Övriga celler är låsta: förbundets namn och kolumnrubrikerna ändras inte.",
)
_INVALID = (
    "Belopp i kronor",
    "Skriv ett belopp i hela kronor, 0 eller större (i bidragscellerna även 'ingen gräns').",
)


def template_path(directory: Path, unit: object) -> Path:
    """``svarsmall_<unit>.xlsx`` with characters unsafe in file names replaced."""
    safe = re.sub(r"[^\w\-. ]+", "_", str(unit), flags=re.UNICODE).strip(" .") or "forbund"
    return directory / f"svarsmall_{safe}.xlsx"


def write_templates(
    units: pd.DataFrame,
    directory: str | Path,
    *,
    preliminary: pd.Series | None = None,
    combined: bool = False,
    parameters: Sequence[tuple[str, object, Kind]] = (),
) -> list[Path]:
    """Write answer templates, one file per unit or one combined file.

    The answer cells (amounts and a comment) are empty and highlighted, the
    only unlocked cells of a protected sheet; they take whole kronor ≥ 0 (and
    'ingen gräns' for a contribution). A template sent back unchanged reads
    as unanswered.

    Parameters
    ----------
    units : pandas.DataFrame
        The unit table (index: unit); ``region`` and ``previous_allocation``
        are shown for information when present.
    directory : str or Path
        An existing folder.
    preliminary : pandas.Series, optional
        The preliminary (ideal) allocation per unit, kronor, shown for information.
    combined : bool
        One file ``svarsmall_alla.xlsx`` with a row per unit instead of one per unit.
    parameters : sequence of (label, value, Kind)
        Rows of a ``Parametrar`` sheet (the budget behind the preliminary amounts).

    Returns
    -------
    list of Path
        The files written; either all are written or none.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise InputError(
            f"{directory}: the folder does not exist", sv=f"{directory}: mappen finns inte"
        )
    if combined:
        groups = [(directory / "svarsmall_alla.xlsx", list(units.index))]
    else:
        groups = [(template_path(directory, u), [u]) for u in units.index]
        paths = [p for p, _ in groups]
        if len(set(paths)) != len(paths):
            raise InputError(
                "two units give the same template file name; use combined=True",
                sv="två förbund får samma filnamn på svarsmallen; använd combined=True "
                "(en gemensam svarsmall)",
            )
    targets = [p for p, _ in groups]
    _refuse_replacing_answers([p for p in targets if p.exists()])

    with atomic_outputs(targets) as temporaries:
        for temporary, (_, members) in zip(temporaries, groups, strict=True):
            _write_one(units.loc[members], preliminary, parameters, temporary)
    return targets


def template_sheet(rows: pd.DataFrame, preliminary: pd.Series | None) -> Sheet:
    """The answer sheet for ``rows``: their figures for information, the answer cells empty."""
    empty: list[object] = [None] * len(rows)

    def column(name: str) -> list[object]:
        return list(rows[name]) if name in rows.columns else empty

    frame = pd.DataFrame(
        {
            "unit": [str(u) for u in rows.index],
            "region": column("region"),
            "preliminary": (
                preliminary.reindex(rows.index).tolist() if preliminary is not None else empty
            ),
            "previous_allocation": column("previous_allocation"),
            **{name: empty for name in (*ANSWER_COLUMNS, "comment")},
        }
    )
    return Sheet(
        _SHEET,
        frame,
        _COLUMNS,
        answers=(*ANSWER_COLUMNS, "comment"),
        invalid=_INVALID,
        no_limit_answers=MATCH_COLUMNS,
        no_limit="ingen gräns",
    )


def _write_one(
    rows: pd.DataFrame,
    preliminary: pd.Series | None,
    parameters: Sequence[tuple[str, object, Kind]],
    path: Path,
) -> None:
    write_workbook(
        path,
        [template_sheet(rows, preliminary)],
        ("Parametrar", parameters) if parameters else None,
        instructions=("Instruktioner", _INSTRUCTIONS),
    )


def _refuse_replacing_answers(existing: list[Path]) -> None:
    """A template that came back filled in is an answer: a new template must not erase it."""
    if not existing:
        return
    answered = read_answers(existing)
    if len(answered):
        files = sorted({Path(f).name for f in answered["file"]})
        named = f"{', '.join(files[:5])}{' …' if len(files) > 5 else ''}"
        raise InputError(
            f"{named}: already holds answers ({len(answered)} förbund); write the new templates "
            "to another folder, or move the answered files first (finsam-opt answers reads them)",
            sv=f"{named}: innehåller redan svar ({len(answered)} förbund); skriv de nya "
            "svarsmallarna till en annan mapp, eller flytta först de besvarade filerna "
            "(finsam-opt answers läser dem)",
        )


def read_answers(
    paths: str | Path | Iterable[str | Path], units: Iterable[object] | None = None
) -> pd.DataFrame:
    """Read filled-in templates (files, or a folder of ``svarsmall_*.xlsx``) into one table.

    Parameters
    ----------
    paths : path or iterable of paths
        Answer files (.xlsx or .csv), or one folder.
    units : iterable, optional
        The known units; an answer for any other unit is an error. An answer
        whose name differs only in case, spaces or Unicode form (docs/data.md)
        is the unit's answer, indexed by the unit table's name.

    Returns
    -------
    pandas.DataFrame
        Indexed by unit: ``requested``, ``municipal_match``, ``regional_match``
        (kronor, NaN where left empty) and ``comment``, ``answered_on`` (a date)
        when a file has the column *Svarsdatum*, plus ``file``. A row
        left entirely blank (a template sent back unchanged) is no answer and
        is left out.

    Raises
    ------
    InputError
        A malformed file (file, sheet, row, column named), a unit answered in
        two files, or an unknown unit. Nothing is returned half.
    """
    files = _answer_files(paths)
    known = None if units is None else {name_key(u): u for u in units}
    tables = []
    seen: dict[object, str] = {}
    for path in files:
        sheet = _SHEET if path.suffix.lower() == ".xlsx" and _has_sheet(path) else None
        table = read_table(path, "answers", sheet)
        if known is not None:
            table = with_unit_names(table, known.values())
        for unit in table.index:
            if unit in seen:
                raise InputError(
                    f"{path.name}: unit '{unit}' is answered twice (also in {seen[unit]})",
                    sv=f"{path.name}: förbundet '{unit}' har svarat två gånger (även i "
                    f"{seen[unit]})",
                    units=[unit],
                )
            if known is not None and name_key(unit) not in known:
                raise InputError(
                    f"{path.name}: answer for unit '{unit}', which is not in the unit table",
                    sv=f"{path.name}: svar från förbundet '{unit}', som inte finns i "
                    "förbundstabellen",
                    units=[unit],
                )
            seen[unit] = path.name
        tables.append(_answered(table).assign(file=path.name))
    answers = pd.concat(tables)
    for column in (*ANSWER_COLUMNS, "comment"):
        if column not in answers.columns:
            answers[column] = np.nan if column != "comment" else None
    dated = ["answered_on"] if "answered_on" in answers.columns else []
    return answers[[*ANSWER_COLUMNS, "comment", *dated, "file"]]


def _answered(table: pd.DataFrame) -> pd.DataFrame:
    """The rows that answer: a row whose amounts and comment are all blank is unanswered."""
    given = [c for c in (*ANSWER_COLUMNS, "comment") if c in table.columns]
    if not given:
        return table
    text = table[given].astype(str).apply(lambda c: c.str.strip() == "")
    return table[~(table[given].isna() | text).all(axis=1)]


def _answer_files(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found = sorted(path.glob("svarsmall_*.xlsx")) + sorted(path.glob("svarsmall_*.csv"))
            if not found:
                raise InputError(
                    f"{path}: no answer files (svarsmall_*.xlsx) in the folder",
                    sv=f"{path}: inga svarsmallar (svarsmall_*.xlsx) i mappen",
                )
            files += found
        else:
            files.append(path)
    if not files:
        raise InputError("no answer files given", sv="inga svarsfiler angivna")
    return files


def _has_sheet(path: Path) -> bool:
    try:
        # Through the readers' limits: a pipe or a huge file named svarsmall_x.xlsx is not opened.
        book = openpyxl.load_workbook(io.BytesIO(read_bytes(path)), read_only=True)
    except Exception:
        return False  # read_table reports the problem with the file itself
    try:
        return _SHEET in book.sheetnames
    finally:
        book.close()


@dataclass(frozen=True)
class MergedAnswers:
    """A unit table with the answers merged in.

    Attributes
    ----------
    units : pandas.DataFrame
        A new table: answered amounts replace the unit's values; amounts left
        empty in an answer keep the unit's previous value.
    answered, unanswered : tuple
        The units that did and did not answer.
    """

    units: pd.DataFrame
    answered: tuple[object, ...]
    unanswered: tuple[object, ...]

    @property
    def missing_matching(self) -> pd.DataFrame:
        """The contributions still blank after the merge: ``unit`` and ``party``.

        A blank contribution is *no answer* (docs/model.md): :func:`finsam_opt.allocate`
        refuses it unless ``Parameters.unanswered`` says what to assume.
        """
        rows = [
            {"unit": unit, "party": party}
            for unit in self.units.index
            for party in MATCH_COLUMNS
            if pd.isna(self.units.loc[unit, party])
        ]
        return pd.DataFrame(rows, columns=["unit", "party"])


def merge_answers(units: pd.DataFrame, answers: pd.DataFrame) -> MergedAnswers:
    """Merge answers (from :func:`read_answers`) into a unit table; nothing is mutated.

    Raises
    ------
    InputError
        An answer for a unit that is not in the table.
    """
    unknown = [u for u in answers.index if u not in units.index]
    if unknown:
        raise InputError(
            f"answers for {describe_units(unknown)} not in the unit table",
            sv=f"svar från {describe_units(unknown, 'sv')}, som inte finns i förbundstabellen",
            units=unknown,
        )
    merged = units.copy()
    for column in ANSWER_COLUMNS:
        if column not in merged.columns:
            merged[column] = np.nan
        if column not in answers.columns:
            continue
        given = answers[column].dropna()
        merged.loc[given.index, column] = given.astype(float)
    answered = tuple(u for u in units.index if u in answers.index)
    unanswered = tuple(u for u in units.index if u not in answers.index)
    return MergedAnswers(merged, answered, unanswered)
