"""``finsam-opt round``: one round of an allocation year, kept in a folder from June to spring.

The first round starts the year (``--year`` and the units); every later round
loads the folder, runs on what the year already holds plus what this call
gives (answers, the budget bill's amount, applications, returns), and saves
the folder again (:class:`~finsam_opt.year.process.AllocationYear`,
docs/process.md). The console says the round's dates, what was late and how the
amounts compare with June's.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import pandas as pd

from finsam_opt.cli.arguments import fraction, kronor, returned_funds, returned_table
from finsam_opt.cli.help_language import help_text
from finsam_opt.cli.options import (
    add_language,
    add_units,
    announce,
    load_units,
    parameters,
    progress,
)
from finsam_opt.datasets.national import NATIONAL_BUDGET
from finsam_opt.domain.parameters import Unanswered
from finsam_opt.domain.plausibility import check_amounts
from finsam_opt.engine.explain import matching_sentence
from finsam_opt.engine.policies import DEFICIT_POLICIES
from finsam_opt.engine.surplus import DEFAULT_KAPPA, SURPLUS_POLICIES
from finsam_opt.errors import InputError
from finsam_opt.io.tables import read_applications, read_staircase
from finsam_opt.io.templates import merge_answers, read_answers
from finsam_opt.language.numbers import format_kronor, format_percent
from finsam_opt.language.words import round_name, say, term
from finsam_opt.year.calendar import as_date
from finsam_opt.year.process import ROUNDS, STATE_FILE, AllocationYear, Round

__all__ = ["add_round_parser", "run_round"]

_CHOICES = {name.replace("_", "-"): name for name in ROUNDS}
_ANSWERED = ("second_preliminary", "revised", "final")  # the rounds that take answers
_STARTING = ("base_amount", "decrease_limit", "staircase", "policy")  # fixed for the year


def add_round_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``round``: run one round of a year kept in a folder."""
    parser = subparsers.add_parser(
        "round",
        help=help_text(
            "kör en omgång av ett tilldelningsår som sparas i en mapp (juni till våren)",
            "run one round of an allocation year kept in a folder (June to spring)",
        ),
        description=help_text(
            "Kör en omgång av ett tilldelningsår och spara året i en mapp: preliminary (juni), "
            "second-preliminary (september, med svaren), revised (efter vecka 42), final "
            "(efter budgetpropositionen), surplus (våren: ofördelade medel). Den första "
            "omgången startar året (--year och förbunden); senare omgångar läser mappen."
            "\n\nexempel:\n",
            "Run one round of an allocation year and save the year in a folder: "
            "preliminary (June), second-preliminary (September, with the answers), revised "
            "(after week 42), final (after the budget bill), surplus (spring: ofördelade medel). "
            "The first round starts the year (--year and the units); later rounds read the "
            "folder.\n\nexample:\n",
        )
        + "  finsam-opt round preliminary ar2027/ forbund.xlsx --year 2027\n"
        "  finsam-opt round second-preliminary ar2027/ --answers svarsmallar/\n"
        "  finsam-opt round revised ar2027/ --answers sena_svar/ --answered-on 2026-10-20\n"
        '  finsam-opt round final ar2027/ --budget "339 Mkr"\n'
        "  finsam-opt round surplus ar2027/ --applications ansokningar.xlsx "
        '--returned "Förbund X=0,5 Mkr"',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "round",
        choices=list(_CHOICES),
        help=help_text("omgången som ska köras", "the round to run"),
    )
    parser.add_argument(
        "folder",
        help=help_text(
            "årets mapp (skapas av den första omgången)",
            "the year's folder (created by the first round)",
        ),
    )
    add_units(parser)  # only when the year starts
    # None: not given (a later round refuses them; a new year takes the defaults).
    parser.set_defaults(year=None, age_band=None, carry_previous=None)
    parser.add_argument(
        "--date",
        help=help_text(
            "dagen omgången körs, 2026-09-30 (standard: dagen den ska vara klar)",
            "the day the round is run, 2026-09-30 (default: the day it is due)",
        ),
    )
    parser.add_argument(
        "--budget",
        type=kronor,
        help=help_text(
            'kronor: årets budget när året startar ("339 Mkr"), budgetpropositionens belopp i '
            "omgången final",
            'kronor: the year\'s budget when it starts ("339 Mkr"), '
            "the budget bill's amount in the final round",
        ),
    )
    parser.add_argument(
        "--base-amount",
        type=kronor,
        help=help_text(
            "grundtilldelningen i kronor, när året startar (400 tkr)",
            "kronor, when the year starts (400 tkr)",
        ),
    )
    parser.add_argument(
        "--decrease-limit",
        type=fraction,
        help=help_text(
            'spärren, när året startar: "10 %%" (10 %%)', 'when the year starts: "10 %%" (10 %%)'
        ),
    )
    parser.add_argument(
        "--staircase",
        help=help_text(
            "trappan för eget kapital som CSV, när året startar",
            "equity staircase CSV, when the year starts",
        ),
    )
    parser.add_argument(
        "--unanswered",
        choices=[str(u) for u in Unanswered],
        help=help_text(
            "ett tomt bidrag från kommunerna eller regionen: vägra (error, standard), förra "
            "årets tilldelning / 2 (previous) eller ingen gräns (no-limit); gäller även senare "
            "omgångar",
            "a blank municipal or regional contribution: refuse (error, default), last "
            "year's allocation / 2 (previous) or no limit (no-limit); kept for later rounds",
        ),
    )
    parser.add_argument(
        "--policy",
        help=help_text(
            f"princip vid underskott när året startar ({', '.join(DEFICIT_POLICIES)}; standard "
            "raise-limit); i omgången surplus en princip för ofördelade medel "
            f"({', '.join(SURPLUS_POLICIES)})",
            f"deficit policy when the year starts ({', '.join(DEFICIT_POLICIES)}; default "
            f"raise-limit); in the surplus round a surplus policy ({', '.join(SURPLUS_POLICIES)})",
        ),
    )
    parser.add_argument(
        "--answers",
        nargs="+",
        help=help_text(
            "svarsfiler eller en mapp (omgångarna med svar)",
            "answer files or a folder (answer rounds)",
        ),
    )
    parser.add_argument(
        "--answered-on",
        help=help_text(
            "datum för de svar eller ansökningar som saknar eget (2026-09-04)",
            "the date of the answers or applications that carry none (2026-09-04)",
        ),
    )
    parser.add_argument(
        "--applications",
        help=help_text(
            "omgången surplus: ansökningarna (.xlsx/.csv)",
            "surplus round: the applications (.xlsx/.csv)",
        ),
    )
    parser.add_argument(
        "--returned",
        action="append",
        type=returned_funds,
        default=[],
        help=help_text(
            'omgången surplus: återlämnade medel, "Förbund X=0,5 Mkr" eller en tabell; kan '
            "upprepas",
            'surplus round: funds handed back, "Förbund X=0,5 Mkr" or a table; repeatable',
        ),
    )
    parser.add_argument(
        "--kappa",
        type=fraction,
        help=help_text(
            "omgången surplus: styrkan i equity-penalty (standard "
            f"{str(DEFAULT_KAPPA).replace('.', ',')})",
            f"surplus round: strength of equity-penalty ({DEFAULT_KAPPA})",
        ),
    )
    parser.add_argument(
        "--again",
        action="store_true",
        help=help_text(
            "kör en omgång som redan har körts (omgångarna efter den tas bort)",
            "run a round that has already been run (the rounds after it are dropped)",
        ),
    )
    add_language(parser)
    parser.set_defaults(function=run_round, holds="folder")  # one command at a time there
    return parser


