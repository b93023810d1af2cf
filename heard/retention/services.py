"""Changing the retention schedule, legal holds and reviews; each change audited in the same
transaction."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from heard.audit import services as audit
from heard.cases.choices import Procedure, Status
from heard.cases.models import Case
from heard.retention import schedule
from heard.retention.anonymise import AnonymiseRefused, anonymise, purge_search_remnants
from heard.retention.models import LegalHold, RetentionRule, Review


class RetentionRefused(Exception):
    """The change cannot be made as asked; the message says why."""


def _rule_values(rule: RetentionRule) -> dict:
    return {"rule": str(rule), "note": rule.note}


@transaction.atomic
def set_rule(*, kind: str, procedure: str = "", outcome: str = "", years: int, note: str = "",
             user) -> RetentionRule:  # fmt: skip
    if not 1 <= years <= 150:
        raise RetentionRefused("Enter a number of years from 1 to 150")
    rule = RetentionRule.objects.filter(kind=kind, procedure=procedure, outcome=outcome).first()
    before = _rule_values(rule) if rule else {}
    if rule is None:
        rule = RetentionRule(kind=kind, procedure=procedure, outcome=outcome)
    rule.years, rule.note = years, note
    rule.save()
    audit.record(
        "retention.rule_set", user=user, obj=rule, changes=audit.diff(before, _rule_values(rule))
    )
    return rule


@transaction.atomic
def remove_rule(rule: RetentionRule, *, user) -> None:
    if not rule.procedure and not rule.outcome:
        raise RetentionRefused(
            "A kind's own rule cannot be removed: change its number of years instead"
        )
    audit.record(
        "retention.rule_removed",
        user=user,
        obj=rule,
        changes=audit.diff(_rule_values(rule), {"rule": None, "note": None}),
    )
    rule.delete()


def use_childrens_social_care_period(*, user) -> RetentionRule:
    """The longer period for complaints under the children's statutory procedure."""
    return set_rule(
        kind="complaint",
        procedure=Procedure.CHILDRENS_STATUTORY,
        years=schedule.CHILDRENS_SOCIAL_CARE_YEARS,
        note="Children's social care",
        user=user,
    )


def active_hold(case: Case) -> LegalHold | None:
    return LegalHold.objects.filter(case=case, lifted_at__isnull=True).first()


@transaction.atomic
def place_hold(case: Case, *, reason: str, user) -> LegalHold:
    if not reason.strip():
        raise RetentionRefused("Enter why the case is on legal hold")
    if active_hold(case) is not None:
        raise RetentionRefused("The case is already on legal hold")
    review = Review.objects.filter(case=case).first()
    if review is not None and review.status == Review.Status.ANONYMISED:
        raise RetentionRefused("The case has been anonymised: there is nothing left to hold")
    hold = LegalHold.objects.create(
        case=case, reason=reason, placed_by=user, placed_at=timezone.now()
    )
    if review is not None:
        review.delete()  # listed again, if still due, once the hold is lifted
    audit.record("retention.hold_placed", user=user, case=case, obj=hold, note=reason)
    return hold


@transaction.atomic
def lift_hold(case: Case, *, reason: str, user) -> LegalHold:
    hold = active_hold(case)
    if hold is None:
        raise RetentionRefused("The case is not on legal hold")
    if not reason.strip():
        raise RetentionRefused("Enter why the legal hold is lifted")
    hold.lifted_at, hold.lifted_by, hold.lift_reason = timezone.now(), user, reason
    hold.save()
    audit.record("retention.hold_lifted", user=user, case=case, obj=hold, note=reason)
    return hold


def list_due(today: datetime.date | None = None) -> int:
    """List the cases past their retention period for review (``heard worker``); returns how
    many were newly listed. Nothing is changed on the cases."""
    today = today or timezone.localdate()
    # A case reopened since it was listed is no longer due.
    Review.objects.filter(status=Review.Status.DUE).exclude(case__status=Status.CLOSED).delete()
    listed = 0
    for case_id, due, rule in schedule.due_cases(today):
        with transaction.atomic():
            case = Case.objects.get(pk=case_id)
            review, created = Review.objects.get_or_create(
                case=case, defaults={"due_on": due, "rule": str(rule), "listed_at": timezone.now()}
            )
            if created:
                audit.record(
                    "retention.listed", actor="heard worker", case=case, obj=review,
                    note=f"Due for review on {due:%-d %B %Y} ({rule})",
                )  # fmt: skip
                listed += 1
    return listed


@transaction.atomic
def approve(reviews, *, user) -> int:
    """Approve these due reviews for anonymisation by the worker; returns how many."""
    approved = 0
    for review in reviews:
        review = Review.objects.select_for_update().get(pk=review.pk)
        if review.status != Review.Status.DUE:
            continue
        if active_hold(review.case) is not None:
            raise RetentionRefused(f"{review.case.reference} is on legal hold")
        review.status, review.approved_by, review.approved_at = (
            Review.Status.APPROVED,
            user,
            timezone.now(),
        )
        review.save()
        audit.record("retention.approved", user=user, case=review.case, obj=review)
        approved += 1
    return approved


def anonymise_approved(limit: int = 100) -> tuple[int, int]:
    """Anonymise approved cases (``heard worker``), each in its own transaction; a case put
    on hold since is skipped and goes back to review. Returns (anonymised, skipped)."""
    done = skipped = 0
    approved = Review.objects.filter(status=Review.Status.APPROVED).select_related("case")
    for review in approved.order_by("approved_at", "pk")[:limit]:
        try:
            anonymise(review.case, user=review.approved_by)
        except AnonymiseRefused:
            Review.objects.filter(pk=review.pk).delete()
            skipped += 1
        else:
            done += 1
    if done:
        purge_search_remnants()
    return done, skipped
