"""``heard token USERNAME --name NAME --scope read|write [--days N]``: make an API token for a
user and print it once."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from heard.accounts.models import User
from heard.api import tokens


class Command(BaseCommand):
    help = "Make an API token for a user. The key is printed once and never stored."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for.")
        parser.add_argument(
            "--scope",
            required=True,
            choices=["read", "write"],
            help="read: it may only read (a reporting tool); write: it may also change cases.",
        )
        parser.add_argument(
            "--days",
            type=int,
            default=settings.HEARD_API_TOKEN_DAYS,
            help=f"How long it lasts (default {settings.HEARD_API_TOKEN_DAYS}).",
        )

    def handle(self, *args, username, name, scope, days, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"There is no active user {username!r}.")
        try:
            token, key = tokens.issue(user, name, scope=scope, days=days, actor="heard token")
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(key)
        self.stderr.write(
            f"Token {token.prefix}… for {username} ({name}), {token.get_scope_display().lower()}"
            f", until {token.expires_at:%Y-%m-%d}. Keep it secret."
        )
