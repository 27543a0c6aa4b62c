"""Notebook use: a short repr, an HTML view, and a raw read_excel frame pointed to read_units."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import finsam_opt as fo
from finsam_opt.io import write_decision_table


def test_the_repr_is_one_short_line() -> None:
    result = fo.allocate(fo.example_units(), fo.Parameters(budget=20_000_000))
    text = repr(result)
    assert text == (
        "Allocation(5 units, deficit, policy 'raise-limit', allocated 20,000,000 kr of "
        "20,000,000 kr)"
    )


def test_a_notebook_shows_a_swedish_summary_and_the_first_rows() -> None:
    example = fo.national_example()
    page = fo.allocate(example.units, example.parameters)._repr_html_()
    assert page.startswith("<div><table>") and page.count("<table>") == 2
    assert "<th>Scenario</th><td>överskott</td>" in page
    assert "<th>Fördelat</th><td>325 036 920 kr</td>" in page
    assert page.count("<tr><td>") == 12 and "… 67 förbund till" in page
    assert "<th>Avgörande regel</th>" in page and "relaxed" not in page


def test_a_raw_read_excel_frame_points_to_read_units(tmp_path: Path) -> None:
    path = tmp_path / "forbund.xlsx"
    example = fo.national_example()
    write_decision_table(fo.allocate(example.units, example.parameters), path)
    raw = pd.read_excel(path)  # Swedish headers, 'Förbund' as a column, a total row
    with pytest.raises(fo.InputError, match=r"read the file with finsam_opt\.io\.read_units"):
        fo.allocate(raw, example.parameters)
