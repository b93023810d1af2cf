"""What the retention pages and the case page show."""

from __future__ import annotations

from heard.accounts import roles
from heard.cases.choices import Kind
from heard.retention import schedule
from heard.retention.models import LegalHold, RetentionRule, Review


def schedule_rows() -> list[dict]:
    """Every kind, its own rule, and the more specific rules under it."""
    rules = list(RetentionRule.objects.all())
    rows = []
    for kind in Kind:
        own = next((r for r in rules if r.kind == kind and r.specificity == 0), None)
        rows.append(
            {
                "rule": own,
                "label": kind.label,
                "years": own.years if own else schedule.DEFAULT_YEARS,
                "note": own.note if own else "Heard's default",
                "removable": False,
            }
        )
        for rule in rules:
            if rule.kind == kind and rule.specificity:
                rows.append(
                    {
                        "rule": rule,
                        "label": str(rule).rsplit(":", 1)[0],
                        "years": rule.years,
                        "note": rule.note,
                        "removable": True,
                    }
                )
    return rows


def review_lists(user) -> dict:
    """The reviews of the cases ``user`` may see (a restricted case only for those named)."""
    from heard.cases.models import Case

    reviews = (
        Review.objects.filter(case__in=Case.objects.visible_to(user))
        .select_related("case", "approved_by")
        .order_by("due_on", "pk")
    )
    return {
        "due": list(reviews.filter(status=Review.Status.DUE)),
        "approved": list(reviews.filter(status=Review.Status.APPROVED)),
        "anonymised": list(
            reviews.filter(status=Review.Status.ANONYMISED).order_by("-anonymised_at")[:50]
        ),
    }


def case_panel(case, user, stages, *, holds: bool = True, review: bool = True) -> dict:
    """The retention panel of the case page: hold, review, the rule and when it falls due
    (``stages``: the page's stages, already read). One query for an open case, three for a
    closed one; none for the hold or the review when ``holds`` or ``review`` is False (the
    case has none: see ``heard.cases.presence``), and none for the rule but for those who
    may change the retention (the only ones shown how long the case is kept)."""
    panel = {
        "hold": None,
        "review": None,
        "anonymised": False,
        "rule": None,
        "due_on": None,
        "can_change": roles.can_administer(user),
    }
    if holds:
        hold = LegalHold.objects.filter(case=case, lifted_at__isnull=True)
        panel["hold"] = hold.select_related("placed_by").first()
    if case.closed_on is not None:
        review = _review_of(case) if review else None
        panel.update(
            review=review,
            anonymised=review is not None and review.status == Review.Status.ANONYMISED,
        )
        if panel["can_change"]:
            answered = [s for s in stages if s.responded_on is not None]
            outcome = answered[-1].outcome if answered else ""
            rule = schedule.Schedule().rule_for(case.kind, case.procedure or "", outcome or "")
            panel.update(rule=rule, due_on=schedule.years_after(case.closed_on, rule.years))
    return panel


def _review_of(case) -> Review | None:
    try:
        return case.retention_review
    except Review.DoesNotExist:
        return None
