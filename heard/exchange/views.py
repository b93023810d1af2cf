"""The import page for administrators: upload, see a preview (counts, problems, the first
cases), then confirm; and the export of whole cases. The upload is kept in the jobs storage
between the two steps, never in the web root, and removed once imported or refused. The check,
the import and the export run as jobs for `heard worker`; the job's page shows the preview."""

import uuid
from pathlib import Path

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from heard.accounts import roles
from heard.core.access import staff_view
from heard.exchange.forms import ExportForm, UploadForm
from heard.jobs import storage
from heard.jobs.views import download_or_wait

SUFFIXES = {".json", ".csv", ".xlsx"}


def _store(upload, token: str, role: str) -> str:
    """Keep an upload as imports/<token>/<role>/<its own name> in the jobs storage (so that a
    worker on another machine can import it), so problems name the file the way the user
    knows it."""
    name = Path(upload.name).name[-100:] or f"upload{Path(upload.name).suffix}"
    return storage.save_upload(f"imports/{token}/{role}/{name}", upload)


def _forget(token: str) -> None:
    for role in ("file", "parts"):
        try:
            names = storage.jobs_storage().listdir(f"imports/{token}/{role}")[1]
        except FileNotFoundError:
            continue
        for name in names:
            storage.delete_quietly(f"imports/{token}/{role}/{name}")


def _stored(token: str) -> tuple[str, str | None]:
    try:
        uuid.UUID(token)
    except ValueError:
        raise Http404("No such upload.") from None

    def first(role: str) -> str | None:
        try:
            names = storage.jobs_storage().listdir(f"imports/{token}/{role}")[1]
        except FileNotFoundError:
            return None
        return f"imports/{token}/{role}/{names[0]}" if names else None

    main = first("file")
    if main is None:
        raise Http404("This upload has gone: upload the file again.")
    return main, first("parts")


@staff_view(roles.can_administer)
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        main = form.cleaned_data["file"]
        if Path(main.name).suffix.lower() not in SUFFIXES:
            form.add_error("file", "The file must be .json, .csv or .xlsx")
        else:
            token = str(uuid.uuid4())
            path = _store(main, token, "file")
            parts = form.cleaned_data["parts"]
            spec = {
                "token": token,
                "file": path,
                "parts": _store(parts, token, "parts") if parts else None,
                "name": Path(main.name).name[-100:],
                "create_missing": form.cleaned_data["create_missing"],
                "actor": f"Import of {Path(path).name} by {request.user}",
            }
            # Checking every case of a big file takes a while: `heard worker` does it.
            return download_or_wait(request, "check", spec, back=reverse("exchange:import"))
    return render(request, "exchange/upload.html", {"form": form})


@staff_view(roles.can_administer)
@require_POST
def confirm(request, token):
    """The import itself runs as a job for `heard worker` (heard.jobs): the page follows it."""
    path, parts = _stored(token)
    spec = {
        "token": token,
        "file": path,
        "parts": parts,
        "name": Path(path).name,
        "create_missing": request.POST.get("create_missing") == "on",
        "actor": f"Import of {Path(path).name} by {request.user}",
    }
    return download_or_wait(request, "import", spec, back=reverse("exchange:import"))


@staff_view(roles.can_administer)
def export(request):
    """Whole cases in the exchange format, made by `heard worker` (heard.jobs)."""
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        spec = {"year": form.cleaned_data["year"], "kind": form.cleaned_data["kind"] or None}
        return download_or_wait(request, "export", spec, back=reverse("exchange:export"))
    return render(
        request, "exchange/export.html", {"form": form}, status=400 if form.errors else 200
    )
