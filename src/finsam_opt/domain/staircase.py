"""The equity staircase (*trappa*) of docs/surplus.md: reasonable equity by turnover.

The Nationella rådet's recommendation (2013-10-02) allows a unit equity capital
up to a fraction of its turnover, the fraction falling with size. Its numbers are
not in our sources, so the staircase is user data; :data:`EXAMPLE_STAIRCASE` is
an *example*, not the official recommendation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from finsam_opt.errors import InputError
from finsam_opt.language.numbers import format_number

__all__ = ["EXAMPLE_STAIRCASE", "STAIRCASE_COLUMNS", "Staircase"]

STAIRCASE_COLUMNS: tuple[str, str] = ("turnover_upper_bound", "allowed_fraction")
"""The two columns of a staircase table (CSV or DataFrame)."""


@dataclass(frozen=True)
class Staircase:
    """Allowed equity as a fraction of turnover, by turnover band.

    Row k applies to a turnover T with ``upper_bounds[k-1] < T ≤ upper_bounds[k]``;
    the unit may hold equity up to ``fractions[k] × T`` kronor.

    Parameters
    ----------
    upper_bounds : sequence of float
        Turnover upper bound of each band, kronor, strictly increasing; the last
        is ``inf`` (open-ended).
    fractions : sequence of float
        Allowed fraction of turnover in each band, in [0, 1].

    Examples
    --------
    >>> import finsam_opt as fo
    >>> stairs = fo.Staircase((5_000_000, float("inf")), (0.2, 0.1))
    >>> stairs.allowed([4_000_000, 8_000_000]).tolist()
    [800000.0, 800000.0]
    """

    upper_bounds: tuple[float, ...]
    fractions: tuple[float, ...]

    def __post_init__(self) -> None:
        bounds = _floats(self.upper_bounds, STAIRCASE_COLUMNS[0])
        fractions = _floats(self.fractions, STAIRCASE_COLUMNS[1])
        if not bounds:
            raise InputError(
                "a staircase needs at least one row",
                sv="trappan behöver minst en rad",
                column=STAIRCASE_COLUMNS[0],
            )
        if len(bounds) != len(fractions):
            raise InputError(
                f"a staircase needs one allowed_fraction per turnover_upper_bound, got "
                f"{len(bounds)} bounds and {len(fractions)} fractions",
                sv="trappan behöver en andel (allowed_fraction) per övre gräns för omsättningen "
                f"(turnover_upper_bound), men har {len(bounds)} gränser och {len(fractions)} "
                "andelar",
                column=STAIRCASE_COLUMNS[1],
            )
        for row, (bound, fraction) in enumerate(zip(bounds, fractions, strict=True), start=1):
            if math.isnan(bound) or bound <= 0:
                raise InputError(
                    f"staircase row {row}: turnover_upper_bound must be > 0, got {bound}",
                    sv=f"trappan, rad {row}: omsättningens övre gräns (turnover_upper_bound) "
                    f"måste vara > 0, inte {_sv(bound)}",
                    column=STAIRCASE_COLUMNS[0],
                )
            if row > 1 and bound <= bounds[row - 2]:
                raise InputError(
                    f"staircase row {row}: turnover_upper_bound must be greater than the row "
                    f"before ({bounds[row - 2]:g}), got {bound:g}",
                    sv=f"trappan, rad {row}: omsättningens övre gräns (turnover_upper_bound) "
                    f"måste vara större än på raden före ({_sv(bounds[row - 2])}), inte "
                    f"{_sv(bound)}",
                    column=STAIRCASE_COLUMNS[0],
                )
            if not 0 <= fraction <= 1:
                raise InputError(
                    f"staircase row {row}: allowed_fraction must be in [0, 1], got {fraction}",
                    sv=f"trappan, rad {row}: andelen (allowed_fraction) måste ligga mellan 0 och "
                    f"1, inte {_sv(fraction)}",
                    column=STAIRCASE_COLUMNS[1],
                )
        if not math.isinf(bounds[-1]):
            raise InputError(
                f"staircase row {len(bounds)}: the last turnover_upper_bound must be inf "
                f"(open-ended), got {bounds[-1]:g}",
                sv=f"trappan, rad {len(bounds)}: den sista övre gränsen för omsättningen "
                f"(turnover_upper_bound) måste vara inf eller tom (utan övre gräns), inte "
                f"{_sv(bounds[-1])}",
                column=STAIRCASE_COLUMNS[0],
            )
        object.__setattr__(self, "upper_bounds", bounds)
        object.__setattr__(self, "fractions", fractions)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Staircase:
        """A staircase from a table with columns ``turnover_upper_bound`` and
        ``allowed_fraction``; an empty (NaN) bound in the last row means open-ended."""
        missing = [c for c in STAIRCASE_COLUMNS if c not in frame.columns]
        if missing:
            raise InputError(
                f"a staircase table needs the column(s) {', '.join(map(repr, missing))}",
                sv=f"en tabell med trappan behöver kolumnen/kolumnerna "
                f"{', '.join(map(repr, missing))}",
                column=missing[0],
            )
        bounds = pd.to_numeric(frame[STAIRCASE_COLUMNS[0]], errors="coerce").to_numpy(
            float, copy=True
        )
        if len(bounds) and np.isnan(bounds[-1]) and pd.isna(frame[STAIRCASE_COLUMNS[0]].iloc[-1]):
            bounds[-1] = np.inf
        return cls(tuple(bounds), tuple(frame[STAIRCASE_COLUMNS[1]]))

    def to_frame(self) -> pd.DataFrame:
        """The staircase as a table with the columns of :meth:`from_frame`."""
        return pd.DataFrame(
            dict(zip(STAIRCASE_COLUMNS, (self.upper_bounds, self.fractions), strict=True))
        )

    def fraction(self, turnover: np.ndarray | Sequence[float]) -> np.ndarray:
        """The allowed fraction for each turnover (kronor), shape as ``turnover``."""
        t = np.asarray(turnover, dtype=float)
        rows = np.searchsorted(np.asarray(self.upper_bounds), t, side="left")
        return np.asarray(self.fractions)[rows]

    def allowed(self, turnover: np.ndarray | Sequence[float]) -> np.ndarray:
        """Reasonable equity ``fraction(T) × T``, kronor, for each turnover T."""
        t = np.asarray(turnover, dtype=float)
        return self.fraction(t) * t

    def excess(
        self, equity: np.ndarray | Sequence[float], turnover: np.ndarray | Sequence[float]
    ) -> np.ndarray:
        """Excess equity ``max(0, equity − allowed(turnover))``, kronor."""
        return np.maximum(0.0, np.asarray(equity, dtype=float) - self.allowed(turnover))


def _floats(values: Sequence[float], column: str) -> tuple[float, ...]:
    try:
        return tuple(float(v) for v in values)
    except (TypeError, ValueError):
        raise InputError(
            f"staircase column {column} must hold numbers, got {list(values)!r}",
            sv=f"trappans kolumn {column} får bara innehålla tal, inte {list(values)!r}",
            column=column,
        ) from None


def _sv(number: float) -> str:
    """A number for a Swedish message: kronor grouped, a fraction with a decimal comma."""
    if math.isfinite(number) and number.is_integer():
        return format_number(number, "sv")
    return f"{number:g}".replace(".", ",")


EXAMPLE_STAIRCASE = Staircase(
    upper_bounds=(5_000_000.0, 15_000_000.0, math.inf),
    fractions=(0.20, 0.15, 0.10),
)
"""An EXAMPLE staircase, not the official one: 20 % of turnover up to 5 Mkr,
15 % up to 15 Mkr, 10 % above. Supply the Nationella rådet's current
recommendation with :func:`finsam_opt.io.read_staircase` for real decisions."""
