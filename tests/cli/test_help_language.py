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


# The commands whose help texts app.py, options.py and round_command.py write, with a few
# words each one's Swedish help says (and its English one does not).
_COMMANDS = {
    "example": ["kör det nationella exemplet", "beslutsunderlaget", "höjd spärr", "lösaren"],
    "ideal": ["juni: bara idealfördelningen", "förbundstabell", "kommunstatistik",
              "medlemskap", "grundtilldelningen", "spärren", "filändelsen väljer format"],
    "allocate": ["fördela med tak och golv", "förbundstabell", "svarsfiler",
                 "eller en princip som deklareras i en .toml-fil", "brytpunktslösaren"],
    "template": ["skriv svarsmallar", "mappen för svarsmallarna", "en fil för alla förbund"],
    "answers": ["läs ifyllda svarsmallar", "förbundstabellen som svaren gäller"],
    "surplus": ["fördela ofördelade medel på nytt", "ansökningar", "återlämnade medel",
                "proportionellt", "varje förbund får samma andel av sin ansökan"],
    "synthetic": ["skriv en syntetisk förbundstabell", "antal förbund", "samma frö"],
    "round": ["Kör en omgång av ett tilldelningsår", "omgången surplus",
              "budgetpropositionen", "princip vid underskott"],
}  # fmt: skip


@pytest.mark.parametrize("command", list(_COMMANDS))
def test_each_command_helps_in_swedish_by_default_and_in_english_on_request(
    command, capsys
) -> None:
    swedish = " ".join(_help(capsys, command).split())  # as one line: wrapping aside
    english = " ".join(_help(capsys, command, "--language", "en").split())
    for words in _COMMANDS[command]:
        assert words in swedish, words
        assert words not in english, words
    assert "exempel:" in swedish and "example:" not in swedish and "examples:" not in swedish
    if command != "round":  # the examples and notes under every other command's help
        assert "Belopp kan skrivas på svenskt sätt" in swedish
        assert "Amounts may be written the Swedish way" in english
    assert "(the extension picks the format)" in english or command in ("template", "round")
    assert "(standard" in swedish and "(default" not in swedish
    assert "(default" in english and "(standard" not in english


@pytest.mark.parametrize("command", list(_COMMANDS))
def test_no_swedish_help_line_is_its_english_one(command, capsys) -> None:
    """Each option's help differs between the languages, unless it is only option names,
    values and amounts (the lines that name the options are the same in both)."""
    swedish = _help_of_options(_help(capsys, command))
    english = _help_of_options(_help(capsys, command, "--language", "en"))
    assert swedish.keys() == english.keys()
    same = [option for option in swedish if swedish[option] == english[option]]
    assert same == [], same


def _help_of_options(text: str) -> dict[str, str]:
    """Each option's (or argument's) help text, joined over its lines."""
    helps: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if (
            line.startswith("  ")
            and not line.startswith("   ")
            and line.strip()[:1] in "-{abcdefghijklmnopqrstuvwxyz"
        ):
            name, _, rest = line.strip().partition("  ")
            current = name
            helps[current] = [rest.strip()] if rest.strip() else []
        elif current is not None and line.startswith(" " * 24):
            helps[current].append(line.strip())
        else:
            current = None
    return {name: " ".join(lines) for name, lines in helps.items() if lines}


def test_argument_types_say_what_is_wrong_in_the_parsers_language(capsys) -> None:
    cases = [
        (["example", "--budget", "tre"], "inget belopp: 'tre' (inget tal)",
         "not an amount: 'tre' (not a number)"),
        (["ideal", "--decrease-limit", "1,2,3"], "ingen andel: '1,2,3'", "not a fraction: "),
        (["example", "--policy", "snål"], "ingen princip: 'snål'; välj raise-limit",
         "not a policy: 'snål'; choose raise-limit"),
        (["surplus", "a.csv", "--returned", "=3"], "inte återlämnade medel: '=3'",
         "not a return: '=3'"),
    ]  # fmt: skip
    for argv, swedish, english in cases:
        assert main_exit(argv) == 2
        assert swedish in capsys.readouterr().err
        assert main_exit([*argv, "--language", "en"]) == 2
        assert english in capsys.readouterr().err


def test_the_overview_lists_the_commands_in_swedish(capsys) -> None:
    swedish = _help(capsys)
    assert "Fördela statens budget för finansiell samordning" in swedish
    assert "kör det nationella exemplet" in swedish and "skriv svarsmallar" in swedish
    assert "visa programmets version och avsluta" in swedish
    assert "show program's version number" not in swedish
    with pytest.raises(SystemExit):
        main(["--help", "--language", "en"])  # --help first: the overview has no --language
    english = capsys.readouterr().out
    assert "run the national example" in english
    assert "show program's version number and exit" in english


def test_language_may_stand_before_the_command(tmp_path, capsys) -> None:
    """Before, finsam-opt --language en --help was refused (the top level had no --language)."""
    english = _help(capsys, "--language", "en")
    assert english.startswith("usage: finsam-opt")
    out = tmp_path / "b.xlsx"
    assert main(["--language", "en", "example", "-o", str(out)]) == 0
    assert "National example:" in capsys.readouterr().out
