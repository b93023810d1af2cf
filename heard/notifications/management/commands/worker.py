"""``heard worker``: queue deadline reminders (and on Mondays the managers' digest) and send
the outbox. Run it as a service, or from cron with ``--once``."""

import imaplib
import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from heard.deadlines.calendar import council_calendar
from heard.notifications import reminders, services
from heard.public import spool, uploads


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
        if today.weekday() == 0:
            queued += reminders.queue_weekly_digest(today, calendar)
        entered, waiting = spool.enter_waiting()
        uploads.clear_abandoned()
        mail = self.read_mailbox()
        sent, failed = services.send_due()
        # Counts only: never addresses or subjects, which may identify someone.
        self.stdout.write(
            f"{timezone.now():%Y-%m-%d %H:%M}: {queued} queued, {sent} sent, {failed} failed"
            + (f", {entered} online forms entered from the spool" if entered else "")
            + (f", {waiting} still waiting in the spool" if waiting else "")
            + mail
        )

    def read_mailbox(self) -> str:
        """The complaints mailbox, if one is set; a failure to reach it is reported and tried
        again next cycle, never fatal."""
        from heard.correspondence import mailbox

        if not mailbox.configured():
            return ""
        try:
            got = mailbox.fetch()
        except (OSError, imaplib.IMAP4.error) as error:
            return f", mailbox not read ({type(error).__name__})"
        return f", mailbox: {got.filed} filed on cases, {got.waiting} to triage" + (
            f", {got.unreadable} unreadable" if got.unreadable else ""
        )
