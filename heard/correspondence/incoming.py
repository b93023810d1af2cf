"""Reading an e-mail that arrived: from the mailbox or an uploaded .eml, or an Outlook .msg."""

from __future__ import annotations

import datetime
import email
import email.policy
import email.utils
import io
from dataclasses import dataclass, field

from django.utils import timezone


class UnreadableMessage(ValueError):
    """A file that is not an e-mail Heard can read, with a plain reason."""


@dataclass
class Message:
    sender: str
    on: datetime.datetime
    subject: str
    body: str
    message_id: str | None
    attachments: list[tuple[str, str, bytes]] = field(default_factory=list)


def _when(value) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    try:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError):
        parsed = None
    if parsed is None:
        return timezone.now()
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def from_eml(raw: bytes) -> Message:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    if not message.get("From") and not message.get("Subject"):
        raise UnreadableMessage("This file is not an e-mail (.eml): it has no sender or subject.")
    body_part = message.get_body(preferencelist=("plain", "html"))
    body = body_part.get_content() if body_part is not None else ""
    if body_part is not None and body_part.get_content_type() == "text/html":
        from django.utils.html import strip_tags

        body = strip_tags(body)
    attachments = []
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True) or b""
        attachments.append((part.get_filename() or "attachment", part.get_content_type(), payload))
    return Message(
        sender=str(message.get("From", "")),
        on=_when(message.get("Date")),
        subject=str(message.get("Subject", "")),
        body=body.strip(),
        message_id=str(message.get("Message-ID", "")).strip() or None,
        attachments=attachments,
    )


def from_msg(raw: bytes) -> Message:
    import extract_msg

    try:
        message = extract_msg.openMsg(io.BytesIO(raw))
    except Exception as error:  # extract-msg raises many kinds for a file that is not a .msg
        raise UnreadableMessage("This file is not an Outlook message (.msg).") from error
    try:
        attachments = [
            (a.getFilename() or "attachment", getattr(a, "mimetype", None) or
             "application/octet-stream", a.data or b"")
            for a in message.attachments
            if isinstance(getattr(a, "data", None), bytes)
        ]  # fmt: skip
        return Message(
            sender=message.sender or "",
            on=_when(message.date),
            subject=message.subject or "",
            body=(message.body or "").strip(),
            message_id=(message.messageId or "").strip() or None,
            attachments=attachments,
        )
    finally:
        message.close()


def read_upload(name: str, raw: bytes) -> Message:
    if name.lower().endswith(".msg"):
        return from_msg(raw)
    if name.lower().endswith(".eml"):
        return from_eml(raw)
    raise UnreadableMessage("Choose an e-mail saved as .eml or an Outlook message (.msg).")
