"""Every public name has a docstring with an example, and every public function
documents its parameters (issue 7).

Public names are those in ``finsam_opt.__all__``. Classes and functions are checked;
constants (dicts, tuples, a Staircase instance) cannot carry a docstring of their own
and are skipped. The examples themselves run as doctests (``--doctest-modules``).
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import finsam_opt

# A numpydoc section heading: a title line underlined by dashes of the same length.
HEADING = re.compile(r"^(\w[\w ]*)\n(-+)$", re.MULTILINE)

CHECKED = sorted(
    name
    for name in finsam_opt.__all__
    if inspect.isclass(getattr(finsam_opt, name)) or inspect.isfunction(getattr(finsam_opt, name))
)
FUNCTIONS = [name for name in CHECKED if inspect.isfunction(getattr(finsam_opt, name))]


def docstring(name: str) -> str:
    # The object's own docstring: a class without one would otherwise show its base's.
    doc = getattr(finsam_opt, name).__doc__
    return inspect.cleandoc(doc) if doc else ""


def sections(doc: str) -> dict[str, str]:
    """The docstring's numpydoc sections, title → body."""
    headings = [m for m in HEADING.finditer(doc) if len(m.group(1)) == len(m.group(2))]
    ends = [m.start() for m in headings[1:]] + [len(doc)]
    return {m.group(1): doc[m.end() : end] for m, end in zip(headings, ends, strict=False)}


def documented_parameters(body: str) -> set[str]:
    """Names in a Parameters section: unindented lines ``a, b : type`` or ``a``."""
    names: set[str] = set()
    for line in body.splitlines():
        if line and not line[0].isspace():
            names.update(part.strip().lstrip("*") for part in line.split(" : ")[0].split(","))
    return names


def test_the_public_names_are_checked() -> None:
    assert {"allocate", "Allocation", "InputError", "example_units"} <= set(CHECKED)
    skipped = set(finsam_opt.__all__) - set(CHECKED)
    assert skipped == {
        "BINDING_RULES",
        "DEFICIT_POLICIES",
        "EXAMPLE_STAIRCASE",
        "MAX_AMOUNT",
        "ROUNDS",
        "SOLVERS",
        "SURPLUS_BINDING_RULES",
        "SURPLUS_POLICIES",
    }


@pytest.mark.parametrize("name", CHECKED)
def test_a_public_name_has_a_docstring_with_an_example(name: str) -> None:
    doc = docstring(name)
    assert doc, f"finsam_opt.{name} has no docstring"
    examples = sections(doc).get("Examples")
    assert examples is not None, f"finsam_opt.{name}'s docstring has no Examples section"
    assert ">>>" in examples, f"finsam_opt.{name}'s Examples section has no >>> example"


@pytest.mark.parametrize("name", FUNCTIONS)
def test_a_public_function_documents_its_parameters(name: str) -> None:
    parameters = list(inspect.signature(getattr(finsam_opt, name)).parameters)
    if not parameters:
        return  # nothing to document (example_units)
    body = sections(docstring(name)).get("Parameters")
    assert body is not None, f"finsam_opt.{name} takes arguments but has no Parameters section"
    missing = [p for p in parameters if p not in documented_parameters(body)]
    assert not missing, f"finsam_opt.{name}'s Parameters section lacks {missing}"


def test_the_section_parser_finds_sections() -> None:
    doc = inspect.cleandoc(
        """Summary.

        Parameters
        ----------
        a, b : int
            Kronor.

        Examples
        --------
        >>> 1
        1
        """
    )
    found = sections(doc)
    assert list(found) == ["Parameters", "Examples"]
    assert documented_parameters(found["Parameters"]) == {"a", "b"}
    assert ">>>" in found["Examples"]
    assert sections("Summary only.") == {}


def test_every_public_name_is_in_the_api_reference() -> None:
    reference = (Path(__file__).resolve().parents[1] / "docs" / "reference.md").read_text(
        encoding="utf-8"
    )
    shown = set(re.findall(r"^::: finsam_opt\.(?:[\w.]+\.)?(\w+)$", reference, re.MULTILINE))
    assert sorted(set(CHECKED) - shown) == []