def run_round(args: argparse.Namespace) -> int:
    """Run ``finsam-opt round``; returns the exit code 0."""
    name = _CHOICES[args.round]
    folder = Path(args.folder)
    date = None if args.date is None else as_date(args.date, "--date")
    saved = (folder / STATE_FILE).is_file()
    year = _load(args, folder) if saved else _start(args, folder)
    replaced = _replaced(year, name, args)
    _check_options(args, name, starting=not saved)
    if args.unanswered is not None:
        year = replace(year, parameters=replace(year.parameters, unanswered=args.unanswered))
    if name == "preliminary":
        year = year.preliminary(date=date)
    elif name == "surplus":
        year = _surplus(args, year, date)
    else:
        answers = _answers(args, year)
        if name == "final":
            year = year.final(args.budget, answers, date=date)
        else:
            year = getattr(year, name)(answers, date=date)
    year.save(folder)
    for line in _report(year.year, year.round(name), args.language):
        print(line)
    if replaced:
        dropped = [r for r in replaced if r != args.round]
        if dropped:
            print(say("dropped", args.language, rounds=", ".join(dropped)))
    done = ", ".join(round_name(r.name, args.language) for r in year.rounds)
    announce(say("saved_year", args.language, folder=folder, rounds=done))
    return 0


def _start(args: argparse.Namespace, folder: Path) -> AllocationYear:
    """A new year in ``folder``, from ``--year`` and the units."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        file = not folder.is_dir()
        what = "a file" if file else f"a folder with other files and no {STATE_FILE}"
        vad = "en fil" if file else f"en mapp med andra filer och ingen {STATE_FILE}"
        raise InputError(
            f"{folder}: is {what}; a new year needs a new or empty folder (a saved year "
            f"holds {STATE_FILE})",
            sv=f"{folder}: är {vad}; ett nytt år behöver en ny eller tom mapp (ett sparat år "
            f"har {STATE_FILE})",
        )
    if args.year is None:
        raise InputError(
            f"{folder}: no year there yet; start it with --year (e.g. --year 2027)",
            sv=f"{folder}: inget år där ännu; starta det med --year (till exempel --year 2027)",
        )
    # --year is the allocation year; with municipality data it also picks the memberships.
    starting = _defaults(args)
    units = load_units(
        argparse.Namespace(**{**vars(starting), "year": None if args.units else args.year})
    )
    staircase = read_staircase(args.staircase) if args.staircase else None
    params = parameters(starting, staircase=staircase)
    policy = args.policy or "raise-limit"
    if policy not in DEFICIT_POLICIES:
        raise InputError(
            f"--policy {policy}: not a deficit policy; choose {', '.join(DEFICIT_POLICIES)}",
            sv=f"--policy {policy}: ingen princip för underskott; välj "
            f"{', '.join(DEFICIT_POLICIES)}",
            column="policy",
        )
    return AllocationYear(args.year, units, params, policy)  # saved once its round has run


def _defaults(args: argparse.Namespace) -> argparse.Namespace:
    """``args`` with the parameters' defaults where a starting option was not given."""
    given = {
        "budget": NATIONAL_BUDGET if args.budget is None else args.budget,
        "base_amount": 400_000.0 if args.base_amount is None else args.base_amount,
        "decrease_limit": 0.10 if args.decrease_limit is None else args.decrease_limit,
        "unanswered": args.unanswered or str(Unanswered.ERROR),
        "age_band": args.age_band or "16-64",
        "carry_previous": True if args.carry_previous is None else args.carry_previous,
    }
    return argparse.Namespace(**{**vars(args), **given})


