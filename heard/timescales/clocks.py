"""Clocks: a stage's acknowledgement and response due dates from its events.

Everything here is plain Python over a :class:`WorkingCalendar` and a :class:`StageRule`, so
the case screens, the importer, the demo builder and the recalculation after a calendar change
all compute the same dates. The rules of counting:

* The acknowledgement clock runs from the day the stage was asked for (the day of receipt for
  Stage 1). Suspensions do not stop it: a complainant is owed an acknowledgement regardless.
* The response clock runs from the event the rule names (receipt, request, acknowledgement, or
  agreement of the statement of complaint). For a subject access request it starts on receipt
  of the identification where that came later.
* An agreed extension replaces the response period with a longer one, in all (for example 20
  working days in place of 10). It may not exceed the rule's maximum: beyond it
  :class:`ExtensionNotAllowed` says why in a sentence.
* A suspension (court proceedings, a police or safeguarding enquiry, waiting for clarification)
  stops the response clock from the day it starts; the days it lasted are added back when it
  ends. While a suspension is open there is no response due date.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from heard.timescales.calendar import WorkingCalendar, add_calendar_months
from heard.timescales.errors import ExtensionNotAllowed
from heard.timescales.rules import StageRule

Suspension = tuple[datetime.date, datetime.date | None]


@dataclass(frozen=True)
class Clock:
    rule: StageRule
    #: The day the response clock started (None: the starting event has not happened).
    starts_on: datetime.date | None
    acknowledgement_due: datetime.date | None
    response_due: datetime.date | None
    #: A suspension is open, so the response clock is stopped.
    paused: bool = False
    #: Working days (or, for calendar-month rules, calendar days) added for suspensions.
    days_suspended: int = 0
    #: For adult social care: when a written explanation is owed if there is no response.
    explanation_due: datetime.date | None = None
    #: How the dates were worked out, one sentence each, for the calculator and the record.
    steps: tuple[str, ...] = field(default=())


@lru_cache(maxsize=4)
def _region_calendar(region: str) -> WorkingCalendar:
    return WorkingCalendar(region=region)


def calendar_for(rule: StageRule, council: WorkingCalendar) -> WorkingCalendar:
    """The calendar a rule counts in: the council's own, unless the rule names a region (FOI
    counts a bank holiday anywhere in the UK and knows nothing of council closure days)."""
    return _region_calendar(rule.region) if rule.region else council


def check_extension(rule: StageRule, extended_to: int) -> None:
    """Raise :class:`ExtensionNotAllowed` unless ``extended_to`` is a period the rule allows."""
    unit = "working days" if rule.respond_unit == "working_days" else "calendar months"
    if rule.respond is None:
        if extended_to < 1:
            raise ExtensionNotAllowed("The agreed response period must be at least 1 working day.")
        return
    if rule.max_extended_to is None:
        raise ExtensionNotAllowed(
            f"{rule.name} cannot be extended: the timescale is {rule.respond} {unit}."
        )
    if extended_to <= rule.respond:
        raise ExtensionNotAllowed(
            f"An extension must allow more than the normal {rule.respond} {unit}."
        )
    if extended_to > rule.max_extended_to:
        raise ExtensionNotAllowed(
            f"{rule.name} can be extended to at most {rule.max_extended_to} {unit} in all; "
            f"{extended_to} is more than the rule allows."
        )


def compute_clock(
    rule: StageRule,
    calendar: WorkingCalendar,
    *,
    received_on: datetime.date,
    requested_on: datetime.date | None = None,
    acknowledged_on: datetime.date | None = None,
    statement_agreed_on: datetime.date | None = None,
    identification_received_on: datetime.date | None = None,
    extended_to: int | None = None,
    suspensions: Sequence[Suspension] = (),
    stage2_clock_start: str = "requested",
) -> Clock:
    """The due dates of one stage. ``extended_to`` is the agreed period in all, in the rule's
    unit (for adult social care, the response period agreed with the complainant)."""
    cal = calendar_for(rule, calendar)
    requested_on = requested_on or received_on
    steps: list[str] = []

    ack_due = None
    if rule.acknowledge_days is not None:
        ack_due = cal.add_working_days(requested_on, rule.acknowledge_days)
        steps.append(
            f"Acknowledge within {rule.acknowledge_days} working days of {requested_on:%-d %B %Y}: "
            f"by {ack_due:%-d %B %Y}."
        )

    starts_on = _start(
        rule,
        received_on,
        requested_on,
        acknowledged_on,
        ack_due,
        statement_agreed_on,
        identification_received_on,
        stage2_clock_start,
        steps,
    )
    explanation_due = None
    if rule.explanation_after_months is not None:
        explanation_due = add_calendar_months(received_on, rule.explanation_after_months)
        steps.append(
            f"A written explanation is owed if there is no response by {explanation_due:%-d %B %Y}."
        )

    period = rule.respond
    if extended_to is not None:
        check_extension(rule, extended_to)
        period = extended_to
        steps.append(f"Extended by agreement to {extended_to} {_unit(rule)} in all.")
    if starts_on is None or period is None:
        if period is None and starts_on is not None:
            steps.append("The response period is agreed with the complainant; none is recorded.")
        return Clock(rule, starts_on, ack_due, None, False, 0, explanation_due, tuple(steps))

    due = _add(rule, cal, starts_on, period)
    steps.append(
        f"Respond within {period} {_unit(rule)} of {starts_on:%-d %B %Y}: by {due:%-d %B %Y}."
    )
    # For calendar-month rules the paused days are added to the calendar date before it is
    # moved off a non-working day, so a pause never gains the weekend twice.
    raw = add_calendar_months(starts_on, period) if rule.respond_unit == "months" else due
    added = 0
    for started, ended in sorted(suspensions, key=lambda s: s[0]):
        if started > due:
            continue  # began after the clock had already run out; it cannot stop it
        started = max(started, starts_on)
        if ended is None:
            steps.append(f"Clock stopped on {started:%-d %B %Y} and not yet restarted.")
            return Clock(rule, starts_on, ack_due, None, True, added, explanation_due, tuple(steps))
        if ended <= started:
            continue
        if rule.respond_unit == "months":
            days = (ended - started).days
            raw += datetime.timedelta(days=days)
            due = cal.next_working_day(raw)
        else:
            days = cal.working_days_between(started, ended)
            due = cal.add_working_days(due, days)
        added += days
        unit = "calendar" if rule.respond_unit == "months" else "working"
        steps.append(
            f"Clock stopped from {started:%-d %B %Y} to {ended:%-d %B %Y}: {days} {unit} days "
            f"added, now due {due:%-d %B %Y}."
        )
    return Clock(rule, starts_on, ack_due, due, False, added, explanation_due, tuple(steps))


def request_deadline(
    rule: StageRule, calendar: WorkingCalendar, previous_response_on: datetime.date
) -> datetime.date | None:
    """The last day the complainant may ask for this stage after the previous one's response."""
    if rule.request_within is None:
        return None
    return calendar_for(rule, calendar).add_working_days(previous_response_on, rule.request_within)


