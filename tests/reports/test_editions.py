"""Report editions through the screens: a manager edits the narrative and publishes; a
published edition is frozen; a new edition picks up corrected data; stale edits are refused."""

import datetime
import re

import pytest

from heard.audit.models import AuditEvent
from heard.cases.choices import Kind
from heard.reports import editions
from heard.reports.models import Edition
from tests.factories import CaseFactory

D = datetime.date
YEAR = 2023  # April 2023 to March 2024


def _complaints(n):
    return [CaseFactory(kind=Kind.COMPLAINT, received_on=D(2023, 6, 1)) for _ in range(n)]


def _report_html(response):
    """The report itself on a page (the page around it carries a fresh CSRF token)."""
    html = response.content.decode()
    return html[html.index('class="heard-report"') :]


def _cell(report, table, row, column):
    return report.table(table).cell(row, column)


@pytest.fixture
def draft(personas):
    """A draft edition of the annual report showing every figure (publication off)."""
    _complaints(7)
    return editions.create_edition("annual", YEAR, personas["manager"], publication=False)


def _edit(client, edition, texts, version):
    data = {"version": version}
    data.update({f"narrative_{sid}": text for sid, text in texts.items()})
    return client.post(f"/reports/editions/{edition.pk}/edit/", data)


def test_a_manager_starts_edits_and_publishes_an_edition(client_for):
    _complaints(7)
    client = client_for("manager")
    started = client.post(
        "/reports/editions/new/", {"report": "annual", "year": YEAR, "publication": ""}
    )
    edition = Edition.objects.get()
    assert started.status_code == 302 and edition.number == 1 and not edition.publication
    page = client.get(f"/reports/editions/{edition.pk}/edit/").content.decode()
    drafted = editions.drafts(edition)["volumes"].narrative
    assert drafted and drafted in page.replace("&#x27;", "'"), "prefilled with the draft"

    saved = _edit(client, edition, {"volumes": "Complaints rose this year."}, edition.version)
    assert saved.status_code == 302
    preview = client.get(f"/reports/editions/{edition.pk}/").content.decode()
    assert "Complaints rose this year." in preview and "Draft" in preview

    confirm = client.get(f"/reports/editions/{edition.pk}/publish/").content.decode()
    assert "Publishing freezes this edition" in confirm
    edition.refresh_from_db()
    published = client.post(
        f"/reports/editions/{edition.pk}/publish/", {"version": edition.version}, follow=True
    )
    assert "published. It is now frozen." in published.content.decode()
    edition.refresh_from_db()
    frozen = {section["id"]: section for section in edition.frozen["sections"]}
    assert edition.is_published and frozen["volumes"]["narrative"] == "Complaints rose this year."
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"report.edition.created", "report.narrative.updated", "report.edition.published"} <= (
        actions
    )


def test_a_published_edition_does_not_change_and_a_new_edition_does(client_for, draft, personas):
    client = client_for("manager")
    editions.update_narrative(draft, "volumes", "Our own words.", personas["manager"], 1)
    editions.publish(draft, personas["manager"])
    before_page = _report_html(client.get(f"/reports/editions/{draft.pk}/"))
    before_json = client.get(f"/reports/editions/{draft.pk}/download/json/").json()
    assert _cell(editions.render(draft), "volumes.received", "complaint", str(YEAR)) == 7

    _complaints(2)  # data corrected after publishing
    assert _report_html(client.get(f"/reports/editions/{draft.pk}/")) == before_page
    assert client.get(f"/reports/editions/{draft.pk}/download/json/").json() == before_json
    refused = _edit(client, draft, {"volumes": "Changed"}, draft.version)
    assert refused.status_code == 302  # sent back to the frozen edition
    draft.refresh_from_db()
    assert draft.narrative == {"volumes": "Our own words."}

    made = client.post(f"/reports/editions/{draft.pk}/new-edition/")
    second = Edition.objects.get(number=2)
    assert made["Location"] == f"/reports/editions/{second.pk}/edit/"
    assert second.narrative == {"volumes": "Our own words."} and not second.is_published
    report = editions.render(second)
    assert _cell(report, "volumes.received", "complaint", str(YEAR)) == 9
    assert report.section("volumes").narrative == "Our own words."


