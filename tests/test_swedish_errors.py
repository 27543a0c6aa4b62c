"""Every error a user can cause has a Swedish message (the command line prints it with
``--language sv``): a call to InputError, SolverError or VerificationError without ``sv=``
is English only.

``NOT_YET`` lists the modules whose errors are still English only, with how many; the
number may only fall (a module fully translated leaves the list).
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

from finsam_opt.cli.app import main
from finsam_opt.errors import InputError

SOURCE = Path(__file__).resolve().parents[1] / "src" / "finsam_opt"
ERRORS = {"InputError", "SolverError", "VerificationError"}

NOT_YET: dict[str, int] = {}


def _english_only() -> Counter[str]:
    found: Counter[str] = Counter()
    for path in sorted(SOURCE.rglob("*.py")):
        if path.name == "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name in ERRORS and not any(k.arg == "sv" for k in node.keywords):
                found[path.relative_to(SOURCE).as_posix()] += 1
    return found


def test_no_error_is_english_only_outside_the_modules_not_yet_translated() -> None:
    found = _english_only()
    new = {module: count for module, count in found.items() if count > NOT_YET.get(module, 0)}
    assert not new, f"errors without a Swedish message (sv=...): {new}"
    fewer = {m: found.get(m, 0) for m, count in NOT_YET.items() if found.get(m, 0) < count}
    assert not fewer, f"translated: lower NOT_YET to {fewer}"


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
