"""Analysis on top of :func:`finsam_opt.allocate`: diagnostics, policy comparison and
multi-year simulation."""

from finsam_opt.analysis.changes import Join, Leave, Merge, Update, changes_from_frame
from finsam_opt.analysis.compare import Comparison, compare
from finsam_opt.analysis.diagnostics import Diagnostics, diagnose
from finsam_opt.analysis.simulate import Simulation, simulate

__all__ = [
    "Comparison",
    "Diagnostics",
    "Join",
    "Leave",
    "Merge",
    "Simulation",
    "Update",
    "changes_from_frame",
    "compare",
    "diagnose",
    "simulate",
]
