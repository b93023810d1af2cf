"""Backups of a running Heard and restoring them: the database and the documents folder in one
tar file.

- SQLite: a consistent copy through SQLite's online backup API, taken while Heard runs.
- PostgreSQL: ``pg_dump`` in its custom format, from one snapshot; restored with
  ``pg_restore`` in a single transaction.
- Documents: the files under ``MEDIA_ROOT`` (or, with object storage, every object of the
  ``default`` storage, read through the storage API), copied after the database, so that every
  document a row of the copy names is in the backup (a file is stored before its row is).

A backup is a plain tar file: ``manifest.json``, ``database.sqlite3`` or ``database.pgdump``,
and ``documents/…``. Restoring first backs up what is there now, so a restore never loses
anything either.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from heard import filestorage

FORMAT = "heard-backup"
VERSION = 1


class BackupFailed(Exception):
    """The backup or restore could not be made; the message says why and what to do."""


@dataclass
class Summary:
    path: Path
    database: str
    documents: int
    size: int


def _vendor(connection) -> str:
    if connection.vendor not in {"sqlite", "postgresql"}:
        raise BackupFailed(f"Heard backs up SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def _pg_command(program: str, connection) -> tuple[list[str], dict]:
    """The program with the connection's host, port, user and database, and an environment
    carrying its password (never on the command line, where others could read it)."""
    found = shutil.which(program)
    if found is None:
        raise BackupFailed(
            f"{program} is not installed: install the PostgreSQL client programs "
            "(Debian: postgresql-client) of the server's major version."
        )
    s = connection.settings_dict
    args = [found, "--dbname", s["NAME"], "--no-password"]
    if s.get("HOST"):
        args += ["--host", s["HOST"]]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", s["USER"]]
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if s.get("OPTIONS", {}).get(option):
            env[variable] = s["OPTIONS"][option]
    return args, env


def _documents_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _stored_names(storage, folder: str = "") -> Iterator[str]:
    """Every file name in ``storage`` (object storage has no folders, only prefixes)."""
    folders, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}{name}"
    for sub in sorted(folders):
        yield from _stored_names(storage, f"{folder}{sub}/")


def add_documents(archive: tarfile.TarFile) -> int:
    """Put every document into ``archive`` under ``documents/``; return how many. From the
    documents folder, or through the storage API when documents are in object storage."""
    storage = default_storage
    if filestorage.is_local(storage):
        root = _documents_root()
        if not root.is_dir():
            return 0
        files = sorted(p for p in root.rglob("*") if p.is_file())
        for file in files:
            archive.add(file, arcname=f"documents/{file.relative_to(root).as_posix()}")
        return len(files)
    count = 0
    for name in _stored_names(storage):
        info = tarfile.TarInfo(f"documents/{name}")
        info.size = storage.size(name)
        info.mtime = int(timezone.now().timestamp())
        info.mode = 0o600
        with storage.open(name, "rb") as handle:
            archive.addfile(info, handle)
        count += 1
    return count


def restore_documents(restored: Path, work_dir: Path) -> None:
    """Put the backup's documents (extracted to ``restored``) back. A documents folder is
    replaced whole; in object storage each document of the backup is written back under its
    own name, and documents added since are left where they are (nothing names them once the
    database is restored; nothing is deleted that the backup does not hold)."""
    restored.mkdir(exist_ok=True)
    storage = default_storage
    if filestorage.is_local(storage):
        root = _documents_root()
        old = work_dir / "documents-before"
        if root.exists():
            root.replace(old)
        restored.replace(root)
        return
    for file in sorted(p for p in restored.rglob("*") if p.is_file()):
        name = file.relative_to(restored).as_posix()
        storage.delete(name)  # a save never overwrites: make the name free first
        with file.open("rb") as handle:
            saved = storage.save(name, File(handle))
        if saved != name:
            raise BackupFailed(f"The document {name} could not be put back under its name.")


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def make_backup(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Write a backup of the database and the documents folder to ``path`` (a tar file)."""
    connection = connections[using]
    vendor = _vendor(connection)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory(dir=path.parent) as work:
        dump = Path(work) / ("database.sqlite3" if vendor == "sqlite" else "database.pgdump")
        if vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(dump)
            try:
                connection.connection.backup(target)  # consistent while others write
            finally:
                target.close()
        else:
            args, env = _pg_command("pg_dump", connection)
            # A list of arguments from the settings, no shell.
            done = subprocess.run(  # noqa: S603
                [*args, "--format", "custom", "--file", str(dump)],
                env=env, capture_output=True, text=True, check=False,
            )  # fmt: skip
            if done.returncode != 0:
                raise BackupFailed(f"pg_dump failed: {done.stderr.strip()}")
        migrations = sorted(
            [app, name] for app, name in MigrationRecorder(connection).applied_migrations()
        )
        with tarfile.open(partial, "w") as archive:
            archive.add(dump, arcname=dump.name)
            documents = add_documents(archive)
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "made_at": timezone.now().isoformat(),
                "council": settings.COUNCIL_NAME,
                "database": vendor,
                "database_file": dump.name,
                "database_sha256": _digest(dump),
                "migrations": migrations,
                "documents": documents,
            }
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
    os.chmod(partial, 0o600)  # it holds everything about children the council has
    partial.replace(path)
    return Summary(path, vendor, documents, path.stat().st_size)


