from django.utils import timezone
from ninja.security import HttpBearer

from heard.api.models import ApiToken, digest


class TokenAuth(HttpBearer):
    """``Authorization: Bearer heard_…``. The token's user acts with their own role."""

    def authenticate(self, request, token):
        if not token.startswith("heard_"):
            return None
        found = (
            ApiToken.objects.usable().select_related("user").filter(key_hash=digest(token)).first()
        )
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user
