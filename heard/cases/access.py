"""The one way anything reaches a case on someone's behalf: through the user's scope.

:func:`case_scope` is the rule (``Case.objects.visible_to(user)`` applies it); every page, list,
tracker, export, API call, dashboard count, digest and search goes through it, so a rule added
here reaches all of them at once. Who sees what:

* complaints officers, managers and administrators: every case;
* responding managers and investigators: the cases allocated to them, whose stage they answer,
  or whose response they are named to sign off (``heard/cases/approvals.py``);
* viewers: none (they read reports only);
* and, above all of those, a restricted case (``heard/cases/restriction.py``) only for the
  people it is restricted to, whatever their role.

:func:`visible_case_ids` gives the ids of the same cases in a shape a database reads through
indexes, for the search's check of its matches (decision 0044); a test keeps the two equal.
"""

from __future__ import annotations

import functools

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from heard.cases.models import Case


def case_scope(cases, user):
    """``cases`` narrowed to those ``user`` may see."""
    from heard.accounts import roles
    from heard.cases.restriction import restriction_filter

    if roles.sees_all_cases(user):
        scoped = cases
    elif roles.can_read_cases(user):
        theirs = Q()
        for rows, field in _their_cases(user):
            theirs |= Q(pk__in=rows.values(field))
        scoped = cases.filter(theirs)
    else:
        return cases.none()
    return scoped.filter(restriction_filter(user))


def _their_cases(user) -> list[tuple[object, str]]:
    """What a responding manager or an investigator has a part in, as (rows, the field of
    each row that holds a case's id): the cases allocated to them, the stages they answer,
    and the responses they are named to sign off or took an approval step on."""
    from heard.cases.approvals import cases_to_sign_off
    from heard.cases.models import Stage

    return [
        (Case.objects.filter(allocated_to=user), "pk"),
        (Stage.objects.filter(responder=user), "case_id"),
        *cases_to_sign_off(user),
    ]


def visible_case_ids(user):
    """The ids of the cases ``user`` may see (exactly those of ``case_scope``), as a
    queryset of ids, for a check that needs nothing but the ids (the search's, on
    PostgreSQL).

    For a responding manager or an investigator it is one ``UNION`` of id lists (see
    ``_their_cases``), each read through an index (cases by ``allocated_to``, stages by
    ``(responder, case)``) and each less the restricted cases they are not named on, rather
    than ``case_scope``'s ``OR`` of conditions on the case, which a database cannot serve
    from an index: checked against a set of cases, that ``OR`` cost PostgreSQL a scan of
    every case in the council. ``case_scope`` keeps its ``OR`` for the pages, which walk
    the cases in an index's order and stop at a page."""
    from heard.accounts import roles
    from heard.cases.restriction import hidden_cases, restriction_filter

    if roles.sees_all_cases(user):
        return Case.objects.filter(restriction_filter(user)).order_by().values("pk")
    if not roles.can_read_cases(user):
        return Case.objects.none().values("pk")
    hidden = hidden_cases(user)
    ids = [
        rows.exclude(**{f"{field}__in": hidden}).order_by().values(field)
        for rows, field in _their_cases(user)
    ]
    return ids[0].union(*ids[1:])


def access_case(user, reference: str, *, for_update: bool = False) -> Case:
    """The case with this reference if the user may see it; 404 otherwise (so that a user
    cannot learn that a case they may not see exists)."""
    if "\x00" in reference:  # no reference has one, and PostgreSQL refuses it in a query
        raise Http404
    # Every single-valued field of a case the case page shows, in the one query (each would
    # otherwise be a query of its own where it is set), but its terms (``_with_terms``).
    queryset = Case.objects.visible_to(user).select_related(
        "service_area__parent__parent", "locality", "allocated_to",
    )  # fmt: skip
    return _with_terms(get_object_or_404(queryset, reference=reference))


@functools.cache
def _term_fields() -> tuple[str, ...]:
    from heard.taxonomy.models import Term

    return tuple(f.name for f in Case._meta.fields if f.is_relation and f.related_model is Term)


def _with_terms(case: Case) -> Case:
    """``case`` with the terms it is recorded with (its channel, the complainant's role ...)
    read in one query and set on it, so that none is a query of its own when shown: read in
    the case's own query, eight joins cost Django more than a second query does."""
    from heard.taxonomy.models import Term

    names = _term_fields()
    ids = {getattr(case, f"{name}_id") for name in names} - {None}
    terms = {term.pk: term for term in Term.objects.filter(pk__in=ids).order_by()} if ids else {}
    for name in names:
        term_id = getattr(case, f"{name}_id")
        if term_id is None or term_id in terms:  # (the same value: nothing is changed)
            setattr(case, name, terms.get(term_id))
    return case


def may_see(user, case) -> bool:
    """Whether ``user`` may see ``case`` (for a check outside a request, such as whether a
    person can be allocated a restricted case)."""
    return Case.objects.visible_to(user).filter(pk=case.pk).exists()


def redact_record(record: dict, case, user) -> dict:
    """A case's exchange-format record (the API's and ``heard export --as``'s) as ``user`` may
    read it: no reference to a linked case they may not see, no equality monitoring answers
    outside the complaints team, and, for whoever answered
    Stage 1, a later stage's clock only until it is answered (see ``independence``)."""
    from heard.accounts import roles
    from heard.cases import independence
    from heard.exchange.schema import StageRecord

    if record.get("linked_reference") and not may_see(user, case.linked_case):
        record["linked_reference"] = None
    if not roles.can_run_casework(user):
        # Equality monitoring answers are for the complaints team only (decision 0027).
        record["equality"] = None
    stages = list(case.stages.all())
    hidden_ids = independence.hidden_stage_ids(case, user, stages)
    hidden = {s.number for s in stages if s.pk in hidden_ids}
    for stage in record.get("stages", []):
        if stage["number"] not in hidden:
            continue
        for name, spec in StageRecord.model_fields.items():
            if name not in independence.CLOCK_FIELDS and name not in {"extensions", "suspensions"}:
                stage[name] = spec.get_default(call_default_factory=True)
    return record
