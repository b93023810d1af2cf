"""The flat CSV template, round trip: a template with every column filled, for cases of each
kind, imports and exports back with every value; a template written before the newer columns
existed still imports."""

import csv
import datetime
import io
import re

import pytest
import time_machine
from django.core.management import call_command

from heard.cases.models import Case
from heard.exchange import export, flat
from heard.taxonomy.models import Term
from tests.factories import LocalityFactory, ServiceAreaFactory, UserFactory, other_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2024, 11, 20, 12, tzinfo=datetime.UTC), tick=False):
        yield


def _rows() -> tuple[list[dict], list[dict]]:
    """Cases of every kind, each column that applies to its kind filled with a value that is
    not a default; and the complaint's parts with a finding at each stage."""
    area = ServiceAreaFactory(code="fostering", name="Fostering")
    locality = LocalityFactory(code="north", name="North")
    for username in ("sam.officer", "ria.manager", "ivo.manager", "tam.director", "jo.social"):
        UserFactory(username=username)
    people = {
        "complainant_name": "Alex Parent", "complainant_email": "alex@example.org",
        "complainant_phone": "01632 960001", "complainant_address": "1 High Street\nTowntown",
        "complainant_postcode": "LS1 4AP", "complainant_role": other_code("complainant_role"),
        "under_18": "no", "looked_after": "yes", "child_name": "Casey Child",
        "child_consent": "given", "representative_type": other_code("representative_type"),
        "representative_name": "Robin Advocate", "advocate_offered": "yes",
        "advocate_accepted": "no", "service_area": area.code, "locality": locality.code,
        "categories": ";".join(sorted(t.code for t in Term.objects.of("category")[:2])),
        "summary": "What happened, in words.", "desired_outcome": "An apology.",
        "staff_complained_about": "jo.social;sam.officer",
        "staff_complained_about_names": "Pat Agency;Lee Locum",
        "equality_age_band": "35-44", "equality_sex": "female", "equality_ethnicity": "mixed",
        "equality_disability": "prefer-not-to-say", "allocated_to": "sam.officer",
        "enquiry_source": other_code("enquiry_source"),
    }  # fmt: skip
    comment = {
        **people, "reference": "CON-2024-00001", "kind": "comment", "status": "closed",
        "received_on": "2024-01-02", "channel": other_code("channel"), "resolution": "responded",
        "resolution_reason": "Answered by telephone.", "closed_on": "2024-01-05",
    }  # fmt: skip
    complaint = {
        **people, "reference": "CMP-2024-00001", "kind": "complaint", "status": "closed",
        "received_on": "2024-01-08", "channel": other_code("channel", 2),
        "procedure": "childrens_statutory", "triage_reason": "About a looked-after child.",
        "linked_reference": "CON-2024-00001", "resolution": "responded",
        "resolution_reason": "The council answered the panel.", "closed_on": "2024-06-28",
        "stage1_requested_on": "2024-01-08", "stage1_acknowledged_on": "2024-01-09",
        "stage1_extended_to": "20", "stage1_responded_on": "2024-02-12",
        "stage1_outcome": "upheld", "stage1_late_reason": other_code("late_reason"),
        "stage1_responder": "ria.manager",
        "stage2_requested_on": "2024-02-20", "stage2_acknowledged_on": "2024-02-21",
        "stage2_extended_to": "65", "stage2_responded_on": "2024-04-30",
        "stage2_outcome": "partially-upheld", "stage2_responder": "ivo.manager",
        "stage2_investigating_officer_fee": "2450.50", "stage2_independent_person_fee": "800.00",
        "stage2_report_received_on": "2024-04-10", "stage2_adjudication_on": "2024-04-30",
        "stage3_requested_on": "2024-05-07", "stage3_acknowledged_on": "2024-05-08",
        "stage3_responded_on": "2024-06-28", "stage3_outcome": "not-upheld",
        "stage3_responder": "tam.director", "stage3_panel_on": "2024-06-10",
        "stage3_report_received_on": "2024-06-14",
    }  # fmt: skip
    ombudsman = {
        "reference": "LGO-2024-00001", "kind": "ombudsman", "status": "open",
        "received_on": "2024-08-01", "channel": other_code("channel"),
        "linked_reference": "CMP-2024-00001", "summary": "The Ombudsman asks for our file.",
        "lgsco_reference": "24 001 234", "lgsco_enquiry_type": other_code("lgsco_enquiry_type"),
        "lgsco_reply_due": "2024-08-29", "lgsco_decision": other_code("lgsco_decision"),
        "lgsco_decision_on": "2024-10-01", "allocated_to": "sam.officer",
    }  # fmt: skip
    compliment = {
        "reference": "CPL-2024-00001", "kind": "compliment", "status": "closed",
        "received_on": "2024-03-01", "channel": other_code("channel"), "complainant_name": "Kim",
        "summary": "Thanks to Jo.", "staff_named": "Jo in Fostering",
        "compliment_source": other_code("compliment_source"), "quote": "Jo listened.",
        "quote_publishable": "yes", "service_area": area.code, "resolution": "responded",
        "closed_on": "2024-03-04",
    }  # fmt: skip
    request = {
        "reference": "IR-2024-00001", "kind": "information_request", "status": "closed",
        "received_on": "2024-04-02", "channel": other_code("channel"),
        "procedure": "disclosure", "request_type": "disclosure",
        "disclosure_requester": other_code("disclosure_requester"),
        "information_outcome": "partly", "complainant_name": "DC Example",
        "summary": "Records for an investigation.", "resolution": "responded",
        "closed_on": "2024-04-20", "stage1_requested_on": "2024-04-02",
        "stage1_responded_on": "2024-04-20",
    }  # fmt: skip
    parts = [
        {"reference": "CMP-2024-00001", "number": "1", "summary": "Calls not returned",
         "category": other_code("category"), "stage1_finding": "upheld",
         "stage2_finding": "upheld", "stage3_finding": "not-upheld"},
        {"reference": "CMP-2024-00001", "number": "2", "summary": "Wrong advice",
         "category": other_code("category", 2), "stage1_finding": "upheld",
         "stage2_finding": "not-upheld", "stage3_finding": "not-upheld"},
    ]  # fmt: skip
    return [comment, complaint, ombudsman, compliment, request], parts


