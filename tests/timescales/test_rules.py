"""Each timescale rule, by worked example, through the clock that real cases use."""

import datetime

import pytest

from heard.timescales import (
    RULES,
    ExtensionNotAllowed,
    UnknownRule,
    WorkingCalendar,
    compute_clock,
    request_deadline,
    rule_for,
)

D = datetime.date
ENGLAND = WorkingCalendar("england-and-wales")


def clock(procedure, stage, received, **events):
    rule = rule_for(procedure, stage, received)
    return compute_clock(rule, ENGLAND, received_on=received, **events)


def test_every_rule_names_its_source():
    assert all(len(rule.source) > 40 for rule in RULES)


def test_childrens_stage_1_is_10_working_days_extendable_to_20():
    c = clock("childrens_statutory", 1, D(2022, 9, 16))
    assert c.response_due == D(2022, 10, 3)  # past the Queen's funeral
    assert c.acknowledgement_due == D(2022, 9, 26)
    assert clock("childrens_statutory", 1, D(2022, 9, 16), extended_to=20).response_due == D(
        2022, 10, 17
    )
    with pytest.raises(ExtensionNotAllowed) as refused:
        clock("childrens_statutory", 1, D(2022, 9, 16), extended_to=21)
    assert str(refused.value) == (
        "Stage 1: local resolution can be extended to at most 20 working days in all; "
        "21 is more than the rule allows."
    )


def test_childrens_stage_2_is_25_working_days_from_the_request_extendable_to_65():
    received, requested = D(2024, 1, 8), D(2024, 3, 4)
    assert clock(
        "childrens_statutory", 2, received, requested_on=requested
    ).response_due == ENGLAND.add_working_days(requested, 25)
    # 25 working days from Monday 4 March 2024, past Easter (29 March and 1 April).
    assert clock("childrens_statutory", 2, received, requested_on=requested).response_due == D(
        2024, 4, 10
    )
    assert clock(
        "childrens_statutory", 2, received, requested_on=requested, extended_to=65
    ).response_due == ENGLAND.add_working_days(requested, 65)
    with pytest.raises(ExtensionNotAllowed, match="at most 65 working days"):
        clock("childrens_statutory", 2, received, requested_on=requested, extended_to=66)


def test_the_council_may_start_stage_2_on_agreement_of_the_statement_of_complaint():
    requested, agreed = D(2024, 3, 4), D(2024, 3, 15)
    by_agreement = clock(
        "childrens_statutory",
        2,
        requested,
        requested_on=requested,
        statement_agreed_on=agreed,
        stage2_clock_start="statement_agreed",
    )
    assert by_agreement.starts_on == agreed
    assert by_agreement.response_due == ENGLAND.add_working_days(agreed, 25)
    waiting = clock(
        "childrens_statutory", 2, requested, requested_on=requested,
        stage2_clock_start="statement_agreed",
    )  # fmt: skip
    assert waiting.response_due is None
    assert "statement of complaint is agreed" in waiting.steps[-1]


def test_stage_2_and_3_must_be_asked_for_within_20_working_days():
    stage2 = rule_for("childrens_statutory", 2, D(2024, 1, 1))
    stage3 = rule_for("childrens_statutory", 3, D(2024, 1, 1))
    assert request_deadline(stage2, ENGLAND, D(2024, 3, 20)) == D(2024, 4, 19)
    assert request_deadline(stage3, ENGLAND, D(2024, 3, 20)) == D(2024, 4, 19)


def test_complaints_are_normally_made_within_a_year():
    assert rule_for("childrens_statutory", 1, D(2024, 1, 1)).made_within_months == 12


def test_corporate_complaints_before_the_code_follow_local_policy():
    c = clock("corporate", 1, D(2026, 3, 2))
    assert c.rule.effective_to == D(2026, 3, 31)
    assert c.response_due == ENGLAND.add_working_days(D(2026, 3, 2), 20)


def test_corporate_stage_1_under_the_code_runs_from_acknowledgement():
    # Received Wednesday 1 April 2026, the day the Code took effect; Easter is 3 to 6 April.
    c = clock("corporate", 1, D(2026, 4, 1))
    assert c.rule.effective_from == D(2026, 4, 1)
    assert c.acknowledgement_due == D(2026, 4, 10)
    assert c.response_due == ENGLAND.add_working_days(D(2026, 4, 10), 10)
    acknowledged = clock("corporate", 1, D(2026, 4, 1), acknowledged_on=D(2026, 4, 2))
    assert acknowledged.response_due == D(2026, 4, 20)
    with pytest.raises(ExtensionNotAllowed, match="at most 20 working days"):
        clock("corporate", 1, D(2026, 4, 1), acknowledged_on=D(2026, 4, 2), extended_to=21)


