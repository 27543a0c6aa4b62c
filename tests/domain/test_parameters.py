"""Parameters take numbers of any kind a user's code holds (numpy's too), never bools."""

from __future__ import annotations

import numpy as np
import pytest

import finsam_opt as fo

NUMPY_NUMBERS = [np.int64, np.int32, np.uint32, np.float64, np.float32]


@pytest.mark.parametrize("kind", NUMPY_NUMBERS)
@pytest.mark.parametrize(
    ("name", "value"),
    [("budget", 339_000_000), ("base_amount", 400_000), ("decrease_limit", 0.25)],
)
def test_a_numpy_number_is_a_number(kind: type, name: str, value: float) -> None:
    if name == "decrease_limit" and np.issubdtype(kind, np.integer):
        value = 0  # the only whole decrease limit
    given = fo.Parameters(**{"budget": 339e6, name: kind(value)})
    stored = getattr(given, name)
    assert type(stored) in (int, float)  # stored as Python's, so it prints and saves plainly
    assert stored == pytest.approx(value)


@pytest.mark.parametrize("kind", [np.float64, np.float32])
def test_numpy_weights_are_numbers(kind: type) -> None:
    given = fo.Parameters(budget=339e6, weight_support=kind(0.5), weight_population=kind(0.5))
    assert given == fo.Parameters(budget=339e6, weight_support=0.5, weight_population=0.5)


@pytest.mark.parametrize("kind", [np.int64, np.int32, np.uint16])
def test_a_numpy_integer_is_a_rounding_unit(kind: type) -> None:
    assert fo.Parameters(budget=339e6, rounding_unit=kind(1000)).rounding_unit == 1000


def test_a_budget_summed_by_pandas_allocates_as_a_float_does() -> None:
    budgets = np.array([10_000_000, 10_000_000], dtype=np.int64)
    units = fo.example_units()
    by_numpy = fo.allocate(units, fo.Parameters(budget=budgets.sum()))
    assert by_numpy.table.equals(fo.allocate(units, fo.Parameters(budget=20e6)).table)
    assert fo.compare(units, by_numpy.parameters, budgets=budgets.sum()).summary.shape[0] > 0


@pytest.mark.parametrize("value", [True, np.True_, np.bool_(False), "339e6", None])
@pytest.mark.parametrize("name", ["budget", "base_amount", "decrease_limit", "rounding_unit"])
def test_bools_and_text_are_not_numbers(name: str, value: object) -> None:
    with pytest.raises(fo.InputError, match=rf"parameter {name} must be") as info:
        fo.Parameters(**{"budget": 339e6, name: value})
    assert info.value.column == name


def test_a_fractional_rounding_unit_is_refused_also_from_numpy() -> None:
    with pytest.raises(fo.InputError, match="rounding_unit must be a whole number"):
        fo.Parameters(budget=339e6, rounding_unit=np.float64(1000.0))


@pytest.mark.parametrize("kind", [np.float32, np.float64])
def test_a_declared_phase_takes_numpy_fractions(kind: type) -> None:
    raised = fo.DeclaredPhase("raise-limit", at_most=kind(0.25))
    kept = fo.DeclaredPhase("scale-protection", keep=kind(0.5))
    assert (type(raised.at_most), raised.at_most, kept.keep) == (float, 0.25, 0.5)
    with pytest.raises(fo.InputError, match="at_most must be a number"):
        fo.DeclaredPhase("raise-limit", at_most=np.True_)
