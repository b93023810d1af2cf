"""Importing an uploaded file: spec ``{"file": storage name, "parts": storage name or null,
"create_missing": bool}``. The upload waits in the ``jobs`` storage (so a worker on another
machine can read it) and is deleted once the import has run, whatever its outcome."""

from __future__ import annotations

from heard.accounts import roles
from heard.audit import services as audit
from heard.jobs.kinds import JobRefused, Produced, Progress
from heard.jobs.storage import delete_quietly, local_copy

CACHEABLE = False


def once_per(spec: dict) -> str:
    """One import per upload, however often "Import" is pressed."""
    return spec["file"]


def title(spec: dict) -> str:
    return f"Import of {spec['name']}"


def may_fetch(user, spec: dict) -> bool:
    # The rule of the import page; as the result is not shared (CACHEABLE is false), only the
    # person who uploaded the file sees how it went.
    return roles.can_administer(user)


def read_and_import(spec: dict, progress: Progress, *, dry_run: bool):
    """Run the importer over the stored upload; its refusals become a JobRefused listing the
    problems (the first 200)."""
    from heard.exchange import files
    from heard.exchange.importer import ImportFailed, import_records
    from heard.exchange.problems import report_lines

    progress(5, "Reading the file")
    try:
        with local_copy(spec["file"]) as path, local_copy(spec.get("parts")) as parts:
            found = files.read(path, parts)
            return import_records(
                found.rows,
                create_missing=spec["create_missing"],
                actor=spec["actor"][:100],
                progress=lambda n: progress(10, f"{n} cases checked"),
                dry_run=dry_run,
                **found.declared,
            )
    except files.UnreadableFile as error:
        raise JobRefused(str(error)) from None
    except ImportFailed as failed:
        # Grouped by kind (count and first cases), then the first 200 in full.
        raise JobRefused("\n".join(report_lines(failed.problems, limit=200))) from None
    except FileNotFoundError:
        raise JobRefused("The uploaded file has gone: upload it again.") from None


def forget_upload(spec: dict) -> None:
    delete_quietly(spec["file"])
    delete_quietly(spec.get("parts"))


def produce(spec: dict, progress: Progress, user) -> Produced:
    try:
        result = read_and_import(spec, progress, dry_run=False)
    finally:
        forget_upload(spec)
    note = f"{result.created} case(s) imported, {result.unchanged} already present."
    audit.record("cases.imported", user=user, note=note)
    return Produced(
        message=(
            f"{result.created} case(s) imported; {result.unchanged} were already in Heard "
            "and were left unchanged."
        )
    )


def record_fetch(user, job) -> None:
    """Nothing to fetch: the import wrote its own audit entries."""
