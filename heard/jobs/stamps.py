"""The state of the data a result was made from, as a short string.

A report file made from the data as it is now can be handed to the next person who asks for
the same report, until the data changes. Every change to casework, reports or settings writes
an audit entry in the same transaction (docs/architecture.md), so the newest entry that is not
a mere reading ("viewed", "downloaded", "exported", API calls, searches) or a sign-in marks the
last change. A sign-in changes no figure: counting it would make ``heard worker`` compute the
annual report again each time somebody signs in. Changes
that bypass the services (the demo loader, the admin site) are caught by the newest case, the
newest case update and the admin site's own log. The date is part of it too: "overdue" and
"open now" move with the calendar, not only with the data.
"""

from __future__ import annotations

from django.contrib.admin.models import LogEntry
from django.db.models import Max
from django.utils import timezone

from heard.audit.models import AuditEvent
from heard.cases.models import Case

#: Audit actions that read without changing anything.
READ_ACTIONS = (
    "api.called",
    "cases.exported",
    "report.downloaded",
    "job.result.downloaded",
    "search.performed",
    "account.signed_in",
    "account.second_factor_failed",
)


def _last_change() -> int:
    changes = AuditEvent.objects.exclude(action__in=READ_ACTIONS).exclude(
        action__endswith=".viewed"
    )
    return changes.order_by("-id").values_list("id", flat=True).first() or 0


def data_stamp() -> str:
    cases = Case.objects.aggregate(newest=Max("id"), updated=Max("updated_at"))
    admin_log = LogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    updated = cases["updated"].isoformat() if cases["updated"] else "-"
    return (
        f"{timezone.localdate().isoformat()}|{_last_change()}|{cases['newest'] or 0}|"
        f"{updated}|{admin_log}"
    )
