"""Benchmark: every clock of many cases (``heard.cases.schedule.case_clocks`` and the next
deadline the trackers store), as the bulk writer, the recalculation after a calendar change
and the reminders compute them.

    .venv/bin/python benchmarks/case_clocks.py [--cases 100000]

Plain Python over unsaved model instances (no database): a mix of Stage 1, 2 and 3
complaints and Ombudsman cases with two remedies. Prints the time; asserts nothing about it.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings")

import django  # noqa: E402

django.setup()

from heard.cases.models import Case, Remedy, Stage  # noqa: E402
from heard.cases.schedule import case_clocks, next_due  # noqa: E402
from heard.timescales import WorkingCalendar  # noqa: E402


def _cases(count: int, rng: random.Random, calendar: WorkingCalendar):
    first = datetime.date(2022, 1, 3).toordinal()
    for n in range(count):
        received = datetime.date.fromordinal(first + rng.randrange(0, 4 * 365))
        if n % 10 == 9:
            case = Case(pk=n, kind="ombudsman", status="closed", received_on=received,
                        lgsco_reply_due=calendar.add_working_days(received, 20))  # fmt: skip
            remedies = [
                Remedy(
                    pk=2 * n + i,
                    case=case,
                    kind=kind,
                    amount=amount,
                    due_on=calendar.add_working_days(received, 60 + i),
                )  # fmt: skip
                for i, (kind, amount) in enumerate((("apology", None), ("payment", 300)))
            ]
            yield case, [], remedies
            continue
        case = Case(pk=n, kind="complaint", status="open", received_on=received,
                    procedure="childrens_statutory")  # fmt: skip
        stages, requested = [], received
        for number in range(1, rng.choice((1, 1, 1, 2, 3)) + 1):
            stage = Stage(case=case, number=number, requested_on=requested,
                          response_due=calendar.add_working_days(requested, 25))  # fmt: skip
            if stages:
                stages[-1].responded_on = requested
            if number >= 2:
                stage.report_received_on = calendar.add_working_days(requested, 15)
            if number == 3:
                stage.panel_on = calendar.add_working_days(requested, 20)
            stages.append(stage)
            requested = calendar.add_working_days(requested, 30)
        yield case, stages, []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2017)
    args = parser.parse_args()
    calendar = WorkingCalendar("england-and-wales")
    data = list(_cases(args.cases, random.Random(args.seed), calendar))
    started = time.perf_counter()
    clocks = owed = 0
    for case, stages, remedies in data:
        found = case_clocks(case, stages, remedies, calendar=calendar)
        clocks += len(found)
        owed += next_due(found) is not None
    elapsed = time.perf_counter() - started
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(f"{args.cases} cases, {clocks} clocks, {owed} with something owed: {elapsed:.2f} s")


if __name__ == "__main__":
    main()
