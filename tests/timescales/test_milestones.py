"""Every statutory clock beyond the stage response, by hand-checked example across bank
holidays and closure days, and by property: the request window, the Investigating Officer's
report and the adjudication (Stage 2), the panel, its report and the council's response
(Stage 3), and the council's own rule for extending corporate complaints."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heard.timescales import (
    ExtensionNotAllowed,
    ExtensionPolicy,
    WorkingCalendar,
    apply_policy,
    check_extension,
    compute_clock,
    milestone_dates,
    milestone_dues,
    request_deadline,
    rule_for,
    stage_response_due,
)

D = datetime.date
ENGLAND = WorkingCalendar("england-and-wales")
CHRISTMAS_CLOSURE = WorkingCalendar(
    "england-and-wales", closures=[D(2024, 12, 27), D(2024, 12, 30), D(2024, 12, 31)]
)
STAGE2 = rule_for("childrens_statutory", 2, D(2024, 1, 1))
STAGE3 = rule_for("childrens_statutory", 3, D(2024, 1, 1))


def dues(rule, calendar=ENGLAND, **events):
    return {m.key: m.due for m in milestone_dues(rule, calendar, **events)}


# --- The request window ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("calendar", "responded", "last_day", "why"),
    [
        (ENGLAND, D(2024, 12, 13), D(2025, 1, 15), "Christmas, Boxing Day and New Year's Day"),
        (
            CHRISTMAS_CLOSURE,
            D(2024, 12, 13),
            D(2025, 1, 20),
            "and the council's three closure days",
        ),
        (ENGLAND, D(2025, 4, 11), D(2025, 5, 14), "Good Friday, Easter Monday, 5 May 2025"),
        (ENGLAND, D(2023, 4, 21), D(2023, 5, 23), "1 May and the Coronation, 8 May 2023"),
    ],
)
def test_the_next_stage_may_be_asked_for_within_20_working_days(calendar, responded, last_day, why):
    assert request_deadline(STAGE2, calendar, responded) == last_day, why
    assert request_deadline(STAGE3, calendar, responded) == last_day, why


def test_corporate_stage_2_has_no_request_window():
    assert request_deadline(rule_for("corporate", 2, D(2026, 5, 1)), ENGLAND, D(2026, 5, 1)) is None


# --- Stage 2: the Investigating Officer's report and the adjudication ------------------------


def test_the_report_is_due_by_the_stage_limit_of_25_working_days():
    # Requested Monday 31 March 2025: Good Friday 18 April, Easter Monday 21 April and the
    # early May bank holiday (5 May) do not count, so day 25 is Thursday 8 May 2025.
    stage = compute_clock(STAGE2, ENGLAND, received_on=D(2025, 3, 31))
    assert stage.response_due == D(2025, 5, 8)
    found = dues(STAGE2, stage_limit=stage.response_due, requested_on=D(2025, 3, 31))
    assert found == {"io_report": D(2025, 5, 8), "adjudication": None}


def test_the_adjudication_is_due_20_working_days_after_the_report_within_the_limit():
    # Extended to 65 working days from Monday 31 March 2025: Friday 4 July 2025.
    limit = compute_clock(STAGE2, ENGLAND, received_on=D(2025, 3, 31), extended_to=65)
    assert limit.response_due == D(2025, 7, 4)
    # Report received Thursday 1 May 2025: 5 May and 26 May are bank holidays, so the 20th
    # working day after it is Monday 2 June 2025.
    found = dues(STAGE2, stage_limit=limit.response_due, report_on=D(2025, 5, 1))
    assert found["adjudication"] == D(2025, 6, 2)


def test_the_adjudication_is_never_due_after_the_stage_limit():
    # Report received Thursday 24 April 2025; 20 working days later is Friday 23 May, but the
    # 25-working-day limit is Thursday 8 May 2025, which comes first.
    found = dues(STAGE2, stage_limit=D(2025, 5, 8), report_on=D(2025, 4, 24))
    assert found["adjudication"] == D(2025, 5, 8)


def test_a_report_on_the_last_day_of_the_limit_is_answered_that_day():
    found = dues(STAGE2, stage_limit=D(2025, 5, 8), report_on=D(2025, 5, 8))
    assert found["adjudication"] == D(2025, 5, 8)


def test_a_report_after_the_limit_still_gives_the_council_its_20_working_days():
    found = milestone_dues(STAGE2, ENGLAND, stage_limit=D(2025, 5, 8), report_on=D(2025, 5, 9))
    adjudication = found[1]
    assert adjudication.due == D(2025, 6, 9)  # 26 May 2025 is a bank holiday
    assert "already late" in adjudication.steps[-1]


def test_a_stopped_stage_clock_has_no_report_due_date():
    found = milestone_dues(STAGE2, ENGLAND, stage_limit=None, report_on=None)
    assert [m.due for m in found] == [None, None]
    assert "stopped" in found[0].steps[0]


# --- Stage 3: the panel, its report and the council's response -------------------------------


def test_stage_3_panel_report_and_response_follow_each_other():
    # Requested Monday 1 December 2025: Christmas Day, Boxing Day and New Year's Day do not
    # count, so the panel is due on Thursday 15 January 2026.
    stage = compute_clock(STAGE3, ENGLAND, received_on=D(2025, 12, 1))
    assert stage.response_due == D(2026, 1, 15)
    found = dues(
        STAGE3,
        stage_limit=stage.response_due,
        requested_on=D(2025, 12, 1),
        panel_on=D(2026, 1, 14),
        report_on=D(2026, 1, 20),
    )
    assert found == {
        "panel": D(2026, 1, 15),
        "panel_report": D(2026, 1, 21),  # 5 working days after Wednesday 14 January
        "panel_response": D(2026, 2, 10),  # 15 working days after Tuesday 20 January
    }


def test_stage_3_dates_across_easter_and_the_may_bank_holidays():
    # Panel on Thursday 2 April 2026: Good Friday (3 April) and Easter Monday (6 April) do not
    # count, so the report is due Monday 13 April. Report received Friday 1 May 2026: 4 May and
    # 25 May are bank holidays, so the response is due Tuesday 26 May 2026.
    found = dues(STAGE3, stage_limit=D(2026, 4, 2), panel_on=D(2026, 4, 2), report_on=D(2026, 5, 1))
    assert found["panel_report"] == D(2026, 4, 13)
    assert found["panel_response"] == D(2026, 5, 26)


def test_stage_3_with_a_christmas_closure():
    # The panel on Friday 20 December 2024; with the council closed on 27, 30 and 31 December
    # the five working days are 23, 24 December, 2, 3 and 6 January.
    found = dues(STAGE3, CHRISTMAS_CLOSURE, stage_limit=None, panel_on=D(2024, 12, 20))
    assert found["panel_report"] == D(2025, 1, 6)
    assert dues(STAGE3, stage_limit=None, panel_on=D(2024, 12, 20))["panel_report"] == D(
        2024, 12, 31
    )


def test_the_stage_3_response_is_the_councils_response_to_the_panel():
    """Decision 0028: the Stage 3 response is due 15 working days after the panel's report;
    until the report (and the panel) have happened, counted from the dates they are due."""
    assert STAGE3.response_step == "panel_response"
    # Requested Monday 1 December 2025, the panel due Thursday 15 January 2026 (as above).
    panel_due = compute_clock(STAGE3, ENGLAND, received_on=D(2025, 12, 1)).response_due

    def due(**events):
        return stage_response_due(STAGE3, ENGLAND, first_step_due=panel_due, **events)

    # Nothing yet: the report is due 5 working days after the panel is due (Thursday 22
    # January), the response 15 after that: Thursday 12 February 2026.
    assert due() == D(2026, 2, 12)
    # The panel sat on Wednesday 14 January: the report is due Wednesday 21 January, the
    # response 15 working days later, Wednesday 11 February.
    assert due(panel_on=D(2026, 1, 14)) == D(2026, 2, 11)
    # The report arrived Tuesday 20 January: 15 working days after it, Tuesday 10 February,
    # exactly the "council's response" step's own date.
    assert due(panel_on=D(2026, 1, 14), report_on=D(2026, 1, 20)) == D(2026, 2, 10)
    assert stage_response_due(STAGE3, ENGLAND, first_step_due=None) is None  # clock stopped
    assert stage_response_due(STAGE2, ENGLAND, first_step_due=panel_due) is None


def test_milestone_dates_gives_names_and_dates():
    named = dict(milestone_dates(STAGE3, ENGLAND, {"requested": D(2025, 12, 1)}))
    assert named == {
        "Review panel": D(2026, 1, 15),
        "Panel's report": None,
        "Council's response to the panel": None,
    }


# --- Corporate extensions: a council setting -------------------------------------------------


def test_the_codes_extension_limits_are_the_default():
    stage1 = rule_for("corporate", 1, D(2026, 5, 1))
    assert apply_policy(stage1, ExtensionPolicy()) is stage1
    assert apply_policy(stage1, None).max_extended_to == 20


def test_a_council_may_allow_no_corporate_extension():
    stage1 = apply_policy(rule_for("corporate", 1, D(2026, 5, 1)), ExtensionPolicy("none"))
    with pytest.raises(ExtensionNotAllowed, match="cannot be extended"):
        check_extension(stage1, 15)


def test_a_council_may_set_its_own_corporate_limits():
    policy = ExtensionPolicy("own", stage1_max=30, stage2_max=None)
    stage1 = apply_policy(rule_for("corporate", 1, D(2026, 5, 1)), policy)
    check_extension(stage1, 30)
    with pytest.raises(ExtensionNotAllowed, match="at most 30 working days"):
        check_extension(stage1, 31)
    # No limit of its own for Stage 2: the Code's stays.
    assert apply_policy(rule_for("corporate", 2, D(2026, 5, 1)), policy).max_extended_to == 40


def test_the_councils_policy_never_changes_the_statutory_procedure():
    statutory = rule_for("childrens_statutory", 1, D(2026, 5, 1))
    assert apply_policy(statutory, ExtensionPolicy("none")) is statutory


# --- Properties ------------------------------------------------------------------------------

dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2039, 12, 31))
gaps = st.integers(min_value=0, max_value=120)
closure_sets = st.frozensets(dates, max_size=10)


def _stage2_dues(calendar, requested, report_gap, extended_to):
    limit = compute_clock(
        STAGE2, calendar, received_on=requested, extended_to=extended_to
    ).response_due
    report = requested + datetime.timedelta(days=report_gap)
    return limit, report, dues(STAGE2, calendar, stage_limit=limit, report_on=report)


@settings(max_examples=100, deadline=None)
@given(dates, gaps, st.sampled_from([None, 30, 65]), closure_sets)
def test_every_stage_2_due_date_is_a_working_day_on_or_after_its_start(
    requested, report_gap, extended_to, closures
):
    calendar = WorkingCalendar("england-and-wales", closures=closures)
    limit, report, found = _stage2_dues(calendar, requested, report_gap, extended_to)
    assert calendar.is_working_day(found["io_report"])
    assert found["io_report"] > requested
    assert calendar.is_working_day(found["adjudication"])
    assert found["adjudication"] >= report  # due the same day when the report comes at the limit
    if report < limit:
        assert report < found["adjudication"] <= limit
    else:
        assert found["adjudication"] == calendar.add_working_days(report, 20) or report == limit


@settings(max_examples=200, deadline=None)
@given(dates, gaps, gaps)
def test_a_later_report_never_brings_the_adjudication_forward(requested, a, b):
    early, late = sorted((a, b))
    _, _, first = _stage2_dues(ENGLAND, requested, early, 65)
    _, _, second = _stage2_dues(ENGLAND, requested, late, 65)
    assert first["adjudication"] <= second["adjudication"]


@settings(max_examples=60, deadline=None)
@given(dates, dates, closure_sets)
def test_a_later_request_never_brings_the_stage_2_dates_forward(a, b, closures):
    calendar = WorkingCalendar("england-and-wales", closures=closures)
    early, late = sorted((a, b))
    first = _stage2_dues(calendar, early, 0, None)[2]
    second = _stage2_dues(calendar, late, 0, None)[2]
    assert first["io_report"] <= second["io_report"]


@settings(max_examples=100, deadline=None)
@given(dates, st.integers(min_value=0, max_value=40), gaps, closure_sets)
def test_every_stage_3_due_date_is_a_working_day_on_or_after_its_start(
    requested, panel_gap, report_gap, closures
):
    calendar = WorkingCalendar("england-and-wales", closures=closures)
    limit = compute_clock(STAGE3, calendar, received_on=requested).response_due
    panel = requested + datetime.timedelta(days=panel_gap)
    report = panel + datetime.timedelta(days=report_gap)
    found = dues(
        STAGE3, calendar, stage_limit=limit, requested_on=requested, panel_on=panel,
        report_on=report,
    )  # fmt: skip
    assert found["panel"] == limit and calendar.is_working_day(limit) and limit > requested
    for key, start in (("panel_report", panel), ("panel_response", report)):
        assert calendar.is_working_day(found[key])
        assert found[key] > start


@settings(max_examples=200, deadline=None)
@given(dates, dates)
def test_stage_3_dates_are_monotone_in_their_start(a, b):
    early, late = sorted((a, b))
    first = dues(STAGE3, stage_limit=None, panel_on=early, report_on=early)
    second = dues(STAGE3, stage_limit=None, panel_on=late, report_on=late)
    assert first["panel_report"] <= second["panel_report"]
    assert first["panel_response"] <= second["panel_response"]


@settings(max_examples=60, deadline=None)
@given(dates, dates, closure_sets)
def test_the_request_window_ends_on_a_working_day_and_moves_with_the_response(a, b, closures):
    calendar = WorkingCalendar("england-and-wales", closures=closures)
    early, late = sorted((a, b))
    first = request_deadline(STAGE2, calendar, early)
    second = request_deadline(STAGE2, calendar, late)
    assert calendar.is_working_day(first) and first > early
    assert first <= second
    assert calendar.working_days_between(early, first) == 20
