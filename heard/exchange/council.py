"""Moving a whole council: every table that holds what a council set up and recorded, and its
documents, written to one archive and read back into an empty database.

The tables carried are found from the installed models, not listed by hand: every model is
carried unless ``NOT_CARRIED`` names it with the reason (tables ``heard migrate`` makes in
every database, sign-in sessions, lock-outs), so a model another app adds travels without
anyone remembering to add it here. ``problems()`` says what a new model would need that the
archive cannot do (a field of a kind it does not know, a link to a table that does not
travel); a test fails while there is any.

Rows keep their ids, so links between tables, API records, report editions and the audit
trail come out exactly as they were. Rows are written with plain INSERTs (no ``save()``), so
"created at" and "updated at" times are kept and the append-only audit trail is copied as it
is. Links to Django's content types and permissions, whose ids differ between databases,
travel by name.

The archive is a zip file (docs/exchange-format.md, "Moving a whole council"):
``manifest.json``, then ``tables/<app>.<model>.jsonl`` with one JSON list a row, then
``documents/<stored name>`` for every file a row names.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import hashlib
import json
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "heard-council"
VERSION = 1
#: Rows read and written at a time.
BATCH = 2000

#: Models that do not travel, each with the reason. Everything else installed does.
NOT_CARRIED: dict[str, str] = {
    "contenttypes.contenttype": "made by `heard migrate` in every database; links to one "
    "travel as its app label and model name",
    "auth.permission": "made by `heard migrate` in every database (Heard's roles do not use "
    "them, decision 0004); links to one travel as its app label and codename",
    "sessions.session": "sign-ins end with the move: everyone signs in again",
    "admin.logentry": "Django's admin history of its own screens; Heard's audit trail "
    "(audit.auditevent) is what records changes, and travels",
    "axes.accessattempt": "failed sign-in counts for lock-outs: short-lived security state",
    "axes.accesslog": "sign-in log of the lock-out tool: short-lived security state",
    "axes.accessfailurelog": "failed sign-in log of the lock-out tool: short-lived state",
    "axes.accessattemptexpiration": "when a lock-out ends: short-lived security state",
    "django_tasks_database.dbtaskresult": "background jobs and their results: redone on "
    "request after the move",
    "django_tasks_db.dbtaskresult": "background jobs and their results: redone on request "
    "after the move",
}

#: Models that hold credentials: carried only when asked for (``--with-credentials``).
CREDENTIALS: dict[str, str] = {
    "api.apitoken": "API tokens are credentials: without --with-credentials they stay behind "
    "and an administrator issues new ones",
}

#: Models referred to by name rather than id, with the fields that name a row.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "contenttypes.contenttype": ("app_label", "model"),
    "auth.permission": ("content_type__app_label", "content_type__model", "codename"),
}

#: Field kinds the archive knows how to write and read back exactly.
SUPPORTED_FIELDS = (
    models.AutoField,
    models.BigAutoField,
    models.SmallAutoField,
    models.BooleanField,
    models.CharField,  # with SlugField, EmailField, URLField ...
    models.TextField,
    models.IntegerField,  # with the small, big and positive kinds
    models.DecimalField,
    models.FloatField,
    models.DateField,  # with DateTimeField
    models.TimeField,
    models.DurationField,
    models.UUIDField,
    models.JSONField,
    models.BinaryField,
    models.FileField,  # with ImageField: the file travels in documents/
    models.GenericIPAddressField,
    models.ForeignKey,  # with OneToOneField
)


class ArchiveRefused(Exception):
    """The archive cannot be written or read; the message says why and what to do."""


def label(model) -> str:
    return model._meta.label_lower


def _user_label() -> str:
    return settings.AUTH_USER_MODEL.lower()


def carried_models(*, credentials: bool = False) -> list:
    """Every installed model that travels (including many-to-many tables), in a stable
    order: by app as installed, then by name."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        name = label(model)
        meta = model._meta
        if name in NOT_CARRIED or meta.proxy or not meta.managed:
            continue
        if name in CREDENTIALS and not credentials:
            continue
        found.append(model)
    return found


