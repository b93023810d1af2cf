"""How long the council keeps each kind of case, the legal holds that stop a case being
anonymised, and the review of cases that have reached the end of their time.

* :class:`RetentionRule`: keep cases of this kind (and procedure, and final outcome, where
  given) for so many years after they were closed. The most specific rule wins
  (``heard/retention/schedule.py``); defaults ship for every kind.
* :class:`LegalHold`: a case that must not be anonymised (a claim, an Ombudsman or court
  matter, an inquiry). Lifting one keeps the row, with who lifted it and why.
* :class:`Review`: a case past its time, listed by ``heard worker`` for a complaints manager;
  approved, it is anonymised by the worker (``heard/retention/anonymise.py``).

See docs/security.md (Retention) and docs/decisions/0030-anonymise-everything-not-kept.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from heard.cases.choices import Finding, Kind, Procedure


class RetentionRule(models.Model):
    kind = models.CharField(max_length=30, choices=Kind.choices)
    procedure = models.CharField(
        max_length=30, choices=Procedure.choices, blank=True, help_text="Any procedure if empty."
    )
    outcome = models.CharField(
        "Final outcome",
        max_length=20,
        choices=Finding.choices,
        blank=True,
        help_text="The outcome of the last stage answered; any outcome if empty.",
    )
    years = models.PositiveSmallIntegerField("Years after closure")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "procedure", "outcome"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "procedure", "outcome"], name="retention_rule_unique"
            )
        ]

    def __str__(self) -> str:
        what = [self.get_kind_display()]
        if self.procedure:
            what.append(self.get_procedure_display().lower())
        if self.outcome:
            what.append(self.get_outcome_display().lower())
        return f"{', '.join(what)}: {self.years} years"

    @property
    def specificity(self) -> int:
        return bool(self.procedure) + bool(self.outcome)


class LegalHold(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="legal_holds")
    reason = models.TextField()
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField()
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(lifted_at__isnull=True),
                name="retention_one_active_hold_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"Legal hold on case {self.case_id}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class Review(models.Model):
    """A case that has reached the end of its retention period, and what was decided."""

    class Status(models.TextChoices):
        DUE = "due", "Due for review"
        APPROVED = "approved", "Approved: to be anonymised"
        ANONYMISED = "anonymised", "Anonymised"

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="retention_review"
    )
    due_on = models.DateField()
    #: The rule that made it due, in words, as it was then.
    rule = models.CharField(max_length=300)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DUE)
    listed_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"Retention review of case {self.case_id}"
