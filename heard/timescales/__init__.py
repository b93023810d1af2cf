"""The timescale engine: working days, timescale rules and clocks, in plain Python.

Nothing in this package touches the database; ``heard.deadlines`` brings the council's closure
days and region to it. See docs/timescales.md for the counting convention.
"""

from heard.timescales.calendar import REGIONS, WorkingCalendar, add_calendar_months, bank_holidays
from heard.timescales.clocks import (
    Clock,
    calendar_for,
    check_extension,
    compute_clock,
    milestone_dates,
    request_deadline,
)
from heard.timescales.errors import ExtensionNotAllowed, OutOfRange, TimescaleError, UnknownRule
from heard.timescales.rules import RULES, StageRule, Target, has_rule, rule_for

__all__ = [
    "REGIONS",
    "RULES",
    "Clock",
    "ExtensionNotAllowed",
    "OutOfRange",
    "StageRule",
    "Target",
    "TimescaleError",
    "UnknownRule",
    "WorkingCalendar",
    "add_calendar_months",
    "bank_holidays",
    "calendar_for",
    "check_extension",
    "compute_clock",
    "has_rule",
    "milestone_dates",
    "request_deadline",
    "rule_for",
]
