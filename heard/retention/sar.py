"""A subject access export: everything Heard holds about one person, as one zip archive.

For a person record (and anyone merged into it): the person's own details, merges and contact
arrangements; every case they are linked to, as its exchange-format record (the same JSON
``heard export`` writes), with its letters, e-mails, notes and contact log, their attachments,
its documents (the files themselves) and what the online form recorded beside it; and the
audit entries about them: the entries of those cases and of their person record, with the
values the trail holds.

The archive is built in memory (a person's cases are few) and sent once; its making is audited
against the person and each case, naming no values.
"""

from __future__ import annotations

import io
import json
import re
import zipfile

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from heard.audit import actions
from heard.audit import services as audit
from heard.audit.models import AuditEvent
from heard.cases.models import Case, Document
from heard.correspondence.models import Attachment, Correspondence
from heard.exchange.export import case_record
from heard.people.models import CaseLink, ContactArrangement, Merge, Person
from heard.public.models import OnlineSubmission


def _safe(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")
    return cleaned[:80] or "file"


def _dump(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def _person_record(person: Person) -> dict:
    return {
        "id": person.pk,
        "name": person.name,
        "date_of_birth": person.date_of_birth,
        "email": person.email,
        "phone": person.phone,
        "address": person.address,
        "organisation": person.organisation,
        "constituency": person.constituency,
        "representative_type": str(person.representative_type or ""),
        "merged_into": person.merged_into_id,
        "created_at": person.created_at,
    }


def _submission_record(submission: OnlineSubmission) -> dict:
    """What the online form recorded beside the case (not the progress link's digest)."""
    secret = {"id", "case", "progress_digest", "submission_key"}
    return {
        f.name: getattr(submission, f.attname)
        for f in submission._meta.concrete_fields
        if f.name not in secret
    }


def _group_ids(person: Person) -> list[int]:
    ids, frontier = [person.pk], [person.pk]
    for _ in range(50):
        more = list(Person.objects.filter(merged_into_id__in=frontier).values_list("pk", flat=True))
        if not more:
            break
        ids.extend(more)
        frontier = more
    return ids


def _event(event: AuditEvent) -> dict:
    return {
        "at": event.at,
        "who": event.who,
        "action": event.action,
        "what": actions.sentence(event.action),
        "case": event.case_reference,
        "object": f"{event.object_type} {event.object_id}".strip(),
        "changes": event.changes,
        "note": event.note,
    }


def _read(file_field) -> bytes | None:
    try:
        with file_field.storage.open(file_field.name, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        return None


def build(person: Person, *, user) -> tuple[str, bytes]:
    """The archive's file name and bytes; audited."""
    ids = _group_ids(person)
    case_ids = list(
        CaseLink.objects.filter(person_id__in=ids).values_list("case_id", flat=True).distinct()
    )
    cases = list(Case.objects.filter(pk__in=case_ids).order_by("received_on", "pk"))
    buffer = io.BytesIO()
    contents: list[str] = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:

        def put(name: str, data) -> None:
            archive.writestr(name, data)
            contents.append(name)

        put(
            "person.json",
            _dump(
                {
                    "people": [_person_record(p) for p in Person.objects.filter(pk__in=ids)],
                    "links": [
                        {"case": link.case.reference, "role": link.get_role_display()}
                        for link in CaseLink.objects.filter(person_id__in=ids).select_related(
                            "case"
                        )
                    ],
                    "merges": list(
                        Merge.objects.filter(Q(kept_id__in=ids) | Q(merged_id__in=ids)).values(
                            "kept_id", "merged_id", "merged_at", "reason", "snapshot"
                        )
                    ),
                    "contact_arrangements": list(
                        ContactArrangement.objects.filter(person_id__in=ids).values(
                            "level",
                            "reason",
                            "channels",
                            "frequency",
                            "decided_on",
                            "review_on",
                            "ended_on",
                            "ended_reason",
                        )  # fmt: skip
                    ),
                }
            ),
        )
        for case in cases:
            folder = f"cases/{_safe(case.reference)}"
            put(f"{folder}/case.json", _dump(case_record(case)))
            letters = []
            for item in Correspondence.objects.filter(case=case).order_by("on", "pk"):
                files = []
                for attachment in Attachment.objects.filter(correspondence=item).order_by("pk"):
                    data = _read(attachment.file)
                    if data is not None:
                        name = f"{folder}/correspondence/{item.pk}-{attachment.pk}-"
                        name += _safe(attachment.name)
                        put(name, data)
                        files.append(name)
                letters.append(
                    {
                        "on": item.on,
                        "kind": f"{item.get_channel_display()} ({item.get_direction_display()})",
                        "to_or_from": item.correspondent,
                        "subject": item.subject,
                        "body": item.body,
                        "files": files,
                    }
                )
            put(f"{folder}/correspondence.json", _dump(letters))
            documents = []
            for document in Document.objects.filter(case=case).order_by("pk"):
                data = _read(document.file)
                name = f"{folder}/documents/{document.pk}-{_safe(document.original_name)}"
                if data is not None:
                    put(name, data)
                documents.append(
                    {
                        "name": document.original_name,
                        "description": document.description,
                        "uploaded_at": document.uploaded_at,
                        "file": name if data is not None else None,
                    }
                )
            put(f"{folder}/documents.json", _dump(documents))
            submission = OnlineSubmission.objects.filter(case=case).first()
            if submission is not None:
                put(f"{folder}/online-form.json", _dump(_submission_record(submission)))
        events = (
            AuditEvent.objects.filter(
                Q(case_id__in=case_ids)
                | Q(object_type="person", object_id__in=[str(i) for i in ids])
            )
            .select_related("held", "user")
            .order_by("at", "id")
        )
        put("audit.json", _dump([_event(event) for event in events]))
        put(
            "README.txt",
            "Everything Heard holds about this person, exported on "
            f"{timezone.localdate():%-d %B %Y}.\n\n" + "\n".join(contents) + "\n",
        )
    with transaction.atomic():
        audit.record(
            "person.subject_access_exported",
            user=user,
            obj=person,
            note=f"{len(cases)} case(s), {len(contents)} file(s)",
        )
        for case in cases:
            audit.record("case.subject_access_exported", user=user, case=case)
    return f"subject-access-{person.pk}-{timezone.localdate():%Y-%m-%d}.zip", buffer.getvalue()
