"""Docstrings and messages cite the docs pages that ship with the package, not a design file."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import finsam_opt as fo

SRC = Path(fo.__file__).resolve().parent
DESIGN = re.compile(r"\b(MODEL|STYLE)\.md\b")


def _public_docstrings() -> dict[str, str]:
    """The docstring of every public name and of its public methods and properties."""
    docs = {}
    for name in fo.__all__:
        obj = getattr(fo, name)
        docs[name] = inspect.getdoc(obj) or ""
        if inspect.isclass(obj):
            for member, value in vars(obj).items():
                text = inspect.getdoc(value) if not member.startswith("_") else None
                if text:
                    docs[f"{name}.{member}"] = text
    return docs


def test_no_public_docstring_cites_the_design_files() -> None:
    cited = [name for name, text in _public_docstrings().items() if DESIGN.search(text)]
    assert cited == [], f"cite docs/*.md instead: {cited}"


def test_public_docstrings_point_to_docs_pages_that_exist() -> None:
    docs = SRC.parents[1] / "docs"
    for name in fo.__all__:
        text = inspect.getdoc(getattr(fo, name)) or ""
        for page in re.findall(r"docs/([\w/]+\.md)", text):
            assert (docs / page).exists(), f"{name} cites docs/{page}, which does not exist"
