"""``heard demo``: build the fictional demo council, deterministically."""

import datetime
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from heard.accounts.models import User
from heard.deadlines.calendar import council_calendar
from heard.deadlines.models import ClosureDay
from heard.demo import cases as demo_cases
from heard.demo import council


class Command(BaseCommand):
    help = "Load the demo council: structure, staff for each role and several years of cases."

    def add_arguments(self, parser):
        parser.add_argument(
            "--cases", type=int, default=2000, help="How many cases (default 2000)."
        )
        parser.add_argument("--seed", type=int, default=2017, help="Random seed (default 2017).")
        parser.add_argument("--years", type=int, default=4, help="Reporting years of history.")
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Pretend today is this date (YYYY-MM-DD), for reproducible data.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (but print the sign-in details) if the database already has users.",
        )

    def handle(self, *args, cases: int, seed: int, years: int, today, if_empty: bool, **options):
        if User.objects.exists():
            if if_empty:
                self._print_sign_in()
                return
            raise CommandError(
                "The database already has data. The demo is only loaded into an empty database "
                "(use a new HEARD_DATA_DIR or DATABASE_URL)."
            )
        today = today or timezone.localdate()
        with transaction.atomic():
            teams = council.build_structure()
            localities = council.build_localities()
            users = council.build_staff()
            for year in range(today.year - years - 1, today.year + 2):
                for day in (27, 28, 29):
                    date = datetime.date(year, 12, day)
                    if date.weekday() < 5:
                        ClosureDay.objects.get_or_create(
                            date=date,
                            defaults={
                                "description": "Council closed between Christmas and New Year"
                            },
                        )
            ctx = demo_cases.Context(
                rng=random.Random(seed),
                today=today,
                calendar=council_calendar(),
                teams=teams,
                localities=localities,
                users=users,
            )
            made = demo_cases.build_cases(ctx, cases, years=years)
            # Separate random streams, so the cases above stay as they were.
            demo_cases.add_case_studies(random.Random(seed + 1))
            council.build_context_figures(random.Random(seed + 2), today, years)
        self.stdout.write(
            self.style.SUCCESS(f"Demo council loaded: {made} cases up to {today:%-d %B %Y}.")
        )
        self._print_sign_in()

    def _print_sign_in(self):
        self.stdout.write(f"Demo users (password for all: {council.DEMO_PASSWORD}):")
        for username, _first, _last, role, _title in council.STAFF:
            self.stdout.write(f"  {username:<14} {role.label}")
