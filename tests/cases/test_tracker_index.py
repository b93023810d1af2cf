"""The "team and stage" tracker is served by an index, never by reading every case (issue 18).

The planner is asked how it would run the tracker's query with full-table reads priced out
(PostgreSQL: ``enable_seqscan = off``; SQLite's planner always prefers an index it can use),
so the test holds with a handful of cases as it would with 100,000: if no index can serve the
filter, the plan still reads the whole table, and the test fails.
"""

import datetime
import json

import pytest
from django.db import connection, transaction

from heard.cases.trackers import tracker
from heard.deadlines.calendar import council_calendar
from tests.factories import CaseFactory, ServiceAreaFactory

pytestmark = pytest.mark.django_db


def _plan(queryset, *, bitmaps_only: bool = False) -> str:
    """``bitmaps_only``: PostgreSQL may read an index only to collect rows (a bitmap scan), so
    that with a few dozen rows it cannot walk a whole index in order instead of searching it,
    as it never would with thousands."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Statistics of the cases as they are in this test (inside its transaction, so
                # rolled back with it): otherwise PostgreSQL plans with whatever an earlier
                # test's rows left in its statistics, and with a table it believes tiny any
                # index will do.
                cursor.execute("ANALYZE cases_case")
                cursor.execute("SET LOCAL enable_seqscan = off")
                if bitmaps_only:
                    cursor.execute("SET LOCAL enable_indexscan = off")
                    cursor.execute("SET LOCAL enable_indexonlyscan = off")
            return queryset.explain(format="json")
        return queryset.explain()


def _case_table_reads(plan: str) -> list[dict]:
    """PostgreSQL: each node of the plan that reads cases_case."""
    found = []

    def walk(node):
        if node.get("Relation Name") == "cases_case":
            found.append(node)
        for child in node.get("Plans", []):
            walk(child)

    walk(json.loads(plan)[0]["Plan"])
    return found


def _index_conditions(node: dict) -> str:
    """What an index scan of cases looks up: its own condition, or for a bitmap scan the
    conditions of the index scans it combines."""
    if node["Node Type"] == "Bitmap Heap Scan":
        found = []

        def walk(child):
            if child["Node Type"] == "Bitmap Index Scan":
                found.append(child.get("Index Cond", ""))
            elif child["Node Type"] in {"BitmapAnd", "BitmapOr"}:
                for inner in child.get("Plans", []):
                    walk(inner)

        for child in node.get("Plans", []):
            walk(child)
        return " ".join(found)
    return node.get("Index Cond", "")


def _assert_cases_searched_by(plan: str, *columns: str) -> None:
    """PostgreSQL: every read of cases looks them up through an index on one of ``columns``,
    never every case (a sequential scan, or a walk of a whole index with the filter applied
    to each row)."""
    reads = _case_table_reads(plan)
    assert reads, plan
    for node in reads:
        condition = _index_conditions(node)
        assert node["Node Type"] != "Seq Scan", plan
        assert any(column in condition for column in columns), plan


@pytest.mark.parametrize("level", ["team", "service"])
def test_the_team_and_stage_tracker_reads_cases_through_an_index(personas, level):
    service = ServiceAreaFactory(level="service")
    team = ServiceAreaFactory(level="team", parent=service)
    for number in (1, 2):
        CaseFactory(service_area=team, stage_number=number)
    # Other teams' cases, so that the statistics show a filter worth an index.
    other = ServiceAreaFactory(level="service")
    elsewhere = ServiceAreaFactory(level="team", parent=other)
    for number in range(30):
        CaseFactory(service_area=elsewhere, stage_number=1 + number % 3)
    chosen = team if level == "team" else service
    found = tracker(
        personas["manager"],
        {"view": "open", "stage": "2", "team": str(chosen.pk)},
        datetime.date(2026, 11, 20),
        council_calendar(),
    ).queryset
    assert [c.stage_number for c in found] == [2]
    plan = _plan(found)
    if connection.vendor == "postgresql":
        _assert_cases_searched_by(plan, "stage_number", "service_area_id")
    else:
        assert "SCAN cases_case" not in plan.replace("USING INDEX", ""), plan
        assert "case_stage_team_due" in plan, plan


@pytest.mark.parametrize("whose", ["team", "officer"])
def test_the_dashboard_counts_search_indexes_for_what_could_count(personas, whose):
    """The home page's tiles count open, overdue and due-soon cases: a closed case with nothing
    due is never read, and one officer's cases are found through the officer's indexes, not by
    reading every case ever allocated to them."""
    from heard.cases.presenters import countable
    from heard.cases.queries import list_queryset

    officer = personas["officer"]
    today = datetime.date(2026, 11, 20)
    for number in range(30):  # closed cases with nothing due, of the officer and others
        CaseFactory(status="closed", next_due_on=None, allocated_to=officer if number % 2 else None)
    CaseFactory(status="open", allocated_to=officer)
    cases = countable(
        list_queryset(personas["manager"]),
        today,
        council_calendar(),
        allocated_to=officer if whose == "officer" else None,
    )
    assert cases.count() == 1
    plan = _plan(cases, bitmaps_only=True)
    if connection.vendor == "postgresql":
        # With a few dozen cases PostgreSQL may look one officer's cases up by officer alone
        # (at 100,000 it combines the three branches' index searches, checked by hand with
        # EXPLAIN); the team's counts must search status or deadlines.
        officer_column = ("allocated_to_id",) if whose == "officer" else ()
        _assert_cases_searched_by(plan, "status", "next_due_on", *officer_column)
    else:
        assert "SCAN cases_case" not in plan.replace("USING INDEX", ""), plan
        assert "MULTI-INDEX OR" in plan, plan
