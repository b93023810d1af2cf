"""Whole cases in the exchange format (JSON), for administrators: spec
``{"year": 2023 or null, "kind": "complaint" or null}``."""

from __future__ import annotations

import io

from heard.accounts import roles
from heard.audit import services as audit
from heard.jobs.kinds import Produced, Progress

CACHEABLE = True


def title(spec: dict) -> str:
    from heard.reports.presenters import year_label

    what = f"{spec['kind']} cases" if spec.get("kind") else "All cases"
    if spec.get("year"):
        what += f" dealt with in {year_label(spec['year'])}"
    return f"{what} (exchange format, JSON)"


def may_fetch(user, spec: dict) -> bool:
    # The export holds every detail of every case: only those who may see every case and
    # administer Heard (the people who may import) may fetch it.
    return roles.can_administer(user) and roles.sees_all_cases(user)


def produce(spec: dict, progress: Progress, user) -> Produced:
    from heard.exchange import export

    progress(5, "Choosing the cases")
    cases = export.selected_cases(year=spec.get("year"), kind=spec.get("kind"))
    out = io.StringIO()
    progress(20, "Writing the cases")
    count = export.write(out, cases)
    name = "heard-cases" + (f"-{spec['year']}" if spec.get("year") else "")
    name += f"-{spec['kind']}" if spec.get("kind") else ""
    return Produced(
        out.getvalue().encode("utf-8"),
        f"{name}.json",
        "application/json",
        f"{count} case(s) written.",
    )


def record_fetch(user, job) -> None:
    audit.record("cases.exported", user=user, note=job.title)
