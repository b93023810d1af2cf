from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from heard.accounts import second_factor
from heard.accounts.models import User
from heard.audit import services as audit
from heard.audit.admin_audit import AuditedAdmin

# Heard's rights come from roles (docs/decisions/0004), not Django's groups: no unaudited
# place to grant them.
admin.site.unregister(Group)
# Second-factor devices and recovery codes are not edited by hand: an administrator resets a
# person's (audited), and the person sets up a new one (heard/accounts/second_factor.py).
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(User)
class HeardUserAdmin(AuditedAdmin, UserAdmin):
    """Users and their roles; every change audited (heard/audit/admin_audit.py)."""

    list_display = ["username", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = [*UserAdmin.fieldsets, ("Heard", {"fields": ["role", "job_title"]})]
    add_fieldsets = [*UserAdmin.add_fieldsets, ("Heard", {"fields": ["role"]})]
    actions = ["reset_second_factor"]

    @admin.action(description="Reset the second factor (they set up a new one at sign-in)")
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            second_factor.reset(user, by=request.user)
        self.message_user(request, f"Second factor reset for {len(queryset)} user(s).")

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = User.objects.get(pk=id)
            audit.record("admin.password_set", user=request.user, obj=user, note=f"User: {user}")
        return response
