"""Custom tables: a measure broken down by any recorded dimension, filtered, over years."""

import dataclasses
import datetime
import json
from decimal import Decimal

import pytest
from pydantic import ValidationError

from heard.cases.choices import Finding, Kind, Procedure, Status
from heard.deadlines.calendar import council_calendar
from heard.reports import annual, custom
from heard.reports.definitions import CLOSED, OUTCOME_BASES, YEAR_END
from heard.reports.document import SUPPRESSED
from heard.reports.suppression import suppress_table
from heard.taxonomy.models import ServiceArea
from tests.factories import CaseFactory, PartFactory, ServiceAreaFactory, StageFactory, term

D = datetime.date
YEAR = 2017


def spec(**fields):
    return custom.TableSpec(**{"measure": "cases", "rows": "kind", "year": YEAR, **fields})


def figures(table, column):
    """{row key: cell} of one column, the total row included."""
    return {row.key: row.cells.get(column) for row in table.rows}


@pytest.fixture
def areas(db):
    level = ServiceArea.Level
    social_care = ServiceAreaFactory(
        name="Children's Social Care", code="csc", level=level.DIRECTORATE
    )
    social_work = ServiceAreaFactory(
        name="Social Work", code="social-work", level=level.SERVICE, parent=social_care
    )
    education = ServiceAreaFactory(
        name="Education", code="education", level=level.DIRECTORATE, order=1
    )
    return {
        "fostering": ServiceAreaFactory(
            name="Fostering", code="fostering", parent=social_work, order=1
        ),
        "mat": ServiceAreaFactory(name="MAT", code="mat", parent=social_work, order=2),
        "send": ServiceAreaFactory(name="SEND", code="send", parent=education),
    }


def complaint(received, area, procedure=Procedure.CHILDRENS_STATUTORY, categories=(), **fields):
    case = CaseFactory(
        kind=Kind.COMPLAINT,
        procedure=procedure,
        received_on=received,
        service_area=area,
        status=Status.OPEN,
        **fields,
    )
    case.categories.set([term("category", code) for code in categories])
    return case


@pytest.fixture
def cases(areas):
    """Three complaints and a compliment received in 2017-18, one complaint the year before
    and one the year after."""
    upheld = complaint(
        D(2017, 4, 10),
        areas["fostering"],
        categories=["communication", "delay"],
        channel=term("channel", "email"),
        complainant_under_18=True,
    )
    StageFactory(
        case=upheld,
        requested_on=D(2017, 4, 10),
        response_due=D(2017, 5, 9),
        responded_on=D(2017, 5, 5),
        outcome=Finding.UPHELD,
    )
    PartFactory(case=upheld, number=1, category=term("category", "communication"))
    PartFactory(case=upheld, number=2, category=term("category", "delay"))
    escalated = complaint(
        D(2017, 7, 3),
        areas["mat"],
        procedure=Procedure.CORPORATE,
        categories=["delay"],
        channel=term("channel", "telephone"),
        complainant_under_18=False,
    )
    StageFactory(
        case=escalated,
        requested_on=D(2017, 7, 3),
        response_due=D(2017, 7, 31),
        responded_on=D(2017, 8, 30),
        outcome=Finding.NOT_UPHELD,
    )
    StageFactory(
        case=escalated,
        number=2,
        requested_on=D(2017, 9, 5),
        response_due=D(2017, 11, 1),
        responded_on=D(2018, 5, 1),  # after the year's end: upheld, but not as at 31 March
        outcome=Finding.UPHELD,
        investigating_officer_fee=Decimal("1000.50"),
        independent_person_fee=Decimal("250.00"),
    )
    PartFactory(case=escalated, number=1)
    waiting = complaint(D(2018, 1, 15), areas["send"], channel=term("channel", "email"))
    compliment = CaseFactory(
        kind=Kind.COMPLIMENT, received_on=D(2017, 6, 1), service_area=areas["fostering"]
    )
    last_year = complaint(D(2016, 5, 1), areas["fostering"], categories=["communication"])
    StageFactory(
        case=last_year,
        requested_on=D(2016, 5, 1),
        response_due=D(2016, 6, 1),
        responded_on=D(2016, 6, 1),
        outcome=Finding.PARTIALLY_UPHELD,
    )
    next_year = complaint(D(2018, 4, 2), areas["fostering"])
    return {
        "upheld": upheld,
        "escalated": escalated,
        "waiting": waiting,
        "compliment": compliment,
        "last_year": last_year,
        "next_year": next_year,
    }


