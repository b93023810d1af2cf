"""Jobs and workers in the admin, read-only: what is waiting, running, done or failed."""

from django.contrib import admin

from heard.jobs.models import Job, WorkerHeartbeat


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the worker prunes results; nothing is deleted by hand, unaudited


@admin.register(Job)
class JobAdmin(ReadOnly):
    list_display = ["title", "kind", "status", "progress", "requested_by", "requested_at"]
    list_filter = ["kind", "status"]
    # The spec and details can name uploaded files; the title says what the job is.
    exclude = ["spec", "details"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnly):
    list_display = ["hostname", "pid", "started_at", "seen_at", "jobs_done"]
