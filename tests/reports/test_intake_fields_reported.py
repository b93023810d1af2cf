"""What the fields recorded at intake become in reports: the staff complained about never
appear in any report; equality monitoring answers appear only as counts, small ones hidden
for every reader."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command

from heard.cases.choices import Kind
from heard.reports import annual
from heard.reports.document import SUPPRESSED
from heard.reports.suppression import threshold_setting
from tests.factories import CaseFactory
from tests.full_cases import SHAPES, STAFF_COMPLAINED_ABOUT_NAME, full_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2024, 11, 20, 12, tzinfo=datetime.UTC), tick=False):
        yield


def _report(*args) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_the_staff_complained_about_are_in_no_report(tmp_path):
    cases = [full_case(*shape) for shape in SHAPES]
    user = cases[0].staff_complained_about.get()
    assert STAFF_COMPLAINED_ABOUT_NAME in cases[0].staff_complained_about_names
    secret = (STAFF_COMPLAINED_ABOUT_NAME, "Staffordshire", user.last_name, user.username)
    # The cases were received in the reporting year 2023 (April 2023 to March 2024).
    texts = {
        "annual": _report("annual", "--year", "2023", "--format", "json"),
        "annual published": _report(
            "annual", "--year", "2023", "--format", "json", "--publication"
        ),
        "annual html": _report("annual", "--year", "2023", "--format", "html"),
        "scrutiny": _report("scrutiny", "--year", "2023", "--format", "json"),
        "lgsco": _report("lgsco", "--year", "2023", "--format", "json"),
        "management": _report(
            "management", "--period", "quarter", "--on", "2024-03-04", "--format", "json"
        ),
    }
    assert '"complainants.equality"' in texts["annual"]  # the report did read these cases
    for name, text in texts.items():
        for value in secret:
            assert value not in text, (name, value)


def _equality_table(year=2017, **kwargs):
    return annual.build(year, **kwargs).table("complainants.equality")


def test_equality_answers_are_counted_with_small_numbers_hidden_even_for_staff():
    limit = threshold_setting()
    big = limit * 2
    for day in range(big):
        CaseFactory(received_on=datetime.date(2017, 6, 1 + day % 28), equality_sex="female")
    for day in range(big):
        CaseFactory(received_on=datetime.date(2017, 7, 1 + day % 28), equality_sex="male")
    CaseFactory(received_on=datetime.date(2017, 8, 1), equality_sex="prefer-not-to-say")
    CaseFactory(kind=Kind.COMPLIMENT, procedure="", received_on=datetime.date(2017, 8, 2))
    table = _equality_table()
    cells = {row.key: row.cells["count"] for row in table.rows}
    assert cells["equality_sex.total"] == 2 * big + 1
    assert cells["equality_sex.prefer-not-to-say"] == SUPPRESSED
    # One hidden count in a column with a total would be worked out: another is hidden too.
    assert [cells["equality_sex.female"], cells["equality_sex.male"]].count(SUPPRESSED) == 1
    assert cells["equality_sex.none"] == 0
    # Every other question was not answered by anyone: all in "Not answered".
    assert cells["equality_ethnicity.none"] == 2 * big + 1
    for row in table.rows:
        value = row.cells["count"]
        assert not (isinstance(value, int) and 1 <= value <= limit), row.key
    assert _equality_table(publication=True).rows == table.rows
