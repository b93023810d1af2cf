"""Documents, spooled online forms and job results kept in S3-compatible object storage
(HEARD_FILE_STORAGE=s3) against a real S3 server on loopback (moto's, see conftest.py): they
go in and come back byte for byte, and nothing of theirs lands in the local data folder."""

import datetime
import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from heard import filestorage
from heard.audit.models import AuditEvent
from heard.cases import services
from heard.cases.choices import Kind
from heard.cases.models import Case, Document
from heard.jobs.models import Job
from heard.public import spool
from tests.factories import CaseFactory, term
from tests.public.test_spool import DatabaseBusy


def _files_under(folder) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


@pytest.mark.django_db
def test_a_document_goes_to_the_bucket_and_comes_back_byte_for_byte(
    client_for, officer, object_storage
):
    case = services.log_case(
        user=officer, kind=Kind.COMPLAINT, received_on=datetime.date(2024, 3, 4),
        channel=term("channel", "email"), complainant_name="Sam Example",
        procedure="childrens_statutory", parts=[{"summary": "Calls not returned"}],
    )  # fmt: skip
    client = client_for("officer")
    # Every byte value, and more than one read buffer's worth, so nothing is re-encoded.
    content = b"%PDF-1.7\n" + bytes(range(256)) * 400
    upload = SimpleUploadedFile("Sam's letter.pdf", content)
    posted = client.post(reverse("cases:documents", args=[case.reference]), {"file": upload})
    assert posted.status_code in (200, 302)
    document = Document.objects.get()

    key = f"documents/{document.file.name}"
    assert object_storage.keys() == [key]
    assert object_storage.read(key) == content
    assert object_storage.head(key)["ServerSideEncryption"] == "AES256"
    assert "Sam" not in key, "stored names carry nothing personal"

    download = client.get(reverse("cases:document", args=[case.reference, document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert AuditEvent.objects.filter(action="document.viewed", case_id=case.pk).exists()
    assert _files_under(object_storage.data_dir) == []

    outsider = client_for("investigator")  # not allocated to this case
    url = reverse("cases:document", args=[case.reference, document.pk])
    assert outsider.get(url).status_code == 404


@pytest.mark.django_db
def test_a_job_result_is_made_into_the_bucket_and_fetched_from_it(client_for, object_storage):
    CaseFactory.create_batch(3, kind=Kind.COMPLAINT, received_on=datetime.date(2023, 5, 2))
    client = client_for("manager")
    asked = client.get("/reports/annual/2023/download/xlsx/")  # made at once in the suite
    job = Job.objects.get()
    assert job.result_name
    assert object_storage.keys("jobs/") == [f"jobs/{job.result_name}"]
    assert asked.content == object_storage.read(f"jobs/{job.result_name}")
    assert asked.content[:2] == b"PK"

    fetched = client.get(f"/jobs/{job.pk}/download/")
    assert fetched.status_code == 200 and fetched.content == asked.content
    assert _files_under(object_storage.data_dir) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_spooled_online_form_waits_in_the_bucket_and_is_entered_from_it(client, object_storage):
    from django.core.cache import cache

    cache.clear()

    def step(name, data):
        return client.post(reverse("public:step", args=[name]), data)

    step("what", {"kind": "complaint"})
    step("who", {"who": "parent"})
    step("behalf", {"on_behalf": "no"})
    step("about", {"what_happened": "Sent while the database was busy."})
    letter = b"%PDF-1.4 the letter\n" + bytes(range(256))
    step("documents", {"file": SimpleUploadedFile("letter.pdf", letter), "upload": "1"})
    # The file waits in the bucket, so whichever web machine takes the next request finds it.
    waiting = object_storage.keys("uploads/")
    assert len(waiting) == 1 and waiting[0].endswith("/letter.pdf")
    assert object_storage.read(waiting[0]) == letter
    step("documents", {"continue": "1"})
    step("contact", {"contact_by": "email", "name": "Pat", "email": "pat@example.org"})

    with DatabaseBusy():
        response = client.post(reverse("public:check"))
    assert "We have your form" in response.content.decode()
    key = client.session["tell_us"]["key"]
    kept = object_storage.keys("spool/")
    assert f"spool/{key}/submission.json" in kept
    assert [name for name in kept if "/files/" in name] != []
    assert spool.waiting() == [key]

    call_command("worker", "--once", stdout=io.StringIO())
    case = Case.objects.get()
    assert case.summary == "Sent while the database was busy."
    assert object_storage.keys("spool/") == []
    document = case.documents.get()
    assert object_storage.read(f"documents/{document.file.name}") == letter

    # Nothing is on this machine's disk: not the visitor's files before Send, nor the spool,
    # the documents or any job result.
    assert _files_under(object_storage.data_dir) == []
    assert object_storage.keys("uploads/") == []


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({}, "needs HEARD_S3_BUCKET"),
        ({"HEARD_S3_BUCKET": "b", "HEARD_S3_ACCESS_KEY_ID": "k"}, "or neither"),
        ({"HEARD_S3_BUCKET": "b", "HEARD_S3_ENDPOINT_URL": "minio:9000"}, "http(s)://"),
        ({"HEARD_S3_BUCKET": "b", "HEARD_S3_ENCRYPTION": "yes"}, "HEARD_S3_ENCRYPTION"),
    ],
)
def test_an_incomplete_object_storage_setting_is_refused_plainly(
    monkeypatch, tmp_path, variables, message
):
    monkeypatch.setenv("HEARD_FILE_STORAGE", "s3")
    for name in ("HEARD_S3_BUCKET", "HEARD_S3_ACCESS_KEY_ID", "HEARD_S3_SECRET_ACCESS_KEY",
                 "HEARD_S3_ENDPOINT_URL", "HEARD_S3_ENCRYPTION"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=message.replace("(", r"\(").replace(")", r"\)")):
        filestorage.storages_setting(tmp_path)


def test_local_folders_are_the_default(monkeypatch, tmp_path):
    monkeypatch.delenv("HEARD_FILE_STORAGE", raising=False)
    setting = filestorage.storages_setting(tmp_path)
    assert {name: s["BACKEND"].rsplit(".", 1)[-1] for name, s in setting.items()} == {
        "default": "FileSystemStorage",
        "staticfiles": "StaticFilesStorage",
        "jobs": "FileSystemStorage",
        "spool": "FileSystemStorage",
        "uploads": "FileSystemStorage",
    }
    assert setting["spool"]["OPTIONS"]["location"] == tmp_path / "spool"


@pytest.mark.django_db
def test_a_backup_holds_the_documents_of_the_bucket_and_puts_them_back(
    officer, object_storage, tmp_path
):
    import tarfile

    from django.core.files.base import ContentFile

    from heard.cases import documents
    from heard.exchange import backup

    case = CaseFactory(kind=Kind.COMPLAINT)
    letters = [b"%PDF-1.4 first\n" + bytes(range(256)), b"%PDF-1.4 second\n" * 1000]
    stored = [
        documents.add_document(case, ContentFile(data, name=f"letter{n}.pdf"), user=officer)
        for n, data in enumerate(letters)
    ]
    path = tmp_path / "backup.tar"
    with tarfile.open(path, "w") as archive:
        assert backup.add_documents(archive) == 2
    with tarfile.open(path) as archive:
        held = {info.name: archive.extractfile(info).read() for info in archive if info.isfile()}
    assert held == {
        f"documents/{d.file.name}": data for d, data in zip(stored, letters, strict=True)
    }

    # After the backup: one document lost, one changed, one added.
    object_storage.client.delete_object(
        Bucket=object_storage.name, Key=f"documents/{stored[0].file.name}"
    )
    object_storage.client.put_object(
        Bucket=object_storage.name, Key=f"documents/{stored[1].file.name}", Body=b"changed"
    )
    object_storage.client.put_object(
        Bucket=object_storage.name, Key="documents/cases/0/added-later", Body=b"later"
    )
    work = tmp_path / "work"
    with tarfile.open(path) as archive:
        archive.extractall(work, filter="data")
    backup.restore_documents(work / "documents", work)
    for document, data in zip(stored, letters, strict=True):
        assert object_storage.read(f"documents/{document.file.name}") == data
    assert object_storage.read("documents/cases/0/added-later") == b"later", "nothing deleted"
    assert _files_under(object_storage.data_dir) == []


def test_an_upload_never_sent_is_cleared_from_the_bucket_after_a_day(object_storage):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from heard.public import uploads

    uploads.save("never-sent", ContentFile(b"%PDF", name="letter.pdf"))
    assert uploads.clear_abandoned() == 0  # not a day old yet
    assert uploads.clear_abandoned(now=timezone.now() + datetime.timedelta(days=1, minutes=1)) == 1
    assert object_storage.keys("uploads/") == []
