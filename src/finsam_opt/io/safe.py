"""Writing files safely: all-or-nothing replacement and formula neutralisation."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from finsam_opt.errors import InputError

__all__ = ["FORMULA_PREFIXES", "neutralise", "restore", "write_atomically"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these could run as a formula in a spreadsheet."""


def neutralise(text: str) -> str:
    """``'=HYPERLINK(…)'`` → ``"'=HYPERLINK(…)"``: a CSV cell a spreadsheet shows as text."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def restore(text: str) -> str:
    """Undo :func:`neutralise` when reading a file back."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def write_atomically(targets: Sequence[Path], write: Callable[[Sequence[Path]], None]) -> None:
    """Call ``write`` with temporary paths, then move them onto ``targets``.

    If ``write`` fails, no target is created or changed.
    """
    for target in targets:
        if not target.parent.is_dir():
            raise InputError(f"{target}: the folder {target.parent} does not exist")
    temporaries = []
    try:
        for target in targets:
            handle, name = tempfile.mkstemp(
                prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent
            )
            os.close(handle)
            temporaries.append(Path(name))
        write(temporaries)
        for temporary, target in zip(temporaries, targets, strict=True):
            os.replace(temporary, target)
    finally:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)
