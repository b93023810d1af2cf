"""The public online form: the journey, what arrives as work, and what protects it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from heard.cases.models import Case
from heard.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


def _step(client, name, data, **extra):
    return client.post(reverse("public:step", args=[name]), data, **extra)


def _complaint_as_parent(client, **contact):
    _step(client, "what", {"kind": "complaint"})
    _step(client, "who", {"who": "parent"})
    _step(client, "behalf", {"on_behalf": "yes", "child_name": "Billy", "child_agrees": "yes"})
    _step(client, "about", {"what_happened": "Nobody came to the meeting.", "put_right": "Sorry"})
    _step(client, "documents", {"continue": "1"})
    _step(
        client,
        "contact",
        contact or {"contact_by": "email", "name": "Pat", "email": "pat@example.org"},
    )


def test_a_parent_complains_and_it_arrives_as_a_new_case_to_triage(client):
    _complaint_as_parent(client)
    check = client.get(reverse("public:check")).content.decode()
    assert "Nobody came to the meeting." in check and "Billy (agrees: Yes)" in check
    sent = client.post(reverse("public:check"), follow=True).content.decode()
    case = Case.objects.get()
    assert case.reference in sent
    assert case.status == "new" and case.procedure == "" and case.channel.code == "web-form"
    assert case.kind == "complaint" and case.summary == "Nobody came to the meeting."
    assert case.desired_outcome == "Sorry"
    assert (case.child_name, case.child_consent) == ("Billy", "given")
    assert case.complainant_role.code == "parent"
    ack = OutboxMessage.objects.get(to="pat@example.org")
    assert case.reference in ack.subject and "We will contact you by" in ack.body
    assert "by <strong>" in sent  # the acknowledgement date from the timescale engine


def test_a_child_is_offered_an_advocate_and_the_answer_is_recorded(client):
    _step(client, "what", {"kind": "complaint"})
    response = _step(client, "who", {"who": "child"})
    assert response["Location"] == reverse("public:step", args=["age"])
    _step(client, "age", {"age": "13-15"})
    response = _step(client, "care", {"care": "in-care"})
    assert response["Location"] == reverse("public:step", args=["advocate"])
    page = client.get(response["Location"]).content.decode()
    assert "someone who is on your side" in page and "Childline" in page
    _step(client, "advocate", {"advocate": "yes"})
    _step(client, "about", {"what_happened": "My social worker keeps changing."})
    _step(client, "documents", {"continue": "1"})
    _step(client, "contact", {"contact_by": "anonymous"})
    client.post(reverse("public:check"))
    case = Case.objects.get()
    assert case.complainant_under_18 is True and case.advocate_offered and case.advocate_accepted
    assert case.complainant_looked_after is True
    assert case.online_submission.age_band == "13-15"
    assert case.anonymous and not OutboxMessage.objects.exists()


def test_errors_are_explained_and_answers_are_kept_on_the_way_back(client):
    page = _step(client, "what", {}).content.decode()
    assert "Select what you want to tell us" in page and "govuk-error-summary" in page
    _step(client, "what", {"kind": "compliment"})
    back = client.get(reverse("public:step", args=["what"])).content.decode()
    assert 'value="compliment" checked' in back
    _step(client, "who", {"who": "other"})
    page = _step(client, "behalf", {"on_behalf": "yes"}).content.decode()
    assert "Enter the child or young person&#x27;s name" in page


def test_nobody_skips_to_check_your_answers(client):
    _step(client, "what", {"kind": "comment"})
    response = client.get(reverse("public:check"))
    assert response["Location"] == reverse("public:step", args=["who"])


def test_attachments_are_checked_and_kept_out_of_the_web_root(client, settings):
    _step(client, "what", {"kind": "complaint"})
    _step(client, "who", {"who": "care-leaver"})
    _step(client, "behalf", {"on_behalf": "no"})
    _step(client, "about", {"what_happened": "Letter attached"})
    bad = SimpleUploadedFile("virus.exe", b"MZ")
    page = _step(client, "documents", {"file": bad, "upload": "1"}).content.decode()
    assert "must be a PDF, Word document" in page
    letter = SimpleUploadedFile("letter.pdf", b"%PDF-1.4 letter")
    _step(client, "documents", {"file": letter, "upload": "1"})
    _step(client, "documents", {"continue": "1"})
    _step(client, "contact", {"contact_by": "phone", "name": "Sam", "phone": "0123"})
    client.post(reverse("public:check"))
    document = Case.objects.get().documents.get()
    assert document.original_name == "letter.pdf"
    assert str(settings.MEDIA_ROOT) in document.file.path
    assert client.get(f"/documents/{document.file.name}").status_code == 404


def test_the_honeypot_keeps_robots_out(client):
    _complaint_as_parent(client)
    page = client.post(reverse("public:check"), {"website": "http://spam"})
    assert page.status_code == 200 and "Thank you" in page.content.decode()
    assert not Case.objects.exists()


def test_one_address_cannot_flood_the_form(client, settings):
    settings.HEARD_PUBLIC_FORM_LIMIT = 2
    for _ in range(2):
        _complaint_as_parent(client)
        assert client.post(reverse("public:check")).status_code == 302
    _complaint_as_parent(client)
    refused = client.post(reverse("public:check"))
    assert refused.status_code == 429
    assert Case.objects.count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_when_the_database_is_down_the_visitor_gets_a_plain_page(client):
    _step(client, "what", {"kind": "comment"})
    # Take the sessions table away for a moment: a real database error, not a mock.
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE django_session RENAME TO django_session_away")
    try:
        response = client.get(reverse("public:step", args=["who"]))
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE django_session_away RENAME TO django_session")
    assert response.status_code == 503
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html and "0300 123 4567" in html
    assert "Traceback" not in html
