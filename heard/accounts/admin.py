from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from heard.accounts.models import User


@admin.register(User)
class HeardUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = [*UserAdmin.fieldsets, ("Heard", {"fields": ["role", "job_title"]})]
    add_fieldsets = [*UserAdmin.add_fieldsets, ("Heard", {"fields": ["role"]})]
