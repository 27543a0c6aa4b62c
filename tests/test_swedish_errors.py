"""Every error a user can cause has a Swedish message (the command line prints it with
``--language sv``, the default): a call to InputError, SolverError or VerificationError
without ``sv=`` would be English only.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from finsam_opt.cli.app import main
from finsam_opt.errors import InputError

SOURCE = Path(__file__).resolve().parents[1] / "src" / "finsam_opt"
ERRORS = {"InputError", "SolverError", "VerificationError"}


def _raised() -> list[tuple[str, int, bool]]:
    """Every call that builds one of the errors: module, line, and whether it has ``sv=``."""
    calls = []
    for path in sorted(SOURCE.rglob("*.py")):
        if path.name == "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name in ERRORS:
                swedish = any(k.arg == "sv" for k in node.keywords)
                calls.append((path.relative_to(SOURCE).as_posix(), node.lineno, swedish))
    return calls


def test_no_error_is_english_only() -> None:
    calls = _raised()
    assert len(calls) > 300  # the walk sees the package's errors (about 340)
    english_only = [f"{module}:{line}" for module, line, swedish in calls if not swedish]
    assert not english_only, f"errors without a Swedish message (sv=...): {english_only}"


def test_the_command_line_prints_the_error_in_its_language(tmp_path: Path, capsys) -> None:
    argv = ["round", "final", str(tmp_path / "y"), "--date", "31/10", "--year", "2027"]
    assert main([*argv, "--language", "en"]) == 2
    assert "--date must be a date (e.g. 2026-09-30), got '31/10'" in capsys.readouterr().err
    assert main(argv) == 2
    assert "--date måste vara ett datum (till exempel 2026-09-30), inte '31/10'" in (
        capsys.readouterr().err
    )


def test_a_wrapped_error_keeps_both_languages() -> None:
    error = InputError("no rows", sv="inga rader", column="unit", units=["A"])
    wrapped = error.within("f.csv")
    assert (wrapped.text("sv"), str(wrapped), wrapped.units) == (
        "f.csv: inga rader",
        "f.csv: no rows",
        ("A",),
    )


@pytest.mark.parametrize("language", ["sv", "en"])
def test_an_english_only_error_is_printed_as_it_is(language: str) -> None:
    assert InputError("plain").text(language) == "plain"
