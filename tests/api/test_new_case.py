"""Logging a case through the API with everything the "log a case" form takes: each field
given comes back on ``GET`` and shows on the case page; every unknown code, username or
reference is refused naming the field, and nothing is logged; the flat fields of before still
work."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from heard.audit.models import AuditEvent
from heard.cases import services
from heard.cases.choices import Kind
from heard.cases.models import Case
from heard.taxonomy.models import Term
from tests.factories import LocalityFactory, ServiceAreaFactory, UserFactory, other_code

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2024, 3, 14, 12, tzinfo=datetime.UTC), tick=False):
        yield


def _label(vocabulary: str, code: str) -> str:
    return Term.objects.get(vocabulary=vocabulary, code=code).label


@pytest.fixture
def complaint(officer):
    return services.log_case(
        user=officer, kind=Kind.COMPLAINT, received_on=D(2024, 3, 4),
        procedure="childrens_statutory", complainant_name="Sam Example",
        parts=[{"summary": "Calls not returned"}],
    )  # fmt: skip


@pytest.fixture
def full_body(personas, complaint):
    """``full_body(kind)``: a new case of that kind with every field the form takes."""
    area = ServiceAreaFactory(code="fostering", name="Fostering")
    locality = LocalityFactory(code="north", name="North")
    named = UserFactory(username="jo.social", first_name="Jo", last_name="Social")

    def body(kind: str) -> dict:
        common = {
            "kind": kind,
            "received_on": "2024-03-12",
            "channel": other_code("channel"),
            "complainant": {
                "name": "Alex Parent", "email": "alex@example.org", "phone": "01632 960 001",
                "address": "1 High Street\nTowntown", "postcode": "sw1a1aa",
                "role": other_code("complainant_role"), "under_18": False, "looked_after": False,
            },
            "child_name": "Casey Child",
            "child_consent": "given",
            "representative_type": other_code("representative_type"),
            "representative_name": "Robin Advocate",
            "advocate_offered": True,
            "advocate_accepted": False,
            "summary": "What happened, in words.",
            "desired_outcome": "An apology and a new plan.",
            "service_area": area.code,
            "locality": locality.code,
            "categories": sorted(t.code for t in Term.objects.of("category")[:2]),
            "staff_complained_about": [named.username],
            "staff_complained_about_names": ["Pat Agency-Worker"],
            "equality": {
                "age_band": "35-44", "sex": "female", "ethnicity": "mixed",
                "disability": "prefer-not-to-say",
            },
            "allocated_to": personas["responding_manager"].username,
            "enquiry_source": other_code("enquiry_source"),
            "linked_reference": complaint.reference.lower(),
        }  # fmt: skip
        if kind == Kind.COMPLAINT:
            common.update(procedure="corporate", parts=["Calls not returned", "Wrong advice"])
        if kind == Kind.COMPLIMENT:
            common["compliment"] = {
                "staff_named": "Jo in Fostering", "source": other_code("compliment_source"),
                "quote": "Jo listened.", "quote_publishable": True,
            }  # fmt: skip
        if kind == Kind.OMBUDSMAN:
            common["ombudsman"] = {
                "reference": "23 012 345", "enquiry_type": other_code("lgsco_enquiry_type"),
                "reply_due": "2024-04-11",
            }  # fmt: skip
        if kind == Kind.INFORMATION_REQUEST:
            common["information_request"] = {
                "request_type": "disclosure", "requester": other_code("disclosure_requester"),
            }  # fmt: skip
        return common

    return body


def _post(client, body):
    return client.post("/api/v1/cases", body, content_type="application/json")


def _flat(record: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in record.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


@pytest.mark.parametrize("kind", list(Kind))
def test_a_case_logged_with_every_field_reads_back_with_every_field(api, full_body, kind, personas):
    client = api("officer")
    body = full_body(kind)
    created = _post(client, body)
    assert created.status_code == 201, created.json()
    record = client.get(f"/api/v1/cases/{created.json()['reference']}").json()
    assert record == created.json() | {"version": record["version"]}
    # What the form would have done to the values: the standard postcode, the reference.
    expected = _flat(body)
    expected["complainant.postcode"] = "SW1A 1AA"
    expected["linked_reference"] = body["linked_reference"].upper()
    if kind == Kind.COMPLAINT:
        expected.pop("parts")
        assert [p["summary"] for p in record["parts"]] == body["parts"]
    given = _flat(record)
    assert {key: given.get(key, "missing") for key in expected} == expected

    # And the case page shows each of them, in the council's words.
    page = api("officer")  # the token does not sign in: use the session
    page.force_login(personas["officer"])
    html = page.get(reverse("cases:detail", args=[record["reference"]])).content.decode()
    shown = [
        "Alex Parent", "alex@example.org", "01632 960 001", "1 High Street", "SW1A 1AA",
        _label("complainant_role", body["complainant"]["role"]), "Casey Child", "Robin Advocate",
        _label("representative_type", body["representative_type"]),
        _label("channel", body["channel"]), "An apology and a new plan.", "Fostering", "North",
        *(_label("category", c) for c in body["categories"]), "Jo Social", "Pat Agency-Worker",
        "35 to 44", "Mixed or multiple ethnic groups", "Prefer not to say",
        _label("enquiry_source", body["enquiry_source"]), body["linked_reference"].upper(),
    ]  # fmt: skip
    if kind == Kind.COMPLIMENT:
        source = _label("compliment_source", other_code("compliment_source"))
        shown += ["Jo in Fostering", "Jo listened.", source]
    if kind == Kind.OMBUDSMAN:
        shown += ["23 012 345", _label("lgsco_enquiry_type", other_code("lgsco_enquiry_type"))]
    if kind == Kind.INFORMATION_REQUEST:
        shown += [_label("disclosure_requester", other_code("disclosure_requester"))]
    assert [text for text in shown if text not in html] == []


def test_logging_through_the_api_is_audited_and_needs_a_casework_role(api, full_body):
    body = full_body(Kind.COMPLAINT)
    for role in ("responding_manager", "investigator", "viewer"):
        assert _post(api(role), body).status_code == 403
    assert not Case.objects.filter(complainant_name="Alex Parent").exists()
    created = _post(api("officer"), body).json()
    case = Case.objects.get(reference=created["reference"])
    event = AuditEvent.objects.get(action="case.created", case_id=case.pk)
    assert event.user.username == "officer"
    assert AuditEvent.objects.filter(action="part.created", case_id=case.pk).count() == 2


def _without(body: dict, path: str) -> dict:
    body = {k: dict(v) if isinstance(v, dict) else v for k, v in body.items()}
    *parents, last = path.split(".")
    holder = body
    for name in parents:
        holder = holder[name]
    holder.pop(last, None)
    return body


def _with(body: dict, path: str, value) -> dict:
    body = {k: dict(v) if isinstance(v, dict) else v for k, v in body.items()}
    *parents, last = path.split(".")
    holder = body
    for name in parents:
        holder = holder.setdefault(name, {})
    holder[last] = value
    return body


#: (kind, field, a value Heard does not know, the status): each must be refused naming it.
UNKNOWN = [
    ("complaint", "channel", "carrier-pigeon", 409),
    ("complaint", "complainant.role", "no-such-role", 409),
    ("complaint", "representative_type", "no-such-type", 409),
    ("complaint", "service_area", "no-such-team", 409),
    ("complaint", "locality", "atlantis", 409),
    ("complaint", "categories", ["no-such-category"], 409),
    ("complaint", "categories", [""], 409),
    ("complaint", "staff_complained_about", [""], 409),
    ("complaint", "staff_complained_about", ["nobody.here"], 409),
    ("complaint", "allocated_to", "nobody.here", 409),
    ("complaint", "allocated_to", "viewer", 409),  # may not read cases: cannot be allocated
    ("complaint", "enquiry_source", "no-such-source", 409),
    ("complaint", "linked_reference", "CMP-1999-99999", 409),
    ("complaint", "compliment", {"quote": "Lovely"}, 409),  # a compliment's, not a complaint's
    ("complaint", "complainant.name", "Someone Else", 409),  # differs from complainant_name
    ("complaint", "complainant.postcode", "not a postcode", 422),
    ("complaint", "equality.sex", "sometimes", 422),
    ("complaint", "child_consent", "maybe", 422),
    ("compliment", "compliment.source", "no-such-source", 409),
    ("ombudsman", "ombudsman.enquiry_type", "no-such-type", 409),
    ("ombudsman", "linked_reference", None, 409),  # an Ombudsman case needs its complaint
    ("information_request", "information_request.requester", "no-such-requester", 409),
    ("information_request", "information_request.request_type", "sar", 409),  # differs
]


@pytest.mark.parametrize(("kind", "field", "value", "status"), UNKNOWN)
def test_an_unknown_value_is_refused_naming_its_field_and_nothing_is_logged(
    api, full_body, kind, field, value, status
):
    body = _with(full_body(kind), field, value)
    if field == "complainant.name":
        body["complainant_name"] = "Alex Parent"
    if field == "information_request.request_type":
        body["request_type"] = "foi"
    before = Case.objects.count()
    response = _post(api("officer"), body)
    assert response.status_code == status, response.json()
    error = response.json()["error"]
    assert error["code"] == ("refused" if status == 409 else "invalid")
    assert field in {d["field"] for d in error["details"]}, error
    if status == 409:
        assert field in error["message"], error["message"]
    assert Case.objects.count() == before


def test_a_postcode_is_written_the_standard_way_and_a_bad_one_says_what_to_enter(api):
    client = api("officer")
    body = {"kind": "comment", "received_on": "2024-03-12", "complainant": {"postcode": "x1"}}
    refused = _post(client, body).json()["error"]
    assert refused["details"] == [
        {"field": "complainant.postcode", "message": "Enter a real postcode, like SW1A 1AA"}
    ]
    body["complainant"]["postcode"] = " ls1  4ap "
    assert _post(client, body).json()["complainant"]["postcode"] == "LS1 4AP"


def test_a_linked_case_the_caller_may_not_see_is_as_unknown(api, personas, complaint):
    from heard.cases import restriction

    manager = personas["manager"]
    restriction.restrict(complaint, people=[manager], reason="About the team", user=manager)
    body = {"kind": "ombudsman", "received_on": "2024-03-12"}
    body["linked_reference"] = complaint.reference
    response = _post(api("officer"), body)
    assert response.status_code == 409
    assert response.json()["error"]["message"] == (
        f"There is no case {complaint.reference} (linked_reference)."
    )
    assert _post(api("manager"), body).status_code == 201


def test_the_flat_fields_of_before_still_work(api):
    client = api("officer")
    created = _post(
        client,
        {"kind": "information_request", "received_on": "2024-03-12", "request_type": "sar",
         "complainant_name": "Ali Requester", "complainant_email": "ali@example.org",
         "summary": "My records"},
    )  # fmt: skip
    assert created.status_code == 201
    record = created.json()
    assert record["information_request"]["request_type"] == "sar"
    assert (record["complainant"]["name"], record["complainant"]["email"]) == (
        "Ali Requester",
        "ali@example.org",
    )
    # The same value given flat and in its sub-object is one value, not a conflict.
    again = _post(
        client,
        {"kind": "information_request", "received_on": "2024-03-12", "request_type": "foi",
         "information_request": {"request_type": "foi"}, "complainant_name": "Ali Requester",
         "complainant": {"name": "Ali Requester"}},
    )  # fmt: skip
    assert again.status_code == 201 and again.json()["procedure"] == "foi"


def test_the_openapi_description_names_every_field_of_a_new_case(client):
    from heard.cases.forms import LogCaseForm

    spec = client.get("/api/v1/openapi.json").json()
    schemas = spec["components"]["schemas"]
    new_case = schemas["NewCase"]["properties"]
    # Every field of the form, under its exchange-format name.
    exchange_name = {
        "complainant_phone": "complainant.phone", "complainant_address": "complainant.address",
        "complainant_postcode": "complainant.postcode", "complainant_role": "complainant.role",
        "complainant_under_18": "complainant.under_18",
        "complainant_looked_after": "complainant.looked_after",
        "staff_named": "compliment.staff_named", "compliment_source": "compliment.source",
        "quote": "compliment.quote", "quote_publishable": "compliment.quote_publishable",
        "lgsco_reference": "ombudsman.reference", "lgsco_enquiry_type": "ombudsman.enquiry_type",
        "lgsco_reply_due": "ombudsman.reply_due",
        "disclosure_requester": "information_request.requester",
    }  # fmt: skip
    sub = {
        "complainant": "NewComplainant",
        "compliment": "NewCompliment",
        "ombudsman": "NewOmbudsman",
        "information_request": "NewInformationRequest",
    }
    missing = []
    for name in LogCaseForm.base_fields:
        if name == "log_anyway":
            continue  # a question of the screen (a likely duplicate), not of the case
        where = exchange_name.get(name, name)
        outer, _, inner = where.partition(".")
        if inner:
            if inner not in schemas[sub[outer]]["properties"]:
                missing.append(where)
        elif outer not in new_case:
            missing.append(where)
    assert missing == []
    assert "equality" in new_case and "Equality" in schemas
    assert set(schemas["Equality"]["properties"]) == {"age_band", "sex", "ethnicity", "disability"}