def _load(args: argparse.Namespace, folder: Path) -> AllocationYear:
    year = AllocationYear.load(folder)
    reading = ("units", "municipalities", "memberships", "unit_data", "sheet", "age_band")
    given = [o for o in (*reading, "carry_previous") if getattr(args, o) is not None]
    if given:
        option = f"--{given[0].replace('_', '-')}"
        table = given[0] == "units"
        raise InputError(
            f"{folder}: the year {year.year} already has its units; "
            f"{'a unit table' if table else option} is given only when a year starts (use a "
            "new folder to start again; new figures come as --answers)",
            sv=f"{folder}: året {year.year} har redan sina förbund; "
            f"{'en förbundstabell' if table else option} anges bara när ett "
            "år startar (använd en ny mapp för att börja om; nya uppgifter kommer som --answers)",
        )
    if args.year is not None and args.year != year.year:
        raise InputError(
            f"--year {args.year}: {folder} holds the year {year.year}",
            sv=f"--year {args.year}: {folder} innehåller året {year.year}",
        )
    surplus_policy = args.round == "surplus"  # --policy there is the surplus round's own
    for option in _STARTING:
        if getattr(args, option) is not None and not (option == "policy" and surplus_policy):
            raise InputError(
                f"--{option.replace('_', '-')}: fixed when the year {year.year} started; "
                "start a new folder to change it",
                sv=f"--{option.replace('_', '-')}: bestämdes när året {year.year} startade; "
                "starta en ny mapp för att ändra det",
                column=option,
            )
    return year


