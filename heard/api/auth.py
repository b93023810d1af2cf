from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja.security import HttpBearer

from heard.api.models import ApiToken, digest

#: Methods a read-only token may use.
READ_METHODS = {"GET", "HEAD", "OPTIONS"}
#: How often a token's last-used time is written (at most once a minute, not on every call).
LAST_USED_EVERY = 60


class ReadOnlyToken(PermissionDenied):
    """A read-only token was used for an operation that changes something."""


class TokenAuth(HttpBearer):
    """``Authorization: Bearer heard_…``. The token's user acts with their own role; a read-only
    token may only read, whatever the role. Unknown, revoked and expired tokens are refused."""

    def authenticate(self, request, token):
        if not token.startswith("heard_"):
            return None
        found = (
            ApiToken.objects.usable().select_related("user").filter(key_hash=digest(token)).first()
        )
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > (
            LAST_USED_EVERY
        ):
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.api_token = found  # audited by heard.audit.middleware
        if found.read_only and request.method not in READ_METHODS:
            raise ReadOnlyToken
        return found.user
