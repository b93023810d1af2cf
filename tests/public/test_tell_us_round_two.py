"""The online form, round two: safety first, the child's age and care status, contact through an
advocate or a trusted adult, representatives with consent, the advocacy referral, public team
names, the private progress page, and what staff are told."""

import re
import threading

import pytest
from django.db import close_old_connections, connection
from django.urls import reverse

from heard.audit.models import AuditEvent
from heard.cases import workflow
from heard.cases.models import Case
from heard.notifications.models import OutboxMessage
from heard.public import services
from heard.public.models import OnlineSubmission
from heard.taxonomy.models import Term
from tests.factories import ServiceAreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


def _step(client, name, data):
    return client.post(reverse("public:step", args=[name]), data)


def _child(client, *, advocate="yes", contact=None, age="13-15", care="in-care", referral=None):
    _step(client, "what", {"kind": "complaint"})
    _step(client, "who", {"who": "child"})
    _step(client, "age", {"age": age})
    _step(client, "care", {"care": care})
    _step(client, "advocate", {"advocate": advocate})
    if referral is not None:
        _step(client, "referral", {"referral": referral})
    _step(client, "about", {"what_happened": "I was moved without being asked."})
    _step(client, "documents", {"continue": "1"})
    response = _step(
        client,
        "contact",
        contact or {"contact_by": "email", "name": "Joanna Quill", "email": "jo@example.org"},
    )
    assert response.status_code == 302, response.content.decode()


def _send(client):
    return client.post(reverse("public:check"))


def _progress_link(to: str) -> str:
    body = OutboxMessage.objects.get(to=to, subject__startswith="We have received").body
    return re.search(r"https?://[^\s]+/tell-us/progress/[^\s]+/", body).group(0)


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


# For the person ----------------------------------------------------------------------------


def test_the_safety_message_comes_before_anything_else(client, settings):
    settings.HEARD_OUT_OF_HOURS_PHONE = "0300 999 0000"
    html = client.get(reverse("public:start")).content.decode()
    main = html[html.index("<main") :]
    assert main.index("call 999") < main.index("Use this form")
    assert "0800 1111" in main and "0300 999 0000" in main
    assert main.index("call 999") < main.index("Start now")


def test_a_child_s_age_and_care_status_are_recorded_on_the_case(client):
    _child(client, age="10-12", care="in-care", advocate="no")
    _send(client)
    case = Case.objects.get()
    assert case.complainant_under_18 is True and case.complainant_looked_after is True
    assert case.complainant_role.code == "child"
    assert (case.online_submission.age_band, case.online_submission.care_status) == (
        "10-12",
        "in-care",
    )
    page = case.online_submission
    assert page.get_age_band_display() == "10 to 12"


def test_an_older_care_leaver_is_recorded_as_a_care_leaver_over_18(client):
    _child(client, age="18-plus", care="care-leaver", advocate="no")
    _send(client)
    case = Case.objects.get()
    assert case.complainant_under_18 is False and case.complainant_looked_after is False
    assert case.complainant_role.code == "care-leaver"


def test_rather_not_say_is_kept_as_not_known(client):
    _child(client, age="not-said", care="not-said", advocate="not-sure")
    _send(client)
    case = Case.objects.get()
    assert case.complainant_under_18 is True  # they chose the child route
    assert case.complainant_looked_after is None and case.advocate_accepted is None


