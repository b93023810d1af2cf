"""Benchmark: the search box, with a large council.

    HEARD_DATA_DIR=/tmp/heard-bench-s .venv/bin/python benchmarks/search.py --cases 100000

Builds the demo council with that many cases the first time (in the SQLite database of
HEARD_DATA_DIR, or the database DATABASE_URL names): the bulk writer links their people and
indexes them, and the time is printed. The demo gives no addresses, telephones or dates of
birth, so the benchmark gives every case a (fictional) address with a postcode and a telephone,
and a date of birth to some children, then rebuilds the index and prints how long that took.

Then it runs a fixed, seeded mix of searches as a complaints officer (every case) and as a
responding manager (the cases allocated to them) through ``heard.search.services.search``,
exactly as the search page does (parsing, the engine, loading the 50 results with what matched
and who is on them, the audit row), and prints the machine, the size, and the p50, p95 and p99
of each kind of search and of all of them, for each persona, in wall time and in this
process's CPU time (the machine these run on is shared, so wall time is noisy; on SQLite the
engine runs in this process and its work is in the CPU time; on PostgreSQL the CPU time of the
server's backend is added when the server runs on this machine).
``--kind surname`` runs one kind only; ``--profile FILE`` writes a cProfile of the searches.
Aim (issue #13): p95 under 200 ms at 100,000 cases, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import argparse
import datetime
import io
import math
import os
import platform
import random
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings")
os.environ.setdefault("HEARD_HTTPS", "false")

STREETS = ["Mill Lane", "High Street", "Church Road", "Station Road", "Park Avenue", "Green Lane"]
TOWNS = ["Derby", "Matlock", "Buxton", "Chesterfield", "Belper", "Ripley", "Ilkeston"]


def _postcode(rng: random.Random) -> str:
    area = rng.choice(["DE", "S", "SK", "NG"])
    return f"{area}{rng.randint(1, 75)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"  # noqa: E501


def give_contact_details(seed: int) -> None:
    """Fictional addresses, telephones and some children's dates of birth, in bulk."""
    from django.db import transaction

    from heard.cases.models import Case
    from heard.people.models import CaseLink, Person

    rng = random.Random(seed)
    with transaction.atomic():
        cases = list(Case.objects.only("pk"))
        for case in cases:
            case.complainant_address = (
                f"{rng.randint(1, 200)} {rng.choice(STREETS)}\n{rng.choice(TOWNS)}\n"
                f"{_postcode(rng)}"
            )
            case.complainant_phone = f"07700 9{rng.randint(0, 99999):05d}"
        Case.objects.bulk_update(cases, ["complainant_address", "complainant_phone"], 5000)
        children = list(
            Person.objects.filter(pk__in=CaseLink.objects.filter(role="child").values("person_id"))
        )
        for person in children[::3]:
            person.date_of_birth = datetime.date(2005, 1, 1) + datetime.timedelta(
                days=rng.randint(0, 6000)
            )
        Person.objects.bulk_update(children[::3], ["date_of_birth"], 5000)


def queries(seed: int, count: int) -> list[tuple[str, str]]:
    """(kind of search, text) pairs drawn from the data, the same for every run."""
    from heard.cases.models import Case
    from heard.people.models import Person

    rng = random.Random(seed)
    # Drawn with the seed (not the database's random order), so every run, before and after a
    # change, times the same searches.
    chosen = rng.sample(sorted(Case.objects.values_list("pk", flat=True)), count * 2)
    rows = Case.objects.in_bulk(chosen)
    sample = [
        (c.reference, c.complainant_name, c.complainant_address, c.complainant_phone, c.summary)
        for c in (rows[pk] for pk in chosen)
    ]
    born = list(
        Person.objects.filter(date_of_birth__isnull=False)
        .order_by("pk")
        .values_list("date_of_birth", flat=True)[:count]
    )
    found = []
    for n in range(count):
        reference, name, address, phone, summary = sample[n]
        surname = name.split()[-1] if name else "Smith"
        misspelt = (
            surname[:2] + surname[3] + surname[2] + surname[4:]
            if len(surname) > 4
            else surname + "e"
        )
        words = summary.split()
        kind = n % 8
        found.append(
            [
                ("surname", surname),
                ("full name", name or surname),
                ("misspelt surname", misspelt),
                ("postcode", address.splitlines()[-1] if address else "DE22 1AB"),
                ("reference", reference.lower()),
                ("telephone", phone),
                (
                    "words of the summary",
                    " ".join(words[rng.randint(0, max(0, len(words) - 3)) :][:2]),
                ),
                ("date of birth", f"{born[n % len(born)]:%d/%m/%Y}" if born else "01/01/2010"),
            ][kind]
        )
    return found


