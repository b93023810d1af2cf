"""Anonymising a case at the end of its retention period, in one transaction.

The rule is the audit trail's (decision 0024): *every* text field is cleared unless it is
listed here as kept, so a field added later is erased without anyone remembering to add it.
Kept are only the codes reports count (fields with fixed choices: kind, status, procedure,
findings, outcomes), dates, numbers, yes/no answers and links to vocabularies, teams and staff,
plus the case's reference and the text the council has already published (a compliment's quote,
a case study or a lesson marked publishable, which the annual report prints and which were
written to be published). Files (documents, letters, attachments) are deleted from storage.

What goes, step by step, each audited without any personal value (counts only):

1. the case's own text, its parts', stages', extensions', suspensions', remedies', learning's,
   actions', approval steps', restriction's and lifted legal holds' text;
2. its documents (files deleted);
3. its letters, e-mails, notes and contact log, their attachments (files deleted) and the
   outbox messages and mail files that carried them or named the case;
4. what the online form recorded beside it (helper's details, consent, progress link);
5. the people linked to it whom no other case names (with their merges and contact
   arrangements), and the values the trail holds about them;
6. its search index document (rebuilt from what is left) and any name word no other case uses;
7. export files made by background jobs (they may contain the case);
8. every value the audit trail holds for the case (``heard.audit.services.erase_case_values``).

See docs/decisions/0030-anonymise-everything-not-kept.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone

from heard.audit import services as audit
from heard.cases.access_models import ApprovalStep, Restriction
from heard.cases.models import (
    Action,
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
from heard.correspondence.models import Attachment, Correspondence
from heard.notifications.models import OutboxMessage
from heard.people.models import CaseLink, ContactArrangement, Merge, Person
from heard.public.models import OnlineSubmission
from heard.retention.models import LegalHold, Review
from heard.search.models import SearchDocument, SearchName

ACTOR = "retention"

#: Text fields kept on each model (everything else textual is cleared). Fields with fixed
#: choices are codes and always kept.
KEPT_TEXT: dict[type[models.Model], set[str]] = {
    Case: {"reference", "next_due_label"},
    Part: set(),
    Stage: set(),
    Extension: set(),
    Suspension: set(),
    Remedy: set(),
    Learning: set(),
    Action: set(),
    ApprovalStep: set(),
    Restriction: set(),
    OnlineSubmission: set(),
    LegalHold: set(),
}

#: Kept only where the council marked the text publishable (it is printed in reports).
PUBLISHED_TEXT = {
    Case: {"quote": "quote_publishable", "case_study": "case_study_publishable"},
    Learning: {"lesson": "publishable"},
}

#: How each model's rows of one case are found.
CASE_LOOKUP: dict[type[models.Model], str] = {
    Case: "pk",
    Part: "case",
    Stage: "case",
    Extension: "stage__case",
    Suspension: "stage__case",
    Remedy: "case",
    Learning: "case",
    Action: "learning__case",
    ApprovalStep: "stage__case",
    Restriction: "case",
    OnlineSubmission: "case",
    LegalHold: "case",
}

#: Every other model that hangs off a case, and what happens to it (tests check that every
#: model related to a case is named here or in ``CASE_LOOKUP``).
HANDLED_ELSEWHERE = {
    PartFinding: "kept: a finding is a code",
    Document: "deleted with its file",
    Correspondence: "deleted with its attachments and outbox messages",
    Attachment: "deleted with its file",
    CaseLink: "deleted; the person too when no other case names them",
    SearchDocument: "rebuilt from what is left",
    Review: "kept: records that the case was reviewed and anonymised",
}


#: Text whose presence reports count (a remedy given only in words is a row of the Ombudsman
#: remedies table): when there is any, it is replaced by ``REMOVED`` rather than emptied, so
#: the count, and the report, stay as they were.
COUNTED_TEXT: dict = {Case: ("lgsco_remedy",)}
REMOVED = "[removed when the case was anonymised]"


class AnonymiseRefused(Exception):
    """The case may not be anonymised; the message says why."""


@dataclass
class Outcome:
    case_id: int
    reference: str
    steps: dict[str, int] = field(default_factory=dict)


def cleared_values(model: type[models.Model], kept: set[str]) -> dict:
    """``{field: empty}`` for every text field of ``model`` that is not kept."""
    values = {}
    for model_field in model._meta.concrete_fields:
        if not isinstance(model_field, models.CharField | models.TextField):
            continue
        if model_field.choices or model_field.name in kept:
            continue
        values[model_field.attname] = None if model_field.null else ""
    return values


def _clear_text(case: Case) -> int:
    changed = 0
    for model, lookup in CASE_LOOKUP.items():
        rows = model.objects.filter(**{lookup: case.pk})
        if model is LegalHold:
            rows = rows.filter(lifted_at__isnull=False)
        kept = set(KEPT_TEXT[model])
        published = PUBLISHED_TEXT.get(model, {})
        # Published text goes only where it was not marked publishable.
        for name, flag in published.items():
            rows.filter(**{flag: False}).update(**{name: ""})
            kept.add(name)
        for name in COUNTED_TEXT.get(model, ()):
            rows.exclude(**{name: ""}).update(**{name: REMOVED})
            kept.add(name)
        values = cleared_values(model, kept)
        if model is Case:
            values.update(version=F("version") + 1, updated_at=timezone.now())
        if values:
            changed += rows.update(**values)
    return changed


def _delete_file(file_field) -> None:
    if file_field:
        file_field.storage.delete(file_field.name)


def _delete_documents(case: Case) -> int:
    documents = list(Document.objects.filter(case=case))
    for document in documents:
        _delete_file(document.file)
    Document.objects.filter(case=case).delete()
    return len(documents)


def _names_case(reference: str):
    pattern = re.compile(re.escape(reference) + r"(?![0-9A-Za-z])")
    return lambda text: bool(text) and bool(pattern.search(text))


def _delete_correspondence(case: Case) -> tuple[int, int, int]:
    items = Correspondence.objects.filter(case=case)
    attachments = list(Attachment.objects.filter(correspondence__case=case))
    for attachment in attachments:
        _delete_file(attachment.file)
    outbox_ids = set(items.exclude(outbox_message=None).values_list("outbox_message_id", flat=True))
    names = _names_case(case.reference)
    keyed = Q(key__startswith=f"acknowledge:{case.pk}") | Q(key__contains=f":{case.pk}:")
    keyed |= Q(key=f"online-alert:{case.pk}")
    mentioning = OutboxMessage.objects.filter(
        Q(subject__contains=case.reference) | Q(body__contains=case.reference) | keyed
    )
    for pk, subject, body, key in mentioning.values_list("pk", "subject", "body", "key"):
        if names(subject) or names(body) or key:
            outbox_ids.add(pk)
    Attachment.objects.filter(correspondence__case=case).delete()
    count = items.count()
    items.delete()
    OutboxMessage.objects.filter(pk__in=outbox_ids).delete()
    return count, len(attachments), len(outbox_ids) + _delete_mail_files(names)


def _delete_mail_files(names) -> int:
    """Mail written to files (no mail server configured) that names the case."""
    folder = getattr(settings, "EMAIL_FILE_PATH", None)
    if not folder or not Path(folder).is_dir():
        return 0
    removed = 0
    for path in Path(folder).iterdir():
        if path.is_file() and names(path.read_text(errors="replace")):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _group(person: Person) -> list[Person]:
    """The person and everyone merged into them (at any depth), deepest first."""
    found, frontier = [person], [person.pk]
    for _ in range(50):
        more = list(Person.objects.filter(merged_into_id__in=frontier))
        if not more:
            break
        found.extend(more)
        frontier = [p.pk for p in more]
    return list(reversed(found))


def _remove_people(case: Case, user) -> tuple[int, list[int]]:
    """Unlink the case's people; erase those no other case names. Returns (links removed,
    ids of people erased)."""
    person_ids = set(CaseLink.objects.filter(case=case).values_list("person_id", flat=True))
    links = CaseLink.objects.filter(case=case).delete()[0]
    erased: list[int] = []
    for person in Person.objects.filter(pk__in=person_ids):
        group = _group(person)
        ids = [p.pk for p in group]
        if CaseLink.objects.filter(person_id__in=ids).exists():
            continue  # another case still names them: their record stays with that case
        arrangements = list(
            ContactArrangement.objects.filter(person_id__in=ids).values_list("pk", flat=True)
        )
        merges = list(
            Merge.objects.filter(Q(kept_id__in=ids) | Q(merged_id__in=ids)).values_list(
                "pk", flat=True
            )
        )
        ContactArrangement.objects.filter(pk__in=arrangements).delete()
        Merge.objects.filter(pk__in=merges).delete()
        for member in group:  # deepest first: nobody is still merged into them
            Person.objects.filter(pk=member.pk).delete()
        for object_type, object_ids in (
            ("person", ids),
            ("contactarrangement", arrangements),
            ("merge", merges),
        ):
            audit.erase_object_values(
                object_type, object_ids, case_reference=case.reference, user=user, actor=ACTOR
            )
        erased.extend(ids)
    return links, erased


def _words(text: str) -> set[str]:
    return set(text.split())


def _reindex(case: Case, before: str) -> int:
    """Rebuild the case's search document from what is left, and drop name words (``before``:
    the names the document held) that no document uses any more. Returns the number of words
    dropped."""
    from heard.search.documents import index_cases

    index_cases([case.pk])
    dropped = 0
    for word in _words(before or ""):
        if not SearchDocument.objects.filter(names__contains=word).exists():
            dropped += SearchName.objects.filter(word=word).delete()[0]
    return dropped


#: SQLite's full-text tables (heard/search/migrations/0002): a deleted row's words stay in
#: their index pages until the index is merged.
FTS_TABLES = ("search_fts", "search_name_trigrams")


def purge_search_remnants() -> None:
    """Merge SQLite's full-text indexes so that words of deleted documents are gone from them
    too (run after a batch of cases is anonymised: it rewrites the index). PostgreSQL's dead
    rows are removed by its autovacuum."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for table in FTS_TABLES:
            cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")  # noqa: S608


