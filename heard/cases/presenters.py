"""What the case pages show, prepared so that templates hold no logic."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from heard.audit.actions import sentence
from heard.cases.choices import Status
from heard.cases.queries import list_queryset


def today() -> datetime.date:
    return timezone.localdate()


def work_summary(user) -> dict:
    mine = list_queryset(user).filter(allocated_to=user).exclude(status=Status.CLOSED)
    now = today()
    overdue = mine.filter(stage_response_due__lt=now, stage_responded_on__isnull=True)
    return {
        "tiles": [
            {
                "label": "Open cases allocated to you",
                "count": mine.count(),
                "url": reverse("cases:list") + "?mine=1",
            },
            {
                "label": "Overdue",
                "count": overdue.count(),
                "url": reverse("cases:list") + "?mine=1&overdue=1",
            },
            {
                "label": "New cases to triage",
                "count": list_queryset(user).filter(status=Status.NEW).count(),
                "url": reverse("cases:list") + "?status=new",
            },
        ],
        "next_cases": list(mine.order_by("stage_response_due", "reference")[:10]),
    }


def team_dashboard(user) -> dict:
    """For the complaints manager: the whole team's open work, by kind, team and officer,
    each in one grouped query."""
    from django.db.models import Count, Q

    from heard.cases.trackers import tracker_url

    now = today()
    still_open = Q(status__in=[Status.NEW, Status.OPEN])
    overdue = Q(stage_responded_on__isnull=True, stage_response_due__lt=now)
    cases = list_queryset(user).filter(still_open).order_by()
    counts = cases.aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=overdue),
        new=Count("pk", filter=Q(status="new")),
    )

    def grouped(field, *label_fields):
        rows = (
            cases.values(field, *label_fields)
            .annotate(open=Count("pk"), overdue=Count("pk", filter=overdue))
            .order_by("-open")
        )
        return [
            {
                "id": row[field],
                "label": " ".join(filter(None, (row[f] for f in label_fields))) or "Not recorded",
                "open": row["open"],
                "overdue": row["overdue"],
            }
            for row in rows
        ]

    return {
        "tiles": [
            {"label": "Open cases", "count": counts["open"], "url": tracker_url(view="open")},
            {"label": "Overdue", "count": counts["overdue"], "url": tracker_url(view="overdue")},
            {
                "label": "New cases to triage",
                "count": counts["new"],
                "url": tracker_url(view="new"),
            },
        ],
        "by_team": grouped("service_area", "service_area__name"),
        "by_officer": grouped(
            "allocated_to", "allocated_to__first_name", "allocated_to__last_name"
        ),
    }


def history(case, user=None, stages=None) -> list[dict]:
    from heard.cases.independence import history_events

    events = history_events(case, user, stages)  # less a later stage's drafts, for some
    return [
        {
            "at": event.at,
            "who": event.who,
            "what": sentence(event.action),
            "changes": event.changes,
            "note": event.note,
        }
        for event in events
    ]


def case_page(case, user) -> dict:
    """Everything the case page shows, in a fixed number of queries."""
    from heard.accounts import roles
    from heard.cases.actions import ACTIONS
    from heard.deadlines.calendar import council_calendar

    stages = list(
        case.stages.select_related("responder", "late_reason").prefetch_related(
            "findings", "extensions", "suspensions__reason"
        )
    )
    parts = list(case.parts.select_related("category"))
    now = today()
    calendar = council_calendar()
    clocks = []
    for stage in stages:
        findings = {f.part_id: f for f in stage.findings.all()}
        clock = {"stage": stage, "findings": [(p, findings.get(p.pk)) for p in parts]}
        clock["stopped"] = (
            stage.responded_on is None and stage.suspended and case.status != "closed"
        )
        if stage.responded_on is None and stage.response_due and case.status != "closed":
            left = calendar.working_days_between(now, stage.response_due)
            clock["days_left"] = left
            clock["overdue"] = left < 0
            clock["overdue_by"] = -left
        clocks.append(clock)
    actions = []
    if roles.can_run_casework(user):
        actions = [a for a in ACTIONS.values() if a.available(case, stages)]
    can_respond = (
        roles.can_record_response(user)
        and case.status != "closed"
        and any(s.responded_on is None for s in stages)
        and not any(s.suspended for s in stages if s.responded_on is None)
    )
    learning = list(case.learning.select_related("category").prefetch_related("actions"))
    links = []
    if case.linked_case_id:
        links.append(case.linked_case)
    links.extend(case.linked_from.all())
    context = {
        "case": case,
        "parts": parts,
        "clocks": clocks,
        "categories": list(case.categories.all()),
        "history": history(case, user, stages),
        "actions": actions,
        "can_respond": can_respond,
        "can_edit": roles.can_run_casework(user),
        "can_contribute": roles.can_record_response(user),
        "latest_stage": stages[-1] if stages else None,
        "learning": learning,
        "documents": list(case.documents.all()),
        "links": links,
        "today": now,
    }
    from heard.cases.access_presenters import adjust_case_page

    return adjust_case_page(context, user)  # restriction, independent stages, approvals
