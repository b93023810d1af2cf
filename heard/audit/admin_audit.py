"""Audit every add, change and delete made through Django's admin: users and their roles,
vocabularies, service areas, localities.

Every ModelAdmin in Heard either uses ``AuditedAdmin`` or lets nothing be added, changed or
deleted (``tests/audit/test_coverage.py`` checks). Values are recorded as everywhere else
(held apart, erasable); a password's hash never is.
"""

from __future__ import annotations

from django.contrib import admin

from heard.audit import services as audit

NEVER_RECORDED = {"password"}


def _values(obj) -> dict:
    values = audit.snapshot(obj)
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            values[field.name] = sorted(str(item) for item in getattr(obj, field.name).all())
    return {name: value for name, value in values.items() if name not in NEVER_RECORDED}


class ReadOnlyAdmin(admin.ModelAdmin):
    """An admin that shows rows and lets nothing be added, changed or deleted: what these rows
    record changes only through Heard's own audited screens, or the worker."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdmin(admin.ModelAdmin):
    def _label(self, obj) -> str:
        return f"{obj._meta.verbose_name.capitalize()}: {obj}"

    def save_model(self, request, obj, form, change):
        before = {}
        if change:
            before = _values(type(obj)._default_manager.get(pk=obj.pk))
        request._heard_admin_before = before
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        """After many-to-many fields are saved, so that they are recorded too."""
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before = getattr(request, "_heard_admin_before", {})
        audit.record(
            "admin.changed" if change else "admin.added",
            user=request.user,
            obj=obj,
            changes=audit.diff(before, _values(obj)),
            note=self._label(obj),
        )

    def delete_model(self, request, obj):
        self._record_deleted(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._record_deleted(request, obj)
        super().delete_queryset(request, queryset)

    def _record_deleted(self, request, obj):
        changes = [{"field": k, "old": v, "new": None} for k, v in _values(obj).items()]
        audit.record(
            "admin.deleted", user=request.user, obj=obj, changes=changes, note=self._label(obj)
        )
