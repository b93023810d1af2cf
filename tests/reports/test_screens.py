"""The report screens: the annual report page and its downloads, what viewers see, context
figures and the custom table builder."""

import datetime

import pytest

from heard.audit.models import AuditEvent
from heard.cases.choices import Kind
from heard.reports.document import SUPPRESSED
from heard.reports.models import ContextFigure, SavedTable
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR = 2023


@pytest.fixture
def complaints(db):
    return [CaseFactory(kind=Kind.COMPLAINT, received_on=D(2023, 5, 2)) for _ in range(3)]


def _volumes_row(html):
    """The cells of the complaints row of the volumes table, as shown."""
    start = html.index('id="table-volumesreceived"')
    table = html[start : html.index("</table>", start)]
    row = table[table.index(">Complaints<") :]
    return row[: row.index("</tr>")]


def test_the_reports_home_offers_the_last_complete_year(client_for):
    page = client_for("officer").get("/reports/").content.decode()
    assert "Annual report" in page and "Editions" in page
    chosen = client_for("officer").get("/reports/", {"year": YEAR})
    assert chosen["Location"] == f"/reports/annual/{YEAR}/"


def test_the_annual_report_page_shows_every_figure_with_downloads(client_for, complaints):
    response = client_for("manager").get(f"/reports/annual/{YEAR}/")
    html = response.content.decode()
    assert response.status_code == 200 and "Annual report 2023-24" in html
    assert f">{len(complaints)}<" in _volumes_row(html)
    for fmt in ("pdf", "docx", "xlsx", "json"):
        assert f"/reports/annual/{YEAR}/download/{fmt}/" in html
    download = client_for("manager").get(f"/reports/annual/{YEAR}/download/xlsx/")
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert download["Content-Disposition"] == 'attachment; filename="annual-2023-24.xlsx"'
    assert download.content[:2] == b"PK"


def test_a_viewer_sees_suppressed_figures_and_cannot_edit(client_for, complaints):
    client = client_for("viewer")
    html = client.get(f"/reports/annual/{YEAR}/").content.decode()
    row = _volumes_row(html)
    assert SUPPRESSED in row and f">{len(complaints)}<" not in row
    assert "Show every figure" not in html
    data = client.get(f"/reports/annual/{YEAR}/download/json/").json()
    assert data["publication"] is True
    assert client.get("/reports/editions/new/").status_code == 403
    assert client.get("/reports/context-figures/").status_code == 403
    assert client.get("/reports/tables/new/").status_code == 403


def test_context_figures_are_added_changed_and_deleted(client_for):
    client = client_for("manager")
    added = client.post(
        "/reports/context-figures/add/",
        {"label": "Children in need", "code": "children-in-need", "year": YEAR,
         "value": "1250", "as_at_0": "31", "as_at_1": "3", "as_at_2": "2024",
         "rate_base": "on"},
    )  # fmt: skip
    assert added.status_code == 302
    figure = ContextFigure.objects.get()
    assert figure.value == 1250 and figure.as_at == D(2024, 3, 31) and figure.rate_base
    page = client.get("/reports/context-figures/").content.decode()
    assert "Children in need" in page and "2023-24" in page

    changed = client.post(
        f"/reports/context-figures/{figure.pk}/",
        {"label": "Children in need", "code": "children-in-need", "year": YEAR, "value": "1300",
         "version": figure.version},
    )  # fmt: skip
    assert changed.status_code == 302
    event = AuditEvent.objects.get(action="report.context_figure.changed")
    assert {"field": "value", "old": "1250.00", "new": "1300.00"} in event.changes

    confirm = client.get(f"/reports/context-figures/{figure.pk}/delete/").content.decode()
    assert "Delete Children in need for 2023-24?" in confirm
    assert client.post(f"/reports/context-figures/{figure.pk}/delete/").status_code == 302
    assert not ContextFigure.objects.exists()
    assert AuditEvent.objects.filter(action="report.context_figure.deleted").exists()


def test_context_figure_errors_are_specific(client_for):
    client = client_for("administrator")
    ContextFigure.objects.create(code="children-in-need", label="CIN", year=YEAR, value=1)
    response = client.post(
        "/reports/context-figures/add/",
        {"label": "", "code": "Children In Need!", "year": "1066", "value": "lots",
         "as_at_0": "31", "as_at_1": "3", "as_at_2": "2030"},
    )  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in html
    assert "Enter the name of the figure, like Children in need" in html
    assert "The code must be lower-case letters, numbers and hyphens only" in html
    assert "The reporting year must be 1990 or later" in html
    assert "The figure must be a number, like 1250" in html

    clash = client.post(
        "/reports/context-figures/add/",
        {"label": "Children in need", "code": "children-in-need", "year": YEAR, "value": "5",
         "as_at_0": "31", "as_at_1": "3", "as_at_2": "2030"},
    )  # fmt: skip
    html = clash.content.decode()
    assert f"There is already a figure with the code children-in-need for {YEAR}" in html
    assert "The date it was counted on must be in 2023-24" in html
    assert ContextFigure.objects.count() == 1


def test_the_custom_table_builder_previews_saves_and_shows_a_table(client_for, complaints):
    client = client_for("officer")
    CaseFactory(kind=Kind.COMPLIMENT, received_on=D(2023, 8, 1))
    form = {"measure": "cases", "rows": "kind", "columns": "", "year": YEAR, "years_back": 1}
    preview = client.post("/reports/tables/new/", {**form, "action": "preview"})
    html = preview.content.decode()
    assert preview.status_code == 200 and "Preview" in html and "2022-23" in html
    unnamed = client.post("/reports/tables/new/", {**form, "action": "save"})
    assert "Enter a name for the table, to save it" in unnamed.content.decode()

    saved = client.post("/reports/tables/new/", {**form, "name": "Cases by kind", "action": "save"})
    table = SavedTable.objects.get()
    assert saved["Location"] == f"/reports/tables/{table.pk}/"
    assert table.spec["rows"] == "kind" and table.spec["years_back"] == 1
    shown = client.get(saved["Location"]).content.decode()
    assert "Cases by kind" in shown and ">Complaint<" in shown
    assert client.get(f"/reports/tables/{table.pk}/", {"format": "json"}).json()["sections"]
    assert AuditEvent.objects.filter(action="report.table.saved").exists()


def test_the_builder_reports_what_is_wrong(client_for):
    response = client_for("officer").post(
        "/reports/tables/new/",
        {"measure": "", "rows": "kind", "columns": "kind", "year": YEAR, "action": "preview"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Choose what to count" in html


def test_a_saved_table_goes_into_an_edition(client_for, personas, complaints):
    from heard.reports import editions

    table = SavedTable.objects.create(
        name="Complaints by kind", spec={"measure": "cases", "rows": "kind", "year": YEAR}
    )
    edition = editions.create_edition("annual", YEAR, personas["manager"], publication=False)
    client = client_for("manager")
    added = client.post(f"/reports/editions/{edition.pk}/tables/", {"table": table.pk})
    assert added.status_code == 302
    report = editions.render(edition)
    section = report.section(editions.CUSTOM_SECTION_ID)
    assert section.title == "Additional tables"
    assert section.tables[0].title == "Complaints by kind"
    json_body = client.get(f"/reports/editions/{edition.pk}/download/json/").json()
    assert json_body["sections"][-1]["tables"][0]["title"] == "Complaints by kind"
