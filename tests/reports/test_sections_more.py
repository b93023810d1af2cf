"""Sections: channels, MP/councillor enquiries, Ombudsman cases, compliments, learning and
case studies, on small hand-made data."""

import datetime
import json

import pytest

from heard.cases.choices import Kind, Procedure, Status
from heard.cases.models import Action, Learning
from heard.reports import annual
from heard.reports.sections import (
    case_studies,
    channels,
    compliments,
    enquiries,
    learning,
    ombudsman,
)
from heard.taxonomy.models import ServiceArea
from tests.factories import CaseFactory, ServiceAreaFactory, term

D = datetime.date
YEAR = 2017  # 1 April 2017 to 31 March 2018
IN_YEAR = D(2017, 6, 1)
MARCH = D(2018, 3, 31)  # the last day of 2017-18
APRIL = D(2018, 4, 1)  # the first day of 2018-19
LAST_YEAR = D(2016, 9, 1)


@pytest.fixture
def areas(db):
    """Two directorates: one with a service and two teams beneath it, one with a team."""
    level = ServiceArea.Level
    early_help = ServiceAreaFactory(name="Early Help", code="early-help", level=level.DIRECTORATE)
    social_work = ServiceAreaFactory(
        name="Social Work", code="social-work", level=level.SERVICE, parent=early_help
    )
    fostering = ServiceAreaFactory(name="Fostering", code="fostering", parent=social_work, order=1)
    mat = ServiceAreaFactory(name="MAT", code="mat", parent=social_work, order=2)
    schools = ServiceAreaFactory(name="Schools", code="schools", level=level.DIRECTORATE, order=1)
    send = ServiceAreaFactory(name="SEND", code="send", parent=schools)
    return {
        "early-help": early_help,
        "social-work": social_work,
        "fostering": fostering,
        "mat": mat,
        "schools": schools,
        "send": send,
    }


def case(kind, received, closed=None, **fields):
    status = Status.CLOSED if closed else Status.OPEN
    return CaseFactory(kind=kind, received_on=received, closed_on=closed, status=status, **fields)


def section(module, year=YEAR, publication=False, **context):
    ctx = annual.make_context(year, publication=publication)
    for name, value in context.items():
        setattr(ctx, name, value)
    return module.build(ctx)


def texts(sec):
    return [item.text for item in sec.items]


# Ombudsman ------------------------------------------------------------------------------


def lgsco(received, closed=None, enquiry=None, decision=None, decided=None, **fields):
    return case(
        Kind.OMBUDSMAN,
        received,
        closed,
        lgsco_enquiry_type=term("lgsco_enquiry_type", enquiry) if enquiry else None,
        lgsco_decision=term("lgsco_decision", decision) if decision else None,
        lgsco_decision_on=decided,
        **fields,
    )


@pytest.fixture
def east_riding_ombudsman(areas):
    """East Riding 2016-17: six dealt with, four new and two brought forward; two not
    investigated; three decisions, fault found in one; one still under investigation."""
    send, mat = areas["send"], areas["mat"]
    y = D(2016, 4, 1)
    lgsco(
        D(2016, 2, 1),
        D(2016, 6, 1),
        "detailed-investigation",
        "not-upheld",
        D(2016, 6, 1),
        service_area=send,
    )  # brought forward, decided
    lgsco(D(2016, 3, 1), D(2016, 5, 1), "premature", service_area=mat)  # brought forward
    lgsco(
        y.replace(month=5),
        D(2016, 9, 1),
        "detailed-investigation",
        "upheld-fault",
        D(2016, 9, 1),
        service_area=send,
    )
    lgsco(
        y.replace(month=7),
        D(2016, 12, 1),
        "detailed-investigation",
        "not-upheld",
        D(2016, 12, 1),
        service_area=send,
    )
    lgsco(y.replace(month=8), D(2016, 8, 20), "initial-assessment", service_area=mat)
    lgsco(D(2017, 2, 1), None, "detailed-investigation", service_area=send)  # carried forward
    lgsco(D(2015, 6, 1), D(2016, 1, 1), "premature", service_area=send)  # before the year
    lgsco(D(2017, 4, 1), None, "premature", service_area=send)  # after the year


