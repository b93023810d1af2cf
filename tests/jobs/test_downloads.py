"""Report files and exports as background jobs: asked for on a page, made by `heard worker`,
fetched by those allowed, kept until the data changes."""

import datetime
import io
import json

import pytest
from django.core.management import call_command

from heard.audit.models import AuditEvent
from heard.cases.choices import Kind
from heard.jobs import services
from heard.jobs.models import Job
from tests.factories import CaseFactory

YEAR = 2023
ANNUAL_XLSX = f"/reports/annual/{YEAR}/download/xlsx/"


@pytest.fixture
def complaints(db):
    return [
        CaseFactory(kind=Kind.COMPLAINT, received_on=datetime.date(YEAR, 5, 2)) for _ in range(3)
    ]


def _work():
    call_command("worker", "--once", stdout=io.StringIO())


def test_it_queues_a_report_shows_progress_then_offers_the_file(
    client_for, complaints, queued_jobs, django_assert_max_num_queries
):
    client = client_for("manager")
    CaseFactory.create_batch(20, kind=Kind.COMPLAINT, received_on=datetime.date(YEAR, 7, 1))
    # A few fixed queries, whatever the cases (one loads the manager's second-factor device).
    with django_assert_max_num_queries(17):
        asked = client.get(ANNUAL_XLSX)
    job = Job.objects.get()
    assert asked.status_code == 302 and asked["Location"] == f"/jobs/{job.pk}/"
    waiting = client.get(asked["Location"])
    assert waiting.status_code == 200 and waiting["Refresh"]
    assert "Waiting to start" in waiting.content.decode()
    assert "background worker is not running" in waiting.content.decode()
    assert not list(queued_jobs.rglob("*.xlsx"))  # nothing made in the request

    _work()

    ready = client.get(f"/jobs/{job.pk}/")
    assert "Refresh" not in ready and f"/jobs/{job.pk}/download/" in ready.content.decode()
    fetched = client.get(f"/jobs/{job.pk}/download/")
    assert fetched.content[:2] == b"PK"
    assert fetched["Content-Disposition"] == 'attachment; filename="annual-2023-24.xlsx"'
    assert AuditEvent.objects.filter(action="report.downloaded").count() == 1


def test_a_second_request_for_the_same_report_is_served_at_once(
    client_for, complaints, queued_jobs
):
    client_for("manager").get(ANNUAL_XLSX)
    _work()
    again = client_for("officer").get(ANNUAL_XLSX)
    assert again.status_code == 200 and again.content[:2] == b"PK"
    assert Job.objects.count() == 1


def test_a_request_while_it_is_being_made_joins_the_same_job(client_for, complaints, queued_jobs):
    first = client_for("manager").get(ANNUAL_XLSX)
    second = client_for("officer").get(ANNUAL_XLSX)
    assert first["Location"] == second["Location"]
    assert Job.objects.count() == 1


def test_a_change_to_the_data_makes_the_report_again(client_for, complaints, queued_jobs):
    client = client_for("manager")
    client.get(ANNUAL_XLSX)
    _work()
    CaseFactory(kind=Kind.COMPLAINT, received_on=datetime.date(YEAR, 6, 1))
    again = client.get(ANNUAL_XLSX)
    assert again.status_code == 302
    assert Job.objects.count() == 2


def test_a_superseded_result_is_removed_after_the_grace_period(
    client_for, complaints, queued_jobs, time_machine
):
    client_for("manager").get(ANNUAL_XLSX)
    _work()
    job = Job.objects.get()
    assert list(queued_jobs.rglob("*.xlsx"))
    CaseFactory(kind=Kind.COMPLAINT, received_on=datetime.date(YEAR, 6, 1))
    services.prune()
    assert list(queued_jobs.rglob("*.xlsx")), "kept for whoever is fetching it"
    time_machine.move_to(job.finished_at + services.GRACE + datetime.timedelta(minutes=1))
    services.prune()
    assert not list(queued_jobs.rglob("*.xlsx"))
    job.refresh_from_db()
    assert not job.has_file and "Ask for it again" in job.message


@pytest.mark.parametrize(
    ("asker", "other", "sees"),
    [
        ("manager", "viewer", False),  # every figure: not for viewers
        ("manager", "officer", True),  # the same page shows officers the same
        ("viewer", "manager", True),  # the publication version: everyone reads it
    ],
)
def test_only_those_who_may_see_the_same_report_fetch_it(
    client_for, complaints, queued_jobs, asker, other, sees
):
    client_for(asker).get(ANNUAL_XLSX)
    _work()
    job = Job.objects.get()
    for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/download/"):
        assert client_for(other).get(url).status_code == (200 if sees else 404)


def test_it_bounds_the_jobs_one_person_may_have_waiting(
    client_for, complaints, queued_jobs, settings
):
    settings.HEARD_JOBS_PER_PERSON = 2
    client = client_for("manager")
    for fmt in ("xlsx", "json"):
        assert client.get(f"/reports/annual/{YEAR}/download/{fmt}/").status_code == 302
    refused = client.get(f"/reports/annual/{YEAR}/download/html/", follow=True)
    assert "You already have 2 downloads" in refused.content.decode()
    assert Job.objects.count() == 2


def test_a_failed_job_says_so_plainly_and_can_be_asked_for_again(
    client_for, complaints, queued_jobs
):
    from heard.reports.models import SavedTable

    table = SavedTable.objects.create(
        name="By kind", spec={"measure": "cases", "rows": "kind", "year": YEAR}
    )
    client = client_for("manager")
    client.get(f"/reports/tables/{table.pk}/?format=xlsx")
    table.delete()
    _work()
    job = Job.objects.get()
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert job.status == Job.Status.FAILED and "The custom table has been deleted." in page


def test_an_administrator_exports_whole_cases_as_a_job(client_for, complaints, queued_jobs):
    client = client_for("administrator")
    asked = client.post("/exchange/export/", {"year": "", "kind": ""})
    assert asked.status_code == 302
    _work()
    job = Job.objects.get()
    document = json.loads(client.get(f"/jobs/{job.pk}/download/").content)
    assert len(document["cases"]) == len(complaints)
    assert AuditEvent.objects.filter(action="cases.exported").exists()
    assert client_for("officer").get(f"/jobs/{job.pk}/download/").status_code == 404