def test_a_child_can_be_contacted_through_their_advocate(client):
    page = _step(client, "what", {"kind": "complaint"})
    _step(client, "who", {"who": "child"})
    _step(client, "age", {"age": "13-15"})
    _step(client, "care", {"care": "no"})
    _step(client, "advocate", {"advocate": "yes"})
    _step(client, "about", {"what_happened": "Nobody listens."})
    _step(client, "documents", {"continue": "1"})
    refused = _step(client, "contact", {"contact_by": "advocate", "name": "Joanna Quill"})
    refused = refused.content.decode()
    assert "Enter the name of your advocate" in refused
    assert "Enter an e-mail address or phone number for your advocate" in refused
    page = _step(
        client,
        "contact",
        {
            "contact_by": "advocate",
            "name": "Joanna Quill",
            "helper_name": "Ali Advocate",
            "helper_email": "ali@advocacy.example.org",
        },
    )
    assert page.status_code == 302
    check = client.get(reverse("public:check")).content.decode()
    assert "Through Ali Advocate" in check
    _send(client)
    case = Case.objects.get()
    sub = case.online_submission
    assert (sub.contact_via, sub.helper_name, sub.helper_email) == (
        "advocate",
        "Ali Advocate",
        "ali@advocacy.example.org",
    )
    assert case.complainant_email == ""  # we go through the advocate, not to the child
    ack = OutboxMessage.objects.get(to="ali@advocacy.example.org")
    assert "You asked for an advocate" in ack.body


def test_a_trusted_adult_must_say_who_they_are(client):
    _child(
        client,
        advocate="no",
        contact={
            "contact_by": "trusted-adult",
            "name": "Joanna Quill",
            "helper_name": "Pat",
            "helper_relationship": "My foster carer",
            "helper_phone": "07700 900000",
        },
    )
    _send(client)
    sub = OnlineSubmission.objects.get()
    assert (sub.contact_via, sub.helper_relationship, sub.helper_phone) == (
        "trusted-adult",
        "My foster carer",
        "07700 900000",
    )
    # No e-mail address for anyone: no acknowledgement and no progress link, nothing lost.
    assert not OutboxMessage.objects.filter(subject__startswith="We have received").exists()
    assert not sub.progress_link_active


def test_an_adult_is_not_offered_a_child_s_contact_choices(client):
    _step(client, "what", {"kind": "complaint"})
    _step(client, "who", {"who": "parent"})
    _step(client, "behalf", {"on_behalf": "no"})
    _step(client, "about", {"what_happened": "Late again."})
    _step(client, "documents", {"continue": "1"})
    page = client.get(reverse("public:step", args=["contact"])).content.decode()
    assert 'value="advocate"' not in page and 'value="trusted-adult"' not in page
    refused = _step(client, "contact", {"contact_by": "advocate", "name": "Pat"})
    assert refused.status_code == 200  # not a choice for this route


def test_changing_route_forgets_the_other_route_s_answers(client):
    _child(client, contact={"contact_by": "advocate", "name": "Joanna Quill", "helper_name": "Ali",
                            "helper_phone": "0123"})  # fmt: skip
    _step(client, "who", {"who": "parent"})
    _step(client, "behalf", {"on_behalf": "no"})
    # The child's age, care status and "through my advocate" no longer apply: asked again.
    response = client.get(reverse("public:check"))
    assert response["Location"] == reverse("public:step", args=["contact"])
    session = client.session["tell_us"]
    assert "age" not in session and "care" not in session and "advocate" not in session


def test_the_referral_is_asked_for_and_sent_only_with_consent(client, settings):
    settings.HEARD_ADVOCACY_PROVIDER_NAME = "Speak Up Advocacy"
    settings.HEARD_ADVOCACY_PROVIDER_EMAIL = "referrals@speakup.example.org"
    _child(client, advocate="yes", referral="yes")
    sent = client.post(reverse("public:check"), follow=True).content.decode()
    assert "We have asked Speak Up Advocacy to contact you" in sent
    case = Case.objects.get()
    referral = OutboxMessage.objects.get(to="referrals@speakup.example.org")
    assert case.reference in referral.subject and "Joanna Quill" in referral.body
    assert "I was moved without being asked." not in referral.body  # what they wrote stays here
    assert case.online_submission.referral_queued_at is not None
    ack = OutboxMessage.objects.get(to="jo@example.org")
    assert "We have asked Speak Up Advocacy to contact you" in ack.body


