"""``heard export``: write cases in the exchange format (JSON), or the format's JSON Schema."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from heard.audit import services as audit
from heard.cases.choices import Kind
from heard.exchange import export
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
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help="Only the cases this user may see, as they may see them (an export for someone "
            "who is not an administrator).",
        )
        parser.add_argument(
            "--include-restricted",
            action="store_true",
            help="Include cases restricted to named people (left out unless asked for).",
        )

    def handle(self, *args, output, year, kind, schema, as_user, include_restricted, **options):
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
                "them (the export does not carry the restriction)."
            )
