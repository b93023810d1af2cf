"""The bridge between the council's calendar data (in the database) and the plain-Python
timescale engine (``heard.timescales``), which never touches the database itself."""

from __future__ import annotations

import datetime
import hashlib

from heard.deadlines.models import CalendarSettings, ClosureDay
from heard.timescales import WorkingCalendar


def council_calendar(settings: CalendarSettings | None = None) -> WorkingCalendar:
    settings = settings or CalendarSettings.current()
    closures = frozenset(ClosureDay.objects.values_list("date", flat=True))
    return WorkingCalendar(region=settings.region, closures=closures)


def holidays_fingerprint(region: str, years: range = range(2000, 2041)) -> str:
    """A digest of the bank holidays the installed ``holidays`` package knows, so that an
    upgrade that adds or moves a holiday is noticed and open clocks are recalculated."""
    calendar = WorkingCalendar(region=region)
    digest = hashlib.sha256()
    for year in years:
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        for day, reason in calendar.non_working_days(start, end):
            if day.weekday() < 5:
                digest.update(f"{day.isoformat()}:{reason};".encode())
    return digest.hexdigest()
