"""Due dates and outcomes for stages, from the plain-Python timescale engine.

These functions take plain values (no database access), so that the demo builder, the importer
and the recalculation after a calendar change all compute dates the same way.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from heard.cases.choices import Finding
from heard.timescales import compute_clock, rule_for, stage_response_due


@dataclass(frozen=True)
class DueDates:
    acknowledgement_due: datetime.date | None
    response_due: datetime.date | None
    paused: bool


def derive_outcome(findings: Iterable[str]) -> str:
    """A stage's outcome from the findings on its parts.

    Withdrawn parts are left out. Every remaining part upheld: upheld. Any part upheld or
    partially upheld: partially upheld. Otherwise not upheld if any part was not upheld, else
    no finding. Every part withdrawn: withdrawn.
    """
    considered = [f for f in findings if f != Finding.WITHDRAWN]
    if not considered:
        return Finding.WITHDRAWN
    if all(f == Finding.UPHELD for f in considered):
        return Finding.UPHELD
    if any(f in {Finding.UPHELD, Finding.PARTIALLY_UPHELD} for f in considered):
        return Finding.PARTIALLY_UPHELD
    if any(f == Finding.NOT_UPHELD for f in considered):
        return Finding.NOT_UPHELD
    return Finding.NO_FINDING


def stage_due_dates(
    calendar,
    *,
    procedure: str,
    stage_number: int,
    received_on: datetime.date,
    requested_on: datetime.date,
    statement_agreed_on: datetime.date | None = None,
    acknowledged_on: datetime.date | None = None,
    extended_to: int | None = None,
    suspensions: Sequence[tuple[datetime.date, datetime.date | None]] = (),
    identification_received_on: datetime.date | None = None,
    stage2_clock_start: str = "requested",
    panel_on: datetime.date | None = None,
    report_received_on: datetime.date | None = None,
) -> DueDates:
    """Due dates for one stage under the rule in force on the day the case was received.

    Raises ``UnknownRule`` if the procedure has no timescale for that stage."""
    rule = rule_for(procedure, stage_number, received_on)
    if (
        rule.procedure == "corporate"
        and extended_to is not None
        and (rule.max_extended_to is None or extended_to > rule.max_extended_to)
    ):
        # A council may allow corporate extensions beyond the Code's limits (a setting checked
        # when the extension is agreed); an extension agreed under it stands.
        rule = replace(rule, max_extended_to=extended_to)
    clock = compute_clock(
        rule,
        calendar,
        received_on=received_on if stage_number == 1 else requested_on,
        requested_on=requested_on,
        acknowledged_on=acknowledged_on,
        statement_agreed_on=statement_agreed_on,
        identification_received_on=identification_received_on,
        extended_to=extended_to,
        suspensions=suspensions,
        stage2_clock_start=stage2_clock_start,
    )
    response_due = clock.response_due
    if rule.response_step:  # Stage 3: the council's response to the panel (decision 0028)
        response_due = stage_response_due(
            rule,
            calendar,
            first_step_due=clock.response_due,
            panel_on=panel_on,
            report_on=report_received_on,
        )
    return DueDates(clock.acknowledgement_due, response_due, clock.paused)


def stage_clock(
    calendar, case, stage, suspensions=(), stage2_clock_start: str = "requested"
) -> DueDates:
    """``stage_due_dates`` for a case and one of its stages (saved or not)."""
    return stage_due_dates(
        calendar,
        procedure=case.procedure,
        stage_number=stage.number,
        received_on=case.received_on,
        requested_on=stage.requested_on,
        statement_agreed_on=stage.statement_agreed_on,
        acknowledged_on=stage.acknowledged_on,
        extended_to=stage.extended_to,
        suspensions=suspensions,
        identification_received_on=case.identification_received_on,
        stage2_clock_start=stage2_clock_start,
        panel_on=stage.panel_on,
        report_received_on=stage.report_received_on,
    )