# Counts by each kind of dimension ---------------------------------------------------------------


def test_it_counts_cases_received_in_the_year_by_kind_with_a_total(cases):
    table = custom.build(spec())
    assert figures(table, "2017") == {"complaint": 3, "compliment": 1, "total": 4}
    assert table.row("complaint").label == "Complaint"
    assert table.row("total").total
    assert table.column("2017").kind == "count"
    assert table.column("2017").label == "2017-18"
    assert table.selection == "Cases received in 2017-18"


def test_it_counts_by_team_directorate_and_service_with_the_councils_names(cases):
    complaints = {"kind": ["complaint"]}
    by_team = custom.build(spec(rows="team", filters=complaints))
    assert figures(by_team, "2017") == {"fostering": 1, "mat": 1, "send": 1, "total": 3}
    assert by_team.row("mat").label == "MAT"
    assert by_team.selection == "Cases received in 2017-18; kind of case: Complaint"
    by_directorate = custom.build(spec(rows="directorate", filters=complaints))
    assert figures(by_directorate, "2017") == {"csc": 2, "education": 1, "total": 3}
    by_service = custom.build(spec(rows="service", filters=complaints))
    # SEND sits directly under its directorate: no service recorded.
    assert figures(by_service, "2017") == {"social-work": 2, "not-recorded": 1, "total": 3}


def test_a_case_with_several_categories_is_counted_under_each_and_once_in_the_total(cases):
    table = custom.build(spec(rows="category", filters={"kind": ["complaint"]}))
    assert figures(table, "2017") == {
        "communication": 1,
        "delay": 2,
        "not-recorded": 1,
        "total": 3,
    }
    assert table.row("delay").label == term("category", "delay").label
    assert any("several categories" in note for note in table.notes)


def test_it_counts_by_quarter_month_channel_and_age(cases):
    quarters = custom.build(spec(rows="quarter"))
    assert figures(quarters, "2017") == {"Q1": 2, "Q2": 1, "Q3": 0, "Q4": 1, "total": 4}
    months = custom.build(spec(rows="month"))
    assert [row.key for row in months.rows][:3] == ["2017-04", "2017-05", "2017-06"]
    assert len(months.rows) == 13
    assert figures(months, "2017")["2017-04"] == 1
    assert figures(months, "2017")["2018-01"] == 1
    channels = custom.build(spec(rows="channel", filters={"kind": ["complaint"]}))
    assert figures(channels, "2017") == {"email": 2, "telephone": 1, "total": 3}
    ages = custom.build(spec(rows="under_18", filters={"kind": ["complaint"]}))
    assert figures(ages, "2017") == {"yes": 1, "no": 1, "not-recorded": 1, "total": 3}


def test_outcome_and_stage_reached_are_taken_as_at_the_end_of_the_year(cases):
    complaints = {"kind": ["complaint"]}
    outcomes = custom.build(spec(rows="outcome", filters=complaints), outcome_basis=YEAR_END)
    # The escalated complaint's Stage 2 was upheld in May 2018, after the year's end.
    assert figures(outcomes, "2017") == {
        "upheld": 1,
        "not-upheld": 1,
        "still-open": 1,
        "total": 3,
    }
    stages = custom.build(spec(rows="stage", filters=complaints))
    assert figures(stages, "2017") == {"1": 1, "2": 1, "none": 1, "total": 3}


def test_outcomes_are_the_latest_known_by_default(cases):
    outcomes = custom.build(spec(rows="outcome", filters={"kind": ["complaint"]}))
    # The escalated complaint's Stage 2, upheld in May 2018, is known when the table is made.
    assert figures(outcomes, "2017") == {"upheld": 2, "still-open": 1, "total": 3}
    assert any(note.startswith("Outcome basis: complaints received") for note in outcomes.notes)


