"""Housekeeping run by ``heard worker`` each cycle: expired sessions, old sent e-mail and mail
files, and the data folder's permissions.

Two more kinds of file are cleared elsewhere, and checked by the tests with these: public-form
uploads never sent (``heard.public.uploads.clear_abandoned``, after a day) and import uploads
checked but never imported (``heard.jobs.services.prune``, after a day).
"""

from __future__ import annotations

import datetime
import os
import stat
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from heard.notifications.models import OutboxMessage

#: Heard's data folder and everything in it: its own user only.
FOLDER_MODE = 0o700
FILE_MODE = 0o600


@dataclass
class Swept:
    sessions: bool = False
    sent_mail: int = 0
    mail_files: int = 0
    permissions_fixed: int = 0

    def __str__(self) -> str:
        parts = []
        if self.sent_mail or self.mail_files:
            parts.append(f"{self.sent_mail} sent e-mails and {self.mail_files} mail files purged")
        if self.permissions_fixed:
            parts.append(f"permissions of {self.permissions_fixed} files or folders made private")
        return ", ".join(parts)


def clear_sessions() -> None:
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()


def purge_sent_mail(now: datetime.datetime | None = None) -> tuple[int, int]:
    """Sent outbox messages, and files of the file mail backend, older than
    ``HEARD_SENT_MAIL_DAYS``. A letter or e-mail filed on a case keeps its own copy there."""
    now = now or timezone.now()
    before = now - datetime.timedelta(days=settings.HEARD_SENT_MAIL_DAYS)
    messages = OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT, sent_at__lt=before)
    count = messages.delete()[0]
    files = 0
    folder = getattr(settings, "EMAIL_FILE_PATH", None)
    if folder and Path(folder).is_dir():
        for path in Path(folder).iterdir():
            if path.is_file() and path.stat().st_mtime < before.timestamp():
                path.unlink(missing_ok=True)
                files += 1
    return count, files


def make_private(root: Path | None = None) -> int:
    """Make the data folder and everything in it readable by Heard's user only (folders 0700,
    files 0600); returns how many had to change. Symbolic links are not followed."""
    root = Path(root or settings.DATA_DIR)
    if not root.exists():
        return 0
    fixed = 0

    def fix(path: str, mode: int) -> None:
        nonlocal fixed
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            return
        if stat.S_ISLNK(info.st_mode):
            return
        if stat.S_IMODE(info.st_mode) != mode:
            os.chmod(path, mode)
            fixed += 1

    fix(str(root), FOLDER_MODE)
    for folder, folders, files in os.walk(root):
        for name in folders:
            fix(os.path.join(folder, name), FOLDER_MODE)
        for name in files:
            fix(os.path.join(folder, name), FILE_MODE)
    return fixed


def sweep(now: datetime.datetime | None = None, *, permissions: bool = True) -> Swept:
    """Everything above (``permissions``: walk the data folder too; the worker does so when it
    starts and then hourly, as the folder can hold many thousands of documents)."""
    clear_sessions()
    sent, files = purge_sent_mail(now)
    fixed = make_private() if permissions else 0
    return Swept(sessions=True, sent_mail=sent, mail_files=files, permissions_fixed=fixed)
