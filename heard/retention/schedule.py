"""The retention schedule: which rule applies to a case, and which cases are past their time.

A rule names a kind of case and, optionally, a procedure and a final outcome (the outcome of
the last stage answered). The most specific rule that matches a case applies: one naming
procedure and outcome beats one naming either, which beats the kind's own rule. A kind with
no rule at all keeps its cases for :data:`DEFAULT_YEARS`.
"""

from __future__ import annotations

import datetime

from django.db.models import OuterRef, Subquery

from heard.cases.choices import Kind, Status
from heard.cases.models import Case, Stage
from heard.retention.models import LegalHold, RetentionRule, Review

#: Six years after closure: the limitation period for most claims, and what the LGA's
#: retention guidance suggests for complaints records.
DEFAULT_YEARS = 6
#: The longer period a council may choose for complaints under the children's statutory
#: procedure (children's social care records are kept far longer than other records; a council
#: sets its own period on the schedule page).
CHILDRENS_SOCIAL_CARE_YEARS = 25


def default_rules() -> list[dict]:
    """What ships: every kind kept six years after closure."""
    return [{"kind": kind, "procedure": "", "outcome": "", "years": DEFAULT_YEARS} for kind in Kind]


def years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class Schedule:
    """The council's rules, read once."""

    def __init__(self, rules=None):
        rules = list(RetentionRule.objects.all() if rules is None else rules)
        self.rules = sorted(rules, key=lambda r: -r.specificity)

    def rule_for(self, kind: str, procedure: str, outcome: str) -> RetentionRule:
        for rule in self.rules:
            if rule.kind != kind:
                continue
            if rule.procedure and rule.procedure != procedure:
                continue
            if rule.outcome and rule.outcome != outcome:
                continue
            return rule
        return RetentionRule(kind=kind, years=DEFAULT_YEARS, note="Heard's default")

    def due_on(self, closed_on: datetime.date, kind: str, procedure: str, outcome: str):
        rule = self.rule_for(kind, procedure, outcome)
        return years_after(closed_on, rule.years), rule

    @property
    def shortest(self) -> int:
        return min([DEFAULT_YEARS, *(r.years for r in self.rules)])


def final_outcome_subquery():
    return Subquery(
        Stage.objects.filter(case=OuterRef("pk"), responded_on__isnull=False)
        .order_by("-number")
        .values("outcome")[:1]
    )


def on_hold_ids():
    return LegalHold.objects.filter(lifted_at__isnull=True).values("case_id")


def due_cases(today: datetime.date) -> list[tuple[int, datetime.date, RetentionRule]]:
    """Closed cases past their retention period, not on legal hold and not yet listed:
    ``(case id, due date, rule)``."""
    schedule = Schedule()
    earliest_close = years_after(today, -schedule.shortest)
    rows = (
        Case.objects.filter(status=Status.CLOSED, closed_on__isnull=False)
        .filter(closed_on__lte=earliest_close)
        .exclude(pk__in=on_hold_ids())
        .exclude(pk__in=Review.objects.values("case_id"))
        .annotate(final_outcome=final_outcome_subquery())
        .values_list("pk", "kind", "procedure", "closed_on", "final_outcome")
        .order_by("closed_on", "pk")
    )
    found = []
    for pk, kind, procedure, closed_on, outcome in rows.iterator():
        due, rule = schedule.due_on(closed_on, kind, procedure or "", outcome or "")
        if due <= today:
            found.append((pk, due, rule))
    return found
