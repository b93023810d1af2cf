"""The ``heard`` console command: Django's management commands with Heard's settings preset.

``heard migrate``, ``heard serve``, ``heard demo``, ``heard deadline`` ... are all management
commands; this wrapper only saves typing ``DJANGO_SETTINGS_MODULE`` and ``django-admin``, and
turns a database that is missing, unreachable or not yet set up into a sentence saying what to
do, rather than a traceback.
"""

import os
import sys

#: Commands that set the database up or look at it as it is: never stopped by the check.
SETUP_COMMANDS = {
    "migrate", "makemigrations", "showmigrations", "sqlmigrate", "squashmigrations",
    "help", "version", "check", "dbshell", "shell", "test", "restore", "diffsettings",
}  # fmt: skip


def _where(settings_dict: dict) -> str:
    """The database named without its password."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"the SQLite database {settings_dict['NAME']}"
    host = settings_dict.get("HOST") or "localhost"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"the database {settings_dict['NAME']} on {host}{port}"


def database_advice() -> str | None:
    """What is wrong with the database and what to do, or None if it is set up."""
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor
    from django.db.utils import OperationalError

    connection = connections[DEFAULT_DB_ALIAS]
    where = _where(connection.settings_dict)
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except OperationalError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return (
            f"Heard cannot reach {where}: {first}. Check DATABASE_URL and that the database "
            "server is running."
        )
    if not plan:
        return None
    if not executor.loader.applied_migrations:
        return (
            f"{where[0].upper()}{where[1:]} has not been set up yet. Run `heard migrate` "
            "to create it, then try again."
        )
    return (
        f"{where[0].upper()}{where[1:]} is behind this version of Heard ({len(plan)} "
        "change(s) to apply). Back it up (`heard backup`), run `heard migrate`, then try again."
    )


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings")
    from django.core.management import execute_from_command_line
    from django.db.utils import DatabaseError

    args = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in args if not a.startswith("-")), "help")
    if command == "serve":
        # A server on a database that is not set up would fail every request: say so now.
        import django

        django.setup()
        advice = database_advice()
        if advice:
            sys.exit(f"heard: {advice}")
    try:
        execute_from_command_line(["heard", *args])
    except DatabaseError:
        if command in SETUP_COMMANDS:
            raise
        advice = database_advice()
        if advice is None:
            raise  # a real fault, not a missing table: keep the traceback for whoever fixes it
        sys.exit(f"heard: {advice}")


if __name__ == "__main__":
    main()
