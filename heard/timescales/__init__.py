"""The timescale engine: working days, timescale rules and clocks, in plain Python.

Nothing in this package touches the database; ``heard.deadlines`` brings the council's closure
days and region to it. See docs/timescales.md for the counting convention.
"""

from heard.timescales.calendar import REGIONS, WorkingCalendar, add_calendar_months, bank_holidays
from heard.timescales.clocks import (
    Clock,
    MilestoneDue,
    calendar_for,
    check_extension,
    compute_clock,
    milestone_dates,
    milestone_dues,
    request_deadline,
    stage_response_due,
)
from heard.timescales.errors import ExtensionNotAllowed, OutOfRange, TimescaleError, UnknownRule
from heard.timescales.rules import (
    CODE_DEFAULTS,
    RULES,
    ExtensionPolicy,
    MilestoneRule,
    StageRule,
    Target,
    apply_policy,
    has_rule,
    rule_for,
)

__all__ = [
    "CODE_DEFAULTS",
    "REGIONS",
    "RULES",
    "Clock",
    "ExtensionNotAllowed",
    "ExtensionPolicy",
    "MilestoneDue",
    "MilestoneRule",
    "OutOfRange",
    "StageRule",
    "Target",
    "TimescaleError",
    "UnknownRule",
    "WorkingCalendar",
    "add_calendar_months",
    "apply_policy",
    "bank_holidays",
    "calendar_for",
    "check_extension",
    "compute_clock",
    "has_rule",
    "milestone_dates",
    "milestone_dues",
    "stage_response_due",
    "request_deadline",
    "rule_for",
]
