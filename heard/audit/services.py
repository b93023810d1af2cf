"""Writing the audit trail. Call these from service functions, inside their transaction.

``record`` (one entry) and ``record_many`` (bulk writers) chain each entry to the last one
written: they hold the chain's lock until the surrounding transaction ends (on PostgreSQL an
advisory lock; SQLite's ``BEGIN IMMEDIATE`` already holds the database's only write lock), so
two transactions can never chain from the same entry. The values an entry records are held
apart in ``AuditValue`` (see heard/audit/models.py).
"""

from __future__ import annotations

import contextvars
import datetime
import decimal
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from heard.audit import chain
from heard.audit.models import AuditEvent, AuditValue

#: pg_advisory_xact_lock key for appending to the chain ("heard audit" as a number).
CHAIN_LOCK = 0x6865617264_01
_BATCH = 2000

#: The cases written to the trail during the current request, by id and by reference (see
#: heard/audit/middleware.py: a page that recorded its case needs no second look for it).
cases_recorded: contextvars.ContextVar[set[int | str] | None] = contextvars.ContextVar(
    "cases_recorded", default=None
)


def _plain(value: Any) -> Any:
    """A JSON-friendly, human-readable form of a field value."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Iterable):
        return [_plain(item) for item in value]
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The current values of an instance's concrete fields (foreign keys by their label)."""
    result = {}
    for model_field in instance._meta.concrete_fields:
        if fields is not None and model_field.name not in fields:
            continue
        if model_field.name in {"id", "version", "updated_at", "created_at"}:
            continue
        if model_field.is_relation:
            related_id = getattr(instance, model_field.attname)
            result[model_field.name] = (
                str(getattr(instance, model_field.name)) if related_id else None
            )
        else:
            result[model_field.name] = _plain(getattr(instance, model_field.attname))
    return result


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {"field": name, "old": before.get(name), "new": after.get(name)}
        for name in after
        if before.get(name) != after.get(name)
    ]


@dataclass
class Entry:
    """One audit entry to be written by ``record_many``."""

    action: str
    user: Any = None
    actor: str = ""
    case_id: int | None = None
    case_reference: str = ""
    object_type: str = ""
    object_id: str = ""
    changes: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""


def _entry(action, *, user, actor, case, obj, changes, note) -> Entry:
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return Entry(
        action=action,
        user=user,
        actor=actor,
        case_id=case.pk if case is not None else None,
        case_reference=getattr(case, "reference", "") if case is not None else "",
        object_type=obj._meta.model_name if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        changes=changes or [],
        note=note,
    )


