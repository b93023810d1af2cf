"""Files kept for jobs (results, and uploads waiting to be imported) in the ``jobs`` storage
(``STORAGES["jobs"]``): a local folder by default, anything Django's storage API reaches."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import storages


def jobs_storage():
    return storages["jobs"]


def save(name: str, data: bytes) -> str:
    """Keep ``data`` as ``name`` (or a free name close to it); returns the name used."""
    return jobs_storage().save(name, ContentFile(data))


def save_upload(name: str, upload) -> str:
    return jobs_storage().save(name, upload)


def open_file(name: str):
    return jobs_storage().open(name, "rb")


def delete_quietly(name: str | None) -> None:
    if name:
        with contextlib.suppress(OSError, NotImplementedError):
            jobs_storage().delete(name)


@contextlib.contextmanager
def local_copy(name: str | None) -> Iterator[Path | None]:
    """A path on this machine holding the stored file ``name`` (readers such as the importer
    want a path). With a local folder that is the file itself; otherwise a private temporary
    copy, removed afterwards."""
    if not name:
        yield None
        return
    storage = jobs_storage()
    try:
        path = Path(storage.path(name))
    except NotImplementedError:
        path = None
    if path is not None:
        if not path.exists():
            raise FileNotFoundError(name)
        yield path
        return
    folder = Path(tempfile.mkdtemp(prefix="heard-job-"))
    try:
        copy = folder / Path(name).name
        with storage.open(name, "rb") as source, copy.open("wb") as target:
            shutil.copyfileobj(source, target)
        yield copy
    finally:
        shutil.rmtree(folder, ignore_errors=True)
