"""Which of the lists the case page shows hold anything for a case, in one query.

A case page lists a dozen kinds of rows (stages, extensions, letters, documents, lessons,
legal holds, approval steps …), and most cases have none of many of them: an old closed
complaint has no letters on record, no hold, no approval step. Each list asked for costs
Django about a millisecond of work to compile its query, far more than the database takes to
answer it, so the page first asks which lists have any rows at all (one ``EXISTS`` each, in
one statement) and reads only those (issue #16, decision 0046).

The statement is built by the ORM once per process and database (:func:`_statement`), with
stand-in values for the case and the reader, and run with the real ones: compiled for each
page, its fifteen subqueries would cost as much as the queries it saves.
"""

from __future__ import annotations

import functools

from django.db import connection
from django.db.models import Exists, OuterRef

#: Stand-ins for the case's id and the reader's in the statement built once: values no row
#: has, replaced by the real ones in its parameters.
_CASE, _USER = -7_301_001, -7_301_002


def _lists() -> dict:
    """Each list the page shows, as the rows of the case (``OuterRef("pk")``) it holds."""
    from heard.cases.access_models import ApprovalStep, Restriction
    from heard.cases.models import (
        Case,
        Document,
        Extension,
        Learning,
        Part,
        PartFinding,
        Remedy,
        Stage,
        Suspension,
    )
    from heard.correspondence.models import Correspondence
    from heard.people.models import CaseLink, ContactArrangement
    from heard.public.models import OnlineSubmission
    from heard.retention.models import LegalHold, Review

    case = OuterRef("pk")
    return {
        "stages": Stage.objects.filter(case=case),
        "parts": Part.objects.filter(case=case),
        "findings": PartFinding.objects.filter(stage__case=case),
        "extensions": Extension.objects.filter(stage__case=case),
        "suspensions": Suspension.objects.filter(stage__case=case),
        "categories": Case.categories.through.objects.filter(case=case),
        "staff_complained_about": Case.staff_complained_about.through.objects.filter(case=case),
        "learning": Learning.objects.filter(case=case),
        "documents": Document.objects.filter(case=case),
        "correspondence": Correspondence.objects.filter(case=case),
        "approval_steps": ApprovalStep.objects.filter(stage__case=case),
        "legal_holds": LegalHold.objects.filter(case=case, lifted_at__isnull=True),
        "linked_here": Case.objects.filter(linked_case=case),
        "people": CaseLink.objects.filter(case=case),
        "arrangements": ContactArrangement.objects.filter(person__links__case=case),
        "restriction": Restriction.objects.filter(case=case),
        "online_submission": OnlineSubmission.objects.filter(case=case),
        "retention_review": Review.objects.filter(case=case),
        "remedies": Remedy.objects.filter(case=case),
        # Not of this case: whether any case is restricted to people other than the reader
        # (whose references the history must then withhold).
        "hidden_cases": Restriction.objects.exclude(people=_USER),
    }


#: The names of the lists, in the statement's order.
LISTS = tuple(_lists())


@functools.cache
def _statement(alias: str, vendor: str) -> tuple[str, tuple]:
    """The statement and the places of the case and the reader in its parameters."""
    from heard.cases.models import Case

    flags = {f"has_{name}": Exists(rows) for name, rows in _lists().items()}
    query = Case.objects.filter(pk=_CASE).annotate(**flags).values_list(*flags).order_by()
    sql, params = query.query.get_compiler(using=alias).as_sql()
    if params.count(_CASE) != 1 or params.count(_USER) != 1:  # (the ORM's own are constants)
        raise RuntimeError(f"Unexpected parameters in the case page's presence query: {params}")
    return sql, tuple(params)


def present(case, user) -> frozenset[str]:
    """The names (:data:`LISTS`) of the lists that have rows for ``case``, as read by
    ``user`` (who has already been let see it)."""
    sql, stand_ins = _statement(connection.alias, connection.vendor)
    params = [{_CASE: case.pk, _USER: user.pk}.get(value, value) for value in stand_ins]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return frozenset(LISTS)  # (the case is gone): read everything, as before
    return frozenset(name for name, found in zip(LISTS, row, strict=True) if found)
