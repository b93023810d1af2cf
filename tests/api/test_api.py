"""The REST API: tokens, the same permissions as the screens, transitions, errors, audit."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from heard.api.models import ApiToken
from heard.audit.models import AuditEvent
from heard.cases import services, workflow
from heard.cases.choices import Kind

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2024, 3, 14, 12, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def case(officer):
    return services.log_case(
        user=officer, kind=Kind.COMPLAINT, received_on=D(2024, 3, 4),
        procedure="childrens_statutory", complainant_name="Sam Example",
        parts=[{"summary": "Calls not returned"}, {"summary": "Wrong advice"}],
    )  # fmt: skip


def test_without_a_valid_token_nothing_is_answered(client, case):
    response = client.get("/api/v1/cases")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorised"
    client.defaults["HTTP_AUTHORIZATION"] = "Bearer heard_not-a-real-token"
    assert client.get("/api/v1/cases").status_code == 401


def test_a_revoked_token_stops_working(client, personas, case):
    token, key = ApiToken.issue(personas["officer"], "tests")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    assert client.get("/api/v1/cases").status_code == 200
    token.revoke()
    assert client.get("/api/v1/cases").status_code == 401


def test_cases_are_listed_paged_and_filtered_within_the_users_scope(api, case, personas):
    body = api("officer").get("/api/v1/cases", {"kind": "complaint"}).json()
    assert body["count"] == 1 and body["items"][0]["reference"] == case.reference
    assert body["items"][0]["stage_response_due"] == "2024-03-18"
    assert api("investigator").get("/api/v1/cases").json()["count"] == 0
    response = api("viewer").get("/api/v1/cases")
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    hidden = api("investigator").get(f"/api/v1/cases/{case.reference}")
    assert hidden.status_code == 404


def test_a_case_is_read_in_the_exchange_format(api, case):
    record = api("officer").get(f"/api/v1/cases/{case.reference}").json()
    assert record["reference"] == case.reference
    assert [p["summary"] for p in record["parts"]] == ["Calls not returned", "Wrong advice"]
    assert record["stages"][0]["response_due"] == "2024-03-18"


def test_a_case_is_logged_and_taken_through_its_transitions(api):
    client = api("officer")
    created = client.post(
        "/api/v1/cases",
        {"kind": "complaint", "received_on": "2024-03-04", "channel": "email",
         "procedure": "childrens_statutory", "parts": ["Calls not returned"]},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201
    reference, version = created.json()["reference"], created.json()["version"]

    def post(action, body):
        nonlocal version
        response = client.post(
            f"/api/v1/cases/{reference}/{action}", {"version": version, **body},
            content_type="application/json",
        )  # fmt: skip
        version = response.json()["version"]
        return response

    assert post("acknowledge", {"on": "2024-03-05"}).status_code == 200
    extended = post("extend", {"extended_to": 20, "reason": "Complex", "agreed_on": "2024-03-08"})
    assert extended.json()["stages"][0]["response_due"] == "2024-04-03"
    responded = post(
        "respond", {"responded_on": "2024-03-13", "findings": [{"part": 1, "finding": "upheld"}]}
    )
    assert responded.json()["stages"][0]["outcome"] == "upheld"
    escalated = post("escalate", {"requested_on": "2024-03-14"})
    assert [s["number"] for s in escalated.json()["stages"]] == [1, 2]


def test_refusals_and_conflicts_have_one_error_shape(api, case, officer):
    client = api("officer")
    url = f"/api/v1/cases/{case.reference}/extend"
    body = {"version": case.version, "extended_to": 30, "reason": "x", "agreed_on": "2024-03-08"}
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 409
    assert refused.json() == {
        "error": {
            "code": "refused",
            "message": "Stage 1: local resolution can be extended to at most 20 working days "
            "in all; 30 is more than the rule allows.",
            "details": [],
        }
    }
    workflow.allocate(case, to=officer, user=officer)
    stale = client.post(url, {**body, "extended_to": 20}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    invalid = client.post(url, {"version": "x"}, content_type="application/json")
    assert invalid.status_code == 422
    assert invalid.json()["error"]["code"] == "invalid"
    assert {d["field"] for d in invalid.json()["error"]["details"]} >= {"version", "reason"}


def test_roles_are_the_same_as_on_the_screens(api, case):
    body = {"version": case.version, "on": "2024-03-05"}
    response = api("responding_manager").post(
        f"/api/v1/cases/{case.reference}/acknowledge", body, content_type="application/json"
    )
    assert response.status_code == 403


def test_every_call_is_audited_without_its_body(api, case):
    api("officer").get(f"/api/v1/cases/{case.reference}")
    event = AuditEvent.objects.filter(action="api.case_read").latest("id")
    assert event.user.username == "officer"
    assert event.case_id == case.pk  # so it shows in the case's history
    assert event.note == f"GET /api/v1/cases/{case.reference} → 200"
    api("officer").get("/api/v1/cases")
    event = AuditEvent.objects.filter(action="api.called").latest("id")
    assert event.note == "GET /api/v1/cases → 200" and event.case_id is None


def test_the_vocabularies_are_readable(api):
    terms = api("viewer").get("/api/v1/taxonomies", {"vocabulary": "channel"}).json()
    assert {
        "vocabulary": "channel",
        "code": "telephone",
        "label": "Telephone",
        "active": True,
    } in terms


def test_the_token_command_prints_a_key_once(personas, capsys):
    call_command("token", "officer", "--name", "Power BI", "--scope", "read")
    key = capsys.readouterr().out.strip()
    assert key.startswith("heard_")
    token = ApiToken.objects.get(name="Power BI")
    assert token.key_hash != key and key not in token.key_hash


def test_the_api_docs_page_fetches_nothing_from_elsewhere(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
    import re

    script = re.search(r'<script src="([^"]+swagger-ui-bundle\.js)"', html)
    assert script and client.get(script[1]).status_code == 200, "served by Heard itself"
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "Heard API"