def test_ombudsman_summary_gives_east_riding_figures(east_riding_ombudsman):
    table = section(ombudsman, 2016).tables[0]
    assert table.id == "ombudsman.summary"
    got = {row.key: row.cells["2016"] for row in table.rows}
    assert got == {
        "received": 4,
        "brought-forward": 2,
        "dealt-with": 6,
        "investigated": 4,
        "not-investigated": 2,
        "decided": 3,
        "fault-found": 1,
        "carried-forward": 1,
    }
    assert set(table.rows[0].cells) == {"2013", "2014", "2015", "2016"}
    assert table.cell("received", "2015") == 3  # June 2015, February and March 2016


def test_ombudsman_by_service_area_has_teams_and_directorate_subtotals(east_riding_ombudsman):
    table = next(t for t in section(ombudsman, 2016).tables if t.id.endswith("by_service_area"))
    assert table.cell("send", "received") == 3
    assert table.cell("send", "investigated") == 3
    assert table.cell("mat", "received") == 1
    assert table.cell("send", "upheld-fault") == 1
    assert table.cell("send", "not-upheld") == 2  # one on a case received the year before
    subtotal = table.row("schools")
    assert subtotal.total and subtotal.group == "schools" and subtotal.level == 0
    assert table.row("send").group == "schools" and table.row("send").level == 1
    assert table.cell("early-help", "received") == 1
    assert table.cell("total", "received") == 4
    assert [c.key for c in table.columns if c.key not in ("label", "received", "investigated")] == [
        "not-upheld", "upheld-fault"
    ]  # fmt: skip


def test_ombudsman_by_service_area_can_be_grouped_by_service(east_riding_ombudsman):
    ctx = annual.make_context(2016)
    table = ombudsman.by_service_area(ctx, level="service")
    assert table.cell("social-work", "received") == 1
    assert table.cell("send", "received") == 3  # a team directly under its directorate


def test_an_ombudsman_case_without_an_area_is_shown_under_its_complaint(areas):
    complaint = case(Kind.COMPLAINT, D(2016, 5, 1), D(2016, 6, 1), service_area=areas["mat"])
    lgsco(D(2017, 5, 1), linked_case=complaint)
    table = ombudsman.by_service_area(annual.make_context(YEAR))
    assert table.cell("mat", "received") == 1


def test_ombudsman_decisions_are_counted_in_the_year_of_the_decision(areas):
    lgsco(D(2017, 5, 1), D(2018, 3, 31), "detailed-investigation", "upheld-fault-injustice", MARCH)
    lgsco(D(2017, 5, 1), D(2018, 4, 1), "detailed-investigation", "not-upheld", APRIL)
    table = next(t for t in section(ombudsman).tables if t.id == "ombudsman.decisions")
    assert table.cell("upheld-fault-injustice", "2017") == 1
    assert table.cell("not-upheld", "2017") == 0
    assert table.cell("total", "2017") == 1
    summary = section(ombudsman).tables[0]
    assert summary.cell("fault-found", "2017") == 1
    assert summary.cell("carried-forward", "2017") == 1  # closed on 1 April


def test_a_decision_the_council_relabelled_still_counts_by_its_code(areas):
    decision = term("lgsco_decision", "not-upheld")
    decision.label = "No fault found"
    decision.save()
    lgsco(IN_YEAR, IN_YEAR, "detailed-investigation", "not-upheld", IN_YEAR)
    summary = section(ombudsman).tables[0]
    assert (summary.cell("decided", "2017"), summary.cell("fault-found", "2017")) == (1, 0)
    decisions = next(t for t in section(ombudsman).tables if t.id == "ombudsman.decisions")
    assert decisions.row("not-upheld").label == "No fault found"


# Compliments ----------------------------------------------------------------------------


def compliment(received, area, quote="", publishable=False, source=None):
    return case(
        Kind.COMPLIMENT,
        received,
        received,
        service_area=area,
        quote=quote,
        quote_publishable=publishable,
        compliment_source=term("compliment_source", source) if source else None,
    )


@pytest.fixture
def compliments_data(areas):
    for _ in range(3):
        compliment(IN_YEAR, areas["fostering"], source="parent-carer")
    compliment(IN_YEAR, areas["mat"], "An amazing team", publishable=True, source="child")
    compliment(MARCH, areas["send"], "Jordan Example was rude to my neighbour")  # not publishable
    compliment(MARCH, areas["social-work"], "   ", publishable=True)  # blank quote
    compliment(APRIL, areas["send"], "Next year's thanks", publishable=True)
    compliment(D(2017, 3, 31), areas["send"], "Last year's thanks", publishable=True)
    compliment(LAST_YEAR, areas["send"])


