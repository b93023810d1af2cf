"""Schemathesis against the API's own OpenAPI description: every operation, with generated
requests, must answer as the description says (no server errors, documented status codes,
bodies matching their schemas, valid requests accepted).

The negative-data check is left out: it expects unknown *query parameters* to be refused, and
like most APIs Heard ignores them. Wrongly typed bodies are refused (tests/api/test_api.py)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection

from heard.api.models import ApiToken

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Calls go straight to the WSGI handler, which closes the database connection after each
    request; inside a test's transaction that would end the test. Django's own test client
    disconnects the same signal handler."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(db, personas):
    _, key = ApiToken.issue(personas["officer"], "schemathesis")
    return key


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_description(case, token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        excluded_checks=[negative_data_rejection],
    )
