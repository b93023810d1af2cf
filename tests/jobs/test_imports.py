"""Importing on the page: checked, then imported, each by `heard worker`."""

import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from heard.cases.models import Case
from heard.exchange import export
from heard.jobs.models import Job
from tests.factories import CaseFactory


def _work():
    call_command("worker", "--once", stdout=io.StringIO())


def _checked(client, data: bytes):
    """Upload, let the worker check it; the check's job page (with the preview)."""
    asked = client.post("/exchange/import/", {"file": SimpleUploadedFile("cases.json", data)})
    assert asked.status_code == 302
    _work()
    return client.get(asked["Location"])


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
    preview = _checked(client, data).context["page"].preview
    assert preview["created"] == 2 and Case.objects.count() == 0
    token = preview["token"]
    first = client.post(f"/exchange/import/{token}/confirm/")
    second = client.post(f"/exchange/import/{token}/confirm/")  # a double click
    assert first["Location"] == second["Location"]
    assert Case.objects.count() == 0  # nothing written in the request
    _work()
    job = Job.objects.get(kind=Job.Kind.IMPORT)
    assert job.status == Job.Status.DONE and Case.objects.count() == 2
    page = client.get(first["Location"]).content.decode()
    assert "2 case(s) imported" in page
    assert not [p for p in queued_jobs.rglob("*") if p.is_file()], "the upload is removed"
    assert client_for("manager").get(first["Location"]).status_code == 404


def test_a_refused_import_lists_its_problems(client_for, queued_jobs):
    client = client_for("administrator")
    document = json.loads(_exported_then_emptied())
    token = _checked(client, json.dumps(document).encode()).context["page"].preview["token"]
    document["cases"][0]["kind"] = "nonsense"
    # The file changes between the check and the import: the job refuses, writing nothing.
    stored = next(p for p in queued_jobs.rglob("cases.json"))
    stored.write_text(json.dumps(document))
    asked = client.post(f"/exchange/import/{token}/confirm/")
    _work()
    page = client.get(asked["Location"]).content.decode()
    assert "nothing was imported" in page and Case.objects.count() == 0


def test_a_file_with_problems_is_refused_at_the_check_and_removed(client_for, queued_jobs):
    client = client_for("administrator")
    document = json.loads(_exported_then_emptied())
    document["cases"][1]["received_on"] = "31/02/2024"
    page = _checked(client, json.dumps(document).encode()).content.decode()
    assert "This could not be made" in page and "nothing was imported" in page
    assert "case 2" in page
    assert not [p for p in queued_jobs.rglob("*") if p.is_file()]