def test_no_referral_without_consent(client, settings, personas):
    settings.HEARD_ADVOCACY_PROVIDER_EMAIL = "referrals@speakup.example.org"
    _child(client, advocate="yes", referral="no")
    _send(client)
    assert not OutboxMessage.objects.filter(to="referrals@speakup.example.org").exists()
    assert OnlineSubmission.objects.get().referral_queued_at is None
    assert "No referral sent (they did not agree to one)" in _case_page(client, personas)


def _case_page(client, personas) -> str:
    """The case page of the one online submission, as the complaints manager sees it."""
    client.force_login(personas["manager"])
    return client.get(reverse("cases:detail", args=[Case.objects.get().reference])).content.decode()


def test_staff_are_told_no_referral_went_because_no_provider_is_set_up(client, settings, personas):
    settings.HEARD_ADVOCACY_PROVIDER_EMAIL = ""
    _child(client, advocate="yes")
    _send(client)
    page = _case_page(client, personas)
    assert "No referral sent (no advocacy provider is set up in Heard)" in page
    assert "did not agree" not in page


def test_without_an_advocacy_provider_the_referral_question_is_not_asked(client, settings):
    settings.HEARD_ADVOCACY_PROVIDER_EMAIL = ""
    _step(client, "what", {"kind": "complaint"})
    _step(client, "who", {"who": "child"})
    _step(client, "age", {"age": "16-17"})
    _step(client, "care", {"care": "no"})
    response = _step(client, "advocate", {"advocate": "yes"})
    assert response["Location"] == reverse("public:step", args=["about"])
    assert client.get(reverse("public:step", args=["referral"])).status_code == 404


def test_teams_are_offered_by_their_public_names_only(client):
    ServiceAreaFactory(
        name="Multi-Agency Safeguarding Hub", public_name="Help when a child may not be safe"
    )
    ServiceAreaFactory(name="Internal Panel Secretariat")  # no public name: not offered
    _step(client, "what", {"kind": "complaint"})
    _step(client, "who", {"who": "parent"})
    _step(client, "behalf", {"on_behalf": "no"})
    page = client.get(reverse("public:step", args=["about"])).content.decode()
    assert "Help when a child may not be safe" in page
    assert "Multi-Agency" not in page and "Internal Panel" not in page


def test_without_public_names_the_team_question_is_left_out(client):
    ServiceAreaFactory(name="Multi-Agency Safeguarding Hub")
    _step(client, "what", {"kind": "complaint"})
    _step(client, "who", {"who": "parent"})
    _step(client, "behalf", {"on_behalf": "no"})
    page = client.get(reverse("public:step", args=["about"])).content.decode()
    assert "Which service" not in page and "Multi-Agency" not in page


def test_a_representative_submits_with_consent_recorded(client):
    _step(client, "what", {"kind": "complaint"})
    response = _step(client, "who", {"who": "representative"})
    assert response["Location"] == reverse("public:step", args=["representative"])
    refused = _step(
        client,
        "representative",
        {"representative_type": "mp", "organisation": "Anytown North", "person_name": "Sam"},
    ).content.decode()
    assert "Confirm that the person has agreed that you act for them" in refused
    _step(
        client,
        "representative",
        {
            "representative_type": "mp",
            "organisation": "Anytown North",
            "person_name": "Sam Smith",
            "consent": "on",
            "consent_how": "Signed form, 3 March",
        },
    )
    _step(client, "about", {"what_happened": "My constituent waited months."})
    _step(client, "documents", {"continue": "1"})
    page = client.get(reverse("public:step", args=["contact"])).content.decode()
    assert 'value="anonymous"' not in page  # a representative is always reachable
    _step(
        client,
        "contact",
        {"contact_by": "email", "name": "A. Member MP", "email": "mp@example.org"},
    )
    _send(client)
    case = Case.objects.get()
    assert case.complainant_name == "Sam Smith" and case.representative_name == "A. Member MP"
    assert case.representative_type.code == "mp" and case.complainant_email == ""
    sub = case.online_submission
    assert sub.consent_confirmed and sub.consent_how == "Signed form, 3 March"
    assert sub.representative_organisation == "Anytown North"
    ack = OutboxMessage.objects.get(to="mp@example.org")
    assert "as the representative of Sam Smith" in ack.body


