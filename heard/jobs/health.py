"""The checks behind ``GET /healthz``: is the database there and migrated, is a worker
running, is e-mail getting out. Counts and ages only: nothing about any person or case."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

#: An e-mail waiting this long past its time counts towards the backlog.
OUTBOX_LATE = datetime.timedelta(minutes=10)
_migrated = False  # once true it stays true for this process's code


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return {"ok": False, "detail": f"The database does not answer ({type(error).__name__})."}
    return {"ok": True, "vendor": connection.vendor}


def _migrations() -> dict:
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connection)
        waiting = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if waiting:
            return {
                "ok": False,
                "unapplied": len(waiting),
                "detail": "Run `heard migrate`.",
            }
        _migrated = True
    return {"ok": True, "unapplied": 0}


def _worker(now: datetime.datetime) -> dict:
    from heard.jobs.models import Job, WorkerHeartbeat

    latest = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    limit = settings.HEARD_WORKER_STALE_SECONDS
    since = now - datetime.timedelta(seconds=limit)
    queued = Job.objects.filter(status=Job.Status.QUEUED)
    oldest = queued.order_by("requested_at").values_list("requested_at", flat=True).first()
    result = {
        "ok": latest is not None and latest >= since,
        "workers": WorkerHeartbeat.objects.filter(seen_at__gte=since).count(),
        "last_seen_seconds": round((now - latest).total_seconds()) if latest else None,
        "jobs_waiting": queued.count(),
        "oldest_job_waiting_seconds": round((now - oldest).total_seconds()) if oldest else 0,
    }
    if latest is None:
        result["detail"] = "No `heard worker` has ever run."
    elif not result["ok"]:
        result["detail"] = f"No `heard worker` heard from in the last {limit} seconds."
    return result


def _outbox(now: datetime.datetime) -> dict:
    from heard.notifications.models import OutboxMessage

    queued = OutboxMessage.objects.filter(status=OutboxMessage.Status.QUEUED)
    late = queued.filter(next_attempt_at__lt=now - OUTBOX_LATE).count()
    limit = settings.HEARD_OUTBOX_BACKLOG_LIMIT
    result = {
        "ok": late <= limit,
        "queued": queued.count(),
        "late": late,
        "failed": OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).count(),
    }
    if not result["ok"]:
        result["detail"] = f"More than {limit} e-mails are waiting past their time."
    return result


def check() -> dict:
    """Every check, each with ``ok``; the whole is healthy when all are."""
    now = timezone.now()
    checks = {"database": _database()}
    if checks["database"]["ok"]:
        try:
            checks["migrations"] = _migrations()
            if checks["migrations"]["ok"]:
                checks["worker"] = _worker(now)
                checks["outbox"] = _outbox(now)
        except DatabaseError as error:
            checks["migrations"] = {"ok": False, "detail": type(error).__name__}
    healthy = all(item["ok"] for item in checks.values()) and len(checks) == 4
    return {"status": "ok" if healthy else "failing", "checks": checks, "at": now.isoformat()}