def _replaced(year: AllocationYear, name: str, args: argparse.Namespace) -> list[str]:
    """The rounds that running ``name`` replaces (itself, and those after it in the
    calendar): allowed only with ``--again``."""
    kept = year.kept_before(name)
    replaced = [r.name.replace("_", "-") for r in year.rounds[len(kept) :]]
    if replaced and not args.again:
        raise InputError(
            f"round {args.round} of {year.year} would replace the rounds already run "
            f"({', '.join(replaced)}): give --again to run it and drop them",
            sv=f"omgången {args.round} för {year.year} skulle ersätta omgångar som redan "
            f"körts ({', '.join(replaced)}): ange --again för att köra den och ta bort dem",
        )
    return replaced


def _check_options(args: argparse.Namespace, name: str, *, starting: bool) -> None:
    """An option the round does not use is a mistake, not something to ignore."""
    unused = {
        "--answers": args.answers and name not in _ANSWERED,
        "--budget": args.budget is not None and name != "final" and not starting,
        "--applications": args.applications and name != "surplus",
        "--returned": args.returned and name != "surplus",
        "--answered-on": args.answered_on and not (args.answers or args.applications),
        "--kappa": args.kappa is not None and args.policy != "equity-penalty",
    }
    for option, given in unused.items():
        if given:
            where, var = {
                "--answers": ("the rounds second-preliminary, revised and final",
                              "omgångarna second-preliminary, revised och final"),
                "--budget": ("the final round (and when a year starts)",
                             "omgången final (och när ett år startar)"),
                "--applications": ("the surplus round", "omgången surplus"),
                "--returned": ("the surplus round", "omgången surplus"),
                "--answered-on": ("--answers or --applications", "--answers eller --applications"),
                "--kappa": ("the surplus round with --policy equity-penalty",
                            "omgången surplus med --policy equity-penalty"),
            }[option]  # fmt: skip
            raise InputError(
                f"{option} belongs to {where}, not to round {args.round}",
                sv=f"{option} hör till {var}, inte till omgången {args.round}",
            )
    if name == "surplus" and not args.applications:
        raise InputError(
            "the surplus round needs --applications (one row per förbund)",
            sv="omgången surplus behöver --applications (en rad per förbund)",
        )


def _answers(args: argparse.Namespace, year: AllocationYear) -> pd.DataFrame | None:
    if not args.answers:
        return None
    answers = read_answers(args.answers, units=year.units.index)
    answers = _dated(answers, args.answered_on).drop(columns=["comment", "file"])
    merged = merge_answers(year.units, answers.drop(columns=["answered_on"], errors="ignore"))
    check_amounts(merged.units, year.parameters)
    progress(say("answers", args.language, answered=len(merged.answered), units=len(year.units)))
    return answers