def test_on_the_closed_basis_the_complaints_closed_in_the_year_are_counted(cases):
    cases["upheld"].closed_on = D(2017, 5, 5)
    cases["upheld"].save()
    cases["last_year"].closed_on = D(2017, 4, 20)  # received in 2016-17, closed in 2017-18
    cases["last_year"].save()
    table = custom.build(spec(rows="outcome", filters={"kind": ["complaint"]}),
                         outcome_basis=CLOSED)  # fmt: skip
    assert figures(table, "2017") == {"upheld": 1, "partially-upheld": 1, "total": 2}
    assert table.selection.startswith("Cases closed in 2017-18")


@pytest.mark.parametrize("basis", [None, YEAR_END, CLOSED])
@pytest.mark.parametrize("rows", ["quarter", "month"])
def test_every_case_counted_falls_in_one_quarter_and_month_of_the_year(cases, basis, rows):
    """On every basis, the quarters (and the months) of a year add up to the year's total,
    the cases the table by year counts; on the closed basis a case received the year before
    is in the quarter and month it was closed in."""
    cases["upheld"].closed_on = D(2017, 5, 5)
    cases["upheld"].save()
    cases["last_year"].closed_on = D(2017, 10, 20)  # received in 2016-17, closed in 2017-18
    cases["last_year"].save()
    options = {"outcome_basis": basis} if basis else {}
    by_year = custom.build(spec(rows="kind"), **options)
    table = custom.build(spec(rows=rows), **options)
    cells = figures(table, "2017")
    total = cells.pop("total")
    assert total == figures(by_year, "2017")["total"]
    assert sum(cells.values()) == total
    if basis == CLOSED:
        assert total == 2
        october = "Q3" if rows == "quarter" else "2017-10"
        may = "Q1" if rows == "quarter" else "2017-05"
        assert cells[october] == 1 and cells[may] == 1


@pytest.mark.parametrize("basis", list(OUTCOME_BASES))
def test_every_dimension_on_every_basis_counts_each_case_at_least_once(cases, basis):
    """Each dimension, by rows and by columns, on each outcome basis: the table is made, and
    its rows add up to at least its total (several for a case with several categories), which
    is the number of cases the table by year counts."""
    cases["upheld"].closed_on = D(2017, 5, 5)
    cases["upheld"].save()
    cases["last_year"].closed_on = D(2017, 10, 20)
    cases["last_year"].save()
    by_year = custom.build(spec(rows="year", columns="kind"), outcome_basis=basis)
    total = by_year.row("total").cells["total"]
    assert total
    for dimension in custom.DIMENSIONS:
        if dimension == "year":
            continue
        table = custom.build(spec(rows=dimension), outcome_basis=basis)
        cells = figures(table, "2017")
        assert cells.pop("total") == total, dimension
        assert sum(cells.values()) >= total, dimension
        rows = "procedure" if dimension == "kind" else "kind"
        across = custom.build(spec(rows=rows, columns=dimension), outcome_basis=basis)
        assert across.row("total").cells["total"] == total, dimension


def test_a_date_range_inside_the_year_counts_only_the_cases_received_in_it(cases):
    table = custom.build(spec(date_from=D(2017, 6, 1), date_to=D(2018, 1, 31)))
    # received 3 July 2017 (complaint), 1 June 2017 (compliment), 15 January 2018 (complaint)
    assert figures(table, "2017") == {"complaint": 2, "compliment": 1, "total": 3}
    assert table.selection.endswith("from 1 June 2017 to 31 January 2018")
    with pytest.raises(ValidationError, match="on or after the date from"):
        spec(date_from=D(2018, 1, 1), date_to=D(2017, 1, 1))
    with pytest.raises(ValidationError, match="real date"):
        spec(date_from="2017-02-30")


def test_rows_by_columns_have_a_total_column(cases):
    table = custom.build(
        spec(rows="directorate", columns="procedure", filters={"kind": ["complaint"]})
    )
    keys = [c.key for c in table.columns]
    assert keys == ["label", Procedure.CHILDRENS_STATUTORY, Procedure.CORPORATE, "total"]
    assert table.column("total").total
    assert table.row("csc").cells == {
        Procedure.CHILDRENS_STATUTORY: 1,
        Procedure.CORPORATE: 1,
        "total": 2,
    }
    assert table.row("total").cells == {
        Procedure.CHILDRENS_STATUTORY: 2,
        Procedure.CORPORATE: 1,
        "total": 3,
    }


