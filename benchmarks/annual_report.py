"""Benchmark: the annual report as JSON and as PDF, with a large council.

    HEARD_DATA_DIR=/tmp/heard-bench-r .venv/bin/python benchmarks/annual_report.py --cases 50000

Builds the demo council with that many cases the first time (in the SQLite database of
HEARD_DATA_DIR, or the database DATABASE_URL names), then builds the annual report of the last
complete reporting year several times as JSON (data loading, every section, serialising) and
a few times as PDF, and prints the median and the slowest run in seconds, with the number of
cases the report read. Aims (issue #6): JSON under 1 s, PDF under 10 s.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings")
os.environ.setdefault("HEARD_HTTPS", "false")


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pdf-repeat", type=int, default=2)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from heard.cases.models import Case
    from heard.reports import annual
    from heard.reports.periods import ReportingYear

    call_command("migrate", verbosity=0)
    if not Case.objects.exists():
        started = time.perf_counter()
        call_command("demo", cases=args.cases, seed=2017, years=6, stdout=io.StringIO())
        print(f"demo council with {Case.objects.count():,} cases built in "
              f"{time.perf_counter() - started:.0f} s")  # fmt: skip
    latest = Case.objects.order_by("-received_on").values_list("received_on", flat=True)[0]
    year = ReportingYear.containing(latest).previous().year
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, database: {connection.vendor}, "
          f"cases in the database: {Case.objects.count():,}")  # fmt: skip
    ctx = annual.make_context(year)
    print(f"report year {ReportingYear.of(year).label}: {len(ctx.data.cases):,} cases read "
          f"(open at any time in the four years shown)")  # fmt: skip

    def as_json():
        return json.dumps(annual.build(year).to_dict(), default=str)

    times = timed(as_json, args.repeat)
    print(f"annual report as JSON: median {statistics.median(times):.2f} s, "
          f"slowest {max(times):.2f} s ({args.repeat} runs)")  # fmt: skip
    loading = timed(lambda: annual.make_context(year), args.repeat)
    print(f"  of which loading the cases: median {statistics.median(loading):.2f} s")
    print(f"  load average while measuring: {'  '.join(f'{n:.2f}' for n in os.getloadavg())}")
    if args.pdf_repeat < 1:
        return

    try:
        from heard.reports.render import FORMATS
    except ImportError:
        print("PDF: the renderers are not installed")
        return
    render_pdf = FORMATS["pdf"][2]
    times = timed(lambda: render_pdf(annual.build(year)), args.pdf_repeat)
    print(f"annual report as PDF: median {statistics.median(times):.2f} s, "
          f"slowest {max(times):.2f} s ({args.pdf_repeat} runs)")  # fmt: skip


if __name__ == "__main__":
    main()
