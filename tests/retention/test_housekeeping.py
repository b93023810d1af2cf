"""Housekeeping in ``heard worker``: expired sessions, old sent mail and mail files, uploads
never sent or never imported, and a data folder only Heard's user can read."""

from __future__ import annotations

import datetime
import io
import os
import stat
import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from heard.jobs.storage import jobs_storage
from heard.notifications.models import OutboxMessage
from heard.public import uploads
from heard.retention import housekeeping

pytestmark = pytest.mark.django_db

DAY = 24 * 60 * 60


def _worker() -> str:
    out = io.StringIO()
    call_command("worker", "--once", stdout=out)
    return out.getvalue()


def _age(path, days: float) -> None:
    then = time.time() - days * DAY
    os.utime(path, (then, then))


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    settings.EMAIL_FILE_PATH = settings.DATA_DIR / "mail"
    return settings.DATA_DIR


def test_heard_makes_its_files_private():
    current = os.umask(0o077)
    os.umask(current)
    assert current == 0o077


def test_the_worker_makes_the_data_folder_and_every_file_in_it_private(data_dir):
    os.chmod(data_dir, 0o755)  # noqa: S103 (the unsafe state the worker must put right)
    inner = data_dir / "documents" / "cases" / "7"
    inner.mkdir(parents=True)
    os.chmod(inner, 0o775)  # noqa: S103 (the unsafe state the worker must put right)
    readable = inner / "letter"
    readable.write_text("Dear Sam")
    os.chmod(readable, 0o644)
    database = data_dir / "heard.sqlite3"
    database.write_bytes(b"")
    os.chmod(database, 0o666)  # noqa: S103 (the unsafe state the worker must put right)
    elsewhere = data_dir.parent / "not-ours"
    elsewhere.write_text("left alone")
    os.chmod(elsewhere, 0o644)
    (data_dir / "link").symlink_to(elsewhere)

    assert "permissions of 4 files or folders made private" in _worker()

    for folder, _, files in os.walk(data_dir):
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700, folder
        for name in files:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
    assert stat.S_IMODE(os.stat(elsewhere).st_mode) == 0o644  # a link is not followed
    assert housekeeping.make_private() == 0  # nothing left to put right


def test_expired_sessions_are_cleared():
    old, current = SessionStore(), SessionStore()
    old.set_expiry(-60)
    old.create()
    current.create()
    _worker()
    assert list(Session.objects.values_list("session_key", flat=True)) == [current.session_key]


def test_sent_mail_is_purged_after_the_set_period(settings, data_dir):
    settings.HEARD_SENT_MAIL_DAYS = 30
    now = timezone.now()

    def message(status, sent_days_ago):
        sent_at = now - datetime.timedelta(days=sent_days_ago) if sent_days_ago else None
        return OutboxMessage.objects.create(
            to="sam@example.org", subject="s", body="b", status=status,
            next_attempt_at=now + datetime.timedelta(days=365), sent_at=sent_at,
        )  # fmt: skip

    old = message(OutboxMessage.Status.SENT, 31)
    recent = message(OutboxMessage.Status.SENT, 29)
    failed = message(OutboxMessage.Status.FAILED, None)
    mail = data_dir / "mail"
    mail.mkdir()
    (mail / "old.log").write_text("To: sam@example.org")
    _age(mail / "old.log", 31)
    (mail / "new.log").write_text("To: sam@example.org")
    _age(mail / "new.log", 29)

    said = _worker()

    assert "1 sent e-mails and 1 mail files purged" in said
    remaining = set(OutboxMessage.objects.values_list("pk", flat=True))
    assert old.pk not in remaining
    assert {recent.pk, failed.pk} <= remaining
    assert sorted(p.name for p in mail.iterdir()) == ["new.log"]


def test_a_public_form_upload_never_sent_goes_after_a_day(data_dir):
    from django.core.files.storage import storages

    for token, days in (("abandoned", 1.1), ("in-use", 0.5)):
        name = uploads.save(token, ContentFile(b"\xff\xd8\xff", name="photo.jpg"))
        _age(storages["uploads"].path(name), days)
    _worker()
    assert uploads.file_names("abandoned") == []
    assert uploads.file_names("in-use") == ["photo.jpg"]


def test_an_import_upload_never_imported_goes_after_a_day():
    store = jobs_storage()
    old = store.save("imports/retention-test-old/file/cases.csv", ContentFile(b"reference\n"))
    new = store.save("imports/retention-test-new/file/cases.csv", ContentFile(b"reference\n"))
    _age(store.path(old), 1.1)
    try:
        _worker()
        assert not store.exists(old)
        assert store.exists(new)
    finally:
        store.delete(new)