def test_every_public_page_links_to_privacy_and_accessibility(client):
    pages = [reverse("public:start"), reverse("public:privacy"), reverse("public:accessibility")]
    pages += [reverse("public:progress", args=["no-such-link"])]
    _child(client)
    steps = ["what", "who", "age", "care", "advocate", "about", "documents", "contact"]
    pages += [reverse("public:step", args=[name]) for name in steps]
    pages.append(reverse("public:check"))
    for url in pages:
        html = client.get(url).content.decode()
        assert reverse("public:privacy") in html, url
        assert reverse("public:accessibility") in html, url
        assert "0800 1111" in html, url


# The progress page -------------------------------------------------------------------------


def test_the_progress_page_shows_the_stage_and_date_and_nothing_else(client, personas):
    _child(client, advocate="no")
    _send(client)
    case = Case.objects.get()
    link = _progress_link("jo@example.org")
    page = client.get(_path(link)).content.decode()
    assert case.reference in page and "deciding what happens next" in page
    assert "By " in page
    for secret in ["Joanna Quill", "jo@example.org", "I was moved", "looked after", "13 to 15"]:
        assert secret not in page
    assert "no-store" in client.get(_path(link))["Cache-Control"]
    workflow.triage(case, procedure="childrens_statutory", reason="", user=personas["manager"])
    case.refresh_from_db()
    page = client.get(_path(link)).content.decode()
    assert "Stage 1" in page and f"{case.stage_response_due:%-d %B %Y}" in page


def test_guessing_references_and_links_gets_nothing(client):
    _child(client, advocate="no")
    _send(client)
    case = Case.objects.get()
    for guess in [case.reference, "x" * 43, "AAAA", case.reference.lower()]:
        response = client.get(reverse("public:progress", args=[guess]))
        assert response.status_code == 404
        assert case.reference not in response.content.decode()


def test_the_person_can_stop_their_link(client):
    _child(client, advocate="no")
    _send(client)
    path = _path(_progress_link("jo@example.org"))
    stopped = client.post(path + "stop/")
    assert "stopped working" in stopped.content.decode()
    assert client.get(path).status_code == 404


def test_staff_can_stop_a_link_and_it_is_audited(client, client_for):
    _child(client, advocate="no")
    _send(client)
    path = _path(_progress_link("jo@example.org"))
    case = Case.objects.get()
    staff = client_for("officer")
    detail = staff.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "From the online form" in detail and "13 to 15" in detail
    staff.post(reverse("online:revoke-progress", args=[case.reference]))
    assert staff.get(path).status_code == 404
    revoked = "online_submission.progress_link_revoked"
    assert AuditEvent.objects.for_case(case.pk).filter(action=revoked).exists()


# Staff are told ----------------------------------------------------------------------------


def test_the_team_is_alerted_without_personal_details(client, settings):
    settings.HEARD_COMPLAINTS_TEAM_EMAIL = "complaints@council.example.gov.uk"
    _child(client, advocate="no")
    _send(client)
    case = Case.objects.get()
    alert = OutboxMessage.objects.get(to="complaints@council.example.gov.uk")
    assert case.reference in alert.subject and f"/cases/{case.reference}/" in alert.body
    for secret in ["Joanna Quill", "jo@example.org", "I was moved"]:
        assert secret not in alert.body and secret not in alert.subject


