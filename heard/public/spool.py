"""A durable place for online-form submissions that arrive while the database cannot take
them (busy with a long write, or away). The person still gets a receipt; ``heard worker``
enters each spooled submission once the database is back.

Spooled submissions go through Django's storage API (the ``spool`` storage in settings: a
folder under the data directory that only Heard's user can read, 0700 folders and 0600 files).
Each one is a folder named after the form's key, holding its files and then, written last,
``submission.json``: a submission is only ever read once all of it is stored. Entering is
safe to repeat and safe for two workers at once, because a form's key makes one case however
often it is sent (:func:`heard.public.services.submit`).
"""

from __future__ import annotations

import datetime
import json
import logging
from pathlib import PurePosixPath

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import DatabaseError
from django.utils import timezone

RECORD = "submission.json"
logger = logging.getLogger(__name__)


def _storage():
    return storages["spool"]


def receipt_for(key: str) -> str:
    """What the person is told to quote: short, and enough to find the form."""
    return f"R-{key[:4]}-{key[4:8]}".upper()


def keep(answers: dict, uploads: list[File]) -> str:
    """Store a submission that could not be saved, with its files (open, each named as the
    visitor named it: read from the start whatever was read of them before); return the
    receipt."""
    key = answers["key"]
    storage = _storage()
    files = []
    for upload in uploads:
        upload.seek(0)
        files.append(storage.save(f"{key}/files/{upload.name}", upload))
    record = {
        "version": 1,
        "answers": answers,
        "files": files,
        "received_on": timezone.localdate().isoformat(),
        "kept_at": timezone.now().isoformat(),
    }
    storage.save(f"{key}/{RECORD}", ContentFile(json.dumps(record).encode()))
    return receipt_for(key)


def waiting() -> list[str]:
    """The keys of the submissions waiting to be entered."""
    storage = _storage()
    try:
        # Not exists(""): object storage has no folders, only names with a common prefix.
        folders, _ = storage.listdir("")
    except FileNotFoundError:  # a local spool folder not made yet
        return []
    return sorted(key for key in folders if storage.exists(f"{key}/{RECORD}"))


def enter_waiting() -> tuple[int, int]:
    """Enter every spooled submission; return (entered, still waiting). A submission stays
    in the spool until its case is saved: nothing is deleted first."""
    from heard.public import services

    storage = _storage()
    entered = left = 0
    for key in waiting():
        try:
            with storage.open(f"{key}/{RECORD}") as handle:
                record = json.loads(handle.read())
        except (OSError, ValueError):
            left += 1  # still being written, or damaged: counted, never dropped
            continue
        handles = [storage.open(name) for name in record["files"]]
        try:
            services.submit(
                record["answers"],
                [
                    File(h, name=PurePosixPath(n).name)
                    for h, n in zip(handles, record["files"], strict=True)
                ],
                received_on=datetime.date.fromisoformat(record["received_on"]),
            )
        except DatabaseError:
            left += 1  # the database is still away: next time
            continue
        except Exception:
            # Anything else (a team since removed, say) must not stop the other forms, nor
            # lose this one: it stays for a person to look at. The receipt names no one.
            logger.exception("Spooled online form %s could not be entered", receipt_for(key))
            left += 1
            continue
        finally:
            for handle in handles:
                handle.close()
        for name in record["files"]:
            storage.delete(name)
        storage.delete(f"{key}/{RECORD}")
        entered += 1
    return entered, left
