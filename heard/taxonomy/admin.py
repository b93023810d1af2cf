from django.contrib import admin

from heard.taxonomy.models import Locality, ServiceArea, Term


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["label", "vocabulary", "code", "order", "active"]
    list_filter = ["vocabulary", "active"]
    search_fields = ["label", "code"]


@admin.register(ServiceArea)
class ServiceAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "public_name", "level", "parent", "active"]
    list_filter = ["level", "active"]
    search_fields = ["name", "public_name"]


@admin.register(Locality)
class LocalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "active"]
