"""Turning a visitor's answers into a case, and the acknowledgement they are sent."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from heard.cases import documents
from heard.cases.services import log_case
from heard.deadlines.calendar import council_calendar
from heard.notifications.services import queue
from heard.taxonomy.models import ServiceArea, Term
from heard.timescales.rules import DEFAULT_LOCAL_TARGETS

ACTOR = "Online form"
KIND_WORDS = {"complaint": "complaint", "compliment": "compliment", "comment": "comment"}


def acknowledgement_due(today):
    """When the council promises to acknowledge: its local target, in working days."""
    days = next(t.working_days for t in DEFAULT_LOCAL_TARGETS if t.measure == "acknowledge")
    return council_calendar().add_working_days(today, days)


def too_many(address: str) -> bool:
    """At most HEARD_PUBLIC_FORM_LIMIT submissions an hour from one address. The address is
    kept only as a salted hash, in the cache, for an hour."""
    key = "tell-us:" + hashlib.sha256(f"{settings.SECRET_KEY}{address}".encode()).hexdigest()[:24]
    count = cache.get(key, 0)
    if count >= settings.HEARD_PUBLIC_FORM_LIMIT:
        return True
    cache.set(key, count + 1, timeout=3600)
    return False


@transaction.atomic
def submit(answers: dict, uploads: list) -> tuple:
    """Save the case first; queue the acknowledgement and attach the documents in the same
    transaction, so either everything is kept or nothing is (and the visitor is told)."""
    today = timezone.localdate()
    child = answers.get("who") == "child"
    contact = answers.get("contact", {})
    anonymous = contact.get("contact_by") == "anonymous"
    about = answers.get("about", {})
    behalf = answers.get("behalf", {})
    team = ServiceArea.objects.filter(pk=about.get("team")).first() if about.get("team") else None
    case = log_case(
        actor=ACTOR,
        kind=answers["what"],
        received_on=today,
        channel=Term.objects.get(vocabulary="channel", code="web-form"),
        summary=about.get("what_happened", ""),
        desired_outcome=about.get("put_right", ""),
        complainant_role=Term.objects.filter(
            vocabulary="complainant_role", code=answers.get("who")
        ).first(),
        complainant_under_18=True if child else None,
        complainant_name="" if anonymous else contact.get("name", ""),
        complainant_email="" if anonymous else contact.get("email", ""),
        complainant_phone="" if anonymous else contact.get("phone", ""),
        anonymous=anonymous,
        advocate_offered=True if child else None,
        advocate_accepted={"yes": True, "no": False}.get(answers.get("advocate"))
        if child
        else None,
        child_name=behalf.get("child_name", "") if behalf.get("on_behalf") == "yes" else "",
        child_consent={"yes": "given", "no": "refused"}.get(behalf.get("child_agrees"), "unknown")
        if behalf.get("on_behalf") == "yes"
        else "not_needed",
        service_area=team,
    )
    for upload in uploads:
        documents.add_document(case, upload, description="Sent with the online form")
    due = acknowledgement_due(today)
    if not anonymous and contact.get("email"):
        word = KIND_WORDS[case.kind]
        queue(
            contact["email"],
            f"We have received your {word}: {case.reference}",
            f"Thank you for telling us. Your reference is {case.reference}.\n\n"
            f"We will contact you by {due:%A %-d %B %Y} to say what happens next.\n\n"
            f"{settings.COUNCIL_NAME}\n",
            key=f"acknowledge:{case.pk}",
        )
    return case, due
