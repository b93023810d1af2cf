"""The ``heard`` console command: Django's management commands with Heard's settings preset.

``heard migrate``, ``heard serve``, ``heard demo``, ``heard deadline`` ... are all management
commands; this wrapper only saves typing ``DJANGO_SETTINGS_MODULE`` and ``django-admin``.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["heard", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
