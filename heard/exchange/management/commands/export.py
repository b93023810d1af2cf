"""``heard export``: write cases in the exchange format (JSON), the format's JSON Schema, or
with ``--all`` the whole council as an archive for moving it to another database."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from heard.audit import services as audit
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
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help="Only the cases this user may see, as they may see them (an export for someone "
            "who is not an administrator).",
        )
        parser.add_argument(
            "--include-restricted",
            action="store_true",
            help="Include cases restricted to named people, with their restriction (left out "
            "unless asked for).",
        )

    def handle(
        self, *args, output, year, kind, schema, as_user, include_restricted, everything, **options
    ):
        if everything:
            if as_user or include_restricted:
                raise CommandError(
                    "--all carries every case: it takes no --as or --include-restricted."
                )
            return self._archive(output, year, kind, schema, options["with_credentials"])
        if options["with_credentials"]:
            raise CommandError("--with-credentials goes with --all.")
        user = None
        if as_user:
            from heard.accounts.models import User

            user = User.objects.filter(username=as_user, is_active=True).first()
            if user is None:
                raise CommandError(f"There is no active user {as_user!r}.")
        try:
            out = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        try:
            if schema:
                json.dump(json_schema(), out, indent=2)
                out.write("\n")
                return
            cases = export.selected_cases(year=year, kind=kind, user=user)
            left_out = 0
            if user is None and not include_restricted:
                left_out = cases.filter(restriction__isnull=False).count()
                cases = cases.filter(restriction__isnull=True)
            count = export.write(out, cases, user=user)
        finally:
            if output:
                out.close()
        audit.record(
            "cases.exported_exchange",
            actor="heard export",
            note=f"{count} case(s) (year {year or 'any'}, kind {kind or 'any'}) written to "
            f"{output or 'standard output'}.",
        )
        if output:
            self.stderr.write(f"{count} case(s) written to {output}.")
        if left_out:
            self.stderr.write(
                f"{left_out} restricted case(s) left out: add --include-restricted to include "
                "them (each with its restriction, so an import keeps it restricted)."
            )

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
