"""`import finsam_opt` loads the engine only; readers, writers, plots and analysis on first use."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import finsam_opt as fo

HEAVY = ("openpyxl", "matplotlib", "jinja2", "tqdm", "finsam_opt.analysis", "finsam_opt.io")


def _loaded_after(code: str) -> dict[str, bool]:
    report = f"print(json.dumps({{m: m in sys.modules for m in {HEAVY!r}}}))"
    script = f"import sys, json\n{code}\n{report}"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=os.environ
    )
    return json.loads(out.stdout.splitlines()[-1])


def test_the_package_imports_without_the_heavy_layers() -> None:
    assert not any(_loaded_after("import finsam_opt as fo").values())
    allocated = _loaded_after(
        "import finsam_opt as fo\nfo.allocate(fo.example_units(), fo.Parameters(budget=2e7))"
    )
    assert not allocated["openpyxl"] and not allocated["matplotlib"]


def test_every_public_name_resolves_and_is_listed() -> None:
    assert all(getattr(fo, name) is not None for name in fo.__all__)
    assert set(fo.__all__) <= set(dir(fo))
    assert fo.compare is fo.analysis.compare  # the lazy name is the module's own object


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        fo.no_such_name  # noqa: B018
    except AttributeError as error:
        assert "no_such_name" in str(error)
    else:
        raise AssertionError("an unknown attribute resolved")
