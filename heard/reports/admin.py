from django.contrib import admin

from heard.reports.models import CategoryGroup


@admin.register(CategoryGroup)
class CategoryGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]
    filter_horizontal = ["categories"]
