"""An import that tells the truth: problems grouped by kind with their counts and first cases,
the values a file declares created and listed, undeclared ones refused with a hint, schema
problems named by case reference, and no stage left without the due dates Heard keeps.

Each behaviour is checked through ``heard import`` and through the import page."""

import html
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from heard.cases.models import Case, Stage
from heard.exchange import export
from heard.exchange.importer import TIMED_PROCEDURES
from heard.exchange.problems import FIRST_REFERENCES
from heard.taxonomy.models import Locality, ServiceArea, Term

pytestmark = pytest.mark.django_db


def _complaint(reference, **extra):
    return {
        "reference": reference, "kind": "complaint", "status": "closed",
        "received_on": "2017-04-03", "closed_on": "2017-04-13", "channel": "telephone",
        "procedure": "childrens_statutory", "resolution": "responded",
        "parts": [{"number": 1, "summary": "Calls not returned", "category": "communication"}],
        "stages": [{"number": 1, "requested_on": "2017-04-03", "responded_on": "2017-04-13",
                    "outcome": "upheld", "findings": {"1": "upheld"}}],
        **extra,
    }  # fmt: skip


def _document(cases, **header):
    return {"format": "heard-exchange", "version": 1, **header, "cases": cases}


def _command(tmp_path, document, **options):
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(document))
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", str(path), stdout=out, stderr=err, **options)
    except CommandError as error:
        return out.getvalue(), err.getvalue() + str(error)
    return out.getvalue(), err.getvalue()


def _screen(client, document):
    upload = SimpleUploadedFile("cases.json", json.dumps(document).encode())
    return client.post(reverse("exchange:import"), {"file": upload}, follow=True)


def _faxed(count):
    return [_complaint(f"CMP-{n:03}", channel="fax") for n in range(1, count + 1)]


GROUP = (
    "channel: 'fax' is not a channel code Heard knows or the file declares: declare it in the "
    'file\'s "taxonomies" with its label, or import with --create-missing'
)


def test_the_command_groups_problems_by_kind_with_counts_and_first_cases(tmp_path):
    count = FIRST_REFERENCES + 3
    cases = [*_faxed(count), _complaint("CMP-900", received_on="2017-02-30")]
    _, err = _command(tmp_path, _document(cases))
    first = ", ".join(f"CMP-{n:03}" for n in range(1, FIRST_REFERENCES + 1))
    grouped = [line.strip() for line in err.splitlines()]
    assert any(
        line.startswith(GROUP) and line.endswith(f"({count}: {first} and 3 more)")
        for line in grouped
    ), err
    assert any(
        line.startswith("received_on: Input should be a valid date")
        and line.endswith("(1: CMP-900)")
        for line in grouped
    ), err
    # the commonest kind first, then every problem in full, and nothing written
    assert grouped.index(next(g for g in grouped if g.startswith(GROUP))) < grouped.index(
        next(g for g in grouped if g.startswith("received_on:"))
    )
    assert sum(1 for line in grouped if line.startswith("case ")) == count + 1
    assert f"{count + 1} problem(s) found; nothing was imported." in err
    assert not Case.objects.exists()


def test_the_import_page_groups_problems_by_kind(client_for):
    count = FIRST_REFERENCES + 1
    text = _screen(client_for("administrator"), _document(_faxed(count))).content.decode()
    first = ", ".join(f"CMP-{n:03}" for n in range(1, FIRST_REFERENCES + 1))
    assert f"{count} problem(s); nothing was imported." in text
    assert f"({count}: {first} and 1 more)" in text
    assert "case 6 (CMP-006), channel:" in text
    assert not Case.objects.exists()


DECLARED = {
    "taxonomies": [
        {"vocabulary": "channel", "code": "fax", "label": "Fax machine"},
        {"vocabulary": "category", "code": "staff-behaviour", "label": "Behaviour of staff"},
    ],
    "service_areas": [
        {"code": "cs", "name": "Children's services", "level": "directorate"},
        {"code": "fostering", "name": "Fostering team", "level": "team", "parent": "cs"},
    ],
    "localities": [{"code": "east", "name": "East"}],
}


def _declared_case():
    return _complaint(
        "CMP-001", channel="fax", service_area="fostering", locality="east",
        categories=["staff-behaviour"],
    )  # fmt: skip


def test_values_the_file_declares_are_created_with_its_words_and_listed(tmp_path):
    out, err = _command(tmp_path, _document([_declared_case()], **DECLARED))
    assert out.startswith("1 case(s) imported"), err
    for line in (
        "channel: fax (Fax machine)",
        "category: staff-behaviour (Behaviour of staff)",
        "directorate: cs (Children's services)",
        "team: fostering (Fostering team)",
        "locality: east (East)",
    ):
        assert f"  {line}\n" in out
    case = Case.objects.get()
    assert case.channel.label == "Fax machine"
    assert [t.label for t in case.categories.all()] == ["Behaviour of staff"]
    assert case.service_area.parent == ServiceArea.objects.get(code="cs")
    assert Locality.objects.get(code="east").name == "East"