def test_compliments_by_team_with_directorate_subtotals(compliments_data):
    table = section(compliments).tables[0]
    assert table.id == "compliments.by_team"
    assert table.cell("fostering", "count") == 3
    assert table.cell("fostering", "percent") == 50  # 3 of the 6 received in 2017-18
    assert table.cell("mat", "count") == 1
    assert table.cell("social-work", "count") == 1  # logged against the service itself
    assert table.row("social-work").label == "Social Work (whole service)"
    assert table.row("early-help").total and table.row("early-help").group == "early-help"
    assert table.cell("early-help", "count") == 5
    assert table.cell("early-help", "percent") == 83
    assert table.cell("schools", "count") == 1  # the March compliment; April is next year
    assert table.cell("total", "count") == 6
    assert [r.key for r in table.rows] == [
        "social-work", "fostering", "mat", "early-help", "send", "schools", "total"
    ]  # fmt: skip
    assert table.chart is not None


def test_compliments_history_and_sources(compliments_data):
    sec = section(compliments)
    history = sec.tables[1]
    assert history.cell("compliment", "2017") == 6
    assert history.cell("compliment", "2016") == 2
    assert history.cell("compliment", "change") == 200
    sources = sec.tables[2]
    assert sources.cell("parent-carer", "count") == 3
    assert sources.cell("child", "count") == 1
    assert sources.cell("not-recorded", "count") == 2
    assert "6 compliments were received in 2017-18" in sec.narrative


def test_compliments_by_service_over_four_years(compliments_data, areas):
    compliment(D(2015, 6, 1), areas["fostering"])
    table = section(compliments).tables[3]
    assert table.id == "compliments.by_directorate_history"
    assert [r.key for r in table.rows] == [
        "social-work", "early-help", "schools-directorate", "schools", "total"
    ]  # fmt: skip
    social_work = table.row("social-work").cells  # its teams and itself
    assert (social_work["2017"], social_work["2016"], social_work["2015"]) == (5, 0, 1)
    assert table.row("schools-directorate").label == "Schools (whole directorate)"  # SEND
    assert table.cell("schools", "2017") == 1 and table.cell("schools", "2016") == 2
    assert table.cell("total", "2017") == 6 and table.cell("total", "2016") == 2
    assert table.cell("total", "change") == 200


def test_compliments_by_directorate_when_the_council_has_no_services(db):
    level = ServiceArea.Level
    adults = ServiceAreaFactory(name="Adults", code="adults", level=level.DIRECTORATE)
    children = ServiceAreaFactory(name="Children", code="children", level=level.DIRECTORATE)
    for area in (adults, ServiceAreaFactory(name="Care", code="care", parent=adults)):
        compliment(IN_YEAR, area)
    compliment(LAST_YEAR, ServiceAreaFactory(name="Play", code="play", parent=children))
    compliment(IN_YEAR, None)
    table = section(compliments).tables[3]
    assert [r.key for r in table.rows] == ["adults", "children", "not-recorded", "total"]
    assert table.row("adults").label == "Adults"
    assert (table.cell("adults", "2017"), table.cell("children", "2016")) == (2, 1)
    assert table.cell("not-recorded", "2017") == 1
    assert (table.cell("total", "2017"), table.cell("total", "2016")) == (3, 1)


@pytest.mark.parametrize("publication", [False, True])
def test_only_publishable_quotes_of_the_year_are_printed(compliments_data, publication):
    sec = section(compliments, publication=publication)
    assert [(i.text, i.attribution) for i in sec.items] == [("An amazing team", "To MAT")]
    assert "Jordan" not in json.dumps(annual.build(YEAR, sections=[compliments]).to_dict())


def test_a_compliment_received_in_april_counts_in_the_next_year(compliments_data):
    nxt = section(compliments, 2018)
    assert nxt.tables[0].cell("send", "count") == 1
    assert texts(nxt) == ["Next year's thanks"]


# Channels -------------------------------------------------------------------------------


