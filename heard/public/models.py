"""What the online form records beside the case: how the person wants to be contacted, the
child's age band and care status, a representative's consent, the advocacy referral and the
private progress link."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models

from heard.cases.models import Case


class AgeBand(models.TextChoices):
    UNDER_10 = "under-10", "9 or younger"
    TEN_TO_12 = "10-12", "10 to 12"
    THIRTEEN_TO_15 = "13-15", "13 to 15"
    SIXTEEN_17 = "16-17", "16 or 17"
    EIGHTEEN_PLUS = "18-plus", "18 or older"
    NOT_SAID = "not-said", "I'd rather not say"


class CareStatus(models.TextChoices):
    IN_CARE = "in-care", "I live in care (I am looked after)"
    CARE_LEAVER = "care-leaver", "I used to live in care (I am a care leaver)"
    NO = "no", "No"
    NOT_SAID = "not-said", "I'd rather not say"


class ContactVia(models.TextChoices):
    EMAIL = "email", "By e-mail"
    PHONE = "phone", "By phone"
    ADVOCATE = "advocate", "Through my advocate"
    TRUSTED_ADULT = "trusted-adult", "Through a carer or another adult I trust"
    NONE = "anonymous", "Do not contact me"


class Route(models.TextChoices):
    CHILD = "child", "Child or young person"
    ADULT = "adult", "Adult"
    REPRESENTATIVE = "representative", "Representative"


def token_digest(token: str) -> str:
    """Progress links are stored only as a digest, so a copy of the database cannot be used
    to read anyone's progress."""
    return hashlib.sha256(token.encode()).hexdigest()


class OnlineSubmission(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="online_submission")
    route = models.CharField(max_length=20, choices=Route.choices)
    age_band = models.CharField(max_length=20, choices=AgeBand.choices, blank=True)
    care_status = models.CharField(max_length=20, choices=CareStatus.choices, blank=True)
    contact_via = models.CharField(max_length=20, choices=ContactVia.choices, blank=True)
    helper_name = models.CharField("Advocate's or adult's name", max_length=200, blank=True)
    helper_relationship = models.CharField("Who they are to the person", max_length=200, blank=True)
    helper_email = models.EmailField("Advocate's or adult's e-mail", blank=True)
    helper_phone = models.CharField("Advocate's or adult's phone", max_length=50, blank=True)
    representative_organisation = models.CharField(
        "Constituency or organisation", max_length=200, blank=True
    )
    consent_confirmed = models.BooleanField(
        "The representative confirmed the person's consent", default=False
    )
    consent_how = models.TextField("How consent was given", blank=True)
    advocate_wanted = models.CharField(max_length=10, blank=True)
    referral_consent = models.BooleanField(
        "Agreed that we pass their details to the advocacy service", default=False
    )
    referral_queued_at = models.DateTimeField("Advocacy referral sent", null=True, blank=True)
    advocate_appointed_on = models.DateField("Advocate appointed on", null=True, blank=True)
    advocate_name = models.CharField("Advocate", max_length=200, blank=True)
    progress_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    progress_revoked_at = models.DateTimeField(null=True, blank=True)
    submission_key = models.CharField(
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text="One per filled-in form, so that sending it twice makes one case.",
    )

    def __str__(self) -> str:
        return f"Online submission for {self.case.reference}"

    def no_referral_reason(self) -> str:
        """Why no advocacy referral went, in staff's words: none is possible without a
        provider set up (the child is then not asked), or the child did not agree."""
        if not settings.HEARD_ADVOCACY_PROVIDER_EMAIL:
            return "no advocacy provider is set up in Heard"
        if not self.referral_consent:
            return "they did not agree to one"
        return ""

    @property
    def progress_link_active(self) -> bool:
        return bool(self.progress_digest) and self.progress_revoked_at is None
