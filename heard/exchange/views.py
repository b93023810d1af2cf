"""The import page for administrators: upload, see a preview (counts, problems, the first
cases), then confirm. The upload is kept under the data directory between the two steps,
never in the web root, and removed once imported."""

import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from heard.accounts import roles
from heard.audit import services as audit
from heard.core.access import staff_view
from heard.exchange import files
from heard.exchange.forms import UploadForm
from heard.exchange.importer import ImportFailed, import_records

SUFFIXES = {".json", ".csv", ".xlsx"}


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _store(upload, token: str, role: str) -> Path:
    """Keep an upload as imports/<token>/<role>/<its own name>, so problems name the file
    the way the user knows it."""
    folder = _folder() / token / role
    folder.mkdir(parents=True)
    name = Path(upload.name).name[-100:] or f"upload{Path(upload.name).suffix}"
    path = folder / name
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


def _stored(token: str) -> tuple[Path, Path | None]:
    try:
        uuid.UUID(token)
    except ValueError:
        raise Http404("No such upload.") from None
    main = next((_folder() / token / "file").glob("*"), None)
    if main is None:
        raise Http404("This upload has gone: upload the file again.")
    return main, next((_folder() / token / "parts").glob("*"), None)


def _check(path, parts, create_missing, *, user, dry_run):
    found = files.read(path, parts)
    return import_records(
        found.rows,
        create_missing=create_missing,
        actor=f"Import of {path.name} by {user}",
        dry_run=dry_run,
        **found.declared,
    )


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
            parts_path = _store(parts, token, "parts") if parts else None
            create_missing = form.cleaned_data["create_missing"]
            context = {"token": token, "create_missing": create_missing, "name": main.name}
            try:
                context["result"] = _check(
                    path, parts_path, create_missing, user=request.user, dry_run=True
                )
            except files.UnreadableFile as error:
                form.add_error("file", str(error))
            except ImportFailed as failed:
                context["problems"] = failed.problems
            else:
                return render(request, "exchange/preview.html", context)
            if "problems" in context:
                return render(request, "exchange/preview.html", context)
    return render(request, "exchange/upload.html", {"form": form})


@staff_view(roles.can_administer)
@require_POST
def confirm(request, token):
    path, parts = _stored(token)
    create_missing = request.POST.get("create_missing") == "on"
    try:
        result = _check(path, parts, create_missing, user=request.user, dry_run=False)
    except (files.UnreadableFile, ImportFailed):
        messages.error(request, "The file changed or the data moved on: upload it again.")
        return redirect("exchange:import")
    finally:
        shutil.rmtree(_folder() / token, ignore_errors=True)
    audit.record(
        "cases.imported",
        user=request.user,
        note=f"{result.created} case(s) imported, {result.unchanged} already present.",
    )
    messages.success(
        request,
        f"{result.created} case(s) imported; {result.unchanged} were already in Heard and were "
        "left unchanged.",
    )
    return redirect("cases:list")
