"""Asking for, running, handing out and tidying away background jobs.

``request_job`` is what a view calls instead of doing heavy work: it returns a job that is
already done (the same thing was made from the same data before), already on its way (someone
asked a moment ago), or newly queued for ``heard worker``. Nothing here renders anything in
the request.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from heard.jobs import storage
from heard.jobs.kinds import JobRefused, kind_module
from heard.jobs.models import Job, WorkerHeartbeat
from heard.jobs.stamps import data_stamp

log = logging.getLogger(__name__)

#: A result superseded by newer data is still handed to whoever is waiting for it this long.
GRACE = datetime.timedelta(hours=1)
#: Results are removed after this long whatever happens, job rows after ``FORGET``.
KEEP_RESULTS = datetime.timedelta(days=7)
FORGET = datetime.timedelta(days=30)
ABANDONED = datetime.timedelta(days=1)
FAILED_PLAINLY = (
    "Something went wrong while making this. Ask for it again; if it keeps happening, "
    "tell your administrator."
)


class TooManyJobs(Exception):
    pass


def _key(kind: str, spec: dict, stamp: str) -> str:
    text = json.dumps({"kind": kind, "spec": spec, "stamp": stamp}, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def request_job(user, kind: str, spec: dict) -> Job:
    """The job that makes ``spec`` for ``user``: a finished one if the data has not changed
    since it was made, one already waiting or running, or a new one on the queue."""
    module = kind_module(kind)
    if module.CACHEABLE:
        stamp = data_stamp()
    else:  # asked twice (a double click) is still one job; otherwise every request is new
        stamp = module.once_per(spec) if hasattr(module, "once_per") else uuid.uuid4().hex
    key = _key(kind, spec, stamp)
    candidates = Job.objects.filter(key=key).exclude(status=Job.Status.FAILED)
    if not module.CACHEABLE:
        candidates = candidates.filter(requested_by=user)
    found = candidates.order_by("-requested_at").first()
    if found is not None and (found.has_file or not found.is_finished or not module.CACHEABLE):
        return found
    waiting = Job.objects.filter(requested_by=user, status__in=Job.UNFINISHED).count()
    if waiting >= settings.HEARD_JOBS_PER_PERSON:
        raise TooManyJobs(
            f"You already have {waiting} downloads or imports being prepared. Wait for one "
            "to finish, then ask again."
        )
    from heard.jobs.tasks import run_job

    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            spec=spec,
            key=key,
            stamp=stamp,
            title=module.title(spec)[:200],
            requested_by=user,
            progress_note="Waiting for a worker",
        )
        result = run_job.enqueue(str(job.pk))
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return job


def may_see(user, job: Job) -> bool:
    """The requester, or anyone the page it came from would show the same thing to; the
    requester too must still pass that rule (a role can change)."""
    module = kind_module(job.kind)
    if not module.may_fetch(user, job.spec):
        return False
    return module.CACHEABLE or user.pk == job.requested_by_id


def _progress(job_id):
    def report(percent: int, note: str) -> None:
        Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(
            progress=max(0, min(percent, 99)), progress_note=note[:200]
        )

    return report


def run(job_id: str, worker_id: str = "") -> None:
    """Do the work of a queued job (called by ``heard worker`` through the task)."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING,
        started_at=timezone.now(),
        worker_id=worker_id[:64],
        progress=1,
        progress_note="Started",
    )
    if not claimed:
        return  # done, failed or taken already
    job = Job.objects.select_related("requested_by").get(pk=job_id)
    module = kind_module(job.kind)
    try:
        produced = module.produce(job.spec, _progress(job.pk), job.requested_by)
    except JobRefused as refused:
        _finish(job, status=Job.Status.FAILED, message=str(refused))
        return
    except BaseException:
        # The traceback goes to the task's record for administrators; the log line and the
        # page say nothing about the data.
        log.warning("Job %s (%s) failed", job.pk, job.kind)
        _finish(job, status=Job.Status.FAILED, message=FAILED_PLAINLY)
        raise
    name = ""
    if produced.data is not None:
        name = storage.save(f"results/{job.pk}/{produced.filename}", produced.data)
    _finish(
        job,
        status=Job.Status.DONE,
        message=produced.message,
        result_name=name,
        filename=produced.filename,
        content_type=produced.content_type,
        size=len(produced.data) if produced.data is not None else None,
        details=produced.details or {},
    )


