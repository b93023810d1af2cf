"""``heard search_index --rebuild`` rebuilds the search index from the cases;
``heard search_index --missing`` indexes only cases that have no index document (after
something wrote cases behind Django's back). Prints counts only, never what was indexed."""

import time

from django.core.management.base import BaseCommand, CommandError

from heard.people.services import link_cases_in_bulk
from heard.search import documents


class Command(BaseCommand):
    help = "Rebuild the search index (--rebuild) or index the cases missing from it (--missing)."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--rebuild", action="store_true", help="Rebuild the whole index.")
        group.add_argument("--missing", action="store_true", help="Index unindexed cases only.")

    def handle(self, *args, rebuild: bool, missing: bool, **options):
        if not (rebuild or missing):
            raise CommandError("Say --rebuild (the whole index) or --missing (new cases only).")
        started = time.perf_counter()
        if rebuild:
            written = documents.rebuild()
        else:
            ids = documents.missing()
            link_cases_in_bulk(ids)
            written = documents.index_cases(ids)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{written} case{'s' if written != 1 else ''} indexed in {seconds:.1f} s."
        )
