"""Benchmark: move a 100,000-case council from SQLite to PostgreSQL and back with
`heard export --all` and `heard import`, timing each step as an IT team would run it.

    .venv/bin/python benchmarks/move_council.py --postgres postgres://heard@127.0.0.1:54329/heard \
        [--cases 100000] [--work var/move-benchmark]

The source is the demo council at that size on SQLite (built once and kept in the work
folder: building it takes far longer than moving it). The PostgreSQL steps use a scratch
database made on the given server and dropped afterwards. Each step is its own `heard`
process; the figures are wall-clock seconds, the process's own CPU seconds (which do not
depend on what else the machine is doing; the database server's work is not in them) and its
peak memory.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
import uuid
from pathlib import Path

HEARD = [sys.executable, "-m", "heard.cli"]


def env_for(database_url: str, data_dir: Path) -> dict:
    return {**os.environ, "DATABASE_URL": database_url, "HEARD_DATA_DIR": str(data_dir),
            "HEARD_HTTPS": "false"}  # fmt: skip


def timed(label: str, args: list[str], env: dict) -> float:
    started = time.perf_counter()
    process = subprocess.Popen([*HEARD, *args], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)  # fmt: skip
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"{label} failed:\n{output}")
    cpu = usage.ru_utime + usage.ru_stime  # the process's own work, whatever else runs
    print(f"{label:42} {elapsed:7.1f} s  (CPU {cpu:6.1f} s)  peak memory "
          f"{usage.ru_maxrss / 1024:5.0f} MB", flush=True)  # fmt: skip
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", required=True, help="URL of a PostgreSQL server's database")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--work", default="var/move-benchmark")
    args = parser.parse_args()
    work = Path(args.work).resolve()
    source = work / "source"
    sqlite_url = f"sqlite:///{source / 'heard.sqlite3'}"
    env = env_for(sqlite_url, source)
    built = (source / "heard.sqlite3").exists()
    subprocess.run([*HEARD, "migrate", "-v0"], env=env, check=True)  # or bring it up to date
    if not built:
        subprocess.run([*HEARD, "demo", "--cases", str(args.cases), "--years", "6",
                        "--today", "2026-11-20"], env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip

    import psycopg

    scratch = f"heard_move_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(args.postgres, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{scratch}"')
    pg_url = args.postgres.rsplit("/", 1)[0] + f"/{scratch}"
    try:
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
              f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}")  # fmt: skip
        archive = work / "council.zip"
        timed("export --all from SQLite", ["export", "--all", "-o", str(archive)],
              env_for(sqlite_url, source))  # fmt: skip
        print(f"archive: {archive.stat().st_size / 1e6:.0f} MB")
        pg_env = env_for(pg_url, work / "postgresql")
        timed("migrate an empty PostgreSQL database", ["migrate", "-v0"], pg_env)
        moved = timed("import into PostgreSQL", ["import", str(archive)], pg_env)
        back = work / "council-back.zip"
        timed("export --all from PostgreSQL", ["export", "--all", "-o", str(back)], pg_env)
        target = work / "sqlite-again"
        subprocess.run(["rm", "-rf", str(target)], check=True)
        target_env = env_for(f"sqlite:///{target / 'heard.sqlite3'}", target)
        timed("migrate an empty SQLite database", ["migrate", "-v0"], target_env)
        timed("import back into SQLite", ["import", str(back)], target_env)
        print(f"moving to PostgreSQL (export, then import): see the first and third figures; "
              f"the import alone took {moved:.0f} s")  # fmt: skip
    finally:
        with psycopg.connect(args.postgres, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


if __name__ == "__main__":
    main()
