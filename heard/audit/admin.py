from django.contrib import admin

from heard.audit.admin_audit import ReadOnlyAdmin
from heard.audit.models import AuditEvent, SecurityEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the audit trail can be searched here but never changed."""

    list_display = ["at", "action", "case_reference", "user", "actor"]
    list_filter = ["action"]
    search_fields = ["case_reference", "action"]

    def get_queryset(self, request):
        """Less the events of cases restricted to people other than the reader."""
        from heard.cases.restriction import hidden_case_ids

        return super().get_queryset(request).exclude(case_id__in=hidden_case_ids(request.user))


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    """Read-only: what unauthenticated callers did, counted (heard/audit/security.py)."""

    list_display = ["window", "kind", "address", "count", "last_at", "sample"]
    list_filter = ["kind"]
    search_fields = ["address"]
