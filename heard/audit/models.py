"""The append-only audit trail.

Rows are written explicitly by the service layer, in the same transaction as the change they
describe (see ``heard/audit/services.py``). Nothing may change or delete a row: the model refuses
it, the admin shows the trail read-only, and the database itself refuses UPDATE (a trigger added
in migration 0002).
"""

from django.conf import settings
from django.db import models


class AuditTrailIsAppendOnly(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditTrailIsAppendOnly("The audit trail cannot be changed.")

    def delete(self):
        raise AuditTrailIsAppendOnly("The audit trail cannot be deleted.")

    def for_case(self, case_id: int):
        return self.filter(case_id=case_id)


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
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
    #: A list of {"field": ..., "old": ..., "new": ...}.
    changes = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditTrailIsAppendOnly("An audit event cannot be changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly("An audit event cannot be deleted.")

    @property
    def who(self) -> str:
        if self.user_id:
            return str(self.user)
        return self.actor or "System"
