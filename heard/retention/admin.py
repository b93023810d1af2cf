from django.contrib import admin

from heard.audit.admin_audit import AuditedAdmin, ReadOnlyAdmin
from heard.retention.models import LegalHold, RetentionRule, Review


@admin.register(RetentionRule)
class RetentionRuleAdmin(AuditedAdmin):
    list_display = ["kind", "procedure", "outcome", "years", "note"]
    list_filter = ["kind"]


@admin.register(LegalHold)
class LegalHoldAdmin(ReadOnlyAdmin):
    """Read-only: holds are placed and lifted on the case page, with a reason, audited."""

    list_display = ["case", "placed_at", "placed_by", "lifted_at"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    """Read-only: reviews are listed by the worker and approved on the review page."""

    list_display = ["case", "due_on", "status", "approved_by", "anonymised_at"]
    list_filter = ["status"]
