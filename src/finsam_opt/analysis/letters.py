"""Planning letters: what a forecast implies for one förbund over the next years, and why.

The letter follows the sources' planning section ("Hur går det att planera
långsiktigt med modellen", seed ``000``): a förbund below its ideal can expect
more if its municipalities and region match more; a förbund at its ideal can
expect about the same; a förbund held up by the 10 % limit can expect at most
−10 % a year until it reaches its ideal. The letter says which case applies,
with the forecast's numbers, and draws the förbund's fan chart. Letters are
Swedish by default (``lang="en"`` for English).
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from finsam_opt.analysis.forecast import Forecast, Reason
from finsam_opt.engine.explain import assumed_parties
from finsam_opt.errors import InputError
from finsam_opt.io.safe import atomic_outputs
from finsam_opt.io.workbook import Column, Kind, Sheet, write_workbook
from finsam_opt.language.numbers import format_mkr, format_percent
from finsam_opt.language.words import DECISION_HEADERS, check_language, label, term

__all__ = ["PlanningLetter", "planning_letter", "write_forecast", "write_letters"]

_MKR = 1e6


@dataclass(frozen=True)
class PlanningLetter:
    """One förbund's planning letter.

    Attributes
    ----------
    unit : hashable
        The förbund.
    title : str
    paragraphs : tuple of str
        The letter's text: what to expect, why, and what the forecast assumes.
    table : pandas.DataFrame
        Year by year: ``year``, ``p10``, ``median``, ``p90`` (kronor), ``on_floor``
        (probability), ``capped_median`` (the ideal as far as matching allows,
        kronor) and ``reason`` (in the letter's language).
    lang : str

    Examples
    --------
    >>> import finsam_opt as fo
    >>> f = fo.forecast(fo.example_units(), fo.Parameters(budget=20_000_000), years=4,
    ...                 scenarios=50, first_year=2027)
    >>> letter = fo.planning_letter(f, "B")
    >>> letter.title
    'Planeringsbrev för B, 2027–2030'
    >>> letter.paragraphs[0][:60]
    'B har fått mer än idealfördelningen föreslår, eftersom 10 pr'
    """

    unit: Hashable
    title: str
    paragraphs: tuple[str, ...]
    table: pd.DataFrame
    lang: str

    def html_section(self, chart: bool = True) -> str:
        """The letter as an HTML ``<section>`` (with its fan chart as an inline PNG)."""
        text = "".join(f"<p>{html.escape(p)}</p>\n" for p in self.paragraphs)
        image = ""
        if chart:
            image = _chart(self)
        return (
            f'<section class="letter">\n<h2>{html.escape(self.title)}</h2>\n{text}{image}'
            f"{_html_table(self)}</section>\n"
        )


def planning_letter(forecast: Forecast, unit: Hashable, lang: str = "sv") -> PlanningLetter:
    """The planning letter of ``unit`` from a forecast.

    Parameters
    ----------
    forecast : Forecast
        What :func:`finsam_opt.forecast` returned.
    unit : hashable
        A förbund in the forecast.
    lang : {'sv', 'en'}

    Returns
    -------
    PlanningLetter

    Examples
    --------
    >>> import finsam_opt as fo
    >>> f = fo.forecast(fo.example_units(), fo.Parameters(budget=20_000_000), years=3,
    ...                 scenarios=20)
    >>> fo.planning_letter(f, "A", lang="en").paragraphs[0][:52]
    'A received its ideal allocation (8.79 Mkr in 1), and'
    """
    check_language(lang)
    bands = forecast.bands[forecast.bands["unit"] == unit]
    if bands.empty:
        raise InputError(
            f"unit {unit!r} is not in this forecast",
            sv=f"förbundet {unit!r} finns inte i den här prognosen",
            units=[unit],
        )
    years = bands["year"].tolist()
    first = bands.iloc[0]
    reached = forecast.reached_ideal.loc[[unit]].iloc[0]
    words = _WORDS[lang]
    numbers = {
        "unit": unit,
        "first": years[0],
        "last": years[-1],
        "now": _mkr(first["median"], lang),
        "next_low": _mkr(bands.iloc[min(1, len(bands) - 1)]["p10"], lang),
        "next_high": _mkr(bands.iloc[min(1, len(bands) - 1)]["p90"], lang),
        "end_median": _mkr(bands.iloc[-1]["median"], lang),
        "end_low": _mkr(bands.iloc[-1]["p10"], lang),
        "end_high": _mkr(bands.iloc[-1]["p90"], lang),
        "ideal": _mkr(first["ideal_median"], lang),
        "relaxed": _relaxed(forecast, words, lang),
        "year": _year(reached, lang),
        "share": _percent(float(reached["probability"]), lang),
        "futures": f"{forecast.futures:,}".replace(",", " " if lang == "sv" else ","),
    }
    reason = Reason(first["reason"])
    paragraphs = [words[f"case_{reason}"].format(**numbers)]
    if reason is Reason.FLOOR:
        # "troligen år inte inom perioden" is no sentence: a förbund that reaches its ideal
        # in no future is told so in words of its own.
        reached_any = np.isfinite(reached["median_year"])
        paragraphs.append(words["reach" if reached_any else "never"].format(**numbers))
    paragraphs.append(words["range"].format(**numbers))
    assumed = forecast.assumed[forecast.assumed["unit"] == unit]
    if not assumed.empty:  # MODEL.md §4a: every output names a unit that has not answered
        how = str(term(assumed["assumed_as"].iloc[0], lang))
        parties = assumed_parties(assumed, lang).removeprefix(f"{unit} (").removesuffix(")")
        paragraphs.append(words["unanswered"].format(how=how, parties=parties, **numbers))
    paragraphs.append(words["assumptions"].format(**numbers))
    table = pd.DataFrame(
        {
            "year": bands["year"].to_numpy(),
            "p10": bands["p10"].to_numpy(),
            "median": bands["median"].to_numpy(),
            "p90": bands["p90"].to_numpy(),
            "on_floor": bands["on_floor"].to_numpy(),
            "capped_median": bands["capped_median"].to_numpy(),
            "reason": [words[f"reason_{Reason(r)}"] for r in bands["reason"]],
        }
    )
    title = words["title"].format(**numbers)
    return PlanningLetter(unit, title, tuple(paragraphs), table, lang)


def write_letters(
    forecast: Forecast,
    directory: str | Path,
    lang: str = "sv",
    units: Sequence[Hashable] | None = None,
) -> list[Path]:
    """Write one HTML planning letter per förbund into ``directory`` (created if needed).

    Parameters
    ----------
    forecast : Forecast
    directory : str or pathlib.Path
    lang : {'sv', 'en'}
    units : sequence, optional
        The förbund to write (default: every förbund in the forecast's first year).

    Returns
    -------
    list of pathlib.Path
        The files written, one per förbund, named after it.

    Examples
    --------
    >>> import pathlib, tempfile, finsam_opt as fo
    >>> f = fo.forecast(fo.example_units(), fo.Parameters(budget=20_000_000), years=2,
    ...                 scenarios=10)
    >>> paths = fo.write_letters(f, pathlib.Path(tempfile.mkdtemp()) / "brev", units=["B"])
    >>> paths[0].name, "Planeringsbrev för B" in paths[0].read_text(encoding="utf-8")
    ('B.html', True)
    """
    check_language(lang)
    chosen = list(forecast.outcomes[0].ids) if units is None else list(units)
    letters = [planning_letter(forecast, unit, lang) for unit in chosen]
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    targets = [folder / f"{_file_name(letter.unit)}.html" for letter in letters]
    pages = [_page(letter) for letter in letters]

    with atomic_outputs(targets) as temporaries:
        for temporary, page in zip(temporaries, pages, strict=True):
            temporary.write_text(page, encoding="utf-8")
    return targets


def write_forecast(forecast: Forecast, path: str | Path, lang: str = "sv") -> Path:
    """Write a forecast workbook: the bands of every förbund and one letter sheet each.

    Parameters
    ----------
    forecast : Forecast
    path : str or pathlib.Path
        The ``.xlsx`` file.
    lang : {'sv', 'en'}

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import pathlib, tempfile, openpyxl, finsam_opt as fo
    >>> f = fo.forecast(fo.example_units(), fo.Parameters(budget=20_000_000), years=2,
    ...                 scenarios=10)
    >>> path = fo.write_forecast(f, pathlib.Path(tempfile.mkdtemp()) / "prognos.xlsx")
    >>> openpyxl.load_workbook(path).sheetnames
    ['Prognos', 'A', 'B', 'C', 'D', 'E', 'Parametrar']
    """
    check_language(lang)
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise InputError(
            f"{target.name}: a forecast is written as .xlsx",
            sv=f"{target.name}: en prognos skrivs som .xlsx; välj den filändelsen",
        )
    words = _WORDS[lang]
    bands = forecast.bands.assign(
        reason=[words[f"reason_{Reason(r)}"] for r in forecast.bands["reason"]]
    )
    columns = (
        Column("unit", label("unit", lang), Kind.TEXT),
        Column("year", label("year", lang), Kind.COUNT),
        Column("p10", words["p10"], Kind.KRONOR),
        Column("median", words["median"], Kind.KRONOR),
        Column("p90", words["p90"], Kind.KRONOR),
        Column("ideal_median", label("ideal", lang), Kind.KRONOR),
        Column("capped_median", words["ideal"], Kind.KRONOR),
        Column("on_floor", words["on_floor"], Kind.PERCENT),
        Column("at_cap", words["at_cap"], Kind.PERCENT),
        Column("reason", words["reason"], Kind.TEXT),
        *(
            Column(flag, DECISION_HEADERS[flag][0 if lang == "sv" else 1], Kind.BOOL)
            for flag in ("municipal_match_assumed", "regional_match_assumed")
            if flag in bands.columns
        ),
    )
    sheets = [Sheet(words["sheet"], bands, columns)]
    names: set[str] = {words["sheet"]}
    for unit in forecast.outcomes[0].ids:
        letter = planning_letter(forecast, unit, lang)
        sheets.append(_letter_sheet(letter, _sheet_name(unit, names), words))
    sv = lang == "sv"
    policy = getattr(forecast.policy, "name", forecast.policy)
    years = f"{forecast.year_labels[0]}–{forecast.year_labels[-1]}"
    parameters = (
        "Parametrar" if sv else "Parameters",
        [
            ("Antal framtider" if sv else "Futures", forecast.futures, Kind.COUNT),
            ("Frö" if sv else "Seed", forecast.seed, Kind.COUNT),
            ("Princip" if sv else "Policy", str(term(policy, lang)), Kind.TEXT),
            ("År" if sv else "Years", years, Kind.TEXT),
            *(
                [("Obesvarat bidrag tas som" if sv else "Unanswered contribution taken as",
                  str(term(forecast.assumed["assumed_as"].iloc[0], lang)), Kind.TEXT)]
                if not forecast.assumed.empty
                else []
            ),
        ],
    )  # fmt: skip
    with atomic_outputs([target]) as (temporary,):
        write_workbook(temporary, sheets, parameters, yes_no=("ja", "nej") if sv else ("yes", "no"))
    return target


def _letter_sheet(letter: PlanningLetter, name: str, words: dict[str, str]) -> Sheet:
    lines = [letter.title, *letter.paragraphs, ""]
    lines += [words["row"].format(**row) for row in _formatted_rows(letter)]
    frame = pd.DataFrame({"text": lines})
    return Sheet(name, frame, (Column("text", words["letter"], Kind.TEXT),))


def _sheet_name(unit: Hashable, taken: set[str]) -> str:
    short = re.sub(r"^Samordningsförbundet\s+", "", str(unit))
    short = re.sub(r"[\[\]:*?/\\]", "-", short)[:31]
    name, number = short, 2
    while name in taken:
        suffix = f" ({number})"
        name, number = short[: 31 - len(suffix)] + suffix, number + 1
    taken.add(name)
    return name


def _file_name(unit: Hashable) -> str:
    return re.sub(r"[^\w.-]+", "_", str(unit)).strip("_.") or "forbund"


def _relaxed(forecast: Forecast, words: dict[str, str], lang: str) -> str:
    """The sentence on the relaxed limit, or nothing when the limit never moved."""
    limits = np.concatenate([o.decrease_limit for o in forecast.outcomes])
    finite = limits[np.isfinite(limits)]
    if finite.size == 0 or finite.max() <= finite.min() + 1e-9:
        return ""
    return words["relaxed"].format(limit=_percent(float(finite.max()), lang))


def _mkr(value: float, lang: str) -> str:
    return format_mkr(float(value), lang, decimals=2)


def _percent(value: float, lang: str) -> str:
    return format_percent(float(value), lang, decimals=0)


def _year(reached: pd.Series, lang: str) -> str:
    if not np.isfinite(reached["median_year"]):
        return "inte inom perioden" if lang == "sv" else "not within the period"
    return f"{reached['median_year']:.0f}"


def _chart(letter: PlanningLetter) -> str:
    from finsam_opt.analysis.forecast_plots import plot_fan

    try:
        figure = plot_fan(letter.table, str(letter.unit), lang=letter.lang)
    except ImportError:
        return f"<p>{html.escape(label('no_plots', letter.lang))}</p>\n"
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    alt = html.escape(letter.title)
    return f'<img alt="{alt}" src="data:image/png;base64,{data}">\n'


def _formatted_rows(letter: PlanningLetter) -> list[dict[str, str]]:
    """The letter's table as text, year by year, in the letter's language."""
    return [
        {
            "year": f"{int(row['year'])}",
            "low": _mkr(float(row["p10"]), letter.lang),
            "median": _mkr(float(row["median"]), letter.lang),
            "high": _mkr(float(row["p90"]), letter.lang),
            "floor": _percent(float(row["on_floor"]), letter.lang),
            "reason": str(row["reason"]),
        }
        for row in letter.table.to_dict("records")
    ]


def _html_table(letter: PlanningLetter) -> str:
    words = _WORDS[letter.lang]
    head = "".join(
        f"<th>{html.escape(h)}</th>"
        for h in (
            label("year", letter.lang),
            words["p10"],
            words["median"],
            words["p90"],
            words["on_floor"],
            words["reason"],
        )
    )
    rows = []
    for row in _formatted_rows(letter):
        cells = [row[k] for k in ("year", "low", "median", "high", "floor", "reason")]
        rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>\n"


_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto;
       max-width: 50em; color: #222; padding: 0 1em; line-height: 1.45; }
h2 { font-size: 1.3em; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: right; }
th { background: #eef2f7; }
td:last-child, th:last-child { text-align: left; }
img { max-width: 100%; height: auto; display: block; margin: 0.8em 0; }
"""


def _page(letter: PlanningLetter) -> str:
    title = html.escape(letter.title)
    return (
        f'<!DOCTYPE html>\n<html lang="{letter.lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"{letter.html_section()}</body>\n</html>\n"
    )


_WORDS: dict[str, dict[str, str]] = {
    "sv": {
        "title": "Planeringsbrev för {unit}, {first}–{last}",
        "case_floor": (
            "{unit} har fått mer än idealfördelningen föreslår, eftersom 10 procents spärren "
            "slagit in: {now} år {first} mot en idealfördelning på {ideal}. Förbundet kan "
            "därför med stor sannolikhet räkna med en minskad fördelning åren efter. "
            "Minskningen ska maximalt vara på 10 % per år.{relaxed}"
        ),
        "case_matching": (
            "{unit} har fått en mindre tilldelning ({now} år {first}) än i idealfördelningen "
            "({ideal}), eftersom kommunerna och regionen inte matchar mer. Om region och "
            "kommuner signalerar att de kan matcha med ett högre belopp till nästkommande år "
            "kan förbundet räkna med att troligtvis få en högre tilldelning."
        ),
        "case_cut": (
            "{unit} fick {now} år {first}, mindre än idealfördelningen ({ideal}), eftersom "
            "budgeten inte räckte till alla förbunds golv och förbundets ökning skalades ned."
        ),
        "case_ideal": (
            "{unit} har fått medel enligt idealfördelningen ({now} år {first}) och kan räkna "
            "med att fördelningen året efter blir i ungefär samma storlek."
        ),
        "relaxed": (
            " I prognosens framtider där budgeten inte räcker till alla golv justeras "
            "spärren, som mest till {limit}."
        ),
        "reach": (
            "Förbundet når sin idealfördelning troligen år {year} (i {share} av "
            "framtiderna inom perioden)."
        ),
        "never": (
            "Förbundet når inte sin idealfördelning till år {last} i någon av prognosens framtider."
        ),
        "range": (
            "I hälften av prognosens {futures} framtider får förbundet mer och i hälften "
            "mindre än {end_median} år {last}; i åtta av tio framtider mellan {end_low} och "
            "{end_high}. Året efter {first}: mellan {next_low} och {next_high}."
        ),
        "assumptions": (
            "Prognosen antar statens budget, invånarantal, försörjningsmått och matchning "
            "enligt sina antaganden. Förändringar i invånarantal, försörjningsmått och antal "
            "kommuner och regioner som deltar påverkar också fördelningen från år till år."
        ),
        "unanswered": (
            "{unit} har inte svarat om matchningen ({parties}). Prognosen antar det som "
            "saknas: {how} (antaget, ej besvarat); med ett svar kan beloppet bli ett annat."
        ),
        "reason_floor": "golvet (10 procents spärren)",
        "reason_matching": "matchningen",
        "reason_cut": "nedskalad i underskott",
        "reason_ideal": "idealfördelningen",
        "row": "{year}: {median} (mellan {low} och {high}); på golvet {floor}; {reason}",
        "p10": "Låg (10 %)",
        "median": "Median",
        "p90": "Hög (90 %)",
        "ideal": "Ideal (så långt matchningen räcker)",
        "on_floor": "Sannolikhet på golvet",
        "at_cap": "Sannolikhet vid taket",
        "reason": "Skäl",
        "sheet": "Prognos",
        "letter": "Planeringsbrev",
    },
    "en": {
        "title": "Planning letter for {unit}, {first}–{last}",
        "case_floor": (
            "{unit} received more than the ideal allocation suggests, because the 10 % "
            "limit applied: {now} in {first} against an ideal of {ideal}. It can therefore "
            "expect, with high probability, a smaller allocation in the following years. "
            "The decrease is at most 10 % a year.{relaxed}"
        ),
        "case_matching": (
            "{unit} received less ({now} in {first}) than its ideal allocation ({ideal}), "
            "because its municipalities and region do not match more. If they signal that "
            "they can match a higher amount next year, it can expect a higher allocation."
        ),
        "case_cut": (
            "{unit} received {now} in {first}, less than its ideal ({ideal}), because the "
            "budget could not pay every floor and its gain was scaled down."
        ),
        "case_ideal": (
            "{unit} received its ideal allocation ({now} in {first}), and can expect an "
            "allocation of about the same size the year after."
        ),
        "relaxed": (
            " In the futures where the budget cannot pay every floor the limit is relaxed, "
            "to at most {limit}."
        ),
        "reach": "It probably reaches its ideal in {year} (in {share} of the futures).",
        "never": "It does not reach its ideal by {last} in any of the forecast's futures.",
        "range": (
            "In half of the forecast's {futures} futures it gets more and in half less than "
            "{end_median} in {last}; in eight out of ten between {end_low} and {end_high}. "
            "The year after {first}: between {next_low} and {next_high}."
        ),
        "assumptions": (
            "The forecast assumes the state budget, population, support measure and matching "
            "as set in its assumptions. Changes in population, support measure and the number "
            "of municipalities and regions taking part also change the allocation from year "
            "to year."
        ),
        "unanswered": (
            "{unit} has not answered on matching ({parties}). The forecast assumes what is "
            "missing: {how} (assumed, not answered); with an answer the amount may differ."
        ),
        "reason_floor": "the floor (10 % limit)",
        "reason_matching": "matching",
        "reason_cut": "scaled down in a deficit",
        "reason_ideal": "the ideal allocation",
        "row": "{year}: {median} (between {low} and {high}); on the floor {floor}; {reason}",
        "p10": "Low (10 %)",
        "median": "Median",
        "p90": "High (90 %)",
        "ideal": "Ideal (as far as matching allows)",
        "on_floor": "Probability on the floor",
        "at_cap": "Probability at the cap",
        "reason": "Reason",
        "sheet": "Forecast",
        "letter": "Planning letter",
    },
}
