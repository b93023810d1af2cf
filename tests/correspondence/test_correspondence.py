"""Letters and e-mails from templates, e-mails dropped onto a case, and the complaints mailbox
read from a real IMAP server (Dovecot, started by tests/correspondence/conftest.py)."""

import datetime
import io
from email.message import EmailMessage

import pytest
from django.core.management import call_command
from django.urls import reverse

from heard.audit.models import AuditEvent
from heard.cases import workflow
from heard.correspondence import services
from heard.correspondence.incoming import from_eml
from heard.correspondence.models import Correspondence, Purpose, Template
from heard.notifications.models import OutboxMessage
from heard.people.models import CaseLink
from tests.factories import CaseFactory, PartFactory

pytestmark = pytest.mark.django_db


def _case(personas, **fields):
    fields.setdefault("status", "new")
    fields.setdefault("procedure", "")
    case = CaseFactory(
        complainant_email="jordan@example.org",
        complainant_address="1 High Street\nAnytown AN1 1AA",
        **fields,
    )
    PartFactory(case=case, number=1, summary="Calls were not returned")
    return case


def _email(subject, body="Hello", *, message_id=None, attachment=None) -> bytes:
    message = EmailMessage()
    message["From"] = "Jordan Example <jordan@example.org>"
    message["To"] = "complaints@council.example.gov.uk"
    message["Subject"] = subject
    message["Date"] = "Mon, 03 Mar 2025 10:15:00 +0000"
    if message_id:
        message["Message-ID"] = message_id
    message.set_content(body)
    if attachment:
        message.add_attachment(
            attachment[1], maintype="application", subtype="pdf", filename=attachment[0]
        )
    return message.as_bytes()


def test_every_purpose_has_a_letter_and_an_e_mail():
    for purpose in Purpose.values:
        if purpose == Purpose.OTHER:
            continue
        kinds = set(Template.objects.filter(purpose=purpose).values_list("kind", flat=True))
        assert kinds == {"letter", "email"}, purpose


def test_an_officer_sends_an_acknowledgement_filled_in_from_the_case(client_for, personas):
    case = _case(personas)
    workflow.triage(case, procedure="childrens_statutory", reason="", user=personas["manager"])
    stage = case.stages.get()
    template = Template.objects.get(code="acknowledgement-email")
    officer = client_for("officer")
    url = reverse("correspondence:write", args=[case.reference]) + f"?template={template.pk}"
    page = officer.get(url).content.decode()
    assert case.reference in page and "Dear Jordan Example" in page
    assert f"{stage.response_due:%-d %B %Y}" in page and 'value="jordan@example.org"' in page
    response = officer.post(
        url,
        {
            "to": "jordan@example.org",
            "subject": f"We have received your complaint: {case.reference}",
            "body": "Dear Jordan Example,\n\nEdited by the officer.",
        },
    )
    assert response.status_code == 302
    sent = OutboxMessage.objects.get(to="jordan@example.org")
    assert sent.body.endswith("Edited by the officer.")
    item = Correspondence.objects.get(case=case)
    assert item.outbox_message == sent and item.direction == "out" and item.template == template
    detail = officer.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Edited by the officer." in detail and "Letters, e-mails, contacts and notes" in detail
    assert AuditEvent.objects.filter(case_id=case.pk, action="correspondence.emailed").exists()


