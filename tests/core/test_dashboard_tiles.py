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


def _ombudsman_reply_overdue(by, to):
    """An Ombudsman case whose only clock, the reply date the Ombudsman set, has passed."""
    case = services.log_case(
        user=by, kind=Kind.OMBUDSMAN, received_on=D(2024, 2, 1), lgsco_reply_due=D(2024, 3, 1),
        complainant_name="Pat Example",
    )  # fmt: skip
    workflow.allocate(case, to=to, user=by)
    return case


def _adjudication_overdue(by, to):
    """A Stage 2 complaint whose response is not yet due (extended to 65 working days, due
    11 April 2024) but whose adjudication is overdue: the Investigating Officer's report
    arrived on 19 January, so the council's response was due 20 working days later."""
    case = _complaint(by, D(2024, 1, 2), to=to)
    workflow.respond(
        case, responded_on=D(2024, 1, 5), findings={case.parts.get().pk: Finding.NOT_UPHELD},
        user=by,
    )  # fmt: skip
    workflow.escalate(case, requested_on=D(2024, 1, 10), user=by)
    workflow.extend(
        case, extended_to=65, reason="Complex", agreed_on=D(2024, 1, 12), user=by
    )  # fmt: skip
    workflow.update_stage(case, changes={"report_received_on": D(2024, 1, 19)}, user=by)
    case.refresh_from_db()
    return case


@pytest.fixture
def workload(personas):
    """For each persona: an overdue case, one due within 5 working days, one at Stage 2, one
    new, one closed, and two overdue only on a clock other than the stage response (an
    Ombudsman reply date, a Stage 2 adjudication); and some cases for nobody in particular."""
    officer = personas["officer"]
    for name in PERSONAS_WITH_CASES:
        person = personas[name]
        _ombudsman_reply_overdue(officer, person)
        _adjudication_overdue(officer, person)
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
    assert tiles["Open cases allocated to you"] == 6
    assert tiles["Yours overdue"] == 3  # the response, the Ombudsman's reply, the adjudication
    assert tiles["Yours due in the next 5 working days"] == 1
    assert tiles["stage 2"] == 2


def test_a_case_overdue_only_on_a_later_clock_is_counted_and_listed(client_for, personas):
    """The stage response is not overdue on either case, and still each is overdue: the
    tiles, the team's tables and the Overdue tracker agree."""
    officer = personas["officer"]
    reply = _ombudsman_reply_overdue(officer, officer)
    adjudication = _adjudication_overdue(officer, officer)
    reply.refresh_from_db()
    today = D(2024, 3, 14)
    assert reply.stage_response_due is None and reply.next_due_on < today
    assert adjudication.stage_response_due > today > adjudication.next_due_on
    client = client_for("manager")
    home = client.get(reverse("core:home"))
    team = {tile["label"]: tile["count"] for tile in home.context["team"]["tiles"]}
    assert team["Overdue"] == 2
    (row,) = home.context["team"]["by_officer"]
    assert (row["open"], row["overdue"]) == (2, 2)
    listing = client.get(reverse("cases:list"), {"view": "overdue"}).content.decode()
    assert set(ROW.findall(listing)) == {reply.reference, adjudication.reference}
    assert listing.count('govuk-tag--red">Overdue') == 2
    mine = client_for("officer").get(reverse("core:home"))
    work = {tile["label"]: tile["count"] for tile in mine.context["work"]["tiles"]}
    assert work["Yours overdue"] == 2


TABLE_LINK = re.compile(
    r'<a class="govuk-link" href="([^"]+)">(\d+)<span class="govuk-visually-hidden"> '
    r"(open|overdue): ([^<]+)</span>"
)


@pytest.mark.parametrize("persona", ["administrator", "manager"])
def test_each_team_and_officer_figure_opens_exactly_the_cases_it_counts(
    client_for, workload, personas, persona
):
    from heard.taxonomy.models import ServiceArea

    directorate = ServiceArea.objects.create(code="d", name="Children", level="directorate")
    service = ServiceArea.objects.create(code="s", name="Social care", level="service",
                                         parent=directorate)  # fmt: skip
    teams = [
        ServiceArea.objects.create(code=f"t{n}", name=f"Team {n}", level="team", parent=service)
        for n in (1, 2)
    ]
    from heard.cases.models import Case

    for number, case in enumerate(Case.objects.order_by("pk")):
        area = [*teams, service, None][number % 4]
        workflow.update_details(case, changes={"service_area": area}, user=personas["officer"])
    client = client_for(persona)
    home = client.get(reverse("core:home")).content.decode()
    links = TABLE_LINK.findall(home)
    assert {what for _, _, what, _ in links} == {"open", "overdue"}
    assert any(label == "Social care" for *_, label in links)
    assert any(int(n) and what == "overdue" for _, n, what, _ in links)
    for url, count, what, label in links:
        listing = client.get(url.replace("&amp;", "&")).content.decode()
        listed = LISTED.search(listing)
        assert listed, (what, label, url)
        assert int(listed.group(1)) == int(count) == len(ROW.findall(listing)), (
            what, label, url,
        )  # fmt: skip


def test_trackers_show_who_it_is_from_and_mark_overdue_rows(client_for, workload):
    page = client_for("officer").get(reverse("cases:list") + "?view=overdue").content.decode()
    assert "Pat Example" in page
    rows = re.findall(r'<tr class="govuk-table__row( heard-row--overdue)?">', page)
    overdue = [r for r in rows if r]
    assert overdue and page.count('govuk-tag--red">Overdue') == len(overdue)
