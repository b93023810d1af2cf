"""Benchmark: server time of the case list, the trackers and the case page with many cases.

    HEARD_DATA_DIR=/tmp/heard-bench .venv/bin/python benchmarks/casework_pages.py --cases 100000

Builds the demo council with that many cases the first time (in the SQLite database of
HEARD_DATA_DIR, or the database DATABASE_URL names), then requests each page many times
through Django's test client, in-process, so the figures are server time without the network.
Prints the 50th and 95th percentiles in milliseconds and the queries per page.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings")
os.environ.setdefault("HEARD_HTTPS", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
# The pages are measured, not the second factor the demo manager would otherwise be asked for.
os.environ.setdefault("HEARD_SECOND_FACTOR_ROLES", "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from heard.accounts.models import User
    from heard.cases.models import Case

    call_command("migrate", verbosity=0)
    if not Case.objects.exists():
        started = time.perf_counter()
        call_command("demo", cases=args.cases, seed=2017, years=6, stdout=io.StringIO())
        print(f"demo council with {Case.objects.count():,} cases built in "
              f"{time.perf_counter() - started:.0f} s")  # fmt: skip
    total = Case.objects.count()
    client = Client()
    client.force_login(User.objects.get(username="manager"))
    rng = random.Random(1)
    references = list(Case.objects.values_list("reference", flat=True))
    pages = {
        "case list (open)": lambda: "/cases/",
        "tracker: overdue": lambda: "/cases/?view=overdue",
        "tracker: due soon": lambda: "/cases/?view=due-soon",
        "tracker: team and stage": lambda: "/cases/?view=all&stage=2&sort=-received",
        "tracker: no learning": lambda: "/cases/?view=no-learning",
        "case page": lambda: f"/cases/{rng.choice(references)}/",
        "home": lambda: "/",
    }
    print(f"machine: {platform.machine()} Python {platform.python_version()}, "
          f"database: {connection.vendor}, cases: {total:,}")  # fmt: skip
    for name, url in pages.items():
        times, queries = [], 0
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url())
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (name, response.status_code)
            queries = max(queries, len(captured.captured_queries))
        p95 = statistics.quantiles(times, n=20)[-1]
        print(f"{name:28} p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   "
              f"{queries} queries")  # fmt: skip


if __name__ == "__main__":
    main()
