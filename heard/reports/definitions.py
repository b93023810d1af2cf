"""Each measure a report gives, defined once: the annual report, the scrutiny report, the
Complaint Handling Code report and custom tables all count with these functions, and the
appendix "How the figures are counted" (:func:`appendix`) prints what they say.

- **Outcome basis**: which complaints an outcome table counts and which outcome each has
  (:class:`OutcomeBasis`; an edition chooses one).
- **Within timescale**: a stage responded to on or before its response due date, the date
  after any extension agreed with the complainant and any time the clock was stopped
  (:func:`within_timescale`); stages without a due date are not judged.
- **Within the local target**: responded to (or acknowledged) within the council's own number
  of working days from the stage being asked for (:func:`within_local_target`).
- **Upheld or partially upheld**: a complaint whose one outcome, on the edition's basis, is
  upheld or partially upheld (:func:`upheld`), as a percentage of the complaints counted.
- **Escalation rate**: complaints given a Stage 1 response in the year that went on to ask
  for Stage 2, as a percentage of those given a Stage 1 response (:func:`escalated`).
- **Average and median days**: working days from a stage being asked for to its response,
  the day after the request being day 1 (:func:`days_taken`, :func:`average`,
  ``measures.median``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from heard.cases.choices import UPHELD_OUTCOMES
from heard.reports import measures, selection
from heard.reports.data import CaseFacts, StageFacts
from heard.reports.periods import ReportingYear

# Outcome basis --------------------------------------------------------------------------------

LATEST = "latest"
YEAR_END = "year-end"
CLOSED = "closed"
#: The bases an edition can choose, with how staff see them.
OUTCOME_BASES: dict[str, str] = {
    LATEST: "Complaints received in the year, with the latest outcome known when the report "
    "is made",
    YEAR_END: "Complaints received in the year, with their outcome as at the end of the year",
    CLOSED: "Complaints closed in the year, with their outcome",
}
#: Councils write the report after the year ends and give each complaint's outcome as known
#: then.
DEFAULT_OUTCOME_BASIS = LATEST


@dataclass(frozen=True)
class OutcomeBasis:
    """Which complaints an outcome figure counts, and which outcome each one has.

    ``made_on``: the day the report is made, up to which the latest outcome is taken."""

    code: str = DEFAULT_OUTCOME_BASIS
    made_on: datetime.date | None = None

    def __post_init__(self):
        if self.code not in OUTCOME_BASES:
            raise ValueError(f"There is no outcome basis called {self.code!r}.")

    def counts(self, case: CaseFacts, year: ReportingYear) -> bool:
        """Whether an outcome table for ``year`` counts ``case``."""
        if self.code == CLOSED:
            return selection.closed_in(case, year)
        return selection.received_in(case, year)

    def outcome(self, case: CaseFacts, year: ReportingYear) -> str:
        """The complaint's one outcome (a finding code, ``withdrawn``, ``refused`` or
        ``still-open``) on this basis, for a table about ``year``."""
        if self.code == YEAR_END:
            return selection.complaint_outcome(case, on=year.end)
        return selection.complaint_outcome(case, on=self.made_on)

    @property
    def counted(self) -> str:
        """What the complaints counted are, in words: "received" or "closed"."""
        return "closed" if self.code == CLOSED else "received"

    def at(self, year: ReportingYear) -> str:
        """When the outcome is taken, in words."""
        if self.code == YEAR_END:
            return f"at the end of {year.label}"
        when = f" ({self.made_on:%-d %B %Y})" if self.made_on else ""
        return f"as known when the report was made{when}"

    def note(self, year: ReportingYear) -> str:
        """The sentence every outcome table carries."""
        if self.code == CLOSED:
            return (
                f"Outcome basis: complaints closed in {year.label}, with their outcome "
                f"{self.at(year)}."
            )
        return (
            f"Outcome basis: complaints received in {year.label}, with their outcome "
            f"{self.at(year)}."
        )


# Measures -------------------------------------------------------------------------------------


def upheld(outcome: str) -> bool:
    """Whether a complaint's (or a stage's) outcome counts as upheld or partially upheld."""
    return outcome in UPHELD_OUTCOMES


def within_timescale(stage: StageFacts) -> bool | None:
    """Responded to on or before the stage's due date (after agreed extensions and stopped
    clocks); None when the stage has no response or no due date, so it is not judged."""
    if stage.responded_on is None or stage.response_due is None:
        return None
    return stage.responded_on <= stage.response_due


def acknowledged_in_time(stage: StageFacts) -> bool | None:
    """Acknowledged on or before the acknowledgement due date; None when not judged."""
    if stage.acknowledgement_due is None:
        return None
    return stage.acknowledged_on is not None and stage.acknowledged_on <= (
        stage.acknowledgement_due
    )


def days_taken(calendar, stage: StageFacts, done: datetime.date | None = None) -> int | None:
    """Working days from the stage being asked for to its response (or to ``done``)."""
    return selection.working_days(calendar, stage.requested_on, done or stage.responded_on)


def within_local_target(calendar, stage: StageFacts, limit: int | None, measure: str) -> bool:
    """Acknowledged (``measure`` "acknowledge") or responded to within ``limit`` working days
    of the stage being asked for."""
    done = stage.acknowledged_on if measure == "acknowledge" else stage.responded_on
    days = selection.working_days(calendar, stage.requested_on, done)
    return limit is not None and days is not None and days <= limit


def escalated(case: CaseFacts) -> bool:
    """Whether a complaint went on from Stage 1 to Stage 2."""
    return case.stage(2) is not None


def average(values: Iterable[int | float]) -> float | None:
    """The mean, to one decimal place (halves rounded up); None for nothing."""
    values = list(values)
    if not values:
        return None
    return measures.round_half_up(Decimal(sum(values)) / len(values), 1)


def stage_timeliness(
    cases: Iterable[CaseFacts], year: ReportingYear, number: int, procedure: str | None = None
) -> tuple[int, int]:
    """(within timescale, judged) for the stages numbered ``number`` responded to in ``year``
    (of one procedure, or any): the one Stage 1 timeliness figure every report gives."""
    return timeliness_of(
        stage
        for case in cases
        if procedure is None or case.procedure == procedure
        for stage in selection.stages_responded_in(case, year)
        if stage.number == number
    )


def timeliness_of(stages: Iterable[StageFacts]) -> tuple[int, int]:
    """(within timescale, judged) of the stages given (see :func:`stage_timeliness`)."""
    within = judged = 0
    for stage in stages:
        verdict = within_timescale(stage)
        if verdict is not None:
            judged += 1
            within += verdict
    return within, judged


# The appendix ---------------------------------------------------------------------------------

APPENDIX_TITLE = "How the figures are counted"


def appendix(basis: OutcomeBasis, year: ReportingYear) -> list[tuple[str, str]]:
    """(term, definition) for each measure, as the report's appendix prints them."""
    return [
        (
            "Outcome basis",
            f"{OUTCOME_BASES[basis.code]}. {basis.note(year)} Each complaint has one outcome: "
            "that of the last stage responded to, or withdrawn, refused (not accepted under "
            "the procedure) or still open.",
        ),
        (
            "Upheld or partially upheld",
            "Complaints whose one outcome is upheld or partially upheld, as a percentage of "
            "the complaints counted, those still open included. Findings per part and "
            "outcomes at each stage count stages, not complaints, and say so.",
        ),
        (
            "Within timescale",
            "A stage responded to on or before its due date: the procedure's timescale in "
            "working days, after any extension agreed with the complainant and any time the "
            "clock was stopped. Counted on the stages responded to in the year that have a "
            "due date, as a percentage of them. The annual, scrutiny and Code reports and "
            "custom tables all count it this way. At Stage 3 of the children's procedure the "
            "response is the council's response to the review panel, due 15 working days "
            "after the panel's report.",
        ),
        (
            "Within the Code's standard time",
            "For the Complaint Handling Code report only: responded to within the Code's "
            "working days without any extension. It differs from within timescale by design.",
        ),
        (
            "Within the local target",
            "Acknowledged, or responded to at Stage 1, within the council's own number of "
            "working days from the stage being asked for.",
        ),
        (
            "Escalation rate",
            "Complaints given a Stage 1 response in the year that asked for Stage 2 (by the "
            "day the report was made), as a percentage of the complaints given a Stage 1 "
            "response in the year.",
        ),
        (
            "Average and median days",
            "Working days on the council's calendar (without weekends, bank holidays and "
            "closure days) from a stage being asked for to its response; the day after the "
            "request is day 1. Averages and medians are to one decimal place.",
        ),
        (
            "Received, dealt with, closed, carried forward",
            "Received: on a day in the year. Dealt with: open at any time in the year. "
            "Closed: on a day in the year. Carried forward: still open after the year's end.",
        ),
        (
            "Percentages and rates",
            f"{measures.ROUNDING_NOTE} A percentage with nothing to divide by is left empty. "
            "Rates per 10,000 are given to one decimal place.",
        ),
        (
            "Small numbers",
            "In the published version, counts from 1 to 5 are shown as [c], with any figure "
            "that would reveal them.",
        ),
    ]
