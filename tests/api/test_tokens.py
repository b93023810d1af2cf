"""API tokens: a read-only scope that every write operation refuses, an expiry, the time last
used, and the admin that lists them."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from heard.api import tokens
from heard.api.models import ApiToken
from heard.audit.models import AuditEvent
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def _headers(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_a_read_only_token_is_refused_by_every_write_operation(client, personas):
    case = CaseFactory()
    _, key = tokens.issue(personas["administrator"], "Power BI", scope="read")
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    writes = [
        (method, path)
        for path, operations in paths.items()
        for method in operations
        if method in {"post", "put", "patch", "delete"}
    ]
    assert ("post", "/api/v1/cases/{reference}/close") in writes
    before = case.version
    for method, path in writes:
        url = path.format(reference=case.reference)
        response = getattr(client, method)(
            url, {}, content_type="application/json", **_headers(key)
        )
        assert response.status_code == 403, (method, path)
        assert "read-only" in response.json()["error"]["message"]
    case.refresh_from_db()
    assert case.version == before
    # and it still reads
    assert client.get(f"/api/v1/cases/{case.reference}", **_headers(key)).status_code == 200
    notes = [e.note for e in AuditEvent.objects.filter(action="api.called")]
    assert sum("→ 403" in note for note in notes) == len(writes)


def test_a_write_token_may_do_what_its_role_allows(client, personas):
    case = CaseFactory()
    _, key = tokens.issue(personas["officer"], "Case system", scope="write")
    response = client.post(
        f"/api/v1/cases/{case.reference}/close",
        {"version": case.version, "resolution": "withdrawn", "on": "2024-05-02", "reason": "x"},
        content_type="application/json",
        **_headers(key),
    )
    assert response.status_code != 403


def test_a_token_stops_working_when_it_expires(client, personas):
    token, key = tokens.issue(personas["officer"], "Power BI", scope="read", days=30)
    assert client.get("/api/v1/cases", **_headers(key)).status_code == 200
    with time_machine.travel(token.expires_at + datetime.timedelta(seconds=1)):
        assert client.get("/api/v1/cases", **_headers(key)).status_code == 401
        token.refresh_from_db()
        assert token.status == "Expired"


def test_the_time_a_token_was_last_used_is_kept(client, personas):
    token, key = tokens.issue(personas["officer"], "Power BI", scope="read")
    assert token.last_used_at is None
    client.get("/api/v1/cases", **_headers(key))
    token.refresh_from_db()
    assert timezone.now() - token.last_used_at < datetime.timedelta(minutes=1)


def test_tokens_last_no_longer_than_allowed(personas, settings):
    with pytest.raises(ValueError, match="from 1 to"):
        tokens.issue(
            personas["officer"], "x", scope="read", days=settings.HEARD_API_TOKEN_MAX_DAYS + 1
        )
    with pytest.raises(CommandError, match="from 1 to"):
        call_command("token", "officer", "--name", "x", "--scope", "read", "--days", "0")
    with pytest.raises(CommandError):
        call_command("token", "officer", "--name", "x")  # a scope must be chosen


def test_the_command_issues_a_scoped_expiring_token(personas):
    out = io.StringIO()
    call_command(
        "token",
        "officer",
        "--name",
        "Power BI",
        "--scope",
        "read",
        "--days",
        "90",
        stdout=out,
        stderr=io.StringIO(),
    )
    token = ApiToken.objects.get(name="Power BI")
    assert (
        token.read_only
        and round((token.expires_at - token.created_at).total_seconds() / 86400) == 90
    )
    assert AuditEvent.objects.filter(action="api.token_issued", actor="heard token").exists()


def test_the_token_admin_shows_scope_expiry_last_use_and_status(client, personas):
    token, _ = tokens.issue(personas["officer"], "Power BI", scope="read")
    client.force_login(personas["administrator"])
    page = client.get(reverse("admin:api_apitoken_changelist")).content.decode()
    for text in ("Power BI", "Read only", "Expires at", "Last used at", "Active"):
        assert text in page
    assert token.key_hash not in page
