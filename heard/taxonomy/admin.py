from django.contrib import admin

from heard.audit.admin_audit import AuditedAdmin
from heard.taxonomy.models import Locality, ServiceArea, Term


@admin.register(Term)
class TermAdmin(AuditedAdmin):
    list_display = ["label", "vocabulary", "code", "order", "active"]
    list_filter = ["vocabulary", "active"]
    search_fields = ["label", "code"]


@admin.register(ServiceArea)
class ServiceAreaAdmin(AuditedAdmin):
    list_display = ["name", "public_name", "level", "parent", "active"]
    list_filter = ["level", "active"]
    search_fields = ["name", "public_name"]


@admin.register(Locality)
class LocalityAdmin(AuditedAdmin):
    list_display = ["name", "code", "active"]
