"""Changes to the council calendar. Each one recalculates every open clock, in one transaction,
and every case whose dates moved says so in its history."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from heard.audit import services as audit
from heard.deadlines.models import ClosureDay


@dataclass(frozen=True)
class ClosureOutcome:
    created: bool
    moved: int


@transaction.atomic
def add_closure_day(date: datetime.date, description: str, *, user) -> ClosureOutcome:
    from heard.cases.services import recalculate_open_clocks

    closure, created = ClosureDay.objects.get_or_create(
        date=date, defaults={"description": description}
    )
    if not created:
        return ClosureOutcome(created=False, moved=0)
    audit.record(
        "calendar.closure_added", user=user, obj=closure, note=f"{date:%-d %B %Y}: {description}"
    )
    moved = recalculate_open_clocks(user=user, because=f"Closure day {date:%-d %B %Y} added")
    return ClosureOutcome(created=True, moved=moved)


@transaction.atomic
def remove_closure_day(closure: ClosureDay, *, user) -> int:
    from heard.cases.services import recalculate_open_clocks

    note = f"{closure.date:%-d %B %Y}: {closure.description}"
    audit.record("calendar.closure_removed", user=user, obj=closure, note=note)
    date = closure.date
    closure.delete()
    return recalculate_open_clocks(user=user, because=f"Closure day {date:%-d %B %Y} removed")


@transaction.atomic
def change_settings(
    *,
    region: str,
    stage2_clock_start: str,
    user,
    corporate_extensions: str | None = None,
    corporate_stage1_max: int | None = None,
    corporate_stage2_max: int | None = None,
) -> int:
    """Change how the council counts (its bank-holiday region, what starts the Stage 2 clock
    and, when given, how far corporate complaints may be extended). Every open clock is
    recalculated; returns how many cases moved. Extensions already agreed stand."""
    from heard.cases.services import recalculate_open_clocks
    from heard.deadlines.calendar import holidays_fingerprint
    from heard.deadlines.models import CalendarSettings

    settings = CalendarSettings.objects.select_for_update().get(pk=CalendarSettings.current().pk)
    fields = ["region", "stage2_clock_start"]
    if corporate_extensions is not None:
        fields += ["corporate_extensions", "corporate_stage1_max", "corporate_stage2_max"]
    before = audit.snapshot(settings, fields)
    settings.region, settings.stage2_clock_start = region, stage2_clock_start
    if corporate_extensions is not None:
        settings.corporate_extensions = corporate_extensions
        settings.corporate_stage1_max = corporate_stage1_max
        settings.corporate_stage2_max = corporate_stage2_max
    settings.holidays_fingerprint = holidays_fingerprint(region)
    settings.save()
    changes = audit.diff(before, audit.snapshot(settings, fields))
    if not changes:
        return 0
    audit.record("calendar.settings_changed", user=user, obj=settings, changes=changes)
    return recalculate_open_clocks(user=user, because="Calendar settings changed")
