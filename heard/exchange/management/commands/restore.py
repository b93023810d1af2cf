"""``heard restore FILE``: put back a backup made by ``heard backup``, after backing up what
is there now (docs/operations.md, Backups)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from heard.exchange.backup import (
    BackupFailed,
    check_restorable,
    make_backup,
    read_manifest,
    restore_backup,
)
from heard.exchange.management.commands.backup import default_path


class Command(BaseCommand):
    help = (
        "Replace the database and the documents folder with a backup. What is there now is "
        "backed up first. Stop `heard serve` and `heard worker` before restoring."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A backup made by `heard backup`.")
        parser.add_argument(
            "--no-input", "--noinput", action="store_false", dest="interactive",
            help="Do not ask for confirmation.",
        )  # fmt: skip

    def handle(self, *args, file, interactive, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file {file}.")
        try:
            manifest = read_manifest(path)
            check_restorable(manifest)
        except BackupFailed as error:
            raise CommandError(str(error)) from None
        if interactive:
            answer = input(
                f"Replace this Heard's database and documents with the backup made at "
                f"{manifest['made_at']}? What is there now is backed up first. Type 'yes': "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was restored.")
        safety = default_path("before-restore")
        try:
            make_backup(safety)
        except (BackupFailed, OSError) as error:
            raise CommandError(
                f"Nothing was restored: what is there now could not be backed up first ({error})."
            ) from None
        self.stdout.write(f"What was there before is backed up in {safety}.")
        try:
            restore_backup(path)
        except (BackupFailed, OSError) as error:
            raise CommandError(f"{error} (the backup of what was there is {safety})") from None
        self.stdout.write(
            f"Restored the backup made at {manifest['made_at']}: the {manifest['database']} "
            f"database and {manifest['documents']} document(s)."
        )
        connection = connections[DEFAULT_DB_ALIAS]
        connection.close()
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write(
                "The backup comes from an older version of Heard: run `heard migrate` before "
                "starting Heard."
            )
