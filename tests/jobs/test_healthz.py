"""GET /healthz: for load balancers and monitoring, with no sign-in and no personal data."""

import datetime
import io

from django.core.management import call_command
from django.utils import timezone

from heard.jobs.models import Job, WorkerHeartbeat
from heard.jobs.services import fail_abandoned
from heard.notifications.models import OutboxMessage
from tests.factories import CaseFactory


def _health(client):
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def test_it_fails_until_a_worker_has_run_then_passes(client, db):
    status, body = _health(client)
    assert status == 503 and body["status"] == "failing"
    assert body["checks"]["database"]["ok"] and body["checks"]["migrations"]["ok"]
    assert body["checks"]["worker"]["detail"] == "No `heard worker` has ever run."

    call_command("worker", "--once", stdout=io.StringIO())

    status, body = _health(client)
    assert status == 200 and body["status"] == "ok"
    assert body["checks"]["worker"]["workers"] == 1


def test_it_fails_when_the_worker_has_gone_quiet(client, db, settings, time_machine):
    call_command("worker", "--once", stdout=io.StringIO())
    time_machine.move_to(timezone.now() + datetime.timedelta(seconds=10))
    assert _health(client)[0] == 200
    later = timezone.now() + datetime.timedelta(seconds=settings.HEARD_WORKER_STALE_SECONDS + 1)
    time_machine.move_to(later)
    status, body = _health(client)
    assert status == 503 and not body["checks"]["worker"]["ok"]


def test_it_fails_when_the_outbox_backs_up(client, db, settings):
    call_command("worker", "--once", stdout=io.StringIO())
    settings.HEARD_OUTBOX_BACKLOG_LIMIT = 2
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    for number in range(3):
        OutboxMessage.objects.create(
            to="sam.example@family.example",
            subject=f"About CMP-{number}",
            body="x",
            next_attempt_at=long_ago,
        )
    status, body = _health(client)
    assert status == 503 and body["checks"]["outbox"] == {
        "ok": False,
        "queued": 3,
        "late": 3,
        "failed": 0,
        "detail": "More than 2 e-mails are waiting past their time.",
    }
    text = client.get("/healthz").content.decode()
    assert "sam.example" not in text and "CMP-" not in text


def test_it_says_nothing_about_cases_or_people(client, db):
    case = CaseFactory()
    call_command("worker", "--once", stdout=io.StringIO())
    text = client.get("/healthz").content.decode()
    assert case.reference not in text and "@" not in text


def test_a_job_whose_worker_stopped_is_marked_failed(client_for, db, settings, time_machine):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client_for("manager").get("/reports/annual/2023/download/json/")
    job = Job.objects.get()
    started = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, worker_id="gone-1", started_at=started
    )
    WorkerHeartbeat.objects.create(
        worker_id="gone-1", hostname="h", pid=1, started_at=started, seen_at=started
    )
    assert fail_abandoned() == 0  # still within the allowed silence
    time_machine.move_to(
        started + datetime.timedelta(seconds=settings.HEARD_WORKER_STALE_SECONDS + 5)
    )
    assert fail_abandoned() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "Ask for it again" in job.message
