"""Single sign-on with OpenID Connect (Microsoft Entra ID or any provider), through
mozilla-django-oidc.

The library runs the authorisation-code flow with PKCE, keeps state and nonce in the session and
checks them on the way back, and checks the ID token's signature against the provider's keys.
Heard adds what it leaves out and what Heard needs (docs/decisions/0032):

- the ID token's issuer must be ``HEARD_OIDC_ISSUER`` and its audience must include Heard's
  client id (the library checks neither);
- the role comes from the person's groups (``HEARD_OIDC_GROUPS_CLAIM``, mapped by
  ``HEARD_OIDC_GROUP_ROLES``), at every sign-in, so removing someone from a group takes their
  role away at their next sign-in; someone whose groups map to no role is refused with a page
  saying so, and an existing account is left as it was;
- a person is found by the provider's subject (``sub``) once linked; on a first sign-in, by a
  Heard username equal to ``HEARD_OIDC_USERNAME_CLAIM`` (an account not yet linked), or a new
  account is made (with no usable password);
- the ID token's ``amr`` claim is kept for the second-factor check: a person whose role
  needs a second factor is asked for Heard's own code unless the provider says it checked one
  (heard/accounts/second_factor.py, ``HEARD_OIDC_TRUST_PROVIDER_MFA``);
- every sign-in is audited, every refusal goes to the security log.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from heard.accounts import second_factor
from heard.accounts.roles import Role
from heard.audit import security
from heard.audit import services as audit
from heard.core.access import public_view

NO_ROLE, NOT_ACTIVE, TAKEN = "no_role", "not_active", "taken"


def role_for(claims: dict) -> Role | None:
    """The widest role any of the person's groups gives (Role lists the widest first)."""
    groups = claims.get(settings.HEARD_OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    mapped = {settings.HEARD_OIDC_GROUP_ROLES.get(str(group)) for group in groups}
    return next((role for role in Role if role.value in mapped), None)


class Backend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        if not settings.HEARD_OIDC:
            return None
        return super().authenticate(request, **kwargs)

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, with the userinfo endpoint's added when there is one."""
        claims = dict(payload)
        if settings.OIDC_OP_USER_ENDPOINT:
            extra = super().get_userinfo(access_token, id_token, payload)
            if extra.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("The userinfo answer is about someone else.")
            claims.update(extra)
        return claims

    def verify_claims(self, claims):
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        return (
            bool(claims.get("sub"))
            and claims.get("iss") == settings.HEARD_OIDC_ISSUER
            and settings.HEARD_OIDC_CLIENT_ID in audiences
        )

    def _refuse(self, reason: str):
        self.request.heard_sso_refused = reason
        return None

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            raise SuspiciousOperation("The ID token is not from the configured issuer for Heard.")
        # How the person signed in, from the signed ID token only (never the userinfo answer).
        self.request.heard_sso_amr = payload.get("amr")
        role = role_for(claims)
        if role is None:
            return self._refuse(NO_ROLE)
        users = get_user_model().objects
        subject = str(claims["sub"])[:255]
        username = str(claims.get(settings.HEARD_OIDC_USERNAME_CLAIM) or "")[:150]
        with transaction.atomic():
            user = users.select_for_update().filter(sso_subject=subject).first()
            if user is None and username:
                user = users.select_for_update().filter(username__iexact=username).first()
                if user is not None and user.sso_subject:
                    return self._refuse(TAKEN)  # that name belongs to someone else's sign-on
            if user is not None and not user.is_active:
                return self._refuse(NOT_ACTIVE)
            details = {
                "first_name": str(claims.get("given_name") or "")[:150],
                "last_name": str(claims.get("family_name") or "")[:150],
                "email": str(claims.get("email") or "")[:254],
            }
            if user is None:
                user = users.create_user(
                    username or f"sso-{subject}"[:150], role=role, sso_subject=subject, **details
                )
                audit.record(
                    "account.created_by_sso",
                    obj=user,
                    actor="single sign-on",
                    changes=[
                        {"field": "username", "old": None, "new": user.username},
                        {"field": "role", "old": None, "new": role.value},
                    ],
                    note=f"User: {user}",
                )
                return user
            before = user.role
            user.sso_subject = subject
            user.role = role
            for name, value in details.items():
                if value:
                    setattr(user, name, value)
            user.save()
            if before != role:
                audit.record(
                    "account.sso_role_changed",
                    obj=user,
                    actor="single sign-on",
                    changes=[{"field": "role", "old": before, "new": role.value}],
                    note=f"User: {user}",
                )
            return user


class CallbackView(OIDCAuthenticationCallbackView):
    def login_success(self):
        response = super().login_success()
        note = f"Single sign-on ({settings.HEARD_OIDC_PROVIDER_NAME})"
        if second_factor.owed(self.request, self.user):
            note += "; a code still to enter"
        elif self.request.session.get(second_factor.PROVIDER_MFA):
            note += "; the provider checked a second factor"
        audit.record("account.signed_in", user=self.user, obj=self.user, note=note)
        return response

    def login_failure(self):
        reason = getattr(self.request, "heard_sso_refused", None) or "failed"
        security.note(f"sign_in.sso_{reason}", self.request.META.get("REMOTE_ADDR", ""), "sso")
        context = {"reason": reason, "provider_name": settings.HEARD_OIDC_PROVIDER_NAME}
        return render(self.request, "accounts/sso_refused.html", context, status=403)


def _enabled():
    if not settings.HEARD_OIDC:
        raise Http404("Single sign-on is not set up.")


@public_view
def start(request):
    _enabled()
    return OIDCAuthenticationRequestView.as_view()(request)


@public_view
def callback(request):
    _enabled()
    return CallbackView.as_view()(request)
