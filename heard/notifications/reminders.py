"""Deadline reminders and the weekly digest, queued in the outbox.

Messages go to staff, but e-mail leaves Heard: they name the case by reference, kind, stage
and due date only, never the complainant, the child or what the case is about. Each message
has a key, so generating reminders again (every worker cycle) never sends one twice.
"""

from __future__ import annotations

import datetime

from django.conf import settings

from heard.accounts.roles import Role
from heard.cases.choices import Status
from heard.cases.models import Case
from heard.notifications.services import queue

#: Remind the person allocated this many working days (or fewer) before a response is due.
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


def queue_reminders(today: datetime.date, calendar) -> int:
    """Queue a reminder for each open case due within two working days, and a notice for each
    one whose deadline has passed. Returns how many were newly queued."""
    horizon = calendar.add_working_days(today, REMIND_WITHIN)
    queued = 0
    cases = _open_cases().filter(
        allocated_to__isnull=False, stage_response_due__lte=horizon, allocated_to__is_active=True
    )
    for case in cases.iterator(chunk_size=500):
        person = case.allocated_to
        if not person.email:
            continue
        due = case.stage_response_due
        what = f"{case.get_kind_display()} {case.reference}, stage {case.stage_number}"
        if due >= today:
            left = calendar.working_days_between(today, due)
            subject = f"Response due {due:%-d %B %Y}: {case.reference}"
            body = (
                f"Hello {person.first_name},\n\n{what} is allocated to you. The response is due "
                f"on {due:%A %-d %B %Y}"
                + (
                    f", {left} working day{'s' if left != 1 else ''} from today"
                    if left
                    else ", today"
                )
                + f".\n\n{_link(case)}\n"
            )
            key = f"due-soon:{case.pk}:{case.stage_number}:{due.isoformat()}"
        else:
            subject = f"Deadline missed: {case.reference}"
            body = (
                f"Hello {person.first_name},\n\nThe response to {what} was due on "
                f"{due:%A %-d %B %Y} and has not been recorded. If it has been sent, record "
                f"it with the reason it was late; if not, tell the complainant when to expect "
                f"it.\n\n{_link(case)}\n"
            )
            key = f"missed:{case.pk}:{case.stage_number}:{due.isoformat()}"
        if queue(person.email, subject, body, key=key):
            queued += 1
    return queued


def queue_weekly_digest(today: datetime.date, calendar) -> int:
    """Queue the weekly digest for each complaints manager: open, due this week, overdue."""
    from heard.accounts.models import User

    managers = User.objects.filter(role=Role.MANAGER, is_active=True).exclude(email="")
    if not managers.exists():
        return 0
    week_end = calendar.add_working_days(today, 5)
    cases = list(_open_cases().order_by("stage_response_due", "reference"))
    overdue = [c for c in cases if c.stage_response_due < today]
    due_soon = [c for c in cases if today <= c.stage_response_due <= week_end]
    year, week, _ = today.isocalendar()
    lines = [
        f"Open cases waiting for a response: {len(cases)}",
        f"Due in the next 5 working days: {len(due_soon)}",
        f"Overdue: {len(overdue)}",
        "",
    ]
    if overdue:
        lines.append("Overdue, oldest first:")
        lines += [
            f"  {c.reference} ({c.get_kind_display().lower()}, stage {c.stage_number}), "
            f"due {c.stage_response_due:%-d %b %Y}"
            for c in overdue[:50]
        ]
        if len(overdue) > 50:
            lines.append(
                f"  … and {len(overdue) - 50} more: {settings.HEARD_BASE_URL}/cases/?view=overdue"
            )
    queued = 0
    for manager in managers:
        body = f"Hello {manager.first_name},\n\nThe complaints team's week:\n\n" + "\n".join(lines)
        subject = f"Complaints: week beginning {today:%-d %B %Y}"
        if queue(
            manager.email, subject, body + "\n", key=f"digest:{manager.pk}:{year}-W{week:02d}"
        ):
            queued += 1
    return queued


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
