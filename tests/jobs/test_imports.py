"""Importing on the page: checked in the request, imported by `heard worker`."""

import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from heard.cases.models import Case
from heard.exchange import export
from heard.jobs.models import Job
from tests.factories import CaseFactory


def _exported_then_emptied() -> bytes:
    out = io.StringIO()
    for _ in range(2):
        CaseFactory()
    export.write(out, export.selected_cases())
    Case.objects.all().delete()
    return out.getvalue().encode()


def test_an_import_runs_as_a_job_once_however_often_it_is_confirmed(client_for, queued_jobs):
    client = client_for("administrator")
    data = _exported_then_emptied()
    preview = client.post("/exchange/import/", {"file": SimpleUploadedFile("cases.json", data)})
    token = preview.context["token"]
    assert preview.context["result"].created == 2
    first = client.post(f"/exchange/import/{token}/confirm/")
    second = client.post(f"/exchange/import/{token}/confirm/")  # a double click
    assert first["Location"] == second["Location"]
    assert Case.objects.count() == 0  # nothing written in the request
    call_command("worker", "--once", stdout=io.StringIO())
    job = Job.objects.get()
    assert job.status == Job.Status.DONE and Case.objects.count() == 2
    page = client.get(first["Location"]).content.decode()
    assert "2 case(s) imported" in page
    assert not [p for p in queued_jobs.rglob("*") if p.is_file()], "the upload is removed"
    assert client_for("manager").get(first["Location"]).status_code == 404


def test_a_refused_import_lists_its_problems(client_for, queued_jobs):
    client = client_for("administrator")
    document = json.loads(_exported_then_emptied())
    preview = client.post(
        "/exchange/import/",
        {"file": SimpleUploadedFile("cases.json", json.dumps(document).encode())},
    )
    token = preview.context["token"]
    document["cases"][0]["kind"] = "nonsense"
    # The file changes between the check and the import: the job refuses, writing nothing.
    stored = next(p for p in queued_jobs.rglob("cases.json"))
    stored.write_text(json.dumps(document))
    asked = client.post(f"/exchange/import/{token}/confirm/")
    call_command("worker", "--once", stdout=io.StringIO())
    page = client.get(asked["Location"]).content.decode()
    assert "nothing was imported" in page and Case.objects.count() == 0
