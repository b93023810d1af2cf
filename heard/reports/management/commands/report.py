"""``heard report annual --year 2017 --format pdf -o report.pdf``: a report from the command line.

Reports: ``annual``, ``scrutiny`` and ``lgsco`` for a reporting year (2017 = April 2017 to
March 2018), ``management`` for the week, month or quarter containing a day. Formats: those of
``heard.reports.render.FORMATS``; JSON and HTML may go to standard output, the others need
``-o FILE``.
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from heard.reports import definitions
from heard.reports.document import Report
from heard.reports.render import FORMATS, TEXT_FORMATS
from heard.reports.render.pdf import PDFUnavailable

REPORTS = ["annual", "management", "scrutiny", "lgsco"]
PERIODS = ["week", "month", "quarter"]
FIRST_YEAR, LAST_YEAR = 1990, 2100


class Command(BaseCommand):
    help = (
        "Write a report: heard report annual --year 2017 --format pdf -o report.pdf "
        "(2017 = April 2017 to March 2018)."
    )

    def add_arguments(self, parser):
        parser.add_argument("report", choices=REPORTS)
        parser.add_argument(
            "--year",
            type=int,
            help="The year the reporting year starts in: 2017 = April 2017 to March 2018 "
            "(annual, scrutiny, lgsco).",
        )
        parser.add_argument(
            "--period", choices=PERIODS, default="month", help="management: the span to cover."
        )
        parser.add_argument(
            "--on",
            type=_day,
            help="management: a day in the week, month or quarter (YYYY-MM-DD; default today).",
        )
        parser.add_argument(
            "--format", default="json", choices=list(FORMATS), help="The file format to write."
        )
        parser.add_argument(
            "--publication",
            action="store_true",
            help="Publication mode: suppress small numbers, as published statistics do.",
        )
        parser.add_argument(
            "--outcome-basis",
            default=definitions.DEFAULT_OUTCOME_BASIS,
            choices=list(definitions.OUTCOME_BASES),
            help="Which complaints outcome figures count: latest (received in the year, latest "
            "outcome known; the default), year-end (received, outcome at the year's end) or "
            "closed (closed in the year).",
        )
        parser.add_argument("-o", "--output", help="The file to write (default: standard output).")

    def handle(self, *args, **options):
        fmt = options["format"]
        if not options["output"] and fmt not in TEXT_FORMATS:
            raise CommandError(
                f"A {fmt.upper()} file cannot go to the terminal: give the file to write with "
                f"-o, e.g. -o report.{FORMATS[fmt].extension}"
            )
        report = self.build(options)
        if options["publication"] and not report.publication:
            # The annual, scrutiny and Code reports apply publication mode themselves.
            from heard.reports.publication import for_publication

            report = for_publication(report)
        try:
            data = FORMATS[fmt].render(report)
        except PDFUnavailable as error:
            raise CommandError(str(error)) from error
        if options["output"]:
            try:
                with open(options["output"], "wb") as handle:
                    handle.write(data)
            except OSError as error:
                raise CommandError(f"Could not write {options['output']}: {error}") from error
        else:
            self.stdout.write(data.decode("utf-8"), ending="")

    def build(self, options) -> Report:
        name, year, publication = options["report"], options["year"], options["publication"]
        basis = options.get("outcome_basis") or definitions.DEFAULT_OUTCOME_BASIS
        if name == "management":
            from django.utils import timezone

            from heard.reports import summaries

            return summaries.build(options["period"], options["on"] or timezone.localdate())
        if year is None:
            raise CommandError(
                f"Give the reporting year with --year, e.g. heard report {name} --year 2017 "
                "(April 2017 to March 2018)."
            )
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise CommandError(
                f"{year} is not a reporting year Heard can report on: give the year it starts "
                f"in, from {FIRST_YEAR} to {LAST_YEAR}, e.g. --year 2017 for April 2017 to "
                "March 2018."
            )
        if name == "scrutiny":
            from heard.reports import scrutiny

            return scrutiny.build(year, publication=publication, outcome_basis=basis)
        if name == "lgsco":
            from heard.reports import lgsco_code

            return lgsco_code.build(year, publication=publication, outcome_basis=basis)
        from heard.reports import annual

        return annual.build(year, publication=publication, outcome_basis=basis)


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        from argparse import ArgumentTypeError

        raise ArgumentTypeError(f"{text!r} is not a date: write it as YYYY-MM-DD.") from None
