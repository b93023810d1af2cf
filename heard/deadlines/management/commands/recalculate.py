"""``heard recalculate``: recalculate every open clock, for example after upgrading the
bank-holiday data. Each case whose dates move records the change in its history."""

from django.core.management.base import BaseCommand

from heard.cases.services import recalculate_open_clocks
from heard.deadlines.calendar import holidays_fingerprint
from heard.deadlines.models import CalendarSettings


class Command(BaseCommand):
    help = "Recalculate the due dates of every open case."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-holidays-changed",
            action="store_true",
            help="Only if the installed bank-holiday data differs from the data last used.",
        )

    def handle(self, *args, if_holidays_changed: bool, **options):
        settings = CalendarSettings.current()
        fingerprint = holidays_fingerprint(settings.region)
        if if_holidays_changed and fingerprint == settings.holidays_fingerprint:
            self.stdout.write("Bank-holiday data unchanged: nothing to recalculate.")
            return
        moved = recalculate_open_clocks(because="Bank-holiday data or calendar settings changed")
        CalendarSettings.objects.filter(pk=settings.pk).update(holidays_fingerprint=fingerprint)
        self.stdout.write(f"{moved} open case(s) had their due dates moved.")
