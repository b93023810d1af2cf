"""Every tracker (the case list, overdue, due soon …) costs the same few queries however many
cases it lists, for whoever looks, and reads only the columns it shows: never a case's free
text (what happened, addresses), which is most of a case's bytes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from heard.cases.choices import Kind, Status
from heard.cases.trackers import VIEWS
from tests.factories import CaseFactory, ServiceAreaFactory, term

pytestmark = pytest.mark.django_db
FREE_TEXT = ("summary", "desired_outcome", "complainant_address", "triage_reason", "quote")


def _cases(count, people):
    """Cases that every tracker lists some of, each with a team, a channel and an officer."""
    long_ago = datetime.date(2023, 1, 9)
    team = ServiceAreaFactory()
    channel = term("channel", "email")
    for n in range(count):
        CaseFactory(
            kind=Kind.COMPLAINT,
            status=Status.NEW if n % 3 == 0 else Status.OPEN,
            received_on=long_ago,
            stage_number=1,
            stage_response_due=long_ago + datetime.timedelta(days=20),
            next_due_on=long_ago + datetime.timedelta(days=20),  # overdue
            next_due_label="Stage 1 response",
            needs_learning=n % 2 == 0,
            service_area=team,
            channel=channel,
            allocated_to=people["officer"] if n % 2 else people["responding_manager"],
        )


def _count(client, view):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("cases:list"), {"view": view})
    assert response.status_code == 200
    return captured.captured_queries


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("who", ["manager", "officer", "responding_manager"])
def test_a_tracker_costs_the_same_few_queries_for_3_cases_or_40(client_for, personas, who, view):
    client = client_for(who)
    _cases(3, personas)
    few = _count(client, view)
    # 14, and one more for a role that signs in with a second factor: django-otp reads the
    # session's device on every request, so that an administrator's reset takes effect at once.
    bound = 15 if who == "manager" else 14
    assert len(few) <= bound, [q["sql"][:120] for q in few]
    _cases(37, personas)
    many = _count(client, view)
    assert len(many) <= len(few), [q["sql"][:120] for q in many[len(few) :]]


def test_the_overdue_tracker_reads_only_the_columns_it_shows(client_for, personas):
    _cases(5, personas)
    queries = _count(client_for("manager"), "overdue")
    listing = [q["sql"] for q in queries if '"cases_case"."reference"' in q["sql"]]
    assert listing, "the list's query is there to look at"
    for sql in listing:
        for column in FREE_TEXT:
            assert f'"cases_case"."{column}"' not in sql, column
    # The filters' choices: names only, never a password hash (the signed-in user's own row,
    # read by the sign-in machinery, is the one query that has it).
    with_passwords = [q for q in queries if '"accounts_user"."password"' in q["sql"]]
    assert len(with_passwords) <= 1, with_passwords
