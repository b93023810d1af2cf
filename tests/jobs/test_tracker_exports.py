"""Tracker exports (CSV and XLSX of the case list) are made by `heard worker` like report files:
the link queues a job and shows its progress, the file is fetched by the person who asked
only, each fetch is audited, and nothing is rendered in the request."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from heard.audit.models import AuditEvent
from heard.cases.choices import Kind
from heard.jobs.models import Job
from tests.factories import CaseFactory, ServiceAreaFactory


def _work():
    call_command("worker", "--once", stdout=io.StringIO())


@pytest.fixture
def cases(db):
    return CaseFactory.create_batch(3, kind=Kind.COMPLAINT, received_on=datetime.date(2024, 4, 2))


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_a_tracker_export_is_queued_shows_progress_then_is_fetched_and_audited(
    client_for, cases, queued_jobs, export, django_assert_max_num_queries
):
    client = client_for("manager")
    CaseFactory.create_batch(20, kind=Kind.COMPLAINT)
    # A few fixed queries, whatever the cases (one of them django-otp's for the manager's device).
    with django_assert_max_num_queries(17):
        asked = client.get(reverse("cases:list"), {"view": "all", "format": export})
    job = Job.objects.get()
    assert job.kind == "tracker" and asked.status_code == 302
    assert asked["Location"] == f"/jobs/{job.pk}/"
    waiting = client.get(asked["Location"])
    assert waiting["Refresh"] and "Waiting to start" in waiting.content.decode()
    assert not list(queued_jobs.rglob(f"*.{export}")), "nothing made in the request"
    assert not AuditEvent.objects.filter(action="cases.exported").exists()

    _work()

    ready = client.get(f"/jobs/{job.pk}/").content.decode()
    assert f"/jobs/{job.pk}/download/" in ready
    fetched = client.get(f"/jobs/{job.pk}/download/")
    assert fetched["Content-Disposition"].startswith('attachment; filename="heard-cases-')
    if export == "csv":
        rows = list(csv.reader(io.StringIO(fetched.content.decode())))
    else:
        rows = list(load_workbook(io.BytesIO(fetched.content)).active.values)
    assert rows[0][0] == "Reference" and len(rows) == 1 + 23
    entry = AuditEvent.objects.get(action="cases.exported")
    assert entry.note == f"Every case ({export})" and entry.user_id == job.requested_by_id


def test_a_tracker_export_is_only_ever_handed_to_the_person_who_asked(
    client_for, cases, queued_jobs, personas
):
    client_for("officer").get(reverse("cases:list"), {"view": "mine", "format": "csv"})
    _work()
    job = Job.objects.get()
    for other in ("manager", "administrator", "responding_manager", "viewer"):
        for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/download/"):
            assert client_for(other).get(url).status_code == 404, (other, url)
    # Asked for again by someone else, it is made again for them, from their own scope.
    client_for("manager").get(reverse("cases:list"), {"view": "mine", "format": "csv"})
    assert Job.objects.count() == 2
    assert client_for("officer").get(f"/jobs/{job.pk}/download/").status_code == 200


def test_the_same_export_asked_again_is_served_at_once_until_the_data_changes(
    client_for, cases, queued_jobs
):
    client = client_for("manager")
    query = {"view": "all", "format": "xlsx"}
    client.get(reverse("cases:list"), query)
    _work()
    again = client.get(reverse("cases:list"), query)
    assert again.status_code == 200 and again.content[:2] == b"PK"
    assert Job.objects.count() == 1
    CaseFactory(kind=Kind.COMPLAINT)
    assert client.get(reverse("cases:list"), query).status_code == 302
    assert Job.objects.count() == 2


def test_a_viewer_may_not_ask_for_a_tracker_export(client_for, cases, queued_jobs):
    response = client_for("viewer").get(reverse("cases:list"), {"format": "csv"})
    assert response.status_code == 403 and not Job.objects.exists()


def test_the_filters_of_the_page_are_the_filters_of_the_file(client_for, queued_jobs):
    team = ServiceAreaFactory(name="Fostering")
    inside = CaseFactory(service_area=team, kind=Kind.COMPLAINT)
    outside = CaseFactory(kind=Kind.COMPLAINT)
    client = client_for("manager")
    client.get(reverse("cases:list"), {"view": "all", "team": team.pk, "format": "csv"})
    _work()
    job = Job.objects.get()
    text = client.get(f"/jobs/{job.pk}/download/").content.decode()
    references = [row[0] for row in csv.reader(io.StringIO(text))][1:]
    assert references == [inside.reference] and outside.reference not in text


@pytest.mark.parametrize("view", ["overdue\x00", "no-such-view", "' OR 1=1 --"])
def test_a_filter_the_page_does_not_accept_exports_the_default_list(client_for, queued_jobs, view):
    client = client_for("manager")
    asked = client.get(reverse("cases:list"), {"view": view, "format": "csv"})
    assert asked.status_code == 302
    assert Job.objects.get().spec["params"] == {}