def test_the_import_page_lists_the_values_it_will_create(client_for):
    client = client_for("administrator")
    page = _screen(client, _document([_declared_case()], **DECLARED))
    text = page.content.decode()
    assert "Will also create 5 values" in text
    assert "<li>category: staff-behaviour (Behaviour of staff)</li>" in text
    assert not Term.objects.filter(code="staff-behaviour").exists(), "the check writes nothing"
    token = page.context["page"].preview["token"]
    client.post(reverse("exchange:import-confirm", args=[token]), follow=True)
    assert Case.objects.get().categories.get().label == "Behaviour of staff"


def test_a_value_neither_heard_nor_the_file_has_is_a_problem_with_a_hint(tmp_path, client_for):
    document = _document([_declared_case() | {"locality": "west"}], **DECLARED)
    _, err = _command(tmp_path, document)
    hint = (
        "case 1 (CMP-001), locality: no locality 'west' in Heard or the file: declare it in the "
        'file\'s "localities" with its name, or import with --create-missing'
    )
    assert hint in err
    assert not Term.objects.filter(code="fax").exists(), "nothing is created either"
    assert hint in html.unescape(_screen(client_for("administrator"), document).content.decode())


def test_a_declared_team_under_an_unknown_service_is_a_problem(tmp_path):
    areas = [{"code": "fostering", "name": "Fostering", "level": "team", "parent": "nowhere"}]
    _, err = _command(tmp_path, _document([], service_areas=areas))
    assert (
        "service area fostering, parent: no directorate or service 'nowhere' in the file or in "
        "Heard"
    ) in err


def test_schema_problems_name_the_case_reference(tmp_path, client_for):
    document = _document([_complaint("CMP-001"), _complaint("CMP-002", kind="grumble")])
    _, err = _command(tmp_path, document)
    assert "case 2 (CMP-002), kind: Input should be 'complaint'" in err
    text = _screen(client_for("administrator"), document).content.decode()
    assert "case 2 (CMP-002), kind: Input should be" in text


def _beyond_the_rule():
    """A Stage 1 extended beyond the 20 working days the statutory procedure allows, with no
    due dates recorded."""
    case = _complaint("CMP-001")
    case["stages"][0]["extended_to"] = 30
    return case


def test_a_clock_that_cannot_be_computed_is_a_problem_not_a_stage_without_due_dates(
    tmp_path, client_for
):
    later = _complaint("CMP-002", procedure="corporate")
    later["stages"].append({"number": 3, "requested_on": "2017-05-01"})  # no corporate Stage 3
    document = _document([_beyond_the_rule(), later])
    _, err = _command(tmp_path, document)
    assert "case 1 (CMP-001), stages.0: its due dates cannot be computed (" in err
    assert "case 2 (CMP-002), stages.1: its due dates cannot be computed (There is no " in err
    assert "2 problem(s) found; nothing was imported." in err
    assert not Stage.objects.exists()
    text = _screen(client_for("administrator"), document).content.decode()
    assert "case 1 (CMP-001), stages.0: its due dates cannot be computed" in text


def test_a_stage_whose_due_dates_were_recorded_keeps_them(tmp_path):
    case = _beyond_the_rule()
    case["stages"][0] |= {"acknowledgement_due": "2017-04-10", "response_due": "2017-05-15"}
    out, err = _command(tmp_path, _document([case]))
    assert out.startswith("1 case(s) imported"), err
    assert str(Stage.objects.get().response_due) == "2017-05-15"


def test_every_imported_stage_of_a_timed_procedure_has_due_dates(tmp_path):
    cases = [_complaint(f"CMP-{n}", procedure=p) for n, p in enumerate(
        sorted(TIMED_PROCEDURES & {"childrens_statutory", "corporate"}), 1
    )]  # fmt: skip
    _command(tmp_path, _document(cases))
    assert len(cases) == 2 and Stage.objects.count() == len(cases)
    assert not Stage.objects.filter(response_due=None).exists()


def test_the_councils_own_words_for_findings_travel_both_ways(tmp_path):
    """A council's "Substantiated" for upheld: imported from the file's vocabularies (listed as
    a change of words), used by every table of the report, and exported again."""
    council_words = {
        "upheld": "Substantiated",
        "partially-upheld": "Partly substantiated",
        "not-upheld": "Not substantiated",
    }
    words = [{"vocabulary": "finding", "code": c, "label": w} for c, w in council_words.items()]
    out, _ = _command(tmp_path, _document([_complaint("CMP-001")], taxonomies=words))
    assert "  finding: upheld from 'Upheld' to 'Substantiated'\n" in out
    assert Term.objects.get(vocabulary="finding", code="upheld").label == "Substantiated"

    from heard.cases.choices import Finding
    from heard.reports import annual

    report = annual.build(2017).to_dict()
    labels = {
        (table["id"], label)
        for section in report["sections"]
        for table in section["tables"]
        for label in [row["label"] for row in table["rows"]]
        + [column["label"] for column in table["columns"]]
    }
    heards_words = {Finding(code).label for code in council_words}
    assert not {(table, label) for table, label in labels if label in heards_words}
    assert {"Substantiated", "Not substantiated"} <= {label for _table, label in labels}

    out = io.StringIO()
    export.write(out, export.selected_cases())
    exported = {
        t["code"]: t["label"]
        for t in json.loads(out.getvalue())["taxonomies"]
        if t["vocabulary"] == "finding"
    }
    assert council_words.items() <= exported.items()
