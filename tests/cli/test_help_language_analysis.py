"""The help of ``compare``, ``simulate``, ``report``, ``forecast`` and ``explore`` is Swedish
by default and English with ``--language en``; so are the ``--years`` refusals."""

from __future__ import annotations

import pytest

from finsam_opt.cli.app import main

# A few words each command's own help says in Swedish, and the same in English.
WORDS = {
    "compare": (
        ["och jämför var och en med en jämförelseprincip", "exempel:",
         "upprepa för flera budgetar", "utfallet per princip och budget"],
        ["compare each with a baseline policy", "example:", "repeat for several",
         "the outcome per policy and budget"],
    ),
    "simulate": (
        ["Simulera fördelningen över flera år", "antal år att simulera, 1 … 50",
         "fil med tillväxttakter per förbund och år", "ingen förloppsindikator",
         "nästa års föregående tilldelning", "exempel:"],
        ["Simulate the allocation over several years", "years to simulate, 1 … 50",
         "file of rates per förbund and year", "no progress bar", "example:"],
    ),
    "report": (
        ["fristående rapport i HTML", "även diagrammet över fördelningen", "exempel:"],
        ["self-contained HTML report", "also the allocation plot", "example:"],
    ),
    "forecast": (
        ["Kör många framtider", "planeringsbrev per förbund", "antal framtider (1000)",
         "frö för slumpdragningarna", "spridning per år", "kommunernas och regionens bidrag",
         "skattar varje förbunds --population-growth"],
        ["Run many futures", "planning letter per förbund", "number of futures (1000)",
         "seed of the random draws", "spread a year", "municipal and regional contributions",
         "fits each förbund's --population-growth"],
    ),
    "explore": (
        ["skriv en HTML-sida", "reglaget flyttas", "av budgeten (30 %)",
         "reglagets mitt (standard 339 Mkr)"],
        ["write one HTML page", "as a slider moves", "of the budget (30 %)",
         "the slider's middle (default 339 Mkr)"],
    ),
}  # fmt: skip


def _help(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as stopped:
        main([*argv, "--help"])
    assert stopped.value.code == 0
    return " ".join(capsys.readouterr().out.split())  # argparse wraps lines


@pytest.mark.parametrize("command", sorted(WORDS))
def test_help_is_swedish_by_default(capsys, command: str) -> None:
    text = _help(capsys, command)
    swedish, english = WORDS[command]
    assert text.startswith(f"användning: finsam-opt {command}")
    assert [word for word in swedish if word not in text] == []
    assert [word for word in english if word in text and word != "example:"] == []


@pytest.mark.parametrize("command", sorted(WORDS))
def test_help_is_english_with_language_en(capsys, command: str) -> None:
    text = _help(capsys, command, "--language", "en")
    swedish, english = WORDS[command]
    assert text.startswith(f"usage: finsam-opt {command}")
    assert [word for word in english if word not in text] == []
    assert [word for word in swedish if word in text] == []


@pytest.mark.parametrize("command", sorted(WORDS))
def test_swedish_help_differs_from_english(capsys, command: str) -> None:
    """Every help text of the command's own options is translated, not only some."""
    swedish = _help(capsys, command).split()
    english = _help(capsys, command, "--language", "en").split()
    assert swedish != english
    # Options whose help is the same in both languages: only "kronor (0,5 Mkr)" of --step.
    assert _option_helps(swedish) & _option_helps(english) <= {"--step STEP kronor (0,5 Mkr)"}


def _option_helps(words: list[str]) -> set[str]:
    """Each ``--option METAVAR help`` of this command's own options, as one line of words."""
    text = " ".join(words)
    heading = "flaggor:" if "flaggor:" in text else "options:"
    text = text[text.index(heading) :]  # the options, not the usage or the example
    own = ("--years", "--first-year", "--futures", "--seed", "--summary", "--report", "--plot",
           "--figures", "--baseline", "--span", "--step", "--letters", "--growth", "--changes",
           "--carry", "--no-progress", "--budget-path", "--population-history", "--support-history",
           "--budget-growth", "--budget-sd", "--population-growth", "--population-sd",
           "--support-growth", "--support-sd", "--matching-growth", "--matching-sd")  # fmt: skip
    helps = set()
    for option in own:
        start = text.find(f" {option} ")
        if start < 0:
            continue
        end = text.find(" --", start + len(option) + 2)
        helps.add(text[start + 1 : end if end > 0 else None])
    return helps


COMMAND_HELP = {
    "compare": ("jämför principer för underskott vid en eller flera budgetar",
                "compare deficit policies at one or more budgets"),
    "simulate": ("simulera flera år, där varje års tilldelning blir nästa års golv",
                 "simulate several years, each year's allocation the next one's floor"),
    "report": ("skriv en rapport i HTML om en fördelning",
               "write an HTML report of one allocation"),
    "forecast": ("prognos för varje förbunds tilldelning över flera år, med osäkerhet",
                 "forecast every förbund's allocation over several years, with uncertainty"),
    "explore": ("skriv en utforskarsida: ett reglage för budgeten och ett val av princip",
                "write an explorer page: a budget slider and a policy selector"),
}  # fmt: skip


def test_the_command_list_says_what_each_command_does_in_the_language_asked_for(capsys) -> None:
    swedish = " ".join(_help(capsys).split())
    with pytest.raises(SystemExit):  # the top level has no --language; main reads it first
        main(["--help", "--language", "en"])
    english = " ".join(capsys.readouterr().out.split())
    for command, (sv, en) in COMMAND_HELP.items():
        assert f"{command} {sv}" in swedish and en not in swedish
        assert f"{command} {en}" in english and sv not in english


@pytest.mark.parametrize(
    ("years", "swedish", "english"),
    [
        ("x", "argumentet --years: inget heltal: 'x'", "argument --years: not a whole number: 'x'"),
        (
            "60",
            "argumentet --years: 60 år: välj 1 … 50",
            "argument --years: 60 years: choose 1 … 50",
        ),
    ],
)
def test_years_is_refused_in_the_language_asked_for(
    capsys, years: str, swedish: str, english: str
) -> None:
    for command in ("simulate", "compare"):
        with pytest.raises(SystemExit) as stopped:
            main([command, "--years", years])
        assert stopped.value.code == 2
        assert swedish in capsys.readouterr().err
        with pytest.raises(SystemExit) as stopped:
            main([command, "--years", years, "--language", "en"])
        assert stopped.value.code == 2
        assert english in capsys.readouterr().err
