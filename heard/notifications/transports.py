"""How the outbox sends a message: by SMTP (Django's e-mail backend), or through GOV.UK Notify
when ``HEARD_NOTIFY_API_KEY`` is set, with its official client.

Notify sends from templates that it keeps: Heard uses one e-mail template whose subject is
``((subject))`` and whose body is ``((body))`` (``HEARD_NOTIFY_TEMPLATE_ID``), so what Heard
wrote (from the council's own templates, edited by the officer) is what goes. Each message is
sent with the reference ``heard-outbox-<id>`` and nothing else that names anyone.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage

from heard.notifications.models import OutboxMessage


class Undeliverable(Exception):
    """The message can never be sent as it is (GOV.UK Notify refused it as a bad request, such
    as an address it does not accept): retrying would not help, so it is marked failed."""


def notify_configured() -> bool:
    return bool(settings.HEARD_NOTIFY_API_KEY)


def name() -> str:
    return "GOV.UK Notify" if notify_configured() else "SMTP"


def send(message: OutboxMessage) -> None:
    """Send one message; raises on failure (``Undeliverable`` when retrying cannot help)."""
    if notify_configured():
        _send_with_notify(message)
    else:
        EmailMessage(
            message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.to]
        ).send()


def _send_with_notify(message: OutboxMessage) -> None:
    from notifications_python_client.errors import HTTPError
    from notifications_python_client.notifications import NotificationsAPIClient

    client = NotificationsAPIClient(
        settings.HEARD_NOTIFY_API_KEY, base_url=settings.HEARD_NOTIFY_BASE_URL, timeout=30
    )
    try:
        client.send_email_notification(
            email_address=message.to,
            template_id=settings.HEARD_NOTIFY_TEMPLATE_ID,
            personalisation={"subject": message.subject, "body": message.body},
            reference=f"heard-outbox-{message.pk}",
            email_reply_to_id=settings.HEARD_NOTIFY_REPLY_TO_ID or None,
        )
    except HTTPError as error:
        # 400: the request itself is wrong for Notify (a bad address, say); 403 and 429 and
        # 5xx (a key revoked, the rate limit, an outage) can come right, so they are retried.
        if error.status_code == 400:
            raise Undeliverable(f"GOV.UK Notify refused it: {error.message}") from error
        raise