def test_a_letter_is_saved_as_word_and_pdf_on_the_case(client_for, personas):
    from docx import Document

    case = _case(personas)
    template = Template.objects.get(code="acknowledgement-letter")
    officer = client_for("officer")
    url = reverse("correspondence:write", args=[case.reference]) + f"?template={template.pk}"
    officer.post(url, {"subject": "Acknowledgement", "body": "Dear Jordan,\n\nWe have it."})
    item = Correspondence.objects.get(case=case, channel="letter")
    files = {a.name.rsplit(".", 1)[1]: a for a in item.attachments.all()}
    assert set(files) == {"docx", "pdf"}
    word = officer.get(
        reverse("correspondence:attachment", args=[case.reference, files["docx"].pk])
    )
    text = "\n".join(
        p.text for p in Document(io.BytesIO(b"".join(word.streaming_content))).paragraphs
    )
    assert "We have it." in text and "1 High Street" in text
    pdf = officer.get(reverse("correspondence:attachment", args=[case.reference, files["pdf"].pk]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert "no-store" in pdf["Cache-Control"]


def test_the_council_s_own_word_template_is_filled_in(client_for, personas, tmp_path):
    from django.core.files.base import ContentFile
    from docx import Document

    source = Document()
    source.add_paragraph("Letterhead of the council")
    source.add_paragraph("Ref: {{ case.reference }}")
    source.add_paragraph("{{ body }}")
    buffer = io.BytesIO()
    source.save(buffer)
    template = Template.objects.create(
        code="own",
        name="Our letter",
        kind="letter",
        purpose="other",
        body="Hello {{ complainant.name }}",
    )
    template.docx.save("own.docx", ContentFile(buffer.getvalue()))
    case = _case(personas)
    item = services.save_letter(
        case, subject="Own", body="Our words & more", template=template, user=personas["officer"]
    )
    word = item.attachments.get(name__endswith=".docx")
    text = "\n".join(p.text for p in Document(word.file.open("rb")).paragraphs)
    assert "Letterhead of the council" in text and f"Ref: {case.reference}" in text
    assert "Our words & more" in text


@pytest.mark.parametrize(
    ("procedure", "stage", "words"),
    [
        ("childrens_statutory", 1, "investigated at Stage 2"),
        ("childrens_statutory", 2, "review panel (Stage 3)"),
        ("childrens_statutory", 3, "Local Government and Social Care Ombudsman"),
        ("corporate", 1, "looked at again at Stage 2"),
        ("corporate", 2, "Local Government and Social Care Ombudsman"),
    ],
)
def test_a_stage_response_gives_the_right_next_step_for_the_procedure(
    personas, procedure, stage, words
):
    from tests.factories import StageFactory

    case = _case(personas, procedure=procedure, status="open")
    for number in range(1, stage + 1):
        StageFactory(case=case, number=number)
    template = Template.objects.get(code="stage-response-letter")
    draft = services.draft(case, template, user=personas["officer"])
    assert words in draft["body"] and "Calls were not returned" in draft["body"]


def test_a_template_cannot_reach_into_heard(client_for, personas):
    template = Template.objects.create(
        code="nosy", name="Nosy", kind="email", purpose="other",
        body="{{ case.__class__.__mro__[1].__subclasses__() }}",
    )  # fmt: skip
    case = _case(personas)
    officer = client_for("officer")
    url = reverse("correspondence:write", args=[case.reference]) + f"?template={template.pk}"
    response = officer.get(url, follow=True)
    assert response.status_code == 200
    assert "subclasses" not in response.content.decode().split("<main", 1)[1].split("</main>")[
        0
    ] or ("could not be filled in" in response.content.decode())


def test_an_eml_file_is_kept_on_the_case_once(client_for, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = _case(personas)
    raw = _email("About my complaint", "More details", message_id="<one@example.org>",
                 attachment=("photo.pdf", b"%PDF-1.4 photo"))  # fmt: skip
    officer = client_for("officer")
    url = reverse("correspondence:upload", args=[case.reference])
    officer.post(url, {"file": SimpleUploadedFile("message.eml", raw)})
    officer.post(url, {"file": SimpleUploadedFile("again.eml", raw)})
    item = Correspondence.objects.get(case=case)
    assert item.direction == "in" and item.body == "More details"
    assert item.on == datetime.datetime(2025, 3, 3, 10, 15, tzinfo=datetime.UTC)
    assert [a.name for a in item.attachments.all()] == ["photo.pdf"]
    refused = officer.post(url, {"file": SimpleUploadedFile("notes.txt", b"hello")})
    assert "Choose an e-mail saved as .eml" in refused.content.decode()
    fake_msg = officer.post(url, {"file": SimpleUploadedFile("fake.msg", b"not an outlook file")})
    assert "This file is not an Outlook message" in fake_msg.content.decode()


def test_only_casework_roles_write_and_only_readers_of_the_case_see_files(client_for, personas):
    case = _case(personas)
    item = services.save_letter(case, subject="A", body="B", user=personas["officer"])
    pdf = item.attachments.get(name__endswith=".pdf")
    for persona in ["investigator", "responding_manager", "viewer"]:
        other = client_for(persona)
        assert other.get(reverse("correspondence:write", args=[case.reference])).status_code == 403
        got = other.get(reverse("correspondence:attachment", args=[case.reference, pdf.pk]))
        assert got.status_code in {403, 404}


# The complaints mailbox, on a real IMAP server ---------------------------------------------


def test_the_worker_files_mail_by_reference_and_keeps_the_rest_for_triage(
    mailbox, personas, client_for
):
    case = _case(personas)
    reply = _email(
        f"Re: {case.reference} my complaint",
        "Thank you, one more thing.",
        message_id="<reply@example.org>",
        attachment=("letter.pdf", b"%PDF-1.4"),
    )
    mailbox.deliver(reply)
    mailbox.deliver(
        _email("A new problem", "Nobody called me back.", message_id="<new@example.org>")
    )
    call_command("worker", "--once")
    filed = Correspondence.objects.get(case=case)
    assert filed.body == "Thank you, one more thing."
    assert [a.name for a in filed.attachments.all()] == ["letter.pdf"]
    waiting = Correspondence.objects.get(case__isnull=True)
    assert waiting.subject == "A new problem"
    assert waiting.person == filed.person == CaseLink.objects.get(case=case).person
    assert mailbox.count() == 0  # removed only once stored

    officer = client_for("officer")
    inbox = officer.get(reverse("correspondence:inbox")).content.decode()
    assert "A new problem" in inbox and "Thank you, one more thing." not in inbox
    officer.post(reverse("correspondence:file", args=[waiting.pk]), {"reference": case.reference})
    assert Correspondence.objects.filter(case=case).count() == 2


def _arrived(subject, sender="Jordan Example <Jordan@Example.org>"):
    message = from_eml(_email(subject, message_id=f"<{subject.replace(' ', '.')}@example.org>"))
    message.sender = sender
    item, _ = services.record_incoming(message, case=None, actor="tests")
    return item


def test_an_e_mail_with_no_reference_suggests_the_open_cases_of_its_sender(client_for, personas):
    from heard.cases import restriction

    open_case = _case(personas)
    closed = _case(personas, status="closed", closed_on=datetime.date(2025, 1, 2))
    hidden = _case(personas)
    manager = personas["manager"]
    restriction.restrict(hidden, people=[manager], reason="About the team", user=manager)
    person = CaseLink.objects.get(case=open_case, role="complainant").person
    assert CaseLink.objects.get(case=hidden, role="complainant").person == person
    item = _arrived("Still waiting")
    assert item.person == person
    officer = client_for("officer")
    inbox = officer.get(reverse("correspondence:inbox")).content.decode()
    assert "Known as" in inbox and reverse("people:detail", args=[person.pk]) in inbox
    page = officer.get(reverse("correspondence:file", args=[item.pk])).content.decode()
    assert f"File on {open_case.reference}" in page
    assert closed.reference not in page and hidden.reference not in page
    officer.post(reverse("correspondence:file", args=[item.pk]), {"reference": open_case.reference})
    item.refresh_from_db()
    assert item.case == open_case
    assert AuditEvent.objects.filter(action="correspondence.filed", case_id=open_case.pk).exists()


def test_a_sender_shared_by_two_people_is_not_guessed_between(client_for, personas):
    one = CaseFactory(complainant_name="Sam Reed", complainant_email="family@example.org")
    two = CaseFactory(complainant_name="Alex Reed", complainant_email="family@example.org")
    item = _arrived("About the boys", sender="family@example.org")
    assert item.person is None
    page = client_for("officer").get(reverse("correspondence:file", args=[item.pk]))
    text = page.content.decode()
    assert f"File on {one.reference}" in text and f"File on {two.reference}" in text
    nobody = _arrived("Hello", sender="stranger@example.org")
    text = client_for("officer").get(reverse("correspondence:file", args=[nobody.pk]))
    assert "Open cases of the person who sent it" not in text.content.decode()


def test_e_mails_matched_to_a_person_follow_a_merge(personas):
    from heard.people.services import merge

    kept = CaseLink.objects.get(case=CaseFactory(complainant_name="Jo Bell")).person
    case = CaseFactory(complainant_name="Joanne Bell", complainant_email="jo@example.org")
    merged = CaseLink.objects.get(case=case).person
    item = _arrived("Hi", sender="jo@example.org")
    assert item.person == merged
    merge(kept, merged, reason="The same Jo", user=personas["manager"])
    item.refresh_from_db()
    assert item.person == kept


def test_a_message_is_never_taken_twice(mailbox, personas):
    case = _case(personas)
    raw = _email(f"{case.reference}", "Once only", message_id="<once@example.org>")
    # As if a worker stored it and stopped before removing it from the mailbox.
    services.record_incoming(from_eml(raw), case=case, actor="test")
    mailbox.deliver(raw)
    call_command("worker", "--once")
    assert Correspondence.objects.filter(message_id="<once@example.org>").count() == 1
    assert mailbox.count() == 0


def test_a_mailbox_that_cannot_be_reached_does_not_stop_the_worker(settings, capsys, db):
    settings.HEARD_IMAP_HOST = "127.0.0.1"
    settings.HEARD_IMAP_PORT = 9  # nothing listens here
    call_command("worker", "--once")
    assert "mailbox not read" in capsys.readouterr().out


def test_calls_meetings_and_notes_go_in_the_contact_log_on_any_kind(client_for, personas):
    for kind in ["complaint", "compliment", "representation", "information_request"]:
        case = _case(personas, kind=kind)
        officer = client_for("officer")
        url = reverse("correspondence:log", args=[case.reference])
        refused = officer.post(url, {"channel": "note", "direction": "in", "body": "x",
                                     "on_0": "3", "on_1": "3", "on_2": "2025"})  # fmt: skip
        assert "A case note is not a contact" in refused.content.decode()
        officer.post(
            url,
            {"channel": "phone", "direction": "in", "on_0": "3", "on_1": "3", "on_2": "2025",
             "correspondent": "Jordan", "subject": "Chasing", "body": "Asked when we reply."},
        )  # fmt: skip
        officer.post(
            url,
            {"channel": "note", "direction": "none", "on_0": "4", "on_1": "3", "on_2": "2025",
             "body": "Spoke to the team manager."},
        )  # fmt: skip
        logged = list(Correspondence.objects.filter(case=case).order_by("on"))
        assert [(i.channel, i.direction) for i in logged] == [("phone", "in"), ("note", "none")]
        page = officer.get(reverse("cases:detail", args=[case.reference])).content.decode()
        assert "Asked when we reply." in page and "Spoke to the team manager." in page
        assert "Phone call received" in page and "Case note" in page
