"""``heard recalculate``: recalculate every open clock, for example after upgrading the
bank-holiday data. Each case whose dates move records the change in its history.

``--answered-stage-3`` also recalculates the response due date of Stage 3 stages already
answered, under the current rule (decision 28: 15 working days after the panel's report); a
stage answered before that rule keeps the panel's date until then."""

from django.core.management.base import BaseCommand

from heard.cases.services import recalculate_answered_stage_3, recalculate_open_clocks
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
        parser.add_argument(
            "--answered-stage-3",
            action="store_true",
            help="Also recalculate the response due date of answered Stage 3 stages under the "
            "current rule (decision 28); each move is recorded in the case's history.",
        )

    def handle(self, *args, if_holidays_changed: bool, answered_stage_3: bool, **options):
        settings = CalendarSettings.current()
        fingerprint = holidays_fingerprint(settings.region)
        if if_holidays_changed and fingerprint == settings.holidays_fingerprint:
            self.stdout.write("Bank-holiday data unchanged: nothing to recalculate.")
        else:
            moved = recalculate_open_clocks(
                because="Bank-holiday data or calendar settings changed"
            )
            CalendarSettings.objects.filter(pk=settings.pk).update(holidays_fingerprint=fingerprint)
            self.stdout.write(f"{moved} open case(s) had their due dates moved.")
        if answered_stage_3:
            moved = recalculate_answered_stage_3(
                because="Stage 3 response due recalculated under the current rule (decision 28)"
            )
            self.stdout.write(
                f"{moved} answered Stage 3 case(s) had their response due date moved."
            )
