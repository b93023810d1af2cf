from django.contrib import admin

from heard.audit.admin_audit import AuditedAdmin
from heard.correspondence.models import CorrespondenceSettings, Template


@admin.register(Template)
class TemplateAdmin(AuditedAdmin):
    list_display = ["name", "kind", "purpose", "active", "order"]
    list_filter = ["kind", "purpose", "active"]
    search_fields = ["name", "subject", "body"]


@admin.register(CorrespondenceSettings)
class CorrespondenceSettingsAdmin(AuditedAdmin):
    """One row, made on first use: it can be changed, never added twice or deleted."""

    list_display = ["__str__", "acknowledge_automatically", "acknowledgement_template"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        CorrespondenceSettings.current()
        return super().changelist_view(request, extra_context)
