"""Plots build without a display, in Swedish and English, and save as PNG and SVG."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import pytest
from matplotlib.figure import Figure

import finsam_opt as fo

UNITS = fo.example_units()
PARAMS = fo.Parameters(budget=20_000_000)
RESULT = fo.allocate(UNITS, PARAMS)
COMPARISON = fo.compare(UNITS, PARAMS, budgets=[19e6, 20e6, 21e6])
SIMULATION = fo.simulate(UNITS, PARAMS, years=4, progress=False)

NATIONAL = fo.national_example()  # 79 units with long names
NATIONAL_RESULT = fo.allocate(NATIONAL.units, NATIONAL.parameters)
NATIONAL_COMPARISON = fo.compare(NATIONAL.units, NATIONAL.parameters, budgets=[300e6])
BY_IDEAL = NATIONAL_RESULT.table.sort_values("ideal", ascending=False, kind="stable").index

FIGURES = {
    "allocation": lambda lang: fo.plot_allocation(RESULT, lang=lang),
    "comparison": lambda lang: fo.plot_comparison(COMPARISON, 20e6, lang=lang),
    "glide": lambda lang: fo.plot_glide_paths(SIMULATION, lang=lang),
    "balancing": lambda lang: fo.plot_balancing(COMPARISON, lang=lang),
}


@pytest.mark.parametrize("name", FIGURES)
def test_each_plot_saves_as_png_and_svg(name: str, tmp_path: Path) -> None:
    figure = FIGURES[name]("sv")
    assert isinstance(figure, Figure)
    for suffix, magic in ((".png", b"\x89PNG"), (".svg", b"<?xml")):
        path = tmp_path / f"{name}{suffix}"
        figure.savefig(path)
        assert path.read_bytes().startswith(magic)
        assert path.stat().st_size > 5_000


@pytest.mark.parametrize(
    ("name", "swedish", "english"),
    [
        ("allocation", "Tilldelning, Mkr", "Allocation, MSEK"),
        ("comparison", "Skillnad mot höjd spärr, tkr", "Difference from raise-limit, kSEK"),
        ("glide", "Tilldelning i % av idealet", "Allocation, % of ideal"),
        ("balancing", "Balanstal λ", "Balancing scalar λ"),
    ],
)
def test_labels_in_swedish_and_english(name: str, swedish: str, english: str) -> None:
    assert FIGURES[name]("sv").axes[0].get_ylabel() == swedish
    assert FIGURES[name]("en").axes[0].get_ylabel() == english


def test_the_allocation_plot_marks_ideal_floor_and_cap() -> None:
    ax = fo.plot_allocation(RESULT, lang="en").axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["A", "B", "C", "E", "D"]  # by ideal
    heights = [round(p.get_height(), 6) for p in ax.patches]
    assert heights == [
        round(v / 1e6, 6) for v in RESULT.table.loc[["A", "B", "C", "E", "D"], "allocation"]
    ]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Ideal allocation", "Floor (decrease limit)", "Cap (matching)", "Allocation"]


def test_the_comparison_plot_draws_the_differences() -> None:
    ax = fo.plot_comparison(COMPARISON, 20e6).axes[0]
    bars = [p.get_height() for p in ax.patches]
    expected = [
        *COMPARISON.difference("scale-protection", 20e6),
        *COMPARISON.difference("scale-gains", 20e6),
    ]
    order = [0, 1, 2, 4, 3]  # units sorted by ideal: A B C E D
    expected = [expected[i] / 1e3 for i in order] + [expected[5 + i] / 1e3 for i in order]
    assert bars == pytest.approx(expected)


def test_with_many_units_the_bars_lie_down_one_named_row_per_unit() -> None:
    ax = fo.plot_allocation(NATIONAL_RESULT, lang="en").axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == list(BY_IDEAL)
    widths = [p.get_width() for p in ax.patches]
    assert widths == pytest.approx(list(NATIONAL_RESULT.table.loc[BY_IDEAL, "allocation"] / 1e6))
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Allocation, MSEK", "Unit")
    bottom, top = ax.get_ylim()
    assert bottom > top  # the largest ideal on top


def test_with_many_units_the_comparison_lies_down_too() -> None:
    ax = fo.plot_comparison(NATIONAL_COMPARISON, lang="en").axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == list(BY_IDEAL)
    expected = [
        *NATIONAL_COMPARISON.difference("scale-protection").reindex(BY_IDEAL),
        *NATIONAL_COMPARISON.difference("scale-gains").reindex(BY_IDEAL),
    ]
    assert [p.get_width() for p in ax.patches] == pytest.approx([e / 1e3 for e in expected])
    assert ax.get_xlabel() == "Difference from raise-limit, kSEK"


@pytest.mark.parametrize("n_units", [5, 30, 31, 79])
@pytest.mark.parametrize("kind", ["allocation", "comparison"])
def test_unit_names_neither_overlap_nor_leave_the_figure(n_units: int, kind: str) -> None:
    units = NATIONAL.units.iloc[:n_units]  # long names: "Samordningsförbundet ... m.fl."
    params = fo.Parameters(budget=n_units * 4_000_000)
    if kind == "allocation":
        figure = fo.plot_allocation(fo.allocate(units, params))
    else:
        figure = fo.plot_comparison(fo.compare(units, params))
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    ax = figure.axes[0]
    names = ax.get_yticklabels() if n_units > 30 else ax.get_xticklabels()
    boxes = [t.get_window_extent(renderer) for t in names]
    assert len(boxes) == n_units
    assert not any(a.overlaps(b) for a, b in itertools.pairwise(boxes))
    whole = figure.bbox
    assert all(
        whole.x0 <= b.x0 and b.x1 <= whole.x1 and whole.y0 <= b.y0 and b.y1 <= whole.y1
        for b in boxes
    )


def test_bad_choices_are_refused() -> None:
    with pytest.raises(fo.InputError, match="parameter lang must be 'sv' or 'en', got 'de'"):
        fo.plot_allocation(RESULT, lang="de")
    with pytest.raises(fo.InputError, match="this comparison has 3 budgets; name one"):
        fo.plot_comparison(COMPARISON)
    with pytest.raises(fo.InputError, match="unit 'Q' is not in this simulation"):
        fo.plot_glide_paths(SIMULATION, units=["A", "Q"])


def test_bad_choices_are_refused_in_swedish() -> None:
    with pytest.raises(fo.InputError) as caught:
        fo.plot_allocation(RESULT, lang="de")
    assert caught.value.text("sv") == "parametern lang måste vara 'sv' eller 'en', inte 'de'"
    with pytest.raises(fo.InputError) as caught:
        fo.plot_glide_paths(SIMULATION, units=["A", "Q"])
    assert caught.value.text("sv") == "förbundet 'Q' finns inte i den här simuleringen"


def test_importing_the_library_does_not_import_matplotlib() -> None:
    code = "import sys, finsam_opt; sys.exit('matplotlib' in sys.modules)"
    src = str(Path(fo.__file__).resolve().parents[1])
    done = subprocess.run([sys.executable, "-c", code], env={"PYTHONPATH": src}, check=False)
    assert done.returncode == 0


def test_the_balancing_line_breaks_where_a_later_phase_begins() -> None:
    example = fo.national_example()
    # scale-gains solves phase 1 at 300 and 290 Mkr and phase 2 at 280 Mkr (floors + base > B).
    c = fo.compare(example.units, example.parameters, ["scale-gains"], [300e6, 290e6, 280e6])
    phases = c.summary.groupby("policy")["phase"].apply(list).to_dict()
    assert phases == {"raise-limit": [1, 1, 1], "scale-gains": [1, 1, 2]}  # with the baseline
    top = fo.plot_balancing(c, lang="en").axes[0]
    baseline, first, second = top.lines
    assert sorted(baseline.get_xdata()) == [280.0, 290.0, 300.0]
    assert sorted(first.get_xdata()) == [290.0, 300.0]
    assert list(second.get_xdata()) == [280.0]
    assert first.get_color() == second.get_color() != baseline.get_color()
    legend = [t.get_text() for t in top.get_legend().get_texts()]
    assert legend == ["raise-limit", "scale-gains"]
    assert [t.get_text() for t in top.texts] == ["phase 2"]


def test_titles_and_legends_speak_the_plots_language() -> None:
    """Before, a Swedish title read '— 339.0 Mkr, överskott, raise-limit' and the legends
    named the policies by their codes."""
    title = fo.plot_allocation(NATIONAL_RESULT, "sv").axes[0].get_title()
    assert title.endswith("— 339,0 Mkr, överskott, höjd spärr")
    english = fo.plot_allocation(NATIONAL_RESULT, "en").axes[0].get_title()
    assert english.endswith("— 339.0 MSEK, surplus, raise-limit")
    ax = fo.plot_comparison(COMPARISON, 20e6, "sv").axes[0]
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend == ["skalat skydd", "skalade ökningar"]
    assert "höjd spärr" in ax.get_xlabel() + ax.get_ylabel()
    assert ax.get_title().endswith("20,0 Mkr")