def _drop_exports() -> int:
    """Export files made by background jobs may hold the case: remove them now rather than
    at the next prune."""
    from heard.jobs import storage
    from heard.jobs.models import Job

    done = Job.objects.filter(kind=Job.Kind.EXPORT).exclude(result_name="")
    removed = 0
    for job in done:
        storage.delete_quietly(job.result_name)
        removed += 1
    done.update(result_name="", message="Removed when a case was anonymised. Ask for it again.")
    return removed


def anonymise(case: Case, *, user=None) -> Outcome:
    """Anonymise one closed case not on legal hold, in one transaction; every step audited
    with counts only. Refuses (AnonymiseRefused) an open case, a case on hold or one already
    anonymised."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.closed_on is None or case.is_open:
            raise AnonymiseRefused(f"{case.reference} is open: only closed cases are anonymised.")
        if LegalHold.objects.filter(case=case, lifted_at__isnull=True).exists():
            raise AnonymiseRefused(f"{case.reference} is on legal hold.")
        review = Review.objects.filter(case=case).first()
        if review is not None and review.status == Review.Status.ANONYMISED:
            raise AnonymiseRefused(f"{case.reference} has already been anonymised.")
        outcome = Outcome(case.pk, case.reference)
        names = SearchDocument.objects.filter(pk=case.pk).values_list("names", flat=True).first()
        steps = outcome.steps
        steps["documents deleted"] = _delete_documents(case)
        letters, attachments, mail = _delete_correspondence(case)
        steps["letters, e-mails and notes deleted"] = letters
        steps["attachments deleted"] = attachments
        steps["outbox messages and mail files deleted"] = mail
        steps["links to people removed"], erased = _remove_people(case, user)
        steps["people records erased"] = len(erased)
        steps["rows of text cleared"] = _clear_text(case)
        OnlineSubmission.objects.filter(case=case).update(
            progress_digest=None, submission_key=None, progress_revoked_at=timezone.now()
        )
        steps["search names dropped"] = _reindex(case, names or "")
        steps["export files removed"] = _drop_exports()
        steps["audit entries erased"] = audit.erase_case_values(
            case.pk, case_reference=case.reference, user=user, actor=ACTOR
        )
        now = timezone.now()
        for step, count in steps.items():
            audit.record(
                "retention.step", user=user, actor=ACTOR, case=case, note=f"{step}: {count}"
            )
        audit.record("retention.anonymised", user=user, actor=ACTOR, case=case)
        if review is None:
            review = Review(case=case, due_on=now.date(), rule="", listed_at=now)
        review.status = Review.Status.ANONYMISED
        review.anonymised_at = now
        review.save()
    return outcome
