"""Checking an uploaded file before it is imported (the import page's preview): every case is
read and checked and nothing is written. Spec as for ``imports`` plus the upload's token.
A refused file is removed; a good one waits for "Import" (``imports``)."""

from __future__ import annotations

from heard.accounts import roles
from heard.jobs.kinds import JobRefused, Produced, Progress
from heard.jobs.kinds.imports import forget_upload, read_and_import

CACHEABLE = False


def once_per(spec: dict) -> str:
    return spec["file"]


def title(spec: dict) -> str:
    return f"Check of {spec['name']} before importing"


def may_fetch(user, spec: dict) -> bool:
    return roles.can_administer(user)


def produce(spec: dict, progress: Progress, user) -> Produced:
    try:
        result = read_and_import(spec, progress, dry_run=True)
    except JobRefused:
        forget_upload(spec)
        raise
    return Produced(
        message=f"{result.created} new case(s); {result.unchanged} already in Heard.",
        details={
            "token": spec["token"],
            "create_missing": spec["create_missing"],
            "created": result.created,
            "unchanged": result.unchanged,
            "context_figures": result.context_figures,
            "created_terms": result.created_terms,
            "renamed_terms": result.renamed_terms,
            "sample": [
                {
                    "reference": record.reference,
                    "kind": str(record.kind),
                    "received_on": record.received_on.isoformat(),
                    "status": str(record.status),
                    "stages": len(record.stages),
                }
                for record in result.sample
            ],
        },
    )


def record_fetch(user, job) -> None:
    """Nothing to fetch: the check changes nothing and shows no case's personal details."""
