"""``heard worker``: queue deadline reminders (and on Mondays the managers' digest) and send
the outbox. Run it as a service, or from cron with ``--once``."""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from heard.deadlines.calendar import council_calendar
from heard.notifications import reminders, services


class Command(BaseCommand):
    help = "Queue reminders and send queued e-mail; loop every --interval seconds, or --once."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run one cycle and stop.")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between cycles.")

    def handle(self, *args, once: bool, interval: int, **options):
        try:
            while True:
                self.cycle()
                if once:
                    return
                time.sleep(interval)
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")

    def cycle(self) -> None:
        today = timezone.localdate()
        calendar = council_calendar()
        queued = reminders.queue_reminders(today, calendar)
        queued += reminders.queue_arrangement_reviews(today, calendar)
        if today.weekday() == 0:
            queued += reminders.queue_weekly_digest(today, calendar)
        sent, failed = services.send_due()
        # Counts only: never addresses or subjects, which may identify someone.
        self.stdout.write(
            f"{timezone.now():%Y-%m-%d %H:%M}: {queued} queued, {sent} sent, {failed} failed"
        )
