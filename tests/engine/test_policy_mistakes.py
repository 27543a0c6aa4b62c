"""A custom policy's mistakes are the policy's: an InputError naming it, the phase and
what its rule returned wrong, never a VerificationError or a raw numpy error
(adversarial finding F14)."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pytest

import finsam_opt as fo

UNITS = fo.example_units()  # unit 'C' is capped at 2 500 000 kr, 'D' is new
DEFICIT = fo.Parameters(budget=18_000_000)
ONE = np.arange(5) == 3  # unit 'D'

MISTAKES: dict[str, tuple[Callable[..., object], str]] = {
    "negative lower bound": (
        lambda q, prev: fo.Phase(hi=q.target, lo=q.target - 5e6 * ONE, weight=1.0 * ONE),
        r"unit 'D': a negative lower bound; every unit keeps at least 0 kr \(lo ≥ 0\)",
    ),
    "too few units": (
        lambda q, prev: fo.Phase(hi=q.target[:4], lo=q.capped[:4], weight=np.ones(4)),
        r"the rule returned bounds for 4 units, but there are 5; return fo\.Phase",
    ),
    "None": (lambda q, prev: None, r"the rule returned NoneType, not a Phase; return fo\.Phase"),
    "a tuple": (
        lambda q, prev: (q.target, q.capped, q.target - q.capped),
        r"the rule returned tuple, not a Phase",
    ),
    "NaN": (
        lambda q, prev: fo.Phase(hi=q.target, lo=q.capped * np.nan, weight=np.ones(5)),
        r"a phase's hi, lo and weight must be finite",
    ),
    "above the cap": (
        lambda q, prev: fo.Phase(hi=q.target + 3e6, lo=q.capped, weight=np.ones(5)),
        r"unit 'C': an upper bound above its matching cap \(q\.cap\)",
    ),
    "below the budget": (
        lambda q, prev: fo.Phase(hi=q.capped / 2, lo=q.capped / 3, weight=np.ones(5)),
        r"the upper bounds add up to 8,678,070 kr, less than the budget 18,000,000 kr",
    ),
    "a fill phase": (
        lambda q, prev: fo.Phase(hi=q.target, lo=q.capped, weight=np.ones(5), kind="fill"),
        r"the rule returned a fill phase; a deficit phase cuts",
    ),
    "the rule raises": (
        lambda q, prev: q.no_such_quantity,
        r"AttributeError: 'Quantities' object has no attribute 'no_such_quantity'",
    ),
}


@pytest.mark.parametrize("way", ["allocate", "allocate_batch"])
@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_a_policy_mistake_is_an_input_error_naming_the_policy(way: str, mistake: str) -> None:
    rule, message = MISTAKES[mistake]
    policy = fo.Policy("mine", (fo.PhaseRule("my phase", rule),))
    with pytest.raises(fo.InputError, match=r"^policy 'mine', phase 1 \('my phase'\): ") as info:
        if way == "allocate":
            fo.allocate(UNITS, DEFICIT, policy)
        else:
            fo.allocate_batch(UNITS, [fo.Parameters(budget=30e6), DEFICIT], policy)
    assert info.value.column == "policy"
    assert len(re.findall(message, str(info.value))) == 1


def test_the_mistake_is_named_in_the_phase_that_made_it() -> None:
    first = fo.DEFICIT_POLICIES["scale-gains"].phases[0]
    second = fo.PhaseRule(
        "then", lambda q, prev: fo.Phase(hi=prev.lo, lo=-prev.lo, weight=q.previous)
    )
    policy = fo.Policy("two", (first, second))
    with pytest.raises(fo.InputError, match=r"^policy 'two', phase 2 \('then'\): units 'A'"):
        fo.allocate(UNITS, fo.Parameters(budget=12_000_000), policy)


def test_a_correct_custom_policy_still_allocates() -> None:
    def keep_half(q: object, previous: object) -> fo.Phase:
        return fo.Phase(hi=q.target, lo=(q.capped + q.target) / 2, weight=q.target - q.capped)

    policy = fo.Policy("keep-half", (fo.PhaseRule("keep half", keep_half),))
    result = fo.allocate(UNITS, fo.Parameters(budget=21_000_000), policy)
    assert result.table["allocation_rounded"].tolist() == [
        9261111,
        4703555,
        2500000,
        1947222,
        2588112,
    ]
    batch = fo.allocate_batch(UNITS, [21_000_000], policy)
    assert np.allclose(batch.allocation[0], result.exact)
