"""Turning a visitor's answers into a case, and the acknowledgement they are sent."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from heard.audit import services as audit
from heard.cases import documents
from heard.cases.models import Case
from heard.cases.services import log_case
from heard.core import ratelimit
from heard.deadlines.calendar import council_calendar
from heard.notifications.services import queue
from heard.public import journey
from heard.public.forms import REPRESENTATIVE_TYPES, advocacy_provider, public_teams
from heard.public.models import AgeBand, CareStatus, ContactVia, OnlineSubmission, token_digest
from heard.taxonomy.models import Term
from heard.timescales.rules import DEFAULT_LOCAL_TARGETS

ACTOR = "Online form"
KIND_WORDS = {"complaint": "complaint", "compliment": "compliment", "comment": "comment"}


def acknowledgement_due(today):
    """When the council promises to acknowledge: its local target, in working days."""
    days = next(t.working_days for t in DEFAULT_LOCAL_TARGETS if t.measure == "acknowledge")
    return council_calendar().add_working_days(today, days)


def too_many(address: str) -> bool:
    """At most HEARD_PUBLIC_FORM_LIMIT submissions an hour from one address, across every
    `heard serve` process (heard/core/ratelimit.py keeps the address only as a keyed digest).
    Only forms that were saved count (:func:`count_submission`): an attempt that failed does
    not use up the person's turn."""
    return ratelimit.reached("tell-us", address, settings.HEARD_PUBLIC_FORM_LIMIT)


def count_submission(address: str) -> None:
    ratelimit.count("tell-us", address)


@dataclass(frozen=True)
class Submitted:
    case: Case
    due: datetime.date
    created: bool  # False when this form had been sent already (a double click)
    referred: bool  # an advocacy referral was sent
    progress_emailed: bool


def _yes_no(answer) -> bool | None:
    return {"yes": True, "no": False}.get(answer)


def _case_fields(answers: dict) -> dict:
    """The case's own fields, from the answers, for each route."""
    child = answers.get("who") == "child"
    representative = answers.get("who") == "representative"
    contact = answers.get("contact", {})
    anonymous = contact.get("contact_by") == ContactVia.NONE
    about = answers.get("about", {})
    behalf = answers.get("behalf", {})
    acting = answers.get("representative", {})
    team = public_teams().filter(pk=about.get("team")).first() if about.get("team") else None
    role_code = answers.get("who")
    under_18 = None
    looked_after = None
    if child:
        age, care = answers.get("age"), answers.get("care")
        # They said they are a child or young person: under 18 unless they say they are older.
        under_18 = age != AgeBand.EIGHTEEN_PLUS
        looked_after = {CareStatus.IN_CARE: True, CareStatus.NOT_SAID: None}.get(care, False)
        if care == CareStatus.CARE_LEAVER and age == AgeBand.EIGHTEEN_PLUS:
            role_code = "care-leaver"
    fields = {
        "kind": answers["what"],
        "channel": Term.objects.get(vocabulary="channel", code="web-form"),
        "summary": about.get("what_happened", ""),
        "desired_outcome": about.get("put_right", ""),
        "complainant_role": Term.objects.filter(
            vocabulary="complainant_role", code=role_code
        ).first(),
        "complainant_under_18": under_18,
        "complainant_looked_after": looked_after,
        "anonymous": anonymous,
        "advocate_offered": True if child else None,
        "advocate_accepted": _yes_no(answers.get("advocate")) if child else None,
        "service_area": team,
    }
    if representative:
        fields["complainant_name"] = acting.get("person_name", "")
        fields["representative_type"] = Term.objects.filter(
            vocabulary="representative_type", code=acting.get("representative_type")
        ).first()
        fields["representative_name"] = contact.get("name", "")
    elif not anonymous:
        fields["complainant_name"] = contact.get("name", "")
        if contact.get("contact_by") in {"email", "phone"}:
            fields["complainant_email"] = contact.get("email", "")
            fields["complainant_phone"] = contact.get("phone", "")
    if behalf.get("on_behalf") == "yes":
        fields["child_name"] = behalf.get("child_name", "")
        fields["child_consent"] = {"yes": "given", "no": "refused"}.get(
            behalf.get("child_agrees"), "unknown"
        )
    else:
        fields["child_consent"] = "not_needed"
    return fields


