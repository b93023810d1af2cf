"""Reading the complaints mailbox over IMAP with TLS, for ``heard worker``.

A message whose subject carries a Heard reference goes onto that case's correspondence, with
its attachments; any other waits in "E-mails to triage". A message is removed from the
mailbox only after it is stored (committed), and is stored once however often it is read
(by its Message-ID, or the mailbox's own UID where it has none): a worker that stops between
the two simply finds it again, sees it is kept, and removes it then.
"""

from __future__ import annotations

import imaplib
import ssl
from dataclasses import dataclass

from django.conf import settings

from heard.correspondence import services
from heard.correspondence.incoming import UnreadableMessage, from_eml

ACTOR = "Complaints mailbox"


@dataclass
class Fetched:
    filed: int = 0  # onto a case
    waiting: int = 0  # for triage
    already: int = 0  # kept before
    unreadable: int = 0  # left in the mailbox for a person


def configured() -> bool:
    return bool(settings.HEARD_IMAP_HOST)


def _context() -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=settings.HEARD_IMAP_CA_FILE or None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def fetch() -> Fetched:
    result = Fetched()
    with imaplib.IMAP4_SSL(
        settings.HEARD_IMAP_HOST, settings.HEARD_IMAP_PORT, ssl_context=_context(), timeout=30
    ) as imap:
        imap.login(settings.HEARD_IMAP_USER, settings.HEARD_IMAP_PASSWORD)
        status, data = imap.select(settings.HEARD_IMAP_FOLDER)
        if status != "OK":
            raise imaplib.IMAP4.error(
                f"Cannot open the mailbox folder {settings.HEARD_IMAP_FOLDER}"
            )
        validity = (imap.response("UIDVALIDITY")[1] or [b"0"])[0]
        validity = validity.decode() if isinstance(validity, bytes) else str(validity)
        status, data = imap.uid("SEARCH", None, "ALL")
        for uid in (data[0] or b"").split():
            status, parts = imap.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((p[1] for p in parts if isinstance(p, tuple)), None)
            if status != "OK" or raw is None:
                result.unreadable += 1
                continue
            try:
                message = from_eml(raw)
            except UnreadableMessage:
                result.unreadable += 1
                continue
            if not message.message_id:
                message.message_id = f"<imap-{validity}-{uid.decode()}@{settings.HEARD_IMAP_HOST}>"
            case = services.case_for_subject(message.subject)
            item, new = services.record_incoming(message, case=case, actor=ACTOR)
            if not new:
                result.already += 1
            elif item.case_id:
                result.filed += 1
            else:
                result.waiting += 1
            imap.uid("STORE", uid, "+FLAGS", "(\\Deleted)")
        imap.expunge()
    return result
