"""``heard deadline``: check a due date from the command line, with the council's calendar."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from heard.deadlines.calendar import council_calendar


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--from must be a date written YYYY-MM-DD, not {value!r}.") from None


class Command(BaseCommand):
    help = (
        "Print the due date (YYYY-MM-DD) a number of working days or calendar months after a "
        "start date. The start date is day 0."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="Start date, YYYY-MM-DD.")
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--working-days", type=int, help="Working days to add.")
        group.add_argument("--months", type=int, help="Calendar months to add (ICO counting).")
        parser.add_argument(
            "--explain", action="store_true", help="Also list the non-working days skipped."
        )

    def handle(self, *args, start, working_days, months, explain, **options):
        start = _date(start)
        amount = working_days if working_days is not None else months
        if amount < 0:
            raise CommandError("The number of days or months must be 0 or more.")
        calendar = council_calendar()
        if working_days is not None:
            due = calendar.add_working_days(start, working_days)
        else:
            due = calendar.add_months(start, months)
        self.stdout.write(due.isoformat())
        if explain:
            for day, reason in calendar.non_working_days(start, due):
                if day.weekday() < 5:
                    self.stdout.write(f"  not counted: {day.isoformat()} {reason}")