def problems() -> list[str]:
    """What the archive cannot carry faithfully among the installed models: a field of a kind
    it does not know, or a link to a table that does not travel and has no name to go by."""
    found = []
    carried = {label(m) for m in carried_models(credentials=True)}
    for model in carried_models(credentials=True):
        for f in model._meta.concrete_fields:
            where = f"{label(model)}.{f.name}"
            if not isinstance(f, SUPPORTED_FIELDS):
                found.append(f"{where}: a {type(f).__name__}, which the archive cannot carry")
            if f.is_relation:
                target = label(f.related_model)
                if target not in carried and target not in NATURAL_KEYS:
                    found.append(f"{where}: links to {target}, which does not travel")
    return found


def _columns(model) -> list:
    return list(model._meta.concrete_fields)


def _natural_target(f) -> str | None:
    if f.is_relation:
        target = label(f.related_model)
        if target in NATURAL_KEYS:
            return target
    return None


# Writing -------------------------------------------------------------------------------------


def _encode(value):
    """A database value as JSON, exactly: times keep their microseconds, decimals their digits."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return {"seconds": value.days * 86400 + value.seconds, "microseconds": value.microseconds}
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _natural_lookup(target: str, using: str) -> dict:
    """id -> name for a table referred to by name."""
    keys = NATURAL_KEYS[target]
    model = apps.get_model(target)
    return {
        row[0]: list(row[1:])
        for row in model._base_manager.using(using).values_list("pk", *keys).iterator()
    }


@dataclass
class Written:
    tables: dict[str, int] = field(default_factory=dict)
    documents: int = 0
    missing_documents: list[str] = field(default_factory=list)


def write_archive(
    path: Path,
    *,
    credentials: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    progress: Callable[[str], None] | None = None,
) -> Written:
    """Write the whole council to ``path``, a zip file, from one consistent reading of the
    database. Without ``credentials`` users' password hashes and API tokens stay behind."""
    connection = connections[using]
    written = Written()
    manifest_tables = []
    file_names: list[tuple[models.FileField, str]] = []
    partial = path.with_name(path.name + ".partial")
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        applied = sorted(
            [app, name] for app, name in MigrationRecorder(connection).applied_migrations()
        )
        lookups = {target: _natural_lookup(target, using) for target in NATURAL_KEYS}
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            for model in carried_models(credentials=credentials):
                name = label(model)
                if progress:
                    progress(name)
                columns = _columns(model)
                count = _write_table(
                    archive, model, columns, lookups, credentials, file_names, using
                )
                written.tables[name] = count
                manifest_tables.append(
                    {
                        "model": name,
                        "file": f"tables/{name}.jsonl",
                        "columns": [c.attname for c in columns],
                        "rows": count,
                    }
                )
            for file_field, stored in file_names:
                member = f"documents/{stored}"
                try:
                    with (
                        file_field.storage.open(stored, "rb") as source,
                        archive.open(member, "w", force_zip64=True) as out,
                    ):
                        while chunk := source.read(1024 * 1024):
                            out.write(chunk)
                    written.documents += 1
                except FileNotFoundError:
                    written.missing_documents.append(stored)
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "exported_at": timezone.now().isoformat(),
                "council": {"name": settings.COUNCIL_NAME},
                "database": connection.vendor,
                "credentials": credentials,
                "migrations": applied,
                "tables": manifest_tables,
                "documents": written.documents,
                "missing_documents": written.missing_documents,
                "not_carried": {**NOT_CARRIED, **({} if credentials else CREDENTIALS)},
            }
            archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    partial.replace(path)
    return written


def _write_table(archive, model, columns, lookups, credentials, file_names, using) -> int:
    name = label(model)
    natural = {i: _natural_target(c) for i, c in enumerate(columns)}
    files = [i for i, c in enumerate(columns) if isinstance(c, models.FileField)]
    password = None
    if name == _user_label() and not credentials:
        password = next(i for i, c in enumerate(columns) if c.attname == "password")
    rows = (
        model._base_manager.using(using)
        .order_by("pk")
        .values_list(*[c.attname for c in columns])
        .iterator(chunk_size=BATCH)
    )
    count = 0
    with archive.open(f"tables/{name}.jsonl", "w", force_zip64=True) as out:
        for row in rows:
            values = [_encode(v) for v in row]
            for i, target in natural.items():
                if target and values[i] is not None:
                    values[i] = lookups[target][values[i]]
            if password is not None:
                values[password] = None
            for i in files:
                if values[i]:
                    file_names.append((columns[i], values[i]))
            out.write(json.dumps(values, ensure_ascii=False).encode() + b"\n")
            count += 1
    return count


