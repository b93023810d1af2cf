"""The report's shortcuts for speed against the definitions they stand for, on a generated
council (issue #14): each table counts in fewer passes over the cases, and must still count
exactly what the definitions in ``heard.reports.selection`` and ``definitions`` say."""

import datetime
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction

from heard.cases.choices import Kind, Resolution
from heard.reports import annual, definitions, selection
from heard.reports.sections import complainants, flow, timeliness

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 29)
YEAR = 2025


@pytest.fixture(scope="module")
def contexts(django_db_setup, django_db_blocker):
    """The demo council's report context in every outcome basis (loaded once)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", cases=900, years=5, today=TODAY, stdout=io.StringIO())
        built = {
            basis: annual.make_context(YEAR, today=TODAY, outcome_basis=basis)
            for basis in definitions.OUTCOME_BASES
        }
        transaction.set_rollback(True)
    return built


@pytest.mark.parametrize("basis", list(definitions.OUTCOME_BASES))
def test_the_outcomes_of_many_complaints_are_each_complaints_outcome(contexts, basis):
    ctx = contexts[basis]
    complaints = ctx.cases(Kind.COMPLAINT)
    for year in ctx.years:
        expected = [ctx.outcome_basis.outcome(case, year) for case in complaints]
        assert ctx.outcomes(complaints, year) == expected
        # Again, now that they are known, and for a part of them in another order.
        assert ctx.outcomes(complaints, year) == expected
        some = ctx.outcome_cases(year)[::-1]
        assert ctx.outcomes(iter(some), year) == [ctx.outcome(c, year) for c in some]
    assert {ctx.outcome(c) for c in complaints} >= {"upheld", "not-upheld", "withdrawn"}


def test_the_flow_history_counts_what_each_definition_counts(contexts):
    ctx = contexts[definitions.DEFAULT_OUTCOME_BASIS]
    for procedure in flow.procedures(ctx):
        stages = flow.stage_count(ctx, procedure)
        for year in ctx.years:
            dealt = ctx.dealt_with(Kind.COMPLAINT, year, procedure=procedure)
            resolved = [c for c in dealt if selection.closed_in(c, year)]
            at_stage = Counter(selection.stage_closed_at(c) for c in resolved)
            cells = flow._history_cells(ctx, procedure, year, stages)
            assert cells["new"] == sum(1 for c in dealt if selection.received_in(c, year))
            assert cells["brought_forward"] == sum(
                1 for c in dealt if selection.brought_forward(c, year)
            )
            assert cells["carried_forward"] == sum(
                1 for c in dealt if selection.carried_forward(c, year)
            )
            assert cells["resolved"] == len(resolved) and cells["resolved_1"] == at_stage[1]
            for n in range(2, stages + 1):
                assert cells[f"resolved_{n}"] == at_stage[n]
                assert cells[f"progressed_{n}"] == sum(
                    1 for c in dealt if flow.at_stage_during(c, n, year)
                )
            assert cells["dealt_with"] == len(dealt) > 0


def test_how_a_complaint_was_handled_follows_its_resolution():
    class Case:
        stages = []

    for resolution in [*Resolution.values, "", "something else"]:
        case = Case()
        case.resolution = resolution
        expected = {
            Resolution.RESOLVED_ADR: "adr",
            Resolution.WITHDRAWN: "withdrawn",
            Resolution.NO_FURTHER_ACTION: "no-further-action",
            Resolution.RESPONDED: "formal-1",
        }.get(resolution, "refused" if resolution in selection.REFUSALS else "not-recorded")
        assert flow._handled(case) == expected


@pytest.mark.parametrize("measure", ["acknowledge", "respond"])
def test_the_timeliness_tallies_count_each_judged_stage_once(contexts, measure):
    ctx = contexts[definitions.DEFAULT_OUTCOME_BASIS]
    rows = timeliness.ACK_ROWS if measure == "acknowledge" else timeliness.RESPONSE_ROWS
    pick = (
        selection.stages_requested_in if measure == "acknowledge" else selection.stages_responded_in
    )
    judged_any = 0
    for _key, _label, kind, procedure, number in rows:
        for year in (ctx.previous, ctx.year):
            stages = [
                j
                for j in timeliness._judged(ctx, kind, year, pick, measure)
                if j[1] == number and (procedure is None or j[0] == procedure)
            ]
            counted = [0, 0, 0, 0]
            for (p, n), tally in timeliness._tallies(ctx, kind, year, pick, measure).items():
                if n == number and procedure in (None, p):
                    counted = [a + b for a, b in zip(counted, tally, strict=True)]
            assert counted == [
                len(stages),
                sum(1 for j in stages if j[2]),
                sum(1 for j in stages if j[3]),
                sum(1 for j in stages if j[4]),
            ]
            judged_any += len(stages)
    assert judged_any


def test_a_complainant_table_counts_each_procedure_as_the_cases_filtered_by_it(contexts):
    ctx = contexts[definitions.DEFAULT_OUTCOME_BASIS]
    cases = ctx.dealt_with(Kind.COMPLAINT)
    procedures = sorted({c.procedure for c in cases})
    roles = {c.complainant_role_id for c in cases}
    assert len(procedures) > 1 and len(roles) > 1
    for role in roles:
        test = lambda c, role=role: c.complainant_role_id == role  # noqa: E731
        cells = complainants._cells(procedures, cases, test)
        for p in procedures:
            of_p = [c for c in cases if c.procedure == p]
            count = sum(1 for c in of_p if test(c))
            assert (cells[p], cells[f"{p}_pct"]) == (count, complainants.percent(count, len(of_p)))
        assert cells["all"] == sum(1 for c in cases if test(c))


def test_the_stage_flow_counts_what_each_definition_counts(contexts):
    ctx = contexts[definitions.DEFAULT_OUTCOME_BASIS]
    year = ctx.year
    for procedure in flow.procedures(ctx):
        dealt = ctx.dealt_with(Kind.COMPLAINT, procedure=procedure)
        expected = {
            "brought_forward": Counter(
                selection.stage_brought_forward(c, year)
                for c in dealt
                if selection.brought_forward(c, year)
            ),
            "new": Counter(flow.start_stage(c) for c in dealt if selection.received_in(c, year)),
            "started": Counter(
                s.number for c in dealt for s in selection.stages_requested_in(c, year)
            ),
            "resolved": Counter(
                selection.stage_closed_at(c) for c in dealt if selection.closed_in(c, year)
            ),
            "carried_forward": Counter(
                selection.stage_carried_forward(c, year)
                for c in dealt
                if selection.carried_forward(c, year)
            ),
        }
        table = flow.stage_flow(ctx, procedure)
        for row in table.rows:
            if row.key == "total":  # "started" counts only the stages shown
                for column in ("brought_forward", "new", "resolved", "carried_forward"):
                    assert row.cells[column] == sum(expected[column].values())
                continue
            for column, counts in expected.items():
                assert row.cells[column] == counts[int(row.key)], (row.key, column)
        assert sum(expected["resolved"].values()) > 0
