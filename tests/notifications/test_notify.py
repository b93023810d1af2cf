"""The outbox through GOV.UK Notify, with its official client.

GOV.UK Notify cannot be reached from here, so this is an EMULATION: a small HTTP server on a
loopback port implements the one endpoint the client calls (``POST /v2/notifications/email``)
as Notify documents it, and checks what a real Notify checks first: the JWT in the
``Authorization: Bearer`` header, signed (HS256) with the key's secret, issued by the key's
service id, and issued within the last 30 seconds. It answers as Notify does: 201 with the
notification, 400 for a request Notify would refuse, 403 for a bad token, 500 when told to.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from django.core import mail

from heard.notifications import services
from heard.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db
SERVICE_ID = str(uuid.UUID(int=0x1234))
SECRET = str(uuid.UUID(int=0xABCDEF))
API_KEY = f"heard_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = str(uuid.UUID(int=0x7777))


class FakeNotify(BaseHTTPRequestHandler):
    received: list
    fail_with: list

    def log_message(self, *args):  # quiet
        pass

    def _answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):  # noqa: N802 (the name http.server calls)
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length) or b"{}")
        if self.path != "/v2/notifications/email":
            return self._answer(404, {"status_code": 404, "errors": []})
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        try:
            claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_iat": True})
        except jwt.PyJWTError as error:
            return self._answer(403, _errors(403, "AuthError", f"Invalid token: {error}"))
        if claims.get("iss") != SERVICE_ID or abs(time.time() - claims.get("iat", 0)) > 30:
            return self._answer(403, _errors(403, "AuthError", "Invalid token"))
        self.received.append({"body": body, "claims": claims, "agent": self.headers["User-agent"]})
        if self.fail_with:
            status = self.fail_with[0]
            return self._answer(status, _errors(status, "Error", "Refused by the test"))
        if body.get("template_id") != TEMPLATE_ID:
            return self._answer(400, _errors(400, "BadRequestError", "Template not found"))
        if "@" not in body.get("email_address", ""):
            return self._answer(
                400, _errors(400, "ValidationError", "email_address Not a valid email address")
            )
        notification = str(uuid.uuid4())
        return self._answer(
            201,
            {
                "id": notification,
                "reference": body.get("reference"),
                "content": {
                    "subject": body["personalisation"]["subject"],
                    "body": body["personalisation"]["body"],
                    "from_email": "complaints@council.notifications.service.gov.uk",
                },
                "uri": f"/v2/notifications/{notification}",
                "template": {"id": TEMPLATE_ID, "version": 1, "uri": "/v2/template/x"},
            },
        )


def _errors(status, kind, message):
    return {"status_code": status, "errors": [{"error": kind, "message": message}]}


@pytest.fixture
def notify(settings):
    """The emulated Notify on a free loopback port, and Heard's settings pointing at it."""
    handler = type("Handler", (FakeNotify,), {"received": [], "fail_with": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    settings.HEARD_NOTIFY_API_KEY = API_KEY
    settings.HEARD_NOTIFY_TEMPLATE_ID = TEMPLATE_ID
    settings.HEARD_NOTIFY_BASE_URL = f"http://127.0.0.1:{server.server_port}"
    try:
        yield handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_the_outbox_sends_through_notify_when_it_is_configured(notify):
    message = services.queue("jordan@example.org", "We have your complaint", "Dear Jordan")
    assert services.send_due() == (1, 0)
    assert mail.outbox == []  # not by SMTP
    [sent] = notify.received
    assert sent["body"] == {
        "email_address": "jordan@example.org",
        "template_id": TEMPLATE_ID,
        "personalisation": {"subject": "We have your complaint", "body": "Dear Jordan"},
        "reference": f"heard-outbox-{message.pk}",
    }
    assert sent["claims"]["iss"] == SERVICE_ID
    assert sent["agent"].startswith("NOTIFY-API-PYTHON-CLIENT/")
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


def test_a_request_notify_refuses_fails_at_once_and_an_outage_is_retried(notify, settings):
    services.queue("not-an-address", "Hello", "Body")
    assert services.send_due() == (0, 1)
    refused = OutboxMessage.objects.get()
    assert refused.status == OutboxMessage.Status.FAILED and refused.attempts == 1
    assert "Not a valid email address" in refused.last_error
    refused.delete()
    notify.fail_with.append(500)
    services.queue("jordan@example.org", "Hello", "Body")
    assert services.send_due() == (0, 1)
    waiting = OutboxMessage.objects.get()
    assert waiting.status == OutboxMessage.Status.QUEUED and "500" in waiting.last_error


def test_a_wrong_key_is_refused_by_notify_and_retried(notify, settings):
    settings.HEARD_NOTIFY_API_KEY = f"heard_test-{SERVICE_ID}-{uuid.uuid4()}"
    services.queue("jordan@example.org", "Hello", "Body")
    assert services.send_due() == (0, 1)
    assert notify.received == []  # the emulation refused the signature
    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.Status.QUEUED and "403" in message.last_error
