"""``heard token USERNAME --name NAME``: make an API token for a user and print it once."""

from django.core.management.base import BaseCommand, CommandError

from heard.accounts.models import User
from heard.api.models import ApiToken


class Command(BaseCommand):
    help = "Make an API token for a user. The key is printed once and never stored."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for.")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"There is no active user {username!r}.")
        token, key = ApiToken.issue(user, name)
        self.stdout.write(key)
        self.stderr.write(f"Token {token.prefix}… for {username} ({name}). Keep it secret.")
