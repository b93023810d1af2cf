"""``heard report annual --year 2017 --format json -o FILE``: a report from the command line."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from heard.reports import annual


class Command(BaseCommand):
    help = "Write a report: heard report annual --year 2017 --format pdf -o report.pdf"

    def add_arguments(self, parser):
        parser.add_argument("report", choices=["annual"])
        parser.add_argument(
            "--year", type=int, required=True, help="2017 = April 2017 to March 2018"
        )
        parser.add_argument(
            "--format", default="json", choices=["json"], help="The file format to write."
        )
        parser.add_argument("--publication", action="store_true", help="Suppress small numbers.")
        parser.add_argument("-o", "--output", help="The file to write (default: standard output).")

    def handle(self, *args, **options):
        if not 1990 <= options["year"] <= 2100:
            raise CommandError("Give the year the reporting year starts in, e.g. --year 2017.")
        report = annual.build(options["year"], publication=options["publication"])
        text = json.dumps(report.to_dict(), indent=2, default=str)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            sys.stdout.write(text + "\n")
