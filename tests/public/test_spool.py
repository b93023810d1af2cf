"""Nothing a person sends is lost: a form sent while the database cannot take it is kept in the
spool, the person gets a receipt, and `heard worker` enters it when the database is back.
The database is really taken away here (a lock held by another connection), not mocked."""

import os
import threading
import time

import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from heard.cases.models import Case
from heard.notifications.models import OutboxMessage
from heard.public import spool, uploads

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def own_spool(settings, tmp_path):
    from django.core.cache import cache

    cache.clear()
    storages_setting = dict(settings.STORAGES)
    for name, folder in (("spool", "spool"), ("uploads", "public-uploads")):
        storages_setting[name] = {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {
                "location": tmp_path / folder,
                "file_permissions_mode": 0o600,
                "directory_permissions_mode": 0o700,
            },
        }
    settings.STORAGES = storages_setting
    settings.DATA_DIR = tmp_path
    yield tmp_path


def _step(client, name, data):
    return client.post(reverse("public:step", args=[name]), data)


def _fill_in(client):
    _step(client, "what", {"kind": "complaint"})
    _step(client, "who", {"who": "parent"})
    _step(client, "behalf", {"on_behalf": "no"})
    _step(client, "about", {"what_happened": "Sent while the database was busy."})
    _step(client, "documents", {"continue": "1"})
    _step(client, "contact", {"contact_by": "email", "name": "Pat", "email": "pat@example.org"})


class DatabaseBusy:
    """Another connection holds a write lock on the cases table until released."""

    def __init__(self):
        self.ready = threading.Event()
        self.release = threading.Event()
        self.thread = threading.Thread(target=self._hold)

    def _hold(self):
        from django.db import connection as own

        try:
            with transaction.atomic(), own.cursor() as cursor:
                if own.vendor == "postgresql":
                    cursor.execute("LOCK TABLE cases_case IN EXCLUSIVE MODE")
                else:
                    cursor.execute("UPDATE cases_case SET summary = summary WHERE id = -1")
                self.ready.set()
                self.release.wait(60)
        finally:
            own.close()

    def __enter__(self):
        self.thread.start()
        assert self.ready.wait(10)
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.thread.join(30)


def test_a_form_sent_while_the_database_is_busy_is_kept_and_entered_later(client, own_spool):
    _fill_in(client)
    started = time.monotonic()
    with DatabaseBusy():
        response = client.post(reverse("public:check"))
    assert time.monotonic() - started < 30
    html = response.content.decode()
    assert response.status_code == 200 and "We have your form" in html
    key = client.session["tell_us"]["key"]
    assert spool.receipt_for(key) in html
    assert not Case.objects.exists()

    # Kept durably, readable by Heard's user only.
    record = storages["spool"].path(f"{key}/submission.json")
    assert os.stat(record).st_mode & 0o777 == 0o600
    assert os.stat(os.path.dirname(record)).st_mode & 0o777 == 0o700
    assert spool.waiting() == [key]

    call_command("worker", "--once")
    case = Case.objects.get()
    assert case.summary == "Sent while the database was busy."
    assert spool.waiting() == []
    ack = OutboxMessage.objects.get(to="pat@example.org")
    assert case.reference in ack.subject

    # Entering again, or the person pressing Send again, makes no second case.
    call_command("worker", "--once")
    again = client.post(reverse("public:check"))
    assert again.status_code == 302 and Case.objects.count() == 1


def test_uploads_are_limited_per_address_across_sessions(client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    settings.HEARD_PUBLIC_UPLOAD_LIMIT = 2
    sessions = [client, Client(), Client()]
    for number, visitor in enumerate(sessions):
        _step(visitor, "what", {"kind": "complaint"})
        _step(visitor, "who", {"who": "parent"})
        _step(visitor, "behalf", {"on_behalf": "no"})
        _step(visitor, "about", {"what_happened": "Files"})
        letter = SimpleUploadedFile(f"letter{number}.pdf", b"%PDF-1.4 letter")
        page = _step(visitor, "documents", {"file": letter, "upload": "1"})
        if number < 2:
            assert page.status_code == 302
        else:
            assert "A lot of files have been sent from your connection" in page.content.decode()


def test_uploads_never_sent_are_cleared_after_a_day(own_spool):
    from django.core.files.base import ContentFile

    for token in ("old-form", "fresh-form"):
        uploads.save(token, ContentFile(b"%PDF", name="letter.pdf"))
    stored = storages["uploads"]
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(stored.path(uploads.names("old-form")[0]), (two_days_ago, two_days_ago))
    assert uploads.clear_abandoned() == 1
    assert uploads.file_names("old-form") == []
    assert not (own_spool / "public-uploads" / "old-form").exists()
    assert uploads.file_names("fresh-form") == ["letter.pdf"]


def test_a_form_with_one_recent_upload_keeps_all_its_files(own_spool):
    from django.core.files.base import ContentFile

    uploads.save("form", ContentFile(b"%PDF one", name="one.pdf"))
    uploads.save("form", ContentFile(b"%PDF two", name="two.pdf"))
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(storages["uploads"].path(uploads.names("form")[0]), (two_days_ago, two_days_ago))
    assert uploads.clear_abandoned() == 0
    assert uploads.file_names("form") == ["one.pdf", "two.pdf"]


def test_two_files_of_the_same_name_are_both_kept_and_both_reach_the_case(client, own_spool):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _step(client, "what", {"kind": "complaint"})
    _step(client, "who", {"who": "parent"})
    _step(client, "behalf", {"on_behalf": "no"})
    _step(client, "about", {"what_happened": "Two letters with one name."})
    for body in (b"%PDF-1.4 first", b"%PDF-1.4 second"):
        upload = SimpleUploadedFile("letter.pdf", body)
        _step(client, "documents", {"file": upload, "upload": "1"})
    _step(client, "documents", {"continue": "1"})
    _step(client, "contact", {"contact_by": "email", "name": "Pat", "email": "pat@example.org"})
    page = client.get(reverse("public:check")).content.decode()
    assert page.count("letter.pdf") >= 2
    client.post(reverse("public:check"))
    case = Case.objects.get()
    kept = []
    for document in case.documents.all():
        with document.file.open("rb") as handle:
            kept.append(handle.read())
    assert sorted(kept) == [b"%PDF-1.4 first", b"%PDF-1.4 second"]
    # Sent: nothing waits any more.
    assert list((own_spool / "public-uploads").iterdir()) == []


def test_the_worker_says_how_many_wait_without_naming_anyone(client, capsys):
    _fill_in(client)
    with DatabaseBusy():
        client.post(reverse("public:check"))
    # Still busy when the worker runs: the form waits, and nothing is lost or half-entered.
    with DatabaseBusy():
        entered, waiting = spool.enter_waiting()
    assert (entered, waiting) == (0, 1) and not Case.objects.exists()
    call_command("worker", "--once")
    out = capsys.readouterr().out
    assert "1 online forms entered from the spool" in out and "Pat" not in out


def test_a_damaged_spooled_form_is_kept_and_does_not_stop_the_others(client):
    from django.core.files.base import ContentFile

    _fill_in(client)
    answers = dict(client.session["tell_us"])
    spool.keep(answers, [])
    storages["spool"].save("broken/submission.json", ContentFile(b"{not json"))
    assert spool.enter_waiting() == (1, 1)
    assert Case.objects.count() == 1
    assert spool.waiting() == ["broken"]  # left for a person to look at, never deleted
