"""``heard audit verify``: check the audit trail's hash chain and the values it holds."""

from django.core.management.base import BaseCommand, CommandError

from heard.audit.verify import verify


class Command(BaseCommand):
    help = "Check the audit trail: every entry's hash, every link, every held value."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        check = commands.add_parser("verify", help="Check the whole trail; fails if it breaks.")
        check.add_argument("--limit", type=int, default=20, help="List at most this many problems.")

    def handle(self, *args, subcommand, limit=20, **options):
        result = verify(limit=limit)
        for problem in result.problems:
            self.stderr.write(f"Entry {problem.entry_id}: {problem.message}.")
        if not result.intact:
            raise CommandError(
                f"The audit trail is broken: first at entry {result.problems[0].entry_id} "
                f"({len(result.problems)} problem(s) listed, {result.entries} entries checked)."
            )
        self.stdout.write(
            f"The audit trail is intact: {result.entries} entries, {result.held} with values "
            f"held; the last entry's hash is {result.head}. Keep that hash somewhere else: a "
            "later check that does not reach it shows the trail was rewritten."
        )
