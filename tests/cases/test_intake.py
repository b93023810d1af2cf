"""Logging a case: "what kind?" first, then a short form for that kind; nothing typed is lost
on an error; the fields councils record (staff complained about, postcode, equality
monitoring) are kept, audited and shown only where they should be."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from heard.audit.models import AuditEvent
from heard.cases.choices import Kind
from heard.cases.forms import SHORT_FORMS
from heard.cases.models import Case
from heard.people.models import CaseLink
from tests.factories import UserFactory, term
from tests.html_forms import submitted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    # 23:30 UTC on 31 March is 00:30 on 1 April in the council's time zone (BST).
    with time_machine.travel(
        datetime.datetime(2024, 3, 31, 23, 30, tzinfo=datetime.UTC), tick=False
    ):
        yield


def _names(html: str) -> set[str]:
    """The names of the fields the page's form asks for (a date's three boxes as one)."""
    html = html[html.index('<form method="post" novalidate') :]
    html = html[: html.index("</form>")]
    found = set(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', html))
    found.discard("csrfmiddlewaretoken")
    return {re.sub(r"_[012]$", "", name) for name in found}


def test_the_first_screen_asks_what_kind_and_leads_to_that_kinds_form(client_for):
    client = client_for("officer")
    page = client.get(reverse("cases:new")).content.decode()
    assert "What kind of case is it?" in page
    for kind in Kind.values:
        assert f'value="{kind}"' in page
    refused = client.post(reverse("cases:new"), {}).content.decode()
    assert "Choose what kind of case it is" in refused
    chosen = client.post(reverse("cases:new"), {"kind": "compliment"})
    assert chosen["Location"] == reverse("cases:new-kind", args=["compliment"])
    assert client.get(reverse("cases:new-kind", args=["nonsense"])).status_code == 404


@pytest.mark.parametrize("kind", Kind.values)
def test_each_kinds_form_asks_only_what_that_kind_needs_with_today_as_the_date(client_for, kind):
    page = client_for("officer").get(reverse("cases:new-kind", args=[kind])).content.decode()
    assert _names(page) == set(SHORT_FORMS[kind])
    data = submitted(page)
    # Today in the council's time zone, not in UTC.
    assert [data["received_on_0"], data["received_on_1"], data["received_on_2"]] == [
        ["1"],
        ["4"],
        ["2024"],
    ]
    # The full details stay with "Change details": the short forms are shorter.
    assert len(SHORT_FORMS[kind]) <= 15


def _every_answer(kind: str, page: str, officer) -> dict[str, list[str]]:
    """A value for every field of the form, the received date in the future (an error)."""
    data = submitted(page)
    for name in list(data):
        if name == "csrfmiddlewaretoken":
            continue
        field = name
        if re.match(r"received_on_[012]$", name):
            data[name] = [{"0": "2", "1": "4", "2": "2024"}[name[-1]]]
        elif re.match(r"lgsco_reply_due_[012]$", name):
            data[name] = [{"0": "30", "1": "4", "2": "2024"}[name[-1]]]
        elif field in {"complainant_postcode"}:
            data[name] = ["de22 1ab"]
        elif field == "complainant_email":
            data[name] = ["sam@example.org"]
    text = {
        "complainant_name": "Sam Caller", "complainant_phone": "01234 567890",
        "complainant_address": "4 Mill Lane\r\nDerby", "child_name": "Kit Caller",
        "summary": "Nobody called back.\r\nTwice.", "parts": "Calls\r\nThe plan",
        "desired_outcome": "A call back\r\nand an apology.",
        "staff_complained_about": "Pat Worker\r\nA. Nother", "staff_named": "Jo Star",
        "quote": "Thank you.", "representative_name": "Jane Hollis MP",
        "lgsco_reference": "23 012 345", "linked_reference": "CMP-2024-00099",
    }  # fmt: skip
    for name, value in text.items():
        if name in data:
            data[name] = [value]
    selects = {
        "channel": term("channel", "telephone").pk, "procedure": "childrens_statutory",
        "request_type": "sar", "allocated_to": officer.pk,
    }  # fmt: skip
    for name, value in selects.items():
        if name in data:
            data[name] = [str(value)]
    if "quote_publishable" in _names(page):
        data["quote_publishable"] = ["on"]
    return data


@pytest.mark.parametrize("kind", Kind.values)
def test_an_error_brings_the_form_back_with_every_answer_as_typed(client_for, personas, kind):
    client = client_for("officer")
    url = reverse("cases:new-kind", args=[kind])
    data = _every_answer(kind, client.get(url).content.decode(), personas["officer"])
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The date it was received must be today or in the past" in page
    back = submitted(page)
    sent = {k: [v.replace("\r\n", "\n") for v in vs] for k, vs in data.items()}
    got = {k: [v.replace("\r\n", "\n") for v in vs] for k, vs in back.items()}
    lost = {
        k: (v, got.get(k))
        for k, v in sent.items()
        if k != "csrfmiddlewaretoken" and got.get(k) != v
    }
    assert lost == {}
    assert not Case.objects.exists()


def test_a_telephone_complaint_from_the_short_form_keeps_what_was_typed(client_for, personas):
    client = client_for("officer")
    named = UserFactory(username="pworker", first_name="Pat", last_name="Worker")
    url = reverse("cases:new-kind", args=["complaint"])
    data = submitted(client.get(url).content.decode())
    data.update(
        channel=[str(term("channel", "telephone").pk)], complainant_name=["Sam Caller"],
        complainant_phone=["01234 567890"], complainant_postcode=["de22  1ab"],
        summary=["Nobody called back."], desired_outcome=["A call back."],
        staff_complained_about=["pat worker\r\nA. Nother"], procedure=["childrens_statutory"],
    )  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    assert (case.received_on, case.complainant_postcode) == (datetime.date(2024, 4, 1), "DE22 1AB")
    assert (case.summary, case.desired_outcome) == ("Nobody called back.", "A call back.")
    assert list(case.staff_complained_about.all()) == [named]
    assert case.staff_complained_about_names == "A. Nother"
    assert case.stages.get().number == 1
    created = AuditEvent.objects.get(action="case.created", case_id=case.pk).changes
    audited = {change["field"]: change["new"] for change in created}
    assert audited["staff_complained_about"] == ["Pat Worker"]
    assert audited["complainant_postcode"] == "DE22 1AB"
    # The person record holds the same postcode as the case.
    person = CaseLink.objects.get(case=case, role="complainant").person
    assert person.postcode == "DE22 1AB"


def test_a_postcode_that_is_not_one_is_refused_in_plain_words(client_for):
    client = client_for("officer")
    url = reverse("cases:new-kind", args=["information_request"])
    data = submitted(client.get(url).content.decode())
    data.update(request_type=["sar"], channel=[str(term("channel", "email").pk)],
                complainant_postcode=["not a postcode"])  # fmt: skip
    page = client.post(url, data).content.decode()
    assert "Enter a real postcode, like SW1A 1AA" in page
    assert 'value="not a postcode"' in page
    assert not Case.objects.exists()


def _complaint(client, personas):
    url = reverse("cases:new-kind", args=["complaint"])
    data = submitted(client.get(url).content.decode())
    data.update(channel=[str(term("channel", "telephone").pk)], summary=["Calls."],
                log_anyway=["on"])  # fmt: skip
    client.post(url, data)
    return Case.objects.latest("pk")


def test_staff_and_equality_answers_change_through_change_details_and_are_audited(
    client_for, personas
):
    client = client_for("manager")
    case = _complaint(client, personas)
    url = reverse("cases:edit", args=[case.reference])
    data = submitted(client.get(url).content.decode())
    data.update(
        staff_complained_about=[f"({personas['responding_manager'].username})\r\nLee Outside"],
        equality_sex=["prefer-not-to-say"], equality_ethnicity=["mixed"],
    )  # fmt: skip
    assert client.post(url, data).status_code == 302
    case.refresh_from_db()
    assert case.staff_complained_about_names == "Lee Outside"
    assert case.staff_complained_about.count() == 1
    assert (case.equality_sex, case.equality_ethnicity) == ("prefer-not-to-say", "mixed")
    changed = AuditEvent.objects.filter(action="case.changed", case_id=case.pk).latest("pk")
    fields = {change["field"] for change in changed.changes}
    assert fields == {
        "staff_complained_about", "staff_complained_about_names", "equality_sex",
        "equality_ethnicity",
    }  # fmt: skip
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Equality monitoring" in page and "Prefer not to say" in page
    assert "Lee Outside" in page


def test_equality_answers_are_shown_only_to_the_complaints_team(client_for, personas):
    from heard.cases import workflow

    case = _complaint(client_for("officer"), personas)
    workflow.update_details(case, changes={"equality_ethnicity": "mixed"})
    workflow.allocate(case, to=personas["responding_manager"], user=personas["manager"])
    manager = client_for("manager").get(reverse("cases:detail", args=[case.reference]))
    assert "Equality monitoring" in manager.content.decode()
    responder = client_for("responding_manager").get(reverse("cases:detail", args=[case.reference]))
    assert responder.status_code == 200
    assert "Equality monitoring" not in responder.content.decode()


def test_the_api_gives_equality_answers_only_to_the_complaints_team(client, personas):
    from heard.api.models import ApiToken
    from heard.cases import workflow

    case = _complaint(client_for_officer(client, personas), personas)
    workflow.update_details(case, changes={"equality_disability": "yes"})
    workflow.allocate(case, to=personas["responding_manager"], user=personas["manager"])
    client.logout()
    answers = {}
    for who in ("manager", "responding_manager"):
        _, key = ApiToken.issue(personas[who], "tests")
        record = client.get(
            f"/api/v1/cases/{case.reference}", HTTP_AUTHORIZATION=f"Bearer {key}"
        ).json()
        answers[who] = record["equality"]
    assert answers["manager"]["disability"] == "yes"
    assert answers["responding_manager"] is None


def client_for_officer(client, personas):
    client.force_login(personas["officer"])
    return client
