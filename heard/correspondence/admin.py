from django.contrib import admin

from heard.audit.admin_audit import AuditedAdmin
from heard.correspondence.models import Template


@admin.register(Template)
class TemplateAdmin(AuditedAdmin):
    list_display = ["name", "kind", "purpose", "active", "order"]
    list_filter = ["kind", "purpose", "active"]
    search_fields = ["name", "subject", "body"]
