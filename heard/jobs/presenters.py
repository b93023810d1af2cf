"""What the job status page shows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from heard.jobs import services
from heard.jobs.models import Job

#: Seconds between refreshes of the status page while the job is unfinished.
REFRESH_SECONDS = 2

BACK = {
    Job.Kind.REPORT: ("reports:home", "Back to reports"),
    Job.Kind.EXPORT: ("exchange:export", "Back to export"),
    Job.Kind.IMPORT: ("exchange:import", "Back to import"),
    Job.Kind.IMPORT_CHECK: ("exchange:import", "Back to import"),
    Job.Kind.TRACKER: ("cases:list", "Back to the cases"),
}


def _back_url(job: Job, name: str) -> str:
    """The page the job was asked from: a tracker export goes back to its filtered list."""
    if job.kind == Job.Kind.TRACKER and job.spec.get("params"):
        return f"{reverse(name)}?{urlencode(job.spec['params'])}"
    return reverse(name)


@dataclass
class JobPage:
    job: Job
    heading: str
    status_tag: str
    status_colour: str
    progress: int
    note: str
    download_url: str
    size: str
    message_lines: list[str]
    back_url: str
    back_label: str
    refresh: bool
    then_url: str
    #: An import check's preview: counts, what it would create, the first cases.
    preview: dict | None = None
    #: True when the job is waiting and no `heard worker` is running to take it.
    no_worker: bool = False


def job_page(job: Job) -> JobPage:
    colours = {
        Job.Status.QUEUED: "grey",
        Job.Status.RUNNING: "blue",
        Job.Status.DONE: "green",
        Job.Status.FAILED: "red",
    }
    back_name, back_label = BACK[job.kind]
    return JobPage(
        job=job,
        heading=job.title,
        status_tag=job.get_status_display(),
        status_colour=colours[job.status],
        progress=job.progress,
        note=job.progress_note,
        download_url=reverse("jobs:download", args=[job.pk]) if job.has_file else "",
        size=filesizeformat(job.size) if job.size else "",
        message_lines=[line for line in job.message.splitlines() if line.strip()],
        back_url=_back_url(job, back_name),
        back_label=back_label,
        refresh=not job.is_finished,
        then_url=reverse("cases:list") if job.kind == Job.Kind.IMPORT else "",
        preview=_preview(job),
        no_worker=job.status == Job.Status.QUEUED and not services.live_workers().exists(),
    )


def _preview(job: Job) -> dict | None:
    if job.kind != Job.Kind.IMPORT_CHECK or job.status != Job.Status.DONE or not job.details:
        return None
    found = dict(job.details)
    found["sample"] = [
        {**row, "received_on": datetime.date.fromisoformat(row["received_on"])}
        for row in found.get("sample", [])
    ]
    return found