def _backend_cpu(pid: int | None) -> float:
    """CPU seconds used so far by the PostgreSQL backend serving this connection, when the
    server runs on this machine (its /proc entry is readable); 0 otherwise. The kernel counts
    it in ticks of 10 ms."""
    if pid is None:
        return 0.0
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _percentile(times: list[float], fraction: float) -> float:
    """The nearest-rank percentile of sorted ``times`` (p95 of 25 searches is the 24th)."""
    return times[max(0, math.ceil(fraction * len(times)) - 1)]


def _line(label: str, wall: list[float], cpu: list[float]) -> str:
    wall, cpu = sorted(wall), sorted(cpu)
    figures = "  ".join(
        f"{_percentile(wall, f) * 1000:6.1f} {_percentile(cpu, f) * 1000:6.1f}"
        for f in (0.5, 0.95, 0.99)
    )
    return f"  {label:<22} {len(wall):>4}  {figures}  {wall[-1] * 1000:6.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--searches", type=int, default=400)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--kind", help="only the searches of this kind (e.g. 'surname')")
    parser.add_argument("--profile", help="write a cProfile of the searches to this file")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from heard.accounts.models import User
    from heard.cases.models import Case
    from heard.search import documents, services

    call_command("migrate", verbosity=0)
    if not Case.objects.exists():
        started = time.perf_counter()
        call_command("demo", cases=args.cases, seed=args.seed, years=6, stdout=io.StringIO())
        print(f"demo council with {Case.objects.count():,} cases built, people linked and "
              f"indexed in {time.perf_counter() - started:.0f} s")  # fmt: skip
        give_contact_details(args.seed)
        started = time.perf_counter()
        written = documents.rebuild()
        print(f"index rebuilt ({written:,} cases) in {time.perf_counter() - started:.0f} s")
    server, backend = "", None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server = f" {cursor.fetchone()[0]}"
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        if not os.path.exists(f"/proc/{backend}/stat"):
            backend = None
    elif connection.vendor == "sqlite":
        import sqlite3

        server = f" {sqlite3.sqlite_version}"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"{platform.processor() or platform.node()}, Python {platform.python_version()}, "
          f"{connection.vendor}{server}; size: {Case.objects.count():,} cases, "
          f"{documents.SearchDocument.objects.count():,} indexed")  # fmt: skip
    print(f"load average before: {'  '.join(f'{n:.2f}' for n in os.getloadavg())}")
    searches = queries(args.seed, args.searches)
    if args.kind:
        searches = [(kind, text) for kind, text in searches if kind == args.kind]
    officer = User.objects.get(username="officer")
    manager = User.objects.get(username="teammanager")
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    print("\nms per search: wall (elapsed) and CPU (this process's" + (
          ", and the PostgreSQL backend's, counted in 10 ms ticks)" if backend else
          "; on PostgreSQL the server's work is not in it)"))  # fmt: skip
    for user in (officer, manager):
        scope = Case.objects.visible_to(user).count()
        wall: dict[str, list[float]] = {}
        cpu: dict[str, list[float]] = {}
        results = []
        for kind, text in searches:
            if profiler:
                profiler.enable()
            started, started_cpu = time.perf_counter(), time.process_time()
            started_server = _backend_cpu(backend)
            found = services.search(user, text)
            wall.setdefault(kind, []).append(time.perf_counter() - started)
            used = time.process_time() - started_cpu + _backend_cpu(backend) - started_server
            cpu.setdefault(kind, []).append(used)
            if profiler:
                profiler.disable()
            results.append(found.total)
        print(f"\nas {user.username} ({user.get_role_display().lower()}, {scope:,} cases in "
              f"scope): {len(searches)} searches, {sum(1 for r in results if r)} found "
              "something")  # fmt: skip
        print(f"  {'kind':<22} {'n':>4}  {'p50 wall   cpu':>13}  {'p95 wall   cpu':>13}  "
              f"{'p99 wall   cpu':>13}  {'max':>6}")  # fmt: skip
        for kind in wall:
            print(_line(kind, wall[kind], cpu[kind]))
        every_wall = [t for times in wall.values() for t in times]
        every_cpu = [t for times in cpu.values() for t in times]
        print(_line("ALL", every_wall, every_cpu))
    print(f"\nload average after: {'  '.join(f'{n:.2f}' for n in os.getloadavg())}")
    if profiler:
        profiler.dump_stats(args.profile)
        print(f"profile written to {args.profile}")


if __name__ == "__main__":
    main()
