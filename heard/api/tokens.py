"""Issuing and revoking API tokens, each audited in the same transaction."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from heard.api.models import ApiToken, digest
from heard.audit import services as audit


@transaction.atomic
def issue(
    user, name: str, *, scope: str, days: int | None = None, by=None, actor: str = ""
) -> tuple[ApiToken, str]:
    """Make a token for ``user``; returns it and the key, which is never stored or shown again.

    ``days``: how long it lasts (``HEARD_API_TOKEN_DAYS`` by default, at most
    ``HEARD_API_TOKEN_MAX_DAYS``). ``by``: the user issuing it, or ``actor`` for a command.
    """
    days = settings.HEARD_API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= settings.HEARD_API_TOKEN_MAX_DAYS:
        raise ValueError(
            f"A token lasts from 1 to {settings.HEARD_API_TOKEN_MAX_DAYS} days, not {days}."
        )
    if scope not in ApiToken.Scope.values:
        raise ValueError(f"A token's scope is read or write, not {scope!r}.")
    key = "heard_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[6:14],
        key_hash=digest(key),
        scope=scope,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    audit.record(
        "api.token_issued",
        user=by,
        actor=actor,
        obj=token,
        changes=[
            {"field": "user", "old": None, "new": user.username},
            {"field": "name", "old": None, "new": name},
            {"field": "scope", "old": None, "new": token.get_scope_display()},
            {"field": "expires", "old": None, "new": token.expires_at},
        ],
        note=f"Token {token.prefix}…",
    )
    return token, key


@transaction.atomic
def revoke(token: ApiToken, *, by=None, actor: str = "") -> bool:
    """Revoke a token at once; False if it was already revoked."""
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token.refresh_from_db(fields=["revoked_at"])
    if updated:
        audit.record(
            "api.token_revoked",
            user=by,
            actor=actor,
            obj=token,
            note=f"Token {token.prefix}… ({token.name}) of {token.user.username}",
        )
    return bool(updated)
