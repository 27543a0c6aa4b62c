"""finsam_opt: the Swedish state allocation to the samordningsförbund, solved exactly.

The public API::

    import finsam_opt as fo
    params = fo.Parameters(budget=339_000_000)
    result = fo.allocate(units, params, policy="raise-limit", solver="fast")
    result.table, result.scenario, result.decrease_limit, result.unallocated
    extra = fo.redistribute(applications, result, params, units=units)   # ofördelade medel
"""

from importlib import import_module
from typing import TYPE_CHECKING

from finsam_opt.domain.municipalities import (
    Aggregation,
    CarriedPrevious,
    MembershipNote,
    aggregate_municipalities,
    carry_previous_allocations,
    previous_allocations,
)
from finsam_opt.domain.parameters import MAX_AMOUNT, EquityFloor, Parameters, Unanswered
from finsam_opt.domain.plausibility import check_amounts
from finsam_opt.domain.staircase import EXAMPLE_STAIRCASE, Staircase
from finsam_opt.domain.units import Matching, check_previous_allocation, excess_equity, name_key
from finsam_opt.engine.allocate import allocate, ideal_allocation
from finsam_opt.engine.batch import BatchAllocation, allocate_batch, solve_batch
from finsam_opt.engine.binding import BINDING_RULES, SURPLUS_BINDING_RULES
from finsam_opt.engine.damping import Phase, PhaseKind
from finsam_opt.engine.model import Scenario
from finsam_opt.engine.policies import (
    DEFICIT_POLICIES,
    PhaseRule,
    Policy,
    policy_from_toml,
    read_policy,
)
from finsam_opt.engine.policy_file import DeclaredPhase, PhaseWeight, StepKind
from finsam_opt.engine.result import Allocation
from finsam_opt.engine.solvers import SOLVERS
from finsam_opt.engine.surplus import SURPLUS_POLICIES, Redistribution, redistribute
from finsam_opt.errors import FinsamError, InputError, SolverError, VerificationError

if TYPE_CHECKING:  # the lazy names, for type checkers and the API reference
    from finsam_opt.analysis import (
        Comparison,
        Diagnostics,
        Drift,
        Explorer,
        Forecast,
        Join,
        Leave,
        Merge,
        PlanningLetter,
        PolicyTable,
        Reason,
        Simulation,
        Update,
        YearOutcome,
        balancing_curve,
        compare,
        diagnose,
        explorer_data,
        forecast,
        planning_letter,
        plot_allocation,
        plot_balancing,
        plot_comparison,
        plot_fan,
        plot_forecast,
        plot_glide_paths,
        plot_policy_table,
        policy_table,
        report_html,
        simulate,
        write_explorer,
        write_forecast,
        write_letters,
        write_report,
    )
    from finsam_opt.datasets.examples import (
        example_units,
    )
    from finsam_opt.datasets.national import (
        NationalExample,
        national_example,
    )
    from finsam_opt.datasets.synthetic import (
        SyntheticCase,
        synthetic_units,
        write_synthetic,
    )
    from finsam_opt.year.calendar import (
        Late,
        RoundDates,
        round_dates,
    )
    from finsam_opt.year.process import (
        ROUNDS,
        AllocationYear,
        Round,
    )