def read_manifest(path: Path) -> dict:
    try:
        with tarfile.open(path) as archive:
            manifest = json.load(archive.extractfile("manifest.json"))
    except (tarfile.TarError, KeyError, ValueError, OSError):
        raise BackupFailed(f"{path} is not a Heard backup.") from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupFailed(f"{path} is not a Heard backup this version reads.")
    return manifest


def check_restorable(manifest: dict, using: str = DEFAULT_DB_ALIAS) -> None:
    """Refuse a backup of another kind of database, or from a newer Heard."""
    from django.db.migrations.loader import MigrationLoader

    connection = connections[using]
    if manifest["database"] != _vendor(connection):
        raise BackupFailed(
            f"This is a backup of a {manifest['database']} database and Heard now uses "
            f"{connection.vendor}. To move between the two, use `heard export --all` and "
            "`heard import` (docs/operations.md, Moving to PostgreSQL)."
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(tuple(m) for m in manifest["migrations"] if tuple(m) not in known)
    if unknown:
        raise BackupFailed(
            "The backup was made by a newer version of Heard (it has database changes this "
            f"one does not know, such as {unknown[0][0]} {unknown[0][1]}): install that "
            "version, then restore."
        )


def restore_backup(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Replace the database and the documents folder with those of the backup at ``path``.
    The caller backs up what is there first (``make_backup``)."""
    manifest = read_manifest(path)
    check_restorable(manifest, using)
    connection = connections[using]
    root = _documents_root()
    root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root.parent) as work:
        work_dir = Path(work)
        with tarfile.open(path) as archive:
            archive.extractall(work_dir, filter="data")
        dump = work_dir / manifest["database_file"]
        if _digest(dump) != manifest["database_sha256"]:
            raise BackupFailed(f"{path} is damaged: its database does not match its checksum.")
        if manifest["database"] == "sqlite":
            connection.ensure_connection()
            source = sqlite3.connect(dump)
            try:
                source.backup(connection.connection)  # replaces the whole file's content
            finally:
                source.close()
        else:
            connection.close()
            args, env = _pg_command("pg_restore", connection)
            done = subprocess.run(  # noqa: S603
                [*args, "--clean", "--if-exists", "--no-owner", "--single-transaction",
                 "--exit-on-error", str(dump)],
                env=env, capture_output=True, text=True, check=False,
            )  # fmt: skip
            if done.returncode != 0:
                raise BackupFailed(f"pg_restore failed, nothing changed: {done.stderr.strip()}")
        restore_documents(work_dir / "documents", work_dir)
    return manifest
