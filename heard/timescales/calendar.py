"""Working days: weekends, bank holidays (from the ``holidays`` package) and closure days.

Counting convention (see docs/timescales.md):

* The start date (the day of receipt) is **day 0**. Day 1 is the first working day after it.
  So a complaint received on a Saturday or a bank holiday starts on that day too, and its day 1
  is the next working day: "10 working days" from Saturday 6 January 2024 ends on Friday
  19 January 2024, exactly as from Friday 5 January.
* ``add_working_days(start, n)`` is the n-th working day after ``start`` (``start`` itself when
  ``n`` is 0, even if ``start`` is not a working day).
* ``working_days_between(start, end)`` counts the working days after ``start`` up to and including
  ``end``, so it undoes ``add_working_days``.

Each calendar builds, once, an index over 1950–2100 of every day's running count of working
days, so adding and counting are two array look-ups: a million due dates take about a second.
"""

from __future__ import annotations

import calendar as std_calendar
import datetime
from array import array
from collections.abc import Iterable, Mapping
from functools import lru_cache

import holidays

from heard.timescales.errors import OutOfRange

REGIONS: dict[str, tuple[str, ...]] = {
    # Wales shares England's bank holidays; the 2006 Regulations use "England and Wales".
    "england-and-wales": ("ENG",),
    "scotland": ("SCT",),
    "northern-ireland": ("NIR",),
    # For FOI: a bank holiday in any part of the United Kingdom is not a working day.
    "united-kingdom": ("ENG", "WLS", "SCT", "NIR"),
}
REGION_LABELS = {
    "england-and-wales": "England and Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
    "united-kingdom": "any part of the United Kingdom",
}
FIRST_YEAR, LAST_YEAR = 1950, 2100
_FIRST = datetime.date(FIRST_YEAR, 1, 1).toordinal()
_LAST = datetime.date(LAST_YEAR, 12, 31).toordinal()


@lru_cache(maxsize=8)
def bank_holidays(region: str) -> Mapping[datetime.date, str]:
    """Every bank holiday of a region from 1950 to 2100, with its name."""
    try:
        subdivisions = REGIONS[region]
    except KeyError:
        raise ValueError(
            f"Unknown region {region!r}: choose one of {', '.join(REGIONS)}."
        ) from None
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    found: dict[datetime.date, str] = {}
    for subdivision in subdivisions:
        for day, name in holidays.UK(subdiv=subdivision, years=years).items():
            found.setdefault(day, name)
    return found


@lru_cache(maxsize=8)
def _holiday_index(region: str) -> tuple[array, array]:
    """(running count of working days before each day, ordinals of the working days), for
    weekends and bank holidays only. Closure days are applied on top per calendar."""
    return _build_index(frozenset(d.toordinal() for d in bank_holidays(region)))


def _build_index(non_working: frozenset[int]) -> tuple[array, array]:
    before = array("i", [0]) * (_LAST - _FIRST + 2)
    working = array("i")
    count = 0
    for offset, ordinal in enumerate(range(_FIRST, _LAST + 1)):
        before[offset] = count
        # date.fromordinal(1) is a Monday, so (ordinal - 1) % 7 is the weekday.
        if (ordinal - 1) % 7 < 5 and ordinal not in non_working:
            working.append(ordinal)
            count += 1
    before[_LAST - _FIRST + 1] = count
    return before, working


@lru_cache(maxsize=8)
def _closures_index(region: str, closures: frozenset[int]) -> tuple[array, array]:
    """The index of a region's bank holidays with a council's closure days (ordinals) on top,
    built once for the same days: a report or a recalculation makes a calendar each time, and
    building the index for 150 years costs a tenth of a second."""
    base = frozenset(d.toordinal() for d in bank_holidays(region))
    return _build_index(base | closures)


class WorkingCalendar:
    """Which days are working days for one council."""

    def __init__(
        self,
        region: str = "england-and-wales",
        closures: Iterable[datetime.date] | Mapping[datetime.date, str] = frozenset(),
    ):
        self.region = region
        self._holidays = bank_holidays(region)
        if isinstance(closures, Mapping):
            self._closures = dict(closures)
        else:
            self._closures = dict.fromkeys(closures, "Council closure day")
        extra = frozenset(
            d.toordinal() for d in self._closures if d.weekday() < 5 and d not in self._holidays
        )
        if extra:
            self._before, self._working = _closures_index(region, extra)
        else:
            self._before, self._working = _holiday_index(region)

    def __repr__(self) -> str:
        return f"WorkingCalendar(region={self.region!r}, closures={len(self._closures)})"

    @staticmethod
    def _offset(day: datetime.date) -> int:
        ordinal = day.toordinal()
        if not _FIRST <= ordinal <= _LAST:
            raise OutOfRange(
                f"{day:%-d %B %Y} is outside the years Heard can count ({FIRST_YEAR}–{LAST_YEAR})."
            )
        return ordinal - _FIRST

    def is_working_day(self, day: datetime.date) -> bool:
        offset = self._offset(day)
        return self._before[offset + 1] > self._before[offset]

    def reason_not_working(self, day: datetime.date) -> str | None:
        """Why a day is not a working day (None if it is one)."""
        if day.weekday() == 5:
            return "Saturday"
        if day.weekday() == 6:
            return "Sunday"
        if day in self._holidays:
            return f"{self._holidays[day]} (bank holiday in {REGION_LABELS[self.region]})"
        if day in self._closures:
            return self._closures[day]
        return None

    def add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        """The n-th working day after ``start`` (day 0)."""
        if n < 0:
            raise ValueError("The number of working days must be 0 or more.")
        if n == 0:
            return start
        done = self._before[self._offset(start) + 1]  # working days up to and including start
        index = done + n - 1
        if index >= len(self._working):
            raise OutOfRange(f"The date is after {LAST_YEAR}, beyond the years Heard can count.")
        return datetime.date.fromordinal(self._working[index])

    def add_working_days_many(
        self, pairs: Iterable[tuple[datetime.date, int]]
    ) -> list[datetime.date]:
        """``add_working_days`` for many (start, n) pairs at once, for bulk work."""
        before, working, first = self._before, self._working, _FIRST
        fromordinal = datetime.date.fromordinal
        result = []
        append = result.append
        for start, n in pairs:
            if n == 0:
                append(start)
            else:
                append(fromordinal(working[before[start.toordinal() - first + 1] + n - 1]))
        return result

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
        return self._before[self._offset(end) + 1] - self._before[self._offset(start) + 1]

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """``day`` itself if it is a working day, else the first working day after it."""
        if self.is_working_day(day):
            return day
        return self.add_working_days(day, 1)

    def add_months(self, start: datetime.date, n: int) -> datetime.date:
        """Calendar months the way the ICO counts them for subject access requests: the same
        date n months later, or the last day of a shorter month; then, if that is not a working
        day, the next working day."""
        if n < 0:
            raise ValueError("The number of months must be 0 or more.")
        return self.next_working_day(add_calendar_months(start, n))

    def non_working_days(
        self, start: datetime.date, end: datetime.date
    ) -> list[tuple[datetime.date, str]]:
        """The non-working days after ``start`` up to and including ``end``, with reasons."""
        days = []
        day = start + datetime.timedelta(days=1)
        while day <= end:
            reason = self.reason_not_working(day)
            if reason:
                days.append((day, reason))
            day += datetime.timedelta(days=1)
        return days


def add_calendar_months(start: datetime.date, n: int) -> datetime.date:
    """The same date n months later, or the last day of that month if it is shorter."""
    month_index = start.month - 1 + n
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, std_calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day)
