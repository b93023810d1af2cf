"""The council's calendar settings and closure days, which feed the timescale engine."""

from django.db import models


class Region(models.TextChoices):
    ENGLAND_AND_WALES = "england-and-wales", "England and Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern-ireland", "Northern Ireland"


class Stage2ClockStart(models.TextChoices):
    REQUESTED = "requested", "The date Stage 2 was requested"
    STATEMENT_AGREED = "statement_agreed", "The date the statement of complaint was agreed"


class CorporateExtensions(models.TextChoices):
    CODE = "code", "As the Complaint Handling Code allows"
    NONE = "none", "No extensions"
    OWN = "own", "Up to the council's own limits"


class CalendarSettings(models.Model):
    """One row: how this council counts working days."""

    region = models.CharField(
        max_length=30, choices=Region.choices, default=Region.ENGLAND_AND_WALES
    )
    stage2_clock_start = models.CharField(
        max_length=30, choices=Stage2ClockStart.choices, default=Stage2ClockStart.REQUESTED
    )
    #: Whether corporate complaints may be extended, and how far (a council decision; the
    #: Complaint Handling Code's limits are the default).
    corporate_extensions = models.CharField(
        max_length=10, choices=CorporateExtensions.choices, default=CorporateExtensions.CODE
    )
    corporate_stage1_max = models.PositiveSmallIntegerField(null=True, blank=True)
    corporate_stage2_max = models.PositiveSmallIntegerField(null=True, blank=True)
    #: A fingerprint of the bank-holiday data last used to compute open clocks; when the
    #: installed data differs, every open clock is recalculated (``heard recalculate``).
    holidays_fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name_plural = "calendar settings"

    def extension_policy(self):
        from heard.timescales import ExtensionPolicy

        return ExtensionPolicy(
            self.corporate_extensions, self.corporate_stage1_max, self.corporate_stage2_max
        )

    @classmethod
    def current(cls) -> "CalendarSettings":
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj


class ClosureDay(models.Model):
    """A day the council is closed beyond bank holidays (for example between Christmas and
    New Year). Adding or removing one recalculates every open clock."""

    date = models.DateField(unique=True)
    description = models.CharField(max_length=200)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%-d %B %Y}: {self.description}"
