"""People: who is who across cases, the person page, merges, persistent complainants,
representatives; all within the user's scope and audited."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from heard.audit.models import AuditEvent
from heard.cases import services as case_services
from heard.cases.models import Case
from heard.correspondence import services as correspondence
from heard.correspondence.incoming import Message
from heard.deadlines.calendar import council_calendar
from heard.notifications.models import OutboxMessage
from heard.notifications.reminders import queue_arrangement_reviews
from heard.people import linking, services
from heard.people.models import CaseLink, Merge, Person
from tests.factories import CaseFactory, term

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2024, 6, 3, 12, tzinfo=datetime.UTC), tick=False):
        yield


def _person(case, role="complainant") -> Person:
    return CaseLink.objects.get(case=case, role=role).person


# Matching -----------------------------------------------------------------------------------


def test_the_same_name_and_one_identifier_is_the_same_person(db):
    first = CaseFactory(complainant_name="Mrs Zoë O'Brien", complainant_email="ZOB@example.org")
    second = CaseFactory(complainant_name="Zoe O Brien", complainant_email="zob@example.org ")
    third = CaseFactory(complainant_name="Zoë O'Brien", complainant_address="1 Road, DE1 1AA")
    assert _person(first) == _person(second)
    assert _person(third) != _person(first)  # a name alone is never enough


def test_a_child_is_the_same_child_of_the_same_complainant(db):
    one = CaseFactory(
        complainant_name="Ann Lowe", complainant_phone="01332 111222", child_name="Tom Lowe"
    )
    two = CaseFactory(
        complainant_name="Ann Lowe", complainant_phone="01332111222", child_name="Tom Lowe"
    )
    other = CaseFactory(complainant_name="Bea Lowe", child_name="Tom Lowe")
    assert _person(one, "child") == _person(two, "child")
    assert _person(other, "child") != _person(one, "child")


def test_a_representative_is_known_by_name_and_kind(db):
    mp = term("representative_type", "mp")
    one = CaseFactory(
        kind="representation", representative_name="Jane Hollis MP", representative_type=mp
    )
    two = CaseFactory(
        kind="representation", representative_name="Jane Hollis", representative_type=mp
    )
    assert _person(one, "representative") == _person(two, "representative")
    assert _person(one, "representative").representative_type == mp


def test_an_anonymous_complainant_is_nobody(db):
    case = CaseFactory(complainant_name="Jordan Example", anonymous=True)
    assert not CaseLink.objects.filter(case=case, role="complainant").exists()


def test_existing_cases_are_linked_by_the_same_rules_in_bulk(db):
    """The data migration runs linking.link_cases over every existing case: so does this."""
    cases = [
        CaseFactory(complainant_name="Kit Marsh", complainant_email="kit@example.org"),
        CaseFactory(complainant_name="Kit Marsh", complainant_email="kit@example.org"),
    ]
    CaseLink.objects.all().delete()
    Person.objects.all().delete()
    matcher = linking.Matcher()
    linking.learn_known(matcher, Person, CaseLink)
    rows = Case.objects.filter(pk__in=[c.pk for c in cases]).values(*linking.CASE_FIELDS)
    linking.link_cases(list(rows), Person, CaseLink, matcher)
    assert Person.objects.count() == 1 and CaseLink.objects.count() == 2
    assert Person.objects.get().name_key == "kit marsh"


# Logging a case: Heard suggests, the officer chooses -------------------------------------------


def _log(client, **fields):
    data = {
        "kind": "complaint", "received_on_0": "1", "received_on_1": "6", "received_on_2": "2024",
        "channel": term("channel", "telephone").pk, "summary": "Calls were not returned.",
        "parts": "Calls not returned", "procedure": "childrens_statutory", "log_anyway": "on",
        **fields,
    }  # fmt: skip
    return client.post(reverse("cases:new-kind", args=[data["kind"]]), data)


def test_logging_a_case_suggests_people_who_may_match_and_the_officer_chooses(client_for):
    known = CaseFactory(complainant_name="Rosa Diaz", complainant_address="2 Elm Row, DE22 3XY")
    client = client_for("officer")
    response = _log(client, complainant_name="Rosa Diaz", complainant_email="rd@example.org")
    case = Case.objects.latest("id")
    assert response["Location"] == reverse("people:choose", args=[case.reference])
    page = client.get(response["Location"]).content.decode()
    person = _person(known)
    assert f"person {person.pk}" in page and "DE22 3XY" in page
    client.post(reverse("people:choose", args=[case.reference]), {"complainant": str(person.pk)})
    assert _person(case) == person
    assert Person.objects.filter(name="Rosa Diaz").count() == 1  # the new one, unused, went
    assert AuditEvent.objects.filter(action="person.linked", case_id=case.pk).exists()


def test_logging_a_case_with_nobody_to_choose_goes_straight_to_the_case(client_for):
    client = client_for("officer")
    response = _log(client, complainant_name="Unique Person Name")
    case = Case.objects.latest("id")
    assert response["Location"] == reverse("cases:detail", args=[case.reference])


def test_the_officer_can_say_someone_is_new(client_for):
    known = CaseFactory(complainant_name="Sol Green", complainant_email="sol@example.org")
    case = CaseFactory(complainant_name="Sol Green", complainant_email="sol@example.org")
    assert _person(case) == _person(known)
    client = client_for("officer")
    client.post(reverse("people:choose", args=[case.reference]), {"complainant": "new"})
    assert _person(case) != _person(known)
    assert _person(known).links.count() == 1


# The person page -----------------------------------------------------------------------------


def test_a_person_page_shows_every_case_they_may_see_in_one_timeline(client_for, personas):
    one = CaseFactory(
        complainant_name="Lee Park", complainant_email="lp@example.org", received_on=D(2024, 1, 5),
        allocated_to=personas["responding_manager"],
    )  # fmt: skip
    two = CaseFactory(
        kind="comment", complainant_name="Lee Park", complainant_email="lp@example.org",
        received_on=D(2024, 2, 7), status="closed", closed_on=D(2024, 2, 9),
    )  # fmt: skip
    person = _person(one)
    url = reverse("people:detail", args=[person.pk])
    page = client_for("officer").get(url).content.decode()
    assert one.reference in page and two.reference in page
    assert page.index("9 February 2024") < page.index("5 January 2024")  # newest first
    assert AuditEvent.objects.filter(action="person.viewed", object_id=str(person.pk)).exists()
    limited = client_for("responding_manager").get(url).content.decode()
    assert one.reference in limited and two.reference not in limited
    assert "Cases (1)" in limited


def test_the_timeline_holds_every_letter_e_mail_and_contact_of_their_cases(client_for, personas):
    officer = personas["officer"]
    mine = CaseFactory(
        complainant_name="Lee Park", complainant_email="lp@example.org",
        allocated_to=personas["responding_manager"],
    )  # fmt: skip
    other = CaseFactory(complainant_name="Lee Park", complainant_email="lp@example.org")
    correspondence.send_email(
        mine, to="lp@example.org", subject="We have your complaint", body="Dear Lee", user=officer
    )
    correspondence.log_contact(
        mine, channel="phone", direction="in", on=D(2024, 5, 2), correspondent="Lee Park",
        subject="Chasing a reply", body="Asked when.", user=officer,
    )  # fmt: skip
    correspondence.log_contact(
        other, channel="letter", direction="out", on=D(2024, 4, 1), correspondent="Lee Park",
        subject="Your second complaint", body="", user=officer,
    )  # fmt: skip
    waiting, _ = correspondence.record_incoming(
        Message(sender="Lee Park <LP@example.org>", on=timezone.now(), subject="Any news?",
                body="", message_id="<news@example.org>"),
        case=None, actor="tests",
    )  # fmt: skip
    assert waiting.person == _person(mine)
    url = reverse("people:detail", args=[_person(mine).pk])
    page = client_for("officer").get(url).content.decode()
    for text in (
        "E-mail sent to lp@example.org: We have your complaint",
        "Phone call from Lee Park: Chasing a reply",
        "Letter to Lee Park: Your second complaint",
        "E-mail received from Lee Park &lt;LP@example.org&gt;: Any news? (waiting for triage)",
    ):
        assert text in page, text
    assert page.index("2 May 2024") < page.index("1 April 2024")  # newest first
    limited = client_for("responding_manager").get(url).content.decode()
    assert "Chasing a reply" in limited and "We have your complaint" in limited
    assert "Your second complaint" not in limited  # not their case
    assert "Any news?" not in limited  # the triage inbox is not theirs


def test_people_keep_no_contact_list_of_their_own():
    """Letters, e-mails and the contact log are kept once, by heard.correspondence; people
    read them from there (the timeline above), and hold no second list."""
    from django.apps import apps

    own = {model.__name__ for model in apps.get_app_config("people").get_models()}
    assert own == {"Person", "CaseLink", "Merge", "ContactArrangement"}


def test_a_person_only_on_cases_you_may_not_see_does_not_exist_for_you(client_for):
    person = _person(CaseFactory(complainant_name="Hidden Person"))
    response = client_for("responding_manager").get(reverse("people:detail", args=[person.pk]))
    assert response.status_code == 404
    assert client_for("viewer").get(reverse("people:detail", args=[person.pk])).status_code == 403


def test_changing_a_person_is_audited_old_to_new(client_for):
    person = _person(CaseFactory(complainant_name="Ivy North"))
    client = client_for("officer")
    response = client.post(
        reverse("people:edit", args=[person.pk]),
        {"name": "Ivy North", "date_of_birth_0": "3", "date_of_birth_1": "4",
         "date_of_birth_2": "2011", "email": "", "phone": "", "address": ""},
    )  # fmt: skip
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="person.changed")
    assert event.changes == [{"field": "date_of_birth", "old": None, "new": "2011-04-03"}]


def test_a_date_of_birth_in_the_future_is_refused_with_a_plain_reason(client_for):
    person = _person(CaseFactory(complainant_name="Ivy North"))
    page = client_for("officer").post(
        reverse("people:edit", args=[person.pk]),
        {"name": "Ivy North", "date_of_birth_0": "3", "date_of_birth_1": "4",
         "date_of_birth_2": "2031"},
    ).content.decode()  # fmt: skip
    assert "The date of birth must be today or in the past" in page


# Merging -------------------------------------------------------------------------------------


def test_two_records_of_one_person_are_merged_with_the_history_kept(client_for, officer):
    one = CaseFactory(complainant_name="Max Ryder", complainant_email="max@example.org")
    two = CaseFactory(complainant_name="Maxwell Ryder", complainant_phone="07700 900999")
    kept, merged = _person(one), _person(two)
    client = client_for("officer")
    response = client.post(
        reverse("people:merge", args=[kept.pk, merged.pk]), {"reason": "Same phone on file"}
    )
    assert response.status_code == 302
    assert set(kept.links.values_list("case_id", flat=True)) == {one.pk, two.pk}
    merged.refresh_from_db()
    assert merged.merged_into == kept and merged.name == "Maxwell Ryder"
    record = Merge.objects.get()
    assert record.snapshot["name"] == "Maxwell Ryder" and record.merged_by == officer
    assert AuditEvent.objects.filter(action="person.merged", case_id=two.pk).exists()
    old_page = client.get(reverse("people:detail", args=[merged.pk]))
    assert old_page["Location"] == reverse("people:detail", args=[kept.pk])
    assert "Same phone on file" in client.get(old_page["Location"]).content.decode()


def test_a_merge_needs_a_reason_and_two_different_people(officer):
    person = _person(CaseFactory(complainant_name="Max Ryder"))
    other = _person(CaseFactory(complainant_name="Max Ryder"))
    with pytest.raises(services.PeopleRefused, match="two different"):
        services.merge(person, person, reason="x", user=officer)
    with pytest.raises(services.PeopleRefused, match="reason"):
        services.merge(person, other, reason=" ", user=officer)


def test_nobody_merges_people_linked_to_cases_they_may_not_see(personas):
    mine = CaseFactory(complainant_name="Val Quinn", allocated_to=personas["responding_manager"])
    hidden = CaseFactory(complainant_name="Val Quinn")
    with pytest.raises(services.PeopleRefused, match="may not see"):
        services.merge(
            _person(mine), _person(hidden), reason="same", user=personas["responding_manager"]
        )
    assert not Merge.objects.exists()


# Persistent complainants ---------------------------------------------------------------------


def test_a_contact_arrangement_warns_on_every_case_and_is_reminded_for_review(client_for, personas):
    personas["manager"].email = "manager@example.org"
    personas["manager"].save()
    one = CaseFactory(complainant_name="Pat Stone", complainant_email="ps@example.org")
    two = CaseFactory(complainant_name="Pat Stone", complainant_email="ps@example.org")
    person = _person(one)
    client = client_for("manager")
    response = client.post(
        reverse("people:arrangement-new", args=[person.pk]),
        {"level": "unreasonably_persistent", "reason": "Forty calls in May",
         "single_point_of_contact": personas["officer"].pk, "channels": "E-mail only",
         "frequency": "One e-mail a week", "review_on_0": "10", "review_on_1": "6",
         "review_on_2": "2024"},
    )  # fmt: skip
    assert response.status_code == 302
    for case in (one, two):
        page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
        assert "treated as unreasonably persistent" in page and "E-mail only" in page
    calendar = council_calendar()
    assert queue_arrangement_reviews(datetime.date(2024, 6, 3), calendar) == 1
    assert queue_arrangement_reviews(datetime.date(2024, 6, 3), calendar) == 0  # once only
    message = OutboxMessage.objects.get(key__startswith="arrangement-review:")
    assert "Pat Stone" not in message.body and f"/people/{person.pk}/" in message.body
    assert AuditEvent.objects.filter(action="person.arrangement_decided").exists()


def test_an_arrangement_is_not_reminded_long_before_its_review(personas):
    person = _person(CaseFactory(complainant_name="Pat Stone"))
    services.decide_arrangement(
        person, level="persistent", reason="Many calls", channels="Phone",
        review_on=D(2024, 12, 1), user=personas["manager"],
    )  # fmt: skip
    assert queue_arrangement_reviews(D(2024, 6, 3), council_calendar()) == 0


def test_only_managers_decide_and_a_review_date_must_be_ahead(client_for, personas):
    person = _person(CaseFactory(complainant_name="Pat Stone"))
    url = reverse("people:arrangement-new", args=[person.pk])
    assert client_for("officer").get(url).status_code == 403
    page = client_for("manager").post(
        url, {"level": "persistent", "reason": "x", "channels": "Phone",
              "review_on_0": "1", "review_on_1": "1", "review_on_2": "2024"},
    ).content.decode()  # fmt: skip
    assert "The review date must be in the future" in page


def test_an_arrangement_is_reviewed_then_ended_and_stays_in_the_history(client_for, personas):
    person = _person(CaseFactory(complainant_name="Pat Stone"))
    arrangement = services.decide_arrangement(
        person, level="persistent", reason="Many calls", channels="Phone",
        review_on=D(2024, 6, 5), user=personas["manager"],
    )  # fmt: skip
    client = client_for("manager")
    client.post(
        reverse("people:arrangement-review", args=[arrangement.pk]),
        {"next_review_on_0": "5", "next_review_on_1": "12", "next_review_on_2": "2024",
         "note": "Calls continue"},
    )  # fmt: skip
    arrangement.refresh_from_db()
    assert arrangement.review_on == D(2024, 12, 5)
    client.post(reverse("people:arrangement-end", args=[arrangement.pk]), {"reason": "Settled"})
    arrangement.refresh_from_db()
    assert arrangement.ended_on == D(2024, 6, 3)
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "Past contact arrangements" in page and "Settled" in page


# Representatives -----------------------------------------------------------------------------


def test_an_mps_enquiries_are_listed_together_within_your_scope(client_for, personas):
    mp = term("representative_type", "mp")
    enquiries = [
        CaseFactory(kind="representation", representative_name="Jane Hollis MP",
                    representative_type=mp, allocated_to=personas["responding_manager"]),
        CaseFactory(kind="representation", representative_name="Jane Hollis MP",
                    representative_type=mp),
    ]  # fmt: skip
    person = _person(enquiries[0], "representative")
    services.update_person(person, changes={"constituency": "Derby North"}, user=None)
    page = client_for("officer").get(reverse("people:representatives")).content.decode()
    assert "Jane Hollis MP" in page and "Derby North" in page
    detail = client_for("officer").get(reverse("people:detail", args=[person.pk])).content.decode()
    assert all(case.reference in detail for case in enquiries)
    limited = client_for("responding_manager").get(reverse("people:representatives"))
    assert ">1</td>" in limited.content.decode()


def test_a_case_logged_through_the_service_links_its_people(officer):
    case = case_services.log_case(
        user=officer, kind="complaint", received_on=D(2024, 5, 1), complainant_name="Ada Byron",
        child_name="Lovelace Byron",
    )  # fmt: skip
    assert set(CaseLink.objects.filter(case=case).values_list("role", flat=True)) == {
        "complainant", "child",
    }  # fmt: skip
