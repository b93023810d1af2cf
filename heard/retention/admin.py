from django.contrib import admin

from heard.audit.admin_audit import AuditedAdmin
from heard.retention.models import LegalHold, RetentionRule, Review


@admin.register(RetentionRule)
class RetentionRuleAdmin(AuditedAdmin):
    list_display = ["kind", "procedure", "outcome", "years", "note"]
    list_filter = ["kind"]


@admin.register(LegalHold)
class LegalHoldAdmin(admin.ModelAdmin):
    """Read-only: holds are placed and lifted on the case page, with a reason, audited."""

    list_display = ["case", "placed_at", "placed_by", "lifted_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Read-only: reviews are listed by the worker and approved on the review page."""

    list_display = ["case", "due_on", "status", "approved_by", "anonymised_at"]
    list_filter = ["status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
