"""Named personas, one for each role, and helpers shared by the tests."""

import pytest
from django.test import Client

from heard.accounts.roles import Role
from tests.factories import UserFactory

PERSONAS = {
    "administrator": Role.ADMINISTRATOR,
    "manager": Role.MANAGER,
    "officer": Role.OFFICER,
    "responding_manager": Role.RESPONDING_MANAGER,
    "investigator": Role.INVESTIGATOR,
    "viewer": Role.VIEWER,
}


@pytest.fixture(autouse=True)
def force_login_includes_the_second_factor(monkeypatch):
    """``client.force_login(user)`` stands for someone who went through the whole sign-in,
    second factor included: for a role that needs one (heard/accounts/second_factor.py) the
    user gets a confirmed authenticator device and the session is marked as verified by it,
    exactly as django-otp marks it after a right code. The second factor itself is tested
    through real sign-ins with real codes in tests/accounts/test_second_factor.py."""
    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from heard.accounts import second_factor

        if second_factor.role_requires(user):
            device = second_factor.device_of(user) or TOTPDevice.objects.create(
                user=user, name="Test device", confirmed=True
            )
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def personas(db):
    """One user per role, named after the role."""
    return {
        name: UserFactory(
            username=name,
            role=role,
            is_staff=role == Role.ADMINISTRATOR,
            is_superuser=role == Role.ADMINISTRATOR,
        )
        for name, role in PERSONAS.items()
    }


@pytest.fixture
def officer(personas):
    return personas["officer"]


@pytest.fixture
def api(client, personas):
    """``api("officer").get(path)``: the test client with that persona's API token."""
    from heard.api.models import ApiToken

    def as_role(name):
        _, key = ApiToken.issue(personas[name], "tests")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
        return client

    return as_role


@pytest.fixture
def client_for(client, personas):
    """``client_for("officer")`` returns the test client signed in as that persona."""

    def sign_in(name):
        client.force_login(personas[name])
        return client

    return sign_in
