"""The forecast benchmark runs at a tiny size and writes its section (no timings checked)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_PATH = Path(__file__).resolve().parent.parent / "benchmarks" / "forecast.py"


def test_the_forecast_benchmark_runs_and_replaces_its_section(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("finsam_benchmarks_forecast", _PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    times = module.time_forecast(20, 2, 10, repeats=1)
    per_future = module.time_simulate_loop(2, 2, 10)
    text = module.report(20, 2, 10, times, per_future)
    page = tmp_path / "benchmarks.md"
    page.write_text("# Benchmarks\n", encoding="utf-8")
    module.write_report(text, page)
    module.write_report(text, page)  # a rerun replaces the section, it does not add one
    written = page.read_text(encoding="utf-8")
    assert written.count(module.MARK_START) == 1
    assert "| `fo.forecast` (batch solver) | 20 × 2 × 10 |" in written