# Reading -------------------------------------------------------------------------------------


@dataclass
class Imported:
    tables: dict[str, int] = field(default_factory=dict)
    documents: int = 0
    credentials: bool = False
    council: str = ""


def is_archive(path: Path) -> bool:
    """Whether ``path`` is a council archive (a zip file with Heard's manifest)."""
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as archive:
        return "manifest.json" in archive.namelist()


def read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError):
        raise ArchiveRefused("This zip file is not a Heard council archive.") from None
    if manifest.get("format") != FORMAT:
        raise ArchiveRefused('This zip file is not a Heard council archive ("heard-council").')
    if manifest.get("version") != VERSION:
        raise ArchiveRefused(
            f"This archive is version {manifest.get('version')}; this Heard reads version "
            f"{VERSION}."
        )
    return manifest


def _migration_problem(manifest: dict, connection) -> str | None:
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return "This database has no tables yet: run `heard migrate` first, then import."
    here = {tuple(m) for m in recorder.applied_migrations()}
    there = {tuple(m) for m in manifest["migrations"]}
    missing_here = sorted(there - here)
    missing_there = sorted(here - there)
    if missing_here:
        named = ", ".join(f"{a} {n}" for a, n in missing_here[:5])
        return (
            f"The archive comes from a newer Heard (its database had migrations this one has "
            f"not applied: {named}). Install that version of Heard here, run `heard migrate`, "
            "then import."
        )
    if missing_there:
        named = ", ".join(f"{a} {n}" for a, n in missing_there[:5])
        return (
            f"The archive comes from an older Heard (this database has migrations it had "
            f"not: {named}). Import it with the version of Heard that made it, then upgrade "
            "(install the new version and run `heard migrate`)."
        )
    return None


def _holds_council_data(using: str) -> str | None:
    """Why the database is not empty enough to import a council into, or None."""
    from heard.accounts.models import User
    from heard.audit.models import AuditEvent
    from heard.cases.models import Case

    for model, what in ((Case, "cases"), (User, "users"), (AuditEvent, "an audit trail")):
        if model._base_manager.using(using).exists():
            return (
                f"This database already has {what}. A council archive is imported into an "
                "empty database (a new DATABASE_URL, or a new HEARD_DATA_DIR for SQLite): "
                "run `heard migrate` there, then import. To add cases to a council, use the "
                "case exchange file (`heard export -o cases.json`) instead."
            )
    return None


def _decode(column, value, natural: dict | None):
    if value is None:
        return None
    if natural is not None:
        return natural[tuple(value)]
    if isinstance(column, models.DurationField):
        return datetime.timedelta(seconds=value["seconds"], microseconds=value["microseconds"])
    if isinstance(column, models.BinaryField):
        return base64.b64decode(value)
    if isinstance(column, models.JSONField | models.FileField):
        return value
    if column.is_relation:
        return column.target_field.to_python(value)
    return column.to_python(value)


def _natural_ids(target: str, using: str) -> dict:
    """name -> id in this database for a table referred to by name."""
    return {tuple(name): pk for pk, name in _natural_lookup(target, using).items()}


def read_archive(
    path: Path,
    *,
    using: str = DEFAULT_DB_ALIAS,
    progress: Callable[[str], None] | None = None,
) -> Imported:
    """Load a council archive into an empty, migrated database, all or nothing."""
    connection = connections[using]
    with zipfile.ZipFile(path) as archive:
        manifest = read_manifest(archive)
        problem = _migration_problem(manifest, connection) or _holds_council_data(using)
        if problem:
            raise ArchiveRefused(problem)
        tables = _plan(manifest)
        result = Imported(credentials=manifest["credentials"], council=manifest["council"]["name"])
        saved_files: list[tuple] = []
        try:
            with transaction.atomic(using=using):
                for model in tables:  # the defaults a fresh `heard migrate` made
                    model._base_manager.using(using).all()._raw_delete(using)
                lookups = {target: _natural_ids(target, using) for target in NATURAL_KEYS}
                for entry in manifest["tables"]:
                    if progress:
                        progress(entry["model"])
                    model = tables[apps.get_model(entry["model"])]
                    result.tables[entry["model"]] = _read_table(
                        archive, entry, model, lookups, using
                    )
                _reset_sequences(connection, list(tables))
                result.documents = _read_documents(archive, manifest, saved_files)
                if connection.vendor == "sqlite":
                    connection.check_constraints()
        except BaseException:
            for storage, name in saved_files:
                storage.delete(name)
            raise
    return result


