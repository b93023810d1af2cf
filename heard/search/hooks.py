"""The one hook that keeps people's links and the search index current.

Cases change in many places (the screens, the API, the public form, the importer, the demo),
through services that other parts of Heard own. Rather than asking each of them to remember
the index, Heard listens here, and only here, to the saves that change what is searchable:

* a case created: link its people (``heard.people.services.link_case``), then index it;
* a case saved with a searchable field changed (or with no ``update_fields``, as a full save):
  link any person newly named, and index it again. Saves that only move its clock or version
  (``update_fields`` without a searchable field) are ignored, so transitions cost nothing;
* a part saved or deleted, a person saved, a case link saved or deleted: index the cases
  concerned again (not while the case itself is being deleted: its document goes with it);
* a letter, e-mail or contact-log entry saved or deleted: index its case again (an e-mail
  waiting for triage belongs to no case until it is filed);
* cases written in bulk (``heard.cases.signals.cases_written``, sent by
  ``heard.cases.bulk.BulkWriter``): link their people and index them in bulk.

Everything runs inside the transaction of the change, so the index never says what the
database does not. Anything written behind Django's back (raw SQL, ``QuerySet.update``) is
caught up by ``heard search_index --missing`` or rebuilt by ``heard search_index --rebuild``.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.db.models.signals import post_delete, post_save, pre_delete

#: Case fields whose change changes the index (see heard.search.documents._case_fields).
INDEXED_CASE_FIELDS = frozenset(
    {
        "reference", "lgsco_reference", "anonymous", "complainant_name", "complainant_email",
        "complainant_phone", "complainant_address", "complainant_postcode", "child_name",
        "representative_name", "representative_type", "summary", "desired_outcome", "triage_reason",
        "resolution_reason", "staff_named", "provider_name", "quote",
    }
)  # fmt: skip


#: While a case's own save is being handled, the cases its link saves would index again
#: (they are indexed once, at the end).
_handling: ContextVar[bool] = ContextVar("search_hook_handling", default=False)


#: Cases being deleted: their parts' and links' deletions must not index them again.
_deleting: ContextVar[frozenset] = ContextVar("search_hook_deleting", default=frozenset())


def _index(case_ids) -> None:
    from heard.search.documents import index_cases

    ids = set(case_ids) - _deleting.get()
    if ids:
        index_cases(ids)


def case_deleting(sender, instance, **kwargs):
    _deleting.set(_deleting.get() | {instance.pk})


def case_deleted(sender, instance, **kwargs):
    _deleting.set(_deleting.get() - {instance.pk})


def case_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if raw:
        return
    if not created and update_fields is not None and not (INDEXED_CASE_FIELDS & set(update_fields)):
        return
    from heard.people.services import link_case

    token = _handling.set(True)
    try:
        link_case(instance)
    finally:
        _handling.reset(token)
    _index([instance.pk])


def part_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _index([instance.case_id])


def person_saved(sender, instance, created, raw=False, **kwargs):
    if raw or created:
        return
    _index(list(instance.links.values_list("case_id", flat=True)))


def link_changed(sender, instance, raw=False, **kwargs):
    if not raw and not _handling.get():
        _index([instance.case_id])


def correspondence_changed(sender, instance, raw=False, **kwargs):
    if not raw and instance.case_id:
        _index([instance.case_id])


def cases_written(sender, case_ids, **kwargs):
    from heard.people.services import link_cases_in_bulk

    link_cases_in_bulk(case_ids)
    _index(case_ids)


def connect() -> None:
    from heard.cases.models import Case, Part
    from heard.cases.signals import cases_written as bulk_signal
    from heard.correspondence.models import Correspondence
    from heard.people.models import CaseLink, Person

    post_save.connect(case_saved, sender=Case, dispatch_uid="search.case_saved")
    pre_delete.connect(case_deleting, sender=Case, dispatch_uid="search.case_deleting")
    post_delete.connect(case_deleted, sender=Case, dispatch_uid="search.case_deleted")
    post_save.connect(part_changed, sender=Part, dispatch_uid="search.part_saved")
    post_delete.connect(part_changed, sender=Part, dispatch_uid="search.part_deleted")
    post_save.connect(person_saved, sender=Person, dispatch_uid="search.person_saved")
    post_save.connect(link_changed, sender=CaseLink, dispatch_uid="search.link_saved")
    post_delete.connect(link_changed, sender=CaseLink, dispatch_uid="search.link_deleted")
    post_save.connect(
        correspondence_changed, sender=Correspondence, dispatch_uid="search.correspondence_saved"
    )
    post_delete.connect(
        correspondence_changed,
        sender=Correspondence,
        dispatch_uid="search.correspondence_deleted",
    )
    bulk_signal.connect(cases_written, dispatch_uid="search.cases_written")
