"""The working-day calendar: worked examples, and properties checked against a naive oracle
that walks day by day over the ``holidays`` package's own data."""

import datetime

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heard.timescales import OutOfRange, WorkingCalendar, add_calendar_months

D = datetime.date
ENGLAND = WorkingCalendar("england-and-wales")
CHRISTMAS_CLOSURE = WorkingCalendar(
    "england-and-wales", closures=[D(2025, 12, 29), D(2025, 12, 30), D(2025, 12, 31)]
)


@pytest.mark.parametrize(
    ("start", "days", "due", "why"),
    [
        (D(2022, 9, 16), 10, D(2022, 10, 3), "the Queen's funeral, Monday 19 September 2022"),
        (D(2022, 6, 1), 5, D(2022, 6, 10), "the Platinum Jubilee, 2 and 3 June 2022"),
        (D(2023, 5, 5), 1, D(2023, 5, 9), "the Coronation, Monday 8 May 2023"),
        (D(2024, 3, 28), 1, D(2024, 4, 2), "Good Friday and Easter Monday 2024"),
        (D(2020, 12, 24), 1, D(2020, 12, 29), "Boxing Day 2020 on a Saturday, moved to Monday"),
        (D(2021, 12, 24), 1, D(2021, 12, 29), "Christmas 2021 on a weekend: 27 and 28 off"),
        (D(2024, 1, 6), 10, D(2024, 1, 19), "received on a Saturday: day 1 is Monday"),
        (D(2024, 1, 5), 10, D(2024, 1, 19), "the same as received on the Friday before"),
        (D(2024, 12, 31), 1, D(2025, 1, 2), "New Year's Day"),
        (D(2024, 5, 27), 0, D(2024, 5, 27), "0 days is the start date itself, holiday or not"),
    ],
)
def test_worked_examples_in_england(start, days, due, why):
    assert ENGLAND.add_working_days(start, days) == due, why
    if days:
        assert ENGLAND.working_days_between(start, due) == days


def test_the_christmas_closure_is_not_counted():
    assert ENGLAND.add_working_days(D(2025, 12, 24), 1) == D(2025, 12, 29)
    assert CHRISTMAS_CLOSURE.add_working_days(D(2025, 12, 24), 1) == D(2026, 1, 2)
    assert CHRISTMAS_CLOSURE.reason_not_working(D(2025, 12, 30)) == "Council closure day"


@pytest.mark.parametrize(
    ("region", "start", "due"),
    [
        ("england-and-wales", D(2026, 11, 27), D(2026, 11, 30)),
        ("scotland", D(2026, 11, 27), D(2026, 12, 1)),  # St Andrew's Day, Monday 30 November
        ("england-and-wales", D(2025, 3, 14), D(2025, 3, 17)),
        ("northern-ireland", D(2025, 3, 14), D(2025, 3, 18)),  # St Patrick's Day
        ("scotland", D(2025, 8, 1), D(2025, 8, 5)),  # Scotland's summer holiday, 4 August
        ("england-and-wales", D(2025, 8, 22), D(2025, 8, 26)),  # late summer, 25 August
        ("scotland", D(2025, 8, 22), D(2025, 8, 25)),
        ("scotland", D(2025, 12, 31), D(2026, 1, 5)),  # 1 and 2 January
        ("united-kingdom", D(2025, 3, 14), D(2025, 3, 18)),  # any part of the UK
    ],
)
def test_each_region_has_its_own_bank_holidays(region, start, due):
    assert WorkingCalendar(region).add_working_days(start, 1) == due


def test_it_explains_why_a_day_does_not_count():
    assert ENGLAND.reason_not_working(D(2022, 9, 19)).startswith("State Funeral")
    assert ENGLAND.reason_not_working(D(2024, 3, 30)) == "Saturday"
    assert ENGLAND.reason_not_working(D(2024, 3, 27)) is None


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (D(2024, 1, 31), D(2024, 2, 29)),  # leap year: the last day of the shorter month
        (D(2025, 1, 31), D(2025, 2, 28)),
        (D(2024, 9, 3), D(2024, 10, 3)),  # the ICO's own example: same date next month
        (D(2024, 4, 26), D(2024, 5, 28)),  # 26 May is a Sunday and 27 May a bank holiday
        (D(2024, 8, 31), D(2024, 9, 30)),
        (D(2024, 11, 30), D(2024, 12, 30)),
    ],
)
def test_calendar_months_are_counted_the_way_the_ico_counts_them(start, due):
    assert ENGLAND.add_months(start, 1) == due


def test_dates_outside_the_supported_years_are_refused_plainly():
    with pytest.raises(OutOfRange, match="outside the years Heard can count"):
        ENGLAND.add_working_days(D(1900, 1, 1), 5)


def test_an_unknown_region_is_refused_plainly():
    with pytest.raises(ValueError, match="choose one of england-and-wales"):
        WorkingCalendar("wessex")


# --- Properties ------------------------------------------------------------------------------

_ORACLE_HOLIDAYS = holidays.UK(subdiv="ENG", years=range(1999, 2042))
dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2039, 12, 31))
days = st.integers(min_value=0, max_value=300)
closure_sets = st.frozensets(dates, max_size=15)


def _oracle_add(start, n, closures=frozenset()):
    day = start
    while n:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in _ORACLE_HOLIDAYS and day not in closures:
            n -= 1
    return day


@settings(max_examples=300, deadline=None)
@given(dates, days)
def test_adding_matches_a_day_by_day_count(start, n):
    assert ENGLAND.add_working_days(start, n) == _oracle_add(start, n)


@settings(max_examples=100, deadline=None)
@given(dates, days, closure_sets)
def test_closure_days_are_skipped_like_holidays(start, n, closures):
    calendar = WorkingCalendar("england-and-wales", closures=closures)
    assert calendar.add_working_days(start, n) == _oracle_add(start, n, closures)


@given(dates, days)
def test_adding_then_counting_round_trips(start, n):
    assert ENGLAND.working_days_between(start, ENGLAND.add_working_days(start, n)) == n


@given(dates, st.integers(min_value=1, max_value=300))
def test_a_due_date_is_never_a_non_working_day(start, n):
    due = ENGLAND.add_working_days(start, n)
    assert ENGLAND.is_working_day(due)
    assert ENGLAND.reason_not_working(due) is None


@given(dates, days, days)
def test_more_days_never_give_an_earlier_date(start, a, b):
    low, high = sorted((a, b))
    assert ENGLAND.add_working_days(start, low) <= ENGLAND.add_working_days(start, high)
    if low < high:
        assert ENGLAND.add_working_days(start, low) < ENGLAND.add_working_days(start, high)


@given(dates, dates)
def test_a_later_start_never_gives_an_earlier_due_date(a, b):
    early, late = sorted((a, b))
    assert ENGLAND.add_working_days(early, 10) <= ENGLAND.add_working_days(late, 10)


@given(dates, st.integers(min_value=0, max_value=36))
def test_months_land_on_a_working_day_on_or_after_the_calendar_date(start, n):
    due = ENGLAND.add_months(start, n)
    same_date = add_calendar_months(start, n)
    assert due >= same_date
    assert ENGLAND.is_working_day(due) or n == 0 and due == start
    assert (due - same_date).days <= 7  # never more than a long holiday weekend away


@given(dates, days)
def test_bulk_adding_agrees_with_one_at_a_time(start, n):
    assert ENGLAND.add_working_days_many([(start, n)]) == [ENGLAND.add_working_days(start, n)]
