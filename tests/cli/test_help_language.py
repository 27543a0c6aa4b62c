"""The help texts and argparse's own messages speak the language of ``--language``."""

from __future__ import annotations

import argparse

import pytest

from finsam_opt.cli.app import main


def _help(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit):
        main([*argv, "--help"])
    return capsys.readouterr().out


def test_help_is_swedish_by_default_and_english_on_request(capsys) -> None:
    swedish = _help(capsys, "allocate")
    assert swedish.startswith("användning: finsam-opt allocate")
    assert "flaggor:" in swedish and "visa den här hjälpen och avsluta" in swedish
    english = _help(capsys, "allocate", "--language", "en")
    assert english.startswith("usage: finsam-opt allocate")
    assert "show this help message and exit" in english


def test_argparse_errors_are_swedish_by_default(capsys) -> None:
    assert main_exit(["round"]) == 2
    err = capsys.readouterr().err
    assert "följande argument krävs: round, folder" in err
    assert "(se finsam-opt round --help)" in err
    assert main_exit(["round", "final", "y", "--language", "en", "--bogus"]) == 2
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err


def test_argparse_is_left_as_it_was(capsys) -> None:
    """The translation is active only while the command line parses."""
    _help(capsys, "allocate")
    assert argparse._("usage: ") == "usage: "  # type: ignore[attr-defined]


def main_exit(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    return int(stopped.value.code or 0)