# Loaded on first use (PEP 562): the reading, writing, plotting and reporting layers pull in
# openpyxl, matplotlib, jinja2 and the analysis package, which a plain allocation never needs.
_LAZY: dict[str, str] = {
    "policy_table": "finsam_opt.analysis",
    "plot_policy_table": "finsam_opt.analysis",
    "PolicyTable": "finsam_opt.analysis",
    "write_explorer": "finsam_opt.analysis",
    "explorer_data": "finsam_opt.analysis",
    "Explorer": "finsam_opt.analysis",
    "Comparison": "finsam_opt.analysis",
    "Diagnostics": "finsam_opt.analysis",
    "Drift": "finsam_opt.analysis",
    "Forecast": "finsam_opt.analysis",
    "Join": "finsam_opt.analysis",
    "Leave": "finsam_opt.analysis",
    "Merge": "finsam_opt.analysis",
    "PlanningLetter": "finsam_opt.analysis",
    "Reason": "finsam_opt.analysis",
    "Simulation": "finsam_opt.analysis",
    "Update": "finsam_opt.analysis",
    "YearOutcome": "finsam_opt.analysis",
    "balancing_curve": "finsam_opt.analysis",
    "compare": "finsam_opt.analysis",
    "diagnose": "finsam_opt.analysis",
    "forecast": "finsam_opt.analysis",
    "planning_letter": "finsam_opt.analysis",
    "plot_allocation": "finsam_opt.analysis",
    "plot_balancing": "finsam_opt.analysis",
    "plot_comparison": "finsam_opt.analysis",
    "plot_fan": "finsam_opt.analysis",
    "plot_forecast": "finsam_opt.analysis",
    "plot_glide_paths": "finsam_opt.analysis",
    "report_html": "finsam_opt.analysis",
    "simulate": "finsam_opt.analysis",
    "write_forecast": "finsam_opt.analysis",
    "write_letters": "finsam_opt.analysis",
    "write_report": "finsam_opt.analysis",
    "example_units": "finsam_opt.datasets.examples",
    "NationalExample": "finsam_opt.datasets.national",
    "national_example": "finsam_opt.datasets.national",
    "SyntheticCase": "finsam_opt.datasets.synthetic",
    "synthetic_units": "finsam_opt.datasets.synthetic",
    "write_synthetic": "finsam_opt.datasets.synthetic",
    "ROUNDS": "finsam_opt.year.process",
    "AllocationYear": "finsam_opt.year.process",
    "Round": "finsam_opt.year.process",
    "RoundDates": "finsam_opt.year.calendar",
    "Late": "finsam_opt.year.calendar",
    "round_dates": "finsam_opt.year.calendar",
}


def __getattr__(name: str) -> object:
    if name == "__version__":  # importlib.metadata costs more than the engine itself
        from importlib.metadata import version

        return version("finsam_opt")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'finsam_opt' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later accesses skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "BINDING_RULES",
    "DEFICIT_POLICIES",
    "EXAMPLE_STAIRCASE",
    "MAX_AMOUNT",
    "ROUNDS",
    "SOLVERS",
    "SURPLUS_BINDING_RULES",
    "SURPLUS_POLICIES",
    "Aggregation",
    "Allocation",
    "AllocationYear",
    "BatchAllocation",
    "CarriedPrevious",
    "Comparison",
    "DeclaredPhase",
    "Diagnostics",
    "Drift",
    "EquityFloor",
    "Explorer",
    "FinsamError",
    "Forecast",
    "InputError",
    "Join",
    "Late",
    "Leave",
    "Matching",
    "MembershipNote",
    "Merge",
    "NationalExample",
    "Parameters",
    "Phase",
    "PhaseKind",
    "PhaseRule",
    "PhaseWeight",
    "PlanningLetter",
    "Policy",
    "PolicyTable",
    "Reason",
    "Redistribution",
    "Round",
    "RoundDates",
    "Scenario",
    "Simulation",
    "SolverError",
    "Staircase",
    "StepKind",
    "SyntheticCase",
    "Unanswered",
    "Update",
    "VerificationError",
    "YearOutcome",
    "aggregate_municipalities",
    "allocate",
    "allocate_batch",
    "balancing_curve",
    "carry_previous_allocations",
    "check_amounts",
    "check_previous_allocation",
    "compare",
    "diagnose",
    "example_units",
    "excess_equity",
    "explorer_data",
    "forecast",
    "ideal_allocation",
    "name_key",
    "national_example",
    "planning_letter",
    "plot_allocation",
    "plot_balancing",
    "plot_comparison",
    "plot_fan",
    "plot_forecast",
    "plot_glide_paths",
    "plot_policy_table",
    "policy_from_toml",
    "policy_table",
    "previous_allocations",
    "read_policy",
    "redistribute",
    "report_html",
    "round_dates",
    "simulate",
    "solve_batch",
    "synthetic_units",
    "write_explorer",
    "write_forecast",
    "write_letters",
    "write_report",
    "write_synthetic",
]
