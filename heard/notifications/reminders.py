"""Deadline reminders and the weekly digest, queued in the outbox.

Every clock the council owes on a case is reminded about (``heard.cases.schedule``): a stage's
response, the Investigating Officer's report, the adjudication, the review panel, its report
and the council's response, the reply date the Ombudsman set, and each agreed remedy.

Messages go to staff, but e-mail leaves Heard: they name the case by reference, kind, stage,
the clock and its due date only, never the complainant, the child or what the case is about.
Each message has a key, so generating reminders again (every worker cycle) never sends one
twice; a clock whose due date moves is reminded again for the new date.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q

from heard.accounts.roles import Role
from heard.cases import schedule
from heard.cases.choices import Status
from heard.cases.models import Case
from heard.cases.restriction import hidden_case_ids, reachable_by_allocated
from heard.notifications.services import queue

#: Remind the person allocated this many working days (or fewer) before a clock is due.
REMIND_WITHIN = 2


def _link(case) -> str:
    return f"{settings.HEARD_BASE_URL.rstrip('/')}/cases/{case.reference}/"


def _open_cases():
    return (
        Case.objects.filter(
            status__in=[Status.NEW, Status.OPEN],
            stage_responded_on__isnull=True,
            stage_response_due__isnull=False,
        )
        .select_related("allocated_to")
        .only(
            "reference",
            "kind",
            "stage_number",
            "stage_response_due",
            "allocated_to__email",
            "allocated_to__first_name",
            "allocated_to__is_active",
        )  # fmt: skip
    )


def _is_stage_response(clock) -> bool:
    return clock.key.endswith("-response") and clock.stage is not None


def _key(kind: str, case, clock) -> str:
    # The stage response keeps the key it always had, so no reminder is sent twice across
    # an upgrade.
    what = str(clock.stage) if _is_stage_response(clock) else clock.key
    return f"{kind}:{case.pk}:{what}:{clock.due.isoformat()}"


def _message(case, clock, person, today, calendar) -> tuple[str, str, str]:
    due = clock.due
    what = f"{case.get_kind_display()} {case.reference}"
    if case.stage_number and clock.stage:
        what += f", stage {clock.stage}"
    thing = "The response" if _is_stage_response(clock) else clock.label
    if due >= today:
        left = calendar.working_days_between(today, due)
        when = f", {left} working day{'s' if left != 1 else ''} from today" if left else ", today"
        if _is_stage_response(clock):
            subject = f"Response due {due:%-d %B %Y}: {case.reference}"
            body = f"{what} is allocated to you. The response is due on {due:%A %-d %B %Y}{when}."
        else:
            subject = f"{clock.label} due {due:%-d %B %Y}: {case.reference}"
            body = f"{what} is allocated to you. {thing} is due on {due:%A %-d %B %Y}{when}."
        return subject, f"Hello {person.first_name},\n\n{body}\n\n{_link(case)}\n", "due-soon"
    subject = f"Deadline missed: {case.reference}"
    if not _is_stage_response(clock):
        subject = f"Deadline missed: {clock.label}, {case.reference}"
    body = (
        f"Hello {person.first_name},\n\n{thing} ({what}) was due on {due:%A %-d %B %Y} and has "
        "not been recorded. If it has been done, record it (with the reason it was late); if "
        "not, tell the people waiting for it when to expect it."
    )
    if _is_stage_response(clock):
        body = (
            f"Hello {person.first_name},\n\nThe response to {what} was due on "
            f"{due:%A %-d %B %Y} and has not been recorded. If it has been sent, record "
            f"it with the reason it was late; if not, tell the complainant when to expect "
            f"it."
        )
    return subject, f"{body}\n\n{_link(case)}\n", "missed"


def queue_reminders(today: datetime.date, calendar) -> int:
    """Queue a reminder for each clock due within two working days on a case allocated to
    someone, and a notice for each one whose due date has passed. Returns how many were
    newly queued."""
    horizon = calendar.add_working_days(today, REMIND_WITHIN)
    queued = 0
    cases = (
        reachable_by_allocated(
            Case.objects.filter(
                next_due_on__lte=horizon, allocated_to__isnull=False, allocated_to__is_active=True
            )
        )
        .select_related("allocated_to")
        .prefetch_related("stages", "remedies")
        .order_by("pk")
    )
    for case in cases.iterator(chunk_size=500):
        person = case.allocated_to
        if not person.email:
            continue
        clocks = schedule.case_clocks(
            case, case.stages.all(), case.remedies.all(), calendar=calendar
        )
        for clock in schedule.outstanding(clocks):
            if clock.due > horizon:
                continue
            subject, body, kind = _message(case, clock, person, today, calendar)
            if queue(person.email, subject, body, key=_key(kind, case, clock)):
                queued += 1
    return queued


def queue_weekly_digest(today: datetime.date, calendar) -> int:
    """Queue the weekly digest for each complaints manager: open work, what falls due in the
    next five working days and what is overdue, on every clock."""
    from heard.accounts.models import User

    managers = User.objects.filter(role=Role.MANAGER, is_active=True).exclude(email="")
    if not managers.exists():
        return 0
    week_end = calendar.add_working_days(today, 5)
    waiting = list(_open_cases().values_list("pk", flat=True))
    chased = list(
        Case.objects.filter(Q(next_due_on__lte=week_end))
        .only("reference", "kind", "stage_number", "next_due_on", "next_due_label")
        .order_by("next_due_on", "reference")
    )
    year, week, _ = today.isocalendar()
    queued = 0
    for manager in managers:
        hidden = hidden_case_ids(manager)  # restricted cases they are not named on
        lines = _digest_lines(
            sum(1 for pk in waiting if pk not in hidden),
            [c for c in chased if c.pk not in hidden],
            today,
            week_end,
        )
        body = f"Hello {manager.first_name},\n\nThe complaints team's week:\n\n" + "\n".join(lines)
        subject = f"Complaints: week beginning {today:%-d %B %Y}"
        if queue(
            manager.email, subject, body + "\n", key=f"digest:{manager.pk}:{year}-W{week:02d}"
        ):
            queued += 1
    return queued


def _digest_lines(waiting: int, chased: list, today, week_end) -> list[str]:
    overdue = [c for c in chased if c.next_due_on < today]
    due_soon = [c for c in chased if today <= c.next_due_on <= week_end]
    lines = [
        f"Open cases waiting for a response: {waiting}",
        f"Due in the next 5 working days: {len(due_soon)}",
        f"Overdue: {len(overdue)}",
        "",
    ]
    if overdue:
        lines.append("Overdue, oldest first:")
        lines += [
            f"  {c.reference} ({c.get_kind_display().lower()}"
            + (f", stage {c.stage_number}" if c.stage_number else "")
            + f"): {c.next_due_label.lower()}, due {c.next_due_on:%-d %b %Y}"
            for c in overdue[:50]
        ]
        if len(overdue) > 50:
            lines.append(
                f"  … and {len(overdue) - 50} more: {settings.HEARD_BASE_URL}/cases/?view=overdue"
            )
    return lines


#: Remind the decision-maker this many working days (or fewer) before a contact arrangement's
#: review date (heard.people: persistent complainants).
REVIEW_WITHIN = 5


def queue_arrangement_reviews(today: datetime.date, calendar) -> int:
    """Queue a reminder to whoever decided each active contact arrangement, and to its single
    point of contact, when its review is due within five working days or overdue. The message
    names no one: it links to the person's page. Returns how many were newly queued."""
    from heard.people.models import ContactArrangement

    horizon = calendar.add_working_days(today, REVIEW_WITHIN)
    due = ContactArrangement.objects.filter(
        ended_on__isnull=True, review_on__lte=horizon
    ).select_related("decided_by", "single_point_of_contact")
    queued = 0
    for arrangement in due.iterator(chunk_size=500):
        link = f"{settings.HEARD_BASE_URL.rstrip('/')}/people/{arrangement.person_id}/"
        when = "was due" if arrangement.review_on < today else "is due"
        subject = f"Contact arrangement review {when} {arrangement.review_on:%-d %B %Y}"
        recipients = {arrangement.decided_by, arrangement.single_point_of_contact} - {None}
        for person in recipients:
            if not person.is_active or not person.email:
                continue
            body = (
                f"Hello {person.first_name},\n\nThe decision to restrict how someone contacts the "
                f"council (a persistent complainant) {when} for review on "
                f"{arrangement.review_on:%A %-d %B %Y}. Review it, or end it, from their page:"
                f"\n\n{link}\n"
            )
            key = f"arrangement-review:{arrangement.pk}:{arrangement.review_on}:{person.pk}"
            if queue(person.email, subject, body, key=key):
                queued += 1
    return queued
