"""``heard export``: write cases in the exchange format (JSON), the format's JSON Schema, or
with ``--all`` the whole council as an archive for moving it to another database."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from heard.cases.choices import Kind
from heard.exchange import council, export
from heard.exchange.schema import json_schema


class Command(BaseCommand):
    help = "Export cases as JSON in the Heard exchange format (docs/exchange-format.md)."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")
        parser.add_argument(
            "--year", type=int, help="Reporting year: 2017 is April 2017 to March 2018."
        )
        parser.add_argument("--kind", choices=Kind.values, help="Only this kind of case.")
        parser.add_argument("--schema", action="store_true", help="Write the JSON Schema instead.")
        parser.add_argument(
            "--all",
            action="store_true",
            dest="everything",
            help="Write the whole council (every table and document) as a zip archive, to "
            "import into an empty database (docs/operations.md, Moving to PostgreSQL).",
        )
        parser.add_argument(
            "--with-credentials",
            action="store_true",
            help="With --all: also carry users' password hashes and API tokens.",
        )

    def handle(self, *args, output, year, kind, schema, everything, **options):
        if everything:
            return self._archive(output, year, kind, schema, options["with_credentials"])
        if options["with_credentials"]:
            raise CommandError("--with-credentials goes with --all.")
        try:
            out = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        try:
            if schema:
                json.dump(json_schema(), out, indent=2)
                out.write("\n")
                return
            count = export.write(out, export.selected_cases(year=year, kind=kind))
        finally:
            if output:
                out.close()
        if output:
            self.stderr.write(f"{count} case(s) written to {output}.")

    def _archive(self, output, year, kind, schema, credentials):
        if year or kind or schema:
            raise CommandError(
                "--all carries the whole council: it takes no --year, --kind or --schema."
            )
        if not output:
            raise CommandError("Name the archive to write with -o, e.g. -o council.zip.")
        try:
            written = council.write_archive(
                Path(output),
                credentials=credentials,
                progress=lambda name: self.stderr.write(f"  {name} …"),
            )
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror or error}.") from None
        rows = sum(written.tables.values())
        self.stderr.write(
            f"{rows} row(s) in {len(written.tables)} table(s) and {written.documents} "
            f"document(s) written to {output}."
        )
        for name in written.missing_documents:
            self.stderr.write(
                self.style.WARNING(f"A row names the document {name}, which is not stored.")
            )
        if not credentials:
            self.stderr.write(
                "Password hashes and API tokens were left out: after importing, set each "
                "user's password (`heard changepassword USERNAME`) and issue new tokens."
            )
