"""MkDocs hook: fill the command-line pages from the program itself.

A line ``<!-- cli-help -->`` in a page is replaced by the help of ``finsam-opt``
and of each of its subcommands; a line ``<!-- cli-session -->`` by a session
that runs every command on the national example in a fresh folder and shows
what each printed. The pages cannot drift from the code.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import tempfile
from pathlib import Path

from finsam_opt.cli import app as cli

MARKER = "<!-- cli-help -->"
SESSION = "<!-- cli-session -->"


def _help(argv: list[str]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        cli.main([*argv, "--help", "--language", "en"])  # this page is English
    return out.getvalue().rstrip()


def _subcommands() -> list[str]:
    parser = cli.build_parser()
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return [name for action in actions for name in action.choices]


def _session_commands(folder: Path) -> list[list[str]]:
    from finsam_opt.datasets.national import data_file, national_example

    for name, copy in (("national_municipalities.csv", "kommuner.csv"),
                       ("national_memberships.csv", "medlemmar.csv"),
                       ("national_units.csv", "forbundsdata.csv")):  # fmt: skip
        shutil.copy(data_file(name), folder / copy)
    names = national_example().units.index[:2]
    (folder / "ansokningar.csv").write_text(
        "Förbund;Ansökan ofördelade medel (kr)\n" + "".join(f"{n};5000000\n" for n in names),
        encoding="utf-8",
    )
    return [
        ["example", "-o", "exempel.xlsx"],
        ["allocate", "--municipalities", "kommuner.csv", "--memberships", "medlemmar.csv",
         "--unit-data", "forbundsdata.csv", "-o", "forbund.xlsx"],
        ["ideal", "forbund.xlsx", "-o", "preliminar.xlsx"],
        ["template", "forbund.xlsx", "-d", "svarsmallar"],
        ["answers", "svarsmallar", "--units", "forbund.xlsx", "-o", "forbund_svar.xlsx"],
        ["allocate", "forbund.xlsx", "--budget", "339 Mkr", "-o", "beslutsunderlag.xlsx"],
        ["allocate", "forbund.xlsx", "--budget", "290 Mkr", "--language", "en", "-o",
         "decision.csv"],
        ["surplus", "ansokningar.csv", "--units", "forbund.xlsx", "-o", "ofordelade.xlsx"],
        ["compare", "forbund.xlsx", "--budget", "290 Mkr", "-o", "jamforelse.xlsx"],
        ["simulate", "forbund.xlsx", "--years", "3", "--no-progress", "-o", "simulering.xlsx"],
        ["report", "forbund.xlsx", "-o", "rapport.html"],
        ["synthetic", "1000", "--scenario", "mild-deficit", "-o", "syntetiska.csv"],
        ["allocate", "forbund.xlsx", "-o", "beslut.txt"],
    ]  # fmt: skip


def _shown(argument: str) -> str:
    return f'"{argument}"' if " " in argument else argument


def _session() -> str:
    """Every command run in a fresh folder, each shown with what it printed."""
    blocks = []
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        try:
            os.chdir(folder)
            for argv in _session_commands(Path(folder)):
                out, err = io.StringIO(), io.StringIO()
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                    code = cli.main(argv)
                errors = [line for line in err.getvalue().splitlines() if "finsam-opt" in line]
                text = "\n".join([out.getvalue().rstrip(), *errors]).strip()
                command = " ".join(_shown(a) for a in argv)
                blocks.append(f"```text\n$ finsam-opt {command}\n{text}\n(exit {code})\n```")
        finally:
            os.chdir(here)
    return "\n\n".join(blocks)


def on_page_markdown(markdown: str, **kwargs: object) -> str:
    if SESSION in markdown:
        markdown = markdown.replace(SESSION, _session())
    if MARKER not in markdown:
        return markdown
    sections = [f"## finsam-opt\n\n```text\n{_help([])}\n```"]
    for name in _subcommands():
        sections.append(f"## finsam-opt {name}\n\n```text\n{_help([name])}\n```")
    return markdown.replace(MARKER, "\n\n".join(sections))