def test_complaints_by_channel_and_procedure(areas):
    email, phone = term("channel", "email"), term("channel", "telephone")
    for _ in range(2):
        case(Kind.COMPLAINT, IN_YEAR, channel=email)
    case(Kind.COMPLAINT, MARCH, channel=email, procedure=Procedure.CORPORATE)
    case(Kind.COMPLAINT, IN_YEAR, channel=phone, procedure=Procedure.CORPORATE)
    case(Kind.COMPLAINT, IN_YEAR)  # no channel recorded
    case(Kind.COMPLAINT, APRIL, channel=phone)  # next year
    case(Kind.COMPLIMENT, IN_YEAR, channel=phone)  # not a complaint
    sec = section(channels)
    table = sec.tables[0]
    assert table.id == "channels.complaints"
    assert table.cell("email", "childrens_statutory") == 2
    assert table.cell("email", "corporate") == 1
    assert table.cell("email", "total") == 3
    assert table.cell("email", "percent") == 60
    assert table.cell("telephone", "total") == 1
    assert table.cell("not-recorded", "total") == 1
    assert table.cell("total", "corporate") == 2
    assert table.cell("total", "total") == 5
    assert table.row("email").label == "E-mail"  # the council's label
    assert "5 complaints were received in 2017-18" in sec.narrative


# MP and councillor enquiries ------------------------------------------------------------


def test_enquiries_by_source_over_four_years_and_by_team(areas):
    mp, councillor = term("enquiry_source", "mp"), term("enquiry_source", "councillor")
    for _ in range(3):
        case(Kind.REPRESENTATION, IN_YEAR, enquiry_source=mp, service_area=areas["send"])
    case(Kind.REPRESENTATION, MARCH, enquiry_source=councillor, service_area=areas["mat"])
    case(Kind.REPRESENTATION, APRIL, enquiry_source=mp, service_area=areas["mat"])
    case(Kind.REPRESENTATION, LAST_YEAR, enquiry_source=councillor)
    case(Kind.REPRESENTATION, D(2014, 5, 1), enquiry_source=mp)
    case(Kind.COMPLAINT, IN_YEAR, service_area=areas["send"])
    sec = section(enquiries)
    sources, teams = sec.tables[0], sec.tables[-1]
    assert sources.cell("mp", "2017") == 3
    assert sources.cell("councillor", "2017") == 1
    assert sources.cell("councillor", "2016") == 1
    assert sources.cell("mp", "2014") == 1
    assert sources.cell("total", "2017") == 4
    assert sources.cell("total", "change") == 300
    assert teams.cell("send", "count") == 3
    assert teams.cell("send", "percent") == 75
    assert teams.cell("schools", "count") == 3 and teams.row("schools").total
    assert teams.cell("early-help", "count") == 1
    assert "MP 3" in sec.narrative


# Learning -------------------------------------------------------------------------------


def learned(on_case, recorded_on, lesson, publishable=False, category="communication"):
    return Learning.objects.create(
        case=on_case,
        category=term("learning_category", category) if category else None,
        lesson=lesson,
        publishable=publishable,
        recorded_on=recorded_on,
    )


def action(learning_row, due_on, completed_on=None, signed_off_on=None):
    return Action.objects.create(
        learning=learning_row,
        description="Remind staff to return calls",
        owner="Team manager",
        due_on=due_on,
        completed_on=completed_on,
        signed_off_on=signed_off_on,
    )


@pytest.fixture
def learning_data(areas):
    closed = case(Kind.COMPLAINT, IN_YEAR, D(2017, 8, 1))
    carried = case(Kind.COMPLAINT, D(2016, 12, 1))  # brought forward, still open
    earlier = case(Kind.COMPLAINT, D(2016, 5, 1), D(2017, 2, 1))  # not dealt with in 2017-18
    one = learned(closed, D(2017, 8, 1), "Return calls within a day", publishable=True)
    action(one, D(2017, 9, 1), D(2017, 8, 20), D(2017, 9, 5))  # on time, signed off
    action(one, D(2017, 9, 1), D(2017, 10, 1))  # late
    action(one, D(2018, 6, 1))  # open, not yet due
    action(one, D(2018, 1, 1), APRIL)  # overdue at year end: completed after it
    two = learned(
        carried, D(2017, 1, 5), "The social worker Jordan was unkind", category="training"
    )
    action(two, D(2017, 3, 1), D(2017, 3, 1))  # completed the year before: not counted
    learned(carried, APRIL, "Recorded after the year end", publishable=True)
    learned(earlier, D(2017, 1, 10), "From a case closed the year before", publishable=True)
    learned(closed, D(2017, 8, 2), "Return calls within a day", publishable=True)  # repeated