def _lock_chain() -> str:
    """Take the chain's lock for the rest of the transaction; the last entry's hash."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
    last = AuditEvent.objects.order_by("-id").values_list("entry_hash", flat=True).first()
    return last or chain.GENESIS


def _seal(entry: Entry, prev_hash: str, at: datetime.datetime):
    """The unsaved event (chained after ``prev_hash``) and its held values, if any."""
    changes = [{key: _plain(value) for key, value in change.items()} for change in entry.changes]
    held = None
    digests: list[dict[str, Any]] = []
    note_digest = ""
    if changes or entry.note:
        salt = chain.new_salt()
        digests, note_digest = chain.digests_of(salt, changes, entry.note)
        held = AuditValue(case_id=entry.case_id, salt=salt, changes=changes, note=entry.note)
    event = AuditEvent(
        at=at,
        user=entry.user,
        actor=entry.actor[:100],
        action=entry.action,
        case_id=entry.case_id,
        case_reference=entry.case_reference,
        object_type=entry.object_type,
        object_id=entry.object_id,
        digests=digests,
        note_digest=note_digest,
        prev_hash=prev_hash,
    )
    event.entry_hash = chain.entry_hash(prev_hash, event.chained_content())
    return event, held


def _remember(cases: Iterable[tuple[int | None, str]]) -> None:
    seen = cases_recorded.get()
    if seen is not None:
        for case_id, reference in cases:
            if case_id is not None:
                seen.update((case_id, reference))


def record(
    action: str,
    *,
    user=None,
    actor: str = "",
    case=None,
    obj: models.Model | None = None,
    changes: list[dict[str, Any]] | None = None,
    note: str = "",
) -> AuditEvent:
    entry = _entry(action, user=user, actor=actor, case=case, obj=obj, changes=changes, note=note)
    with transaction.atomic():
        event, held = _seal(entry, _lock_chain(), timezone.now())
        event.save(force_insert=True)
        if held is not None:
            held.event = event
            held.save()
    _remember([(entry.case_id, entry.case_reference)])
    return event


def _next_ids(count: int) -> list[int]:
    """Keys for ``count`` new entries. Only called under the chain's lock, which on SQLite is
    the database's write lock, so the highest key so far cannot move meanwhile."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence('audit_auditevent', 'id')) "
                "FROM generate_series(1, %s)",
                [count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT MAX(id) FROM audit_auditevent")
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = 'audit_auditevent'")
        row = cursor.fetchone()
        start = max(highest, row[0] if row else 0) + 1
    return list(range(start, start + count))


def _insert(sealed: list) -> None:
    """Insert sealed entries and their held values with plain ``executemany``: Django's
    ``bulk_create`` compiles every value through the ORM, which for an import of 100,000
    cases took longer than the import itself."""
    event_fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    value_fields = list(AuditValue._meta.concrete_fields)
    events = [event for event, _ in sealed]
    for event, pk in zip(events, _next_ids(len(events)), strict=True):
        event.pk = pk
        event._state.adding = False
    values = []
    for event, held in sealed:
        if held is not None:
            held.event_id = event.pk
            values.append(held)

    def rows(objs, fields):
        plain = {"BigAutoField", "BigIntegerField", "CharField", "ForeignKey", "OneToOneField",
                 "TextField"}  # fmt: skip
        convert = [None if f.get_internal_type() in plain else f.get_db_prep_save for f in fields]
        for obj in objs:
            yield [
                getattr(obj, f.attname) if c is None else c(getattr(obj, f.attname), connection)
                for f, c in zip(fields, convert, strict=True)
            ]

    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, objs, fields in (
            (AuditEvent._meta.db_table, events, [AuditEvent._meta.pk, *event_fields]),
            (AuditValue._meta.db_table, values, value_fields),
        ):
            if objs:
                columns = ", ".join(quote(f.column) for f in fields)
                placeholders = ", ".join(["%s"] * len(fields))
                sql = f"INSERT INTO {quote(table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
                cursor.executemany(sql, list(rows(objs, fields)))


def record_many(entries: Iterable[Entry]) -> int:
    """Write many entries in order, chained, in batches; returns how many."""
    entries = list(entries)
    if not entries:
        return 0
    with transaction.atomic():
        prev_hash = _lock_chain()
        at = timezone.now()
        for start in range(0, len(entries), _BATCH):
            sealed = []
            for entry in entries[start : start + _BATCH]:
                event, held = _seal(entry, prev_hash, at)
                prev_hash = event.entry_hash
                sealed.append((event, held))
            _insert(sealed)
    _remember((entry.case_id, entry.case_reference) for entry in entries)
    return len(entries)


def record_created(action: str, instance: models.Model, *, case=None, user=None, actor="", many=()):
    """A creation, with every value set; ``many``: names of many-to-many fields to record too
    (as sorted lists of names)."""
    changes = [
        {"field": k, "old": None, "new": v}
        for k, v in snapshot(instance).items()
        if v not in (None, "", [], False)
    ]
    for name in many:
        values = sorted(str(item) for item in getattr(instance, name).all())
        if values:
            changes.append({"field": name, "old": None, "new": values})
    return record(action, user=user, actor=actor, case=case, obj=instance, changes=changes)


def erase_case_values(case_id: int, *, case_reference: str = "", user=None, actor="") -> int:
    """Erase every value the trail holds for a case, leaving its entries and the chain whole,
    and record that it was done. Returns the number of entries whose values were erased."""
    with transaction.atomic():
        erased, _ = AuditValue.objects.filter(case_id=case_id).delete()
        entry = _entry(
            "audit.values_erased", user=user, actor=actor, case=None, obj=None, changes=None,
            note="",
        )  # fmt: skip
        entry.case_id, entry.case_reference, entry.object_id = case_id, case_reference, str(erased)
        event, _ = _seal(entry, _lock_chain(), timezone.now())
        event.save(force_insert=True)
    _remember([(case_id, case_reference)])
    return erased


def erase_object_values(
    object_type: str, object_ids: Iterable, *, case_reference: str = "", user=None, actor=""
) -> int:
    """Erase the values the trail holds for entries about these objects (people erased with
    the only case that named them, whose entries are keyed by no case), and record that it was
    done, naming how many and of what, never whom. Returns the number erased."""
    ids = [str(pk) for pk in object_ids]
    if not ids:
        return 0
    with transaction.atomic():
        erased, _ = AuditValue.objects.filter(
            event__object_type=object_type, event__object_id__in=ids
        ).delete()
        entry = _entry(
            "audit.values_erased", user=user, actor=actor, case=None, obj=None, changes=None,
            note="",
        )  # fmt: skip
        entry.case_reference, entry.object_type, entry.object_id = (
            case_reference,
            object_type,
            str(erased),
        )
        event, _ = _seal(entry, _lock_chain(), timezone.now())
        event.save(force_insert=True)
    return erased
