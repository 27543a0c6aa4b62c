"""Docstrings and messages cite the docs pages that ship with the package, not a design file."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import finsam_opt as fo

SRC = Path(fo.__file__).resolve().parent
DESIGN = re.compile(r"\b(MODEL|STYLE)\.md\b")


def test_no_source_file_cites_the_design_files() -> None:
    cited = [
        f"{path.relative_to(SRC)}:{number}"
        for path in sorted(SRC.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if DESIGN.search(line)
    ]
    assert cited == [], f"cite docs/*.md instead: {cited}"


def test_public_docstrings_point_to_docs_pages_that_exist() -> None:
    docs = SRC.parents[1] / "docs"
    for name in fo.__all__:
        text = inspect.getdoc(getattr(fo, name)) or ""
        for page in re.findall(r"docs/([\w/]+\.md)", text):
            assert (docs / page).exists(), f"{name} cites docs/{page}, which does not exist"