@dataclass(frozen=True)
class MilestoneDue:
    """The due date of one later step of a stage, and how it was worked out."""

    key: str
    name: str
    #: None while the event it counts from has not happened (or the stage clock is stopped).
    due: datetime.date | None
    #: The event's date the count started from.
    starts_on: datetime.date | None
    steps: tuple[str, ...] = ()


def milestone_dues(
    rule: StageRule,
    calendar: WorkingCalendar,
    *,
    stage_limit: datetime.date | None,
    requested_on: datetime.date | None = None,
    panel_on: datetime.date | None = None,
    report_on: datetime.date | None = None,
) -> list[MilestoneDue]:
    """Due dates of a stage's later steps (Stage 2: the Investigating Officer's report and the
    adjudication; Stage 3: the panel, its report and the council's response), each counted from
    the event it names. ``stage_limit`` is the stage's response due date (after extensions and
    stopped days); a step due "within the stage limit" is due on whichever comes first, unless
    the event it counts from came after the limit, when it has its own full period."""
    cal = calendar_for(rule, calendar)
    events = {
        "stage_limit": stage_limit,
        "requested": requested_on,
        "panel": panel_on,
        "report": report_on,
    }
    words = {
        "stage_limit": "the stage limit",
        "requested": "the request",
        "panel": "the panel",
        "report": "receipt of the report",
    }
    found = []
    for step in rule.milestones:
        start = events[step.after]
        if start is None:
            waiting = (
                "The stage clock is stopped or has not started."
                if step.after == "stage_limit"
                else f"Due {step.days} working days after {words[step.after]}, which has not "
                "happened yet."
            )
            found.append(MilestoneDue(step.key, step.name, None, None, (waiting,)))
            continue
        due = cal.add_working_days(start, step.days)
        if step.after == "stage_limit":
            steps = [f"Due with the stage, by {due:%-d %B %Y}."]
        else:
            steps = [
                f"{step.days} working days after {words[step.after]} ({start:%-d %B %Y}): "
                f"{due:%-d %B %Y}."
            ]
        if step.within_stage_limit and stage_limit is not None and stage_limit < due:
            if start <= stage_limit:
                due = stage_limit
                steps.append(f"No later than the stage limit: {due:%-d %B %Y}.")
            else:
                steps.append(
                    f"The report came after the stage limit ({stage_limit:%-d %B %Y}), so the "
                    "stage is already late; the full period applies."
                )
        found.append(MilestoneDue(step.key, step.name, due, start, tuple(steps)))
    return found


