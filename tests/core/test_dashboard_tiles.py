"""The home dashboard's tiles lead where they say: each opens a list of exactly the cases it
counts, for every persona who sees cases; the by-stage counts too."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from heard.cases import services, workflow
from heard.cases.choices import Finding, Kind

pytestmark = pytest.mark.django_db
D = datetime.date
TILE = re.compile(
    r'<p class="govuk-heading-xl[^"]*">(\d+)</p>\s*<p class="govuk-body"><a class="govuk-link" '
    r'href="([^"]+)">([^<]+)</a>'
)
STAGE_LINK = re.compile(
    r'<a class="govuk-link" href="([^"]+)">(\d+)<span class="govuk-visually-hidden"> at (stage \d)'
)
LISTED = re.compile(r"<p class=\"govuk-body\">(\d+) cases?\.")
ROW = re.compile(
    r'<tr class="govuk-table__row[^"]*">\s*<td class="govuk-table__cell">'
    r'<a class="govuk-link" href="/cases/([^/]+)/"'
)

PERSONAS_WITH_CASES = ["administrator", "manager", "officer", "responding_manager", "investigator"]


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2024, 3, 14, 12, tzinfo=datetime.UTC), tick=False):
        yield


def _complaint(by, received_on, *, procedure="childrens_statutory", to=None, responder=None):
    case = services.log_case(
        user=by, kind=Kind.COMPLAINT, received_on=received_on, procedure=procedure,
        complainant_name="Pat Example", parts=[{"summary": "Point"}],
    )  # fmt: skip
    if to is not None:
        workflow.allocate(case, to=to, user=by)
    if responder is not None:
        workflow.update_stage(case, changes={"responder": responder}, user=by)
    return case


@pytest.fixture
def workload(personas):
    """For each persona: an overdue case, one due within 5 working days, one at Stage 2, one
    new, one closed; and some cases for nobody in particular."""
    officer = personas["officer"]
    for name in PERSONAS_WITH_CASES:
        person = personas[name]
        _complaint(officer, D(2024, 1, 10), to=person)  # overdue
        _complaint(officer, D(2024, 3, 1), to=person)  # due soon
        escalated = _complaint(officer, D(2024, 1, 8), procedure="corporate", to=person)
        workflow.respond(
            escalated, responded_on=D(2024, 1, 20),
            findings={escalated.parts.get().pk: Finding.NOT_UPHELD}, user=officer,
        )  # fmt: skip
        workflow.escalate(escalated, requested_on=D(2024, 3, 12), user=officer)
        _complaint(officer, D(2024, 3, 12), procedure="", to=person)  # new
        closed = _complaint(officer, D(2024, 2, 1), to=person)
        workflow.respond(
            closed, responded_on=D(2024, 2, 10),
            findings={closed.parts.get().pk: Finding.UPHELD}, user=officer,
        )  # fmt: skip
    _complaint(officer, D(2024, 3, 13), procedure="")
    _complaint(officer, D(2024, 1, 5))
    _complaint(officer, D(2024, 1, 5), responder=personas["responding_manager"])


def _tiles(page: str) -> list[tuple[int, str, str]]:
    tiles = [(int(n), url.replace("&amp;", "&"), label) for n, url, label in TILE.findall(page)]
    stages = [
        (int(n), url.replace("&amp;", "&"), label) for url, n, label in STAGE_LINK.findall(page)
    ]
    return tiles + stages


@pytest.mark.parametrize("persona", PERSONAS_WITH_CASES)
def test_each_tile_opens_exactly_the_cases_it_counts(client_for, workload, persona):
    client = client_for(persona)
    home = client.get(reverse("core:home")).content.decode()
    tiles = _tiles(home)
    labels = {label for _, _, label in tiles}
    assert {
        "Yours overdue",
        "Yours due in the next 5 working days",
        "New cases to triage",
    } <= labels
    assert {"stage 1", "stage 2", "stage 3"} <= labels
    assert any(count for count, _, _ in tiles), "the workload gives every persona something"
    for count, url, label in tiles:
        listing = client.get(url).content.decode()
        listed = LISTED.search(listing)
        assert listed, (label, url)
        rows = ROW.findall(listing)
        assert int(listed.group(1)) == count == len(rows), (persona, label, url, count, rows)


def test_the_tiles_count_what_they_say(client_for, workload, personas):
    tiles = {
        label: count
        for count, _, label in _tiles(
            client_for("officer").get(reverse("core:home")).content.decode()
        )
    }
    assert tiles["Open cases allocated to you"] == 4
    assert tiles["Yours overdue"] == 1
    assert tiles["Yours due in the next 5 working days"] == 1
    assert tiles["stage 2"] == 1


def test_trackers_show_who_it_is_from_and_mark_overdue_rows(client_for, workload):
    page = client_for("officer").get(reverse("cases:list") + "?view=overdue").content.decode()
    assert "Pat Example" in page
    rows = re.findall(r'<tr class="govuk-table__row( heard-row--overdue)?">', page)
    overdue = [r for r in rows if r]
    assert overdue and page.count('govuk-tag--red">Overdue') == len(overdue)
