"""``heard import``: bring cases into Heard from the exchange format (JSON) or the flat CSV
and XLSX templates; ``heard import --template DIR`` writes the blank templates. Given a
council archive (``heard export --all``) it loads the whole council into an empty database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from heard.exchange import council, files, flat, problems
from heard.exchange.importer import ImportFailed, import_records


class Command(BaseCommand):
    help = (
        "Import cases from a JSON exchange file, or a CSV or XLSX template. Everything is "
        "checked first; a file with any problem changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?", help="A .json, .csv or .xlsx file, or a council archive (.zip)."
        )
        parser.add_argument("--parts", help="With a CSV file: the CSV of parts and findings.")
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="Create vocabulary values, teams and localities the file uses but Heard lacks.",
        )
        parser.add_argument(
            "--template", metavar="DIR", help="Write blank CSV and XLSX templates into DIR."
        )

    def handle(self, *args, file, parts, create_missing, template, **options):
        if template:
            for written in flat.write_templates(Path(template)):
                self.stdout.write(f"Wrote {written}")
            return
        if not file:
            raise CommandError("Name the file to import, or use --template DIR.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file {file}.")
        if council.is_archive(path):
            return self._archive(path, parts, create_missing)
        try:
            found = files.read(path, Path(parts) if parts else None)
            result = import_records(
                found.rows,
                create_missing=create_missing,
                actor=f"Import of {path.name}",
                progress=lambda n: self.stderr.write(f"  checked {n} cases …"),
                **found.declared,
            )
        except files.UnreadableFile as error:
            raise CommandError(str(error)) from None
        except ImportFailed as failed:
            for line in problems.report_lines(failed.problems):
                self.stderr.write(line)
            raise CommandError(
                f"{len(failed.problems)} problem(s) found; nothing was imported."
            ) from None
        self.stdout.write(
            f"{result.created} case(s) imported, {result.unchanged} already in Heard and left "
            "unchanged."
        )
        if result.context_figures:
            self.stdout.write(f"{result.context_figures} context figure(s) imported.")
        if result.created_terms:
            self.stdout.write(f"Created {len(result.created_terms)} value(s):")
            for line in result.created_terms:
                self.stdout.write(f"  {line}")
        if result.renamed_terms:
            self.stdout.write("Took the file's words for:")
            for line in result.renamed_terms:
                self.stdout.write(f"  {line}")

    def _archive(self, path, parts, create_missing):
        if parts or create_missing:
            raise CommandError("A council archive is imported whole: it takes no other options.")
        try:
            result = council.read_archive(
                path, progress=lambda name: self.stderr.write(f"  {name} …")
            )
        except council.ArchiveRefused as error:
            raise CommandError(str(error)) from None
        rows = sum(result.tables.values())
        self.stdout.write(
            f"The council {result.council!r} imported: {rows} row(s) in {len(result.tables)} "
            f"table(s) and {result.documents} document(s)."
        )
        if not result.credentials:
            self.stdout.write(
                "Passwords did not travel: set each user's password (`heard changepassword "
                "USERNAME`) before they sign in, and issue new API tokens (`heard token`)."
            )