def _write(path, columns, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def _import(*args):
    out = io.StringIO()
    call_command("import", *args, stdout=out)
    return out.getvalue()


def test_a_filled_csv_imports_and_exports_back_with_every_value(tmp_path):
    cases, parts = _rows()
    _write(tmp_path / "cases.csv", flat.CASE_COLUMNS, cases)
    _write(tmp_path / "parts.csv", flat.PART_COLUMNS, parts)
    assert _import(str(tmp_path / "cases.csv"), "--parts", str(tmp_path / "parts.csv")).startswith(
        f"{len(cases)} case(s) imported"
    )
    records = {
        r["reference"]: r
        for r in (export.case_record(c) for c in export.selected_cases().order_by("pk"))
    }
    for row in cases:
        back = flat.case_row(records[row["reference"]])
        given = {column: row[column] for column in flat.CASE_COLUMNS if row.get(column)}
        assert {column: back[column] for column in given} == given, row["reference"]
    # Every column of the template is filled in at least one row (a stage's columns at one
    # stage or another): none goes untested.
    filled = {re.sub(r"^stage[123]_", "stage_", c) for row in cases for c in row if row[c]}
    columns = {re.sub(r"^stage[123]_", "stage_", c) for c in flat.CASE_COLUMNS}
    assert sorted(columns - filled) == []
    assert flat.part_rows(records["CMP-2024-00001"]) == [
        {column: part.get(column, "") for column in flat.PART_COLUMNS} for part in parts
    ]
    complaint = Case.objects.get(reference="CMP-2024-00001")
    assert sorted(u.username for u in complaint.staff_complained_about.all()) == [
        "jo.social",
        "sam.officer",
    ]
    assert complaint.staff_complained_about_names == "Pat Agency\nLee Locum"


def test_a_template_written_before_the_newer_columns_still_imports(tmp_path):
    newer = {
        "complainant_address", "complainant_postcode", "staff_complained_about",
        "staff_complained_about_names", "equality_age_band", "equality_sex",
        "equality_ethnicity", "equality_disability", "disclosure_requester", "lgsco_reference",
        "lgsco_reply_due",
    }  # fmt: skip
    steps = ("report_received_on", "panel_on", "adjudication_on")
    newer |= {f"stage{n}_{step}" for n in (1, 2, 3) for step in steps}
    old_columns = [c for c in flat.CASE_COLUMNS if c not in newer]
    row = {column: value for column, value in flat.EXAMPLE_CASE.items() if column in old_columns}
    _write(tmp_path / "cases.csv", old_columns, [row])
    assert _import(str(tmp_path / "cases.csv")).startswith("1 case(s) imported")
    case = Case.objects.get(reference=flat.EXAMPLE_CASE["reference"])
    assert (case.complainant_postcode, case.equality_sex, case.lgsco_reference) == ("", "", "")


def test_a_fresh_template_has_the_newer_columns(tmp_path):
    _import("--template", str(tmp_path))
    header = (tmp_path / "cases.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    for column in (
        "complainant_address", "complainant_postcode", "staff_complained_about",
        "staff_complained_about_names", "equality_age_band", "equality_sex",
        "equality_ethnicity", "equality_disability", "desired_outcome", "lgsco_reference",
        "lgsco_reply_due", "disclosure_requester", "stage2_report_received_on",
        "stage3_panel_on", "stage2_adjudication_on",
    ):  # fmt: skip
        assert column in header
