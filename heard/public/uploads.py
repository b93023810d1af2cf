"""Files a visitor uploads before pressing Send: where they wait, how many one address may
send, and clearing those that were never sent.

They wait in the ``uploads`` storage (heard/filestorage.py): a folder under the data directory
that only Heard's user can read, or the ``uploads/`` prefix of the council's bucket, so that a
visitor whose next request reaches another web machine still finds their files. Each form's
files are under its own token (kept in the visitor's session, never shown), one name per file:
``<token>/<random>/<file name>``, so two files with the same name never replace each other.
"""

from __future__ import annotations

import datetime
import shutil
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.utils import timezone

from heard.core import ratelimit
from heard.filestorage import is_local

#: How long an upload may wait for its form to be sent before it is deleted.
ABANDONED_AFTER_SECONDS = 24 * 60 * 60
#: The longest file name kept (the end of it, so the extension stays).
NAME_LENGTH = 100


def _storage():
    return storages["uploads"]


def new_token() -> str:
    return str(uuid.uuid4())


def save(token: str, upload) -> str:
    """Keep one uploaded file for the form ``token``; return its name in the storage."""
    name = PurePosixPath(upload.name).name[-NAME_LENGTH:] or "file"
    return _storage().save(f"{token}/{uuid.uuid4().hex}/{name}", upload)


def names(token: str | None) -> list[str]:
    """The storage names of the files waiting for the form ``token``, in a stable order."""
    if not token:
        return []
    storage = _storage()
    try:
        places, _ = storage.listdir(token)
    except FileNotFoundError:  # a local folder not made yet: nothing uploaded
        return []
    found = []
    for place in places:
        _, files = storage.listdir(f"{token}/{place}")
        found.extend(f"{token}/{place}/{name}" for name in files)
    return sorted(found, key=lambda name: (PurePosixPath(name).name, name))


def file_names(token: str | None) -> list[str]:
    """What the visitor called each file, for the page that lists them."""
    return [PurePosixPath(name).name for name in names(token)]


def open_all(token: str | None) -> list[File]:
    """Every file of the form, open for reading, named as the visitor named it. The caller
    closes them."""
    storage = _storage()
    return [File(storage.open(name), name=PurePosixPath(name).name) for name in names(token)]


def discard(token: str | None) -> None:
    """Delete the form's files (sent, spooled, or started again)."""
    storage = _storage()
    for name in names(token):
        storage.delete(name)
    if token:
        _remove_empty_folders(storage, token)


def too_many_from(address: str) -> bool:
    """At most HEARD_PUBLIC_UPLOAD_LIMIT files an hour from one address, whatever session or
    `heard serve` process they come through (heard/core/ratelimit.py)."""
    return ratelimit.reached("tell-us-uploads", address, settings.HEARD_PUBLIC_UPLOAD_LIMIT)


def count_from(address: str) -> None:
    ratelimit.count("tell-us-uploads", address)


def clear_abandoned(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of every form whose newest upload is more than a day old (the form
    was never sent); return how many forms' files went."""
    now = now or timezone.now()
    storage = _storage()
    try:
        tokens, _ = storage.listdir("")
    except FileNotFoundError:
        return 0
    cleared = 0
    for token in tokens:
        files = names(token)
        newest = max((storage.get_modified_time(name) for name in files), default=None)
        if newest is not None and (now - newest).total_seconds() <= ABANDONED_AFTER_SECONDS:
            continue
        for name in files:
            storage.delete(name)
        _remove_empty_folders(storage, token)
        cleared += 1
    return cleared


def _remove_empty_folders(storage, token: str) -> None:
    """A local folder stays behind when its files go; object storage has no folders."""
    if is_local(storage):
        shutil.rmtree(storage.path(token), ignore_errors=True)
