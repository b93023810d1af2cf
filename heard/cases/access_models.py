"""Who may reach a case, and who must approve its response.

* :class:`Restriction`: a case restricted to named people (for example a complaint about a
  member of the complaints team). ``Case.objects.visible_to`` leaves it out for everyone else,
  so every page, list, export, API call, reminder and count that reaches cases through that
  scope leaves it out too. See ``heard/cases/restriction.py``.
* :class:`ApprovalRule` and :class:`ApprovalStep`: a council may require, per procedure and
  stage, a check by the complaints team and a senior manager's sign-off before a response date
  can be recorded. See ``heard/cases/approvals.py``.

Imported by ``heard/cases/models.py`` so that Django finds them; they refer to ``Case`` and
``Stage`` by name to avoid a circular import.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from heard.cases.choices import Procedure


class Restriction(models.Model):
    """A case only the named people may reach. One per case; lifting it deletes the row (the
    audit trail keeps who restricted it, to whom, why, and who lifted it)."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="restriction")
    people = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="restricted_cases")
    reason = models.TextField()
    restricted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    restricted_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Restriction of case {self.case_id}"


class ApprovalRule(models.Model):
    """For one procedure and stage: what must happen before its response date is recorded."""

    procedure = models.CharField(max_length=30, choices=Procedure.choices)
    stage_number = models.PositiveSmallIntegerField()
    team_check = models.BooleanField(
        "Checked by the complaints team",
        default=False,
        help_text="A complaints officer or manager checks the response before it is sent.",
    )
    sign_off = models.BooleanField(
        "Signed off by a senior manager",
        default=False,
        help_text="One of the named senior managers signs the response off before it is sent.",
    )
    signers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name="Senior managers who may sign off",
    )

    class Meta:
        ordering = ["procedure", "stage_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "stage_number"], name="approval_rule_unique_stage"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_procedure_display()}, stage {self.stage_number}"

    @property
    def requires_anything(self) -> bool:
        return self.team_check or self.sign_off


class ApprovalStep(models.Model):
    """One recorded step of a response's approval: never changed once written. A step sent
    back starts the approval again (a new check, then a new sign-off)."""

    class Step(models.TextChoices):
        CHECK = "check", "Complaints team check"
        SIGN_OFF = "sign_off", "Senior manager's sign-off"

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Sent back"

    stage = models.ForeignKey("cases.Stage", on_delete=models.CASCADE, related_name="approvals")
    step = models.CharField(max_length=10, choices=Step.choices)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["stage", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_step_display()}: {self.get_decision_display()}"
