"""The benchmark code runs at tiny sizes and every peer agrees with fast (no timings checked)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("finsam_benchmarks_run", _PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_every_peer_runs_and_agrees_within_one_krona(bench, tmp_path) -> None:
    results = bench.run_sizes((10, 80), repeats=1, lp_repeats=1, log=lambda _: None)
    assert {m.peer for m in results} == set(bench.PEERS)
    for m in results:
        assert not m.skipped
        assert m.diff <= 1.0, (m.peer, m.n, m.diff)
        assert m.raw_diff <= 1.0, (m.peer, m.n, m.raw_diff)
    variants = bench.run_variants(variants=20, loop_sample=4, repeats=1)
    assert variants.max_diff <= 1e-6
    text = bench.report(results, variants, "smoke")
    assert "| 80 | pulp-cbc |" in text
    target = tmp_path / "benchmarks.md"
    target.write_text("# Benchmarks\n\nprose kept\n")
    bench.write_report(text, target)
    bench.write_report(text, target)  # replaces its block, keeps the prose
    written = target.read_text()
    assert written.count(bench.MARK_START) == 1 and "prose kept" in written


def test_the_table_writer_benchmark_runs() -> None:
    path = _PATH.with_name("write_tables.py")
    spec = importlib.util.spec_from_file_location("finsam_benchmarks_write", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = module.table((20, 40))
    assert text.splitlines()[2].startswith("| 20 |") and "| 40 |" in text