def test_corporate_stage_2_under_the_code():
    c = clock(
        "corporate", 2, D(2026, 5, 1), requested_on=D(2026, 6, 1), acknowledged_on=D(2026, 6, 3)
    )
    assert c.acknowledgement_due == D(2026, 6, 8)
    assert c.response_due == ENGLAND.add_working_days(D(2026, 6, 3), 20)
    assert "Complaint Handling Code" in c.rule.source


def test_adult_social_care_agrees_the_period_and_owes_an_explanation_at_six_months():
    c = clock("adult_social_care", 1, D(2025, 2, 3))
    assert c.acknowledgement_due == D(2025, 2, 6)
    assert c.response_due is None
    assert c.explanation_due == D(2025, 8, 3)
    agreed = clock("adult_social_care", 1, D(2025, 2, 3), extended_to=30)
    assert agreed.response_due == ENGLAND.add_working_days(D(2025, 2, 3), 30)


def test_a_subject_access_request_has_a_calendar_month_extendable_by_two():
    assert clock("sar", 1, D(2024, 1, 31)).response_due == D(2024, 2, 29)
    assert clock("sar", 1, D(2024, 1, 31), extended_to=3).response_due == D(2024, 4, 30)
    with pytest.raises(ExtensionNotAllowed, match="at most 3 calendar months"):
        clock("sar", 1, D(2024, 1, 31), extended_to=4)


def test_a_subject_access_clock_starts_when_identification_arrives():
    c = clock("sar", 1, D(2024, 1, 10), identification_received_on=D(2024, 1, 20))
    assert c.starts_on == D(2024, 1, 20)
    assert c.response_due == D(2024, 2, 20)


def test_a_subject_access_clock_stops_while_waiting_for_clarification():
    # Due Saturday 10 February, so Monday 12th; ten days waiting move the date to the 20th.
    c = clock("sar", 1, D(2024, 1, 10), suspensions=[(D(2024, 1, 15), D(2024, 1, 25))])
    assert c.response_due == D(2024, 2, 20)
    assert c.days_suspended == 10


def test_foi_is_the_20th_working_day_counting_bank_holidays_anywhere_in_the_uk():
    # St Patrick's Day (Monday 17 March 2025) is a bank holiday in Northern Ireland only.
    c = clock("foi", 1, D(2025, 3, 14))
    assert c.response_due == D(2025, 4, 14)
    assert c.response_due == ENGLAND.add_working_days(D(2025, 3, 14), 21)
    # Council closure days are not bank holidays: FOI ignores them.
    closed = WorkingCalendar("england-and-wales", closures=[D(2025, 3, 20)])
    rule = rule_for("foi", 1, D(2025, 3, 14))
    assert compute_clock(rule, closed, received_on=D(2025, 3, 14)).response_due == D(2025, 4, 14)
    # Easter Monday and the early May bank holiday fall in the extension.
    assert clock("foi", 1, D(2025, 3, 14), extended_to=40).response_due == D(2025, 5, 15)


def test_eir_is_20_working_days_extendable_to_40():
    assert clock("eir", 1, D(2024, 6, 3)).response_due == D(2024, 7, 1)
    with pytest.raises(ExtensionNotAllowed):
        clock("eir", 1, D(2024, 6, 3), extended_to=41)


def test_a_stage_with_no_extension_refuses_one_plainly():
    with pytest.raises(ExtensionNotAllowed, match="cannot be extended"):
        clock("childrens_statutory", 3, D(2024, 1, 1), requested_on=D(2024, 6, 3), extended_to=40)


def test_a_procedure_without_that_stage_is_refused_plainly():
    with pytest.raises(UnknownRule, match="no timescale for stage 3 of the corporate procedure"):
        rule_for("corporate", 3, D(2024, 1, 1))


def test_a_suspension_stops_and_restarts_the_clock():
    received = D(2024, 3, 4)
    assert clock("childrens_statutory", 1, received).response_due == D(2024, 3, 18)
    stopped = clock("childrens_statutory", 1, received, suspensions=[(D(2024, 3, 8), None)])
    assert stopped.paused and stopped.response_due is None
    assert stopped.acknowledgement_due == D(2024, 3, 11), "the acknowledgement is still owed"
    restarted = clock(
        "childrens_statutory", 1, received, suspensions=[(D(2024, 3, 8), D(2024, 3, 13))]
    )
    assert restarted.response_due == D(2024, 3, 21)
    assert restarted.days_suspended == 3


def test_a_suspension_after_the_due_date_does_not_move_it():
    late = clock(
        "childrens_statutory", 1, D(2024, 3, 4), suspensions=[(D(2024, 3, 25), D(2024, 4, 5))]
    )
    assert late.response_due == D(2024, 3, 18)