def test_the_dashboard_counts_new_online_submissions_and_leads_to_exactly_them(
    client, client_for, personas
):
    _child(client, advocate="no")
    _send(client)
    from tests.factories import CaseFactory

    CaseFactory(status="new")  # new, but logged by phone: not counted
    staff = client_for("officer")
    home = staff.get(reverse("core:home")).content.decode()
    assert "1 new from the online form" in home
    url = re.search(r'href="([^"]*view=new-online[^"]*)"', home).group(1).replace("&amp;", "&")
    listed = staff.get(url).content.decode()
    online = Case.objects.get(online_submission__isnull=False)
    assert online.reference in listed
    other = Case.objects.exclude(pk=online.pk).get()
    assert other.reference not in listed


def test_recording_the_advocate_restarts_a_clock_stopped_to_wait_for_one(
    client, client_for, personas
):
    _child(client, advocate="yes")
    _send(client)
    case = Case.objects.get()
    manager = personas["manager"]
    stage = workflow.triage(case, procedure="childrens_statutory", reason="", user=manager)
    waiting = Term.objects.get(vocabulary="suspension_reason", code="advocate")
    workflow.suspend(case, reason=waiting, started_on=stage.requested_on, user=manager)
    staff = client_for("officer")
    on = stage.requested_on
    response = staff.post(
        reverse("online:advocate-appointed", args=[case.reference]),
        {
            "appointed_on_0": on.day,
            "appointed_on_1": on.month,
            "appointed_on_2": on.year,
            "name": "Ali Advocate",
        },
    )
    assert response.status_code == 302
    stage.refresh_from_db()
    suspension = stage.suspensions.get()
    assert suspension.ended_on == on and stage.response_due is not None
    sub = OnlineSubmission.objects.get()
    assert sub.advocate_appointed_on == on and sub.advocate_name == "Ali Advocate"
    actions = set(AuditEvent.objects.for_case(case.pk).values_list("action", flat=True))
    assert {"online_submission.advocate_appointed", "stage.resumed"} <= actions


def test_only_casework_roles_record_advocates_or_stop_links(client, client_for):
    _child(client, advocate="yes")
    _send(client)
    case = Case.objects.get()
    for persona in ["viewer", "responding_manager", "investigator"]:
        other = client_for(persona)
        url = reverse("online:advocate-appointed", args=[case.reference])
        assert other.get(url).status_code in {403, 404}
        assert other.post(reverse("online:revoke-progress", args=[case.reference])).status_code in {
            403,
            404,
        }
    assert OnlineSubmission.objects.get().progress_link_active


# Sent once, and a failure does not cost a turn ---------------------------------------------


def test_sending_twice_makes_one_case(client):
    _child(client, advocate="no")
    answers = dict(client.session["tell_us"])
    first = services.submit(answers, [])
    again = services.submit(answers, [])
    assert first.created and not again.created and first.case == again.case
    assert Case.objects.count() == 1


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the suite's in-memory shared-cache SQLite reports 'table is locked' at once instead "
    "of waiting as Heard's file database does (busy_timeout); this runs in the PostgreSQL layer",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_four_simultaneous_sends_make_one_case(client):
    _child(client, advocate="no")
    answers = dict(client.session["tell_us"])
    results, errors = [], []
    barrier = threading.Barrier(4)

    def send():
        try:
            barrier.wait()
            results.append(services.submit(answers, []))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Case.objects.count() == 1
    assert len({r.case.pk for r in results}) == 1
    assert sum(r.created for r in results) == 1
    assert not errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failed_send_keeps_the_answers_and_does_not_count(client, settings):
    settings.HEARD_PUBLIC_FORM_LIMIT = 1
    _child(client, advocate="no")
    table = "django_session"  # the database is away before the form can even be read
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_away")
    try:
        failed = _send(client)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table}_away RENAME TO {table}")
    assert failed.status_code == 503 and not Case.objects.exists()
    # The answers are still there, and the failed attempt did not use up the one allowed.
    check = client.get(reverse("public:check"))
    assert check.status_code == 200 and "I was moved without being asked." in check.content.decode()
    assert _send(client).status_code == 302
    assert Case.objects.count() == 1
