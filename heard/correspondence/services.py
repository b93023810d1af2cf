"""Writing, sending and receiving letters and e-mails: each change and its audit entry in one
transaction. What was sent is kept on the case exactly as it went."""

from __future__ import annotations

import datetime
import email.utils
import re
import uuid

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from heard.audit import services as audit
from heard.cases.models import Case
from heard.correspondence import letters, merge
from heard.correspondence.incoming import Message
from heard.correspondence.models import Attachment, Correspondence, Template
from heard.notifications.services import queue

#: A Heard reference in an e-mail's subject: three to four capitals, the year, the number.
REFERENCE = re.compile(r"\b([A-Z]{2,5}-\d{4}-\d{3,6})\b")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def draft(case: Case, template: Template, *, user) -> dict:
    """The template filled in from the case, for the officer to read and edit."""
    context = merge.context_for(case, user)
    to = case.complainant_email if template.kind == Template.Kind.EMAIL else ""
    return {
        "to": to,
        "subject": merge.fill(template.subject, context),
        "body": merge.fill(template.body, context),
    }


def _record(case, *, direction, channel, user, actor="", **fields) -> Correspondence:
    item = Correspondence.objects.create(
        case=case, direction=direction, channel=channel, by=user, **fields
    )
    return item


def _attach(item: Correspondence, name: str, content_type: str, data: bytes) -> Attachment:
    attachment = Attachment(
        correspondence=item, name=name[:255], content_type=content_type[:100], size=len(data)
    )
    attachment.file.save(f"{uuid.uuid4().hex}", ContentFile(data), save=False)
    attachment.save()
    return attachment


@transaction.atomic
def send_email(
    case: Case, *, to: str, subject: str, body: str, template=None, user, actor: str = ""
) -> Correspondence:
    """Queue the e-mail in the outbox (``heard worker`` sends it) and keep it on the case."""
    message = queue(to, subject, body, key=f"correspondence:{uuid.uuid4().hex}")
    item = _record(
        case,
        direction=Correspondence.Direction.OUT,
        channel=Correspondence.Channel.EMAIL,
        user=user,
        template=template,
        correspondent=to,
        subject=subject,
        body=body,
        on=timezone.now(),
        outbox_message=message,
    )
    audit.record(
        "correspondence.emailed",
        user=user,
        actor=actor,
        case=case,
        obj=item,
        changes=[{"field": "E-mail", "old": None, "new": subject}],
        note=template.name if template else "",
    )
    return item


@transaction.atomic
def save_letter(case: Case, *, subject: str, body: str, template=None, user) -> Correspondence:
    """Make the letter as a Word file and a PDF, and keep both on the case."""
    context = merge.context_for(case, user)
    docx = letters.as_docx(template=template, context=context, body=body)
    pdf = letters.as_pdf(context=context, body=body, subject=subject)
    item = _record(
        case,
        direction=Correspondence.Direction.OUT,
        channel=Correspondence.Channel.LETTER,
        user=user,
        template=template,
        correspondent=case.complainant_name,
        subject=subject,
        body=body,
        on=timezone.now(),
    )
    stem = f"{case.reference} {template.name if template else 'letter'}".replace("/", "-")
    _attach(item, f"{stem}.docx", DOCX, docx)
    _attach(item, f"{stem}.pdf", "application/pdf", pdf)
    audit.record(
        "correspondence.letter_saved",
        user=user,
        case=case,
        obj=item,
        changes=[{"field": "Letter", "old": None, "new": subject}],
        note=template.name if template else "",
    )
    return item


def case_for_subject(subject: str) -> Case | None:
    for reference in REFERENCE.findall(subject or ""):
        case = Case.objects.filter(reference=reference).first()
        if case is not None:
            return case
    return None


def sender_address(sender: str) -> str:
    """The bare address of a From header ("Jordan <Jordan@Example.org>" → "jordan@example.org")."""
    address = email.utils.parseaddr(sender or "")[1].strip().lower()
    return address if "@" in address else ""


def sender_person(sender: str):
    """The person an e-mail came from: the one current person record with the sender's
    address. None when nobody has it, or when several do (two people sharing an address are
    not guessed between; the triage page offers the cases of each)."""
    from heard.people.models import Person

    address = sender_address(sender)
    if not address:
        return None
    found = list(Person.objects.current().filter(email__iexact=address)[:2])
    return found[0] if len(found) == 1 else None


def record_incoming(
    message: Message, *, case: Case | None, user=None, actor: str = ""
) -> tuple[Correspondence, bool]:
    """Keep an e-mail that arrived, with its attachments. The same message (by Message-ID)
    is kept once however often it is read; returns (the record, whether it is new)."""
    if message.message_id:
        earlier = Correspondence.objects.filter(message_id=message.message_id).first()
        if earlier is not None:
            return earlier, False
    try:
        with transaction.atomic():
            item = _record(
                case,
                direction=Correspondence.Direction.IN,
                channel=Correspondence.Channel.EMAIL,
                user=user if getattr(user, "is_authenticated", False) else None,
                correspondent=message.sender[:300],
                subject=message.subject[:300],
                body=message.body,
                on=message.on,
                message_id=message.message_id,
                person=sender_person(message.sender),
            )
            for name, content_type, data in message.attachments:
                _attach(item, name, content_type, data)
            audit.record(
                "correspondence.received",
                user=user,
                actor=actor,
                case=case,
                obj=item,
                changes=[{"field": "E-mail received", "old": None, "new": item.subject}],
            )
            return item, True
    except IntegrityError:  # the same message stored at the same moment by another worker
        return Correspondence.objects.get(message_id=message.message_id), False


@transaction.atomic
def file_on_case(item: Correspondence, case: Case, *, user) -> None:
    """Put an e-mail that waited for triage on its case."""
    item.case = case
    item.save(update_fields=["case"])
    audit.record(
        "correspondence.filed",
        user=user,
        case=case,
        obj=item,
        changes=[{"field": "E-mail filed on the case", "old": None, "new": item.subject}],
    )


@transaction.atomic
def log_contact(case: Case, *, channel, direction, on, correspondent, subject, body, user):
    """A call, meeting or visit for the contact log, or a case note, on any kind of case."""
    if on > timezone.localdate():
        raise ValueError("The date cannot be in the future")
    moment = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
    item = _record(
        case,
        direction=direction,
        channel=channel,
        user=user,
        correspondent=correspondent,
        subject=subject,
        body=body,
        on=moment,
    )
    audit.record(
        "correspondence.logged",
        user=user,
        case=case,
        obj=item,
        changes=[{"field": item.get_channel_display(), "old": None, "new": subject or on}],
    )
    return item
