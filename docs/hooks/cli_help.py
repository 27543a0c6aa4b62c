"""MkDocs hook: fill the command-line page from the CLI's own ``--help`` texts.

A line ``<!-- cli-help -->`` in a page is replaced by the help of ``finsam-opt``
and of each of its subcommands, so the page cannot drift from the code.
"""

from __future__ import annotations

import argparse
import contextlib
import io

from finsam_opt.cli import app as cli

MARKER = "<!-- cli-help -->"


def _help(argv: list[str]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        cli.main([*argv, "--help"])
    return out.getvalue().rstrip()


def _subcommands() -> list[str]:
    parser = cli.build_parser()
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return [name for action in actions for name in action.choices]


def on_page_markdown(markdown: str, **kwargs: object) -> str:
    if MARKER not in markdown:
        return markdown
    sections = [f"## finsam-opt\n\n```text\n{_help([])}\n```"]
    for name in _subcommands():
        sections.append(f"## finsam-opt {name}\n\n```text\n{_help([name])}\n```")
    return markdown.replace(MARKER, "\n\n".join(sections))