def _finish(job: Job, **fields) -> None:
    Job.objects.filter(pk=job.pk).update(
        finished_at=timezone.now(),
        progress=100 if fields["status"] == Job.Status.DONE else job.progress,
        progress_note="",
        **fields,
    )


def open_result(user, job: Job):
    """The result file, opened for ``user`` (who must pass :func:`may_see`), with the audit
    entry the download would have written."""
    if not job.has_file:
        raise FileNotFoundError(job.pk)
    handle = storage.open_file(job.result_name)
    with transaction.atomic():
        kind_module(job.kind).record_fetch(user, job)
    return handle


def unfinished_for(user) -> int:
    return Job.objects.filter(requested_by=user, status__in=Job.UNFINISHED).count()


# Housekeeping (run by `heard worker` every cycle) ---------------------------------------------


def live_workers(now: datetime.datetime | None = None):
    since = (now or timezone.now()) - datetime.timedelta(
        seconds=settings.HEARD_WORKER_STALE_SECONDS
    )
    return WorkerHeartbeat.objects.filter(seen_at__gte=since)


def fail_abandoned(now: datetime.datetime | None = None) -> int:
    """Jobs whose worker stopped mid-way (killed, machine lost) are marked failed, so that the
    person asking sees it and can ask again, and their tasks with them."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    alive = set(live_workers(now).values_list("worker_id", flat=True))
    since = now - datetime.timedelta(seconds=settings.HEARD_WORKER_STALE_SECONDS)
    stale = Job.objects.filter(status=Job.Status.RUNNING, started_at__lt=since).exclude(
        worker_id__in=alive
    )
    count = stale.update(
        status=Job.Status.FAILED,
        finished_at=now,
        progress_note="",
        message="The worker making this stopped before it finished. Ask for it again.",
    )
    for task in DBTaskResult.objects.running().filter(started_at__lt=since):
        if not set(task.worker_ids) & alive:
            task.set_failed(RuntimeError("The worker stopped before the task finished."))
    return count


def prune(now: datetime.datetime | None = None) -> int:
    """Remove results the data has moved on from (after a grace period for whoever is
    fetching one), results older than a week, and job records older than a month."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    current = data_stamp()
    done = Job.objects.filter(status=Job.Status.DONE).exclude(result_name="")
    old = done.filter(finished_at__lt=now - GRACE).exclude(stamp=current) | done.filter(
        finished_at__lt=now - KEEP_RESULTS
    )
    removed = 0
    for job in old:
        storage.delete_quietly(job.result_name)
        Job.objects.filter(pk=job.pk).update(
            result_name="", message="Removed: the data has changed since. Ask for it again."
        )
        removed += 1
    for job in Job.objects.filter(requested_at__lt=now - FORGET):
        storage.delete_quietly(job.result_name)
        job.delete()
    DBTaskResult.objects.finished().filter(finished_at__lt=now - FORGET).delete()
    _forget_abandoned_uploads(now)
    return removed


def _forget_abandoned_uploads(now: datetime.datetime) -> None:
    """Uploads checked on the import page but never imported are removed after a day."""
    store = storage.jobs_storage()
    try:
        tokens = store.listdir("imports")[0]
    except FileNotFoundError:
        return
    for token in tokens:
        for role in ("file", "parts"):
            folder = f"imports/{token}/{role}"
            try:
                names = store.listdir(folder)[1]
            except FileNotFoundError:
                continue
            for name in names:
                if store.get_modified_time(f"{folder}/{name}") < now - ABANDONED:
                    storage.delete_quietly(f"{folder}/{name}")
