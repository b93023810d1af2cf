"""The append-only, hash-chained audit trail; the personal values it refers to, held apart;
and the security log of what unauthenticated callers did.

Rows of the trail are written explicitly by the service layer, in the same transaction as the
change they describe (see ``heard/audit/services.py``). Nothing may change or delete one: the
model refuses it, the admin shows the trail read-only, and the database itself refuses UPDATE,
DELETE (and on PostgreSQL TRUNCATE) through triggers (migration ``0005``). Each entry carries the
hash of the one before, so ``heard audit verify`` shows whether anything was altered anyway.

The values an entry records (old and new field values, the note) are kept in ``AuditValue``,
one row per entry, keyed by case, and the entry holds only their digests: erasing a case's
values (``services.erase_case_values``) removes what was personal and leaves the chain whole.
See docs/decisions/0024-audit-values-held-apart-and-chained.md.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from heard.audit.chain import timestamp

#: Shown in place of a value that has been erased.
ERASED = "(erased)"


def erased_changes(digests: list[dict]) -> list[dict[str, Any]]:
    """An entry's changes once its values are erased: each field kept, its values not."""
    return [{"field": d["field"], "old": ERASED, "new": ERASED} for d in digests]


def erased_note(note_digest: str) -> str:
    """An entry's note once its values are erased: that there was one, not what it said."""
    return ERASED if note_digest else ""


class AuditTrailIsAppendOnly(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditTrailIsAppendOnly("The audit trail cannot be changed.")

    def delete(self):
        raise AuditTrailIsAppendOnly("The audit trail cannot be deleted.")

    def for_case(self, case_id: int):
        """A case's entries with their held values, in one query."""
        return self.filter(case_id=case_id).select_related("held")


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    #: Who or what acted when it was not a signed-in user ("system", "import", "public form").
    actor = models.CharField(max_length=100, blank=True)
    #: A stable dotted code such as ``case.created`` or ``stage.extended``.
    action = models.CharField(max_length=100, db_index=True)
    #: The case the event belongs to, kept as plain values so that the trail outlives the case.
    case_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    case_reference = models.CharField(max_length=50, blank=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=50, blank=True)
    #: Which fields changed: a list of {"field": ..., "old": digest, "new": digest}; the
    #: values themselves are held in ``AuditValue``.
    digests = models.JSONField(default=list, blank=True)
    note_digest = models.CharField(max_length=32, blank=True)
    #: The chain: the previous entry's hash, and this entry's (see heard/audit/chain.py).
    prev_hash = models.CharField(max_length=64, unique=True)
    entry_hash = models.CharField(max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditTrailIsAppendOnly("An audit event cannot be changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly("An audit event cannot be deleted.")

    def chained_content(self) -> dict[str, Any]:
        """What the entry's hash covers: everything but its id and the values held apart."""
        return {
            "at": timestamp(self.at),
            "user": self.user_id,
            "actor": self.actor,
            "action": self.action,
            "case_id": self.case_id,
            "case_reference": self.case_reference,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "digests": self.digests,
            "note": self.note_digest,
        }

    @property
    def held_values(self) -> AuditValue | None:
        try:
            return self.held
        except AuditValue.DoesNotExist:
            return None

    @property
    def values_erased(self) -> bool:
        return self.held_values is None and bool(self.digests or self.note_digest)

    @property
    def changes(self) -> list[dict[str, Any]]:
        """[{"field", "old", "new"}] with the values, or ``ERASED`` once they are erased."""
        held = self.held_values
        if held is not None:
            return held.changes
        return erased_changes(self.digests)

    @property
    def note(self) -> str:
        held = self.held_values
        if held is not None:
            return held.note
        return erased_note(self.note_digest)

    @property
    def who(self) -> str:
        if self.user_id:
            return str(self.user)
        return self.actor or "System"


class AuditValueQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditTrailIsAppendOnly("Held audit values cannot be changed, only erased.")


class AuditValue(models.Model):
    """The values one audit entry records, held apart so that they can be erased with the case
    (and only so: the database refuses UPDATE)."""

    event = models.OneToOneField(
        AuditEvent, on_delete=models.PROTECT, primary_key=True, related_name="held"
    )
    case_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    #: The key of the digests in the entry (hex); erased with the values.
    salt = models.CharField(max_length=32)
    #: [{"field": ..., "old": value, "new": value}]
    changes = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)

    objects = AuditValueQuerySet.as_manager()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditTrailIsAppendOnly("Held audit values cannot be changed, only erased.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)


class SecurityEvent(models.Model):
    """What unauthenticated callers did, counted rather than kept one row a request.

    One row per kind of event, address and ten-minute window, with a count; past a limit of
    addresses in a window, further addresses share one row (address ``*``). Rows older than
    ``HEARD_SECURITY_LOG_DAYS`` are removed as new windows open. See heard/audit/security.py.
    """

    kind = models.CharField(max_length=100)
    address = models.CharField(max_length=64)
    window = models.DateTimeField(db_index=True)
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    count = models.PositiveIntegerField(default=1)
    #: The first request of the window, shortened: "GET /api/v1/cases".
    sample = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-window", "kind", "address"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "address", "window"], name="audit_securityevent_one_per_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.window:%Y-%m-%d %H:%M} {self.kind} {self.address} ×{self.count}"
