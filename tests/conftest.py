"""Named personas, one for each role, and helpers shared by the tests."""

import pytest

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
def client_for(client, personas):
    """``client_for("officer")`` returns the test client signed in as that persona."""

    def sign_in(name):
        client.force_login(personas[name])
        return client

    return sign_in
