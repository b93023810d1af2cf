"""Benchmark: due dates for one million (start, working days) pairs, and one hundred thousand
full stage clocks.

    .venv/bin/python benchmarks/deadlines.py [--pairs 1000000] [--clocks 100000]

Runs on one core (plain Python, no database). Prints the times; asserts nothing about them.
"""

from __future__ import annotations

import argparse
import datetime
import platform
import random
import time

from heard.timescales import WorkingCalendar, compute_clock, rule_for


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1_000_000)
    parser.add_argument("--clocks", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2017)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    first = datetime.date(2015, 1, 1).toordinal()
    pairs = [
        (
            datetime.date.fromordinal(first + rng.randrange(0, 12 * 365)),
            rng.choice((2, 5, 10, 20, 25, 65)),
        )
        for _ in range(args.pairs)
    ]
    closures = [datetime.date(y, 12, d) for y in range(2015, 2028) for d in (27, 28, 29)]

    started = time.perf_counter()
    calendar = WorkingCalendar("england-and-wales", closures=closures)
    built = time.perf_counter() - started

    started = time.perf_counter()
    bulk = calendar.add_working_days_many(pairs)
    bulk_time = time.perf_counter() - started

    started = time.perf_counter()
    single = [calendar.add_working_days(start, n) for start, n in pairs]
    single_time = time.perf_counter() - started
    assert bulk == single

    rule = rule_for("childrens_statutory", 1, datetime.date(2020, 1, 1))
    sample = pairs[: args.clocks]
    started = time.perf_counter()
    for start, _ in sample:
        compute_clock(
            rule,
            calendar,
            received_on=start,
            suspensions=[(start, start + datetime.timedelta(days=7))],
        )
    clock_time = time.perf_counter() - started

    print(
        f"machine: {platform.machine()} {platform.processor()} Python {platform.python_version()}"
    )
    print(f"calendar with {len(closures)} closure days built in {built:.3f} s")
    print(f"{args.pairs:,} due dates, bulk:        {bulk_time:.3f} s")
    print(f"{args.pairs:,} due dates, one by one:  {single_time:.3f} s")
    print(f"{len(sample):,} stage clocks with a suspension: {clock_time:.3f} s")


if __name__ == "__main__":
    main()