def _surplus(args: argparse.Namespace, year: AllocationYear, date: Any) -> AllocationYear:
    applications = read_applications(args.applications, units=year.units.index)
    applications = _dated(applications, args.answered_on)
    if "comment" in applications.columns:
        applications = applications.drop(columns=["comment"])
    final = year.round("final")
    amounts = [c for c in ("application", "municipal_extra", "regional_extra") if c in applications]
    check_amounts(applications, final.parameters, tuple(amounts))
    policy = args.policy
    if policy is not None and policy not in SURPLUS_POLICIES:
        raise InputError(
            f"--policy {policy}: not a surplus policy; choose {', '.join(SURPLUS_POLICIES)}",
            sv=f"--policy {policy}: ingen princip för ofördelade medel; välj "
            f"{', '.join(SURPLUS_POLICIES)}",
            column="policy",
        )
    return year.surplus(
        applications,
        returned=returned_table(args.returned, year.units.index),
        policy=policy,
        kappa=DEFAULT_KAPPA if args.kappa is None else args.kappa,
        date=date,
    )


def _dated(table: pd.DataFrame, answered_on: str | None) -> pd.DataFrame:
    """``--answered-on`` fills the date of the rows that carry none."""
    if answered_on is None:
        return table
    day = as_date(answered_on, "--answered-on")
    dated = table.copy()
    if "answered_on" not in dated.columns:
        dated["answered_on"] = None
    dated["answered_on"] = dated["answered_on"].where(dated["answered_on"].notna(), day)
    return dated


# ---------------------------------------------------------------- what the console says


def _report(year: int, item: Round, language: str) -> list[str]:
    lines = [_dates_line(year, item, language)]
    summary, table = item.summary, item.table
    cases = ", ".join(
        f"{term(rule, language)} {count}" for rule, count in table["binding"].value_counts().items()
    ) if "binding" in table.columns else ""  # fmt: skip
    kr = lambda amount: format_kronor(float(amount), language)  # noqa: E731
    if item.name == "preliminary":
        budget = format_kronor(item.parameters.budget, language, ore=True)
        lines.append(say("ideal", language, units=len(table), budget=budget))
    elif item.name == "surplus":
        lines.append(
            say(
                "round_surplus",
                language,
                applications=int((table["application"] > 0).sum()),
                policy=term(summary["policy"], language),
                available=kr(summary["available"]),
                returned=kr(summary["returned"]),
                granted=kr(table["granted_rounded"].sum()),
                unallocated=kr(summary["unallocated"]),
                cases=cases,
            )
        )
    else:
        limit = summary["decrease_limit"]
        shown = "—" if limit is None else format_percent(float(limit), language, 2)  # type: ignore[arg-type]
        lines.append(
            say(
                "summary",
                language,
                units=len(table),
                scenario=term(summary["scenario"], language),
                policy=term(summary["policy"], language),
                budget=format_kronor(item.parameters.budget, language, ore=True),
                allocated=kr(summary["allocated"]),
                unallocated=kr(summary["unallocated"]),
                limit=shown,
                cases=cases,
            )
        )
        if "matching" in summary:  # a round saved before rounds recorded it says nothing
            records = cast(list[dict[str, object]], summary["assumed"])
            assumed = pd.DataFrame(records, columns=["unit", "party", "assumed_as"])
            lines.append(matching_sentence(summary["matching"], assumed, language))
    if "entitled" in summary:
        lines.append(
            say(
                "entitled",
                language,
                entitled=kr(summary["entitled"]),
                difference=kr(summary["difference_from_entitled"]),
                budget=kr(summary["difference_from_budget"]),
            )
        )
    if item.late:
        lines.append(say("late", language, count=len(item.late)))
        lines.extend(f"  – {late.text(language)}" for late in item.late)
    return lines


def _dates_line(year: int, item: Round, language: str) -> str:
    run = "—" if item.date is None else item.date.isoformat()
    due = "—" if item.due is None else item.due.isoformat()
    key = "round_dates" if item.input_due is None else "round_dates_input"
    return say(
        key,
        language,
        year=year,
        round=round_name(item.name, language),
        date=run,
        due=due,
        input_due=None if item.input_due is None else item.input_due.isoformat(),
    )
