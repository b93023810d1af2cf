"""Django's ``flush``, which the test suite runs between tests that commit: under the test
settings (``HEARD_TEST_FLUSH``) it lifts the audit trail's triggers while it empties the
database and puts them back in the same transaction. Anywhere else it is Django's own, and the
database refuses to empty the trail."""

from django.conf import settings
from django.core.management.commands import flush
from django.db import connections, transaction

from heard.audit import guards


class Command(flush.Command):
    def handle(self, **options):
        if not getattr(settings, "HEARD_TEST_FLUSH", False):
            return super().handle(**options)
        connection = connections[options["database"]]
        with transaction.atomic(using=connection.alias):
            guards.drop(connection)
            super().handle(**options)
            guards.create(connection)
        return None
