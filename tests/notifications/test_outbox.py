"""The outbox, the worker, and deadline reminders."""

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command

from heard.accounts.roles import Role
from heard.cases import services as cases
from heard.cases import workflow
from heard.cases.choices import Kind
from heard.notifications import reminders, services
from heard.notifications.models import OutboxMessage
from heard.timescales import WorkingCalendar
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date
CAL = WorkingCalendar()
NOW = datetime.datetime(2024, 3, 14, 9, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def at_nine_on_thursday():
    with time_machine.travel(NOW, tick=False):
        yield


class DownBackend(BaseEmailBackend):
    """A mail server that refuses every connection."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("Connection refused")


def test_a_message_is_queued_then_sent_once():
    services.queue("a@example.org", "Hello", "Body", key="k1")
    assert services.queue("a@example.org", "Hello", "Body", key="k1") is None
    assert services.send_due(now=NOW) == (1, 0)
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    assert services.send_due(now=NOW) == (0, 0)
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


def test_a_mail_server_outage_delays_messages_and_never_loses_them(settings):
    services.queue("a@example.org", "Hello", "Body")
    settings.EMAIL_BACKEND = "tests.notifications.test_outbox.DownBackend"
    assert services.send_due(now=NOW) == (0, 1)
    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.Status.QUEUED and message.attempts == 1
    assert message.last_error == "ConnectionRefusedError: Connection refused"
    assert message.next_attempt_at == NOW + datetime.timedelta(minutes=1)
    assert services.send_due(now=NOW) == (0, 0), "it waits for its next attempt"
    assert services.send_due(now=NOW + datetime.timedelta(minutes=1)) == (0, 1)
    assert OutboxMessage.objects.get().next_attempt_at == NOW + datetime.timedelta(minutes=3)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.send_due(now=NOW + datetime.timedelta(minutes=3)) == (1, 0)
    assert len(mail.outbox) == 1


def test_it_gives_up_after_ten_attempts_but_keeps_the_message(settings):
    services.queue("a@example.org", "Hello", "Body")
    settings.EMAIL_BACKEND = "tests.notifications.test_outbox.DownBackend"
    later = NOW
    for _ in range(10):
        services.send_due(now=later)
        later += datetime.timedelta(hours=7)
    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.Status.FAILED and message.attempts == 10
    assert services.retry(OutboxMessage.objects.all()) == 1


@pytest.fixture
def allocated(officer):
    officer.email = "tom@council.example"
    officer.save()
    with time_machine.travel(datetime.datetime(2024, 3, 4, 9, tzinfo=datetime.UTC)):
        case = cases.log_case(
            user=officer, kind=Kind.COMPLAINT, received_on=D(2024, 3, 4),
            complainant_name="Sam Example", summary="About my son Billy",
            procedure="childrens_statutory", parts=[{"summary": "Billy's placement"}],
        )  # fmt: skip
        workflow.allocate(case, to=officer, user=officer)
    return case  # response due Monday 18 March 2024


def test_a_reminder_goes_two_working_days_before_the_deadline_and_only_once(allocated):
    assert reminders.queue_reminders(D(2024, 3, 13), CAL) == 0
    assert reminders.queue_reminders(D(2024, 3, 14), CAL) == 1
    assert reminders.queue_reminders(D(2024, 3, 14), CAL) == 0
    assert reminders.queue_reminders(D(2024, 3, 15), CAL) == 0
    message = OutboxMessage.objects.get()
    assert message.to == "tom@council.example"
    assert message.subject == f"Response due 18 March 2024: {allocated.reference}"
    assert "2 working days from today" in message.body


def test_a_missed_deadline_is_notified_once(allocated):
    assert reminders.queue_reminders(D(2024, 3, 19), CAL) == 1
    assert reminders.queue_reminders(D(2024, 3, 20), CAL) == 0
    missed = OutboxMessage.objects.get(subject__startswith="Deadline missed")
    assert "was due on Monday 18 March 2024" in missed.body


def test_no_personal_details_are_ever_e_mailed(allocated, officer):
    UserFactory(username="boss", role=Role.MANAGER, email="boss@council.example")
    reminders.queue_reminders(D(2024, 3, 19), CAL)
    reminders.queue_weekly_digest(D(2024, 3, 18), CAL)
    for message in OutboxMessage.objects.all():
        for secret in ("Sam", "Example", "Billy", "placement"):
            assert secret not in message.body + message.subject


def test_the_weekly_digest_goes_to_managers_only(allocated, personas):
    for persona in personas.values():
        persona.email = f"{persona.username}@council.example"
        persona.save()
    assert reminders.queue_weekly_digest(D(2024, 3, 18), CAL) == 1
    assert reminders.queue_weekly_digest(D(2024, 3, 19), CAL) == 0, "once a week"
    digest = OutboxMessage.objects.get()
    assert digest.to == "manager@council.example"
    assert "Due in the next 5 working days: 1" in digest.body


def test_the_worker_queues_and_sends_and_prints_counts_only(allocated):
    out = io.StringIO()
    call_command("worker", "--once", stdout=out)
    assert out.getvalue().endswith(": 1 queued, 1 sent, 0 failed\n")
    assert "tom@" not in out.getvalue()
    assert len(mail.outbox) == 1
