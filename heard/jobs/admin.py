"""Jobs and workers in the admin, read-only: what is waiting, running, done or failed (the
worker prunes results; nothing is deleted by hand, unaudited)."""

from django.contrib import admin

from heard.audit.admin_audit import ReadOnlyAdmin
from heard.jobs.models import Job, WorkerHeartbeat


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "status", "progress", "requested_by", "requested_at"]
    list_filter = ["kind", "status"]
    # The spec and details can name uploaded files; the title says what the job is.
    exclude = ["spec", "details"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ["hostname", "pid", "started_at", "seen_at", "jobs_done"]
