from django.contrib import admin

from heard.audit.admin_audit import AuditedAdmin
from heard.notifications import services
from heard.notifications.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(AuditedAdmin):
    list_display = ["created_at", "subject", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status"]
    actions = ["retry_now"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def get_queryset(self, request):
        """Less the messages that name a case restricted to people other than the reader."""
        from heard.cases.restriction import mentioning_hidden_cases

        found = super().get_queryset(request)
        return found.exclude(mentioning_hidden_cases(request.user, "subject", "body"))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Retry now")
    def retry_now(self, request, queryset):
        count = services.retry(queryset)
        self.message_user(request, f"{count} message(s) will be sent at the next run.")
