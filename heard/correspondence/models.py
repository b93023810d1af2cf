"""Letters and e-mails: the council's templates, and everything written or received on a case."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from heard.cases.models import Case


class Purpose(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
    EXTENSION = "extension", "Extension of the response time"
    STAGE_RESPONSE = "stage-response", "Stage response"
    RIGHTS_STAGE_2 = "rights-stage-2", "Right to ask for Stage 2"
    RIGHTS_STAGE_3 = "rights-stage-3", "Right to ask for Stage 3"
    RIGHTS_OMBUDSMAN = "rights-ombudsman", "Right to go to the Ombudsman"
    APPOINTMENT = "appointment", "Investigating Officer and Independent Person appointment"
    PANEL_INVITATION = "panel-invitation", "Stage 3 panel invitation"
    SAR_ACKNOWLEDGEMENT = "sar-acknowledgement", "Subject access request acknowledgement"
    SAR_COMPLETION = "sar-completion", "Subject access request completed"
    COMPLIMENT_THANKS = "compliment-thanks", "Thanks for a compliment"
    OTHER = "other", "Other"


class Template(models.Model):
    """A letter or e-mail the council sends, with merge fields in ``{{ double braces }}``
    (Jinja, as docxtpl uses in Word templates). A letter may carry the council's own Word
    template (``docx``); without one Heard lays the text out on a plain letter."""

    class Kind(models.TextChoices):
        LETTER = "letter", "Letter"
        EMAIL = "email", "E-mail"

    code = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    purpose = models.CharField(max_length=30, choices=Purpose.choices)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    docx = models.FileField(upload_to="letter-templates/", blank=True)
    active = models.BooleanField(default=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Correspondence(models.Model):
    """One letter or e-mail, sent or received; or an entry in the contact log (a call, a
    meeting, a visit) or a case note. An e-mail that arrived with no reference Heard knows
    waits with no case, for the team to triage."""

    class Direction(models.TextChoices):
        OUT = "out", "Sent"
        IN = "in", "Received"
        NONE = "none", "Note"

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        LETTER = "letter", "Letter"
        PHONE = "phone", "Phone call"
        MEETING = "meeting", "Meeting"
        VISIT = "visit", "Visit"
        NOTE = "note", "Case note"

    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="correspondence"
    )
    direction = models.CharField(max_length=4, choices=Direction.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    template = models.ForeignKey(Template, null=True, blank=True, on_delete=models.SET_NULL)
    correspondent = models.CharField("To or from", max_length=300, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    on = models.DateTimeField("Sent or received")
    outbox_message = models.ForeignKey(
        "notifications.OutboxMessage", null=True, blank=True, on_delete=models.SET_NULL
    )
    message_id = models.CharField(max_length=300, null=True, blank=True, unique=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    #: The person an e-mail that arrived came from, when its sender's address is that of
    #: exactly one person Heard knows (see services.sender_person).
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="correspondence",
    )

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name_plural = "correspondence"

    def __str__(self) -> str:
        return self.subject or f"{self.get_channel_display()} {self.get_direction_display()}"

    @property
    def what(self) -> str:
        return label_for(self.channel, self.direction)


def label_for(channel: str, direction: str) -> str:
    """What a letter, e-mail or contact-log entry is called in search results and timelines:
    "Letter", "Letter received", "E-mail sent", "E-mail received", "Phone call", "Case note"."""
    received = direction == Correspondence.Direction.IN
    if channel == Correspondence.Channel.EMAIL:
        return "E-mail received" if received else "E-mail sent"
    if channel == Correspondence.Channel.LETTER:
        return "Letter received" if received else "Letter"
    return Correspondence.Channel(channel).label


class Attachment(models.Model):
    """A file that came with a message, or a letter Heard wrote (its Word file and its PDF)."""

    correspondence = models.ForeignKey(
        Correspondence, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to="correspondence/%Y/%m/")
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.name


class CorrespondenceSettings(models.Model):
    """One row: the council's choices about correspondence. Changed in the administration
    pages (Letters and e-mails → Settings), every change audited."""

    acknowledge_automatically = models.BooleanField(
        "Send the acknowledgement automatically",
        default=False,
        help_text="When a complaint is logged with an e-mail address, e-mail the "
        "acknowledgement at once through the outbox and record the date it was acknowledged.",
    )
    acknowledgement_template = models.ForeignKey(
        Template,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "email", "active": True},
        help_text="The e-mail sent; empty means the acknowledgement e-mail that ships with Heard.",
    )

    class Meta:
        verbose_name = "settings"
        verbose_name_plural = "settings"

    def __str__(self) -> str:
        return "Letters and e-mails settings"

    @classmethod
    def current(cls) -> CorrespondenceSettings:
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj
