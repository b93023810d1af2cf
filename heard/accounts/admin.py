from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group

from heard.accounts.models import User
from heard.audit import services as audit
from heard.audit.admin_audit import AuditedAdmin

# Heard's rights come from roles (docs/decisions/0004), not Django's groups: no unaudited
# place to grant them.
admin.site.unregister(Group)


@admin.register(User)
class HeardUserAdmin(AuditedAdmin, UserAdmin):
    """Users and their roles; every change audited (heard/audit/admin_audit.py)."""

    list_display = ["username", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = [*UserAdmin.fieldsets, ("Heard", {"fields": ["role", "job_title"]})]
    add_fieldsets = [*UserAdmin.add_fieldsets, ("Heard", {"fields": ["role"]})]

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = User.objects.get(pk=id)
            audit.record("admin.password_set", user=request.user, obj=user, note=f"User: {user}")
        return response
