"""Publication mode: nothing small, nothing personal, nothing unpublishable leaves Heard."""

import datetime
import json

import pytest

from heard.cases.choices import Kind
from heard.reports import annual
from heard.reports.publication import redact, reveals_small_number
from tests.factories import CaseFactory


def test_it_drops_drafted_sentences_that_state_a_small_count():
    text = (
        "267 complaints were received in 2024-25, up from 261 in 2023-24. "
        "Fault was found in 2. Three were withdrawn. E-mail was used for 39%."
    )
    assert redact(text, 5) == (
        "267 complaints were received in 2024-25, up from 261 in 2023-24. E-mail was used for 39%."
    )
    assert not reveals_small_number("1,204 contacts on 31/03/2018", 5)
    assert reveals_small_number("fault was found in 6", 6)


@pytest.mark.django_db
def test_a_published_annual_report_shows_no_small_count_and_no_name():
    for day in range(1, 4):
        CaseFactory(
            received_on=datetime.date(2017, 6, day),
            complainant_name="Morwenna Quillfeather",
            child_name="Tobias Quillfeather",
            summary="Private details of the family",
        )
    for day in range(1, 13):
        CaseFactory(kind=Kind.COMPLIMENT, procedure="", received_on=datetime.date(2017, 7, day))

    assert annual.build(2017).table("volumes.received").cell("complaint", "2017") == 3
    report = annual.build(2017, publication=True)
    published = report.to_dict()
    cells = {row.key: row.cells for row in report.table("volumes.received").rows}
    assert cells["complaint"]["2017"] == "[c]"
    assert cells["compliment"]["2017"] == 12
    assert cells["ombudsman"]["2017"] == 0  # true zeros are kept
    text = json.dumps(published)
    for private in ("Quillfeather", "Private details"):
        assert private not in text
    for section in published["sections"]:
        assert not reveals_small_number(section["narrative"], 5), section["narrative"]
        for table in section["tables"]:
            for row in table["rows"]:
                for column in table["columns"]:
                    value = row["cells"].get(column["key"])
                    if column["kind"] == "count" and isinstance(value, int):
                        assert not 1 <= value <= 5, (table["id"], row["key"], column["key"])


@pytest.mark.django_db
def test_the_scrutiny_and_code_reports_are_suppressed_in_publication_mode():
    from heard.reports import lgsco_code, scrutiny

    for day in range(1, 3):
        CaseFactory(received_on=datetime.date(2017, 6, day))
    for build in (scrutiny.build, lgsco_code.build):
        report = build(2017, publication=True)
        assert report.publication
        shown = [
            value
            for table in report.tables()
            for row in table.rows
            for column in table.columns
            if column.kind == "count"
            for value in [row.cells.get(column.key)]
            if isinstance(value, int)
        ]
        assert not [value for value in shown if 1 <= value <= 5]


@pytest.mark.django_db
def test_context_figures_are_shown_and_rates_of_a_hidden_count_are_hidden():
    from heard.reports.models import ContextFigure

    ContextFigure.objects.create(
        code="looked-after", label="Children looked after", year=2017, value=3, rate_base=True
    )
    for day in range(1, 3):
        CaseFactory(received_on=datetime.date(2017, 6, day))
    table = annual.build(2017, publication=True).table("context.rates")
    cells = table.row("looked-after").cells
    assert cells["value"] == 3  # the council's own figure, not a count of cases
    assert cells["all_dealt_with"] == "[c]"
    assert cells["all_per_1000"] == "[c]" and cells["all_pct"] == "[c]"
    assert annual.build(2017).table("context.rates").cell("looked-after", "all_per_1000") == 666.7
