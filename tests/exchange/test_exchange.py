"""The exchange format: export, import (JSON, CSV, XLSX), validation and idempotence."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from heard.accounts.models import User
from heard.cases.choices import Finding
from heard.cases.models import Case, Stage
from heard.exchange import export, schema
from heard.exchange.importer import ImportFailed, import_records
from heard.reports.models import ContextFigure
from heard.taxonomy.models import Locality, ServiceArea, Term

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)


def _export(**kwargs) -> dict:
    out = io.StringIO()
    export.write(out, export.selected_cases(**kwargs))
    return json.loads(out.getvalue())


def _import_document(document, **kwargs):
    rows = [(f"case {i}", raw) for i, raw in enumerate(document["cases"], 1)]
    return import_records(
        rows,
        declared_terms=document["taxonomies"],
        declared_areas=document["service_areas"],
        declared_localities=document["localities"],
        declared_context_figures=document.get("context_figures", []),
        **kwargs,
    )


def _empty_the_database():
    Case.objects.update(linked_case=None)
    Case.objects.all().delete()
    Term.objects.filter(order=999).delete()
    User.objects.all().delete()
    while ServiceArea.objects.exists():
        ServiceArea.objects.filter(children__isnull=True).delete()
    Locality.objects.all().delete()
    ContextFigure.objects.all().delete()


def _annual_report(year: int) -> dict:
    from heard.reports import annual

    report = annual.build(year, today=TODAY).to_dict()
    report.pop("generated_at")
    return report


def test_exporting_and_importing_into_an_empty_database_gives_the_same_cases():
    call_command("demo", cases=400, seed=5, today=TODAY, stdout=io.StringIO())
    before = _export()
    assert len(before["cases"]) == Case.objects.count() > 400
    schema.ExchangeDocument.model_validate(before)  # what Heard writes, Heard's schema accepts
    needing_learning = set(
        Case.objects.filter(needs_learning=True).values_list("reference", flat=True)
    )
    assert needing_learning, "the demo has upheld complaints with no learning yet"
    reports_before = {year: _annual_report(year) for year in (2024, 2025)}
    _empty_the_database()
    result = _import_document(before, create_missing=True)
    assert result.created == len(before["cases"])
    after = _export()
    for old, new in zip(before["cases"], after["cases"], strict=True):
        assert new == old, {k: (old[k], new.get(k)) for k in old if old[k] != new.get(k)}
    assert needing_learning == set(
        Case.objects.filter(needs_learning=True).values_list("reference", flat=True)
    )
    reopened = Case.objects.exclude(status="closed").filter(stage_number__isnull=False).first()
    assert reopened.stage_number == reopened.stages.order_by("-number").first().number
    # The same reports, context figures included (issue #5: "exporting and importing into an
    # empty database gives the same reports").
    assert after["context_figures"] == before["context_figures"] != []
    for year, report in reports_before.items():
        again = _annual_report(year)
        for old, new in zip(report["sections"], again["sections"], strict=True):
            for old_table, new_table in zip(old["tables"], new["tables"], strict=True):
                assert new_table == old_table, (year, old_table["id"])
            assert new == old, (year, old["id"])
        assert again == report, year


def test_importing_the_same_file_again_changes_nothing():
    call_command("demo", cases=100, seed=5, today=TODAY, stdout=io.StringIO())
    document = _export()
    count, stages = Case.objects.count(), Stage.objects.count()
    result = _import_document(document)
    assert (result.created, result.unchanged) == (0, count)
    assert (Case.objects.count(), Stage.objects.count()) == (count, stages)


def _complaint(reference="CMP-2017-00001", **extra):
    return {
        "reference": reference, "kind": "complaint", "status": "closed",
        "received_on": "2017-04-03", "closed_on": "2017-04-13", "channel": "telephone",
        "procedure": "childrens_statutory", "resolution": "responded",
        "parts": [{"number": 1, "summary": "Calls not returned", "category": "communication"}],
        "stages": [{"number": 1, "requested_on": "2017-04-03", "responded_on": "2017-04-13",
                    "outcome": "upheld", "findings": {"1": "upheld"}}],
        **extra,
    }  # fmt: skip


def test_a_file_with_problems_changes_nothing_and_reports_every_one():
    rows = [
        ("case 1", _complaint()),
        ("case 2", _complaint("CMP-2017-00002", received_on="2017-02-30")),
        ("case 3", _complaint("CMP-2017-00003", channel="fax")),
        ("case 4", _complaint("CMP-2017-00001")),
        ("case 5", _complaint("CMP-2017-00005", allocated_to="nobody", linked_reference="X-1")),
        ("case 6", _complaint("CMP-2017-00006", status="closed", closed_on=None)),
    ]
    with pytest.raises(ImportFailed) as failed:
        import_records(rows)
    problems = [str(p) for p in failed.value.problems]
    assert (
        "case 2 (CMP-2017-00002), received_on: Input should be a valid date or datetime, day "
        "value is outside expected range" in problems
    )
    assert (
        "case 3 (CMP-2017-00003), channel: 'fax' is not a channel code Heard knows or the file "
        'declares: declare it in the file\'s "taxonomies" with its label, or import with '
        '--create-missing ("Create vocabulary values, teams and localities" on the import page)'
    ) in problems
    assert (
        "case 4 (CMP-2017-00001), reference: the same reference as case 1 (CMP-2017-00001)"
        in problems
    )
    assert (
        "case 5 (CMP-2017-00005), allocated_to: no Heard user 'nobody': add the user first, or "
        "import with --create-missing to add a switched-off placeholder"
    ) in problems
    assert (
        "case 5 (CMP-2017-00005), linked_reference: no case 'X-1' in Heard or the file" in problems
    )
    assert "case 6 (CMP-2017-00006), closed_on: a closed case needs the date it closed" in problems
    assert not Case.objects.exists()


def test_unknown_values_can_be_created_when_asked():
    result = import_records([("case 1", _complaint(channel="fax"))], create_missing=True)
    assert result.created_terms == ["channel: fax"]
    assert Case.objects.get().channel.label == "Fax"


def test_due_dates_are_computed_when_the_old_system_did_not_record_them():
    import_records([("case 1", _complaint())])
    stage = Stage.objects.get()
    assert stage.response_due == datetime.date(2017, 4, 19)  # past Easter 2017 (14 and 17 April)
    assert stage.findings.get().finding == Finding.UPHELD


def test_the_csv_template_imports_with_parts_and_findings(tmp_path):
    call_command("import", template=str(tmp_path), stdout=io.StringIO())
    out = io.StringIO()
    call_command(
        "import", str(tmp_path / "cases.csv"), parts=str(tmp_path / "parts.csv"), stdout=out
    )
    assert out.getvalue().startswith("1 case(s) imported")
    case = Case.objects.get(reference="CMP-2017-00001")
    assert case.received_on == datetime.date(2017, 4, 3)  # written 03/04/2017
    assert case.complainant_under_18 is False
    assert sorted(case.categories.values_list("code", flat=True)) == ["communication", "delay"]
    stage = case.stages.get()
    assert stage.outcome == Finding.PARTIALLY_UPHELD
    assert {f.part.number: f.finding for f in stage.findings.all()} == {
        1: Finding.UPHELD,
        2: Finding.NOT_UPHELD,
    }


def test_the_xlsx_template_imports(tmp_path):
    call_command("import", template=str(tmp_path), stdout=io.StringIO())
    call_command("import", str(tmp_path / "cases.xlsx"), stdout=io.StringIO())
    assert Case.objects.get().parts.count() == 2


def test_bad_rows_in_a_csv_are_reported_by_row_and_field(tmp_path):
    (tmp_path / "cases.csv").write_text(
        "reference,kind,status,received_on,channel\n"
        "CMP-1,complaint,open,31/02/2024,telephone\n"
        "CMP-2,grumble,open,01/02/2024,telephone\n"
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call_command("import", str(tmp_path / "cases.csv"), stderr=err, stdout=io.StringIO())
    assert "cases.csv row 2 (CMP-1), received_on: Input should be a valid date" in err.getvalue()
    assert "cases.csv row 3 (CMP-2), kind: Input should be 'complaint'" in err.getvalue()


def test_a_file_that_is_not_an_exchange_file_is_refused_plainly(tmp_path):
    (tmp_path / "x.json").write_text('{"cases": [')
    with pytest.raises(CommandError, match="not valid JSON: Expecting value at line 1"):
        call_command("import", str(tmp_path / "x.json"))
    (tmp_path / "y.json").write_text('{"cases": []}')
    with pytest.raises(CommandError, match="not a Heard exchange file"):
        call_command("import", str(tmp_path / "y.json"))


def test_the_published_json_schema_is_current():
    with open("docs/exchange-format.schema.json", encoding="utf-8") as handle:
        assert json.load(handle) == schema.json_schema(), (
            "run: heard export --schema -o docs/exchange-format.schema.json"
        )


def test_unknown_teams_and_localities_are_created_when_asked():
    case = _complaint(service_area="new-team", locality="east")
    with pytest.raises(ImportFailed):
        import_records([("case 1", case)])
    result = import_records([("case 1", case)], create_missing=True)
    assert result.created_terms == ["team: new-team", "locality: east"]
    assert Case.objects.get().service_area.name == "New team"


def test_administrators_upload_see_a_preview_and_confirm(client_for, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    call_command("import", template=str(tmp_path), stdout=io.StringIO())
    client = client_for("administrator")
    cases_csv = SimpleUploadedFile("cases.csv", (tmp_path / "cases.csv").read_bytes())
    parts_csv = SimpleUploadedFile("parts.csv", (tmp_path / "parts.csv").read_bytes())
    preview = client.post(
        reverse("exchange:import"), {"file": cases_csv, "parts": parts_csv}, follow=True
    )  # checked by a job (run at once in tests: heard.settings_test)
    html = preview.content.decode()
    assert "Check of cases.csv before importing" in html and "CMP-2017-00001" in html
    assert not Case.objects.exists(), "the preview writes nothing"
    token = preview.context["page"].preview["token"]
    done = client.post(reverse("exchange:import-confirm", args=[token]), follow=True)
    assert "1 case(s) imported" in done.content.decode()
    assert Case.objects.get().parts.count() == 2


def test_the_upload_page_lists_every_problem(client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    bad = SimpleUploadedFile(
        "cases.csv",
        b"reference,kind,status,received_on\nA-1,complaint,open,31/02/2024\nA-2,nonsense,open,\n",
    )
    html = client_for("administrator").post(reverse("exchange:import"), {"file": bad}, follow=True)
    text = html.content.decode()
    assert "3 problem(s); nothing was imported." in text
    assert (
        "cases.csv row 2 (A-1), received_on: Input should be a valid date or datetime, day value "
        "is outside expected range"
    ) in text


def _chain(count: int, prefix: str = "CMP-2018") -> list[tuple[str, dict]]:
    """Complaints, each but the first linked to the one after it (so links cross chunks)."""
    rows = []
    for i in range(1, count + 1):
        extra = {"linked_reference": f"{prefix}-{i + 1:05d}"} if i < count else {}
        learning = [{"lesson": "Log call-backs", "recorded_on": "2017-04-20",
                     "actions": [{"description": "Log them", "owner": "TM",
                                  "due_on": "2017-06-30"}]}]  # fmt: skip
        rows.append((f"case {i}", _complaint(f"{prefix}-{i:05d}", learning=learning, **extra)))
    return rows


def _queries_to_import(rows) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        import_records(rows)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_number_of_cases():
    import_records(_chain(1, "CMP-2017"))  # settings the first import creates
    few = _queries_to_import(_chain(3, "CMP-2018"))
    many = _queries_to_import(_chain(60, "CMP-2019"))
    assert few == many


def test_cases_are_written_a_chunk_at_a_time_with_links_across_chunks(monkeypatch):
    from heard.exchange import importer

    monkeypatch.setattr(importer, "CHUNK", 4)
    result = import_records(_chain(10))
    assert result.created == 10
    first = Case.objects.get(reference="CMP-2018-00001")
    assert first.linked_case.reference == "CMP-2018-00002"
    last = Case.objects.get(reference="CMP-2018-00010")
    assert last.linked_case is None and last.stage_number == 1
    assert Case.objects.filter(linked_case__isnull=False).count() == 9
    assert last.learning.get().actions.count() == 1
    assert last.stages.get().findings.get().part == last.parts.get()
    assert _import_more_with_a_link_to_an_old_case().linked_case == first


def _import_more_with_a_link_to_an_old_case() -> Case:
    import_records([("case 1", _complaint("CMP-2020-00001", linked_reference="CMP-2018-00001"))])
    return Case.objects.get(reference="CMP-2020-00001")


def test_the_demo_survives_the_round_trip_in_small_chunks(monkeypatch):
    from heard.exchange import importer

    monkeypatch.setattr(importer, "CHUNK", 37)
    call_command("demo", cases=150, seed=7, today=TODAY, stdout=io.StringIO())
    before = _export()
    _empty_the_database()
    _import_document(before, create_missing=True)
    assert _export()["cases"] == before["cases"]


def test_a_json_file_is_read_a_case_at_a_time_across_chunks(tmp_path, monkeypatch):
    from heard.exchange import files

    monkeypatch.setattr(files, "_CHUNK", 7)  # every value crosses a chunk boundary
    document = {
        "format": "heard-exchange", "version": 1, "taxonomies": [], "service_areas": [],
        "localities": [{"code": "north", "name": "Nörth \"quoted\" \\ \u2603"}],
        "cases": [_complaint(f"CMP-2017-{i:05d}", summary="x" * 30 + "\\n", closed_on=None,
                             status="open") for i in range(1, 4)],
    }  # fmt: skip
    path = tmp_path / "all.json"
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False), encoding="utf-8")
    found = files.read(path)
    assert found.declared["declared_localities"] == document["localities"]
    assert [raw for _, raw in found.rows] == document["cases"]
    assert [where for where, _ in found.rows] == ["case 1", "case 2", "case 3"]  # again


def test_a_json_file_with_its_header_after_the_cases_is_read(tmp_path):
    from heard.exchange import files

    path = tmp_path / "late.json"
    path.write_text(json.dumps({"cases": [_complaint()], "version": 1,
                                "format": "heard-exchange",
                                "taxonomies": [{"vocabulary": "channel", "code": "fax",
                                                "label": "Facsimile"}]}))  # fmt: skip
    found = files.read(path)
    assert found.declared["declared_terms"][0]["label"] == "Facsimile"
    assert [raw["reference"] for _, raw in found.rows] == ["CMP-2017-00001"]


@pytest.mark.parametrize(
    "text",
    [
        '{"format": "heard-exchange", "version": 1,\n "cases": [\n  {"reference": "A"},\n  '
        '{"reference": "B",}\n ]\n}',
        '{"format": "heard-exchange", "version": 1, "cases": [{"a": 1} {"b": 2}]}',
        '{"format": "heard-exchange", "version": 1, "cases": []} []',
        '{"format": "heard-exchange", "version": 1, "cases": [{"reference": "A',
    ],
)
def test_bad_json_is_reported_where_the_standard_library_says(tmp_path, monkeypatch, text):
    from heard.exchange import files

    monkeypatch.setattr(files, "_CHUNK", 5)
    path = tmp_path / "bad.json"
    path.write_text(text)
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        expected = f"at line {error.lineno}, column {error.colno}."
    with pytest.raises(files.UnreadableFile, match="not valid JSON") as raised:
        list(files.read(path).rows)
    assert str(raised.value).endswith(expected)


def test_cases_given_by_a_one_off_iterator_are_imported():
    result = import_records(row for row in _chain(3))
    assert result.created == Case.objects.count() == 3


def _document_with_figures(figures):
    document = _export()
    document["context_figures"] = figures
    return document


CHILDREN_IN_NEED = {
    "code": "children-in-need", "label": "Children in need", "year": 2017, "value": 5428,
    "as_at": "2018-03-31", "source": "CIN census", "rate_base": True,
}  # fmt: skip


def test_context_figures_travel_with_the_cases_and_are_never_overwritten(tmp_path):
    from heard.reports.models import ContextFigure

    path = tmp_path / "figures.json"
    path.write_text(json.dumps(_document_with_figures([CHILDREN_IN_NEED])), encoding="utf-8")
    out = io.StringIO()
    call_command("import", str(path), stdout=out)
    assert "1 context figure(s) imported" in out.getvalue()
    figure = ContextFigure.objects.get()
    assert (figure.code, figure.year, figure.value, figure.rate_base) == (
        "children-in-need", 2017, 5428, True
    )  # fmt: skip
    assert _export()["context_figures"][0]["value"] == "5428.00"

    call_command("import", str(path), stdout=io.StringIO())  # the same again: nothing changes
    assert ContextFigure.objects.count() == 1

    changed = dict(CHILDREN_IN_NEED, value=6000)
    path.write_text(json.dumps(_document_with_figures([changed])), encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert ContextFigure.objects.get().value == 5428


def test_a_bad_context_figure_is_a_problem_with_its_field(tmp_path):
    path = tmp_path / "figures.json"
    bad = dict(CHILDREN_IN_NEED, year=17, code="Children In Need")
    path.write_text(json.dumps(_document_with_figures([bad])), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(path), stdout=io.StringIO(), stderr=err)
    assert "context figure 1, code:" in err.getvalue()
    assert "context figure 1, year:" in err.getvalue()
