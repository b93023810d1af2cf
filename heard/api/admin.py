from django.contrib import admin, messages

from heard.api import tokens
from heard.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made with `heard token`, which shows the key once; here they are listed and
    revoked (audited). Nothing else about a token can be changed."""

    list_display = [
        "prefix", "name", "user", "scope", "created_at", "expires_at", "last_used_at", "status",
    ]  # fmt: skip
    list_filter = ["scope", "revoked_at"]
    search_fields = ["prefix", "name", "user__username"]
    readonly_fields = [
        "user", "name", "prefix", "scope", "created_at", "expires_at", "last_used_at",
        "revoked_at", "status",
    ]  # fmt: skip
    exclude = ["key_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # shown read-only; the Revoke action is the only change

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the token and its history stay

    @admin.display(description="Status")
    def status(self, token):
        return token.status

    @admin.action(description="Revoke")
    def revoke(self, request, queryset):
        revoked = sum(tokens.revoke(token, by=request.user) for token in queryset)
        self.message_user(request, f"{revoked} token(s) revoked.", messages.SUCCESS)
