"""``heard backup``: a consistent copy of the database and the documents folder, while Heard
runs (docs/operations.md, Backups)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from heard.exchange.backup import BackupFailed, make_backup


def default_path(prefix: str = "heard") -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "backups" / f"{prefix}-{stamp}.tar"


class Command(BaseCommand):
    help = "Back up the database and the documents folder into one file."

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output", help="File to write (default: HEARD_DATA_DIR/backups/heard-TIME.tar)."
        )

    def handle(self, *args, output, **options):
        path = Path(output) if output else default_path()
        try:
            summary = make_backup(path)
        except (BackupFailed, OSError) as error:
            raise CommandError(f"No backup was made: {error}") from None
        self.stdout.write(
            f"Backed up the {summary.database} database and {summary.documents} document(s) "
            f"to {summary.path} ({summary.size / 1e6:.1f} MB)."
        )
