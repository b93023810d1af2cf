"""Building cases with personal data in every place Heard keeps it, and looking for that data
in every table and every stored file."""

from __future__ import annotations

import datetime
import json
import os
from email.message import EmailMessage
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.utils import timezone

from heard.cases.documents import add_document
from heard.correspondence import services as correspondence
from heard.correspondence.incoming import from_eml
from heard.people import services as people
from heard.people.models import CaseLink
from heard.public.models import OnlineSubmission
from heard.retention import services as retention


def dress(case, *, tag: str, user) -> None:
    """Add to ``case`` a document, an e-mail out, an e-mail in with an attachment, a note, what
    the online form records, a person's changed details and contact arrangement, and a legal
    hold placed and lifted, each holding text marked with ``tag``."""
    add_document(
        case,
        SimpleUploadedFile(f"{tag}-statement.txt", f"Statement by {tag} Parent".encode()),
        description=f"Signed statement {tag}",
        user=user,
    )
    correspondence.send_email(
        case, to=f"{tag.lower()}@example.org", subject=f"About {tag} and you",
        body=f"Dear {tag} Parent, we are looking into it.", user=user,
    )  # fmt: skip
    message = EmailMessage()
    message["From"] = f"{tag} Parent <{tag.lower()}.in@example.org>"
    message["To"] = "complaints@example.gov.uk"
    message["Subject"] = f"{case.reference} more from {tag}"
    message["Message-ID"] = f"<{tag}-{case.pk}@example.org>"
    message["Date"] = "Mon, 04 Nov 2024 10:00:00 +0000"
    message.set_content(f"Here is more about {tag}, my child.")
    message.add_attachment(
        f"Attached notes of {tag} household".encode(),
        maintype="text", subtype="plain", filename=f"{tag}-notes.txt",
    )  # fmt: skip
    correspondence.record_incoming(from_eml(message.as_bytes()), case=case, actor="test")
    correspondence.log_contact(
        case, channel="phone", direction="in", on=datetime.date(2024, 11, 5),
        correspondent=f"{tag} Grandparent", subject=f"Call from {tag} Grandparent",
        body=f"{tag} Grandparent rang about the visits.", user=user,
    )  # fmt: skip
    OnlineSubmission.objects.update_or_create(
        case=case,
        defaults={
            "route": "representative", "age_band": "13-15", "care_status": "in-care",
            "contact_via": "advocate", "helper_name": f"{tag} Helper",
            "helper_relationship": f"{tag} aunt", "helper_email": f"{tag.lower()}.h@example.org",
            "helper_phone": "07700 900777", "representative_organisation": f"{tag} Advocacy",
            "consent_how": f"{tag} said yes on the phone", "advocate_wanted": "yes",
            "advocate_name": f"{tag} Advocate", "progress_digest": f"{tag}-digest-{case.pk}",
            "submission_key": f"{tag}-key-{case.pk}",
        },
    )  # fmt: skip
    link = CaseLink.objects.filter(case=case).select_related("person").first()
    if link is not None:
        people.update_person(
            link.person,
            changes={"phone": "07700 900" + str(case.pk).zfill(3)[-3:],
                     "address": f"{tag} Cottage\nVillage\nZZ1 1ZZ"},
            user=user,
        )  # fmt: skip
        if not link.person.arrangements.exists():
            people.decide_arrangement(
                link.person,
                level="persistent",
                reason=f"{tag} calls every hour",
                channels=f"E-mail only, {tag}",
                review_on=timezone.localdate() + datetime.timedelta(days=180),
                user=user,
            )
    retention.place_hold(case, reason=f"Claim by {tag} expected", user=user)
    retention.lift_hold(case, reason=f"{tag} claim settled", user=user)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes | memoryview):
        return bytes(value).decode("utf-8", errors="ignore")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def database_text() -> dict[str, list[str]]:
    """Every value of every column of every table, as text, by table."""
    found: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (names from the database)
            found[table] = [_text(value) for row in cursor.fetchall() for value in row]
    return found


def stored_text() -> dict[str, str]:
    """Every file under the data folder and the document storage, as text, by path."""
    found = {}
    roots = {Path(settings.DATA_DIR), Path(settings.MEDIA_ROOT)}
    roots |= {Path(s["OPTIONS"]["location"]) for s in settings.STORAGES.values() if
              "location" in s.get("OPTIONS", {})}  # fmt: skip
    for root in roots:
        if not root.exists():
            continue
        for folder, _, files in os.walk(root):
            for name in files:
                path = Path(folder) / name
                if path.suffix in {".sqlite3", ".sqlite3-wal", ".sqlite3-shm"}:
                    continue  # the database is read through SQL above
                found[str(path)] = name + "\n" + path.read_bytes().decode("utf-8", "ignore")
    return found


def where(strings, database: dict[str, list[str]], files: dict[str, str]) -> dict[str, list]:
    """For each string, the tables and files it is in."""
    places: dict[str, list] = {}
    for string in strings:
        hits = [t for t, values in database.items() if any(string in v for v in values)]
        hits += [p for p, text in files.items() if string in text]
        if hits:
            places[string] = hits
    return places


def text_values(obj) -> list[str]:
    return [
        getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and getattr(obj, f.attname)
    ]
