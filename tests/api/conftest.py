import pytest

from heard.api.models import ApiToken


@pytest.fixture
def api(client, personas):
    """``api("officer").get(path)``: the test client with that persona's token."""

    def as_role(name):
        _, key = ApiToken.issue(personas[name], "tests")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
        return client

    return as_role
