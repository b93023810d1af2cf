"""What one ``heard worker`` process does: claim and run tasks, keep its heartbeat, and every
cycle queue reminders, send the outbox and tidy away old jobs.

Claiming is safe with several workers on one database: on PostgreSQL a task row is locked
with ``SELECT … FOR UPDATE SKIP LOCKED`` and marked running in the same transaction, so no
two workers take the same one; SQLite takes one writer at a time, so the same transaction
cannot interleave. The outbox is claimed the same way (``heard.notifications.services``).
"""

from __future__ import annotations

import datetime
import os
import socket

from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from heard.jobs import services
from heard.jobs.models import WorkerHeartbeat

#: Seconds between heartbeats (the health check allows HEARD_WORKER_STALE_SECONDS).
BEAT_EVERY = 5
#: Heartbeats of workers gone for this long are forgotten.
FORGET_WORKERS = datetime.timedelta(days=1)


class JobRunner:
    def __init__(self, worker_id: str, backend: str = "default"):
        self.worker_id = worker_id
        self.backend = backend
        self.started_at = timezone.now()
        self.jobs_done = 0
        self._last_beat = 0.0
        # django_tasks_db's own worker runs a claimed task and records its outcome.
        self._tasks = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name=backend,
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )

    def beat(self, force: bool = False) -> None:
        now = timezone.now()
        if not force and (now.timestamp() - self._last_beat) < BEAT_EVERY:
            return
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname()[:200],
                "pid": os.getpid(),
                "started_at": self.started_at,
                "seen_at": now,
                "jobs_done": self.jobs_done,
            },
        )
        self._last_beat = now.timestamp()

    def claim(self) -> DBTaskResult | None:
        ready = DBTaskResult.objects.ready().filter(backend_name=self.backend)
        try:
            with exclusive_transaction(ready.db):
                task = ready.get_locked()
                if task is not None:
                    task.claim(self.worker_id)
                return task
        except OperationalError as error:
            if is_locked_database_exception(error):
                return None  # SQLite busy with another writer: look again shortly
            raise

    def run_one(self) -> bool:
        """Claim one task and run it; False when none was waiting."""
        task = self.claim()
        if task is None:
            return False
        self._tasks.run_task(task)
        self.jobs_done += 1
        self.beat(force=True)
        return True

    def run_waiting(self) -> int:
        ran = 0
        while self.run_one():
            ran += 1
        return ran

    def cycle(self) -> tuple[int, int, int]:
        """Reminders, the outbox and housekeeping; returns (queued, sent, failed)."""
        from heard.deadlines.calendar import council_calendar
        from heard.notifications import reminders
        from heard.notifications import services as outbox

        today = timezone.localdate()
        calendar = council_calendar()
        queued = reminders.queue_reminders(today, calendar)
        queued += reminders.queue_arrangement_reviews(today, calendar)
        if today.weekday() == 0:
            queued += reminders.queue_weekly_digest(today, calendar)
        sent, failed = outbox.send_due()
        services.fail_abandoned()
        services.prune()
        WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - FORGET_WORKERS).delete()
        self.beat(force=True)
        return queued, sent, failed
