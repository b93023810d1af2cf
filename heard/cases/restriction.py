"""Restricted cases: a case only the named people may reach.

A complaints manager restricts a case (for example a complaint about a member of the
complaints team) to named people, with a reason. The rule is applied once, in the case scope
(``heard.cases.access.case_scope``, through :func:`restriction_filter`, and its list of ids
``visible_case_ids``, through :func:`hidden_cases`), so every page, tracker,
export, API call, dashboard count, digest and search that reaches cases through the scope
leaves the case out for everyone else, whatever their role. The few places that read cases
for no particular user use the helpers here:

* reminders go to the person allocated, who must be one of the named people
  (:func:`reachable_by_allocated`);
* reports count a restricted case like any other but never print its words (case study,
  compliment quote, lessons): :func:`withhold_text`.

Every change is audited: ``case.restricted``, ``case.restriction_changed``,
``case.unrestricted``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from heard.accounts import roles
from heard.audit import services as audit
from heard.cases.access_models import Restriction
from heard.cases.workflow import TransitionRefused


class RestrictionRefused(TransitionRefused):
    """The restriction cannot be made or changed as asked; the message says why."""


def restriction_filter(user) -> Q:
    """A filter on cases: unrestricted, or restricted to ``user``."""
    return ~Q(pk__in=Restriction.objects.values("case_id")) | Q(
        pk__in=Restriction.objects.filter(people=user).values("case_id")
    )


def hidden_cases(user):
    """The ids of the restricted cases ``user`` is not named on, as a queryset of case ids
    (the same cases ``restriction_filter`` leaves out)."""
    return Restriction.objects.exclude(people=user).order_by().values("case_id")


def reachable_by_allocated(cases):
    """``cases`` less the restricted ones whose allocated person is not named on them (for
    reminders, which go to the person allocated)."""
    named = Restriction.people.through.objects.filter(
        restriction__case=OuterRef("pk"), user=OuterRef("allocated_to")
    )
    return cases.filter(~Q(pk__in=Restriction.objects.values("case_id")) | Exists(named))


def hidden_case_ids(user) -> set[int]:
    """The restricted cases ``user`` is not named on, as a set of ids."""
    return {row["case_id"] for row in hidden_cases(user)}


def hidden_references(user) -> set[str]:
    """The references of the restricted cases ``user`` is not named on."""
    return set(Restriction.objects.exclude(people=user).values_list("case__reference", flat=True))


def mentioning_hidden_cases(user, *fields: str) -> Q:
    """A filter matching rows whose text ``fields`` mention a case restricted to people other
    than ``user`` (for the outbox in the admin site)."""
    found = Q(pk__in=[])
    for reference in hidden_references(user):
        for name in fields:
            found |= Q(**{f"{name}__contains": reference})
    return found


def restriction_of(case) -> Restriction | None:
    try:
        return case.restriction
    except Restriction.DoesNotExist:
        return None


def is_named(case, user) -> bool:
    """Whether ``user`` may reach ``case`` as far as its restriction goes (True when the case
    is not restricted)."""
    restriction = restriction_of(case)
    return restriction is None or restriction.people.filter(pk=user.pk).exists()


def check_can_be_given(case, person, *, what: str = "allocated") -> None:
    """Refuse to give a restricted case to someone not named on it (allocation, responder)."""
    if person is None:
        return
    restriction = restriction_of(case)
    if restriction is not None and not restriction.people.filter(pk=person.pk).exists():
        raise RestrictionRefused(
            f"{case.reference} is restricted, and {person} is not one of the people it is "
            f"restricted to. Add them to the restriction before they can be {what} it."
        )


def _people_label(people: Iterable) -> list[str]:
    return sorted(str(p) for p in people)


def _check(case, people: list, reason: str, user) -> list:
    if not roles.can_restrict_cases(user):
        raise RestrictionRefused("Only a complaints manager can restrict a case.")
    if not reason.strip():
        raise RestrictionRefused("Give the reason for restricting the case.")
    people = {p.pk: p for p in [*people, user]}
    # Someone already named who has since left or changed role stays named until removed.
    current = restriction_of(case)
    already = set(current.people.values_list("pk", flat=True)) if current is not None else set()
    unsuitable = [
        p
        for p in people.values()
        if p.pk not in already and not (p.is_active and roles.can_read_cases(p))
    ]
    if unsuitable:
        raise RestrictionRefused(
            f"{unsuitable[0]} cannot read cases, so a case cannot be restricted to them."
        )
    needed = [case.allocated_to] if case.allocated_to_id else []
    needed += [s.responder for s in case.stages.select_related("responder") if s.responder_id]
    for person in needed:
        if person.pk not in people:
            raise RestrictionRefused(
                f"{person} is allocated this case or answers one of its stages: include them, "
                "or allocate it to someone else first."
            )
    return sorted(people.values(), key=str)


def _locked(case):
    from heard.cases.models import Case

    return Case.objects.select_for_update().get(pk=case.pk)


@transaction.atomic
def restrict(case, *, people: list, reason: str, user) -> Restriction:
    """Restrict ``case`` to ``people`` (the user restricting it is always one of them), or
    change who they are and why when it is already restricted."""
    case = _locked(case)
    people = _check(case, list(people), reason, user)
    restriction = restriction_of(case)
    if restriction is None:
        restriction = Restriction.objects.create(case=case, reason=reason, restricted_by=user)
        restriction.people.set(people)
        audit.record(
            "case.restricted",
            user=user,
            case=case,
            obj=case,
            changes=[{"field": "restricted to", "old": None, "new": _people_label(people)}],
            note=reason,
        )
        return restriction
    before = _people_label(restriction.people.all())
    changes = []
    if before != _people_label(people):
        changes.append({"field": "restricted to", "old": before, "new": _people_label(people)})
    if restriction.reason != reason:
        changes.append(
            {"field": "reason for the restriction", "old": restriction.reason, "new": reason}
        )
    if not changes:
        return restriction
    restriction.reason = reason
    restriction.save(update_fields=["reason"])
    restriction.people.set(people)
    audit.record(
        "case.restriction_changed", user=user, case=case, obj=case, changes=changes, note=reason
    )
    return restriction


@transaction.atomic
def lift(case, *, reason: str, user) -> None:
    """Lift the restriction: the case is reached by the usual rules again."""
    case = _locked(case)
    if not roles.can_restrict_cases(user):
        raise RestrictionRefused("Only a complaints manager can lift a restriction.")
    restriction = restriction_of(case)
    if restriction is None:
        raise RestrictionRefused(f"{case.reference} is not restricted.")
    if not reason.strip():
        raise RestrictionRefused("Give the reason for lifting the restriction.")
    before = _people_label(restriction.people.all())
    restriction.delete()
    audit.record(
        "case.unrestricted",
        user=user,
        case=case,
        obj=case,
        changes=[{"field": "restricted to", "old": before, "new": None}],
        note=reason,
    )


def restricted_ids() -> set[int]:
    return set(Restriction.objects.values_list("case_id", flat=True))


def withhold_text(cases) -> None:
    """Blank the words of restricted cases in report data (``heard.reports.data``): the case
    study, a compliment's quote and the lessons, so that a report counts a restricted case but
    never prints anything from it."""
    hidden = restricted_ids()
    if not hidden:
        return
    for case in cases:
        if case.id not in hidden:
            continue
        case.case_study, case.case_study_publishable = "", False
        case.quote, case.quote_publishable = "", False
        for learning in case.learning:
            learning.lesson, learning.publishable = "", False
