"""Any text in the three boxes of a date gives a date or a specific error, never an exception
(issue 16: a huge day number raised OverflowError)."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heard.core.forms import GovukDateField, GovukForm


class DateForm(GovukForm):
    on = GovukDateField(label="Date", label_lower="the date")


parts = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["", "0", "00", "31", "99", "²", "١٢", "９", " 7 ", "+5", "-1", "1e3"]),
)


@settings(max_examples=300, deadline=None)
@given(day=parts, month=parts, year=parts)
def test_any_three_boxes_give_a_date_or_a_plain_error(day, month, year):
    form = DateForm({"on_0": day, "on_1": month, "on_2": year})
    if form.is_valid():
        assert isinstance(form.cleaned_data["on"], datetime.date)
        assert 1900 <= form.cleaned_data["on"].year <= 2100
    else:
        for message in form.errors["on"]:
            assert message.startswith(
                ("The date", "Enter the date", "Year must", "Null characters are not allowed")
            ), message


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("99999999999999999999", "1", "2024", "The date must be a real date"),
        ("1", "99999999999999999999", "2024", "The date must be a real date"),
        ("1", "1", "9999", "The date must be between 1900 and 2100"),
        ("²", "1", "2024", "The date must be a real date"),
        (" ", " ", " ", "Enter the date"),
    ],
)
def test_numbers_no_date_can_have_are_refused_plainly(day, month, year, message):
    form = DateForm({"on_0": day, "on_1": month, "on_2": year})
    assert form.errors["on"] == [message]
