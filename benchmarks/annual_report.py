"""Benchmark: the annual report as JSON, PDF and Word, with a large council.

    HEARD_DATA_DIR=/tmp/heard-bench-r .venv/bin/python benchmarks/annual_report.py --cases 50000

Builds the demo council with that many cases the first time (in the SQLite database of
HEARD_DATA_DIR, or the database DATABASE_URL names), then builds the annual report of the last
complete reporting year several times as JSON (data loading, every section, serialising) and
a few times as PDF and as Word (building the report, drawing its charts afresh each time, none
kept from the run before, and rendering the file), and prints the median and the slowest run
in seconds, wall time and the process's CPU time (the machine may be shared: CPU time is what
the report itself cost), with the number of cases the report read and the load average.

On SQLite it then computes a set of the same figures with DuckDB from the same file (through
DuckDB's SQLite scanner; ``benchmarks/duckdb_figures.py``), checks that every one of them is
the figure Heard's report gives, and prints both times side by side with the ratio. DuckDB
and its scanner are the ``benchmark`` extra: ``pip install -e '.[benchmark]'``.

Aims (issue #14): JSON under 1 s at 50,000 cases and within 3 times DuckDB at every size,
PDF under 10 s (``--pdf-repeat 0 --word-repeat 0`` leaves the files out).
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


def timed(function, repeat: int) -> tuple[list[float], list[float]]:
    """(wall times, CPU times) of ``repeat`` runs, in seconds."""
    walls, cpus = [], []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return walls, cpus


def summary(times: tuple[list[float], list[float]]) -> str:
    walls, cpus = times
    return (
        f"median {statistics.median(walls):.2f} s wall, {statistics.median(cpus):.2f} s CPU; "
        f"slowest {max(walls):.2f} s wall ({len(walls)} runs; CPU of each: "
        f"{', '.join(f'{cpu:.2f}' for cpu in cpus)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pdf-repeat", type=int, default=2)
    parser.add_argument("--word-repeat", type=int, default=2)
    parser.add_argument("--no-duckdb", action="store_true", help="skip the DuckDB comparison")
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

    heard_times = timed(as_json, args.repeat)
    print(f"annual report as JSON: {summary(heard_times)}")
    loading = timed(lambda: annual.make_context(year), args.repeat)
    print(f"  of which loading the cases: {summary(loading)}")
    print(f"  load average while measuring: {'  '.join(f'{n:.2f}' for n in os.getloadavg())}")
    if connection.vendor == "sqlite" and not args.no_duckdb:
        beside_duckdb(year, ctx, heard_times, args.repeat)
    if args.pdf_repeat < 1 and args.word_repeat < 1:
        return

    try:
        from heard.reports.render import FORMATS
    except ImportError:
        print("PDF: the renderers are not installed")
        return
    from django.core.cache import caches

    from heard.reports.render import charts

    def whole(fmt: str):
        """Build the report and render it, drawing its charts again (none kept from an
        earlier run, in this process or in the shared cache)."""

        def run():
            charts.forget_drawn()
            caches["reports"].clear()
            return FORMATS[fmt].render(annual.build(year))

        return run

    sizes = {}
    for fmt, name, repeat in (("pdf", "PDF", args.pdf_repeat), ("docx", "Word", args.word_repeat)):
        if repeat < 1:
            continue
        times = timed(lambda fmt=fmt: sizes.__setitem__(fmt, len(whole(fmt)())), repeat)
        print(f"annual report as {name} (built, charts drawn, rendered): {summary(times)}; "
              f"{sizes[fmt] / 1e6:.1f} MB")  # fmt: skip
        print(f"  load average while measuring: {'  '.join(f'{n:.2f}' for n in os.getloadavg())}")


def beside_duckdb(year: int, ctx, heard_times, repeat: int) -> None:
    """The same figures computed by DuckDB from the same SQLite file, checked against the
    report's, with both times side by side."""
    try:
        import duckdb_figures
    except ImportError:  # run from elsewhere than benchmarks/
        from benchmarks import duckdb_figures
    try:
        import duckdb  # noqa: F401
    except ImportError:
        print("DuckDB: not installed (pip install -e '.[benchmark]'); no comparison")
        return
    from django.db import connection

    from heard.reports import annual

    years = [(y.key, y.start, y.end) for y in ctx.years]
    today = ctx.data.today
    con = duckdb_figures.connect(connection.settings_dict["NAME"])
    found = {}

    def compute():
        found.update(duckdb_figures.figures(con, years, today))

    duck_times = timed(compute, repeat)
    report = json.loads(json.dumps(annual.build(year).to_dict(), default=str))
    heard = duckdb_figures.heard_figures(report, found)
    differ = [key for key in found if found[key] != heard[key]]
    print(f"DuckDB {duckdb.__version__} (sqlite scanner, same file), {len(found)} of the "
          f"report's figures: {summary(duck_times)}")  # fmt: skip
    if differ:
        print(f"  {len(differ)} figures DIFFER, for example:")
        for key in differ[:10]:
            print(f"    {key}: Heard {heard[key]!r}, DuckDB {found[key]!r}")
    else:
        print(f"  every one of the {len(found)} figures is the same as Heard's")
    heard_wall, heard_cpu = (statistics.median(t) for t in heard_times)
    duck_wall, duck_cpu = (statistics.median(t) for t in duck_times)
    print(f"  {'':24}{'Heard':>10}{'DuckDB':>10}{'ratio':>8}")
    print(f"  {'wall, median (s)':24}{heard_wall:>10.2f}{duck_wall:>10.2f}"
          f"{heard_wall / duck_wall:>8.1f}")  # fmt: skip
    print(f"  {'CPU, median (s)':24}{heard_cpu:>10.2f}{duck_cpu:>10.2f}"
          f"{heard_cpu / duck_cpu if duck_cpu else float('nan'):>8.1f}")  # fmt: skip
    print("  (Heard: the whole report, every section and table; DuckDB: only these figures)")


if __name__ == "__main__":
    main()
