"""Background jobs as people see them, and the workers that run them.

A :class:`Job` is one piece of heavy work someone asked for (a report file, an export, an
import). Django's tasks framework (``django_tasks_db``) queues and claims the work; the job row
is what the status page reads: who asked, how far it has got, and where the result is kept.
Results are files in the ``jobs`` storage, kept until the data they were made from changes.
"""

import uuid

from django.conf import settings
from django.db import models


class Job(models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", "Report"
        EXPORT = "export", "Export"
        IMPORT = "import", "Import"
        IMPORT_CHECK = "check", "Import check"
        TRACKER = "tracker", "Tracker export"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "In progress"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    UNFINISHED = (Status.QUEUED, Status.RUNNING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    #: What to make, as plain JSON values (the producer for ``kind`` reads it).
    spec = models.JSONField()
    #: The spec and the state of the data it was made from, hashed: equal keys, equal results.
    key = models.CharField(max_length=64, db_index=True)
    #: The state of the data when it was asked for (``heard.jobs.stamps``).
    stamp = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    #: 0 to 100, with a plain sentence saying what is happening.
    progress = models.PositiveSmallIntegerField(default=0)
    progress_note = models.CharField(max_length=200, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    worker_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    #: The result's name in the ``jobs`` storage ("" until done, and after it is pruned).
    result_name = models.CharField(max_length=300, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    #: A plain message for a result with no file (an import's counts) or a failure.
    message = models.TextField(blank=True)
    #: A result shown on the page rather than downloaded (an import check's preview).
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            models.Index(fields=["key", "status"]),
            models.Index(fields=["requested_by", "status"]),
            models.Index(fields=["status", "finished_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display().lower()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def has_file(self) -> bool:
        return self.status == self.Status.DONE and bool(self.result_name)


class WorkerHeartbeat(models.Model):
    """One row per ``heard worker`` process, touched every few seconds while it runs."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=200)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)
    jobs_done = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"
