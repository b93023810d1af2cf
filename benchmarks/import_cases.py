"""Benchmark: import 100,000 cases from the JSON exchange format and from the flat CSV
templates into an empty SQLite database; report the time and the peak memory.

    .venv/bin/python benchmarks/import_cases.py --cases 100000 [--work var/import-benchmark]

The source file is the demo council scaled to that many cases, exported with `heard export`
(built once and kept in the work folder). Each import runs as its own `heard import` process
on a fresh database, so its peak memory is its own (ru_maxrss). This process reads the JSON a
case at a time to write the CSV and never holds it whole: a child's ru_maxrss starts from its
parent's size at the fork. For the one-core figure, run it under `taskset -c 0`.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEARD = [sys.executable, "-m", "heard.cli"]


def run(args, data_dir: Path, **kwargs):
    env = {**os.environ, "HEARD_DATA_DIR": str(data_dir), "HEARD_HTTPS": "false"}
    env.pop("DATABASE_URL", None)
    return subprocess.run([*HEARD, *args], env=env, check=True, **kwargs)


def timed_import(label: str, files: list[str], work: Path, extra=()) -> None:
    """Run one `heard import` on a fresh database; its own peak memory comes from wait4."""
    target = work / f"target-{label}"
    subprocess.run(["rm", "-rf", str(target)], check=True)
    run(["migrate", "-v0"], target)
    env = {**os.environ, "HEARD_DATA_DIR": str(target), "HEARD_HTTPS": "false"}
    env.pop("DATABASE_URL", None)
    with tempfile.TemporaryFile("w+") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            [*HEARD, "import", *files, "--create-missing", *extra],
            env=env, stdout=out, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        out.seek(0)
        summary = out.readline().strip()
    if status != 0:
        raise SystemExit(f"{label} import failed: {summary}")
    print(f"{label:5} import: {elapsed:6.1f} s, peak memory {usage.ru_maxrss / 1024:.0f} MB  "
          f"({summary})")  # fmt: skip


def write_csv(source: Path, work: Path) -> tuple[int, Path, Path]:
    """The flat CSV templates for the cases of ``source``; returns how many cases there are."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from heard.exchange.files import JsonCases
    from heard.exchange.flat import CASE_COLUMNS, PART_COLUMNS

    cases_path, parts_path = work / "cases.csv", work / "parts.csv"
    with cases_path.open("w", newline="") as c, parts_path.open("w", newline="") as p:
        cases = csv.DictWriter(c, CASE_COLUMNS)
        parts = csv.DictWriter(p, PART_COLUMNS)
        cases.writeheader()
        parts.writeheader()
        count = 0
        for _, case in JsonCases(source):
            count += 1
            person = case["complainant"]
            row = {
                "reference": case["reference"], "kind": case["kind"], "status": case["status"],
                "received_on": case["received_on"], "channel": case["channel"] or "",
                "procedure": case["procedure"] or "", "complainant_name": person["name"],
                "complainant_role": person["role"] or "",
                "service_area": case["service_area"] or "",
                "categories": ";".join(case["categories"]), "summary": case["summary"],
                "resolution": case["resolution"] or "", "closed_on": case["closed_on"] or "",
                "request_type": (case.get("information_request") or {}).get("request_type", ""),
            }  # fmt: skip
            for stage in case["stages"]:
                n = stage["number"]
                row |= {
                    f"stage{n}_requested_on": stage["requested_on"],
                    f"stage{n}_acknowledged_on": stage["acknowledged_on"] or "",
                    f"stage{n}_responded_on": stage["responded_on"] or "",
                    f"stage{n}_outcome": stage["outcome"] or "",
                }
            cases.writerow(row)
            for part in case["parts"]:
                findings = {
                    f"stage{s['number']}_finding": s["findings"].get(str(part["number"]), "")
                    for s in case["stages"]
                }
                parts.writerow({"reference": case["reference"], "number": part["number"],
                                "summary": part["summary"], "category": part["category"] or "",
                                **findings})  # fmt: skip
    return count, cases_path, parts_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--work", default="var/import-benchmark")
    args = parser.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    source = work / f"demo-{args.cases}.json"
    if not source.exists():
        run(["migrate", "-v0"], work / "source")
        run(["demo", "--cases", str(args.cases), "--years", "6"], work / "source",
            stdout=subprocess.DEVNULL)  # fmt: skip
        run(["export", "-o", str(source)], work / "source")
    count, cases_path, parts_path = write_csv(source, work)
    size = source.stat().st_size / 1e6
    print(f"machine: {platform.machine()} Python {platform.python_version()}, "
          f"{count:,} cases, {size:.0f} MB of JSON")  # fmt: skip
    timed_import("JSON", [str(source)], work)
    timed_import("CSV", [str(cases_path)], work, extra=["--parts", str(parts_path)])


if __name__ == "__main__":
    main()
