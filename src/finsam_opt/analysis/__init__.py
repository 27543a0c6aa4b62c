"""Analysis on top of :func:`finsam_opt.allocate`: diagnostics, policy comparison,
multi-year simulation, plots and HTML reports.

``plots`` and ``report`` import matplotlib only when a figure is drawn.
"""

from finsam_opt.analysis.changes import Join, Leave, Merge, Update, changes_from_frame
from finsam_opt.analysis.compare import Comparison, compare
from finsam_opt.analysis.curve import balancing_curve
from finsam_opt.analysis.diagnostics import Diagnostics, diagnose
from finsam_opt.analysis.explorer import Explorer, explorer_data, write_explorer
from finsam_opt.analysis.forecast import Drift, Forecast, Reason, YearOutcome, forecast
from finsam_opt.analysis.forecast_plots import plot_fan, plot_forecast
from finsam_opt.analysis.letters import (
    PlanningLetter,
    planning_letter,
    write_forecast,
    write_letters,
)
from finsam_opt.analysis.plots import (
    plot_allocation,
    plot_balancing,
    plot_comparison,
    plot_glide_paths,
)
from finsam_opt.analysis.policy_table import PolicyTable, plot_policy_table, policy_table
from finsam_opt.analysis.report import report_html, write_report
from finsam_opt.analysis.simulate import Simulation, simulate

__all__ = [
    "Comparison",
    "Diagnostics",
    "Drift",
    "Explorer",
    "Forecast",
    "Join",
    "Leave",
    "Merge",
    "PlanningLetter",
    "PolicyTable",
    "Reason",
    "Simulation",
    "Update",
    "YearOutcome",
    "balancing_curve",
    "changes_from_frame",
    "compare",
    "diagnose",
    "explorer_data",
    "forecast",
    "planning_letter",
    "plot_allocation",
    "plot_balancing",
    "plot_comparison",
    "plot_fan",
    "plot_forecast",
    "plot_glide_paths",
    "plot_policy_table",
    "policy_table",
    "report_html",
    "simulate",
    "write_explorer",
    "write_forecast",
    "write_letters",
    "write_report",
]
