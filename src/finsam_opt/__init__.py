"""finsam_opt: the Swedish state allocation to the samordningsförbund, solved exactly.

The public API::

    import finsam_opt as fo
    params = fo.Parameters(budget=339_000_000)
    result = fo.allocate(units, params, policy="raise-limit", solver="fast")
    result.table, result.scenario, result.decrease_limit, result.unallocated
"""

from finsam_opt.allocate import allocate, ideal_allocation
from finsam_opt.batch import BatchAllocation, allocate_batch, solve_batch
from finsam_opt.binding import BINDING_RULES
from finsam_opt.damping import Phase
from finsam_opt.errors import FinsamError, InputError, SolverError, VerificationError
from finsam_opt.examples import example_units
from finsam_opt.model import Scenario
from finsam_opt.parameters import Parameters
from finsam_opt.policies import DEFICIT_POLICIES, PhaseRule, Policy
from finsam_opt.result import Allocation
from finsam_opt.solvers import SOLVERS
from finsam_opt.synthetic import SyntheticCase, synthetic_units, write_synthetic

__all__ = [
    "BINDING_RULES",
    "DEFICIT_POLICIES",
    "SOLVERS",
    "Allocation",
    "BatchAllocation",
    "FinsamError",
    "InputError",
    "Parameters",
    "Phase",
    "PhaseRule",
    "Policy",
    "Scenario",
    "SolverError",
    "SyntheticCase",
    "VerificationError",
    "allocate",
    "allocate_batch",
    "example_units",
    "ideal_allocation",
    "solve_batch",
    "synthetic_units",
    "write_synthetic",
]

__version__ = "0.1.0"
