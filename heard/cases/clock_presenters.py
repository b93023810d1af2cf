"""What the case page's "Deadlines" panel shows: every clock of the case (``heard.cases.schedule``)
with its due date and where it stands today, in words, so the template holds no logic."""

from __future__ import annotations

import datetime

from django.utils import timezone

from heard.cases.schedule import COMPLAINANT, CaseClock, case_clocks

#: Within this many working days a clock is "due soon" (the trackers use the same horizon).
DUE_SOON = 5


def _day(value: datetime.date) -> str:
    return f"{value:%A %-d %B %Y}"


def _plural(n: int) -> str:
    return f"{n} working day{'s' if n != 1 else ''}"


def clock_row(clock: CaseClock, today: datetime.date, calendar) -> dict:
    """One row: the clock's name, its due date and its standing (status words and a tag)."""
    row = {
        "key": clock.key,
        "label": clock.label,
        "due": clock.due,
        "due_text": _day(clock.due) if clock.due else "Not set yet",
        "status": "",
        "tag": "",
        "tag_colour": "",
        "note": clock.note,
    }
    if clock.owed_by == COMPLAINANT:
        if clock.done_on:
            row["status"] = f"Asked for on {clock.done_on:%-d %B %Y}"
            if clock.late:
                row["tag"], row["tag_colour"] = "After the window", "orange"
        elif clock.due and today <= clock.due:
            row["status"] = "The complainant may still ask"
            row["tag"], row["tag_colour"] = "Open", "blue"
        else:
            row["status"] = "Not asked for in time"
            row["tag"], row["tag_colour"] = "Closed", "grey"
        return row
    if clock.done_on:
        row["status"] = f"Done {clock.done_on:%-d %B %Y}"
        if clock.due:
            row["tag"], row["tag_colour"] = ("Late", "red") if clock.late else ("On time", "green")
        return row
    if clock.due is None:
        row["status"] = clock.note or "No timescale"
        row["note"] = ""
        return row
    if not clock.outstanding:
        row["status"] = "Not recorded"
        return row
    left = calendar.working_days_between(today, clock.due)
    if left < 0:
        row["status"] = f"Overdue by {_plural(-left)}"
        row["tag"], row["tag_colour"] = "Overdue", "red"
    elif left == 0:
        row["status"] = "Due today"
        row["tag"], row["tag_colour"] = "Due today", "orange"
    else:
        row["status"] = f"{_plural(left)} left"
        if left <= DUE_SOON:
            row["tag"], row["tag_colour"] = "Due soon", "yellow"
    return row


def clocks_panel(case, *, today: datetime.date | None = None, calendar=None, stages=None) -> dict:
    """Every clock of a case, as rows for ``cases/_clocks.html`` (three queries: stages,
    remedies and the council's calendar, less those given; remedies only for an Ombudsman
    case, the only kind whose clocks and panel show them)."""
    from heard.cases.choices import Kind
    from heard.deadlines.calendar import council_calendar

    today = today or timezone.localdate()
    calendar = calendar or council_calendar()
    is_ombudsman = case.kind == Kind.OMBUDSMAN
    remedies = list(case.remedies.order_by("due_on", "id")) if is_ombudsman else []
    stages = list(case.stages.order_by("number")) if stages is None else stages
    clocks = case_clocks(case, stages, remedies, calendar=calendar)
    return {
        "rows": [clock_row(c, today, calendar) for c in clocks],
        "remedies": remedies,
        "is_ombudsman": is_ombudsman,
    }
