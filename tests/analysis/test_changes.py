"""Changes to the unit table: a refused change says why in Swedish too."""

from __future__ import annotations

import pandas as pd
import pytest

import finsam_opt as fo

UNITS = fo.example_units()
PARAMS = fo.Parameters(budget=20_000_000)
F = pd.DataFrame({"population": [1.0], "support_measure": [1.0]}, index=["F"])


@pytest.mark.parametrize(
    ("frame", "swedish"),
    [
        (
            pd.DataFrame({"year": [2], "unit": ["A"]}),
            "tabellen med förändringar saknar den obligatoriska kolumnen 'action'",
        ),
        (
            pd.DataFrame({"year": [2], "action": ["split"], "unit": ["A"]}),
            "förändringar, rad 1: action måste vara join, leave, merge eller update, inte 'split'",
        ),
        (
            pd.DataFrame({"year": [2], "action": ["merge"], "unit": ["AB"]}),
            "förändringar, rad 1: en sammanslagning till 'AB' behöver 'members' (förbundens id "
            "åtskilda med ';')",
        ),
    ],
)
def test_a_bad_changes_table_is_refused_in_swedish(frame: pd.DataFrame, swedish: str) -> None:
    with pytest.raises(fo.InputError) as caught:
        fo.analysis.changes_from_frame(frame)
    assert caught.value.text("sv") == swedish


@pytest.mark.parametrize(
    ("changes", "swedish"),
    [
        ([fo.Leave(4, "A")], "Utträde år 4: simuleringen gäller åren 1–3"),
        ([fo.Leave(2, "Q")], "Utträde år 2: förbundet 'Q' finns inte i modellen det året"),
        (
            [fo.Join(2, F.rename(index={"F": "A"}))],
            "Anslutning år 2: förbundet 'A' finns redan i modellen",
        ),
        (
            [fo.Join(2, F[["population"]])],
            "Anslutning år 2: förbund som ansluter behöver kolumnen 'support_measure' "
            "(Försörjningsmått)",
        ),
        (
            [fo.Join(2, F.assign(population=-1.0))],
            "Anslutning år 2: förbundet 'F': kolumnen 'population' (Invånare 16-64) måste vara "
            "ett ändligt tal ≥ 0, inte -1.0",
        ),
        (
            [fo.Update(2, F.rename(index={"F": "A"}, columns={"population": "populaton"}))],
            "Ändring år 2: okänd kolumn 'populaton' (menade du 'population' (Invånare 16-64)?)",
        ),
        (
            [fo.Merge(2, "AB", ("A",))],
            "Sammanslagning år 2: en sammanslagning behöver två eller fler olika förbund",
        ),
        (
            [fo.Leave(2, "B"), fo.Merge(3, "AB", ("A", "B"))],
            "Sammanslagning år 3: förbundet 'B' finns inte i modellen det året",
        ),
    ],
)
def test_a_change_that_does_not_fit_is_refused_in_swedish(changes: list, swedish: str) -> None:
    with pytest.raises(fo.InputError) as caught:
        fo.simulate(UNITS, PARAMS, years=3, changes=changes, progress=False)
    assert caught.value.text("sv") == swedish
