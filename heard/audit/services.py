"""Writing the audit trail. Call these from service functions, inside their transaction."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from heard.audit.models import AuditEvent


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
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"id", "version", "updated_at", "created_at"}:
            continue
        if field.is_relation:
            related_id = getattr(instance, field.attname)
            result[field.name] = str(getattr(instance, field.name)) if related_id else None
        else:
            result[field.name] = _plain(getattr(instance, field.attname))
    return result


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {"field": name, "old": before.get(name), "new": after.get(name)}
        for name in after
        if before.get(name) != after.get(name)
    ]


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
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return AuditEvent.objects.create(
        user=user,
        actor=actor,
        action=action,
        case_id=case.pk if case is not None else None,
        case_reference=getattr(case, "reference", "") if case is not None else "",
        object_type=obj._meta.model_name if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        changes=[{key: _plain(value) for key, value in change.items()} for change in changes or []],
        note=note,
    )


def record_created(action: str, instance: models.Model, *, case=None, user=None, actor=""):
    changes = [
        {"field": k, "old": None, "new": v}
        for k, v in snapshot(instance).items()
        if v not in (None, "", [], False)
    ]
    return record(action, user=user, actor=actor, case=case, obj=instance, changes=changes)