def stage_response_due(
    rule: StageRule,
    calendar: WorkingCalendar,
    *,
    first_step_due: datetime.date | None,
    panel_on: datetime.date | None = None,
    report_on: datetime.date | None = None,
) -> datetime.date | None:
    """When a stage whose response is one of its later steps (``rule.response_step``: at
    Stage 3, the council's response to the panel) must be answered: that step's period after
    the event it counts from, each event not yet happened taken as the date it is due.

    ``first_step_due`` is the stage's own clock (the panel, 30 working days after the request,
    with any stopped days added). So before the panel the response is due 30 + 5 + 15 working
    days after the request; once the panel has sat, 5 + 15 after it; once its report has
    arrived, 15 after that. None while the clock is stopped."""
    if rule.response_step is None or first_step_due is None:
        return None
    cal = calendar_for(rule, calendar)
    happened = {"panel": panel_on, "report": report_on}
    expected: dict[str, datetime.date] = {"stage_limit": first_step_due}
    due = None
    for step in rule.milestones:
        start = happened.get(step.after) or expected.get(step.after)
        if step.after == "requested":  # the stage's own clock
            due = first_step_due
        elif start is None:
            return None
        else:
            due = cal.add_working_days(start, step.days)
        if step.key == rule.response_step:
            return due
        expected[_EVENT_OF.get(step.key, step.key)] = due
    return None


#: Which event a later step's completion is, for the steps counted from it.
_EVENT_OF = {"panel": "panel", "panel_report": "report", "io_report": "report"}


def milestone_dates(
    rule: StageRule, calendar: WorkingCalendar, events: dict[str, datetime.date | None]
) -> list[tuple[str, datetime.date | None]]:
    """(name, due date) of a stage's later steps, from a mapping of the events
    ``milestone_dues`` takes by name (``stage_limit``, ``requested``, ``panel``, ``report``)."""
    dues = milestone_dues(
        rule,
        calendar,
        stage_limit=events.get("stage_limit"),
        requested_on=events.get("requested"),
        panel_on=events.get("panel"),
        report_on=events.get("report"),
    )
    return [(m.name, m.due) for m in dues]


def _start(
    rule,
    received_on,
    requested_on,
    acknowledged_on,
    ack_due,
    statement_agreed_on,
    identification_received_on,
    stage2_clock_start,
    steps,
) -> datetime.date | None:
    if rule.respond_from == "received":
        start = received_on
        if identification_received_on and identification_received_on > received_on:
            start = identification_received_on
            steps.append(f"Clock starts when identification arrived, {start:%-d %B %Y}.")
        return start
    if rule.respond_from == "acknowledged":
        if acknowledged_on:
            return acknowledged_on
        steps.append("Not yet acknowledged: counted from the acknowledgement due date.")
        return ack_due or requested_on
    if rule.stage == 2 and stage2_clock_start == "statement_agreed":
        if statement_agreed_on is None:
            steps.append("The response clock starts when the statement of complaint is agreed.")
        return statement_agreed_on
    return requested_on


def _add(rule: StageRule, cal: WorkingCalendar, start: datetime.date, period: int) -> datetime.date:
    if rule.respond_unit == "months":
        return cal.add_months(start, period)
    return cal.add_working_days(start, period)


def _unit(rule: StageRule) -> str:
    return "working days" if rule.respond_unit == "working_days" else "calendar months"
