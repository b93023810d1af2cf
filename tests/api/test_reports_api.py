"""Reports as JSON through the API: the annual report (publication mode for viewers), frozen
editions, management summaries, the scrutiny and Complaint Handling Code reports."""

import datetime

import pytest

from heard.audit.models import AuditEvent
from heard.cases.choices import Kind
from heard.reports import editions
from heard.reports.document import SUPPRESSED
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR = 2023


@pytest.fixture
def complaints(db):
    return [CaseFactory(kind=Kind.COMPLAINT, received_on=D(2023, 5, 2)) for _ in range(3)]


def _complaints_cell(body):
    for section in body["sections"]:
        for table in section["tables"]:
            if table["id"] == "volumes.received":
                row = next(r for r in table["rows"] if r["key"] == "complaint")
                return row["cells"][str(YEAR)]
    raise AssertionError("no volumes table")


def test_the_annual_report_is_fetched_as_json(api, complaints):
    body = api("officer").get(f"/api/v1/reports/annual/{YEAR}").json()
    assert body["kind"] == "annual" and body["period"]["label"] == "2023-24"
    assert _complaints_cell(body) == len(complaints)
    assert body["publication"] is False
    published = api("officer").get(f"/api/v1/reports/annual/{YEAR}", {"publication": "true"})
    assert _complaints_cell(published.json()) == SUPPRESSED


def test_viewers_always_get_the_publication_version(api, complaints):
    body = api("viewer").get(f"/api/v1/reports/annual/{YEAR}").json()
    assert body["publication"] is True
    assert _complaints_cell(body) == SUPPRESSED


def test_published_editions_are_served_frozen(api, personas, complaints):
    manager = personas["manager"]
    edition = editions.create_edition("annual", YEAR, manager, publication=False)
    editions.update_narrative(edition, "volumes", "Our words.", manager, edition.version)
    editions.publish(edition, manager)
    draft = editions.create_edition("annual", YEAR, manager)
    CaseFactory(kind=Kind.COMPLAINT, received_on=D(2023, 6, 1))  # corrected later

    client = api("officer")
    listed = client.get("/api/v1/reports/editions").json()
    assert [e["id"] for e in listed] == [edition.pk]
    body = client.get(f"/api/v1/reports/editions/{edition.pk}").json()
    assert _complaints_cell(body) == len(complaints)
    sections = {section["id"]: section for section in body["sections"]}
    assert sections["volumes"]["narrative"] == "Our words."
    assert body["edition"]["number"] == 1 and body["edition"]["status"] == "published"
    missing = client.get(f"/api/v1/reports/editions/{draft.pk}")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    # A viewer sees only editions published in publication mode.
    assert api("viewer").get("/api/v1/reports/editions").json() == []
    assert api("viewer").get(f"/api/v1/reports/editions/{edition.pk}").status_code == 404


def test_the_other_reports_are_fetched_as_json(api, complaints):
    client = api("manager")
    summary = client.get("/api/v1/reports/management", {"period": "month", "on": "2023-05-15"})
    assert summary.status_code == 200 and summary.json()["sections"]
    assert client.get(f"/api/v1/reports/scrutiny/{YEAR}").json()["kind"]
    assert client.get(f"/api/v1/reports/lgsco/{YEAR}").json()["kind"]


def test_errors_have_the_api_shape_and_calls_are_audited(api, client, complaints):
    client.defaults.pop("HTTP_AUTHORIZATION", None)
    assert client.get(f"/api/v1/reports/annual/{YEAR}").status_code == 401
    invalid = api("officer").get("/api/v1/reports/annual/99999")
    assert invalid.status_code == 422 and invalid.json()["error"]["code"] == "invalid"
    bad_period = api("officer").get("/api/v1/reports/management", {"period": "fortnight"})
    assert bad_period.status_code == 422
    event = AuditEvent.objects.filter(action="api.called").latest("id")
    assert event.note == "GET /api/v1/reports/management → 422"