def test_filters_keep_only_the_chosen_values(cases):
    table = custom.build(
        spec(rows="team", filters={"kind": ["complaint"], "team": ["fostering", "send"]})
    )
    assert figures(table, "2017") == {"fostering": 1, "send": 1, "total": 2}
    assert table.selection.endswith("team: Fostering or SEND")


def test_parts_are_counted(cases):
    table = custom.build(spec(measure="parts", rows="team", filters={"kind": ["complaint"]}))
    assert figures(table, "2017") == {"fostering": 2, "mat": 1, "send": 0, "total": 3}


# Ratios, times and costs ------------------------------------------------------------------------


def test_percent_upheld_is_of_the_complaints_counted_by_their_one_outcome(cases):
    table = custom.build(spec(measure="pct_upheld", rows="team", filters={"kind": ["complaint"]}))
    assert figures(table, "2017.base") == {"fostering": 1, "mat": 1, "send": 1, "total": 3}
    # the latest outcome: the escalated complaint's Stage 2 upheld it in May 2018
    assert figures(table, "2017.hits") == {"fostering": 1, "mat": 1, "send": 0, "total": 2}
    assert figures(table, "2017") == {"fostering": 100, "mat": 100, "send": 0, "total": 67}
    column = table.column("2017")
    assert (column.kind, column.source) == ("percent", "2017.hits")
    assert column.of.startswith("of the complaints counted")
    assert table.row("total").label == "All"
    at_year_end = custom.build(
        spec(measure="pct_upheld", rows="team", filters={"kind": ["complaint"]}),
        outcome_basis=YEAR_END,
    )
    assert figures(at_year_end, "2017.hits") == {"fostering": 1, "mat": 0, "send": 0, "total": 1}


def test_percent_within_timescale_is_of_stage_responses(cases):
    table = custom.build(
        spec(measure="pct_within_timescale", rows="procedure"), outcome_basis=YEAR_END
    )
    assert figures(table, "2017.base") == {
        Procedure.CHILDRENS_STATUTORY: 1,
        Procedure.CORPORATE: 1,
        "total": 2,
    }
    assert figures(table, "2017") == {
        Procedure.CHILDRENS_STATUTORY: 100,
        Procedure.CORPORATE: 0,
        "total": 50,
    }


def test_median_working_days_from_request_to_response(cases):
    calendar = council_calendar()
    first = calendar.working_days_between(D(2017, 4, 10), D(2017, 5, 5))
    second = calendar.working_days_between(D(2017, 7, 3), D(2017, 8, 30))
    table = custom.build(
        spec(measure="median_working_days", rows="kind", filters={"kind": ["complaint"]}),
        outcome_basis=YEAR_END,
    )
    assert figures(table, "2017") == {
        "complaint": (first + second) / 2,
        "total": (first + second) / 2,
    }
    assert table.column("2017").kind == "days"
    assert table.column("2017").source == "2017.base"


def test_cost_adds_investigators_and_independent_peoples_fees(cases):
    table = custom.build(spec(measure="cost", rows="team", filters={"kind": ["complaint"]}))
    assert figures(table, "2017") == {"fostering": 0.0, "mat": 1250.5, "send": 0.0, "total": 1250.5}
    assert figures(table, "2017.base") == {"fostering": 0, "mat": 1, "send": 0, "total": 1}
    assert table.column("2017").kind == "money"


# Years --------------------------------------------------------------------------------------


def test_previous_years_are_shown_beside_the_year(cases):
    table = custom.build(spec(years_back=1, filters={"kind": ["complaint"]}))
    assert [c.key for c in table.columns] == ["label", "2016", "2017"]
    assert table.row("complaint").cells == {"2016": 1, "2017": 3}
    assert table.selection.startswith("Cases received in each year from 2016-17 to 2017-18")


def test_percentages_of_earlier_years_are_as_at_their_own_year_end(cases):
    table = custom.build(
        spec(measure="pct_upheld", rows="kind", years_back=1), outcome_basis=YEAR_END
    )
    assert table.row("complaint").cells["2016"] == 100  # partially upheld in June 2016
    assert table.row("complaint").cells["2017"] == 33  # 1 of 3


def test_years_can_be_the_rows(cases):
    table = custom.build(spec(rows="year", columns="kind", years_back=2))
    assert [row.key for row in table.rows] == ["2015", "2016", "2017", "total"]
    assert table.row("2016").cells == {"complaint": 1, "compliment": 0, "total": 1}
    assert table.row("2017").cells == {"complaint": 3, "compliment": 1, "total": 4}


