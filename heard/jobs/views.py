"""The job status page and the download of a result. Thin: access, a presenter, a file."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from heard.accounts import roles
from heard.core.access import public_view, staff_view
from heard.jobs import health, presenters, services
from heard.jobs.models import Job

#: Results up to this size are sent in one piece; larger ones are streamed from storage.
IN_ONE_PIECE = 8 * 1024 * 1024


def _job(request, pk) -> Job:
    job = Job.objects.filter(pk=pk).first()
    if job is None or not services.may_see(request.user, job):
        raise Http404("No such job")
    return job


@staff_view(roles.can_view_reports)
def job(request, pk):
    """Where a person waits for their file: refreshes itself until it is ready (no JavaScript
    needed), then offers the download."""
    found = _job(request, pk)
    page = presenters.job_page(found)
    response = render(request, "jobs/job.html", {"page": page})
    if page.refresh:
        response["Refresh"] = str(presenters.REFRESH_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@staff_view(roles.can_view_reports)
def download(request, pk):
    found = _job(request, pk)
    if not found.has_file:
        return redirect("jobs:job", pk=found.pk)
    return send_result(request, found)


def send_result(request, found: Job) -> FileResponse:
    try:
        handle = services.open_result(request.user, found)
    except FileNotFoundError:
        raise Http404("This file has been removed: ask for it again.") from None
    if (found.size or 0) <= IN_ONE_PIECE:
        with handle:
            response = HttpResponse(handle.read(), content_type=found.content_type)
        response["Content-Disposition"] = f'attachment; filename="{found.filename}"'
    else:
        response = FileResponse(
            handle, as_attachment=True, filename=found.filename, content_type=found.content_type
        )
    response["Cache-Control"] = "private, no-store"
    return response


def respond(request, job: Job):
    """What a download link answers: the file at once if it is ready, else the status page."""
    if job.has_file:
        return send_result(request, job)
    return redirect("jobs:job", pk=job.pk)


@public_view
def healthz(request):
    """For load balancers and monitoring: JSON, 200 when healthy, 503 when not."""
    result = health.check()
    response = JsonResponse(result, status=200 if result["status"] == "ok" else 503)
    response["Cache-Control"] = "no-store"
    return response


def download_or_wait(request, kind: str, spec: dict, *, back: str):
    """For a download link: the file at once if the same thing was made from the same data
    before, otherwise a job for ``heard worker`` and its status page. Never renders here."""
    try:
        found = services.request_job(request.user, kind, spec)
    except services.TooManyJobs as refused:
        messages.error(request, str(refused))
        return redirect(back)
    return respond(request, found)
