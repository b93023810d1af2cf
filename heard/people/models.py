"""People: complainants, children and representatives, each linked to every case they appear in.

A case keeps the names and contact details it was logged with (its own columns, which reports,
exports and the public form already use); a :class:`Person` is who those details belong to, and
a :class:`CaseLink` says that this person was the complainant, the child or the representative on
that case. Links live here, not as columns on cases, so that the cases app does not depend on
people.

People are never deleted by a merge: the person merged away keeps its row, points at the person
it was merged into, and a :class:`Merge` row keeps what it looked like and which links moved.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from heard.cases.models import Case
from heard.people import matching
from heard.taxonomy.models import Term


class Role(models.TextChoices):
    COMPLAINANT = "complainant", "Complainant"
    CHILD = "child", "Child"
    REPRESENTATIVE = "representative", "Representative"


class PersonQuerySet(models.QuerySet):
    def current(self):
        """People not merged into someone else."""
        return self.filter(merged_into__isnull=True)

    def visible_to(self, user):
        """People linked to at least one case the user may see (through the cases' own scope,
        ``Case.objects.visible_to``); nobody else, not even by count."""
        cases = Case.objects.visible_to(user).values("pk")
        return self.filter(
            pk__in=CaseLink.objects.filter(case__in=cases).values("person_id")
        ).current()


class Person(models.Model):
    name = models.CharField(max_length=200)
    #: ``matching.name_key(name)``, kept for matching and suggestions.
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    date_of_birth = models.DateField(null=True, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    address = models.TextField(blank=True)
    #: The postcode of the address, written the standard way ("SW1A 1AA").
    postcode = models.CharField(max_length=10, blank=True, db_index=True, editable=False)
    # Representatives
    representative_type = models.ForeignKey(
        Term, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.CharField(
        max_length=200, blank=True, help_text="Party, council, firm or advocacy service."
    )
    constituency = models.CharField(
        max_length=200, blank=True, help_text="An MP's constituency or a councillor's ward."
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["email"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = matching.name_key(self.name)
        self.postcode = matching.postcode(self.address)
        super().save(*args, **kwargs)

    @property
    def is_representative(self) -> bool:
        return self.representative_type_id is not None


class CaseLink(models.Model):
    """This person was the complainant, the child or the representative on this case."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="links")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="people_links")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "role"]
        constraints = [
            models.UniqueConstraint(fields=["case", "role"], name="people_caselink_one_per_role")
        ]
        indexes = [models.Index(fields=["person", "case"])]


class Merge(models.Model):
    """One person merged into another: who, when, why, and what the merged record held."""

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_away")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()
    #: The merged person's details as they were, and the ids of the links moved.
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["-merged_at", "-id"]


class Persistence(models.TextChoices):
    PERSISTENT = "persistent", "Persistent"
    UNREASONABLY_PERSISTENT = "unreasonably_persistent", "Unreasonably persistent"


class ContactArrangement(models.Model):
    """A decision that someone is a persistent (or unreasonably persistent) complainant, as the
    Ombudsman's guidance describes, and how the council will be in contact with them while it
    lasts. Ending it keeps the row."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="arrangements")
    level = models.CharField(max_length=30, choices=Persistence.choices)
    reason = models.TextField()
    single_point_of_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    channels = models.CharField(
        max_length=300, help_text="How they may contact the council, such as “E-mail only”."
    )
    frequency = models.CharField(
        max_length=300, blank=True, help_text="Such as “One telephone call a week”."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField()
    review_on = models.DateField(db_index=True)
    ended_on = models.DateField(null=True, blank=True)
    ended_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-decided_on", "-id"]

    @property
    def is_active(self) -> bool:
        return self.ended_on is None
