"""``heard worker``: run background jobs (report files, exports, imports), queue deadline
reminders (and on Mondays the managers' digest) and send the e-mail outbox.

Run one or several as services (``systemd``, one per core to spare); every job and every
e-mail is taken by exactly one of them (docs/operations.md). ``--once`` runs one cycle and
the jobs waiting, then stops, for cron.
"""

from __future__ import annotations

import imaplib
import os
import signal
import socket
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string

from heard.jobs import worker as jobs_worker
from heard.reports import ready


class Command(BaseCommand):
    help = (
        "Run background jobs, queue reminders and send queued e-mail; "
        "loop until stopped, or --once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Run one cycle and the jobs waiting, then stop."
        )
        parser.add_argument(
            "--interval", type=int, default=60, help="Seconds between reminder and e-mail cycles."
        )
        parser.add_argument(
            "--poll", type=float, default=1.0, help="Seconds between looks for new jobs."
        )

    def handle(self, *args, once: bool, interval: int, poll: float, **options):
        if settings.HEARD_WORKER_NICE > 0:
            # Background work yields the processor to the web processes on the same machine,
            # so a burst of report files never slows the pages people are waiting for.
            os.nice(settings.HEARD_WORKER_NICE)
        worker_id = f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"
        runner = jobs_worker.JobRunner(worker_id)
        self.stopping = False
        if not once:
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)
        runner.beat(force=True)
        self.private_at = None  # when the data folder's permissions were last put right
        readier = ready.Readier()
        if once:
            ran = runner.run_waiting()
            if ran:
                self.stdout.write(f"{timezone.now():%Y-%m-%d %H:%M}: {ran} job(s) run")
            self.cycle(runner)
            self.make_ready(readier)
            return
        self.stdout.write(f"Worker {worker_id} started.")
        next_cycle = 0.0
        while not self.stopping:
            try:
                if time.monotonic() >= next_cycle:
                    self.cycle(runner)
                    next_cycle = time.monotonic() + interval
                runner.beat()
                if runner.run_one():
                    readier.worked()
                    continue
                if readier.due():  # nothing waiting: have the annual report ready
                    self.make_ready(readier)
                    continue
            except DatabaseError as error:
                # The database went away or is busy: say so (no data in the message) and
                # carry on when it is back.
                self.stderr.write(f"Database unavailable ({type(error).__name__}); waiting.")
                close_old_connections()
                time.sleep(min(max(poll, 1.0) * 5, 30))
                continue
            self._sleep(poll)
        self.stdout.write("Stopped.")

    def make_ready(self, readier: ready.Readier) -> None:
        """Compute the annual report after a change (``heard.reports.ready``). A failure is
        reported (its kind only) and tried again later, never fatal: the page computes the
        report itself when it is not ready."""
        try:
            computed = readier.run()
        except DatabaseError:
            raise
        except Exception as error:  # noqa: BLE001 - the worker must carry on with its jobs
            readier.computed_at = readier.clock()
            self.stderr.write(
                f"The annual report could not be made ready ({type(error).__name__})."
            )
            return
        if computed:
            self.stdout.write(
                f"{timezone.now():%Y-%m-%d %H:%M}: annual report made ready after a change"
            )

    def _stop(self, signum, frame):
        # Finish the job in hand, then stop; a second signal stops at once.
        if self.stopping:
            raise SystemExit(1)
        self.stopping = True

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < end:
            time.sleep(min(0.2, seconds))

    def cycle(self, runner: jobs_worker.JobRunner) -> None:
        from heard.public import spool, uploads

        entered, waiting = spool.enter_waiting()  # online forms kept while the database was busy
        uploads.clear_abandoned()
        mail = self.read_mailbox()
        queued, sent, failed = runner.cycle()
        retention = self.retention()
        # Counts only: never addresses or subjects, which may identify someone.
        self.stdout.write(
            f"{timezone.now():%Y-%m-%d %H:%M}: {queued} queued, {sent} sent, {failed} failed"
            + (f", {entered} online forms entered from the spool" if entered else "")
            + (f", {waiting} still waiting in the spool" if waiting else "")
            + mail
            + retention
        )

    def retention(self) -> str:
        """List cases due for review, anonymise those a manager approved, and sweep: expired
        sessions, old sent mail, and (at start and then hourly) the data folder's
        permissions. Counts only."""
        from heard.retention import housekeeping
        from heard.retention import services as retention

        listed = retention.list_due()
        anonymised, skipped = retention.anonymise_approved()
        now = time.monotonic()
        walk = getattr(self, "private_at", None) is None or now - self.private_at > 3600
        swept = housekeeping.sweep(permissions=walk)
        if walk:
            self.private_at = now
        said = [
            f"{listed} cases due for retention review" if listed else "",
            f"{anonymised} cases anonymised" if anonymised else "",
            f"{skipped} approved cases now on hold, back to review" if skipped else "",
            str(swept),
        ]
        return "".join(f", {part}" for part in said if part)

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