def _submission_fields(answers: dict) -> dict:
    contact = answers.get("contact", {})
    acting = answers.get("representative", {})
    representative = answers.get("who") == "representative"
    fields = {
        "route": journey.route(answers),
        "age_band": answers.get("age", ""),
        "care_status": answers.get("care", ""),
        "contact_via": contact.get("contact_by", ""),
        "advocate_wanted": answers.get("advocate", ""),
        "referral_consent": answers.get("referral") == "yes",
        "submission_key": answers.get("key") or None,
    }
    if contact.get("contact_by") in {ContactVia.ADVOCATE, ContactVia.TRUSTED_ADULT}:
        fields.update(
            helper_name=contact.get("helper_name", ""),
            helper_relationship=contact.get("helper_relationship", "")
            or ("Advocate" if contact["contact_by"] == ContactVia.ADVOCATE else ""),
            helper_email=contact.get("helper_email", ""),
            helper_phone=contact.get("helper_phone", ""),
        )
    if representative:
        fields.update(
            helper_name=contact.get("name", ""),
            helper_relationship=dict(REPRESENTATIVE_TYPES).get(
                acting.get("representative_type"), ""
            ),
            helper_email=contact.get("email", ""),
            helper_phone=contact.get("phone", ""),
            representative_organisation=acting.get("organisation", ""),
            consent_confirmed=bool(acting.get("consent")),
            consent_how=acting.get("consent_how", ""),
        )
    return fields


def reply_address(submission: OnlineSubmission, case: Case) -> str:
    """Where the acknowledgement and the progress link go: the person, or the advocate,
    adult or representative they asked us to go through."""
    if submission.contact_via in {ContactVia.ADVOCATE, ContactVia.TRUSTED_ADULT}:
        return submission.helper_email
    if submission.route == "representative":
        return submission.helper_email
    return case.complainant_email


def submit(answers: dict, uploads: list, *, received_on: datetime.date | None = None) -> Submitted:
    """Save the case with everything the person told us, once, however many times they press
    Send; queue the acknowledgement, the team's alert and any advocacy referral; attach the
    documents. All in one transaction: either everything is kept or nothing is."""
    key = answers.get("key")
    if key:
        earlier = OnlineSubmission.objects.filter(submission_key=key).select_related("case")
        if earlier.exists():
            return _already(earlier.get())
    try:
        return _submit(answers, uploads, received_on or timezone.localdate())
    except IntegrityError:
        # Sent at the same moment by another request for the same form: that one won.
        earlier = OnlineSubmission.objects.filter(submission_key=key).select_related("case")
        if key and earlier.exists():
            return _already(earlier.get())
        raise


def _already(submission: OnlineSubmission) -> Submitted:
    case = submission.case
    return Submitted(
        case=case,
        due=acknowledgement_due(case.received_on),
        created=False,
        referred=submission.referral_queued_at is not None,
        progress_emailed=bool(submission.progress_digest),
    )


@transaction.atomic
def _submit(answers: dict, uploads: list, today: datetime.date) -> Submitted:
    if connection.vendor == "postgresql":
        # A person is waiting: rather than queue behind a long lock, give up after a few
        # seconds and keep their form in the spool (SQLite's own wait is its busy_timeout).
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '3s'")
    case = log_case(actor=ACTOR, received_on=today, **_case_fields(answers))
    submission = OnlineSubmission.objects.create(case=case, **_submission_fields(answers))
    audit.record_created("online_submission.created", submission, case=case, actor=ACTOR)
    for upload in uploads:
        documents.add_document(case, upload, description="Sent with the online form")
    due = acknowledgement_due(today)
    referred = _refer_to_advocacy(submission, case)
    to = reply_address(submission, case)
    progress = ""
    if to:
        token = issue_progress_link(submission)
        progress = settings.HEARD_BASE_URL.rstrip("/") + reverse("public:progress", args=[token])
        queue(
            to,
            f"We have received your {KIND_WORDS[case.kind]}: {case.reference}",
            acknowledgement_text(case, submission, due, progress),
            key=f"acknowledge:{case.pk}",
        )
    _alert_team(case)
    return Submitted(
        case=case, due=due, created=True, referred=referred, progress_emailed=bool(progress)
    )


def acknowledgement_text(case: Case, submission: OnlineSubmission, due, progress: str) -> str:
    lines = [
        f"Thank you for telling us. Your reference is {case.reference}.",
        "",
        f"We will contact you by {due:%A %-d %B %Y} to say what happens next.",
    ]
    if submission.route == "representative":
        lines += ["", f"We will reply to you as the representative of {case.complainant_name}."]
    if submission.advocate_wanted == "yes":
        provider = advocacy_provider()
        if submission.referral_queued_at and provider:
            lines += ["", f"You asked for an advocate. We have asked {provider} to contact you."]
        else:
            lines += ["", "You asked for an advocate. We will help you get one."]
    if progress:
        lines += [
            "",
            "You can see what stage it has reached, and when you will hear from us, here:",
            progress,
            "Keep this link private: anyone who has it can see that page.",
        ]
    lines += ["", settings.COUNCIL_NAME, ""]
    return "\n".join(lines)