def test_four_years_back_loads_more_than_the_reports_window(cases, areas):
    complaint(D(2013, 9, 1), areas["mat"])
    table = custom.build(spec(years_back=4, filters={"kind": ["complaint"]}))
    assert [c.key for c in table.columns][1:] == ["2013", "2014", "2015", "2016", "2017"]
    assert table.row("complaint").cells == {"2013": 1, "2014": 0, "2015": 0, "2016": 1, "2017": 3}


def test_a_reports_context_is_used_when_given(cases):
    ctx = annual.make_context(YEAR)
    given = custom.build(spec(rows="team"), ctx)
    assert given == custom.build(spec(rows="team"))


# The definition, the form and the JSON ----------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"measure": None}, "Choose what to count"),
        ({"name": "x" * 201}, "Enter a name of 200 characters or fewer"),
        ({"measure": "complaints"}, "Choose what to count"),
        ({"rows": ""}, "Choose what each row of the table is"),
        ({"columns": "colour"}, "Choose what each column of the table is, or nothing"),
        ({"columns": "kind"}, "Choose something different for the rows and the columns"),
        ({"years_back": 5}, "Choose from 0 to 4 previous years"),
        ({"year": "last year"}, "Enter the year the reporting year starts in, like 2017"),
        ({"filters": {"colour": ["red"]}}, "You cannot filter by colour"),
        (
            {"rows": "team", "columns": "kind", "years_back": 1},
            "Previous years can only be shown when the rows or columns are years",
        ),
    ],
)
def test_invalid_specs_say_what_to_do(fields, message):
    with pytest.raises(ValidationError) as raised:
        spec(**fields)
    assert [error["msg"] for error in raised.value.errors()] == [message]


def test_a_spec_round_trips_through_the_saved_tables_json(db):
    from heard.reports.models import SavedTable

    original = spec(name="Complaints by team", rows="team", filters={"kind": ["complaint"]})
    saved = SavedTable.objects.create(name=original.name, spec=original.model_dump())
    saved.refresh_from_db()
    assert custom.TableSpec.model_validate(saved.spec) == original


def test_the_form_gets_every_measure_dimension_and_value(cases):
    assert set(custom.MEASURES) == {
        "cases", "parts", "pct_upheld", "pct_within_timescale", "median_working_days", "cost"
    }  # fmt: skip
    assert {"kind", "team", "category", "lgsco_decision", "quarter", "month", "year"} <= set(
        custom.DIMENSIONS
    )
    data = annual.make_context(YEAR).data
    teams = custom.choices_for("team", data)
    assert teams == [
        ("fostering", "Fostering"),
        ("mat", "MAT"),
        ("send", "SEND"),
        ("not-recorded", "Not recorded"),
    ]
    for dimension in custom.DIMENSIONS:
        assert custom.choices_for(dimension, data), dimension


def test_every_dimension_builds_a_table_whose_total_counts_every_case(cases):
    for dimension in custom.DIMENSIONS:
        table = custom.build(spec(rows=dimension if dimension != "kind" else "kind"))
        assert table.row("total").cells["2017" if dimension != "year" else "all"] == 4, dimension


def test_the_json_of_the_table_has_every_figure(cases):
    table = custom.build(
        spec(
            measure="pct_upheld", rows="team", columns="procedure", filters={"kind": ["complaint"]}
        )
    )
    document = json.loads(json.dumps(dataclasses.asdict(table)))
    assert document["selection"] == table.selection
    assert [c["key"] for c in document["columns"]] == [c.key for c in table.columns]
    for row, written in zip(table.rows, document["rows"], strict=True):
        assert written["key"] == row.key and written["label"] == row.label
        for column in table.columns[1:]:
            assert written["cells"][column.key] == row.cells[column.key]


def test_a_custom_table_can_be_suppressed_for_publication(cases):
    table = suppress_table(
        custom.build(spec(measure="pct_upheld", rows="team"), outcome_basis=YEAR_END), 5
    )
    assert table.cell("fostering", "2017.hits") == SUPPRESSED
    assert table.cell("fostering", "2017") == SUPPRESSED
    assert table.cell("mat", "2017.hits") == 0
