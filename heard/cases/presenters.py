"""What the case pages show, prepared so that templates hold no logic."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from heard.audit.actions import sentence
from heard.audit.models import AuditEvent
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


def history(case) -> list[dict]:
    events = AuditEvent.objects.for_case(case.pk).select_related("user")
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
