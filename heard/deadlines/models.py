"""The council's calendar settings and closure days, which feed the timescale engine."""

from django.db import models


class Region(models.TextChoices):
    ENGLAND_AND_WALES = "england-and-wales", "England and Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern-ireland", "Northern Ireland"


class Stage2ClockStart(models.TextChoices):
    REQUESTED = "requested", "The date Stage 2 was requested"
    STATEMENT_AGREED = "statement_agreed", "The date the statement of complaint was agreed"


class CalendarSettings(models.Model):
    """One row: how this council counts working days."""

    region = models.CharField(
        max_length=30, choices=Region.choices, default=Region.ENGLAND_AND_WALES
    )
    stage2_clock_start = models.CharField(
        max_length=30, choices=Stage2ClockStart.choices, default=Stage2ClockStart.REQUESTED
    )
    #: A fingerprint of the bank-holiday data last used to compute open clocks; when the
    #: installed data differs, every open clock is recalculated (``heard recalculate``).
    holidays_fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name_plural = "calendar settings"

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
