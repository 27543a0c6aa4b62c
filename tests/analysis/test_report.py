"""The HTML report: self-contained, escaped, and rendered by a real headless browser."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

import finsam_opt as fo
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
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "A&amp;B &quot;Norra&quot;" in page


def test_swedish_is_the_default(tmp_path: Path) -> None:
    page = fo.report_html(fo.allocate(fo.example_units(), PARAMS))
    assert '<html lang="sv">' in page
    assert "<h1>Fördelning av statliga medel</h1>" in page
    assert "Beslutsunderlag" in page and "Spärrens kostnad Σ(t − m), kr" in page


def test_the_report_shows_the_numbers(tmp_path: Path) -> None:
    page = fo.report_html(fo.allocate(fo.example_units(), PARAMS), lang="en")
    assert "<td>relaxed-floor</td>" in page
    assert '<td class="num">4 518 421</td>' in page  # B's decided amount
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
