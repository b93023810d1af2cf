"""API tokens: one or more per user, shown once when made, stored only as a hash.

Each token has a scope (``read``: only GET; ``write``: everything its user's role allows), an
expiry, and the time it was last used. Issuing and revoking go through heard/api/tokens.py,
which audits both.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(
            revoked_at__isnull=True, user__is_active=True, expires_at__gt=timezone.now()
        )


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", "Read only"
        WRITE = "write", "Read and write"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. Power BI.")
    prefix = models.CharField(max_length=8, help_text="The start of the key, to tell tokens apart.")
    key_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=8, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def read_only(self) -> bool:
        return self.scope == self.Scope.READ

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "Revoked"
        if self.expires_at <= timezone.now():
            return "Expired"
        if not self.user.is_active:
            return "User switched off"
        return "Active"

    @classmethod
    def issue(cls, user, name: str, *, scope: str = "write", days: int | None = None, by=None):
        """Make a token (see heard.api.tokens.issue); returns it and the key, shown once."""
        from heard.api import tokens

        return tokens.issue(user, name, scope=scope, days=days, by=by)

    def revoke(self, *, by=None) -> None:
        from heard.api import tokens

        tokens.revoke(self, by=by)
