from django.contrib import admin

from heard.audit.admin_audit import AuditedAdmin
from heard.reports.models import CategoryGroup


@admin.register(CategoryGroup)
class CategoryGroupAdmin(AuditedAdmin):
    list_display = ["name", "code", "order"]
    filter_horizontal = ["categories"]
