"""Files in and out: CSV and Excel readers, decision tables, answer templates."""

from finsam_opt.io.decision import (
    DECISION_HEADERS,
    read_decision_table,
    write_decision_table,
)
from finsam_opt.io.growth import GROWTH_HEADERS, GrowthTable, read_growth, read_history
from finsam_opt.io.surplus_table import write_redistribution
from finsam_opt.io.tables import (
    SCHEMAS,
    read_answers_table,
    read_applications,
    read_memberships,
    read_municipalities,
    read_plain_table,
    read_staircase,
    read_table,
    read_units,
)
from finsam_opt.io.templates import (
    MergedAnswers,
    merge_answers,
    read_answers,
    write_templates,
)

__all__ = [
    "DECISION_HEADERS",
    "GROWTH_HEADERS",
    "SCHEMAS",
    "GrowthTable",
    "MergedAnswers",
    "merge_answers",
    "read_answers",
    "read_answers_table",
    "read_applications",
    "read_decision_table",
    "read_growth",
    "read_history",
    "read_memberships",
    "read_municipalities",
    "read_plain_table",
    "read_staircase",
    "read_table",
    "read_units",
    "write_decision_table",
    "write_redistribution",
    "write_templates",
]