def test_learning_by_category_counts_learning_on_cases_dealt_with(learning_data):
    table = section(learning).tables[0]
    assert table.id == "learning.by_category"
    assert table.cell("communication", "count") == 2
    assert table.cell("training", "count") == 1
    assert table.cell("total", "count") == 3
    assert table.cell("training", "percent") == 33
    assert table.row("communication").label == "Communication"


def test_learning_actions_as_at_the_year_end(learning_data):
    table = section(learning).tables[1]
    got = {row.key: row.cells["count"] for row in table.rows}
    assert got == {
        "on-time": 1,
        "late": 1,
        "not-yet-due": 1,
        "overdue": 1,
        "total": 4,
        "signed-off": 1,
    }


@pytest.mark.parametrize("publication", [False, True])
def test_only_publishable_lessons_are_printed(learning_data, publication):
    sec = section(learning, publication=publication)
    assert texts(sec) == ["Return calls within a day"]
    assert sec.items[0].attribution == "Communication"
    assert "Jordan" not in json.dumps(annual.build(YEAR, sections=[learning]).to_dict())


# Case studies ---------------------------------------------------------------------------


@pytest.fixture
def studies(areas):
    return {
        "march": case(Kind.COMPLAINT, MARCH, case_study="A March study",
                      case_study_publishable=True, service_area=areas["mat"]),
        "carried": case(Kind.COMPLAINT, D(2016, 10, 1), case_study="A carried study",
                        case_study_publishable=True),
        "private": case(Kind.COMPLAINT, IN_YEAR, case_study="Jordan Example's private story"),
        "april": case(Kind.COMPLAINT, APRIL, case_study="An April study",
                      case_study_publishable=True),
        "closed": case(Kind.COMPLAINT, D(2016, 5, 1), D(2017, 3, 31),
                       case_study="Closed before the year", case_study_publishable=True),
    }  # fmt: skip


def test_case_studies_are_the_publishable_ones_on_cases_dealt_with(studies):
    sec = section(case_studies)
    assert sorted(texts(sec)) == ["A March study", "A carried study"]
    assert {i.text: i.attribution for i in sec.items}["A March study"] == "MAT"
    # Still open, the March and carried cases are dealt with in 2018-19 too.
    assert texts(section(case_studies, 2018)) == [
        "A carried study", "A March study", "An April study"
    ]  # fmt: skip


def test_an_edition_prints_only_the_case_studies_it_chose(studies):
    chosen = [studies["carried"].id, studies["private"].id]
    assert texts(section(case_studies, case_studies=chosen)) == ["A carried study"]
    ids = [studies["march"].id, studies["private"].id, studies["carried"].id]
    assert texts(section(case_studies, case_studies=ids)) == ["A March study", "A carried study"]
    assert texts(section(case_studies, case_studies=[])) == []


@pytest.mark.parametrize("publication", [False, True])
def test_unpublishable_case_studies_never_appear(studies, publication):
    report = annual.build(YEAR, publication=publication, sections=[case_studies])
    assert "Jordan" not in json.dumps(report.to_dict())


@pytest.mark.django_db
def test_ombudsman_cases_are_counted_by_type_of_enquiry_each_year():
    premature = term("lgsco_enquiry_type", "premature")
    detailed = term("lgsco_enquiry_type", "detailed-investigation")
    for received, kind_of in [
        (datetime.date(2017, 5, 1), premature),
        (datetime.date(2017, 6, 1), detailed),
        (datetime.date(2017, 7, 1), detailed),
        (datetime.date(2016, 7, 1), detailed),
        (datetime.date(2018, 4, 1), premature),  # the next year
    ]:
        CaseFactory(kind=Kind.OMBUDSMAN, procedure="", received_on=received,
                    lgsco_enquiry_type=kind_of)  # fmt: skip
    table = annual.build(2017, sections=[ombudsman]).table("ombudsman.by_type")
    assert table.cell("premature", "2017") == 1
    assert table.cell("detailed-investigation", "2017") == 2
    assert table.cell("detailed-investigation", "2016") == 1
    assert table.cell("total", "2017") == 3
    assert table.row("premature").label == premature.label
