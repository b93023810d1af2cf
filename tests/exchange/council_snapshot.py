"""Run in a separate process against one database (``DATABASE_URL``, ``HEARD_DATA_DIR``) by the
council-move test, so that each database of the move is a real, separate Heard:

    python -m tests.exchange.council_snapshot setup        # what the demo lacks
    python -m tests.exchange.council_snapshot snapshot OUT # what staff and machines see

``snapshot`` reads every report and every case through the REST API, as an integration would,
then resets every user's password (passwords do not travel) and signs each one in through the
sign-in page. It writes all of it as JSON to OUT.
"""

from __future__ import annotations

import datetime
import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings_test")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.test import Client  # noqa: E402

from heard.accounts import roles  # noqa: E402
from heard.accounts.models import User  # noqa: E402
from heard.api.models import ApiToken  # noqa: E402
from heard.cases import documents  # noqa: E402
from heard.cases.models import Case  # noqa: E402
from heard.notifications.models import OutboxMessage  # noqa: E402
from heard.reports import editions, services  # noqa: E402
from heard.reports.periods import ReportingYear  # noqa: E402

PASSWORD = "a-new-password-after-the-move"  # noqa: S105
#: Keys that say when a report was made, not what it says.
VOLATILE = {"generated_at"}


def setup() -> None:
    """Give the demo council what it does not make itself: a published and a draft edition
    with a saved custom table, a document, a queued e-mail and an API token."""
    manager = User.objects.get(username="manager")
    year = ReportingYear.containing(Case.objects.order_by("-received_on")[0].received_on).year - 1
    table = services.save_table(
        name="Cases by kind", spec={"measure": "cases", "rows": "kind", "year": year}, user=manager
    )
    edition = editions.create_edition("annual", year, manager)
    edition = editions.update_narrative(
        edition, "introduction", "Our year, in our words.", manager, edition.version
    )
    edition = editions.add_custom_table(edition, table, manager)
    editions.publish(edition, manager, edition.version)
    draft = editions.create_edition("annual", year + 1, manager, publication=False)
    editions.update_narrative(draft, "introduction", "Not yet agreed.", manager, draft.version)
    case = Case.objects.order_by("reference").first()
    documents.add_document(
        case,
        SimpleUploadedFile("letter.pdf", b"%PDF-1.4 a response letter", "application/pdf"),
        description="Response letter",
        user=manager,
    )
    OutboxMessage.objects.create(
        to="complaints@example.invalid",
        subject="Queued before the move",
        body="Still to be sent.",
        next_attempt_at=datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC),
    )
    ApiToken.issue(manager, "Power BI")


def _strip(value):
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _get(client: Client, key: str, path: str):
    response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    return _strip(response.json())


def snapshot(out: str) -> None:
    manager = User.objects.get(username="manager")
    token, key = ApiToken.issue(manager, "Snapshot")
    client = Client()
    received = Case.objects.order_by("received_on").values_list("received_on", flat=True)
    first, last = (ReportingYear.containing(received[0]).year, ReportingYear.containing(
        received.reverse()[0]).year)  # fmt: skip
    reports = {}
    for year in range(first, last + 1):
        # Publication mode is the same figures suppressed: the annual report stands for all.
        for kind, publication in (("annual", "false"), ("annual", "true"), ("scrutiny", "false"),
                                  ("lgsco", "false")):  # fmt: skip
            path = f"/api/v1/reports/{kind}/{year}?publication={publication}"
            reports[path] = _get(client, key, path)
    for period in ("week", "month", "quarter"):
        path = f"/api/v1/reports/management?period={period}&on={received.reverse()[0]}"
        reports[path] = _get(client, key, path)
    listed = _get(client, key, "/api/v1/reports/editions")
    reports["editions"] = listed
    for edition in listed:
        path = f"/api/v1/reports/editions/{edition['id']}"
        reports[path] = client.get(path, HTTP_AUTHORIZATION=f"Bearer {key}").json()
    cases = {
        reference: _get(client, key, f"/api/v1/cases/{reference}")
        for reference in Case.objects.order_by("reference").values_list("reference", flat=True)
    }
    token.delete()
    users = {}
    for user in User.objects.order_by("username"):
        user.set_password(PASSWORD)  # the reset an administrator does after the move
        user.save(update_fields=["password"])
        browser = Client()
        response = browser.post(
            "/accounts/sign-in/", {"username": user.username, "password": PASSWORD}
        )
        signed_in = browser.session.get("_auth_user_id")
        me = User.objects.get(pk=signed_in) if signed_in else None
        users[user.username] = {
            "signed_in": response.status_code == 302 and me == user,
            "role": str(roles.role_of(me)) if me else None,
            "active": user.is_active,
            "staff": user.is_staff,
            "superuser": user.is_superuser,
            "name": user.get_full_name(),
            "email": user.email,
        }
    with open(out, "w", encoding="utf-8") as handle:
        json.dump({"reports": reports, "cases": cases, "users": users}, handle, sort_keys=True)


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup()
    else:
        snapshot(sys.argv[2])
