"""The HTML report: self-contained, escaped, and rendered by a real headless browser."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

import finsam_opt as fo
from finsam_opt.language.numbers import format_number
from headless import chromium

PARAMS = fo.Parameters(budget=20_000_000)
EVIL = '<script>alert("x")</script>'
AMPERSAND = 'A&B "Norra"'


def _units_with_awkward_ids() -> pd.DataFrame:
    return fo.example_units().rename(index={"A": EVIL, "B": AMPERSAND})


def _external_references(page: str) -> list[str]:
    """Every src/href that is not embedded data."""
    return [m for m in re.findall(r'(?:src|href)="([^"]*)"', page) if not m.startswith("data:")]


@pytest.mark.parametrize("kind", ["allocation", "comparison", "simulation"])
def test_each_report_is_self_contained_with_tables_and_plots(kind: str, tmp_path: Path) -> None:
    units = _units_with_awkward_ids()
    obj = {
        "allocation": lambda: fo.allocate(units, PARAMS),
        "comparison": lambda: fo.compare(units, PARAMS, budgets=[19e6, 20e6]),
        "simulation": lambda: fo.simulate(units, PARAMS, years=3, progress=False),
    }[kind]()
    path = fo.write_report(obj, tmp_path / "report.html", lang="en")
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in page and '<meta charset="utf-8">' in page
    assert page.count("<table") >= 2
    assert page.count('<img alt="') >= 1
    assert page.count('src="data:image/png;base64,') == page.count("<img")
    assert _external_references(page) == []
    assert "<script" not in page and "<link" not in page
    # Unit ids are data: escaped, never markup.
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "A&amp;B &#34;Norra&#34;" in page


def test_swedish_is_the_default(tmp_path: Path) -> None:
    page = fo.report_html(fo.allocate(fo.example_units(), PARAMS))
    assert '<html lang="sv">' in page
    assert "<h1>Fördelning av statliga medel</h1>" in page
    assert "Beslutsunderlag" in page and "Spärrens kostnad (kr)" in page
    assert "<td>sänkt golv</td>" in page and "relaxed-floor" not in page
    assert '<td class="num">4 518 422</td>' in page and '<td class="num">24,69 %</td>' in page


def test_the_report_shows_the_numbers(tmp_path: Path) -> None:
    page = fo.report_html(fo.allocate(fo.example_units(), PARAMS), lang="en")
    assert "<td>relaxed-floor</td>" in page
    assert '<td class="num">4,518,422</td>' in page  # B's decided amount
    assert '<td class="num">24.69%</td>' in page  # the effective decrease limit
    sim = fo.simulate(fo.example_units(), PARAMS, years=5, progress=False)
    page = fo.report_html(sim, lang="en", title="Five years <draft>")
    assert "<h1>Five years &lt;draft&gt;</h1>" in page
    assert '<th>B</th><td class="num">4</td>' in page  # B reaches its ideal in year 4


def test_a_failed_policy_is_listed_in_the_report() -> None:
    def broken(q, previous):
        raise ValueError("bad <policy>")

    policy = fo.Policy("broken", (fo.PhaseRule("raises", broken),))
    page = fo.report_html(fo.compare(fo.example_units(), PARAMS, policies=["raise-limit", policy]))
    assert "Principer som misslyckades" in page
    assert "ValueError: bad &lt;policy&gt;" in page


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(
        fo.InputError, match="a report needs an Allocation, Comparison or Simulation"
    ):
        fo.report_html(pd.DataFrame())
    with pytest.raises(fo.InputError, match="parameter lang must be 'sv' or 'en', got 'fi'"):
        fo.report_html(fo.allocate(fo.example_units(), PARAMS), lang="fi")


def test_a_headless_browser_renders_the_report(tmp_path: Path) -> None:
    comparison = fo.compare(_units_with_awkward_ids(), PARAMS, budgets=[19e6, 20e6])
    page = fo.write_report(comparison, tmp_path / "comparison.html", lang="en")
    url = page.resolve().as_uri()

    loaded = chromium("--enable-logging=stderr", "--dump-dom", url, profile=tmp_path / "dom")
    assert "CONSOLE" not in loaded.stderr  # the page logged no errors (e.g. uncaught script)
    dom = loaded.stdout
    assert "<h1>Comparison of policies</h1>" in dom
    assert dom.count("<table") == 5  # outcome, cost, winners/losers, two budgets
    assert dom.count("<img") == 3  # a difference plot per budget and the balancing plot
    assert len(re.findall(r'<img alt="[^"]+" src="data:image/png;base64,', dom)) == 3
    assert "<script" not in dom  # the unit id stayed text
    assert "&lt;script&gt;" in dom

    shot = tmp_path / "comparison.png"
    chromium(
        f"--screenshot={shot}", "--window-size=1200,2000", url, profile=tmp_path / "profile-shot"
    )
    assert shot.exists()
    with Image.open(shot) as image:
        assert image.size == (1200, 2000)
        pixels = np.asarray(image.convert("RGB")).reshape(-1, 3)
    colours = np.unique(pixels, axis=0)
    assert len(colours) > 50, "the screenshot is (nearly) one colour"
    # matplotlib's orange (#ff7f0e) bars of scale-gains: the embedded plot was drawn.
    orange = np.abs(pixels.astype(int) - [255, 127, 14]).sum(axis=1) <= 30
    assert orange.sum() > 1_000


def _rows(page: str, heading: str) -> list[list[str]]:
    """The body rows of the first table after ``heading``: index cell, then the cells."""
    section = page.split(f"<h2>{heading}</h2>", 1)[1].split("</tbody>", 1)[0]
    return [re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row) for row in section.split("<tr>")[2:]]


def _total(page: str, heading: str) -> list[str]:
    section = page.split(f"<h2>{heading}</h2>", 1)[1].split("</tfoot>", 1)[0]
    return re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", section.split("<tfoot>", 1)[1])


def test_tables_are_sorted_by_name_and_their_totals_add_up_as_printed() -> None:
    example = fo.national_example()
    page = fo.report_html(fo.allocate(example.units, example.parameters))
    rows = _rows(page, "Beslutsunderlag")
    names = [r[0] for r in rows]
    order = str.maketrans({"å": "{", "ä": "|", "ö": "}"})
    assert names == sorted(names, key=lambda n: n.casefold().translate(order)) and len(rows) == 79
    total = _total(page, "Beslutsunderlag")
    assert total[0] == "Totalt"
    column = 6  # Tilldelning (kr), after the name and five amounts
    printed = sum(int(r[column].replace(" ", "")) for r in rows)
    assert int(total[column].replace(" ", "")) == printed == 325_036_920


def test_a_comparison_shows_the_budgets_where_policies_differ() -> None:
    """The docs' comparison once drew the first budget, where every policy agreed."""
    example = fo.national_example()
    comparison = fo.compare(example.units, example.parameters, budgets=[339e6, 300e6])
    page = fo.report_html(comparison)
    assert "Vid budgeten 339 000 000 kr ger alla principer samma fördelning." in page
    assert "Skillnad per förbund mot höjd spärr — 300 000 000 kr" in page
    assert "— 339 000 000 kr</h2>" not in page
    rows = _rows(page, "Skillnad per förbund mot höjd spärr — 300 000 000 kr")
    assert any(cell not in ("0", "–") for row in rows for cell in row[4:])  # some Δ is not 0