def _plan(manifest: dict) -> dict:
    """The models to load, checked against this Heard: {model: model}."""
    by_label = {}
    for entry in manifest["tables"]:
        try:
            model = apps.get_model(entry["model"])
        except LookupError:
            raise ArchiveRefused(
                f"The archive has a table {entry['model']} this Heard does not know."
            ) from None
        here = [c.attname for c in _columns(model)]
        if entry["columns"] != here:
            raise ArchiveRefused(
                f"The archive's table {entry['model']} has different columns from this Heard's "
                "(the same migrations, but different code): import with the same version."
            )
        by_label[model] = model
    expected = set(carried_models(credentials=manifest["credentials"]))
    missing = sorted(label(m) for m in expected - set(by_label))
    if missing:
        raise ArchiveRefused(f"The archive lacks tables this Heard has: {', '.join(missing)}.")
    return by_label


def _read_table(archive, entry: dict, model, lookups: dict, using: str) -> int:
    connection = connections[using]
    columns = _columns(model)
    natural = [lookups[t] if (t := _natural_target(c)) else None for c in columns]
    password = None
    if label(model) == _user_label():
        password = next(i for i, c in enumerate(columns) if c.attname == "password")
    quote = connection.ops.quote_name
    # Table and column names come from the models, quoted; the values are parameters.
    table = quote(model._meta.db_table)
    names = ", ".join(quote(c.column) for c in columns)
    slots = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({slots})"  # noqa: S608
    count = 0
    batch = []
    with archive.open(entry["file"]) as lines, connection.cursor() as cursor:
        for line in lines:
            raw = json.loads(line)
            values = [
                c.get_db_prep_save(_decode(c, v, n), connection)
                for c, v, n in zip(columns, raw, natural, strict=True)
            ]
            if password is not None and raw[password] is None:
                values[password] = make_password(None)  # unusable until reset
            batch.append(values)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    if count != entry["rows"]:
        raise ArchiveRefused(
            f"The archive's table {entry['model']} has {count} rows, but its manifest says "
            f"{entry['rows']}: the file is damaged."
        )
    return count


def _reset_sequences(connection, models_loaded: list) -> None:
    """Make new rows' ids follow on from the loaded ones (PostgreSQL keeps a sequence per
    table; SQLite follows the largest id by itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), models_loaded)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _read_documents(archive, manifest: dict, saved: list) -> int:
    """Put every document back where its row says it is, through the storage API."""
    from django.core.files.base import File

    storages = {}
    for model in carried_models(credentials=manifest["credentials"]):
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField):
                storages[id(f.storage)] = f.storage
    storage = next(iter(storages.values()), None)
    count = 0
    for member in archive.namelist():
        if not member.startswith("documents/") or member.endswith("/"):
            continue
        if storage is None:
            raise ArchiveRefused("The archive has documents but no table here keeps files.")
        name = member.removeprefix("documents/")
        if storage.exists(name):
            if _digest(storage.open(name, "rb")) == _digest(archive.open(member)):
                count += 1
                continue
            raise ArchiveRefused(
                f"A different document is already stored as {name}: import into an empty "
                "documents folder (a new HEARD_DATA_DIR)."
            )
        with archive.open(member) as source:
            stored = storage.save(name, File(source, name=name))
        saved.append((storage, stored))
        if stored != name:
            raise ArchiveRefused(f"The document {name} could not be stored under its own name.")
        count += 1
    return count


def _digest(handle) -> str:
    with handle:
        digest = hashlib.sha256()
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def iter_table(path: Path, model_label: str) -> Iterator[list]:
    """The rows of one table of an archive (for checks and tests)."""
    with zipfile.ZipFile(path) as archive:
        manifest = read_manifest(archive)
        entry = next(t for t in manifest["tables"] if t["model"] == model_label)
        with archive.open(entry["file"]) as lines:
            for line in lines:
                yield json.loads(line)
