"""Signing in with a username and password, which a council may switch off
(``HEARD_LOCAL_SIGN_IN``) once everyone signs in through single sign-on."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class LocalPasswordBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.HEARD_LOCAL_SIGN_IN:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