def test_no_table_overflows_a_1280_pixel_window(tmp_path: Path) -> None:
    """Every report is measured in headless chromium: nothing wider than the window."""
    example = fo.national_example()
    reports = {
        "allocation": fo.allocate(example.units, example.parameters),
        "comparison": fo.compare(example.units, example.parameters, budgets=[339e6, 290e6]),
        "simulation": fo.simulate(example.units, example.parameters, years=5, progress=False),
    }
    measure = (
        "<script>window.addEventListener('load', () => { let worst = "
        "document.documentElement.scrollWidth - window.innerWidth; "
        "for (const box of document.querySelectorAll('.scroll')) "
        "{ worst = Math.max(worst, box.scrollWidth - box.clientWidth); } "
        "document.body.setAttribute('data-overflow', worst); });</script>"
    )
    for name, result in reports.items():
        path = tmp_path / f"{name}.html"
        page = fo.report_html(result).replace("</body>", measure + "</body>")
        path.write_text(page, encoding="utf-8")
        dom = chromium(
            "--window-size=1280,900", "--virtual-time-budget=5000", "--dump-dom",
            path.as_uri(), profile=tmp_path / f"profile-{name}",
        ).stdout  # fmt: skip
        overflow = re.search(r'data-overflow="(-?\d+)"', dom)
        assert overflow is not None, f"{name}: the page was not measured"
        assert int(overflow.group(1)) <= 0, f"{name}: {overflow.group(1)} px too wide at 1280"


def test_the_report_names_the_units_whose_contribution_was_assumed() -> None:
    # MODEL.md §9.11: every output names them; the report once said nothing.
    units = fo.example_units()
    units.loc["E", "regional_match"] = np.nan
    result = fo.allocate(units, fo.Parameters(budget=20_000_000, unanswered="previous"))
    swedish, english = fo.report_html(result, "sv"), fo.report_html(result, "en")
    assert "antagen" in swedish and "för 1 förbund: E (regionens bidrag)" in swedish
    assert "assumed" in english and "not answered" in english


def test_a_report_on_the_national_example_says_its_figures_are_synthetic() -> None:
    example = fo.national_example()
    result = fo.allocate(example.units, example.parameters)
    page = fo.report_html(result, "sv", units=example.units)
    marked = int(example.units["synthetic"].notna().sum())
    assert f"Exempeldata: {marked} av {len(example.units)} förbunds uppgifter är syntetiska" in page
    assert "syntetiska" not in fo.report_html(result, "sv")  # nothing said without the table


def test_a_simulation_reports_years_as_years_and_names_the_assumed_contributions() -> None:
    """Before, the year-by-year table printed 2026 as a count with digit grouping."""
    units = fo.example_units()
    units.loc["B", "regional_match"] = np.nan
    sim = fo.simulate(units, fo.Parameters(budget=20e6, unanswered="previous"), years=2,
                      first_year=2026)  # fmt: skip
    page = fo.report_html(sim)
    assert format_number(2026, "sv", 0) not in page
    assert "B (regionens bidrag: 2026–2027)" in page
    assert "Förbund med antaget bidrag, ej besvarat" in page