def test_a_stale_edit_is_refused_with_a_clear_message(client_for, draft):
    client = client_for("manager")
    opened_at = draft.version
    assert _edit(client, draft, {"volumes": "First person's text"}, opened_at).status_code == 302
    stale = _edit(client, draft, {"volumes": "Second person's text"}, opened_at)
    assert stale.status_code == 409
    assert "Someone else saved this edition after you opened it" in stale.content.decode()
    draft.refresh_from_db()
    assert draft.narrative == {"volumes": "First person's text"}


def test_the_service_refuses_stale_versions_and_published_editions(draft, personas):
    manager = personas["manager"]
    editions.update_narrative(draft, "volumes", "One", manager, draft.version)
    with pytest.raises(editions.EditionConflict):
        editions.update_narrative(draft, "volumes", "Two", manager, 1)
    editions.publish(draft, manager)
    with pytest.raises(editions.EditionRefused, match="cannot be changed"):
        editions.update_narrative(draft, "volumes", "Three", manager, draft.version)
    with pytest.raises(editions.EditionRefused):
        editions.choose_case_studies(draft, [], manager)


def test_text_left_as_drafted_keeps_following_the_figures(client_for, draft):
    client = client_for("officer")
    drafted = editions.drafts(draft)["volumes"].narrative
    assert _edit(client, draft, {"volumes": drafted}, draft.version).status_code == 302
    draft.refresh_from_db()
    assert draft.narrative == {}
    _complaints(1)
    assert editions.render(draft).section("volumes").narrative != drafted


def test_editions_are_numbered_per_report_and_year(personas):
    manager = personas["manager"]
    first = editions.create_edition("annual", YEAR, manager)
    second = editions.create_edition("annual", YEAR, manager)
    other_year = editions.create_edition("annual", YEAR - 1, manager)
    assert (first.number, second.number, other_year.number) == (1, 2, 1)


def test_case_studies_chosen_are_the_only_ones_kept(client_for, draft):
    chosen, other = (
        CaseFactory(received_on=D(2023, 7, 1), case_study=text, case_study_publishable=True)
        for text in ("A parent was helped.", "A carer was heard.")
    )
    client = client_for("officer")
    page = client.get(f"/reports/editions/{draft.pk}/edit/").content.decode()
    assert chosen.reference in page and other.reference in page
    response = client.post(
        f"/reports/editions/{draft.pk}/case-studies/",
        {"version": draft.version, "cases": [chosen.pk]},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.case_studies == [chosen.pk]
    assert AuditEvent.objects.filter(action="report.case_studies.chosen").exists()


def test_only_managers_and_administrators_publish(client_for, draft):
    assert client_for("officer").get(f"/reports/editions/{draft.pk}/publish/").status_code == 403
    edit = client_for("officer").get(f"/reports/editions/{draft.pk}/edit/")
    assert edit.status_code == 200
    assert not re.search(r"Publish this edition", edit.content.decode())


def test_a_custom_table_named_with_dollars_draws_in_an_edition_and_its_pdf(draft, client_for):
    """A `$` in a table's name once broke its chart, its PDF and the edition holding it."""
    from heard.reports.models import SavedTable
    from heard.reports.render import pdf

    manager = client_for("manager")
    saved = SavedTable.objects.create(
        name="Spend a $_$ b by $kind", spec={"measure": "cases", "rows": "kind", "year": YEAR}
    )
    editions.add_custom_table(draft, saved, None)
    page = manager.get(f"/reports/editions/{draft.pk}/")
    assert page.status_code == 200 and "Spend a $_$ b by $kind" in page.content.decode()
    editions.publish(draft, None)
    draft.refresh_from_db()
    report = editions.render(draft)
    assert report.table(f"additional.{saved.pk}").title == "Spend a $_$ b by $kind"
    try:
        document = pdf.layout(report)
    except pdf.PDFUnavailable:
        pytest.fail("WeasyPrint needs Pango: run scripts/install-system-deps.sh")
    assert len(document.pages) > 1
