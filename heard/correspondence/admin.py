from django.contrib import admin

from heard.correspondence.models import Template


@admin.register(Template)
class TemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "purpose", "active", "order"]
    list_filter = ["kind", "purpose", "active"]
    search_fields = ["name", "subject", "body"]
