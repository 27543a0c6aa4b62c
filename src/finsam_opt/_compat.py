"""What Python 3.10 lacks: :class:`enum.StrEnum` and :mod:`tomllib` (3.11)."""

from __future__ import annotations

import sys

if sys.version_info >= (3, 11):
    from enum import StrEnum

    import tomllib
else:  # pragma: no cover - Python 3.10
    from enum import Enum

    import tomli as tomllib

    class StrEnum(str, Enum):
        """Backport of :class:`enum.StrEnum`."""

        def __str__(self) -> str:
            return str(self.value)


__all__ = ["StrEnum", "tomllib"]
