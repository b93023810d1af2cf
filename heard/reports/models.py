"""What reports keep: the council's context figures, saved custom tables, and editions.

A published edition is frozen: its figures and text are stored as the JSON of the whole
report when it is published and never recomputed, so later corrections to case data do not
change what a committee was given. A correction is a new edition.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ContextFigure(models.Model):
    """A figure the council enters for a reporting year (contacts, referrals, children in
    need, looked-after children…) so that the report can set complaints against it."""

    code = models.SlugField(max_length=60, help_text="A stable identifier, e.g. children-in-need.")
    label = models.CharField(max_length=200, help_text="The council's own wording.")
    year = models.PositiveSmallIntegerField(help_text="The reporting year it belongs to.")
    value = models.DecimalField(max_digits=12, decimal_places=2)
    as_at = models.DateField(null=True, blank=True, help_text="For a count on a day (31 March).")
    source = models.CharField(max_length=300, blank=True)
    #: Complaint rates are given against figures marked as a base (per 1,000 children…).
    rate_base = models.BooleanField(
        default=False, help_text="Report complaints as a rate of this figure."
    )
    order = models.PositiveIntegerField(default=0)
    #: Optimistic locking, as for cases: a change must name the version it started from.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["year", "order", "label"]
        constraints = [
            models.UniqueConstraint(fields=["code", "year"], name="context_unique_code_year")
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.year})"


class CategoryGroup(models.Model):
    """A named group of focus categories the council reports as one figure ("staff behaviour,
    attitude or communication"): each complaint in any of them is counted once."""

    name = models.CharField(max_length=200, help_text="The council's own wording.")
    code = models.SlugField(max_length=60, unique=True, help_text="A stable identifier.")
    categories = models.ManyToManyField(
        "taxonomy.Term",
        related_name="category_groups",
        limit_choices_to={"vocabulary": "category"},
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class SavedTable(models.Model):
    """A custom table a member of staff built: a measure broken down by a dimension."""

    name = models.CharField(max_length=200)
    #: The definition, validated by ``heard.reports.custom.TableSpec``.
    spec = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Edition(models.Model):
    """One edition of a report for a year: a draft whose narrative staff edit, then published
    (frozen)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    report = models.CharField(max_length=40, help_text="Which report: annual, scrutiny, lgsco.")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    #: Publication mode: small numbers suppressed, no unpublishable text.
    publication = models.BooleanField(default=True)
    #: The staff's text for each section, by section id (empty: use the drafted paragraph).
    narrative = models.JSONField(default=dict, blank=True)
    #: Cases whose anonymised case study staff chose for this edition.
    case_studies = models.JSONField(default=list, blank=True)
    custom_tables = models.ManyToManyField(SavedTable, blank=True, related_name="editions")
    #: Which complaints outcome figures count and which outcome each has
    #: (``heard.reports.definitions.OUTCOME_BASES``).
    outcome_basis = models.CharField(max_length=20, default="latest")
    #: Ids of the sections the council switched off for this edition.
    sections_off = models.JSONField(default=list, blank=True)
    #: The whole report as JSON, written when the edition is published and never after.
    frozen = models.JSONField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["report", "-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "year", "number"], name="edition_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.year} edition {self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED
