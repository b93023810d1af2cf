"""Reporting years and the smaller periods inside them.

A reporting year is named by the calendar year it starts in: 2017 is 1 April 2017 to
31 March 2018, shown as "2017-18". Councils whose year starts in another month set
``HEARD_REPORTING_YEAR_START_MONTH``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings


def start_month() -> int:
    return getattr(settings, "HEARD_REPORTING_YEAR_START_MONTH", 4)


@dataclass(frozen=True, order=True)
class ReportingYear:
    year: int
    month: int = 4

    @classmethod
    def of(cls, year: int) -> ReportingYear:
        return cls(year, start_month())

    @classmethod
    def containing(cls, day: datetime.date) -> ReportingYear:
        month = start_month()
        return cls(day.year if day.month >= month else day.year - 1, month)

    # Cached: reports compare every case's dates with these many times over.
    @cached_property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @cached_property
    def end(self) -> datetime.date:
        return datetime.date(self.year + 1, self.month, 1) - datetime.timedelta(days=1)

    @property
    def label(self) -> str:
        """ "2017-18" (or "2017" for a calendar year)."""
        if self.month == 1:
            return str(self.year)
        return f"{self.year}-{(self.year + 1) % 100:02d}"

    @cached_property
    def key(self) -> str:
        return str(self.year)

    def previous(self, n: int = 1) -> ReportingYear:
        return ReportingYear(self.year - n, self.month)

    def contains(self, day: datetime.date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def quarter_of(self, day: datetime.date) -> int:
        """1 to 4: the quarter of this reporting year that ``day`` falls in."""
        months = (day.year - self.year) * 12 + day.month - self.month
        return months // 3 + 1

    def describe(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"


def month_label(day: datetime.date) -> str:
    return f"{day:%Y-%m}"