def _refer_to_advocacy(submission: OnlineSubmission, case: Case) -> bool:
    """A child who asked for an advocate and agreed that we pass on their details is referred
    to the council's advocacy provider, through the outbox."""
    provider_email = settings.HEARD_ADVOCACY_PROVIDER_EMAIL
    if not (provider_email and submission.advocate_wanted == "yes" and submission.referral_consent):
        return False
    how = dict(ContactVia.choices).get(submission.contact_via, "")
    details = [case.complainant_email, case.complainant_phone]
    if submission.contact_via in {ContactVia.ADVOCATE, ContactVia.TRUSTED_ADULT}:
        details = [
            submission.helper_name,
            submission.helper_relationship,
            submission.helper_email,
            submission.helper_phone,
        ]
    queue(
        provider_email,
        f"Advocacy referral from {settings.COUNCIL_NAME}: {case.reference}",
        "\n".join(
            [
                "A child or young person asked for an advocate on our online form and agreed "
                "that we pass on their details.",
                "",
                f"Reference: {case.reference}",
                f"Name: {case.complainant_name or 'not given'}",
                f"Age: {submission.get_age_band_display() or 'not given'}",
                f"Lives in care: {submission.get_care_status_display() or 'not given'}",
                f"How to contact them: {how}",
                *[d for d in details if d],
                "",
                "Please tell the complaints team when an advocate has been appointed.",
                f"{settings.COUNCIL_NAME}, {settings.COUNCIL_PHONE}",
            ]
        ),
        key=f"advocacy-referral:{case.pk}",
    )
    submission.referral_queued_at = timezone.now()
    submission.save(update_fields=["referral_queued_at"])
    audit.record(
        "online_submission.referred",
        actor=ACTOR,
        case=case,
        obj=submission,
        changes=[
            {"field": "Advocacy referral sent", "old": None, "new": submission.referral_queued_at}
        ],
    )
    return True


def _alert_team(case: Case) -> None:
    """Tell the complaints team's shared address that something new arrived. The e-mail holds
    the reference and a link, never what the person wrote."""
    if not settings.HEARD_COMPLAINTS_TEAM_EMAIL:
        return
    link = settings.HEARD_BASE_URL.rstrip("/") + reverse("cases:detail", args=[case.reference])
    queue(
        settings.HEARD_COMPLAINTS_TEAM_EMAIL,
        f"New {KIND_WORDS[case.kind]} from the online form: {case.reference}",
        f"A new {KIND_WORDS[case.kind]} arrived through the online form on "
        f"{case.received_on:%-d %B %Y}.\n\nOpen it in Heard: {link}\n",
        key=f"online-alert:{case.pk}",
    )


def issue_progress_link(submission: OnlineSubmission) -> str:
    """A new private link to the progress page; only its digest is kept."""
    token = secrets.token_urlsafe(32)
    submission.progress_digest = token_digest(token)
    submission.progress_revoked_at = None
    submission.save(update_fields=["progress_digest", "progress_revoked_at"])
    return token


def submission_for_token(token: str) -> OnlineSubmission | None:
    if not token or len(token) > 100:
        return None
    return (
        OnlineSubmission.objects.filter(
            progress_digest=token_digest(token), progress_revoked_at__isnull=True
        )
        .select_related("case")
        .first()
    )


def revoke_progress_link(submission: OnlineSubmission, *, user=None, actor: str = "") -> None:
    if submission.progress_revoked_at is not None:
        return
    submission.progress_revoked_at = timezone.now()
    submission.save(update_fields=["progress_revoked_at"])
    audit.record(
        "online_submission.progress_link_revoked",
        user=user,
        actor=actor,
        case=submission.case,
        obj=submission,
    )


def record_advocate_appointed(
    submission: OnlineSubmission, *, appointed_on: datetime.date, name: str, user
) -> None:
    """Record that an advocate was appointed. Where the stage's clock was stopped to wait for
    an advocate, it restarts on the day of the appointment."""
    from heard.cases import workflow

    case = submission.case
    if appointed_on > timezone.localdate():
        raise workflow.TransitionRefused(
            "The date the advocate was appointed cannot be in the future."
        )
    before = {
        "advocate_appointed_on": submission.advocate_appointed_on,
        "advocate_name": submission.advocate_name,
    }
    submission.advocate_appointed_on = appointed_on
    submission.advocate_name = name
    submission.save(update_fields=["advocate_appointed_on", "advocate_name"])
    audit.record(
        "online_submission.advocate_appointed",
        user=user,
        case=case,
        obj=submission,
        changes=[
            {
                "field": "Advocate appointed on",
                "old": before["advocate_appointed_on"],
                "new": appointed_on,
            },
            {"field": "Advocate", "old": before["advocate_name"], "new": name},
        ],
    )
    stage = case.stages.filter(responded_on__isnull=True).order_by("-number").first()
    if stage is None:
        return
    waiting = stage.suspensions.filter(ended_on__isnull=True, reason__code="advocate").first()
    if waiting is not None:
        workflow.resume(case, ended_on=max(appointed_on, waiting.started_on), user=user)
